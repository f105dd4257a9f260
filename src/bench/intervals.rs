//! `--interval` and `--hdr-log`: the run in intervals from the start of its counted part. The
//! callers record each call into its interval's tally in their shard (`run.rs`); this task
//! takes the intervals as they close, merges them over the shards, and makes each one a row of
//! the report and an entry of the HdrHistogram interval log, so that the run keeps only the
//! intervals still open.

use std::{
    fs::File,
    io::{self, BufWriter, Write as _},
    sync::Arc,
    time::{Duration, Instant, SystemTime},
};

use hdrhistogram::{
    Histogram,
    serialization::{
        V2DeflateSerializer,
        interval_log::{IntervalLogWriter, IntervalLogWriterBuilder, IntervalLogWriterError},
    },
};
use tokio::sync::oneshot;

use super::{
    report::Interval,
    run::{Pending, Run},
    stats,
};
use crate::{exit::io_words, whole_file::WholeFile};

/// A call that ended just before its interval closed may be recorded a little after: the
/// intervals are taken this long after they close.
const GRACE: Duration = Duration::from_millis(20);

type LogWriter<'a, 'b> = IntervalLogWriter<'a, 'b, BufWriter<File>, V2DeflateSerializer>;

/// Takes the intervals of `run` as they close until `end` says the counted part's length, then
/// the rest; returns one row for each interval, and writes `log` (`--hdr-log`) if given.
pub async fn collect(
    run: Arc<Run>,
    every: Duration,
    mut log: Option<WholeFile>,
    end: oneshot::Receiver<Duration>,
) -> anyhow::Result<Vec<Interval>> {
    let mut rows = Rows {
        run: Arc::clone(&run),
        every,
        next: 0,
        rows: Vec::new(),
    };
    // The log's times count from now, the load's start by the wall clock; each entry's start
    // is the interval's, from there.
    let started = SystemTime::now() - run.epoch.elapsed();
    let mut serializer = V2DeflateSerializer::new();
    let mut writer = match &mut log {
        Some(log) => Some(begin_log(log.writer(), &mut serializer, started)?),
        None => None,
    };
    let mut ticks = tokio::time::interval((every / 4).clamp(Duration::from_millis(5), GRACE * 10));
    tokio::pin!(end);
    let length = loop {
        tokio::select! {
            _ = ticks.tick() => {}
            length = &mut end => break length.unwrap_or_default(),
        }
        let Some(begun) = run.begun() else { continue };
        let Some(elapsed) = Instant::now()
            .saturating_duration_since(begun)
            .checked_sub(GRACE)
        else {
            continue;
        };
        let before = u64::try_from(elapsed.as_nanos() / every.as_nanos()).unwrap_or(u64::MAX);
        if before > rows.next {
            let taken = run.take_intervals(before);
            rows.emit(taken, before, None, writer.as_mut())?;
        }
    };
    // Every interval the counted part reached, the last perhaps shorter.
    let last = u64::try_from(length.as_nanos().div_ceil(every.as_nanos())).unwrap_or(u64::MAX);
    let mut taken = run.take_intervals(u64::MAX);
    // A call that ended right at the end belongs to the last interval, not to one after it.
    if last > 0 {
        for pending in &mut taken {
            pending.index = pending.index.min(last - 1);
        }
    }
    let upto = taken.last().map_or(last, |p| last.max(p.index + 1));
    rows.emit(taken, upto, Some(length), writer.as_mut())?;
    drop(writer);
    if let Some(log) = log {
        log.finish().map_err(write_error)?;
    }
    Ok(rows.rows)
}

/// The log's header, which HistogramLogAnalyzer reads: the start by the wall clock, which
/// every entry's start counts from, and the legend.
fn begin_log<'a, 'b>(
    file: &'a mut BufWriter<File>,
    serializer: &'b mut V2DeflateSerializer,
    started: SystemTime,
) -> anyhow::Result<LogWriter<'a, 'b>> {
    IntervalLogWriterBuilder::new()
        .add_comment("[Logged with apicli bench]")
        .add_comment("[Histogram log format version 1.3]")
        .add_comment("[Latencies in microseconds; Interval_Max in milliseconds]")
        .with_start_time(started)
        .with_base_time(started)
        .begin_log_with(file, serializer)
        .map_err(write_error)?;
    writeln!(
        file,
        "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\""
    )
    .map_err(write_error)?;
    IntervalLogWriterBuilder::new()
        .with_max_value_divisor(1000.0)
        .begin_log_with(file, serializer)
        .map_err(write_error)
}

struct Rows {
    run: Arc<Run>,
    every: Duration,
    /// The next interval to emit.
    next: u64,
    rows: Vec<Interval>,
}

impl Rows {
    /// Emits the intervals from `next` up to `upto` (not included), with the calls `taken`,
    /// those of the intervals already emitted going into the first; `length` is the counted
    /// part's, once known.
    fn emit(
        &mut self,
        taken: Vec<Pending>,
        upto: u64,
        length: Option<Duration>,
        mut log: Option<&mut LogWriter<'_, '_>>,
    ) -> anyhow::Result<()> {
        let mut taken = taken.into_iter().peekable();
        let empty = Pending::empty();
        let offset = self.offset();
        while self.next < upto {
            let index = self.next;
            let mut current: Option<Pending> = None;
            while let Some(p) = taken.next_if(|p| p.index <= index) {
                match &mut current {
                    Some(current) => current.merge(&p),
                    None => current = Some(p),
                }
            }
            let pending = current.as_ref().unwrap_or(&empty);
            let start = self
                .every
                .saturating_mul(u32::try_from(index).unwrap_or(u32::MAX));
            let span = match length {
                Some(length) if length > start => (length - start).min(self.every),
                _ => self.every,
            };
            let target = self.run.goal.map(|goal| {
                let from = offset + start.as_secs_f64();
                goal.mean(from, from + span.as_secs_f64())
            });
            let latency = &pending.latency;
            self.rows.push(Interval {
                start_us: stats::micros(start),
                count: pending.count,
                rps: pending.count as f64 / span.as_secs_f64(),
                p50_us: quantile(latency, 0.5),
                p99_us: quantile(latency, 0.99),
                errors: pending.errors,
                target,
            });
            if let Some(log) = log.as_deref_mut() {
                let at = Duration::from_secs_f64(offset) + start;
                log.write_histogram(latency, at, span, None)
                    .map_err(|err| match err {
                        IntervalLogWriterError::IoError(err) => write_error(err),
                        IntervalLogWriterError::SerializeError(err) => {
                            anyhow::anyhow!("writing --hdr-log: {err:?}")
                        }
                    })?;
            }
            self.next += 1;
        }
        Ok(())
    }

    /// Seconds from the load's start (the schedule's) to the counted part's.
    fn offset(&self) -> f64 {
        self.run.begun().map_or(0.0, |begun| {
            begun
                .saturating_duration_since(self.run.epoch)
                .as_secs_f64()
        })
    }
}

fn write_error(err: io::Error) -> anyhow::Error {
    anyhow::anyhow!("writing --hdr-log: {}", io_words(&err))
}

fn quantile(latency: &Histogram<u64>, quantile: f64) -> u64 {
    if latency.is_empty() {
        0
    } else {
        latency.value_at_quantile(quantile)
    }
}

impl Pending {
    fn empty() -> Pending {
        Pending::new(0)
    }
}

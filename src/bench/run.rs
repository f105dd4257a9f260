//! What every caller of the load shares: which calls are counted (after the warm-up, up to
//! `-n`), when the counted part began and ends (`-z`), the tallies the calls are recorded
//! into, and how long each endpoint was unreachable.

use std::{
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, Ordering::Relaxed},
    },
    time::{Duration, Instant},
};

use hdrhistogram::Histogram;
use tokio::sync::Notify;
use tonic::Status;

use super::{
    failure::failure,
    goal::Goal,
    link::{Event, Link},
    outage::{Outage, Window},
    stats::{self, Ended, Tally},
};
use crate::settings::{Bench, StopAfter, Warmup};

/// The state every caller shares: which calls are counted, when the counted part began and
/// ends, and the tallies.
pub struct Run {
    pub(super) epoch: Instant,
    /// The next call's number (closed loop).
    pub(super) next: AtomicU64,
    /// Counted calls started so far, with a timed warm-up.
    counted: AtomicU64,
    warmup: Option<Warmup>,
    /// `-n`.
    pub total: Option<u64>,
    /// `-z`.
    pub length: Option<Duration>,
    /// Nanoseconds from `epoch` to the start of the counted part; `u64::MAX` until it starts.
    begun: AtomicU64,
    /// Nanoseconds from `epoch` to `-z`'s end; `u64::MAX` until known, or without `-z`.
    deadline: AtomicU64,
    began: Notify,
    pub(super) shards: Vec<Mutex<Shard>>,
    /// By endpoint.
    outages: Vec<Mutex<Outage>>,
    /// What the load aims at, from `epoch`.
    pub goal: Option<Goal>,
    /// With `--interval` or `--hdr-log`: each interval's length in nanoseconds.
    interval: Option<u64>,
    /// The intervals before this one have been taken (`take_intervals`).
    taken: AtomicU64,
}

pub(super) struct Shard {
    tally: Tally,
    /// Nanoseconds from `epoch` to the end of the last counted call.
    last_end: u64,
    /// With intervals: the calls of the intervals not yet taken, by interval.
    pending: Vec<Pending>,
}

/// The calls that ended in one interval (numbered from 0 at the start of the counted part).
pub(super) struct Pending {
    pub(super) index: u64,
    /// Of the calls attempted.
    pub(super) latency: Histogram<u64>,
    pub(super) count: u64,
    pub(super) errors: u64,
}

impl Pending {
    pub(super) fn new(index: u64) -> Pending {
        Pending {
            index,
            latency: stats::histogram(),
            count: 0,
            errors: 0,
        }
    }

    /// Adds `other`'s calls to these.
    pub(super) fn merge(&mut self, other: &Pending) {
        // Both histograms have the same bounds, so adding cannot fail.
        let _ = self.latency.add(&other.latency);
        self.count += other.count;
        self.errors += other.errors;
    }
}

/// A call number handed out, and whether the call counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Claim {
    pub(super) n: u64,
    pub(super) counted: bool,
}

impl Run {
    pub(super) fn new(bench: &Bench, links: &[Arc<Link>]) -> Run {
        let mut run = Run::starting(bench, bench.endpoints.len(), Instant::now());
        run.outages = (0..bench.endpoints.len())
            .map(|endpoint| {
                let connections = links.iter().filter(|l| l.endpoint == endpoint).count();
                Mutex::new(Outage::new(connections))
            })
            .collect();
        run
    }

    fn starting(bench: &Bench, endpoints: usize, epoch: Instant) -> Run {
        let (total, length) = match bench.stop {
            StopAfter::Calls(total) => (Some(total), None),
            StopAfter::Time(length) => (None, Some(length)),
        };
        let shards = (0..bench.threads.max(1))
            .map(|_| {
                Mutex::new(Shard {
                    tally: Tally::new(endpoints),
                    last_end: 0,
                    pending: Vec::new(),
                })
            })
            .collect();
        let run = Run {
            epoch,
            next: AtomicU64::new(0),
            counted: AtomicU64::new(0),
            warmup: bench.warmup,
            total,
            length,
            begun: AtomicU64::new(u64::MAX),
            deadline: AtomicU64::new(u64::MAX),
            began: Notify::new(),
            shards,
            outages: Vec::new(),
            goal: Goal::of(bench),
            interval: (bench.measured_interval())
                .map(|every| u64::try_from(every.as_nanos()).unwrap_or(u64::MAX).max(1)),
            taken: AtomicU64::new(0),
        };
        match bench.warmup {
            None => run.begin(epoch),
            Some(Warmup::Time(time)) => run.begin(epoch + time),
            // The counted part begins with the first counted call.
            Some(Warmup::Calls(_)) => {}
        }
        run
    }

    fn nanos(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.epoch).as_nanos()).unwrap_or(u64::MAX)
    }

    fn instant(&self, nanos: u64) -> Instant {
        self.epoch + Duration::from_nanos(nanos)
    }

    /// Marks the start of the counted part, once.
    fn begin(&self, at: Instant) {
        let nanos = self.nanos(at);
        if self
            .begun
            .compare_exchange(u64::MAX, nanos, Relaxed, Relaxed)
            .is_ok()
        {
            if let Some(length) = self.length {
                let length = u64::try_from(length.as_nanos()).unwrap_or(u64::MAX);
                self.deadline.store(nanos.saturating_add(length), Relaxed);
            }
            self.began.notify_one();
        }
    }

    /// When the counted part began, if it has.
    pub fn begun(&self) -> Option<Instant> {
        match self.begun.load(Relaxed) {
            u64::MAX => None,
            nanos => Some(self.instant(nanos)),
        }
    }

    /// Hands out call `n`, starting `at`; `None` once the run is over (`-n` calls counted, or
    /// `-z` passed).
    pub(super) fn claim(&self, n: u64, at: Instant) -> Option<Claim> {
        if self.nanos(at) >= self.deadline.load(Relaxed) {
            return None;
        }
        let ticket = match self.warmup {
            None => Some(n),
            Some(Warmup::Calls(warmup)) => n.checked_sub(warmup),
            Some(Warmup::Time(time)) if at >= self.epoch + time => {
                Some(self.counted.fetch_add(1, Relaxed))
            }
            Some(Warmup::Time(_)) => None,
        };
        if let Some(ticket) = ticket {
            if self.total.is_some_and(|total| ticket >= total) {
                return None;
            }
            if ticket == 0 {
                self.begin(at);
            }
        }
        Some(Claim {
            n,
            counted: ticket.is_some(),
        })
    }

    fn shard(&self, index: usize) -> MutexGuard<'_, Shard> {
        self.shards[index % self.shards.len()]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a counted call that took from `start` to `end`; one that ended after `-z`'s
    /// end is not counted.
    pub(super) fn record(
        &self,
        shard: usize,
        endpoint: usize,
        start: Instant,
        end: Instant,
        outcome: &Outcome,
        addrs: &[String],
    ) {
        let end_nanos = self.nanos(end);
        if end_nanos > self.deadline.load(Relaxed) {
            return;
        }
        let latency = end.saturating_duration_since(start);
        let mut shard = self.shard(shard);
        match &outcome.result {
            Err(status) if !outcome.attempted => {
                shard.tally.record_unattempted(endpoint, status.message());
            }
            Ok(()) => shard.tally.record(endpoint, latency, Ended::Ok),
            Err(status) => {
                let addr = addrs.get(endpoint).map_or("", String::as_str);
                let (code, message) = failure(status, addr);
                shard
                    .tally
                    .record(endpoint, latency, Ended::Failed(code, &message));
            }
        }
        if outcome.streamed {
            shard.tally.record_messages(outcome.messages, outcome.first);
        }
        shard.last_end = shard.last_end.max(end_nanos);
        if let Some(every) = self.interval {
            // A call that ends as its interval is taken goes into the next one.
            let index = (end_nanos.saturating_sub(self.begun.load(Relaxed)) / every)
                .max(self.taken.load(Relaxed));
            let pending = match shard.pending.last_mut() {
                Some(last) if last.index == index => last,
                _ => match shard.pending.iter().position(|p| p.index == index) {
                    Some(at) => &mut shard.pending[at],
                    None => {
                        shard.pending.push(Pending::new(index));
                        shard.pending.last_mut().expect("just pushed")
                    }
                },
            };
            pending.count += 1;
            pending.errors += u64::from(outcome.result.is_err());
            if outcome.attempted {
                pending.latency.saturating_record(stats::micros(latency));
            }
        }
    }

    /// The calls of every interval before `before`, by interval in order, merged over the
    /// shards; calls that end from now on go into `before` or later.
    pub(super) fn take_intervals(&self, before: u64) -> Vec<Pending> {
        self.taken.fetch_max(before, Relaxed);
        let mut taken: Vec<Pending> = Vec::new();
        for index in 0..self.shards.len() {
            let mut shard = self.shard(index);
            let (old, new) = std::mem::take(&mut shard.pending)
                .into_iter()
                .partition(|p| p.index < before);
            shard.pending = new;
            drop(shard);
            let old: Vec<Pending> = old;
            for pending in old {
                match taken.iter_mut().find(|t| t.index == pending.index) {
                    Some(same) => same.merge(&pending),
                    None => taken.push(pending),
                }
            }
        }
        taken.sort_by_key(|p| p.index);
        taken
    }

    /// Where the counted part is, as far as it is known.
    fn window(&self) -> Window {
        Window {
            begun: self.begun(),
            end: match self.deadline.load(Relaxed) {
                u64::MAX => None,
                nanos => Some(self.instant(nanos)),
            },
        }
    }

    fn outage(&self, endpoint: usize) -> MutexGuard<'_, Outage> {
        self.outages[endpoint]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn outage_event(&self, endpoint: usize, event: Event) {
        let window = self.window();
        let mut outage = self.outage(endpoint);
        match event {
            Event::Broke => outage.broke(),
            Event::AttemptFailed { broke_at } => outage.attempt_failed(broke_at),
            Event::Reached => outage.reached(Instant::now(), window),
        }
    }

    /// How long each endpoint was unreachable in the counted part, up to `now`.
    pub(super) fn unreachable(&self, now: Instant) -> Vec<Duration> {
        let window = self.window();
        (0..self.outages.len())
            .map(|endpoint| self.outage(endpoint).unreachable(now, window))
            .collect()
    }

    pub(super) fn record_late(&self, shard: usize) {
        self.shard(shard).tally.record_late();
    }

    /// Calls and failed calls counted so far, and their latencies added into `latency`.
    pub fn snapshot(&self, latency: &mut Histogram<u64>) -> (u64, u64) {
        latency.reset();
        let (mut count, mut errors) = (0, 0);
        for index in 0..self.shards.len() {
            let shard = self.shard(index);
            count += shard.tally.count();
            errors += shard.tally.error_count();
            let _ = latency.add(shard.tally.latency_histogram());
        }
        (count, errors)
    }

    pub(super) fn merged(&self) -> Tally {
        let mut shards = (0..self.shards.len()).map(|index| self.shard(index));
        let Some(first) = shards.next() else {
            return Tally::new(0);
        };
        let mut tally = first.tally.clone();
        drop(first);
        for shard in shards {
            tally.merge(&shard.tally);
        }
        tally
    }

    /// Ends when `-z`'s time is over; never without `-z`.
    pub(super) async fn deadline_passed(&self) {
        let Some(length) = self.length else {
            return std::future::pending().await;
        };
        let begun = loop {
            if let Some(begun) = self.begun() {
                break begun;
            }
            self.began.notified().await;
        };
        tokio::time::sleep_until((begun + length).into()).await;
    }

    /// The counted part's length: `-z` (even when an open loop's last calls ended before its
    /// end), to the end of the last call (`-n`), or to Ctrl-C at `now`.
    pub(super) fn duration(&self, interrupted: bool, now: Instant) -> Duration {
        let Some(begun) = self.begun() else {
            return Duration::ZERO;
        };
        let end = match (self.length, interrupted) {
            (Some(length), false) => begun + length,
            (Some(length), true) => (begun + length).min(now),
            (None, true) => now,
            (None, false) => {
                let last = (0..self.shards.len())
                    .map(|index| self.shard(index).last_end)
                    .max()
                    .unwrap_or(0);
                self.instant(last)
            }
        };
        end.saturating_duration_since(begun)
    }
}

/// How one call went.
pub(super) struct Outcome {
    pub(super) result: Result<(), Status>,
    /// False when the call could not be sent, its connection being down: it failed, with no
    /// latency.
    pub(super) attempted: bool,
    /// Its connection broke: it is to be made again.
    pub(super) broke: bool,
    /// The response was a stream: `messages` and `first` count.
    pub(super) streamed: bool,
    pub(super) messages: u64,
    /// From the call's start to its first response message.
    pub(super) first: Option<Duration>,
}

impl Default for Outcome {
    fn default() -> Outcome {
        Outcome {
            result: Ok(()),
            attempted: true,
            broke: false,
            streamed: false,
            messages: 0,
            first: None,
        }
    }
}

impl Outcome {
    /// A call due while its connection was down, and why it was.
    pub(super) fn unattempted(why: &str) -> Outcome {
        Outcome {
            result: Err(Status::unavailable(format!("not attempted: {why}"))),
            attempted: false,
            ..Outcome::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{Expectations, UnknownFields};

    fn bench(stop: StopAfter, warmup: Option<Warmup>) -> Bench {
        Bench {
            method: "api.Api/sayHello".into(),
            data: None,
            data_order: None,
            unknown_fields: UnknownFields::Refuse,
            headers: Vec::new(),
            endpoints: Vec::new(),
            concurrency: 1,
            connections: 1,
            stop,
            rps: None,
            ramp: None,
            interval: None,
            hdr_log: None,
            html: None,
            split: None,
            start_at: None,
            warmup,
            threads: 2,
            expectations: Expectations(Vec::new()),
            compare: None,
        }
    }

    #[test]
    fn claims_count_after_the_warm_up_and_stop_at_the_total() {
        let epoch = Instant::now();
        let run = Run::starting(
            &bench(StopAfter::Calls(3), Some(Warmup::Calls(2))),
            1,
            epoch,
        );
        assert_eq!(run.begun(), None);
        let claims: Vec<Option<Claim>> = (0..6).map(|n| run.claim(n, epoch)).collect();
        let counted: Vec<Option<bool>> = claims.iter().map(|c| c.map(|c| c.counted)).collect();
        assert_eq!(
            counted,
            [
                Some(false),
                Some(false),
                Some(true),
                Some(true),
                Some(true),
                None
            ]
        );
        assert_eq!(run.begun(), Some(epoch));

        let run = Run::starting(&bench(StopAfter::Calls(2), None), 1, epoch);
        assert_eq!(run.begun(), Some(epoch));
        assert!(run.claim(0, epoch).unwrap().counted);
        assert!(run.claim(1, epoch).unwrap().counted);
        assert_eq!(run.claim(2, epoch), None);
    }

    #[test]
    fn a_timed_run_ends_its_length_after_a_timed_warm_up() {
        let epoch = Instant::now();
        let second = Duration::from_secs(1);
        let run = Run::starting(
            &bench(StopAfter::Time(2 * second), Some(Warmup::Time(second))),
            1,
            epoch,
        );
        assert_eq!(run.begun(), Some(epoch + second));
        let early = run.claim(0, epoch + second / 2).unwrap();
        assert!(!early.counted);
        assert!(run.claim(1, epoch + second).unwrap().counted);
        assert!(run.claim(2, epoch + 2 * second).unwrap().counted);
        assert_eq!(run.claim(3, epoch + 3 * second), None);
        assert_eq!(run.duration(false, epoch + 4 * second), 2 * second);
        // An open loop whose last calls were done before the end still ran its length.
        assert_eq!(run.duration(false, epoch + 2 * second), 2 * second);
        assert_eq!(run.duration(true, epoch + 2 * second), second);
    }

    #[test]
    fn a_counted_warm_up_starts_the_clock_at_the_first_counted_call() {
        let epoch = Instant::now();
        let second = Duration::from_secs(1);
        let run = Run::starting(
            &bench(StopAfter::Time(second), Some(Warmup::Calls(1))),
            1,
            epoch,
        );
        assert!(!run.claim(0, epoch).unwrap().counted);
        assert!(run.claim(1, epoch + second).unwrap().counted);
        assert_eq!(run.begun(), Some(epoch + second));
        assert!(run.claim(2, epoch + second * 3 / 2).unwrap().counted);
        assert_eq!(run.claim(3, epoch + 2 * second), None);
    }

    #[test]
    fn calls_go_into_the_interval_they_end_in_until_it_is_taken() {
        let epoch = Instant::now();
        let ms = Duration::from_millis(1);
        let mut settings = bench(StopAfter::Time(Duration::from_secs(1)), None);
        settings.interval = Some(100 * ms);
        let run = Run::starting(&settings, 1, epoch);
        let ok = Outcome::default();
        let failed = Outcome {
            result: Err(Status::internal("bug")),
            ..Outcome::default()
        };
        let addrs = ["h:1".to_owned()];
        run.record(0, 0, epoch, epoch + 50 * ms, &ok, &addrs);
        run.record(1, 0, epoch, epoch + 99 * ms, &failed, &addrs);
        run.record(0, 0, epoch, epoch + 100 * ms, &ok, &addrs);
        run.record(1, 0, epoch, epoch + 350 * ms, &ok, &addrs);
        let taken = run.take_intervals(2);
        let rows: Vec<(u64, u64, u64, u64)> = taken
            .iter()
            .map(|p| (p.index, p.count, p.errors, p.latency.len()))
            .collect();
        assert_eq!(rows, [(0, 2, 1, 2), (1, 1, 0, 1)]);
        // A call that ends in an interval already taken goes into the first one still open.
        run.record(
            0,
            0,
            epoch,
            epoch + 150 * ms,
            &Outcome::unattempted("down"),
            &addrs,
        );
        let rows: Vec<(u64, u64, u64, u64)> = run
            .take_intervals(u64::MAX)
            .iter()
            .map(|p| (p.index, p.count, p.errors, p.latency.len()))
            .collect();
        assert_eq!(rows, [(2, 1, 1, 0), (3, 1, 0, 1)]);
        assert_eq!(run.merged().count(), 5);
    }

    #[test]
    fn records_after_the_end_are_not_counted() {
        let epoch = Instant::now();
        let second = Duration::from_secs(1);
        let run = Run::starting(&bench(StopAfter::Time(second), None), 1, epoch);
        let ok = Outcome::default();
        let addrs = ["h:1".to_owned()];
        run.record(0, 0, epoch, epoch + second / 2, &ok, &addrs);
        run.record(1, 0, epoch, epoch + second, &ok, &addrs);
        run.record(0, 0, epoch, epoch + second * 2, &ok, &addrs);
        let mut latency = super::super::stats::histogram();
        assert_eq!(run.snapshot(&mut latency), (2, 0));
        assert_eq!(latency.len(), 2);
        assert_eq!(run.merged().count(), 2);
    }
}

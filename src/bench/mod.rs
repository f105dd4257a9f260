//! `apicli bench`: load-test any method, with live progress and exact percentiles.
//!
//! The method is resolved as `apicli call` resolves it, the request messages are encoded
//! (once, unless `-d` has placeholders), the load runs (`load.rs`), and its [`Report`] goes to
//! stdout; then the `--expect` conditions decide the exit code.

mod backoff;
mod body;
mod clock;
mod codec;
pub mod compare;
mod exchange;
mod failure;
mod goal;
mod hdr;
mod html;
mod intervals;
mod link;
mod live;
mod load;
pub mod merge;
mod outage;
pub mod print;
pub mod report;
mod run;
mod start;
mod stats;
mod verdict;

use std::{
    io::{self, BufWriter, Write as _},
    path::Path,
    time::{Duration, SystemTime},
};

use anyhow::Context as _;
use tonic::metadata::MetadataMap;

use load::{Calls, Kind, Measured};
pub use report::Report;
use report::{Endpoint, OpenLoop, Shape, Streams};

use crate::{
    call::CallRun,
    client,
    exit::{Interrupted, Unmet, UsageError},
    settings::{
        Bench, ClientSettings, Expectations, OutputFormat, Protocol, StopAfter, Target, Warmup,
    },
    transport::{connect::ConnectMethod, lane},
    whole_file::WholeFile,
};

/// Runs the load test on a runtime of `--threads` threads, prints the report, and checks the
/// expectations.
pub fn run(settings: &ClientSettings, bench: &Bench) -> anyhow::Result<()> {
    // A bad --compare file is a usage error, before any connection.
    let compare = load_compare(bench.compare.as_deref())?;
    let runtime = if bench.threads == 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(bench.threads)
            .enable_all()
            .build()?
    };
    // So is a --hdr-log that cannot be written.
    let hdr_log = match &bench.hdr_log {
        Some(path) => Some(WholeFile::create(path).map_err(|why| {
            UsageError(format!(
                "cannot write --hdr-log '{}': {why}",
                path.display()
            ))
        })?),
        None => None,
    };
    // And an --html page that cannot be.
    let page = bench.html.as_deref().map(html::Page::create).transpose()?;
    let (report, rows) = runtime.block_on(measure(settings, bench, hdr_log))?;
    // Nothing of the load is left to wait for.
    runtime.shutdown_background();
    print_report(&report, settings.output, compare.as_ref())?;
    if let Some(page) = page {
        page.write(&report, &rows)?;
    }
    if report.interrupted {
        return Err(Interrupted(String::new()).into());
    }
    judge(&report, &bench.expectations)
}

/// The earlier report of `--compare`, if given; a file that is not one is a usage error.
fn load_compare(path: Option<&Path>) -> Result<Option<Report>, UsageError> {
    path.map(|path| {
        compare::load(path)
            .map_err(|why| UsageError(format!("bad --compare '{}': {why}", path.display())))
    })
    .transpose()
}

/// Prints the report on stdout: a table, beside `compare` if given, or one line of JSON.
fn print_report(
    report: &Report,
    output: OutputFormat,
    compare: Option<&Report>,
) -> anyhow::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    match output {
        OutputFormat::Json => print::write_json(&mut out, report),
        // Refused before the run (settings): a report is not a message.
        OutputFormat::Table | OutputFormat::Text => print::write_table(&mut out, report, compare),
    }
    .and_then(|()| out.flush())
    .context("writing to stdout")?;
    Ok(())
}

/// Holds the report against the `--expect` conditions: an error naming those not met.
fn judge(report: &Report, expectations: &Expectations) -> anyhow::Result<()> {
    let unmet: Vec<String> = expectations
        .0
        .iter()
        .filter_map(|(_, expectation)| verdict::check(expectation, report))
        .collect();
    if !unmet.is_empty() {
        return Err(Unmet(unmet).into());
    }
    Ok(())
}

/// Resolves the method, encodes the requests, runs the load, and reports it; with the run's
/// intervals, which the report lists only with `--interval`, and `--html` draws.
async fn measure(
    settings: &ClientSettings,
    bench: &Bench,
    hdr_log: Option<WholeFile>,
) -> anyhow::Result<(Report, Vec<report::Interval>)> {
    let mut call_run = CallRun::new(settings)?;
    let (mut descriptors, _) = call_run.descriptors().await?;
    let method = call_run.race(descriptors.method(&bench.method)).await?;
    // The method and its messages are known: the reflection session ends beside the load.
    tokio::spawn(descriptors.close_reflection());
    let kind = Kind::of(&method);
    let shown = format!("{}/{}", method.parent_service().full_name(), method.name());
    call_run.check_streaming(None, &method, &shown)?;
    let body = body::Body::new(
        bench.data.as_ref(),
        &method.input(),
        kind.one_request(),
        &shown,
        bench.data_order,
        bench.unknown_fields,
    )?;
    let mut metadata = MetadataMap::new();
    for header in settings.metadata.iter().chain(&settings.rpc_metadata) {
        header.append_to(&mut metadata);
    }
    let targets: Vec<&Target> = bench.endpoints.iter().map(|(_, target)| target).collect();
    let lean = lane::heads_for_load(
        settings,
        &targets,
        kind == Kind::Unary,
        &format!("/{shown}"),
        &metadata,
    )
    .map_err(UsageError)?
    .unwrap_or_default();
    let calls = Calls {
        path: format!("/{shown}")
            .parse()
            .map_err(|_| UsageError(format!("'{shown}' cannot be a request path")))?,
        kind,
        body,
        metadata,
        headers: (bench.headers.iter())
            .map(|header| (header.name.clone(), header.value.clone()))
            .collect(),
        timeout: settings.timeout,
        max_message_size: settings.max_message_size,
        compression: client::compression(settings),
        addrs: bench.endpoints.iter().map(|(_, t)| t.display()).collect(),
        lean,
        // Connect tells unary calls from streams, and encodes JSON, by the method's mark.
        mark: (settings.protocol == Protocol::Connect).then(|| ConnectMethod::of(method.clone())),
    };
    let live = settings.progress.then(live::Live::new);
    let measured = load::run(settings, bench, calls, live, hdr_log).await?;
    // The load has just ended: its counted part ended moments ago, and lasted its duration.
    let ended = SystemTime::now();
    let report = report(bench, shown, kind, &measured, ended);
    Ok((report, measured.intervals))
}

fn report(
    bench: &Bench,
    method: String,
    kind: Kind,
    measured: &Measured,
    ended: SystemTime,
) -> Report {
    let tally = &measured.tally;
    let count = tally.count();
    let per_second = |n: u64| per_second(n, measured.duration);
    let addrs: Vec<String> = bench
        .endpoints
        .iter()
        .map(|(addr, _)| addr.clone())
        .collect();
    Report {
        method,
        kind: kind.name().to_owned(),
        shape: Shape {
            concurrency: bench.concurrency,
            connections: bench.connections,
            threads: u32::try_from(bench.threads).unwrap_or(u32::MAX),
            total: match bench.stop {
                StopAfter::Calls(total) => Some(total),
                StopAfter::Time(_) => None,
            },
            duration_us: match bench.stop {
                StopAfter::Time(length) => Some(stats::micros(length)),
                StopAfter::Calls(_) => None,
            },
            rps: bench.rps,
            warmup_calls: match bench.warmup {
                Some(Warmup::Calls(calls)) => Some(calls),
                _ => None,
            },
            warmup_us: match bench.warmup {
                Some(Warmup::Time(time)) => Some(stats::micros(time)),
                _ => None,
            },
            split: bench.split.map(|split| split.to_string()),
            start_at: bench.start_at.map(clock::format),
        },
        count,
        duration_us: stats::micros(measured.duration),
        rps: per_second(count),
        latency: tally.latency(),
        histogram: tally.buckets(),
        statuses: tally.statuses(),
        errors: tally.error_groups(),
        endpoints: tally
            .endpoints(&addrs)
            .into_iter()
            .zip(&measured.unreachable)
            .map(|(endpoint, unreachable)| Endpoint {
                unreachable_us: stats::micros(*unreachable),
                ..endpoint
            })
            .collect(),
        intervals: if bench.interval.is_some() {
            measured.intervals.clone()
        } else {
            Vec::new()
        },
        unreachable_us: measured.unreachable.iter().map(|d| stats::micros(*d)).sum(),
        open_loop: bench.rps.map(|target_rps| OpenLoop {
            target_rps,
            late: tally.late(),
        }),
        streams: kind.streams_responses().then(|| Streams {
            messages: tally.messages(),
            messages_per_s: per_second(tally.messages()),
            first_message: tally.first_message(),
        }),
        interrupted: measured.interrupted,
        unattempted: tally.unattempted(),
        started_at: Some(clock::format(
            ended.checked_sub(measured.duration).unwrap_or(ended),
        )),
        ended_at: Some(clock::format(ended)),
        parts: Vec::new(),
    }
}

fn per_second(n: u64, duration: Duration) -> f64 {
    if duration.is_zero() {
        0.0
    } else {
        n as f64 / duration.as_secs_f64()
    }
}

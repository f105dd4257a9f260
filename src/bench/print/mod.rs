//! The report of `apicli bench` (or `bench merge`) on stdout: a table for people, with text bars
//! for the latency histogram and, with `--compare`, each figure beside an earlier run's; or one
//! JSON line for programs (`-o json`).
//!
//! `blocks.rs` makes the table's blocks, `layout.rs` aligns them, `histogram.rs` draws the
//! bars, `intervals.rs` lists the intervals (last, as they can be many), and `format.rs` writes
//! every number and time.

mod blocks;
mod format;
mod histogram;
mod intervals;
mod layout;

use std::io::{self, Write};

use super::report::Report;
use blocks::{endpoints, errors, latency, parts, statuses, streams, summary};
pub use format::format_us;
use histogram::histogram;
pub(in crate::bench) use layout::Block;

/// Writes the report as one compact JSON object and a newline. Its field names are a public
/// interface (see `docs/bench-report.schema.json`). The report's rates must be finite numbers:
/// JSON has no NaN, and serde_json would write `null` for one.
pub fn write_json<W: Write>(out: &mut W, report: &Report) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    out.write_all(b"\n")
}

/// Writes the report as blocks of aligned figures, then the latency histogram. With
/// `compare`, each figure is followed by the earlier run's, the change in %, and whether
/// that is better or worse.
pub fn write_table<W: Write>(
    out: &mut W,
    report: &Report,
    compare: Option<&Report>,
) -> io::Result<()> {
    let mut first = true;
    for block in &blocks(report, compare) {
        if !first {
            out.write_all(b"\n")?;
        }
        first = false;
        block.write(out)?;
    }
    if report.histogram.iter().any(|bucket| bucket.count > 0) {
        if !first {
            out.write_all(b"\n")?;
        }
        histogram(out, &report.histogram)?;
        first = false;
    }
    if let Some(block) = intervals::intervals(report) {
        if !first {
            out.write_all(b"\n")?;
        }
        block.write(out)?;
    }
    Ok(())
}

/// The table's blocks of figures, in order, before the histogram and the intervals: also the
/// HTML page's summary, so that both say the same in the same words.
pub(in crate::bench) fn blocks(report: &Report, compare: Option<&Report>) -> Vec<Block> {
    [
        summary(report, compare),
        latency(report, compare),
        streams(report, compare),
        statuses(report, compare),
        errors(report, compare),
        endpoints(report, compare),
        parts(report, compare),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::bench::report::{Bucket, Endpoint, ErrorGroup, Latency, OpenLoop, Shape, Streams};

    fn latency(base: u64) -> Latency {
        Latency {
            min_us: base,
            mean_us: base as f64 * 2.345,
            p50_us: base * 2,
            p90_us: base * 3,
            p95_us: base * 4,
            p99_us: base * 6,
            p999_us: base * 9,
            p9999_us: base * 11,
            max_us: base * 12,
            hdr_histogram: Some("HISTFAAAAA".into()),
        }
    }

    /// A closed-loop unary run of 10000 calls, 12 of them failed, over two endpoints.
    fn unary() -> Report {
        Report {
            method: "api.Api/sayHello".into(),
            kind: "unary".into(),
            shape: Shape {
                concurrency: 50,
                connections: 2,
                threads: 2,
                total: Some(10_000),
                duration_us: None,
                rps: None,
                warmup_calls: Some(100),
                warmup_us: None,
                split: None,
                start_at: None,
            },
            count: 10_000,
            duration_us: 1_250_000,
            rps: 8000.0,
            latency: latency(420),
            histogram: vec![
                Bucket {
                    upper_us: 900,
                    count: 1200,
                },
                Bucket {
                    upper_us: 1_500,
                    count: 6000,
                },
                Bucket {
                    upper_us: 2_500,
                    count: 2500,
                },
                Bucket {
                    upper_us: 3_500,
                    count: 0,
                },
                Bucket {
                    upper_us: 5_040,
                    count: 300,
                },
            ],
            statuses: BTreeMap::from([("OK".into(), 9988), ("UNAVAILABLE".into(), 12)]),
            errors: vec![ErrorGroup {
                status: "UNAVAILABLE".into(),
                message: "connection refused".into(),
                count: 12,
            }],
            endpoints: vec![
                Endpoint {
                    addr: "127.0.0.1:50051".into(),
                    count: 5000,
                    errors: 0,
                    unreachable_us: 0,
                },
                Endpoint {
                    addr: "127.0.0.1:50052".into(),
                    count: 5000,
                    errors: 12,
                    unreachable_us: 0,
                },
            ],
            intervals: Vec::new(),
            open_loop: None,
            streams: None,
            interrupted: false,
            unreachable_us: 0,
            unattempted: 0,
            started_at: None,
            ended_at: None,
            parts: Vec::new(),
        }
    }

    fn table(report: &Report, compare: Option<&Report>) -> String {
        let mut out = Vec::new();
        write_table(&mut out, report, compare).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// An earlier run of `unary`: slower, with more errors, on one endpoint.
    fn earlier() -> Report {
        let mut old = unary();
        old.shape.concurrency = 20;
        old.duration_us = 1_562_500;
        old.rps = 6400.0;
        old.latency = latency(525);
        old.statuses = BTreeMap::from([
            ("OK".into(), 9970),
            ("DEADLINE_EXCEEDED".into(), 10),
            ("UNAVAILABLE".into(), 20),
        ]);
        old.errors[0].count = 20;
        old.endpoints.truncate(1);
        old
    }

    /// An open-loop server-streaming run, cut short.
    fn streaming() -> Report {
        let mut report = unary();
        report.method = "routeguide.RouteGuide/ListFeatures".into();
        report.kind = "server-streaming".into();
        report.shape.total = None;
        report.shape.warmup_calls = None;
        report.shape.duration_us = Some(5_000_000);
        report.shape.rps = Some(2000.0);
        report.shape.warmup_us = Some(500_000);
        report.open_loop = Some(OpenLoop {
            target_rps: 2000.0,
            late: 1,
        });
        report.streams = Some(Streams {
            messages: 640_000,
            messages_per_s: 512_000.0,
            first_message: latency(150),
        });
        report.interrupted = true;
        report.endpoints.truncate(1);
        report
    }

    #[test]
    fn table_of_a_unary_run() {
        assert_eq!(
            table(&unary(), None),
            "\
Summary
  method      api.Api/sayHello (unary)
  shape       concurrency 50, connections 2, threads 2, total 10000, warmup 100 calls
  calls        10000
  duration     1.25s
  req/s       8000.0
  errors          12
  error rate   0.12%

Latency
  min      420µs
  mean     985µs
  p50      840µs
  p90     1.26ms
  p95     1.68ms
  p99     2.52ms
  p99.9   3.78ms
  p99.99  4.62ms
  max     5.04ms

Statuses
  OK           9988
  UNAVAILABLE    12

Errors
  UNAVAILABLE  12  connection refused

Endpoints          calls  errors
  127.0.0.1:50051   5000       0
  127.0.0.1:50052   5000      12

Histogram
   900µs [1200] ■■■■■■■■
  1.50ms [6000] ■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■
  2.50ms [2500] ■■■■■■■■■■■■■■■■■
  3.50ms [   0]
  5.04ms [ 300] ■■
"
        );
    }

    #[test]
    fn a_run_that_lost_its_server_says_for_how_long() {
        let mut report = unary();
        report.unreachable_us = 2_500_000;
        report.endpoints[1].unreachable_us = 2_500_000;
        let text = table(&report, None);
        assert!(
            text.contains(
                "  error rate    0.12%\n  unreachable   2.50s\n  calls due while the server \
                 was unreachable count as UNAVAILABLE, not attempted\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "Endpoints          calls  errors  unreachable\n\
                 \x20 127.0.0.1:50051   5000       0          0µs\n\
                 \x20 127.0.0.1:50052   5000      12        2.50s\n"
            ),
            "{text}"
        );
        // A run that never lost it says nothing of it.
        assert!(!table(&unary(), None).contains("unreachable"));
    }

    #[test]
    fn table_beside_an_earlier_run() {
        assert_eq!(
            table(&unary(), Some(&earlier())),
            "\
Summary
  method      api.Api/sayHello (unary)
  shape       concurrency 50, connections 2, threads 2, total 10000, warmup 100 calls  (was concurrency 20)
  calls        10000  (was 10000, +0.0%)
  duration     1.25s  (was 1.56s, -20.0%)
  req/s       8000.0  (was 6400.0, +25.0%, better)
  errors          12  (was 30, -60.0%, better)
  error rate   0.12%  (was 0.30%, -60.0%, better)

Latency
  min      420µs  (was 525µs, -20.0%, better)
  mean     985µs  (was 1.23ms, -20.0%, better)
  p50      840µs  (was 1.05ms, -20.0%, better)
  p90     1.26ms  (was 1.58ms, -20.0%, better)
  p95     1.68ms  (was 2.10ms, -20.0%, better)
  p99     2.52ms  (was 3.15ms, -20.0%, better)
  p99.9   3.78ms  (was 4.73ms, -20.0%, better)
  p99.99  4.62ms  (was 5.78ms, -20.0%, better)
  max     5.04ms  (was 6.30ms, -20.0%, better)

Statuses
  DEADLINE_EXCEEDED     0  (was 10, -100.0%, better)
  OK                 9988  (was 9970, +0.2%)
  UNAVAILABLE          12  (was 20, -40.0%, better)

Errors
  UNAVAILABLE  12  connection refused  (was 20, -40.0%, better)

Endpoints          calls  errors
  127.0.0.1:50051   5000       0  (was 5000 calls, 0 errors)
  127.0.0.1:50052   5000      12

Histogram
   900µs [1200] ■■■■■■■■
  1.50ms [6000] ■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■
  2.50ms [2500] ■■■■■■■■■■■■■■■■■
  3.50ms [   0]
  5.04ms [ 300] ■■
"
        );
    }

    #[test]
    fn worse_is_said_too() {
        let printed = table(&earlier(), Some(&unary()));
        assert!(
            printed.contains("  req/s       6400.0  (was 8000.0, -20.0%, worse)\n"),
            "{printed}"
        );
        assert!(
            printed.contains("  p99     3.15ms  (was 2.52ms, +25.0%, worse)\n"),
            "{printed}"
        );
        assert!(
            printed.contains("  DEADLINE_EXCEEDED    10  (was 0, worse)\n"),
            "{printed}"
        );
    }

    #[test]
    fn table_of_an_interrupted_open_loop_stream() {
        assert_eq!(
            table(&streaming(), None),
            "\
Summary
  method      routeguide.RouteGuide/ListFeatures (server-streaming)
  shape       concurrency 50, connections 2, threads 2, rps 2000, duration 5.00s, warmup 500.00ms
  calls        10000
  duration     1.25s
  req/s       8000.0
  errors          12
  error rate   0.12%
  open loop at 2000 req/s: latency from each call's scheduled start (coordinated omission corrected); 1 call started late
  interrupted: figures cover the calls that completed

Latency
  min      420µs
  mean     985µs
  p50      840µs
  p90     1.26ms
  p95     1.68ms
  p99     2.52ms
  p99.9   3.78ms
  p99.99  4.62ms
  max     5.04ms

Streams
  messages             640000
  messages/s         512000.0
  first message p50     300µs
  first message p99     900µs

Statuses
  OK           9988
  UNAVAILABLE    12

Errors
  UNAVAILABLE  12  connection refused

Histogram
   900µs [1200] ■■■■■■■■
  1.50ms [6000] ■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■
  2.50ms [2500] ■■■■■■■■■■■■■■■■■
  3.50ms [   0]
  5.04ms [ 300] ■■
"
        );
    }

    #[test]
    fn streams_beside_an_earlier_stream() {
        let mut old = streaming();
        old.streams = Some(Streams {
            messages: 500_000,
            messages_per_s: 640_000.0,
            first_message: latency(100),
        });
        old.interrupted = false;
        let printed = table(&streaming(), Some(&old));
        assert!(
            printed.contains(
                "\
Streams
  messages             640000  (was 500000, +28.0%)
  messages/s         512000.0  (was 640000.0, -20.0%, worse)
  first message p50     300µs  (was 200µs, +50.0%, worse)
  first message p99     900µs  (was 600µs, +50.0%, worse)
"
            ),
            "{printed}"
        );
        assert!(
            !printed.contains("earlier run was interrupted"),
            "{printed}"
        );
        let printed = table(&old, Some(&streaming()));
        assert!(
            printed.contains(
                "started late\n  the earlier run was interrupted: its figures cover the calls \
                 that completed\n"
            ),
            "{printed}"
        );
        assert!(!printed.contains("\n  interrupted"), "{printed}");
    }

    #[test]
    fn a_run_without_calls_prints_without_a_histogram() {
        let mut report = unary();
        report.count = 0;
        report.rps = 0.0;
        report.latency = latency(0);
        report.histogram.clear();
        report.statuses.clear();
        report.errors.clear();
        report.endpoints.truncate(1);
        let printed = table(&report, Some(&report));
        // Nothing to take a % of: the earlier figure alone.
        assert!(
            printed.contains("  error rate  0.00%  (was 0.00%)\n"),
            "{printed}"
        );
        assert!(printed.contains("  p99     0µs  (was 0µs)\n"), "{printed}");
        assert!(!printed.contains("Histogram"), "{printed}");
        assert!(!printed.contains("Statuses"), "{printed}");
        assert!(printed.ends_with("  max     0µs  (was 0µs)\n"), "{printed}");
    }

    #[test]
    fn odd_figures_do_not_break_the_table() {
        let mut report = unary();
        report.rps = f64::NAN;
        report.latency.mean_us = f64::INFINITY;
        report.latency.max_us = u64::MAX;
        report.errors[0].message = "two\nlines\x1b[31m".into();
        report.histogram = vec![Bucket {
            upper_us: u64::MAX,
            count: u64::MAX,
        }];
        let printed = table(&report, Some(&unary()));
        assert!(
            printed.contains("  req/s           -  (was 8000.0)\n"),
            "{printed}"
        );
        assert!(
            printed.contains("                    -  (was 985µs)\n"),
            "{printed}"
        );
        assert!(
            printed.contains("  UNAVAILABLE  12  two\\nlines\\u{1b}[31m  (was 0, worse)\n"),
            "{printed}"
        );
        let bars = "■".repeat(40);
        assert!(
            printed.ends_with(&format!(
                "  18446744073709.55s [18446744073709551615] {bars}\n"
            )),
            "{printed}"
        );
    }

    #[test]
    fn intervals_come_last_one_row_each() {
        use crate::bench::report::Interval;
        let mut report = unary();
        report.intervals = vec![
            Interval {
                start_us: 0,
                count: 4000,
                rps: 4000.0,
                p50_us: 800,
                p99_us: 2_400,
                errors: 0,
                target: Some(3500.0),
            },
            Interval {
                start_us: 1_000_000,
                count: 6000,
                rps: 24_000.0,
                p50_us: 900,
                p99_us: 12_500,
                errors: 12,
                target: Some(4749.5),
            },
        ];
        let text = table(&report, None);
        assert!(
            text.ends_with(
                "  5.04ms [ 300] ■■\n\n\
Intervals       req/s    p50      p99  errors  target
  from 0s      4000.0  800µs   2.40ms       0  3500.0
  from 1.00s  24000.0  900µs  12.50ms      12  4749.5
"
            ),
            "{text}"
        );
        // Without a target, no such column.
        for interval in &mut report.intervals {
            interval.target = None;
        }
        let text = table(&report, None);
        assert!(
            text.contains("Intervals       req/s    p50      p99  errors\n"),
            "{text}"
        );
    }

    #[test]
    fn a_merged_report_lists_its_parts() {
        let mut report = unary();
        report.started_at = Some("2026-03-01T09:30:00.000000Z".into());
        report.ended_at = Some("2026-03-01T09:30:01.250000Z".into());
        let part = |source: &str, errors, rps, p99_us| crate::bench::report::Part {
            source: source.into(),
            started_at: "2026-03-01T09:30:00.000000Z".into(),
            ended_at: "2026-03-01T09:30:01.250000Z".into(),
            count: 5000,
            errors,
            duration_us: 1_250_000,
            rps,
            p50_us: 840,
            p99_us,
            intervals: Vec::new(),
        };
        report.parts = vec![
            part("runs/pod-0.json", 0, 4000.0, 2_100),
            part("runs/all.ndjson line 2", 12, 3999.5, 2_520),
        ];
        let printed = table(&report, None);
        assert!(
            printed.contains(
                "\
Parts                     calls  errors   req/s    p50     p99
  runs/pod-0.json          5000       0  4000.0  840µs  2.10ms
  runs/all.ndjson line 2   5000      12  3999.5  840µs  2.52ms
  req/s of the whole over the union of the parts' windows, 2026-03-01T09:30:00.000000Z to \
                 2026-03-01T09:30:01.250000Z

Histogram
"
            ),
            "{printed}"
        );
        assert!(!table(&unary(), None).contains("Parts"));
    }

    #[test]
    fn an_earlier_report_without_histograms_has_no_tail_percentile() {
        let mut old = earlier();
        old.latency.hdr_histogram = None;
        old.latency.p9999_us = 0;
        let printed = table(&unary(), Some(&old));
        assert!(printed.contains("  p99.99  4.62ms\n"), "{printed}");
        assert!(
            printed.contains("  p99.9   3.78ms  (was 4.73ms, -20.0%, better)\n"),
            "{printed}"
        );
    }

    #[test]
    fn json_is_one_line_that_reads_back() {
        let mut out = Vec::new();
        write_json(&mut out, &streaming()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches('\n').count(), 1);
        assert!(text.ends_with("}\n"));
        assert!(text.starts_with(r#"{"method":"routeguide.RouteGuide/ListFeatures","kind":"server-streaming","shape":{"concurrency":50,"#));
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, streaming());
    }
}

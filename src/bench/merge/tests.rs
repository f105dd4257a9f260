//! Merging reports written to files, as `apicli bench merge` reads them: the merged figures are
//! those of one report of every call, and a report that cannot be merged is named.

use std::{
    path::PathBuf,
    time::{Duration, SystemTime},
};

use proptest::prelude::*;
use tonic::Code;

use super::merged;
use crate::{
    bench::{
        clock,
        print::write_json,
        report::{Report, example},
        stats::{self, Ended, Tally},
    },
    settings::{BenchMerge, Expectations, OutputFormat, ReportInput},
};

/// 2026-03-01T09:30:00Z, and `seconds` after.
fn at(seconds: f64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_357_400) + Duration::from_secs_f64(seconds)
}

/// A unary run of these latencies, the first `failed` of them UNAVAILABLE, over
/// `start..start + length` seconds, as `bench` reports it.
fn run(latencies_us: &[u64], failed: usize, start: f64, length: f64) -> Report {
    let mut tally = Tally::new(1);
    for (i, us) in latencies_us.iter().enumerate() {
        let ended = if i < failed {
            Ended::Failed(Code::Unavailable, "down")
        } else {
            Ended::Ok
        };
        tally.record(0, Duration::from_micros(*us), ended);
    }
    let duration = Duration::from_secs_f64(length);
    Report {
        count: tally.count(),
        duration_us: stats::micros(duration),
        rps: tally.count() as f64 / length,
        latency: tally.latency(),
        histogram: tally.buckets(),
        statuses: tally.statuses(),
        errors: tally.error_groups(),
        endpoints: tally.endpoints(&["127.0.0.1:50051".to_owned()]),
        started_at: Some(clock::format(at(start))),
        ended_at: Some(clock::format(at(start) + duration)),
        ..example()
    }
}

/// Writes each report to a file of its own (a JSON line), in `dir`.
fn files(dir: &tempfile::TempDir, reports: &[Report]) -> Vec<PathBuf> {
    reports
        .iter()
        .enumerate()
        .map(|(i, report)| {
            let path = dir.path().join(format!("part-{i}.json"));
            let mut line = Vec::new();
            write_json(&mut line, report).unwrap();
            std::fs::write(&path, line).unwrap();
            path
        })
        .collect()
}

fn merge_files(paths: &[PathBuf]) -> Result<Report, String> {
    merged(&BenchMerge {
        inputs: paths.iter().cloned().map(ReportInput::File).collect(),
        output: OutputFormat::Json,
        expectations: Expectations(Vec::new()),
        compare: None,
        html: None,
    })
    .map_err(|err| err.0)
}

fn merge(reports: &[Report]) -> Result<Report, String> {
    let dir = tempfile::tempdir().unwrap();
    merge_files(&files(&dir, reports))
}

/// The latency histogram of all these latencies at once.
fn all(latencies_us: &[&[u64]]) -> hdrhistogram::Histogram<u64> {
    let mut histogram = stats::histogram();
    for us in latencies_us.iter().flat_map(|l| l.iter()) {
        histogram.saturating_record(*us);
    }
    histogram
}

#[test]
fn merged_figures_are_those_of_every_call() {
    let a: Vec<u64> = (1..=900).map(|i| 200 + i * 3).collect();
    let b: Vec<u64> = (1..=100).map(|i| 5_000 + i * 97).collect();
    let merged = merge(&[run(&a, 2, 0.0, 2.0), run(&b, 1, 1.5, 2.0)]).unwrap();
    assert_eq!(merged.count, 1000);
    assert_eq!(
        merged.statuses.into_iter().collect::<Vec<_>>(),
        [("OK".to_owned(), 997), ("UNAVAILABLE".to_owned(), 3)]
    );
    assert_eq!(merged.errors.len(), 1);
    assert_eq!(merged.errors[0].count, 3);
    assert_eq!(merged.endpoints.len(), 1);
    assert_eq!(
        (merged.endpoints[0].count, merged.endpoints[0].errors),
        (1000, 3)
    );
    // Exact: the percentiles of one histogram of every call, not an average of the parts'.
    let truth = all(&[&a, &b]);
    assert_eq!(merged.latency, stats::latency_of(&truth));
    assert_eq!(merged.latency.p99_us, truth.value_at_quantile(0.99));
    assert_eq!(merged.histogram, stats::buckets(&truth));
    // Over the union of the windows: from 0 s to 3.5 s.
    assert_eq!(merged.duration_us, 3_500_000);
    assert!((merged.rps - 1000.0 / 3.5).abs() < 1e-9, "{}", merged.rps);
    assert_eq!(
        merged.started_at.as_deref(),
        Some("2026-03-01T09:30:00.000000Z")
    );
    assert_eq!(
        merged.ended_at.as_deref(),
        Some("2026-03-01T09:30:03.500000Z")
    );
    // Each part with its own figures.
    let parts: Vec<(u64, u64, f64)> = merged
        .parts
        .iter()
        .map(|p| (p.count, p.errors, p.rps))
        .collect();
    assert_eq!(parts, [(900, 2, 450.0), (100, 1, 50.0)]);
    assert!(
        merged.parts[0].source.ends_with("part-0.json"),
        "{:?}",
        merged.parts
    );
    // Shapes side by side.
    assert_eq!(merged.shape.concurrency, 100);
    assert_eq!(merged.shape.total, Some(2000));
}

#[test]
fn a_merged_report_merges_again_as_its_parts_would() {
    let reports = [
        run(&[100, 200, 300], 0, 0.0, 1.0),
        run(&[400, 500], 1, 0.5, 1.0),
        run(&[600; 7], 0, 2.0, 0.25),
    ];
    let dir = tempfile::tempdir().unwrap();
    let paths = files(&dir, &reports);
    let first_two = merge_files(&paths[..2]).unwrap();
    let again_path = dir.path().join("merged.json");
    let mut line = Vec::new();
    write_json(&mut line, &first_two).unwrap();
    std::fs::write(&again_path, line).unwrap();
    let in_two_steps = merge_files(&[again_path, paths[2].clone()]).unwrap();
    let at_once = merge_files(&paths).unwrap();
    assert_eq!(in_two_steps, at_once);
    assert_eq!(at_once.parts.len(), 3);
    assert_eq!(at_once.count, 12);
}

#[test]
fn several_reports_in_one_input_are_named_by_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.ndjson");
    let mut text = Vec::new();
    write_json(&mut text, &run(&[100], 0, 0.0, 1.0)).unwrap();
    write_json(&mut text, &run(&[200], 0, 1.0, 1.0)).unwrap();
    let mut other = run(&[300], 0, 2.0, 1.0);
    other.method = "api.Api/getAll".into();
    std::fs::write(&path, &text).unwrap();
    let merged = merge_files(std::slice::from_ref(&path)).unwrap();
    assert_eq!(merged.count, 2);
    let sources: Vec<&str> = merged.parts.iter().map(|p| p.source.as_str()).collect();
    let name = path.display().to_string();
    assert_eq!(
        sources,
        [format!("{name} line 1"), format!("{name} line 2")]
    );
    write_json(&mut text, &other).unwrap();
    std::fs::write(&path, &text).unwrap();
    assert_eq!(
        merge_files(std::slice::from_ref(&path)).unwrap_err(),
        format!(
            "cannot merge '{name}' line 3: it measured api.Api/getAll (unary), and '{name}' line \
             1 measured api.Api/sayHello (unary): only runs of one method merge"
        )
    );
}

/// Why `edit` makes a report, merged beside a sound one, refused: the message, less the
/// file's name.
fn refusal(edit: impl Fn(&mut serde_json::Value)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let paths = files(
        &dir,
        &[
            run(&[100, 200], 0, 0.0, 1.0),
            run(&[300, 400, 500], 1, 0.0, 1.0),
        ],
    );
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&paths[1]).unwrap()).unwrap();
    edit(&mut value);
    std::fs::write(&paths[1], serde_json::to_vec(&value).unwrap()).unwrap();
    let err = merge_files(&paths).unwrap_err();
    let prefix = format!("cannot merge '{}': ", paths[1].display());
    assert!(err.starts_with(&prefix), "{err}");
    assert!(!err.contains('\n'), "{err}");
    err[prefix.len()..].to_owned()
}

#[test]
fn reports_that_cannot_be_merged_are_named_with_why() {
    let tampered = "cut short or tampered with";
    let why = refusal(|v| v["method"] = "api.Api/getAll".into());
    assert!(
        why.starts_with("it measured api.Api/getAll (unary), and '"),
        "{why}"
    );
    assert!(
        why.ends_with(
            "part-0.json' measured api.Api/sayHello (unary): only runs of one method merge"
        ),
        "{why}"
    );
    // A report of an earlier version: no histogram.
    assert_eq!(
        refusal(|v| {
            v["latency"]
                .as_object_mut()
                .unwrap()
                .remove("hdr_histogram");
        }),
        "it was written by an earlier apicli, without histograms, and cannot be merged; run it \
         again with this version"
    );
    let why = refusal(|v| v["latency"]["hdr_histogram"] = "HISTF!!!".into());
    assert!(
        why.starts_with("latency.hdr_histogram: not base64"),
        "{why}"
    );
    let why = refusal(|v| {
        let text = v["latency"]["hdr_histogram"].as_str().unwrap().to_owned();
        v["latency"]["hdr_histogram"] = text[..text.len() - 12].into();
    });
    assert!(why.starts_with("latency.hdr_histogram: "), "{why}");
    assert!(why.contains(tampered) || why.contains("base64"), "{why}");
    assert_eq!(
        refusal(|v| v["count"] = 4.into()),
        format!(
            "its count (4) is not the calls of its histogram (3) and those not attempted (0): \
             {tampered}"
        )
    );
    assert_eq!(
        refusal(|v| v["statuses"]["OK"] = 5.into()),
        format!("its statuses do not add up to its count (3): {tampered}")
    );
    assert_eq!(
        refusal(|v| v["latency"]["p99_us"] = 450.into()),
        format!("its latency.p99_us (450) is not its histogram's (500): {tampered}")
    );
    assert_eq!(
        refusal(|v| v["started_at"] = "yesterday".into()),
        "started_at: 'yesterday' is not an RFC 3339 time in UTC, e.g. 2026-03-01T09:30:00Z \
         (timestamp format is invalid)"
    );
    let why = refusal(|v| v["latency"]["p99_us"] = "fast".into());
    assert!(
        why.starts_with("not an apicli bench report: field latency.p99_us: "),
        "{why}"
    );
}

#[test]
fn inputs_that_hold_no_report_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "\n").unwrap();
    assert_eq!(
        merge_files(std::slice::from_ref(&empty)).unwrap_err(),
        format!(
            "cannot merge '{}': holds no report: it is empty",
            empty.display()
        )
    );
    let cut = dir.path().join("cut.json");
    let mut line = Vec::new();
    write_json(&mut line, &run(&[100], 0, 0.0, 1.0)).unwrap();
    std::fs::write(&cut, &line[..line.len() / 2]).unwrap();
    let err = merge_files(std::slice::from_ref(&cut)).unwrap_err();
    assert!(
        err.starts_with(&format!(
            "cannot merge '{}' line 1: not JSON",
            cut.display()
        )),
        "{err}"
    );
    let missing = dir.path().join("missing.json");
    assert_eq!(
        merge_files(std::slice::from_ref(&missing)).unwrap_err(),
        format!(
            "cannot merge '{}': no such file or directory",
            missing.display()
        )
    );
}

/// A report with the histograms of a million calls spread as wide as real runs spread (from
/// 100 µs to a second, log-uniform, every latency a distinct value where the histogram tells
/// them apart), for a stream so that it carries two: it stays under 64 KiB of JSON.
#[test]
fn a_report_of_a_million_calls_is_under_64_kib() {
    let mut latency = stats::histogram();
    let mut first = stats::histogram();
    // A fixed generator: the same spread on every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..1_000_000 {
        latency.saturating_record((100.0 * 10_000f64.powf(next())) as u64);
        first.saturating_record((50.0 * 10_000f64.powf(next())) as u64);
    }
    let mut report = run(&[], 0, 0.0, 10.0);
    report.count = latency.len();
    report.latency = stats::latency_of(&latency);
    report.histogram = stats::buckets(&latency);
    report.kind = "server-streaming".into();
    report.streams = Some(crate::bench::report::Streams {
        messages: 10_000_000,
        messages_per_s: 1_000_000.0,
        first_message: stats::latency_of(&first),
    });
    let mut json = Vec::new();
    write_json(&mut json, &report).unwrap();
    assert!(json.len() <= 64 * 1024, "{} bytes", json.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Reports merged are one report of all their calls: the same count, statuses and figures.
    #[test]
    fn merging_is_one_report_of_every_call(
        parts in prop::collection::vec(
            (prop::collection::vec(1u64..5_000_000, 0..200), 0usize..10),
            1..6,
        )
    ) {
        let reports: Vec<Report> = parts
            .iter()
            .enumerate()
            .map(|(i, (latencies, failed))| run(latencies, (*failed).min(latencies.len()), i as f64, 1.0))
            .collect();
        let merged = merge(&reports).unwrap();
        let latencies: Vec<&[u64]> = parts.iter().map(|(l, _)| l.as_slice()).collect();
        let truth = all(&latencies);
        let failed: usize = parts.iter().map(|(l, f)| (*f).min(l.len())).sum();
        prop_assert_eq!(merged.count, truth.len());
        prop_assert_eq!(merged.error_count(), failed as u64);
        prop_assert_eq!(&merged.latency, &stats::latency_of(&truth));
        prop_assert_eq!(&merged.histogram, &stats::buckets(&truth));
        prop_assert_eq!(merged.parts.len(), parts.len());
    }
}

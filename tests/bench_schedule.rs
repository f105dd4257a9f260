//! `apicli bench`'s load schedules and per-interval reports: `--rps A:B --ramp`, `--rps-step`,
//! `-c A:B --ramp`, `--interval` and `--hdr-log`. The real binary against `apicli serve` on
//! 127.0.0.1, for a few seconds each. This machine is shared and noisy: the tests check counts
//! and the shape of the load, with loose bounds on timing.

mod common;

use std::{fs, path::Path, process::Output};

use common::{Server, apicli, assert_exit, assert_one_error_line, output_of, run, stdout};
use hdrhistogram::{
    Histogram,
    serialization::{
        Deserializer,
        interval_log::{IntervalLogIterator, LogEntry},
    },
};
use serde_json::{Value, json};

/// Runs `apicli bench ARGS… -o json` and returns the report, after checking the exit code.
fn bench_json(args: &[&str]) -> (Value, Output) {
    let output = run(&[&["bench"], args, &["-o", "json"]].concat());
    assert_exit(&output, 0);
    let report = serde_json::from_str(&stdout(&output)).expect("the report is JSON");
    (report, output)
}

/// `apicli bench ARGS…`, expected to fail with exit 2 and one line that holds `needle`, before
/// any report.
fn refused(args: &[&str], needle: &str) {
    let output = run(&[&["bench"], args].concat());
    assert_exit(&output, 2);
    assert_one_error_line(&output, needle);
    assert_eq!(stdout(&output), "", "{args:?}");
}

/// A field of each interval.
fn column(report: &Value, field: &str) -> Vec<f64> {
    report["intervals"]
        .as_array()
        .expect("intervals is an array")
        .iter()
        .map(|row| row[field].as_f64().unwrap_or(f64::NAN))
        .collect()
}

/// The intervals' counts add up to the report's.
fn assert_intervals_add_up(report: &Value) {
    let counts = column(report, "count");
    assert_eq!(
        counts.iter().sum::<f64>() as u64,
        report["count"].as_u64().unwrap(),
        "{report}"
    );
    let errors = column(report, "errors");
    let statuses = report["statuses"].as_object().unwrap();
    let failed: u64 = statuses
        .iter()
        .filter(|(name, _)| name.as_str() != "OK")
        .map(|(_, n)| n.as_u64().unwrap())
        .sum();
    assert_eq!(errors.iter().sum::<f64>() as u64, failed, "{report}");
}

/// `got` is within `share` of `want` either way.
fn near(got: f64, want: f64, share: f64) -> bool {
    (got - want).abs() <= want * share
}

#[test]
fn a_rate_ramp_rises_interval_by_interval_as_scheduled() {
    let server = Server::start(&["-q"]);
    // 50/s rising to 450/s over 2 s, then 450/s: in half-second intervals, mean rates of 100,
    // 200, 300, 400, 450, 450.
    let (report, _) = bench_json(&[
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "--rps",
        "50:450",
        "--ramp",
        "2s",
        "-z",
        "3s",
        "--interval",
        "500ms",
    ]);
    let targets = column(&report, "target");
    let want = [100.0, 200.0, 300.0, 400.0, 450.0, 450.0];
    assert_eq!(targets.len(), want.len(), "{report}");
    for (target, want) in targets.iter().zip(want) {
        assert!((target - want).abs() < 1e-6, "{targets:?}");
    }
    assert_intervals_add_up(&report);
    // 950 calls due; the machine may lag, but not by much over three seconds.
    let count = report["count"].as_f64().unwrap();
    assert!(near(count, 950.0, 0.15), "{count} calls: {report}");
    let rates = column(&report, "rps");
    for (rate, target) in rates.iter().zip(&targets) {
        assert!(near(*rate, *target, 0.5), "rates {rates:?} for {targets:?}");
    }
    assert!(rates[3] > rates[0] * 2.0, "{rates:?}");
    let starts = column(&report, "start_us");
    assert_eq!(
        starts,
        [
            0.0,
            500_000.0,
            1_000_000.0,
            1_500_000.0,
            2_000_000.0,
            2_500_000.0
        ]
    );
    // The report's rate is the ramp's top.
    assert_eq!(report["shape"]["rps"], 450.0);
    assert_eq!(report["open_loop"]["target_rps"], 450.0);
}

#[test]
fn rate_steps_add_their_rate_every_step() {
    let server = Server::start(&["-q"]);
    // 100/s more every half second from 100/s, up to 400/s: 100, 200, 300, 400, 400.
    let (report, _) = bench_json(&[
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "--rps",
        "400",
        "--rps-step",
        "100/500ms",
        "-z",
        "2500ms",
        "--interval",
        "500ms",
    ]);
    assert_eq!(
        column(&report, "target"),
        [100.0, 200.0, 300.0, 400.0, 400.0]
    );
    assert_intervals_add_up(&report);
    let counts = column(&report, "count");
    for (count, want) in counts.iter().zip([50.0, 100.0, 150.0, 200.0, 200.0]) {
        assert!(near(*count, want, 0.5), "{counts:?}");
    }
    let count = report["count"].as_f64().unwrap();
    assert!(near(count, 700.0, 0.15), "{count} calls: {report}");
}

#[test]
fn a_concurrency_ramp_adds_callers_as_it_rises() {
    // Each call takes 20 ms, so each caller makes about 50 calls a second.
    let dir = tempfile::tempdir().unwrap();
    let stubs = json!([
        {"method": "api.Api/sayHello", "delay": "20ms", "reply": {"message": {"message": "hi"}}}
    ]);
    let path = dir.path().join("stubs.json");
    fs::write(&path, stubs.to_string()).unwrap();
    let server = Server::start(&["-q", "--stubs", &path.display().to_string()]);
    let (report, _) = bench_json(&[
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "-c",
        "1:8",
        "--ramp",
        "2s",
        "-z",
        "3s",
        "--interval",
        "500ms",
    ]);
    assert_intervals_add_up(&report);
    let targets = column(&report, "target");
    assert_eq!(targets.len(), 6, "{report}");
    assert!(targets.windows(2).all(|w| w[0] <= w[1]), "{targets:?}");
    assert_eq!(targets[0], 1.875);
    assert_eq!(targets[5], 8.0);
    let counts = column(&report, "count");
    // One or two callers at first, eight at the end.
    assert!(counts[0] > 0.0 && counts[0] < 100.0, "{counts:?}");
    assert!(counts[5] > counts[0] * 2.5, "{counts:?}");
    assert!(counts[5] <= 8.0 * 25.0 + 10.0, "{counts:?}");
    assert_eq!(report["shape"]["concurrency"], 8);
    assert!(report["open_loop"].is_null());
}

#[test]
fn intervals_print_after_the_report_in_the_table() {
    let server = Server::start(&["-q"]);
    let output = run(&[
        "bench",
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "-z",
        "1s",
        "-c",
        "2",
        "--interval",
        "250ms",
    ]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    let at = text.find("\nIntervals ").expect("an Intervals block");
    assert!(text[at..].contains("req/s"), "{text}");
    assert!(!text[at..].contains("target"), "{text}");
    let rows = text[at..]
        .lines()
        .filter(|l| l.starts_with("  from "))
        .count();
    assert_eq!(rows, 4, "{text}");
    // Without --interval, none.
    let output = run(&[
        "bench",
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "-n",
        "20",
    ]);
    assert!(!stdout(&output).contains("Intervals"));
    let (report, _) = bench_json(&["api.Api/sayHello", "--addr", &server.url(), "-n", "20"]);
    assert_eq!(report["intervals"], json!([]));
    // bench merge leaves them out: the parts' p50 and p99 do not add up.
    let (report, output) = bench_json(&[
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "-z",
        "500ms",
        "--interval",
        "100ms",
    ]);
    assert_eq!(column(&report, "count").len(), 5, "{report}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.json");
    fs::write(&path, &output.stdout).unwrap();
    let output = run(&["bench", "merge", &path.display().to_string(), "-o", "json"]);
    assert_exit(&output, 0);
    let merged: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(merged["count"], report["count"]);
    assert_eq!(merged["intervals"], json!([]));
}

/// The header and the histograms of an interval log.
fn read_log(path: &Path) -> (String, Vec<Histogram<u64>>) {
    let text = fs::read_to_string(path).expect("the log is written");
    let mut deserializer = Deserializer::new();
    let mut histograms = Vec::new();
    for entry in IntervalLogIterator::new(text.as_bytes()) {
        match entry.expect("every line of the log reads") {
            LogEntry::Interval(interval) => {
                let bytes = base64_decode(interval.encoded_histogram());
                let histogram: Histogram<u64> = deserializer
                    .deserialize(&mut bytes.as_slice())
                    .expect("the histogram decodes");
                histograms.push(histogram);
            }
            LogEntry::StartTime(_) | LogEntry::BaseTime(_) => {}
        }
    }
    (text, histograms)
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

#[test]
fn the_hdr_log_holds_one_histogram_per_interval_that_add_up_to_the_count() {
    let server = Server::start(&["-q"]);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.hlog");
    let (report, _) = bench_json(&[
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "--rps",
        "200",
        "-z",
        "2500ms",
        "--hdr-log",
        &log.display().to_string(),
    ]);
    // Every second, without --interval; the report's intervals are --interval's only.
    assert_eq!(report["intervals"], json!([]));
    let (text, histograms) = read_log(&log);
    assert!(text.contains("\n#[StartTime: "), "{text}");
    assert!(text.contains("\n#[BaseTime: "), "{text}");
    assert!(
        text.contains(
            "\n\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
        ),
        "{text}"
    );
    assert_eq!(histograms.len(), 3, "{text}");
    let logged: u64 = histograms.iter().map(Histogram::len).sum();
    assert_eq!(logged, report["count"].as_u64().unwrap(), "{text}");
    // The last interval is half a second long.
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("2.") && last.contains(",0.500,"), "{last}");
    // Only the log is left in the directory.
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["run.hlog"]);

    // With --interval, the log has the same intervals as the report, and the same counts.
    let (report, _) = bench_json(&[
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "-z",
        "1s",
        "-c",
        "2",
        "--interval",
        "200ms",
        "--hdr-log",
        &log.display().to_string(),
    ]);
    let (_, histograms) = read_log(&log);
    let counts: Vec<u64> = histograms.iter().map(Histogram::len).collect();
    let rows: Vec<u64> = column(&report, "count").iter().map(|c| *c as u64).collect();
    assert_eq!(counts, rows);
}

#[test]
fn bad_schedules_and_intervals_are_exit_2_before_the_run() {
    // Nothing listens there: a usage error must come before any attempt to connect.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let dir = tempfile::tempdir().unwrap();
    let dir_name = dir.path().display().to_string();
    let missing = dir
        .path()
        .join("no/such/dir/run.hlog")
        .display()
        .to_string();
    for (flags, needle) in [
        (
            &["--rps", "10:5", "--ramp", "1s", "-z", "2s"][..],
            "B must be at least A",
        ),
        (&["--rps", "1:10", "-z", "2s"], "--rps 1:10 is a ramp"),
        (&["--ramp", "1s", "-z", "2s"], "--ramp needs a range"),
        (
            &["--rps", "100", "--ramp", "1s", "-z", "2s"],
            "--ramp needs a range",
        ),
        (
            &["--rps", "1:10", "--ramp", "5s", "-z", "2s"],
            "longer than -z 2s",
        ),
        (&["--rps", "1:10", "--ramp", "1s", "-n", "100"], "needs -z"),
        (&["--rps", "1:10", "--ramp", "1s"], "needs -z"),
        (
            &["--rps", "1:10", "--ramp", "soon", "-z", "2s"],
            "bad --ramp 'soon'",
        ),
        (&["-c", "1:10", "-z", "2s"], "-c 1:10 is a ramp"),
        (
            &["-c", "10:1", "--ramp", "1s", "-z", "2s"],
            "B must be at least A",
        ),
        (&["-c", "0:10", "--ramp", "1s", "-z", "2s"], "bad -c '0:10'"),
        (
            &["-c", "1:10", "--ramp", "1s", "--rps", "100", "-z", "2s"],
            "give it one number",
        ),
        (&["--rps-step", "10/1s", "-z", "5s"], "give --rps"),
        (
            &["--rps", "100", "--rps-step", "10/1s", "-z", "5s"],
            "longer than -z 5s",
        ),
        (
            &[
                "--rps",
                "1:100",
                "--ramp",
                "1s",
                "--rps-step",
                "10/1s",
                "-z",
                "5s",
            ],
            "two ways to rise",
        ),
        (
            &["--rps", "100", "--rps-step", "10", "-z", "20s"],
            "bad --rps-step '10'",
        ),
        (&["--interval", "1ms"], "the shortest is 10ms"),
        (&["--interval", "soon"], "bad --interval 'soon'"),
        (&["--hdr-log", &missing], "cannot write --hdr-log"),
        (&["--hdr-log", &dir_name], "is a directory"),
    ] {
        refused(
            &[&["api.Api/sayHello", "--addr", &addr], flags].concat(),
            needle,
        );
    }
    // The refused log leaves nothing behind.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    // A ramp's ends are divided by --split as -c and --rps are.
    let output = output_of(apicli().args([
        "bench",
        "api.Api/sayHello",
        "--addr",
        &addr,
        "-c",
        "1:1",
        "--ramp",
        "1s",
        "-z",
        "2s",
        "--split",
        "1/2",
    ]));
    assert_exit(&output, 2);
    assert_one_error_line(&output, "--split 1/2 leaves this part no call in flight");
}

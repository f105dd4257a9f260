//! `apicli bench merge`: real `apicli bench -o json` runs against `apicli serve` on 127.0.0.1,
//! merged by the real binary. The merged percentiles are checked against the runs' histograms,
//! decoded here with hdrhistogram itself; the merged report is judged by `--expect`, printed
//! beside `--compare`, and merged again; and every report that cannot be merged is exit 2 with
//! one line that names its file.

mod common;

use std::{
    path::{Path, PathBuf},
    sync::OnceLock,
};

use base64::Engine as _;
use common::{Server, apicli, assert_exit, assert_one_error_line, output_of, run, stdout};
use hdrhistogram::{
    Histogram,
    serialization::{Deserializer, Serializer as _, V2DeflateSerializer},
};
use serde_json::Value;

/// The reports of real runs, made once for every test against a server that is stopped as soon
/// as they are made: two of sayHello, one of getAll, and two of getStream. Nothing static
/// outlives the tests: a static is never dropped, so it holds the reports' text, and each test
/// writes them into a directory of its own.
fn reports() -> &'static Vec<(&'static str, Vec<u8>)> {
    static REPORTS: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let server = Server::start(&["-q"]);
        let url = server.url();
        let stream = ["api.Api/getStream", "-d", r#"{"length":3}"#];
        let runs: [(&str, Vec<&str>); 5] = [
            ("a.json", vec!["api.Api/sayHello", "-n", "300", "-c", "4"]),
            ("b.json", vec!["api.Api/sayHello", "-n", "200", "-c", "2"]),
            ("other.json", vec!["api.Api/getAll", "-n", "20", "-c", "1"]),
            ("s1.json", [&stream[..], &["-n", "20", "-c", "4"]].concat()),
            ("s2.json", [&stream[..], &["-n", "30", "-c", "2"]].concat()),
        ];
        runs.into_iter()
            .map(|(name, args)| {
                let output =
                    run(&[&["bench"], &args[..], &["--addr", &url, "-q", "-o", "json"]].concat());
                assert_exit(&output, 0);
                (name, output.stdout)
            })
            .collect()
    })
}

/// The reports of [`reports`], each in its file, in a directory removed when this is dropped.
struct Runs {
    dir: tempfile::TempDir,
}

impl Runs {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn runs() -> Runs {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in reports() {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    Runs { dir }
}

fn report(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `apicli bench merge ARGS…`; with `-o json`, its report, after checking the exit code.
fn merge_json(args: &[&str], code: i32) -> Value {
    let output = run(&[&["bench", "merge"], args, &["-o", "json"]].concat());
    assert_exit(&output, code);
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1, "one line of JSON: {text}");
    serde_json::from_str(&text).unwrap()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A histogram of a report, decoded with hdrhistogram.
fn histogram(text: &Value) -> Histogram<u64> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.as_str().expect("a histogram is text"))
        .unwrap();
    Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .unwrap()
}

#[test]
fn two_runs_merge_into_the_figures_of_their_summed_histograms() {
    let runs = runs();
    let (a, b) = (report(&runs.path("a.json")), report(&runs.path("b.json")));
    let merged = merge_json(
        &[
            path_str(&runs.path("a.json")),
            path_str(&runs.path("b.json")),
        ],
        0,
    );
    assert_eq!(merged["method"], "api.Api/sayHello");
    assert_eq!(merged["count"], 500);
    assert_eq!(merged["statuses"], serde_json::json!({"OK": 500}));
    assert_eq!(merged["endpoints"][0]["count"], 500);
    assert_eq!(merged["shape"]["concurrency"], 6);
    assert_eq!(merged["shape"]["total"], 500);
    // The percentiles are those of the two histograms added, decoded and added here.
    let mut sum = histogram(&a["latency"]["hdr_histogram"]);
    sum.add(histogram(&b["latency"]["hdr_histogram"])).unwrap();
    assert_eq!(sum.len(), 500);
    let latency = &merged["latency"];
    for (field, quantile) in [
        ("p50_us", 0.5),
        ("p90_us", 0.9),
        ("p95_us", 0.95),
        ("p99_us", 0.99),
        ("p999_us", 0.999),
        ("p9999_us", 0.9999),
    ] {
        assert_eq!(latency[field], sum.value_at_quantile(quantile), "{field}");
    }
    assert_eq!(latency["min_us"], sum.min());
    assert_eq!(latency["max_us"], sum.max());
    assert_eq!(histogram(&latency["hdr_histogram"]), sum);
    // The union of the windows: the earliest start to the latest end, which RFC 3339 in UTC
    // orders as text.
    let times = |field: &str| [a[field].as_str().unwrap(), b[field].as_str().unwrap()];
    assert_eq!(
        merged["started_at"],
        *times("started_at").iter().min().unwrap()
    );
    assert_eq!(merged["ended_at"], *times("ended_at").iter().max().unwrap());
    let window = merged["duration_us"].as_u64().unwrap();
    assert!(
        window
            >= a["duration_us"]
                .as_u64()
                .unwrap()
                .max(b["duration_us"].as_u64().unwrap())
    );
    let rps = merged["rps"].as_f64().unwrap();
    assert!(
        (rps - 500.0 / (window as f64 / 1e6)).abs() < 1e-6 * rps,
        "{rps}"
    );
    // Each part with its own rate.
    let parts = merged["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["source"], path_str(&runs.path("a.json")));
    assert_eq!(parts[0]["rps"], a["rps"]);
    assert_eq!(parts[1]["count"], 200);
    assert_eq!(parts[1]["p99_us"], b["latency"]["p99_us"]);
}

#[test]
fn streams_merge_their_times_to_the_first_message() {
    let runs = runs();
    let (s1, s2) = (report(&runs.path("s1.json")), report(&runs.path("s2.json")));
    let merged = merge_json(
        &[
            path_str(&runs.path("s1.json")),
            path_str(&runs.path("s2.json")),
        ],
        0,
    );
    assert_eq!(merged["kind"], "server-streaming");
    assert_eq!(merged["count"], 50);
    let streams = &merged["streams"];
    assert_eq!(streams["messages"], 150);
    let mut first = histogram(&s1["streams"]["first_message"]["hdr_histogram"]);
    first
        .add(histogram(&s2["streams"]["first_message"]["hdr_histogram"]))
        .unwrap();
    assert_eq!(first.len(), 50);
    assert_eq!(
        streams["first_message"]["p99_us"],
        first.value_at_quantile(0.99)
    );
    assert_eq!(histogram(&streams["first_message"]["hdr_histogram"]), first);
    let window = merged["duration_us"].as_f64().unwrap() / 1e6;
    let per_s = streams["messages_per_s"].as_f64().unwrap();
    assert!((per_s - 150.0 / window).abs() < 1e-6 * per_s, "{per_s}");
}

#[test]
fn the_table_lists_the_parts_and_the_tail() {
    let runs = runs();
    let output = run(&[
        "bench",
        "merge",
        path_str(&runs.path("a.json")),
        path_str(&runs.path("b.json")),
    ]);
    assert_exit(&output, 0);
    let table = stdout(&output);
    for line in [
        "\nLatency\n",
        "\n  p99.99 ",
        "\nParts ",
        "a.json ",
        "b.json ",
        "\nHistogram\n",
    ] {
        assert!(table.contains(line), "{line:?} not in:\n{table}");
    }
    assert!(
        table
            .lines()
            .any(|line| line.starts_with("  calls ") && line.ends_with(" 500")),
        "{table}"
    );
}

#[test]
fn stdin_takes_one_report_per_line() {
    let runs = runs();
    let mut lines = std::fs::read_to_string(runs.path("a.json")).unwrap();
    lines.push_str(&std::fs::read_to_string(runs.path("b.json")).unwrap());
    let output =
        common::run_with_input(apicli().args(["bench", "merge", "-", "-o", "json"]), &lines);
    assert_exit(&output, 0);
    let merged: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(merged["count"], 500);
    let sources: Vec<&str> = merged["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["stdin line 1", "stdin line 2"]);
}

#[test]
fn expect_judges_the_merged_report() {
    let runs = runs();
    let (a, b) = (runs.path("a.json"), runs.path("b.json"));
    let args = |expect: &'static str| {
        vec![
            "bench".to_owned(),
            "merge".to_owned(),
            path_str(&a).to_owned(),
            path_str(&b).to_owned(),
            "--expect".to_owned(),
            expect.to_owned(),
        ]
    };
    let met = output_of(apicli().args(args("count=500")).arg("-q"));
    assert_exit(&met, 0);
    // Each part alone has fewer calls: only the whole meets it.
    let unmet = output_of(apicli().args(args("count>=501")));
    assert_exit(&unmet, 3);
    assert_one_error_line(&unmet, "expected count>=501, measured count=500");
    let unmet = output_of(apicli().args(args("p99.99<1us")));
    assert_exit(&unmet, 3);
    assert_one_error_line(&unmet, "expected p99.99<1us, measured p99.99=");
    // The report is printed all the same.
    assert!(stdout(&unmet).contains("\nParts "), "{}", stdout(&unmet));
}

#[test]
fn the_merged_report_merges_again_and_compares() {
    let runs = runs();
    let merged_path = runs.path("merged-ab.json");
    let output = run(&[
        "bench",
        "merge",
        path_str(&runs.path("a.json")),
        path_str(&runs.path("b.json")),
        "-o",
        "json",
    ]);
    assert_exit(&output, 0);
    std::fs::write(&merged_path, &output.stdout).unwrap();
    let again = merge_json(&[path_str(&merged_path), path_str(&runs.path("a.json"))], 0);
    assert_eq!(again["count"], 800);
    assert_eq!(again["parts"].as_array().unwrap().len(), 3);
    let mut sum = histogram(&report(&merged_path)["latency"]["hdr_histogram"]);
    sum.add(histogram(
        &report(&runs.path("a.json"))["latency"]["hdr_histogram"],
    ))
    .unwrap();
    assert_eq!(again["latency"]["p99_us"], sum.value_at_quantile(0.99));
    // --compare reads a report as it always has, and sets the merged figures beside it.
    let compared = run(&[
        "bench",
        "merge",
        path_str(&runs.path("a.json")),
        path_str(&runs.path("b.json")),
        "--compare",
        path_str(&runs.path("a.json")),
    ]);
    assert_exit(&compared, 0);
    assert!(
        stdout(&compared).contains(" 500  (was 300, +66.7%)\n"),
        "{}",
        stdout(&compared)
    );
}

/// Writes `a.json` with `edit` made to it as `name`, and merges it after the sound `b.json`:
/// exit 2, and one line that names it, with `why`.
fn refused(name: &str, edit: impl Fn(&mut Value), why: &str) {
    let runs = runs();
    let mut value = report(&runs.path("a.json"));
    edit(&mut value);
    let path = runs.path(name);
    std::fs::write(&path, serde_json::to_vec(&value).unwrap()).unwrap();
    let output = run(&[
        "bench",
        "merge",
        path_str(&runs.path("b.json")),
        path_str(&path),
    ]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, &format!("cannot merge '{}': ", path.display()));
    assert_one_error_line(&output, why);
    assert_eq!(stdout(&output), "", "nothing on stdout");
}

#[test]
fn a_report_of_another_method_is_named() {
    let runs = runs();
    let (a, other) = (runs.path("a.json"), runs.path("other.json"));
    let output = run(&["bench", "merge", path_str(&a), path_str(&other)]);
    assert_exit(&output, 2);
    assert_one_error_line(
        &output,
        &format!(
            "cannot merge '{}': it measured api.Api/getAll (unary), and '{}' measured \
             api.Api/sayHello (unary): only runs of one method merge",
            other.display(),
            a.display()
        ),
    );
}

#[test]
fn a_report_of_an_earlier_version_cannot_be_merged() {
    refused(
        "earlier.json",
        |v| {
            let object = v.as_object_mut().unwrap();
            for field in ["unattempted", "started_at", "ended_at", "parts"] {
                object.remove(field);
            }
            let latency = v["latency"].as_object_mut().unwrap();
            latency.remove("p9999_us");
            latency.remove("hdr_histogram");
        },
        "it was written by an earlier apicli, without histograms, and cannot be merged",
    );
}

#[test]
fn tampered_reports_are_named() {
    refused(
        "bad-base64.json",
        |v| v["latency"]["hdr_histogram"] = "HISTF%%%".into(),
        "latency.hdr_histogram: not base64",
    );
    refused(
        "undecodable.json",
        |v| {
            let text = v["latency"]["hdr_histogram"].as_str().unwrap();
            let mut bytes = base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap();
            // The deflated counts changed, the frame kept.
            let last = bytes.len() - 6;
            bytes[last] ^= 0xff;
            v["latency"]["hdr_histogram"] = base64::engine::general_purpose::STANDARD
                .encode(bytes)
                .into();
        },
        "latency.hdr_histogram: ",
    );
    refused(
        "recounted.json",
        |v| v["count"] = 299.into(),
        "its count (299) is not the calls of its histogram (300) and those not attempted (0): \
         cut short or tampered with",
    );
    refused(
        "faster.json",
        |v| v["latency"]["p99_us"] = 1.into(),
        "its latency.p99_us (1) is not its histogram's (",
    );
    // A histogram of other bounds, as another tool might write.
    refused(
        "other-bounds.json",
        |v| {
            let mut other = Histogram::<u64>::new_with_max(60_000_000, 2).unwrap();
            other.record_n(500, 300).unwrap();
            let mut bytes = Vec::new();
            V2DeflateSerializer::new()
                .serialize(&other, &mut bytes)
                .unwrap();
            v["latency"]["hdr_histogram"] = base64::engine::general_purpose::STANDARD
                .encode(bytes)
                .into();
        },
        "its histogram tracks 1 to 60000000 µs to 2 significant digits, not 1 to 3600000000 µs \
         to 3 as apicli's do: it cannot be added to them",
    );
}

#[test]
fn a_truncated_report_is_named() {
    let runs = runs();
    let whole = std::fs::read(runs.path("a.json")).unwrap();
    let path = runs.path("truncated.json");
    std::fs::write(&path, &whole[..whole.len() * 2 / 3]).unwrap();
    let output = run(&[
        "bench",
        "merge",
        path_str(&runs.path("b.json")),
        path_str(&path),
    ]);
    assert_exit(&output, 2);
    assert_one_error_line(
        &output,
        &format!("cannot merge '{}' line 1: not JSON", path.display()),
    );
    for (input, needle) in [
        ("missing.json", "no such file or directory"),
        ("-", "holds no report: it is empty"),
    ] {
        let path = if input == "-" {
            "-".to_owned()
        } else {
            path_str(&runs.path(input)).to_owned()
        };
        let output = run(&["bench", "merge", &path]);
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
    }
}

//! The Kubernetes Job of `deploy/kubernetes/` on one machine: N `apicli bench --split I/N
//! --start-at TIME -o json` processes at once against one `apicli serve` on 127.0.0.1, their
//! reports merged by `apicli bench merge`, and the merge set beside one process that ran the
//! whole load.

mod common;

use std::{
    fs,
    process::{Child, Stdio},
    time::{Duration, SystemTime},
};

use common::{
    ChildGuard, LIMIT, Server, apicli, assert_exit, read_all_in_background, run, run_with_input,
    stdout, wait_with_limit,
};
use hdrhistogram::{Histogram, serialization::Deserializer};
use serde_json::Value;

const PARTS: u32 = 4;
const TOTAL: u64 = 4_001;
const CONCURRENCY: u32 = 10;

/// One part of the load, started now and running until its start time comes and its share is
/// done.
fn part(server: &Server, index: u32, start_at: &str) -> Child {
    apicli()
        .args(["bench", "api.Api/sayHello", "--addr", &server.addr, "-d"])
        .arg(r#"{"name":"job"}"#)
        .args(["-n", &TOTAL.to_string(), "-c", &CONCURRENCY.to_string()])
        .args([
            "--split",
            &format!("{index}/{PARTS}"),
            "--start-at",
            start_at,
        ])
        .args(["-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("apicli starts")
}

fn report(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("{err}: not a report: {text}"))
}

fn histogram(latency: &Value) -> Histogram<u64> {
    let text = latency["hdr_histogram"].as_str().expect("a histogram");
    let bytes = base64_decode(text);
    Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .expect("the histogram decodes")
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

fn time(text: &Value) -> SystemTime {
    humantime::parse_rfc3339(text.as_str().expect("a time")).expect("RFC 3339")
}

#[test]
fn split_parts_started_together_merge_into_the_whole_load() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    // Far enough ahead for every process to start and connect first.
    let start = SystemTime::now() + Duration::from_secs(3);
    let start_at = humantime::format_rfc3339_millis(start).to_string();
    let children: Vec<_> = (0..PARTS)
        .map(|index| ChildGuard(part(&server, index, &start_at)))
        .collect();
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for (index, mut child) in children.into_iter().enumerate() {
        let out = read_all_in_background(child.0.stdout.take().unwrap());
        let err = read_all_in_background(child.0.stderr.take().unwrap());
        let status = wait_with_limit(&mut child.0, LIMIT);
        let (out, err) = (
            String::from_utf8(out.recv().unwrap()).unwrap(),
            String::from_utf8(err.recv().unwrap()).unwrap(),
        );
        assert_eq!(status.code(), Some(0), "part {index}: {err}");
        let path = dir.path().join(format!("part-{index}.json"));
        fs::write(&path, &out).unwrap();
        files.push(path.to_str().unwrap().to_owned());
        parts.push(report(&out));
    }

    // Each part ran its share, and none began before the start time.
    let counts: Vec<_> = parts.iter().map(|p| p["count"].as_u64().unwrap()).collect();
    assert_eq!(counts, [1001, 1000, 1000, 1000]);
    for (index, part) in parts.iter().enumerate() {
        assert_eq!(part["shape"]["split"], format!("{index}/{PARTS}"));
        let asked = time(&part["shape"]["start_at"]);
        let off = asked.duration_since(start).unwrap_or_else(|e| e.duration());
        assert!(
            off < Duration::from_millis(1),
            "start_at {asked:?}, asked {start:?}"
        );
        let began = time(&part["started_at"]);
        assert!(began >= start, "{began:?} before {start:?}");
        let late = began.duration_since(start).unwrap();
        assert!(late < Duration::from_secs(2), "started {late:?} late");
    }

    let mut args = vec!["bench", "merge"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["-o", "json", "--expect", "errors=0"]);
    let merged = run(&args);
    assert_exit(&merged, 0);
    let merged = report(&stdout(&merged));
    assert_eq!(merged["count"], TOTAL);
    assert_eq!(merged["statuses"]["OK"], TOTAL);
    assert_eq!(merged["parts"].as_array().unwrap().len(), PARTS as usize);
    assert_eq!(merged["shape"]["split"], Value::Null);
    assert_eq!(merged["shape"]["concurrency"], CONCURRENCY);
    assert_eq!(merged["shape"]["total"], TOTAL);
    assert_eq!(merged["shape"]["start_at"], parts[0]["shape"]["start_at"]);

    // Exact, not averaged: the merged percentiles are those of the parts' histograms added.
    let mut sum = histogram(&parts[0]["latency"]);
    for part in &parts[1..] {
        sum.add(histogram(&part["latency"])).unwrap();
    }
    assert_eq!(sum.len(), TOTAL);
    let latency = &merged["latency"];
    for (key, quantile) in [("p50_us", 0.5), ("p99_us", 0.99), ("p999_us", 0.999)] {
        assert_eq!(
            latency[key].as_u64().unwrap(),
            sum.value_at_quantile(quantile),
            "{key}"
        );
    }
    assert_eq!(latency["max_us"].as_u64().unwrap(), sum.max());
    assert_eq!(
        histogram(latency),
        sum,
        "the merged report carries the summed histogram"
    );

    // The merged report merges again, from stdin as NDJSON, to the same figures.
    let again = run_with_input(
        apicli().args(["bench", "merge", "-", "-o", "json"]),
        &format!("{}\n", serde_json::to_string(&merged).unwrap()),
    );
    assert_exit(&again, 0);
    let again = report(&stdout(&again));
    assert_eq!(again["count"], TOTAL);
    assert_eq!(again["latency"]["p99_us"], merged["latency"]["p99_us"]);

    // One process that ran the whole load did as many calls, all OK; its latencies are of the
    // same order (a loose bound: this machine is shared).
    let whole = run(&[
        "bench",
        "api.Api/sayHello",
        "--addr",
        &server.addr,
        "-d",
        r#"{"name":"job"}"#,
        "-n",
        &TOTAL.to_string(),
        "-c",
        &CONCURRENCY.to_string(),
        "-o",
        "json",
    ]);
    assert_exit(&whole, 0);
    let whole = report(&stdout(&whole));
    assert_eq!(whole["count"], merged["count"]);
    assert_eq!(whole["statuses"], merged["statuses"]);
    let (one, many) = (
        whole["latency"]["p50_us"].as_f64().unwrap(),
        merged["latency"]["p50_us"].as_f64().unwrap(),
    );
    assert!(
        (0.05..=20.0).contains(&(many / one)),
        "p50: merged {many} µs, one process {one} µs"
    );
}

//! `apicli bench` at scale: a load split over several generators (`--split`), started together
//! (`--start-at`), and data and metadata that vary per call. The real binary against
//! `apicli serve` on 127.0.0.1; what arrived is read from the test double's journal.

mod common;

use std::{
    path::Path,
    process::{Output, Stdio},
    thread,
    time::{Duration, Instant, SystemTime},
};

use common::{
    ChildGuard, LIMIT, Server, apicli, assert_exit, assert_one_error_line, read_all_in_background,
    run, run_with_input, send_signal, stderr, stdout, wait_with_limit,
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

/// A test double that answers sayHello and getStream, and keeps a journal of its calls.
fn double(dir: &Path) -> Server {
    let stubs = json!([
        {"method": "api.Api/sayHello", "reply": {"message": {"message": "hi"}}},
        {"method": "api.Api/getStream", "reply": {"stream": [{"message": {"id": 1}}]}}
    ]);
    let path = dir.join("stubs.json");
    std::fs::write(&path, stubs.to_string()).unwrap();
    Server::start(&["-q", "--stubs", &path.display().to_string()])
}

/// The calls of `method` in the double's journal, oldest first.
fn journal(server: &Server, method: &str) -> Vec<Value> {
    let output = run(&[
        "call",
        "apicli.mock.v1.Mock/ListCalls",
        "--addr",
        &server.url(),
        "-o",
        "json",
        "-d",
        &json!({ "method": method }).to_string(),
    ]);
    assert_exit(&output, 0);
    let listed: Value = serde_json::from_str(&stdout(&output)).unwrap();
    listed["calls"].as_array().cloned().unwrap_or_default()
}

/// The request field `field` of each call, as text (the journal's numbers are doubles: 1, not
/// 1.0).
fn fields(calls: &[Value], field: &str) -> Vec<String> {
    calls
        .iter()
        .map(|call| match &call["requests"][0][field] {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.as_f64().unwrap().to_string(),
            other => other.to_string(),
        })
        .collect()
}

// --- --split ------------------------------------------------------------------------------------

#[test]
fn split_parts_add_up_to_the_whole_load() {
    let server = Server::start(&["-q"]);
    let url = server.url();
    let mut totals = Vec::new();
    let mut concurrency = Vec::new();
    let mut counted = 0;
    for part in 0..4 {
        let split = format!("{part}/4");
        let (report, _) = bench_json(&[
            "api.Api/sayHello",
            "--addr",
            &url,
            "-n",
            "1001",
            "-c",
            "10",
            "--split",
            &split,
        ]);
        counted += report["count"].as_u64().unwrap();
        totals.push(report["shape"]["total"].as_u64().unwrap());
        concurrency.push(report["shape"]["concurrency"].as_u64().unwrap());
    }
    assert_eq!(counted, 1001);
    assert_eq!(totals, [251, 250, 250, 250]);
    assert_eq!(concurrency, [3, 3, 2, 2]);

    // The rate, in whole calls per second; each part runs the whole -z.
    let mut rates = Vec::new();
    for part in 0..3 {
        let split = format!("{part}/3");
        let (report, _) = bench_json(&[
            "api.Api/sayHello",
            "--addr",
            &url,
            "--rps",
            "1000",
            "-z",
            "200ms",
            "--split",
            &split,
        ]);
        rates.push(report["shape"]["rps"].as_f64().unwrap());
        assert_eq!(report["open_loop"]["target_rps"], report["shape"]["rps"]);
        assert_eq!(report["shape"]["duration_us"], 200_000);
    }
    assert_eq!(rates, [334.0, 333.0, 333.0]);
}

#[test]
fn a_bad_split_or_an_empty_share_is_exit_2_before_the_run() {
    // Nothing listens there: the refusal must come before any attempt to connect.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let method = ["api.Api/sayHello", "--addr", &addr];
    for (flags, needle) in [
        (&["--split", "4/4"][..], "less than N (0 to 3)"),
        (&["--split", "0/0"], "at least 1"),
        (&["--split", "2"], "expected I/N"),
        (&["--split", "a/4"], "bad --split 'a/4'"),
        (
            &["--split", "5/8", "-n", "3"],
            "leaves this part no call: -n 3",
        ),
        (&["--split", "5/8", "-c", "3"], "no call in flight: -c 3"),
        (
            &["--split", "1/2", "-c", "4", "--connections", "3"],
            "--split 1/2",
        ),
    ] {
        refused(&[&method[..], flags].concat(), needle);
    }
}

// --- --start-at ---------------------------------------------------------------------------------

#[test]
fn start_at_waits_connected_and_does_not_count_the_wait() {
    let server = Server::start(&["-q"]);
    let url = server.url();
    for absolute in [false, true] {
        let at = match absolute {
            false => "+2s".to_owned(),
            true => {
                let at = SystemTime::now() + Duration::from_secs(2);
                humantime::format_rfc3339_millis(at).to_string()
            }
        };
        let began = Instant::now();
        let (report, output) = bench_json(&[
            "api.Api/sayHello",
            "--addr",
            &url,
            "-n",
            "20",
            "--start-at",
            &at,
        ]);
        let took = began.elapsed();
        assert!(took >= Duration::from_millis(1900), "{at}: took {took:?}");
        assert!(took < Duration::from_secs(15), "{at}: took {took:?}");
        assert_eq!(report["count"], 20);
        let duration = report["duration_us"].as_u64().unwrap();
        assert!(
            duration < 1_500_000,
            "{at}: the wait was counted: {duration}µs"
        );
        assert_eq!(stderr(&output), "", "{at}");
    }
}

#[test]
fn a_start_a_little_past_starts_now_and_says_so() {
    let server = Server::start(&["-q"]);
    let past = SystemTime::now() - Duration::from_secs(30);
    let at = humantime::format_rfc3339_seconds(past).to_string();
    let began = Instant::now();
    let (report, output) = bench_json(&[
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "-n",
        "10",
        "--start-at",
        &at,
    ]);
    assert!(began.elapsed() < Duration::from_secs(10));
    assert_eq!(report["count"], 10);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("apicli: warning: --start-at "), "{err}");
    assert!(err.contains("starting now"), "{err}");
}

#[test]
fn a_bad_start_at_is_exit_2_before_the_run() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let long_ago = SystemTime::now() - Duration::from_secs(120);
    let long_ago = humantime::format_rfc3339_seconds(long_ago).to_string();
    for (at, needle) in [
        (long_ago.as_str(), "ago; give a time to come"),
        ("soon", "expected an RFC 3339 time"),
        ("2026-13-45T99:00:00Z", "bad --start-at"),
        ("+soon", "expected +DURATION"),
    ] {
        refused(
            &["api.Api/sayHello", "--addr", &addr, "--start-at", at],
            needle,
        );
    }
}

#[test]
fn ctrl_c_while_waiting_to_start_exits_130_with_no_report() {
    let server = Server::start(&["-q"]);
    let mut child = ChildGuard(
        apicli()
            .args(["bench", "api.Api/sayHello", "--addr", &server.url()])
            .args(["--start-at", "+20s", "-o", "json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start apicli bench"),
    );
    let out = read_all_in_background(child.0.stdout.take().unwrap());
    let err = read_all_in_background(child.0.stderr.take().unwrap());
    thread::sleep(Duration::from_millis(1000));
    let began = Instant::now();
    send_signal(child.0.id(), "INT");
    let status = wait_with_limit(&mut child.0, LIMIT);
    assert!(began.elapsed() < Duration::from_secs(5));
    let output = Output {
        status,
        stdout: out.recv().unwrap(),
        stderr: err.recv().unwrap(),
    };
    assert_exit(&output, 130);
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "apicli: interrupted\n");
}

// --- per-call data and metadata -----------------------------------------------------------------

#[test]
fn several_messages_go_one_per_call_in_turn_or_at_random() {
    let dir = tempfile::tempdir().unwrap();
    let server = double(dir.path());
    let url = server.url();
    let names = dir.path().join("names.ndjson");
    std::fs::write(
        &names,
        "{\"name\":\"a\"}\n{\"name\":\"b\"}\n{\"name\":\"c-{{n}}\"}\n",
    )
    .unwrap();
    let data = format!("@{}", names.display());
    let one_at_a_time = ["-c", "1", "--threads", "1"];
    let (report, _) = bench_json(
        &[
            &["api.Api/sayHello", "--addr", &url, "-n", "7", "-d", &data][..],
            &one_at_a_time,
        ]
        .concat(),
    );
    assert_eq!(report["count"], 7);
    let calls = journal(&server, "api.Api/sayHello");
    assert_eq!(
        fields(&calls, "name"),
        ["a", "b", "c-2", "a", "b", "c-5", "a"]
    );

    // At random: only those messages, whatever the order.
    let (report, _) = bench_json(&[
        "api.Api/sayHello",
        "--addr",
        &url,
        "-n",
        "30",
        "-d",
        &data,
        "--data-order",
        "random",
    ]);
    assert_eq!(report["count"], 30);
    let calls = journal(&server, "api.Api/sayHello");
    assert_eq!(calls.len(), 37);
    for name in fields(&calls[7..], "name") {
        let known = name == "a" || name == "b" || name.starts_with("c-");
        assert!(known, "{name}");
    }

    // From stdin, and for a server-streaming method through tonic's path.
    let mut command = apicli();
    command
        .args([
            "bench",
            "api.Api/getStream",
            "--addr",
            &url,
            "-n",
            "4",
            "-o",
            "json",
        ])
        .args(one_at_a_time)
        .args(["-d", "@-"]);
    let output = run_with_input(&mut command, "{\"length\":1} {\"length\":2}");
    assert_exit(&output, 0);
    let calls = journal(&server, "api.Api/getStream");
    assert_eq!(fields(&calls, "length"), ["1", "2", "1", "2"]);
}

#[test]
fn header_placeholders_are_filled_in_for_each_call() {
    let dir = tempfile::tempdir().unwrap();
    let server = double(dir.path());
    let url = server.url();
    let one_at_a_time = ["-c", "1", "--threads", "1", "-n", "3"];
    let headers = ["-H", "x-call: call {{n}}", "-H", "x-plain: p"];
    // The direct HTTP/2 lane (unary), then tonic's path (a server stream).
    for method in ["api.Api/sayHello", "api.Api/getStream"] {
        let (report, _) =
            bench_json(&[&[method, "--addr", &url][..], &one_at_a_time, &headers].concat());
        assert_eq!(report["count"], 3);
        let calls = journal(&server, method);
        let called: Vec<&str> = calls
            .iter()
            .map(|call| call["headers"]["x-call"].as_str().unwrap())
            .collect();
        assert_eq!(called, ["call 0", "call 1", "call 2"], "{method}");
        assert!(
            calls.iter().all(|call| call["headers"]["x-plain"] == "p"),
            "{calls:?}"
        );
    }
    refused(
        &["api.Api/sayHello", "--addr", &url, "-H", "x-call: {{when}}"],
        "bad placeholder '{{when}}' in -H 'x-call",
    );
}

#[test]
fn bad_per_call_data_is_exit_2_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&["-q"]);
    let url = server.url();
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "\n  \n").unwrap();
    let data = format!("@{}", empty.display());
    refused(
        &["api.Api/sayHello", "--addr", &url, "-d", &data],
        "holds no request message",
    );
    refused(
        &["api.Api/sayHello", "--addr", &url, "--data-order", "random"],
        "--data-order",
    );
    // A client stream sends every message each call: there is no order to choose.
    refused(
        &[
            "routeguide.RouteGuide/RecordRoute",
            "--addr",
            &url,
            "-d",
            "{}\n{}",
            "--data-order",
            "random",
        ],
        "--data-order",
    );
    // The second message does not fit the method.
    refused(
        &[
            "api.Api/sayHello",
            "--addr",
            &url,
            "-d",
            "{\"name\":\"a\"}\n{\"nope\":1}",
        ],
        "request message 2",
    );
}

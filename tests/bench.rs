//! `apicli bench`: the real binary against `apicli serve` on 127.0.0.1, each run a few seconds
//! of load at most: exact counts and statuses, open-loop rate, a server that dies, Ctrl-C,
//! placeholders, several addresses, streams, `--expect`, and bad flags before any call.

mod common;

use std::{
    path::Path,
    process::{Output, Stdio},
    thread,
    time::Duration,
};

use common::{
    ChildGuard, LIMIT, Server, apicli, assert_exit, assert_one_error_line, output_of,
    output_within, read_all_in_background, run, send_signal, stderr, stdout, wait_with_limit,
};
use serde_json::Value;

fn api_proto() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("proto/api.proto")
        .display()
        .to_string()
}

/// Runs `apicli bench ARGS… -o json` and returns the report, after checking the exit code.
fn bench_json(args: &[&str], code: i32) -> (Value, Output) {
    let output = run(&[&["bench"], args, &["-o", "json"]].concat());
    assert_exit(&output, code);
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1, "one line of JSON: {text}");
    let report = serde_json::from_str(&text).expect("the report is JSON");
    (report, output)
}

/// `statuses` as (name, count) pairs.
fn statuses(report: &Value) -> Vec<(String, u64)> {
    report["statuses"]
        .as_object()
        .expect("statuses is an object")
        .iter()
        .map(|(name, count)| (name.clone(), count.as_u64().unwrap()))
        .collect()
}

/// Starts `apicli bench ARGS… -o json -q` in the background, with its output collected.
fn start_bench(args: &[&str]) -> (ChildGuard, impl FnOnce(ChildGuard) -> Output + use<>) {
    let mut child = ChildGuard(
        apicli()
            .arg("bench")
            .args(args)
            .args(["-o", "json", "-q"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start apicli bench"),
    );
    let out = read_all_in_background(child.0.stdout.take().unwrap());
    let err = read_all_in_background(child.0.stderr.take().unwrap());
    let finish = move |mut child: ChildGuard| {
        let status = wait_with_limit(&mut child.0, LIMIT);
        Output {
            status,
            stdout: out.recv().unwrap(),
            stderr: err.recv().unwrap(),
        }
    };
    (child, finish)
}

#[test]
fn counts_and_statuses_are_exact() {
    let server = Server::start(&["-q"]);
    let (report, output) = bench_json(
        &[
            "api.Api/sayHello",
            "--addr",
            &server.url(),
            "-n",
            "500",
            "-c",
            "20",
        ],
        0,
    );
    assert_eq!(stderr(&output), "");
    assert_eq!(report["method"], "api.Api/sayHello");
    assert_eq!(report["kind"], "unary");
    assert_eq!(report["count"], 500);
    assert_eq!(statuses(&report), [("OK".to_owned(), 500)]);
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["shape"]["concurrency"], 20);
    assert_eq!(report["shape"]["connections"], 1);
    assert_eq!(report["shape"]["total"], 500);
    assert_eq!(report["interrupted"], false);
    assert_eq!(report["open_loop"], Value::Null);
    assert_eq!(report["streams"], Value::Null);
    let endpoints = report["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 1);
    assert_eq!(endpoints[0]["addr"], server.url());
    assert_eq!(endpoints[0]["count"], 500);
    assert_eq!(endpoints[0]["errors"], 0);
    let latency = &report["latency"];
    let figure = |name: &str| latency[name].as_u64().unwrap();
    let ordered = [
        "min_us", "p50_us", "p90_us", "p95_us", "p99_us", "p999_us", "max_us",
    ];
    assert!(
        ordered.windows(2).all(|w| figure(w[0]) <= figure(w[1])),
        "{latency}"
    );
    assert!(figure("min_us") > 0, "{latency}");
    let buckets = report["histogram"].as_array().unwrap();
    assert!((1..=20).contains(&buckets.len()), "{buckets:?}");
    let in_buckets: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(in_buckets, 500);
    assert_eq!(buckets.last().unwrap()["upper_us"], latency["max_us"]);
    assert!(report["duration_us"].as_u64().unwrap() > 0);
    assert!(report["rps"].as_f64().unwrap() > 0.0);
}

#[test]
fn warm_up_calls_are_not_counted() {
    let server = Server::start(&["-q"]);
    let (report, _) = bench_json(
        &[
            "api.Api/sayHello",
            "--addr",
            &server.url(),
            "-n",
            "100",
            "--warmup",
            "50",
            "-c",
            "5",
            "--connections",
            "2",
            "--threads",
            "1",
        ],
        0,
    );
    assert_eq!(report["count"], 100);
    assert_eq!(report["shape"]["warmup_calls"], 50);
    assert_eq!(report["shape"]["connections"], 2);
    assert_eq!(report["shape"]["threads"], 1);
}

#[test]
fn without_the_token_every_call_is_unauthenticated() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "s3cret\n").unwrap();
    let token = token.display().to_string();
    let server = Server::start(&["-q", "--token-file", &token]);
    // Reflection needs the token too; api.Api is built in, so the run goes ahead.
    let args = ["api.Api/sayHello", "--addr", &server.url()];
    let (report, output) = bench_json(&[&args[..], &["-n", "100"]].concat(), 0);
    assert_eq!(stderr(&output), "");
    assert_eq!(report["count"], 100);
    assert_eq!(statuses(&report), [("UNAUTHENTICATED".to_owned(), 100)]);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["status"], "UNAUTHENTICATED");
    assert_eq!(errors[0]["count"], 100);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("authorization"),
        "{errors:?}"
    );
    assert_eq!(report["endpoints"][0]["errors"], 100);

    let with_token = [&args[..], &["-n", "100", "--token-file", &token]].concat();
    let (report, _) = bench_json(&with_token, 0);
    assert_eq!(statuses(&report), [("OK".to_owned(), 100)]);
}

#[test]
fn an_open_loop_of_n_calls_ends_when_they_have() {
    let server = Server::start(&["-q"]);
    // Over plaintext, unary calls take the direct lane, whose connections' drivers run until
    // the load is over: the run must not wait for them.
    let output = output_within(
        apicli().args([
            "bench",
            "api.Api/sayHello",
            "--addr",
            &server.url(),
            "--rps",
            "500",
            "-n",
            "200",
            "-o",
            "json",
        ]),
        LIMIT,
    )
    .expect("the run ends");
    assert_exit(&output, 0);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("the report is JSON");
    assert_eq!(statuses(&report), [("OK".to_owned(), 200)]);
}

#[test]
fn an_open_loop_keeps_its_rate() {
    let server = Server::start(&["-q"]);
    let (report, _) = bench_json(
        &[
            "api.Api/sayHello",
            "--addr",
            &server.url(),
            "--rps",
            "200",
            "-z",
            "2s",
        ],
        0,
    );
    // 200/s for 2 s, with room for a noisy machine.
    let count = report["count"].as_u64().unwrap();
    assert!((360..=440).contains(&count), "{count} calls");
    let rps = report["rps"].as_f64().unwrap();
    assert!((180.0..=220.0).contains(&rps), "{rps} req/s");
    assert_eq!(report["open_loop"]["target_rps"], 200.0);
    assert!(report["open_loop"]["late"].is_u64());
    assert_eq!(report["shape"]["rps"], 200.0);
    assert_eq!(report["shape"]["duration_us"], 2_000_000);
    assert_eq!(report["duration_us"], 2_000_000);
    assert_eq!(statuses(&report), [("OK".to_owned(), count)]);
}

#[test]
fn a_server_killed_mid_run_still_gives_a_report() {
    let server = Server::start(&["-q"]);
    let (child, finish) = start_bench(&["api.Api/sayHello", "--addr", &server.url(), "-z", "3s"]);
    thread::sleep(Duration::from_millis(500));
    send_signal(server.pid(), "KILL");
    let output = finish(child);
    assert_exit(&output, 0);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("a JSON report");
    assert!(report["count"].as_u64().unwrap() > 0, "{report}");
    let statuses = statuses(&report);
    assert!(
        statuses
            .iter()
            .any(|(name, count)| name == "UNAVAILABLE" && *count > 0),
        "{statuses:?}"
    );
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors.iter().all(|e| e["status"] == "UNAVAILABLE"),
        "{errors:?}"
    );
    assert_eq!(report["interrupted"], false);
    assert_eq!(report["duration_us"], 3_000_000);
}

#[test]
fn ctrl_c_prints_what_completed_and_exits_130() {
    let server = Server::start(&["-q"]);
    let (child, finish) = start_bench(&["api.Api/sayHello", "--addr", &server.url(), "-z", "20s"]);
    thread::sleep(Duration::from_millis(1500));
    send_signal(child.0.id(), "INT");
    let output = finish(child);
    assert_exit(&output, 130);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("a JSON report");
    assert_eq!(report["interrupted"], true);
    let count = report["count"].as_u64().unwrap();
    assert!(count > 0, "{report}");
    assert_eq!(statuses(&report), [("OK".to_owned(), count)]);
    let duration = report["duration_us"].as_u64().unwrap();
    assert!((100_000..20_000_000).contains(&duration), "{duration}");
    assert_eq!(stderr(&output), "apicli: interrupted\n");
}

#[test]
fn placeholders_vary_each_call() {
    let server = Server::start(&["-q"]);
    let url = server.url();
    let (report, _) = bench_json(
        &[
            "api.Api/sayHello",
            "--addr",
            &url,
            "-n",
            "50",
            "-d",
            r#"{"name":"user {{n}} {{uuid}} {{rand 1 9}}"}"#,
        ],
        0,
    );
    assert_eq!(statuses(&report), [("OK".to_owned(), 50)]);
    // A number where the field takes one.
    let (report, _) = bench_json(
        &[
            "api.Api/getAll",
            "--addr",
            &url,
            "-n",
            "20",
            "-d",
            r#"{"length":{{rand 0 5}}}"#,
        ],
        0,
    );
    assert_eq!(statuses(&report), [("OK".to_owned(), 20)]);

    let output = run(&[
        "bench",
        "api.Api/sayHello",
        "--addr",
        &url,
        "-d",
        r#"{"name":"{{rand 5}}"}"#,
    ]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "bad placeholder '{{rand 5}}'");
    assert_eq!(stdout(&output), "");
}

#[test]
fn several_addresses_share_the_load() {
    let (a, b) = (Server::start(&["-q"]), Server::start(&["-q"]));
    let (report, _) = bench_json(
        &[
            "api.Api/sayHello",
            "--addr",
            &a.url(),
            "--addr",
            &b.url(),
            "-n",
            "200",
            "-c",
            "10",
        ],
        0,
    );
    assert_eq!(report["count"], 200);
    assert_eq!(report["shape"]["connections"], 2);
    let endpoints = report["endpoints"].as_array().unwrap();
    let addrs: Vec<&str> = endpoints
        .iter()
        .map(|e| e["addr"].as_str().unwrap())
        .collect();
    assert_eq!(addrs, [a.url(), b.url()]);
    let counts: Vec<u64> = endpoints
        .iter()
        .map(|e| e["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<u64>(), 200, "{counts:?}");
    assert!(counts.iter().all(|c| *c > 0), "{counts:?}");

    // Only bench takes several.
    let output = run(&[
        "call",
        "api.Api/sayHello",
        "--addr",
        &a.url(),
        "--addr",
        &b.url(),
    ]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "only 'apicli bench' takes several addresses");
    let output = run(&["hello", "x", "--addr", &a.url(), "--addr", &b.url()]);
    assert_exit(&output, 2);
}

#[test]
fn streams_count_their_messages() {
    let server = Server::start(&["-q"]);
    let url = server.url();
    let (report, _) = bench_json(
        &[
            "api.Api/getStream",
            "--addr",
            &url,
            "-d",
            r#"{"length":10}"#,
            "-n",
            "20",
            "-c",
            "4",
        ],
        0,
    );
    assert_eq!(report["kind"], "server-streaming");
    assert_eq!(statuses(&report), [("OK".to_owned(), 20)]);
    let streams = &report["streams"];
    assert_eq!(streams["messages"], 200);
    assert!(streams["messages_per_s"].as_f64().unwrap() > 0.0);
    let first = &streams["first_message"];
    assert!(first["max_us"].as_u64().unwrap() <= report["latency"]["max_us"].as_u64().unwrap());

    // Client-streaming and bidi calls send the -d messages each call.
    let points = "{\"latitude\":407838351,\"longitude\":-746143763}\n\
                  {\"latitude\":408122808,\"longitude\":-743999179}";
    let (report, _) = bench_json(
        &[
            "routeguide.RouteGuide/RecordRoute",
            "--addr",
            &url,
            "-d",
            points,
            "-n",
            "10",
        ],
        0,
    );
    assert_eq!(report["kind"], "client-streaming");
    assert_eq!(statuses(&report), [("OK".to_owned(), 10)]);
    assert_eq!(report["streams"], Value::Null);
    let notes = r#"{"location":{"latitude":1,"longitude":{{rand 1 1000000}}},"message":"a"}"#;
    let (report, _) = bench_json(
        &[
            "routeguide.RouteGuide/RouteChat",
            "--addr",
            &url,
            "-d",
            notes,
            "-n",
            "10",
        ],
        0,
    );
    assert_eq!(report["kind"], "bidi");
    assert_eq!(statuses(&report), [("OK".to_owned(), 10)]);
    assert!(report["streams"]["messages"].is_u64());
}

// --- --expect: these need the expression language of `expect.rs` ------------------------------

#[test]
fn expectations_met_exit_0() {
    let server = Server::start(&["-q"]);
    let (report, output) = bench_json(
        &[
            "api.Api/sayHello",
            "--addr",
            &server.url(),
            "-n",
            "50",
            "--expect",
            "errors=0",
            "--expect",
            "p99<60s",
        ],
        0,
    );
    assert_eq!(report["count"], 50);
    assert_eq!(stderr(&output), "");
}

#[test]
fn unmet_expectations_exit_3_after_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "s3cret\n").unwrap();
    let server = Server::start(&["-q", "--token-file", &token.display().to_string()]);
    let proto = api_proto();
    // Every call fails (no token): errors=0 is not met, nor is an impossible rate.
    let (report, output) = bench_json(
        &[
            "api.Api/sayHello",
            "--addr",
            &server.url(),
            "--proto",
            &proto,
            "-n",
            "50",
            "--expect",
            "errors=0",
            "--expect",
            "rps>=1000000000",
            "--expect",
            "p99<60s",
        ],
        3,
    );
    assert_eq!(report["count"], 50);
    let err = stderr(&output);
    assert_eq!(
        err.lines().count(),
        2,
        "one line per unmet expectation:\n{err}"
    );
}

#[test]
fn a_malformed_expectation_is_exit_2_before_any_call() {
    let server = Server::start(&[]);
    let output = run(&[
        "bench",
        "api.Api/sayHello",
        "--addr",
        &server.url(),
        "-n",
        "10",
        "--expect",
        "p99<<5ms",
    ]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "--expect");
    assert_eq!(stdout(&output), "");
    thread::sleep(Duration::from_millis(200));
    let log = server.log();
    assert!(!log.contains("method="), "a call was made:\n{log}");
}

// --- bad flags: exit 2 before the run ----------------------------------------------------------

#[test]
fn bad_flag_values_are_exit_2_before_the_run() {
    // Nothing listens there: a usage error must come before any attempt to connect.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    for (flags, needle) in [
        (&["-c", "0"][..], "-c"),
        (&["--connections", "0"], "--connections"),
        (&["--connections", "3", "-c", "2"], "-c 2"),
        (&["-n", "0"], "--total"),
        (&["-n", "10", "-z", "1s"], "cannot be used with"),
        (&["-z", "soon"], "bad -z/--duration 'soon'"),
        (&["-z", "0s"], "more than zero"),
        (&["--rps", "0"], "bad --rps '0'"),
        (&["--rps", "fast"], "bad --rps 'fast'"),
        (&["--warmup", "a while"], "bad --warmup 'a while'"),
        (&["--threads", "0"], "--threads"),
        (&["-d", "{{uuid"], "no closing"),
        (&["-d", "@/nonexistent/body.json"], "-d"),
        (&["--compare", "/nonexistent/report.json"], "--compare"),
        (&["-v"], "--verbose"),
    ] {
        let output = output_of(
            apicli()
                .args(["bench", "api.Api/sayHello", "--addr", &addr])
                .args(flags),
        );
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
        assert_eq!(stdout(&output), "", "{flags:?}");
    }
    // A body that does not fit the method: exit 2 after the method is known, before any call.
    let output = run(&[
        "bench",
        "api.Api/sayHello",
        "--addr",
        &addr,
        "--proto",
        &api_proto(),
        "-d",
        r#"{"nope":1}"#,
    ]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "nope");
}

#[test]
fn a_reply_over_max_message_size_fails_each_call() {
    let server = Server::start(&["-q"]);
    let (report, _) = bench_json(
        &[
            "api.Api/getAll",
            "-d",
            r#"{"length":1000}"#,
            "--max-message-size",
            "100",
            "-n",
            "10",
            "--addr",
            &server.url(),
        ],
        0,
    );
    assert_eq!(statuses(&report), [("RESOURCE_EXHAUSTED".to_owned(), 10)]);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("over the 100 limit"), "{message}");
}

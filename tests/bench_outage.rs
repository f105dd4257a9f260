//! `apicli bench` against a server that dies mid-run: the load waits for the connection to be
//! made again (with gRPC's backoff) instead of spinning, counts the calls it could not attempt
//! as UNAVAILABLE, and says how long the server was unreachable. Each run lasts a few seconds.

mod common;

use std::{
    process::{Command, Output, Stdio},
    thread,
    time::{Duration, Instant},
};

use common::{
    ChildGuard, LIMIT, Server, apicli, assert_exit, read_all_in_background, send_signal, stdout,
    wait_with_limit,
};
use serde_json::Value;

/// The run's length, when the server is killed, and the span over which the CPU is measured.
const RUN: &str = "5s";
const KILL_AT: Duration = Duration::from_millis(1500);
const MEASURE_FROM: Duration = Duration::from_millis(2000);
const MEASURE_TO: Duration = Duration::from_millis(4500);

/// CPU time (user and system) a process has used so far, from `/proc/PID/stat`.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read /proc/PID/stat");
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..]
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / clock_ticks_per_second())
}

fn clock_ticks_per_second() -> f64 {
    let out = Command::new("getconf").arg("CLK_TCK").output();
    out.ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

/// What a run against a server killed mid-run gave: its output, and the share of one core it
/// used once the server was gone.
struct Outage {
    output: Output,
    cpu_share: f64,
}

/// Runs `apicli bench api.Api/sayHello -z RUN ARGS…` against a server that is killed
/// [`KILL_AT`] into the run.
fn bench_through_an_outage(args: &[&str]) -> Outage {
    let server = Server::start(&["-q"]);
    let started = Instant::now();
    let mut child = ChildGuard(
        apicli()
            .args([
                "bench",
                "api.Api/sayHello",
                "--addr",
                &server.url(),
                "-z",
                RUN,
            ])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start apicli bench"),
    );
    let out = read_all_in_background(child.0.stdout.take().unwrap());
    let err = read_all_in_background(child.0.stderr.take().unwrap());
    let pid = child.0.id();
    thread::sleep(KILL_AT.saturating_sub(started.elapsed()));
    send_signal(server.pid(), "KILL");
    thread::sleep(MEASURE_FROM.saturating_sub(started.elapsed()));
    let (cpu_before, from) = (cpu_time(pid), Instant::now());
    thread::sleep(MEASURE_TO.saturating_sub(started.elapsed()));
    let (cpu_after, to) = (cpu_time(pid), Instant::now());
    let cpu_share = (cpu_after - cpu_before).as_secs_f64() / (to - from).as_secs_f64();
    let status = wait_with_limit(&mut child.0, LIMIT);
    let output = Output {
        status,
        stdout: out.recv().unwrap(),
        stderr: err.recv().unwrap(),
    };
    Outage { output, cpu_share }
}

fn report_of(outage: &Outage) -> Value {
    assert_exit(&outage.output, 0);
    serde_json::from_str(&stdout(&outage.output)).expect("a JSON report")
}

fn unavailable(report: &Value) -> u64 {
    report["statuses"]["UNAVAILABLE"].as_u64().unwrap_or(0)
}

/// Calls not attempted, as the errors group them.
fn not_attempted(report: &Value) -> u64 {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["message"]
                .as_str()
                .unwrap()
                .starts_with("not attempted: ")
        })
        .map(|e| e["count"].as_u64().unwrap())
        .sum()
}

/// The server was gone for the last ~3.5 s of the 5 s run.
fn assert_unreachable_for_the_rest_of_the_run(report: &Value) {
    let unreachable = report["unreachable_us"].as_u64().unwrap();
    assert!(
        (2_000_000..=5_000_000).contains(&unreachable),
        "unreachable for {unreachable} µs: {report}"
    );
    assert_eq!(report["endpoints"][0]["unreachable_us"], unreachable);
}

/// Closed loop on the fast path (plaintext unary): 8 callers wait for each attempt to connect
/// (1 s, then 1.6 s ± 20% apart) and count one call each when it fails.
#[test]
fn a_closed_loop_waits_for_the_server_instead_of_spinning() {
    let outage = bench_through_an_outage(&["-c", "8", "-o", "json", "-q"]);
    let report = report_of(&outage);
    assert!(
        outage.cpu_share < 0.3,
        "{:.0}% of a core with the server gone: {report}",
        outage.cpu_share * 100.0
    );
    // At most 8 calls in flight when it died, and 8 per failed attempt (3 or 4 in 3.5 s).
    let unavailable = unavailable(&report);
    assert!((8..=8 * 6).contains(&unavailable), "{report}");
    assert!(not_attempted(&report) >= 8, "{report}");
    assert!(report["statuses"]["OK"].as_u64().unwrap() > 0, "{report}");
    assert_unreachable_for_the_rest_of_the_run(&report);
}

/// Through tonic (compressed calls do not take the fast path), and the table says it.
#[test]
fn through_tonic_too_and_the_table_says_how_long() {
    let outage = bench_through_an_outage(&["-c", "8", "--compress", "gzip", "-q"]);
    assert_exit(&outage.output, 0);
    let table = stdout(&outage.output);
    assert!(
        outage.cpu_share < 0.3,
        "{:.0}% of a core with the server gone:\n{table}",
        outage.cpu_share * 100.0
    );
    let line = |label: &str| {
        table
            .lines()
            .find(|line| line.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in:\n{table}"))
            .to_owned()
    };
    let unavailable: u64 = line("UNAVAILABLE")
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!((8..=8 * 6).contains(&unavailable), "{table}");
    assert!(
        table.contains("not attempted: cannot connect to"),
        "{table}"
    );
    let unreachable = line("unreachable");
    assert!(
        unreachable.ends_with('s') && !unreachable.ends_with("µs"),
        "{table}"
    );
    assert!(
        table.contains("calls due while the server was unreachable count as UNAVAILABLE"),
        "{table}"
    );
}

/// Open loop: each call that comes due while the server is unreachable counts once, at once.
#[test]
fn an_open_loop_counts_each_scheduled_call_once() {
    let outage = bench_through_an_outage(&["--rps", "200", "-c", "8", "-o", "json", "-q"]);
    let report = report_of(&outage);
    assert!(
        outage.cpu_share < 0.3,
        "{:.0}% of a core with the server gone: {report}",
        outage.cpu_share * 100.0
    );
    // 200 calls a second for 5 s, every one counted; about 700 of them after the server died.
    assert_eq!(report["count"], 1000, "{report}");
    assert!((400..=900).contains(&not_attempted(&report)), "{report}");
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors.iter().all(|e| e["status"] == "UNAVAILABLE"),
        "{report}"
    );
    assert_unreachable_for_the_rest_of_the_run(&report);
}

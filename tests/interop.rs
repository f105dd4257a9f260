//! Interop: apicli against third-party gRPC peers, all on 127.0.0.1 with OS-chosen ports.
//!
//! - apicli → a grpcio server (`tests/interop/server.py`);
//! - apicli's `list` and `call` → a grpcio RouteGuide server
//!   (`tests/interop/route_guide_server.py`), with descriptors from reflection (v1, or v1alpha
//!   only), `--proto` and `--protoset`;
//! - a grpcio client (`tests/interop/client.py` and friends) → `apicli serve`;
//! - `buf curl` → `apicli serve`.
//!
//! The peers are installed on first use by `tests/interop/setup.sh` into `target/interop/`.
//! When that fails, the tests print `skipping interop: …` and return, except under `CI=true`,
//! where they fail with the setup output.

mod common;

use std::{
    path::Path,
    process::Command,
    thread::{self},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use common::{
    LIMIT, Server,
    peers::{Peers, PyServer, Ran, no_proxy, repo_root, run},
    route_guide::check_every_kind,
};

/// gRPC status names by code (0..=16).
const STATUS_NAMES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

// ---------------------------------------------------------------------------------------------
// Peers and processes
// ---------------------------------------------------------------------------------------------

/// The peers, or `None` (after saying why, once) when they cannot be installed outside CI.
fn peers() -> Option<&'static Peers> {
    common::peers::peers("interop")
}

impl Peers {
    /// `buf curl --protocol PROTOCOL`, with prior-knowledge HTTP/2 when `h2c` (else HTTP/1.1,
    /// buf's default for http://), plus ARGS.
    fn buf_curl_in(&self, protocol: &str, h2c: bool, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.buf);
        cmd.args(["curl", "--protocol", protocol]);
        if h2c {
            cmd.arg("--http2-prior-knowledge");
        }
        cmd.args(args);
        no_proxy(&mut cmd);
        cmd
    }

    /// `buf curl` over gRPC with prior-knowledge HTTP/2, plus ARGS.
    fn buf_curl(&self, args: &[&str]) -> Command {
        self.buf_curl_in("grpc", true, args)
    }

    /// `buf curl --protocol PROTOCOL --schema proto/api.proto --data DATA`, plus ARGS, to
    /// `URL/api.Api/METHOD`.
    fn buf_curl_api(&self, protocol: &str, h2c: bool, call: [&str; 3], args: &[&str]) -> Command {
        let [url, method, data] = call;
        let mut cmd = self.buf_curl_in(
            protocol,
            h2c,
            &["--schema", "proto/api.proto", "--data", data],
        );
        cmd.args(args).arg(format!("{url}/api.Api/{method}"));
        cmd
    }

    /// `buf_curl_api` over gRPC with prior-knowledge HTTP/2.
    fn buf_curl_schema(&self, url: &str, method: &str, data: &str, args: &[&str]) -> Command {
        self.buf_curl_api("grpc", true, [url, method, data], args)
    }
}

/// `apicli ARGS --addr URL`.
fn apicli(url: &str, args: &[&str]) -> Ran {
    run(common::apicli().args(args).args(["--addr", url]))
}

fn items(range: std::ops::RangeInclusive<i64>) -> Vec<Value> {
    range
        .map(|id| json!({"id": id, "name": format!("name {id}")}))
        .collect()
}

/// Whether a [key, value] pair is in the metadata the server observed.
fn has_metadata(call: &Value, key: &str, value: &str) -> bool {
    call["metadata"]
        .as_array()
        .is_some_and(|pairs| pairs.contains(&json!([key, value])))
}

// ---------------------------------------------------------------------------------------------
// apicli → grpcio server
// ---------------------------------------------------------------------------------------------

#[test]
fn apicli_hello_to_grpcio_server() {
    let Some(peers) = peers() else { return };
    let server = PyServer::start(peers, &[]);
    let ran = apicli(&server.url(), &["hello", "Gonzalo", "-o", "json"]);
    ran.assert_code(0);
    assert_eq!(
        ran.stdout.trim(),
        r#"{"message":"Hello Gonzalo!"}"#,
        "{ran}"
    );
}

#[test]
fn apicli_get_all_to_grpcio_server() {
    let Some(peers) = peers() else { return };
    let server = PyServer::start(peers, &[]);
    let ran = apicli(&server.url(), &["get-all", "--length", "3", "-o", "json"]);
    ran.assert_code(0);
    assert_eq!(ran.json_lines(), [json!({"items": items(1..=3)})], "{ran}");

    let ran = apicli(&server.url(), &["get-all", "--length", "0", "-o", "json"]);
    ran.assert_code(0);
    assert_eq!(ran.json_lines(), [json!({})], "{ran}");
}

#[test]
fn apicli_stream_to_grpcio_server() {
    let Some(peers) = peers() else { return };
    let server = PyServer::start(peers, &[]);
    let ran = apicli(&server.url(), &["stream", "--length", "5", "-o", "json"]);
    ran.assert_code(0);
    assert_eq!(ran.json_lines(), items(1..=5), "{ran}");
}

#[test]
fn apicli_headers_reach_grpcio_server() {
    let Some(peers) = peers() else { return };
    let server = PyServer::start(peers, &[]);
    // Six bytes, so the base64 has no padding and reads the same both ways.
    let blob = "AAH+/xAg";
    let ran = apicli(
        &server.url(),
        &[
            "hello",
            "Gonzalo",
            "-H",
            "x-trace: abc",
            "-H",
            &format!("x-blob-bin: {blob}"),
        ],
    );
    ran.assert_code(0);
    let call = server.only_call();
    assert_eq!(call["method"], "sayHello");
    assert!(has_metadata(&call, "x-trace", "abc"), "{call:#}");
    assert!(has_metadata(&call, "x-blob-bin", blob), "{call:#}");
}

#[test]
fn apicli_timeout_reaches_grpcio_server() {
    let Some(peers) = peers() else { return };
    let server = PyServer::start(peers, &[]);
    apicli(&server.url(), &["hello", "Gonzalo", "--timeout", "5s"]).assert_code(0);
    let call = server.only_call();
    let remaining = call["time_remaining"]
        .as_f64()
        .unwrap_or_else(|| panic!("the server saw no deadline: {call:#}"));
    assert!(
        (4.0..=5.0).contains(&remaining),
        "time_remaining {remaining} is not within 4..=5 s"
    );

    apicli(&server.url(), &["hello", "Gonzalo"]).assert_code(0);
    let calls = server.calls();
    assert_eq!(
        calls[1]["time_remaining"],
        Value::Null,
        "no --timeout, no deadline"
    );
}

#[test]
fn apicli_deadline_on_paced_grpcio_stream() {
    let Some(peers) = peers() else { return };
    let server = PyServer::start(peers, &["--stream-interval", "1"]);
    let ran = apicli(
        &server.url(),
        &[
            "stream",
            "--length",
            "5",
            "--timeout",
            "2500ms",
            "-o",
            "json",
        ],
    );
    ran.assert_code(64 + 4);
    assert_eq!(ran.json_lines(), items(1..=2), "{ran}");
}

#[test]
fn apicli_reports_every_status_from_grpcio_server() {
    let Some(peers) = peers() else { return };
    let server = PyServer::start(peers, &[]);
    let check = |code: usize, args: &[&str]| {
        let message = format!("answer {code} as asked");
        let mut args = args.to_vec();
        let status = format!("x-answer-status: {code}");
        let text = format!("x-answer-message: {message}");
        args.extend(["-H", status.as_str(), "-H", text.as_str()]);
        let ran = apicli(&server.url(), &args);
        ran.assert_code(64 + code as i32);
        let name = STATUS_NAMES[code];
        assert!(ran.stderr.contains(name), "stderr lacks {name}: {ran}");
        assert!(
            ran.stderr.contains(&message),
            "stderr lacks the message: {ran}"
        );
        assert!(ran.stdout.is_empty(), "{ran}");
    };
    for code in 1..=16 {
        check(code, &["hello", "Gonzalo"]);
    }
    check(5, &["get-all", "-o", "json"]);
    check(7, &["stream", "-o", "json"]);
}

// ---------------------------------------------------------------------------------------------
// apicli list and call → grpcio RouteGuide server
// ---------------------------------------------------------------------------------------------

const REFLECTION_V1: &str = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
const REFLECTION_V1ALPHA: &str = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

/// `apicli ARGS --addr URL`, with `input` on its stdin.
fn apicli_with_input(url: &str, args: &[&str], input: &str) -> Ran {
    let mut cmd = common::apicli();
    cmd.args(args).args(["--addr", url]);
    let what = format!("{cmd:?}");
    let output = common::run_with_input(&mut cmd, input);
    Ran {
        what,
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The services `apicli list` shows.
fn listed_services(url: &str) -> Vec<String> {
    let ran = apicli(url, &["list", "-o", "json"]);
    ran.assert_code(0);
    ran.json_lines()
        .iter()
        .map(|row| match row["service"].as_str() {
            Some(name) => name.to_owned(),
            None => panic!("a row without a service: {row}\n{ran}"),
        })
        .collect()
}

/// How many of `methods` are `method`.
fn count(methods: &[String], method: &str) -> usize {
    methods.iter().filter(|m| *m == method).count()
}

/// How many of `methods` are RouteGuide's.
fn route_guide_calls(methods: &[String]) -> usize {
    methods
        .iter()
        .filter(|m| m.starts_with("/routeguide.RouteGuide/"))
        .count()
}

impl Peers {
    /// Writes a FileDescriptorSet of proto/route_guide.proto, with its imports, to `path`, as
    /// grpcio-tools' protoc builds it.
    fn route_guide_protoset(&self, path: &Path) {
        let mut cmd = Command::new(&self.python);
        cmd.args([
            "-m",
            "grpc_tools.protoc",
            "-I",
            "proto",
            "--include_imports",
        ])
        .arg(format!("--descriptor_set_out={}", path.display()))
        .arg("proto/route_guide.proto");
        run(no_proxy(&mut cmd)).assert_code(0);
    }
}

#[test]
fn apicli_calls_every_kind_on_grpcio_route_guide_by_reflection_v1() {
    let Some(peers) = peers() else { return };
    let server = PyServer::route_guide(peers, &["--reflection", "v1"]);
    check_every_kind(&server.url(), &[], "reflection v1");
    assert_eq!(
        listed_services(&server.url()),
        [
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            "routeguide.RouteGuide",
        ]
    );
    // Every call's descriptors came from the server. Each process asks v1 and v1alpha at once
    // and keeps whichever answers first, so v1alpha is never asked alone.
    let methods = server.methods();
    assert!(
        count(&methods, REFLECTION_V1) >= route_guide_calls(&methods),
        "{methods:#?}"
    );
    assert!(
        count(&methods, REFLECTION_V1ALPHA) <= count(&methods, REFLECTION_V1),
        "{methods:#?}"
    );
}

#[test]
fn apicli_calls_every_kind_on_grpcio_route_guide_by_reflection_v1alpha_only() {
    let Some(peers) = peers() else { return };
    // v1 answers UNIMPLEMENTED, as on grpc-go servers before 1.57.
    let server = PyServer::route_guide(peers, &["--reflection", "v1alpha"]);
    check_every_kind(&server.url(), &[], "reflection v1alpha only");
    assert_eq!(
        listed_services(&server.url()),
        [
            "grpc.reflection.v1alpha.ServerReflection",
            "routeguide.RouteGuide"
        ]
    );
    // describe, through the same reflection.
    let described = apicli(&server.url(), &["describe", "routeguide.RouteGuide"]);
    described.assert_code(0);
    for line in [
        "service RouteGuide {",
        "  rpc GetFeature(routeguide.Point) returns (routeguide.Feature);",
        "  rpc RouteChat(stream routeguide.RouteNote) returns (stream routeguide.RouteNote);",
    ] {
        assert!(
            described.stdout.lines().any(|l| l == line),
            "{line:?}\n{described}"
        );
    }
    let template = apicli(
        &server.url(),
        &["describe", "--template", "routeguide.RouteGuide/RouteChat"],
    );
    template.assert_code(0);
    assert_eq!(
        template.json_stream(),
        [json!({"location": {"latitude": 0, "longitude": 0}, "message": ""})],
        "{template}"
    );
    // Each process asked v1 too, and took its descriptors from v1alpha.
    let methods = server.methods();
    assert!(count(&methods, REFLECTION_V1) > 0, "{methods:#?}");
    assert!(
        count(&methods, REFLECTION_V1ALPHA) >= route_guide_calls(&methods),
        "{methods:#?}"
    );
}

#[test]
fn reflection_v1alpha_only_costs_no_extra_round_trip() {
    let Some(peers) = peers() else { return };
    // Each v1 refusal waits for the v1alpha question: asked only after that refusal, it would
    // come too late, and the server would log so.
    let server = PyServer::route_guide(peers, &["--reflection", "v1alpha", "--hold-v1"]);
    let ran = apicli(
        &server.url(),
        &[
            "call",
            "routeguide.RouteGuide/GetFeature",
            "-d",
            r#"{"latitude":409146138,"longitude":-746188906}"#,
        ],
    );
    ran.assert_code(0);
    let held: Vec<Value> = server
        .calls()
        .into_iter()
        .filter_map(|call| call.get("held_v1").cloned())
        .collect();
    assert_eq!(held, [json!({"v1alpha_arrived": true})], "{ran}");
    let methods = server.methods();
    assert_eq!(count(&methods, REFLECTION_V1), 1, "{methods:#?}");
    assert_eq!(count(&methods, REFLECTION_V1ALPHA), 1, "{methods:#?}");
    assert_eq!(route_guide_calls(&methods), 1, "{methods:#?}");
}

#[test]
fn apicli_calls_every_kind_on_grpcio_route_guide_with_proto() {
    let Some(peers) = peers() else { return };
    let server = PyServer::route_guide(peers, &[]);
    let proto = repo_root().join("proto/route_guide.proto");
    let args = ["--proto".to_owned(), proto.display().to_string()];
    check_every_kind(&server.url(), &args, "--proto");
    // The file described everything: reflection, though offered, was never asked.
    let methods = server.methods();
    assert!(
        methods.iter().all(|m| !m.starts_with("/grpc.reflection.")),
        "{methods:#?}"
    );
    assert_eq!(route_guide_calls(&methods), 5, "{methods:#?}");
}

#[test]
fn apicli_calls_every_kind_on_grpcio_route_guide_with_protoset() {
    let Some(peers) = peers() else { return };
    let dir = tempfile::tempdir().expect("temporary directory");
    let protoset = dir.path().join("route_guide.binpb");
    peers.route_guide_protoset(&protoset);
    let server = PyServer::route_guide(peers, &[]);
    let args = ["--protoset".to_owned(), protoset.display().to_string()];
    check_every_kind(&server.url(), &args, "--protoset");
    let methods = server.methods();
    assert!(
        methods.iter().all(|m| !m.starts_with("/grpc.reflection.")),
        "{methods:#?}"
    );
    assert_eq!(route_guide_calls(&methods), 5, "{methods:#?}");
}

#[test]
fn apicli_prints_error_details_from_grpcio_server() {
    let Some(peers) = peers() else { return };
    let server = PyServer::route_guide(peers, &[]);
    let details = [
        json!({
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "STOCK_OUT",
            "domain": "routeguide.example",
            "metadata": {"zone": "nj", "shelf": "2"},
        }),
        json!({
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": "latitude", "description": "out of range"}],
        }),
        json!({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}),
    ];
    let header = format!("x-answer-details: {}", Value::from(details.to_vec()));
    let ran = apicli(
        &server.url(),
        &[
            "call",
            "routeguide.RouteGuide/GetFeature",
            "-d",
            r#"{"latitude":1,"longitude":1}"#,
            "-H",
            "x-answer-status: 9",
            "-H",
            "x-answer-message: no feature in stock",
            "-H",
            &header,
        ],
    );
    ran.assert_code(64 + 9);
    assert!(ran.stdout.is_empty(), "{ran}");
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"apicli: error: FAILED_PRECONDITION: no feature in stock"),
        "{ran}"
    );
    // Then one line per detail, in order: "@type" first, then the message's proto3 JSON.
    let printed: Vec<Value> = lines[1..]
        .iter()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("not JSON ({err}): {line:?}\n{ran}"))
        })
        .collect();
    assert_eq!(printed, details, "{ran}");
    for (line, detail) in lines[1..].iter().zip(&details) {
        let type_first = format!("{{\"@type\":{},", detail["@type"]);
        assert!(line.starts_with(&type_first), "\"@type\" first: {line}");
    }
}

#[test]
fn apicli_prints_what_arrived_before_grpcio_closes_a_bidi_call() {
    let Some(peers) = peers() else { return };
    let server = PyServer::route_guide(peers, &[]);
    let note = |latitude: i64, message: &str| json!({"location": {"latitude": latitude, "longitude": -746143763}, "message": message});
    let notes = [
        note(407838351, "one"),
        note(407838351, "two"),
        note(408122808, "three"),
        note(407838351, "four"),
        note(407838351, "five"),
    ];
    let input: String = notes.iter().map(|note| format!("{note}\n")).collect();
    let ran = apicli_with_input(
        &server.url(),
        &[
            "call",
            "routeguide.RouteGuide/RouteChat",
            "-d",
            "@-",
            "-o",
            "json",
            "-H",
            "x-close-after: 2",
        ],
        &input,
    );
    ran.assert_code(64 + 10);
    // "two" brought back "one", at the same point; then the server closed with notes unread.
    assert_eq!(ran.json_lines(), [notes[0].clone()], "{ran}");
    assert_eq!(ran.stderr.lines().count(), 1, "{ran}");
    assert!(
        ran.stderr
            .starts_with("apicli: error: ABORTED: closed after 2 notes"),
        "{ran}"
    );
}

#[test]
fn apicli_needs_proto_files_for_a_grpcio_server_without_reflection() {
    let Some(peers) = peers() else { return };
    let server = PyServer::route_guide(peers, &["--reflection", "none"]);
    for args in [
        &["list"][..],
        &["call", "routeguide.v2.RouteGuide/GetFeature", "-d", "{}"][..],
    ] {
        let ran = apicli(&server.url(), args);
        ran.assert_code(2);
        assert!(ran.stdout.is_empty(), "{ran}");
        assert_eq!(ran.stderr.lines().count(), 1, "one line: {ran}");
        for needle in [
            "apicli: error: ",
            "does not offer reflection",
            "--proto",
            "--protoset",
        ] {
            assert!(ran.stderr.contains(needle), "{needle:?} missing: {ran}");
        }
    }
    // Both versions were asked, and neither is served.
    let methods = server.methods();
    assert!(count(&methods, REFLECTION_V1) > 0, "{methods:#?}");
    assert!(count(&methods, REFLECTION_V1ALPHA) > 0, "{methods:#?}");

    // routeguide.RouteGuide is built into apicli, so calling it needs no descriptors.
    let ran = apicli(
        &server.url(),
        &[
            "call",
            "routeguide.RouteGuide/GetFeature",
            "-d",
            r#"{"latitude":408122808,"longitude":-743999179}"#,
            "-o",
            "json",
        ],
    );
    ran.assert_code(0);
    assert_eq!(
        ran.json_lines(),
        [json!({
            "name": "101 New Jersey 10, Whippany, NJ 07981, USA",
            "location": {"latitude": 408122808, "longitude": -743999179},
        })],
        "{ran}"
    );
}

// ---------------------------------------------------------------------------------------------
// grpcio client → apicli serve
// ---------------------------------------------------------------------------------------------

#[test]
fn grpcio_client_hello_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(peers
        .python("client.py")
        .args([server.addr.as_str(), "hello", "Gonzalo"]));
    ran.assert_code(0);
    assert_eq!(
        ran.json_lines(),
        [json!({"message": "Hello Gonzalo!"})],
        "{ran}"
    );
}

#[test]
fn grpcio_client_get_all_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(peers
        .python("client.py")
        .args([server.addr.as_str(), "get-all", "4"]));
    ran.assert_code(0);
    assert_eq!(ran.json_lines(), [json!({"items": items(1..=4)})], "{ran}");
}

#[test]
fn grpcio_client_stream_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(peers
        .python("client.py")
        .args([server.addr.as_str(), "stream", "5"]));
    ran.assert_code(0);
    assert_eq!(ran.json_lines(), items(1..=5), "{ran}");
}

#[test]
fn grpcio_client_deadline_on_paced_apicli_stream() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&["--stream-interval", "1s"]);
    let ran = run(peers.python("client.py").args([
        server.addr.as_str(),
        "stream",
        "5",
        "--timeout",
        "2.5",
    ]));
    ran.assert_code(64 + 4);
    assert!(ran.stderr.contains("DEADLINE_EXCEEDED"), "{ran}");
    assert_eq!(ran.json_lines(), items(1..=2), "{ran}");
}

#[test]
fn grpcio_client_cancels_apicli_stream() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&["--stream-interval", "200ms"]);
    let ran = run(peers.python("client.py").args([
        server.addr.as_str(),
        "stream",
        "100",
        "--cancel-after",
        "2",
    ]));
    ran.assert_code(0);
    assert_eq!(ran.json_lines(), items(1..=2), "{ran}");

    let cancelled = |log: &str| {
        log.lines().any(|line| {
            let line = line.to_ascii_lowercase();
            line.contains("getstream") && line.contains("cancel")
        })
    };
    let start = Instant::now();
    while !cancelled(&server.log()) && start.elapsed() < Duration::from_secs(10) {
        thread::sleep(Duration::from_millis(50));
    }
    assert!(
        cancelled(&server.log()),
        "apicli serve did not log the getStream call as cancelled; log:\n{}",
        server.log()
    );
}

// ---------------------------------------------------------------------------------------------
// buf curl → apicli serve
// ---------------------------------------------------------------------------------------------

#[test]
fn buf_curl_hello_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran =
        run(&mut peers.buf_curl_schema(&server.url(), "sayHello", r#"{"name":"Gonzalo"}"#, &[]));
    ran.assert_code(0);
    assert_eq!(
        ran.json_stream(),
        [json!({"message": "Hello Gonzalo!"})],
        "{ran}"
    );
}

#[test]
fn buf_curl_stream_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(&mut peers.buf_curl_schema(&server.url(), "getStream", r#"{"length":5}"#, &[]));
    ran.assert_code(0);
    assert_eq!(ran.json_stream(), items(1..=5), "{ran}");
}

#[test]
fn buf_curl_headers_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(&mut peers.buf_curl_schema(
        &server.url(),
        "sayHello",
        r#"{"name":"Gonzalo"}"#,
        &["-H", "x-trace: abc", "-H", "x-blob-bin: AAH+/xAg"],
    ));
    ran.assert_code(0);
    assert_eq!(
        ran.json_stream(),
        [json!({"message": "Hello Gonzalo!"})],
        "{ran}"
    );
}

#[test]
fn buf_curl_grpc_web_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&["--max-items", "10"]);
    for (h2c, http) in [(true, "2"), (false, "1.1")] {
        let hello = r#"{"name":"Gonzalo"}"#;
        let ran =
            run(&mut peers.buf_curl_api("grpcweb", h2c, [&server.url(), "sayHello", hello], &[]));
        ran.assert_code(0);
        assert_eq!(
            ran.json_stream(),
            [json!({"message": "Hello Gonzalo!"})],
            "{ran}"
        );
        let line = format!("protocol=grpc-web http={http} status=OK");
        assert!(
            server.wait_for_log(&line, LIMIT),
            "no {line:?} in:\n{}",
            server.log()
        );
        let stream = r#"{"length":5}"#;
        let ran =
            run(&mut peers.buf_curl_api("grpcweb", h2c, [&server.url(), "getStream", stream], &[]));
        ran.assert_code(0);
        assert_eq!(ran.json_stream(), items(1..=5), "{ran}");
        // A status in the trailers frame reaches buf curl as the status.
        let over = r#"{"length":11}"#;
        let ran =
            run(&mut peers.buf_curl_api("grpcweb", h2c, [&server.url(), "getAll", over], &[]));
        assert_ne!(ran.code, Some(0), "{ran}");
        assert!(ran.stderr.contains("invalid_argument"), "{ran}");
        assert!(ran.stderr.contains("--max-items"), "{ran}");
    }
}

// ---------------------------------------------------------------------------------------------
// Reflection, health, tokens and request ids of apicli serve
// ---------------------------------------------------------------------------------------------

#[test]
fn buf_curl_reflect_hello_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let mut cmd = peers.buf_curl(&["--reflect", "--data", r#"{"name":"Gonzalo"}"#]);
    cmd.arg(format!("{}/api.Api/sayHello", server.url()));
    let ran = run(&mut cmd);
    ran.assert_code(0);
    assert_eq!(
        ran.json_stream(),
        [json!({"message": "Hello Gonzalo!"})],
        "{ran}"
    );
}

#[test]
fn apicli_serve_token_rejects_buf_curl_without_token() {
    let Some(peers) = peers() else { return };
    let dir = tempfile::tempdir().expect("temporary directory");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "s3cret-token\n").expect("write the token file");
    let server = Server::start(&["--token-file", token_file.to_str().expect("UTF-8 path")]);

    let ran =
        run(&mut peers.buf_curl_schema(&server.url(), "sayHello", r#"{"name":"Gonzalo"}"#, &[]));
    assert_ne!(ran.code, Some(0), "a call without a token succeeded: {ran}");
    assert!(ran.stderr.contains("unauthenticated"), "{ran}");
    assert!(ran.stdout.trim().is_empty(), "{ran}");

    let ran = run(&mut peers.buf_curl_schema(
        &server.url(),
        "sayHello",
        r#"{"name":"Gonzalo"}"#,
        &["-H", "authorization: Bearer s3cret-token"],
    ));
    ran.assert_code(0);
    assert_eq!(
        ran.json_stream(),
        [json!({"message": "Hello Gonzalo!"})],
        "{ran}"
    );
}

#[test]
fn grpcio_client_sees_request_id_echoed_by_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(peers.python("client.py").args([
        server.addr.as_str(),
        "hello",
        "Gonzalo",
        "--metadata",
        "x-request-id=abc",
    ]));
    ran.assert_code(0);
    let initial = ran
        .stderr
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find_map(|value| value.get("initial_metadata").cloned())
        .unwrap_or_else(|| panic!("no initial metadata reported: {ran}"));
    assert!(
        initial
            .as_array()
            .is_some_and(|pairs| pairs.contains(&json!(["x-request-id", "abc"]))),
        "x-request-id not echoed: {ran}"
    );
}

#[test]
fn grpcio_client_metadata_reaches_apicli_serve() {
    let Some(peers) = peers() else { return };
    // -v makes the server log each request's metadata.
    let server = Server::start(&["-v"]);
    let ran = run(peers.python("client.py").args([
        server.addr.as_str(),
        "hello",
        "Gonzalo",
        "--metadata",
        "x-trace=abc",
        "--metadata",
        "x-blob-bin=AAEC",
    ]));
    ran.assert_code(0);
    assert!(
        server.wait_for_log("x-trace: abc", LIMIT),
        "metadata not seen by the server:\n{}",
        server.log()
    );
    assert!(
        server.log().contains("x-blob-bin: AAEC"),
        "{}",
        server.log()
    );
}

#[test]
fn grpcio_health_check_on_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(peers
        .python("health_check.py")
        .args([server.addr.as_str(), ""]));
    ran.assert_code(0);
    assert_eq!(ran.json_lines(), [json!({"status": "SERVING"})], "{ran}");
}

#[test]
fn grpcio_reflection_lists_apicli_serve_services() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(peers.python("reflection_list.py").args([&server.addr]));
    ran.assert_code(0);
    let listed = ran.json_lines();
    let services = listed[0]["services"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for service in ["api.Api", "grpc.health.v1.Health"] {
        assert!(
            services.contains(&json!(service)),
            "{service} not listed: {ran}"
        );
    }
}

#[test]
fn apicli_bench_loads_grpcio_servers() {
    let Some(peers) = peers() else { return };
    // api.Api on the fast path (unary, plaintext), counted exactly.
    let api = PyServer::start(peers, &[]);
    let ran = apicli(
        &api.url(),
        &[
            "bench",
            "api.Api/sayHello",
            "-d",
            r#"{"name":"x"}"#,
            "-n",
            "300",
            "-c",
            "10",
            "-o",
            "json",
        ],
    );
    ran.assert_code(0);
    let report = &ran.json_lines()[0];
    assert_eq!(report["count"], 300, "{ran}");
    assert_eq!(report["statuses"], json!({"OK": 300}), "{ran}");

    // A server-streaming method through reflection, its messages counted; and an answer the
    // server refuses, counted by status.
    let route_guide = PyServer::route_guide(peers, &[]);
    let rectangle = r#"{"lo":{"latitude":400000000,"longitude":-750000000},"hi":{"latitude":420000000,"longitude":-730000000}}"#;
    let ran = apicli(
        &route_guide.url(),
        &[
            "bench",
            "routeguide.RouteGuide/ListFeatures",
            "-d",
            rectangle,
            "-n",
            "20",
            "-c",
            "4",
            "-o",
            "json",
        ],
    );
    ran.assert_code(0);
    let report = &ran.json_lines()[0];
    assert_eq!(report["statuses"], json!({"OK": 20}), "{ran}");
    let messages = report["streams"]["messages"].as_u64().unwrap();
    assert!(messages > 0 && messages.is_multiple_of(20), "{ran}");

    let ran = apicli(
        &route_guide.url(),
        &[
            "bench",
            "routeguide.RouteGuide/GetFeature",
            "-H",
            "x-answer-status: 8",
            "-n",
            "50",
            "-o",
            "json",
            "--expect",
            "errors=0",
        ],
    );
    ran.assert_code(3);
    let report = &ran.json_lines()[0];
    assert_eq!(
        report["statuses"],
        json!({"RESOURCE_EXHAUSTED": 50}),
        "{ran}"
    );
    assert!(
        ran.stderr.contains("expected errors=0, measured errors=50"),
        "{ran}"
    );
}

// ---------------------------------------------------------------------------------------------
// buf curl --protocol connect → apicli serve (h2c)
// ---------------------------------------------------------------------------------------------

#[test]
fn buf_curl_connect_hello_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(&mut peers.buf_curl_api(
        "connect",
        true,
        [&server.url(), "sayHello", r#"{"name":"Gonzalo"}"#],
        &["-H", "x-trace: abc", "-H", "x-blob-bin: AAH+/xAg"],
    ));
    ran.assert_code(0);
    assert_eq!(
        ran.json_stream(),
        [json!({"message": "Hello Gonzalo!"})],
        "{ran}"
    );
}

#[test]
fn buf_curl_connect_stream_to_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let ran = run(&mut peers.buf_curl_api(
        "connect",
        true,
        [&server.url(), "getStream", r#"{"length":5}"#],
        &[],
    ));
    ran.assert_code(0);
    assert_eq!(ran.json_stream(), items(1..=5), "{ran}");
}

#[test]
fn buf_curl_connect_sees_apicli_serves_errors() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&["--max-items", "10"]);
    let ran = run(&mut peers.buf_curl_api(
        "connect",
        true,
        [&server.url(), "getAll", r#"{"length":11}"#],
        &[],
    ));
    assert_ne!(ran.code, Some(0), "{ran}");
    assert!(ran.stderr.contains("invalid_argument"), "{ran}");
    assert!(ran.stderr.contains("0 to 10 items"), "{ran}");

    let ran = run(&mut peers.buf_curl_api(
        "connect",
        true,
        [&server.url(), "getStream", r#"{"length":-1}"#],
        &[],
    ));
    assert_ne!(ran.code, Some(0), "{ran}");
    assert!(ran.stderr.contains("invalid_argument"), "{ran}");
}

#[test]
fn buf_curl_connect_reflects_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    let mut cmd = peers.buf_curl_in(
        "connect",
        true,
        &["--reflect", "--data", r#"{"name":"Gonzalo"}"#],
    );
    let ran = run(cmd.arg(format!("{}/api.Api/sayHello", server.url())));
    ran.assert_code(0);
    assert_eq!(
        ran.json_stream(),
        [json!({"message": "Hello Gonzalo!"})],
        "{ran}"
    );
}

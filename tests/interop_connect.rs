//! Interop with the Connect peers, all on 127.0.0.1 with OS-chosen ports:
//!
//! - apicli → a connect-node server (`tests/interop/node/server.mjs`), which serves Connect,
//!   gRPC and gRPC-Web on an h2c port, and Connect and gRPC-Web on an HTTP/1.1 port;
//! - a connect-node client (`tests/interop/node/client.mjs`) → `apicli serve`;
//! - `buf curl` → `apicli serve`, in its three protocols;
//! - connect-web in Debian's chromium, headless (`tests/interop/node/page.mjs`) → a server that
//!   allows the page's origin.
//!
//! Each direction is a table of protocols (the constants below), with a comment on the cells
//! that are left out and why.
//!
//! The peers are installed on first use by `tests/interop/setup.sh` (which runs
//! `tests/interop/node/setup.sh`) into `target/interop/`. When that fails, the tests print
//! `skipping interop: …` and return, except under `CI=true`, where they fail with the setup
//! output. Chromium comes from `tests/interop/node/chromium.sh` (apt-get); the browser tests
//! skip, saying why, only when there is no apt-get to install it with.

mod common;

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{ChildStdout, Command, Stdio},
    sync::mpsc,
    thread,
};

use serde_json::{Value, json};

use common::{
    ChildGuard, LIMIT, Server, items_json,
    peers::{Peers, Ran, no_proxy, run},
    route_guide::check_every_kind,
};

/// Which of connect-node's two ports a cell uses.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Port {
    /// h2c: Connect, gRPC and gRPC-Web.
    H2c,
    /// HTTP/1.1: Connect and gRPC-Web.
    Http1,
}

/// apicli → connect-node: `--protocol` and the port, for hello, get-all, stream, statuses,
/// details, headers, trailers and deadlines. More flags may follow the protocol's name, as in
/// `"connect --codec json"` (see `protocol_args`); the same holds in the other apicli tables.
/// Not `grpc-web-text`: connect-node does not serve it (it answers 415). Not `connect --get`:
/// connect-node takes GET only for methods marked `NO_SIDE_EFFECTS`, which api.proto's are not.
const APICLI_TO_NODE: &[(&str, Port)] = &[
    ("grpc", Port::H2c),
    ("connect", Port::H2c),
    ("connect", Port::Http1),
    ("connect --codec json", Port::H2c),
    ("connect --compress gzip", Port::Http1),
    ("grpc-web", Port::H2c),
    ("grpc-web", Port::Http1),
];

/// apicli `call --proto proto/route_guide.proto` → connect-node's RouteGuide on h2c, all four
/// RPC kinds.
const APICLI_TO_NODE_ROUTE_GUIDE: &[&str] = &["grpc", "connect", "connect --codec json"];

/// apicli `call --proto proto/route_guide.proto` → connect-node's RouteGuide, where the
/// transport carries only some kinds: each kind it carries answers, and the others (bidi over
/// HTTP/1.1; client streams and bidi in gRPC-Web) exit 2 before anything is sent.
const APICLI_TO_NODE_ROUTE_GUIDE_SOME_KINDS: &[(&str, Port)] = &[
    ("connect", Port::Http1),
    ("grpc-web", Port::H2c),
    ("grpc-web", Port::Http1),
];

/// connect-node client → `apicli serve`: (`--protocol` of client.mjs, `--http`).
/// More flags may follow the protocol's name, as in `"connect --codec json"`.
const NODE_CLIENT_TO_SERVE: &[(&str, &str)] = &[
    ("grpc", "2"),
    ("connect", "2"),
    ("connect", "1.1"),
    ("connect --codec json", "2"),
    ("connect --codec json", "1.1"),
    ("grpcweb", "2"),
    ("grpcweb", "1.1"),
];

/// `buf curl` → `apicli serve`: (`--protocol`, whether with `--http2-prior-knowledge`; without
/// it, buf speaks HTTP/1.1 to an http:// URL, where gRPC cannot go).
const BUF_CURL_TO_SERVE: &[(&str, bool)] = &[
    ("grpc", true),
    ("connect", true),
    ("connect", false),
    ("grpcweb", true),
    ("grpcweb", false),
];

/// connect-web in chromium → connect-node's HTTP/1.1 port: the page's protocols.
const BROWSER_TO_NODE: &[&str] = &["connect-json", "connect-proto", "grpcweb"];

/// connect-web in chromium → `apicli serve --cors-origin`: the page's protocols.
const BROWSER_TO_SERVE: &[&str] = &["connect-json", "connect-proto", "grpcweb"];

// ---------------------------------------------------------------------------------------------
// Peers and processes
// ---------------------------------------------------------------------------------------------

/// The peers, or `None` (after saying why, once) when they cannot be installed outside CI.
fn peers() -> Option<&'static Peers> {
    common::peers::peers("interop")
}

/// Debian's chromium (see `common::peers::chromium`).
fn chromium() -> Option<&'static Path> {
    common::peers::chromium("the browser test")
}

impl Peers {
    /// `node SCRIPT`, a script of the installed peers.
    fn node(&self, script: &str) -> Command {
        let mut cmd = Command::new("node");
        cmd.arg(self.node_dir.join(script));
        no_proxy(&mut cmd);
        cmd
    }
}

/// Starts `cmd` with its stdout piped, and reads its lines on a thread.
fn spawn_with_lines(cmd: &mut Command, what: &str) -> (ChildGuard, mpsc::Receiver<String>) {
    let mut child = ChildGuard(
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("start {what}: {err}")),
    );
    let stdout: ChildStdout = child.0.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// The next line of `lines` as JSON, within [`LIMIT`].
fn next_json(lines: &mpsc::Receiver<String>, what: &str) -> Value {
    let line = lines
        .recv_timeout(LIMIT)
        .unwrap_or_else(|_| panic!("{what} printed no line within {LIMIT:?}"));
    serde_json::from_str(&line).unwrap_or_else(|err| panic!("{what}: not JSON ({err}): {line:?}"))
}

/// The connect-node server (`server.mjs`).
struct NodeServer {
    h2c: u64,
    http1: u64,
    _process: ChildGuard,
}

impl NodeServer {
    /// `node server.mjs ARGS`, once it is listening.
    fn start(peers: &Peers, args: &[&str]) -> NodeServer {
        let (process, lines) = spawn_with_lines(peers.node("server.mjs").args(args), "server.mjs");
        let ports = next_json(&lines, "server.mjs");
        let port = |name: &str| {
            ports[name]
                .as_u64()
                .unwrap_or_else(|| panic!("server.mjs named no {name} port: {ports}"))
        };
        NodeServer {
            h2c: port("h2c"),
            http1: port("http1"),
            _process: process,
        }
    }

    fn url(&self, port: Port) -> String {
        match port {
            Port::H2c => format!("http://127.0.0.1:{}", self.h2c),
            Port::Http1 => format!("http://127.0.0.1:{}", self.http1),
        }
    }
}

/// The flags of a cell: `--protocol` with the first word of `protocol` and the other words as
/// they are (`"connect --codec json"`), and on connect-node's HTTP/1.1 port, `--http 1.1`.
/// gRPC needs no `--protocol`: it is the default, and the only protocol of builds without it.
fn protocol_args(protocol: &str, port: Port) -> Vec<String> {
    let mut words = protocol.split_whitespace().map(str::to_owned);
    let mut args = Vec::new();
    match words.next() {
        Some(name) if name != "grpc" => args.extend(["--protocol".to_owned(), name]),
        _ => {}
    }
    args.extend(words);
    if port == Port::Http1 {
        args.extend(["--http".to_owned(), "1.1".to_owned()]);
    }
    args
}

/// `apicli ARGS PROTOCOL-ARGS --addr URL`.
fn apicli(url: &str, protocol: &[String], args: &[&str]) -> Ran {
    run(common::apicli()
        .args(args)
        .args(protocol)
        .args(["--addr", url]))
}

/// The value of header `name` in apicli's `-v` log of response headers and trailers.
fn logged_header(ran: &Ran, name: &str) -> Option<String> {
    let prefix = format!("  {name}: ");
    ran.stderr
        .lines()
        .find_map(|line| line.strip_prefix(&prefix).map(str::to_owned))
}

// ---------------------------------------------------------------------------------------------
// apicli → connect-node
// ---------------------------------------------------------------------------------------------

#[test]
fn apicli_calls_connect_node_api() {
    let Some(peers) = peers() else { return };
    let server = NodeServer::start(peers, &[]);
    for &(protocol, port) in APICLI_TO_NODE {
        let cell = format!("{protocol} on {port:?}");
        let url = server.url(port);
        let flags = protocol_args(protocol, port);

        let ran = apicli(&url, &flags, &["hello", "Gonzalo", "-o", "json"]);
        ran.assert_code(0);
        assert_eq!(
            ran.json_lines(),
            [json!({"message": "Hello Gonzalo!"})],
            "{cell}: {ran}"
        );

        let ran = apicli(&url, &flags, &["get-all", "--length", "3", "-o", "json"]);
        ran.assert_code(0);
        assert_eq!(
            ran.json_lines(),
            [json!({"items": items_json(3)})],
            "{cell}: {ran}"
        );

        let ran = apicli(&url, &flags, &["get-all", "--length", "0", "-o", "json"]);
        ran.assert_code(0);
        assert_eq!(ran.json_lines(), [json!({})], "{cell}: {ran}");

        let ran = apicli(&url, &flags, &["stream", "--length", "5", "-o", "json"]);
        ran.assert_code(0);
        assert_eq!(ran.json_lines(), items_json(5), "{cell}: {ran}");

        // Request headers reach the server, and its headers and trailers come back; so does the
        // deadline, as the time the server saw left.
        let ran = apicli(
            &url,
            &flags,
            &[
                "hello",
                "Gonzalo",
                "-v",
                "-H",
                "x-echo-trace: abc",
                "--timeout",
                "5s",
            ],
        );
        ran.assert_code(0);
        assert_eq!(
            logged_header(&ran, "x-header-trace").as_deref(),
            Some("abc"),
            "{cell}: {ran}"
        );
        assert_eq!(
            logged_header(&ran, "x-trailer-trace").as_deref(),
            Some("abc"),
            "{cell}: {ran}"
        );
        let left: u64 = logged_header(&ran, "x-deadline-ms")
            .and_then(|ms| ms.parse().ok())
            .unwrap_or_else(|| panic!("{cell}: the server saw no deadline: {ran}"));
        assert!(
            (1..=5000).contains(&left),
            "{cell}: {left} ms left of 5 s: {ran}"
        );
    }
}

#[test]
fn apicli_reports_statuses_and_details_from_connect_node() {
    let Some(peers) = peers() else { return };
    let server = NodeServer::start(peers, &[]);
    for &(protocol, port) in APICLI_TO_NODE {
        let cell = format!("{protocol} on {port:?}");
        let url = server.url(port);
        let flags = protocol_args(protocol, port);

        // The server's own error: INVALID_ARGUMENT with a google.rpc.BadRequest.
        let ran = apicli(&url, &flags, &["hello", "error"]);
        ran.assert_code(64 + 3);
        assert!(ran.stdout.is_empty(), "{cell}: {ran}");
        let lines: Vec<&str> = ran.stderr.lines().collect();
        assert_eq!(
            lines,
            [
                r#"apicli: error: INVALID_ARGUMENT: no greeting for "error""#,
                r#"{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"name","description":"must not be \"error\""}]}"#,
            ],
            "{cell}: {ran}"
        );

        // Every status, on a unary call and on a stream, as the client asks it.
        for code in 1..=16 {
            for command in [&["hello", "x"][..], &["stream", "--length", "2"][..]] {
                let status = format!("x-answer-status: {code}");
                let message = format!("x-answer-message: answer {code} as asked");
                let mut args = command.to_vec();
                args.extend(["-H", &status, "-H", &message]);
                let ran = apicli(&url, &flags, &args);
                ran.assert_code(64 + code);
                assert!(ran.stdout.is_empty(), "{cell}: {ran}");
                assert!(
                    ran.stderr.contains(&format!("answer {code} as asked")),
                    "{cell}: {ran}"
                );
            }
        }

        // Details the client asks for, each decoded, in order.
        let details = [
            json!({
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "STOCK_OUT",
                "domain": "routeguide.example",
                "metadata": {"zone": "nj"},
            }),
            json!({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}),
        ];
        let header = format!("x-answer-details: {}", Value::from(details.to_vec()));
        let ran = apicli(
            &url,
            &flags,
            &[
                "get-all",
                "-H",
                "x-answer-status: 9",
                "-H",
                "x-answer-message: no items in stock",
                "-H",
                &header,
            ],
        );
        ran.assert_code(64 + 9);
        let lines: Vec<&str> = ran.stderr.lines().collect();
        assert_eq!(
            lines.first(),
            Some(&"apicli: error: FAILED_PRECONDITION: no items in stock"),
            "{cell}: {ran}"
        );
        let printed: Vec<Value> = lines[1..]
            .iter()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("{cell}: {ran}")))
            .collect();
        assert_eq!(printed, details, "{cell}: {ran}");
    }
}

#[test]
fn apicli_deadline_on_paced_connect_node_stream() {
    let Some(peers) = peers() else { return };
    let server = NodeServer::start(peers, &["--stream-interval-ms", "500"]);
    for &(protocol, port) in APICLI_TO_NODE {
        let cell = format!("{protocol} on {port:?}");
        let ran = apicli(
            &server.url(port),
            &protocol_args(protocol, port),
            &[
                "stream",
                "--length",
                "5",
                "--timeout",
                "1250ms",
                "-o",
                "json",
            ],
        );
        ran.assert_code(64 + 4);
        assert_eq!(ran.json_lines(), items_json(2), "{cell}: {ran}");
    }
}

#[test]
fn apicli_calls_every_route_guide_kind_on_connect_node() {
    let Some(peers) = peers() else { return };
    let server = NodeServer::start(peers, &[]);
    for &protocol in APICLI_TO_NODE_ROUTE_GUIDE {
        let mut args = vec!["--proto".to_owned(), "proto/route_guide.proto".to_owned()];
        args.extend(protocol_args(protocol, Port::H2c));
        check_every_kind(&server.url(Port::H2c), &args, &format!("{protocol} on h2c"));

        // A bidi call the server ends with an error midway: what came before it is printed,
        // then the status.
        let note = |message: &str| json!({"location": {"latitude": 1, "longitude": 1}, "message": message});
        let input: String = ["one", "two", "three"]
            .iter()
            .map(|message| format!("{}\n", note(message)))
            .collect();
        let mut cmd = common::apicli();
        cmd.args([
            "call",
            "routeguide.RouteGuide/RouteChat",
            "-d",
            "@-",
            "-o",
            "json",
        ])
        .args(["-H", "x-close-after: 2"])
        .args(&args)
        .args(["--addr", &server.url(Port::H2c)]);
        let output = common::run_with_input(&mut cmd, &input);
        common::assert_exit(&output, 64 + 10);
        let printed = common::json_lines(&common::stdout(&output));
        assert_eq!(printed, [note("one")], "{protocol}");
        common::assert_one_error_line(&output, "ABORTED: closed after 2 notes");
    }
}

#[test]
fn apicli_calls_the_route_guide_kinds_a_transport_carries_on_connect_node() {
    let Some(peers) = peers() else { return };
    let server = NodeServer::start(peers, &[]);
    for &(protocol, port) in APICLI_TO_NODE_ROUTE_GUIDE_SOME_KINDS {
        let cell = format!("{protocol} on {port:?}");
        let call = |method: &str, data: &str, input: Option<&str>| {
            let mut cmd = common::apicli();
            cmd.args([
                "call",
                method,
                "--proto",
                "proto/route_guide.proto",
                "-o",
                "json",
            ])
            .args(["-d", data])
            .args(protocol_args(protocol, port))
            .args(["--addr", &server.url(port)]);
            let what = format!("{cmd:?}");
            let output = common::run_with_input(&mut cmd, input.unwrap_or_default());
            Ran {
                what,
                code: output.status.code(),
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            }
        };
        let ran = call(
            "routeguide.RouteGuide/GetFeature",
            r#"{"latitude":407838351,"longitude":-746143763}"#,
            None,
        );
        ran.assert_code(0);
        assert_eq!(
            ran.json_lines()[0]["name"],
            "Patriots Path, Mendham, NJ 07945, USA",
            "{cell}: {ran}"
        );
        let ran = call(
            "routeguide.RouteGuide/ListFeatures",
            r#"{"lo":{"latitude":400000000,"longitude":-750000000},"hi":{"latitude":420000000,"longitude":-730000000}}"#,
            None,
        );
        ran.assert_code(0);
        assert!(ran.json_lines().len() > 1, "{cell}: {ran}");

        let grpc_web = protocol.starts_with("grpc-web");
        let points = "{\"latitude\":407838351,\"longitude\":-746143763}\n\
                      {\"latitude\":408122808,\"longitude\":-743999179}\n";
        let ran = call("routeguide.RouteGuide/RecordRoute", "@-", Some(points));
        if grpc_web {
            ran.assert_code(2);
            assert_eq!(ran.stderr.lines().count(), 1, "{cell}: {ran}");
        } else {
            ran.assert_code(0);
            assert_eq!(ran.json_lines()[0]["pointCount"], 2, "{cell}: {ran}");
        }
        // Bidi is refused everywhere here: these cells are HTTP/1.1 or gRPC-Web.
        let ran = call("routeguide.RouteGuide/RouteChat", "@-", Some(""));
        ran.assert_code(2);
        assert_eq!(ran.stderr.lines().count(), 1, "{cell}: {ran}");
        assert!(ran.stdout.is_empty(), "{cell}: {ran}");
    }
}

// ---------------------------------------------------------------------------------------------
// connect-node client → apicli serve (and → connect-node, to know the client works in every cell)
// ---------------------------------------------------------------------------------------------

/// What client.mjs printed for one call: the messages, the response headers (or, on an error,
/// its metadata) and the status.
#[derive(Debug)]
struct Outcome {
    messages: Vec<Value>,
    headers: Value,
    status: Value,
}

/// `node client.mjs --url URL --protocol PROTOCOL --http HTTP CALLS…`: each call's outcome.
/// More flags may follow the protocol's name, as in `"connect --codec json"`.
fn node_client(
    peers: &Peers,
    url: &str,
    (protocol, http): (&str, &str),
    calls: &[Value],
) -> (Vec<Outcome>, Ran) {
    let mut words = protocol.split_whitespace();
    let ran = run(peers
        .node("client.mjs")
        .args(["--url", url, "--protocol", words.next().unwrap_or_default()])
        .args(words)
        .args(["--http", http])
        .args(calls.iter().map(Value::to_string)));
    ran.assert_code(0);
    let lines = ran.json_lines();
    let outcomes = (0..calls.len())
        .map(|index| {
            let of_call: Vec<&Value> = lines.iter().filter(|line| line["call"] == index).collect();
            let field = |name: &str| of_call.iter().find_map(|line| line.get(name).cloned());
            let status =
                field("status").unwrap_or_else(|| panic!("call {index}: no status: {ran}"));
            Outcome {
                messages: of_call
                    .iter()
                    .filter_map(|line| line.get("message").cloned())
                    .collect(),
                headers: field("headers")
                    .or_else(|| status.get("metadata").cloned())
                    .unwrap_or(Value::Null),
                status,
            }
        })
        .collect();
    (outcomes, ran)
}

/// The server that a peer calls, for what only one of them does.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Answering {
    /// `apicli serve`: echoes x-request-id; its errors carry no details.
    ApicliServe,
    /// `server.mjs`: echoes x-echo-* and the deadline; its errors carry a BadRequest.
    ConnectNode,
}

/// client.mjs in `cell` calls `url`: api.Api (a greeting with headers and a deadline, getAll,
/// getStream, and getAll(-1), refused) and each RouteGuide kind that the cell carries.
fn check_node_client(peers: &Peers, url: &str, cell: (&str, &str), server: Answering) {
    let label = format!("{} over HTTP/{} to {server:?}", cell.0, cell.1);
    let client_streams = !cell.0.starts_with("grpcweb");
    let bidi = client_streams && cell.1 == "2";
    let note =
        |message: &str| json!({"location": {"latitude": 1, "longitude": 1}, "message": message});
    let mut calls = vec![
        json!({
            "method": "api.Api/sayHello",
            "data": [{"name": "Gonzalo"}],
            "headers": {"x-request-id": "abc", "x-echo-trace": "abc"},
            "timeoutMs": 5000,
        }),
        json!({"method": "api.Api/getAll", "data": [{"length": 3}]}),
        json!({"method": "api.Api/getStream", "data": [{"length": 5}]}),
        json!({"method": "api.Api/getAll", "data": [{"length": -1}]}),
        json!({
            "method": "routeguide.RouteGuide/GetFeature",
            "data": [{"latitude": 407838351, "longitude": -746143763}],
        }),
        json!({
            "method": "routeguide.RouteGuide/ListFeatures",
            "data": [{
                "lo": {"latitude": 400000000, "longitude": -750000000},
                "hi": {"latitude": 420000000, "longitude": -730000000},
            }],
        }),
    ];
    if client_streams {
        calls.push(json!({
            "method": "routeguide.RouteGuide/RecordRoute",
            "data": [
                {"latitude": 407838351, "longitude": -746143763},
                {"latitude": 408122808, "longitude": -743999179},
            ],
        }));
    }
    if bidi {
        calls.push(json!({
            "method": "routeguide.RouteGuide/RouteChat",
            "data": [note("first"), note("second")],
        }));
    }
    let (outcomes, ran) = node_client(peers, url, cell, &calls);
    let ok = json!({"code": "OK"});

    let hello = &outcomes[0];
    assert_eq!(hello.status, ok, "{label}: {ran}");
    assert_eq!(
        hello.messages,
        [json!({"message": "Hello Gonzalo!"})],
        "{label}: {ran}"
    );
    match server {
        Answering::ApicliServe => {
            assert_eq!(hello.headers["x-request-id"], "abc", "{label}: {ran}")
        }
        Answering::ConnectNode => {
            assert_eq!(hello.headers["x-header-trace"], "abc", "{label}: {ran}");
            let left: u64 = hello.headers["x-deadline-ms"]
                .as_str()
                .and_then(|ms| ms.parse().ok())
                .unwrap_or_else(|| panic!("{label}: the server saw no deadline: {ran}"));
            assert!(
                (1..=5000).contains(&left),
                "{label}: {left} ms left of 5 s: {ran}"
            );
        }
    }

    assert_eq!(
        outcomes[1].messages,
        [json!({"items": items_json(3)})],
        "{label}: {ran}"
    );
    assert_eq!(outcomes[2].status, ok, "{label}: {ran}");
    assert_eq!(outcomes[2].messages, items_json(5), "{label}: {ran}");

    let refused = &outcomes[3];
    assert!(refused.messages.is_empty(), "{label}: {ran}");
    assert_eq!(refused.status["code"], "INVALID_ARGUMENT", "{label}: {ran}");
    let message = refused.status["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("length -1 is out of range"),
        "{label}: {ran}"
    );
    let details = match server {
        Answering::ApicliServe => json!([]),
        Answering::ConnectNode => json!([{
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": "length", "description": "must be 0 or more"}],
        }]),
    };
    assert_eq!(refused.status["details"], details, "{label}: {ran}");

    assert_eq!(
        outcomes[4].messages[0]["name"], "Patriots Path, Mendham, NJ 07945, USA",
        "{label}: {ran}"
    );
    assert_eq!(outcomes[5].status, ok, "{label}: {ran}");
    assert!(outcomes[5].messages.len() > 1, "{label}: {ran}");
    if client_streams {
        let summary = &outcomes[6].messages[0];
        assert_eq!(summary["pointCount"], 2, "{label}: {ran}");
        assert_eq!(summary["featureCount"], 2, "{label}: {ran}");
    }
    if bidi {
        let chat = &outcomes[7];
        assert_eq!(chat.status, ok, "{label}: {ran}");
        assert_eq!(chat.messages, [note("first")], "{label}: {ran}");
    }
}

#[test]
fn connect_node_client_calls_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    for &cell in NODE_CLIENT_TO_SERVE {
        check_node_client(peers, &server.url(), cell, Answering::ApicliServe);
    }
}

#[test]
fn connect_node_client_calls_connect_node_in_every_cell() {
    let Some(peers) = peers() else { return };
    let server = NodeServer::start(peers, &[]);
    // Every cell the client has, so that a cell added to NODE_CLIENT_TO_SERVE can fail only
    // for apicli serve's sake. connect-node serves each HTTP version on a port of its own.
    for cell in [
        ("grpc", "2"),
        ("connect", "2"),
        ("grpcweb", "2"),
        ("connect --codec json", "1.1"),
        ("grpcweb --codec json", "1.1"),
    ] {
        let port = if cell.1 == "2" {
            Port::H2c
        } else {
            Port::Http1
        };
        check_node_client(peers, &server.url(port), cell, Answering::ConnectNode);
    }
}

#[test]
fn connect_node_client_deadline_on_paced_apicli_stream() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&["--stream-interval", "500ms"]);
    let paced = json!({"method": "api.Api/getStream", "data": [{"length": 5}], "timeoutMs": 1250});
    for &cell in NODE_CLIENT_TO_SERVE {
        let (outcomes, ran) = node_client(peers, &server.url(), cell, std::slice::from_ref(&paced));
        assert_eq!(outcomes[0].messages, items_json(2), "{cell:?}: {ran}");
        assert_eq!(
            outcomes[0].status["code"], "DEADLINE_EXCEEDED",
            "{cell:?}: {ran}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// connect-web in chromium → a server that allows the page's origin
// ---------------------------------------------------------------------------------------------

/// The page's static server (`static.mjs`): its origin differs from any API server's.
struct PageServer {
    port: u64,
    reports: mpsc::Receiver<String>,
    _process: ChildGuard,
}

impl PageServer {
    fn start(peers: &Peers) -> PageServer {
        let (process, reports) = spawn_with_lines(&mut peers.node("static.mjs"), "static.mjs");
        let port = next_json(&reports, "static.mjs")["port"]
            .as_u64()
            .expect("static.mjs names its port");
        PageServer {
            port,
            reports,
            _process: process,
        }
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Loads the page in headless `chromium` against `server` and returns its report: for each
    /// protocol, {"hello", "stream", "error"}.
    fn report(&self, chromium: &Path, server: &str, protocols: &[&str]) -> Value {
        let profile = tempfile::tempdir().expect("temporary directory");
        let url = format!(
            "{}/?server={server}&protocols={}",
            self.origin(),
            protocols.join(",")
        );
        let mut cmd = Command::new(chromium);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(&url)
        // Its crash reports and caches stay in the profile too, not in the user's home.
        .env("XDG_CONFIG_HOME", profile.path())
        .env("XDG_CACHE_HOME", profile.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        let mut browser = ChildGuard(no_proxy(&mut cmd).spawn().expect("start chromium"));
        let log = common::read_all_in_background(browser.0.stderr.take().expect("piped stderr"));
        // Killing the browser process ends its helpers too.
        let line = match self.reports.recv_timeout(LIMIT) {
            Ok(line) => line,
            Err(_) => {
                drop(browser);
                let log = log.recv().unwrap_or_default();
                panic!(
                    "the page reported nothing within {LIMIT:?} ({url}); chromium said:\n{}",
                    String::from_utf8_lossy(&log)
                );
            }
        };
        let report: Value = serde_json::from_str(&line).expect("static.mjs prints JSON");
        report["report"].clone()
    }
}

/// Checks the page's report for `protocol` from `server`: the greeting (with the x-echo-page
/// header and trailer that connect-node echoes), three streamed items, and INVALID_ARGUMENT for
/// getAll(-1), with connect-node's google.rpc.BadRequest (apicli serve sends no details).
fn check_report(report: &Value, protocol: &str, server: Answering) {
    let seen = &report[protocol];
    let echoed = match server {
        Answering::ConnectNode => json!(protocol),
        Answering::ApicliServe => Value::Null,
    };
    let hello = json!({
        "message": {"message": "Hello browser!"},
        "echoedHeader": echoed,
        "echoedTrailer": echoed,
    });
    assert_eq!(seen["hello"], hello, "{protocol}: {report:#}");
    let items = json!({"items": items_json(3)});
    assert_eq!(seen["stream"], items, "{protocol}: {report:#}");
    let error = &seen["error"]["error"];
    assert_eq!(error["code"], "INVALID_ARGUMENT", "{protocol}: {report:#}");
    let message = error["message"].as_str().unwrap_or_default();
    let out_of_range = message.starts_with("length -1 is out of range");
    assert!(out_of_range, "{protocol}: {report:#}");
    let details = match server {
        Answering::ConnectNode => json!([{
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": "length", "description": "must be 0 or more"}],
        }]),
        Answering::ApicliServe => json!([]),
    };
    assert_eq!(error["details"], details, "{protocol}: {report:#}");
}

#[test]
fn browser_calls_connect_node() {
    let Some(peers) = peers() else { return };
    let Some(chromium) = chromium() else { return };
    let page = PageServer::start(peers);
    let server = NodeServer::start(peers, &["--cors-origin", &page.origin()]);
    let report = page.report(chromium, &server.url(Port::Http1), BROWSER_TO_NODE);
    for protocol in BROWSER_TO_NODE {
        check_report(&report, protocol, Answering::ConnectNode);
    }
}

#[test]
fn browser_calls_apicli_serve() {
    let Some(peers) = peers() else { return };
    let Some(chromium) = chromium() else { return };
    let page = PageServer::start(peers);
    let server = Server::start(&["--cors-origin", &page.origin()]);
    let report = page.report(chromium, &server.url(), BROWSER_TO_SERVE);
    for protocol in BROWSER_TO_SERVE {
        check_report(&report, protocol, Answering::ApicliServe);
    }
}

// ---------------------------------------------------------------------------------------------
// buf curl → apicli serve (and → connect-node, to know the cells work)
// ---------------------------------------------------------------------------------------------

/// `buf curl` in `cell` calls api.Api at `url`: a greeting, a stream, and getAll(-1), refused.
fn check_buf_curl(
    peers: &Peers,
    url: &str,
    (protocol, prior_knowledge): (&str, bool),
    server: Answering,
) {
    let label = format!(
        "buf curl --protocol {protocol}{} to {server:?}",
        if prior_knowledge {
            " --http2-prior-knowledge"
        } else {
            ""
        }
    );
    let curl = |method: &str, data: &str| {
        let mut cmd = Command::new(&peers.buf);
        cmd.args([
            "curl",
            "--protocol",
            protocol,
            "--schema",
            "proto/api.proto",
            "--data",
            data,
        ]);
        if prior_knowledge {
            cmd.arg("--http2-prior-knowledge");
        }
        cmd.arg(format!("{url}/api.Api/{method}"));
        run(no_proxy(&mut cmd))
    };
    let documents = |text: &str| -> Vec<Value> {
        serde_json::Deserializer::from_str(text)
            .into_iter::<Value>()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|err| panic!("{label}: not JSON ({err}): {text}"))
    };

    let ran = curl("sayHello", r#"{"name":"Gonzalo"}"#);
    ran.assert_code(0);
    assert_eq!(
        documents(&ran.stdout),
        [json!({"message": "Hello Gonzalo!"})],
        "{label}: {ran}"
    );

    let ran = curl("getStream", r#"{"length":3}"#);
    ran.assert_code(0);
    assert_eq!(documents(&ran.stdout), items_json(3), "{label}: {ran}");

    // buf curl exits with 8 × the code, and prints the error as Connect's JSON.
    let ran = curl("getAll", r#"{"length":-1}"#);
    ran.assert_code(8 * 3);
    let error = documents(&ran.stderr);
    assert_eq!(error[0]["code"], "invalid_argument", "{label}: {ran}");
    let message = error[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("length -1 is out of range"),
        "{label}: {ran}"
    );
    if server == Answering::ConnectNode {
        assert_eq!(
            error[0]["details"][0]["type"], "google.rpc.BadRequest",
            "{label}: {ran}"
        );
    }
}

#[test]
fn buf_curl_calls_apicli_serve() {
    let Some(peers) = peers() else { return };
    let server = Server::start(&[]);
    for &cell in BUF_CURL_TO_SERVE {
        check_buf_curl(peers, &server.url(), cell, Answering::ApicliServe);
    }
}

#[test]
fn buf_curl_calls_connect_node_in_every_cell() {
    let Some(peers) = peers() else { return };
    let server = NodeServer::start(peers, &[]);
    for cell in [
        ("grpc", true),
        ("connect", true),
        ("grpcweb", true),
        ("connect", false),
        ("grpcweb", false),
    ] {
        let port = if cell.1 { Port::H2c } else { Port::Http1 };
        check_buf_curl(peers, &server.url(port), cell, Answering::ConnectNode);
    }
}

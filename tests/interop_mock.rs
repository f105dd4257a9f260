//! Interop for `apicli serve` as a test double: clients that no one here wrote call it.
//!
//! - grpcurl (reflection v1alpha) and buf curl (gRPC and Connect) on the stubs of
//!   `examples/routeguide/`: every RPC kind, templates, an error with details, a miss explained,
//!   the admin service, hot reload;
//! - the route-guide client of gRPC's Python example (grpcio, `tests/interop/route_guide_client.py`):
//!   every RPC kind, and each fault as grpcio reports it;
//! - a double recorded from grpcio's RouteGuide server answers as that server did.
//!
//! The peers are installed by `tests/interop/setup.sh`, as for `tests/interop.rs`.

mod common;

use std::{
    fs,
    path::Path,
    process::Command,
    thread,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use common::{
    Server,
    peers::{Peers, PyServer, Ran, no_proxy, run},
    route_guide::check_every_kind,
};

const PROTO: &str = "proto/route_guide.proto";
const STUBS: &str = "examples/routeguide/stubs";
/// The point the examples' first GetFeature stub knows.
const KNOWN_POINT: &str = r#"{"latitude":409146138,"longitude":-746188906}"#;
const KNOWN_NAME: &str = "Berkshire Valley Management Area Trail, Jefferson, NJ, USA";

fn peers() -> Option<&'static Peers> {
    common::peers::peers("interop")
}

/// `apicli serve` on the example stubs (or `stubs`), with `extra` flags.
fn double(stubs: &str, extra: &[&str]) -> Server {
    let mut args = vec!["--proto", PROTO, "--stubs", stubs];
    args.extend_from_slice(extra);
    Server::start(&args)
}

/// `grpcurl -plaintext ARGS`, where ARGS end with the address and the method.
fn grpcurl(peers: &Peers, args: &[&str]) -> Ran {
    let mut cmd = Command::new(&peers.grpcurl);
    no_proxy(cmd.arg("-plaintext").args(args));
    run(&mut cmd)
}

/// The route-guide client of gRPC's Python example: `KIND JSON` against `addr`.
fn python_client(peers: &Peers, addr: &str, kind: &str, data: &str, extra: &[&str]) -> Ran {
    let mut cmd = peers.python("route_guide_client.py");
    cmd.args([addr, kind, data]).args(extra);
    run(&mut cmd)
}

/// The messages of the JSON objects in `text` (grpcurl's indented ones, or JSON lines).
fn messages(text: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .map(|value| value.expect("JSON objects"))
        .collect()
}

/// What the stderr of the Python client says: `{"code": …, "details": …}` and the metadata.
fn python_report(ran: &Ran, key: &str) -> Value {
    ran.stderr
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find_map(|value| value.get(key).cloned())
        .unwrap_or_else(|| panic!("no {key} in the client's stderr:\n{}", ran.stderr))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).expect("write a stub file");
    path.display().to_string()
}

// ---------------------------------------------------------------------------------------------
// grpcurl
// ---------------------------------------------------------------------------------------------

#[test]
fn grpcurl_calls_every_kind_of_the_example_double() {
    let Some(peers) = peers() else { return };
    let server = double(STUBS, &[]);
    let addr = server.addr.as_str();

    let listed = grpcurl(peers, &[addr, "list"]);
    listed.assert_code(0);
    assert!(
        listed.stdout.contains("routeguide.RouteGuide"),
        "{}",
        listed.stdout
    );

    let known = grpcurl(
        peers,
        &["-d", KNOWN_POINT, addr, "routeguide.RouteGuide/GetFeature"],
    );
    known.assert_code(0);
    assert_eq!(messages(&known.stdout)[0]["name"], KNOWN_NAME);

    // The template stub: the request's fields and a header in the reply.
    let templated = grpcurl(
        peers,
        &[
            "-H",
            "x-user: ada",
            "-d",
            r#"{"latitude":400000001,"longitude":7}"#,
            addr,
            "routeguide.RouteGuide/GetFeature",
        ],
    );
    templated.assert_code(0);
    let feature = &messages(&templated.stdout)[0];
    let name = feature["name"].as_str().unwrap();
    assert!(
        name.starts_with("Somewhere for ada at 400000001, seen 20"),
        "{name}"
    );
    assert_eq!(
        feature["location"],
        json!({"latitude": 400000001, "longitude": 7})
    );

    // Server stream: the script, its repeat from the request, and the trailer.
    let listed = grpcurl(
        peers,
        &[
            "-v",
            "-d",
            r#"{"lo":{"latitude":2}}"#,
            addr,
            "routeguide.RouteGuide/ListFeatures",
        ],
    );
    listed.assert_code(0);
    let names: Vec<Value> = (messages(&response_contents(&listed.stdout)).iter())
        .map(|feature| feature["name"].clone())
        .collect();
    assert_eq!(names, [json!("first"), json!("again 1"), json!("again 1")]);
    assert!(listed.stdout.contains("x-listed: yes"), "{}", listed.stdout);

    // Client stream: the `messages` match, then the catch-all.
    let route = grpcurl(
        peers,
        &[
            "-d",
            r#"{"latitude":0,"longitude":5} {"latitude":3,"longitude":-4}"#,
            addr,
            "routeguide.RouteGuide/RecordRoute",
        ],
    );
    route.assert_code(0);
    assert_eq!(messages(&route.stdout)[0]["featureCount"], 1);
    let one = grpcurl(
        peers,
        &[
            "-d",
            r#"{"latitude":7}"#,
            addr,
            "routeguide.RouteGuide/RecordRoute",
        ],
    );
    one.assert_code(0);
    assert_eq!(messages(&one.stdout)[0]["pointCount"], 1);

    // Bidi: the script's own messages, a rule's reply, the wait for half-close.
    let chat = grpcurl(
        peers,
        &[
            "-d",
            r#"{"message":"ping 1","location":{"latitude":5}} {"message":"quiet"}"#,
            addr,
            "routeguide.RouteGuide/RouteChat",
        ],
    );
    chat.assert_code(0);
    let said: Vec<Value> = (messages(&chat.stdout).iter())
        .map(|note| note["message"].clone())
        .collect();
    assert_eq!(
        said,
        [
            json!("hello"),
            json!("pong to ping 1"),
            json!("two notes in"),
            json!("bye")
        ]
    );
}

/// grpcurl `-v` output's messages, without its headers and trailers.
fn response_contents(verbose: &str) -> String {
    verbose
        .split("Response contents:")
        .skip(1)
        .map(|part| part.split("\n\n").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn grpcurl_sees_an_error_with_details_and_a_miss_explained() {
    let Some(peers) = peers() else { return };
    let server = double(STUBS, &[]);
    let addr = server.addr.as_str();

    let error = grpcurl(
        peers,
        &[
            "-d",
            r#"{"latitude":1,"longitude":2}"#,
            addr,
            "routeguide.RouteGuide/GetFeature",
        ],
    );
    error.assert_code(69); // grpcurl exits 64 + the code, as apicli does
    assert!(error.stderr.contains("Code: NotFound"), "{}", error.stderr);
    assert!(
        error.stderr.contains("Message: no feature at 1,2"),
        "{}",
        error.stderr
    );
    // grpcurl names the detail's type (it cannot decode google.rpc types it was not told of).
    assert!(
        error
            .stderr
            .contains("type.googleapis.com/google.rpc.ErrorInfo"),
        "{}",
        error.stderr
    );

    let dir = tempfile::tempdir().unwrap();
    let stubs = write(
        dir.path(),
        "only.yaml",
        "- method: routeguide.RouteGuide/GetFeature\n  match:\n    request:\n      equals: {latitude: 1, longitude: 2}\n  reply:\n    message: {name: one}\n",
    );
    let strict = double(&stubs, &["--no-watch"]);
    let miss = grpcurl(
        peers,
        &[
            "-d",
            r#"{"latitude":5,"longitude":2}"#,
            &strict.addr,
            "routeguide.RouteGuide/GetFeature",
        ],
    );
    miss.assert_code(64 + 12);
    assert!(
        miss.stderr.contains("Code: Unimplemented"),
        "{}",
        miss.stderr
    );
    assert!(
        miss.stderr.contains(&format!("{stubs}:1")) && miss.stderr.contains("want 1, got 5"),
        "the miss names the closest stub and the field that differs:\n{}",
        miss.stderr
    );
}

#[test]
fn grpcurl_reaches_the_admin_service_and_sees_a_reload() {
    let Some(peers) = peers() else { return };
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(
        dir.path(),
        "feature.yaml",
        "- method: routeguide.RouteGuide/GetFeature\n  reply:\n    message: {name: before}\n",
    );
    let server = double(&stubs, &[]);
    let addr = server.addr.as_str();
    let get = || {
        grpcurl(
            peers,
            &[
                "-d",
                r#"{"latitude":1}"#,
                addr,
                "routeguide.RouteGuide/GetFeature",
            ],
        )
    };
    assert_eq!(messages(&get().stdout)[0]["name"], "before");

    let verify = |body: &str| grpcurl(peers, &["-d", body, addr, "apicli.mock.v1.Mock/Verify"]);
    verify(r#"{"method":"routeguide.RouteGuide/GetFeature","exactly":1}"#).assert_code(0);
    let failed = verify(r#"{"method":"routeguide.RouteGuide/GetFeature","exactly":2}"#);
    failed.assert_code(64 + 9);
    assert!(
        failed.stderr.contains("FailedPrecondition"),
        "{}",
        failed.stderr
    );

    // Hot reload: the edit is served without a restart.
    fs::write(
        &stubs,
        "- method: routeguide.RouteGuide/GetFeature\n  reply:\n    message: {name: after}\n",
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let name = messages(&get().stdout)[0]["name"].clone();
        if name == "after" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the edit was not served: still {name}"
        );
        thread::sleep(Duration::from_millis(100));
    }
}

// ---------------------------------------------------------------------------------------------
// buf curl
// ---------------------------------------------------------------------------------------------

#[test]
fn buf_curl_calls_the_double_over_grpc_and_connect() {
    let Some(peers) = peers() else { return };
    let server = double(STUBS, &[]);
    let url = format!("{}/routeguide.RouteGuide/GetFeature", server.url());

    // gRPC over h2c, descriptors by reflection.
    let mut cmd = Command::new(&peers.buf);
    no_proxy(cmd.args([
        "curl",
        "--protocol",
        "grpc",
        "--http2-prior-knowledge",
        "-d",
        KNOWN_POINT,
        &url,
    ]));
    let grpc = run(&mut cmd);
    grpc.assert_code(0);
    assert_eq!(messages(&grpc.stdout)[0]["name"], KNOWN_NAME);

    // Connect over HTTP/1.1: the error with its details.
    let mut cmd = Command::new(&peers.buf);
    no_proxy(cmd.args([
        "curl",
        "--protocol",
        "connect",
        "--schema",
        PROTO,
        "-d",
        r#"{"latitude":1,"longitude":2}"#,
        &url,
    ]));
    let connect = run(&mut cmd);
    assert_ne!(connect.code, Some(0));
    let error = &messages(&connect.stderr)[0];
    assert_eq!(error["code"], "not_found", "{error}");
    assert_eq!(error["message"], "no feature at 1,2");
    assert_eq!(error["details"][0]["type"], "google.rpc.ErrorInfo");
}

// ---------------------------------------------------------------------------------------------
// grpcio: gRPC's Python route-guide client
// ---------------------------------------------------------------------------------------------

#[test]
fn python_route_guide_client_calls_every_kind() {
    let Some(peers) = peers() else { return };
    let server = double(STUBS, &[]);
    let addr = server.addr.as_str();

    let feature = python_client(peers, addr, "get-feature", KNOWN_POINT, &[]);
    feature.assert_code(0);
    assert_eq!(feature.json_lines()[0]["name"], KNOWN_NAME);
    let headers = python_report(&feature, "initial_metadata");
    assert!(
        headers
            .to_string()
            .contains(r#"["x-served-by","apicli call 1"]"#),
        "{headers}"
    );

    let listed = python_client(
        peers,
        addr,
        "list-features",
        r#"{"lo":{"latitude":1}}"#,
        &[],
    );
    listed.assert_code(0);
    assert_eq!(listed.json_lines().len(), 2);
    assert_eq!(
        python_report(&listed, "trailing_metadata"),
        json!([["x-listed", "yes"]])
    );

    let route = python_client(
        peers,
        addr,
        "record-route",
        r#"[{"latitude":0,"longitude":1},{"latitude":2,"longitude":3}]"#,
        &[],
    );
    route.assert_code(0);
    assert_eq!(route.json_lines()[0]["pointCount"], 2);

    let chat = python_client(
        peers,
        addr,
        "route-chat",
        r#"[{"message":"ping a"},{"message":"b"}]"#,
        &[],
    );
    chat.assert_code(0);
    let said: Vec<Value> = chat
        .json_lines()
        .iter()
        .map(|n| n["message"].clone())
        .collect();
    assert_eq!(
        said,
        [
            json!("hello"),
            json!("pong to ping a"),
            json!("two notes in"),
            json!("bye")
        ]
    );
}

/// One stub per fault, on ListFeatures, chosen by the `x-fault` header.
const FAULTS: &str = "
- method: routeguide.RouteGuide/ListFeatures
  match: {headers: {x-fault: reset-cancel}}
  reply:
    stream: [{message: {name: one}, repeat: 5}]
    fault: {kind: reset, after: 2, code: CANCEL}
- method: routeguide.RouteGuide/ListFeatures
  match: {headers: {x-fault: reset-internal}}
  reply:
    stream: [{message: {name: one}, repeat: 5}]
    fault: {kind: reset, after: 2, code: INTERNAL_ERROR}
- method: routeguide.RouteGuide/ListFeatures
  match: {headers: {x-fault: refused}}
  reply:
    fault: {kind: reset, code: REFUSED_STREAM}
- method: routeguide.RouteGuide/ListFeatures
  match: {headers: {x-fault: goaway}}
  reply:
    stream: [{message: {name: one}, repeat: 5}]
    fault: {kind: goaway, after: 1}
- method: routeguide.RouteGuide/ListFeatures
  match: {headers: {x-fault: close}}
  reply:
    stream: [{message: {name: one}, repeat: 5}]
    fault: {kind: close, after: 1}
- method: routeguide.RouteGuide/ListFeatures
  match: {headers: {x-fault: stall}}
  reply:
    stream: [{message: {name: one}, repeat: 5}]
    fault: {kind: stall, after: 1}
";

#[test]
fn python_client_sees_each_fault_as_grpcio_reports_it() {
    let Some(peers) = peers() else { return };
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "faults.yaml", FAULTS);
    let server = double(&stubs, &["--no-watch"]);
    // (fault, the status grpcio reports, the messages that arrived first)
    let cases = [
        ("reset-cancel", "CANCELLED", 2),
        ("reset-internal", "INTERNAL", 2),
        ("refused", "UNAVAILABLE", 0),
        ("goaway", "UNAVAILABLE", 1),
        ("close", "UNAVAILABLE", 1),
        ("stall", "DEADLINE_EXCEEDED", 1),
    ];
    for (fault, code, arrived) in cases {
        let header = format!("x-fault={fault}");
        let ran = python_client(
            peers,
            &server.addr,
            "list-features",
            "{}",
            &["--metadata", &header, "--timeout", "1.5"],
        );
        assert_eq!(python_report(&ran, "code"), code, "{fault}: {}", ran.stderr);
        assert_eq!(ran.json_lines().len(), arrived, "{fault}: {}", ran.stdout);
    }
    // The server is still there for the next call.
    let after = python_client(peers, &server.addr, "get-feature", KNOWN_POINT, &[]);
    assert_eq!(
        python_report(&after, "code"),
        "UNIMPLEMENTED",
        "{}",
        after.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Record, then replay
// ---------------------------------------------------------------------------------------------

#[test]
fn a_double_recorded_from_grpcio_answers_as_grpcio_did() {
    let Some(peers) = peers() else { return };
    let live = PyServer::route_guide(peers, &[]);
    let dir = tempfile::tempdir().unwrap();
    let recorded = dir.path().join("recorded");
    let recorded = recorded.display().to_string();
    let source = ["--proto".to_owned(), "proto/route_guide.proto".to_owned()];

    {
        let recorder = Server::start(&[
            "--record-from",
            &live.url(),
            "--stubs",
            &recorded,
            "--proto",
            "proto/route_guide.proto",
        ]);
        check_every_kind(&recorder.url(), &source, "through the recorder");
    }
    let files = fs::read_dir(&recorded).unwrap().count();
    assert!(files >= 5, "one file per call, {files} written");

    let replay = Server::start(&["--proto", "proto/route_guide.proto", "--stubs", &recorded]);
    check_every_kind(&replay.url(), &source, "the replay");
}

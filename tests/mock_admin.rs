//! The test double's journal and admin service, reached with `apicli call` as a user would: the
//! calls of every kind listed, filtered and verified; stubs added, listed and reset;
//! `--journal-limit`; the token; hot reload and `--no-watch`; and `--report-unused`'s exit 3.
//!
//! Each test serves the built-in routeguide.RouteGuide from a stub file, so no descriptor flag
//! is needed, and the admin service is described by the double's reflection.

mod common;

use std::{path::Path, thread, time::Duration};

use common::{Server, apicli, assert_exit, json_lines, output_of, stderr, stdout};
use serde_json::{Value, json};

const GET: &str = "routeguide.RouteGuide/GetFeature";

/// A stub for each kind, at lines 1, 7, 11 and 14.
const STUBS: &str = "\
- method: routeguide.RouteGuide/GetFeature
  match:
    request:
      contains: {latitude: 1}
  reply:
    message: {name: first}
- method: routeguide.RouteGuide/ListFeatures
  reply:
    stream:
      - message: {name: listed}
- method: routeguide.RouteGuide/RecordRoute
  reply:
    message: {point_count: 2}
- method: routeguide.RouteGuide/RouteChat
  reply:
    on:
      - reply:
          - message: {message: echo}
";

/// GetFeature at latitude 1 (line 1), and ListFeatures (line 4).
const TWO_STUBS: &str = "\
- method: routeguide.RouteGuide/GetFeature
  match: {request: {contains: {latitude: 1}}}
  reply: {message: {name: first}}
- method: routeguide.RouteGuide/ListFeatures
  reply: {stream: [{message: {name: listed}}]}
";

/// How long a test waits for a reload it expects.
const RELOAD: Duration = Duration::from_secs(10);

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a stub file");
    path.display().to_string()
}

/// `apicli call --addr SERVER METHOD -d DATA -o json ARGS…`: exit code, stdout lines as JSON,
/// stderr.
fn call(server: &Server, method: &str, data: &str, args: &[&str]) -> (i32, Vec<Value>, String) {
    let output = output_of(
        apicli()
            .args(["call", "--addr", &server.url(), method, "-o", "json", "-d"])
            .arg(data)
            .args(args),
    );
    (
        output.status.code().unwrap_or(-1),
        json_lines(&stdout(&output)),
        stderr(&output),
    )
}

/// A call of the admin service: its one reply, or the exit code and stderr.
fn admin(server: &Server, method: &str, data: Value) -> Result<Value, (i32, String)> {
    let method = format!("apicli.mock.v1.Mock/{method}");
    match call(server, &method, &data.to_string(), &[]) {
        (0, mut replies, _) if replies.len() == 1 => Ok(ints(&replies.remove(0))),
        (code, replies, err) => Err((code, format!("{replies:?} {err}"))),
    }
}

/// The calls ListCalls lists for `filters`.
fn list_calls(server: &Server, filters: Value) -> Vec<Value> {
    let listed = admin(server, "ListCalls", filters).expect("ListCalls");
    listed["calls"].as_array().cloned().unwrap_or_default()
}

/// `value` with each whole number as an integer: the requests travel as google.protobuf.Value,
/// whose numbers are doubles.
fn ints(value: &Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 => json!(f as i64),
            _ => value.clone(),
        },
        Value::Array(items) => items.iter().map(ints).collect(),
        Value::Object(fields) => (fields.iter())
            .map(|(name, value)| (name.clone(), ints(value)))
            .collect(),
        _ => value.clone(),
    }
}

/// Calls GetFeature until it replies `name`, at most for `limit`; whether it did.
fn replies_eventually(server: &Server, name: &str, limit: Duration) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if call(server, GET, r#"{"latitude": 1}"#, &[]).1 == [json!({"name": name})] {
            return true;
        }
        thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn a_call_of_each_kind_is_listed_with_its_requests_stub_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs]);
    let calls = [
        (GET, r#"{"latitude": 1}"#, 0),
        (GET, r#"{"latitude": 5}"#, 64 + 12),
        (
            "routeguide.RouteGuide/ListFeatures",
            r#"{"lo": {"latitude": 1}}"#,
            0,
        ),
        (
            "routeguide.RouteGuide/RecordRoute",
            r#"{"latitude": 1} {"latitude": 2}"#,
            0,
        ),
        (
            "routeguide.RouteGuide/RouteChat",
            r#"{"message": "a"} {"message": "b"}"#,
            0,
        ),
    ];
    for (method, data, code) in calls {
        let (got, _, err) = call(&server, method, data, &["-H", "x-api-key: s3cret"]);
        assert_eq!(got, code, "{method}: {err}");
    }

    let listed = list_calls(&server, json!({}));
    let seen: Vec<(&str, Value, &str, &str)> = listed
        .iter()
        .map(|call| {
            (
                call["method"].as_str().unwrap(),
                call["requests"].clone(),
                call["stub"].as_str().unwrap_or(""),
                call["code"].as_str().unwrap(),
            )
        })
        .collect();
    let at = |line: u32| format!("{stubs}:{line}");
    assert_eq!(
        seen,
        [
            (GET, json!([{"latitude": 1}]), at(1).as_str(), "OK"),
            (GET, json!([{"latitude": 5}]), "", "UNIMPLEMENTED"),
            (
                "routeguide.RouteGuide/ListFeatures",
                json!([{"lo": {"latitude": 1}}]),
                at(7).as_str(),
                "OK"
            ),
            (
                "routeguide.RouteGuide/RecordRoute",
                json!([{"latitude": 1}, {"latitude": 2}]),
                at(11).as_str(),
                "OK"
            ),
            (
                "routeguide.RouteGuide/RouteChat",
                json!([{"message": "a"}, {"message": "b"}]),
                at(14).as_str(),
                "OK"
            ),
        ]
    );
    let first = &listed[0];
    assert_eq!(first["headers"]["x-api-key"], "[redacted]");
    assert!(first["peer"].as_str().unwrap().starts_with("127.0.0.1:"));
    assert!(first["start"].is_string() && first["duration"].is_string());
    let missed = &listed[1];
    let miss = missed["miss"].as_str().unwrap();
    assert!(miss.contains(&format!("closest is {stubs}:1")), "{missed}");
    assert_eq!(missed["message"], miss, "the status message the client got");
}

#[test]
fn calls_are_filtered_by_method_request_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs]);
    for latitude in [1, 2, 1] {
        call(
            &server,
            GET,
            &json!({"latitude": latitude}).to_string(),
            &[],
        );
    }
    call(
        &server,
        "routeguide.RouteGuide/ListFeatures",
        r#"{"lo": {"latitude": 1}}"#,
        &[],
    );

    assert_eq!(list_calls(&server, json!({"method": GET})).len(), 3);
    let at_1 = list_calls(
        &server,
        json!({"method": GET, "request": {"equals": {"latitude": 1}}}),
    );
    assert_eq!(at_1.len(), 2);
    // Without a method, the match is tried on each call whose request type it fits.
    let matched = list_calls(
        &server,
        json!({"request": {"matches": {"latitude": "^2$"}}}),
    );
    assert_eq!(matched.len(), 1);
    assert_eq!(matched[0]["requests"], json!([{"latitude": 2}]));

    let all = list_calls(&server, json!({}));
    let second = all[1]["start"].clone();
    let since = list_calls(&server, json!({"since": second}));
    assert_eq!(since.len(), 3, "since is inclusive");
    assert_eq!(since[0]["requests"], json!([{"latitude": 2}]));
    let until = list_calls(&server, json!({"until": second}));
    assert_eq!(until.len(), 1, "until is exclusive");
    assert_eq!(until[0]["requests"], json!([{"latitude": 1}]));

    // 64 + INVALID_ARGUMENT (3).
    let (code, err) = admin(
        &server,
        "ListCalls",
        json!({"method": GET, "request": {"contains": {"lat": 1}}}),
    )
    .unwrap_err();
    assert_eq!(code, 67, "{err}");
    assert!(err.contains("unknown field 'lat'"), "{err}");
}

#[test]
fn verify_answers_ok_or_failed_precondition_with_what_it_saw() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs]);
    for latitude in [1, 5] {
        call(
            &server,
            GET,
            &json!({"latitude": latitude}).to_string(),
            &[],
        );
    }

    let verified = admin(&server, "Verify", json!({"method": GET, "exactly": 2}));
    assert_eq!(verified, Ok(json!({"count": 2})));
    let verified = admin(
        &server,
        "Verify",
        json!({"method": GET, "request": {"contains": {"latitude": 5}}, "atMost": 1}),
    );
    assert_eq!(verified, Ok(json!({"count": 1})));

    // 64 + FAILED_PRECONDITION (9).
    let (code, err) = admin(
        &server,
        "Verify",
        json!({"method": GET, "request": {"contains": {"latitude": 1}}, "atLeast": 2}),
    )
    .unwrap_err();
    assert_eq!(code, 73, "{err}");
    assert!(err.contains("wanted at least 2 calls of routeguide.RouteGuide/GetFeature with a request matching {\"contains\":{\"latitude\":1}}, saw 1"), "{err}");
    assert!(
        err.contains(&format!("{{\"latitude\":1}} → OK by {stubs}:1")),
        "{err}"
    );
    assert!(
        err.contains("{\"latitude\":5} → UNIMPLEMENTED (no stub matched"),
        "{err}"
    );

    let (code, err) = admin(
        &server,
        "Verify",
        json!({"method": "routeguide.RouteGuide/RouteChat"}),
    )
    .unwrap_err();
    assert_eq!(code, 73, "{err}");
    assert!(
        err.contains("saw 0; no call of routeguide.RouteGuide/RouteChat is in the journal"),
        "{err}"
    );

    // 64 + INVALID_ARGUMENT (3).
    let (code, err) = admin(
        &server,
        "Verify",
        json!({"method": "routeguide.RouteGuide/Nope"}),
    )
    .unwrap_err();
    assert_eq!(code, 67, "{err}");
}

#[test]
fn stubs_are_added_listed_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", TWO_STUBS);
    let server = Server::start(&["--stubs", &stubs]);
    call(&server, GET, r#"{"latitude": 1}"#, &[]);

    let (code, err) = admin(
        &server,
        "AddStubs",
        json!({"text": "- method: routeguide.RouteGuide/GetFeature\n  repy: {}\n"}),
    )
    .unwrap_err();
    assert_eq!(code, 67, "{err}");
    assert!(err.contains("AddStubs:2:3: unknown key 'repy'"), "{err}");
    let listed = admin(&server, "ListStubs", json!({})).unwrap();
    assert_eq!(listed["stubs"].as_array().unwrap().len(), 2, "unchanged");

    let added = admin(
        &server,
        "AddStubs",
        json!({"text": "- method: routeguide.RouteGuide/GetFeature\n  reply:\n    message: {name: added}\n"}),
    );
    assert_eq!(added, Ok(json!({"added": 1, "total": 3})));
    let (_, got, _) = call(&server, GET, r#"{"latitude": 7}"#, &[]);
    assert_eq!(got, [json!({"name": "added"})], "served at once");

    let listed = admin(&server, "ListStubs", json!({})).unwrap();
    let summary: Vec<(&str, &str, &str, bool)> = listed["stubs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stub| {
            (
                stub["origin"].as_str().unwrap(),
                stub["method"].as_str().unwrap(),
                stub["hits"].as_str().unwrap_or("0"),
                stub["added"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    let (at_1, at_4) = (format!("{stubs}:1"), format!("{stubs}:4"));
    assert_eq!(
        summary,
        [
            (at_1.as_str(), GET, "1", false),
            (
                at_4.as_str(),
                "routeguide.RouteGuide/ListFeatures",
                "0",
                false
            ),
            ("AddStubs:1", GET, "1", true),
        ]
    );
    let only = admin(
        &server,
        "ListStubs",
        json!({"method": "routeguide.RouteGuide/ListFeatures"}),
    )
    .unwrap();
    assert_eq!(only["stubs"].as_array().unwrap().len(), 1);

    assert_eq!(admin(&server, "Reset", json!({})), Ok(json!({})));
    let listed = admin(&server, "ListStubs", json!({})).unwrap();
    let hits: Vec<(&str, &Value)> = listed["stubs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stub| (stub["origin"].as_str().unwrap(), &stub["hits"]))
        .collect();
    assert_eq!(
        hits,
        [(at_1.as_str(), &Value::Null), (at_4.as_str(), &Value::Null)],
        "the files' stubs, with no hits"
    );
    assert_eq!(list_calls(&server, json!({})), Vec::<Value>::new());
    let (code, _, _) = call(&server, GET, r#"{"latitude": 7}"#, &[]);
    assert_eq!(code, 64 + 12, "the added stub is gone");
}

#[test]
fn the_journal_keeps_the_newest_calls_within_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs, "--journal-limit", "3"]);
    for latitude in 1..=5 {
        call(
            &server,
            GET,
            &json!({"latitude": latitude}).to_string(),
            &[],
        );
    }
    let listed = admin(&server, "ListCalls", json!({})).unwrap();
    let requests: Vec<&Value> = listed["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["requests"][0]["latitude"])
        .collect();
    assert_eq!(requests, [&json!(3), &json!(4), &json!(5)]);
    assert_eq!(listed["dropped"], "2");
}

#[test]
fn the_token_guards_the_admin_service() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let token = write(dir.path(), "token", "s3cret\n");
    let server = Server::start(&["--stubs", &stubs, "--token-file", &token]);
    // Described by the proto file, so that the refusal is the admin service's own, not
    // reflection's: 64 + UNAUTHENTICATED (16).
    let proto = concat!(env!("CARGO_MANIFEST_DIR"), "/proto/mock.proto");
    let (code, _, err) = call(
        &server,
        "apicli.mock.v1.Mock/ListCalls",
        "{}",
        &["--proto", proto],
    );
    assert_eq!(code, 80, "{err}");
    assert!(err.contains("UNAUTHENTICATED"), "{err}");
    let (code, listed, err) = call(
        &server,
        "apicli.mock.v1.Mock/ListStubs",
        "{}",
        &["--token-file", &token],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(listed[0]["stubs"].as_array().unwrap().len(), 4);
}

#[test]
fn the_admin_service_speaks_connect_with_json() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs]);
    call(&server, GET, r#"{"latitude": 1}"#, &[]);
    let (code, listed, err) = call(
        &server,
        "apicli.mock.v1.Mock/Verify",
        &json!({"method": GET}).to_string(),
        &["--protocol", "connect", "--codec", "json"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(listed, [json!({"count": 1})]);
}

#[test]
fn an_edit_is_served_and_a_broken_one_keeps_the_last_good_set() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs]);
    assert!(replies_eventually(&server, "first", RELOAD));

    write(dir.path(), "route.yaml", &STUBS.replace("first", "edited"));
    assert!(
        replies_eventually(&server, "edited", RELOAD),
        "{}",
        server.log()
    );
    assert!(server.log().contains("stubs reloaded"), "{}", server.log());

    write(
        dir.path(),
        "route.yaml",
        &STUBS.replace("message: {name: first}", "mesage: {name: broken}"),
    );
    assert!(
        server.wait_for_log("stubs not reloaded", RELOAD),
        "{}",
        server.log()
    );
    assert!(
        server
            .log()
            .contains(&format!("{stubs}:6:5: unknown key 'mesage'")),
        "{}",
        server.log()
    );
    let (_, got, _) = call(&server, GET, r#"{"latitude": 1}"#, &[]);
    assert_eq!(got, [json!({"name": "edited"})], "the last good set stays");
}

#[test]
fn no_watch_serves_the_stubs_as_they_were_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs, "--no-watch"]);
    write(dir.path(), "route.yaml", &STUBS.replace("first", "edited"));
    // Longer than a reload takes when the files are watched.
    thread::sleep(Duration::from_secs(2));
    let (_, got, _) = call(&server, GET, r#"{"latitude": 1}"#, &[]);
    assert_eq!(got, [json!({"name": "first"})]);
    assert!(!server.log().contains("reloaded"), "{}", server.log());
}

#[test]
fn report_unused_names_the_stubs_never_matched_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", TWO_STUBS);
    let mut server = Server::start(&["--stubs", &stubs, "--report-unused"]);
    call(&server, GET, r#"{"latitude": 1}"#, &[]);
    server.signal("TERM");
    let status = server.wait_exit(Duration::from_secs(20));
    assert_eq!(status.code(), Some(3), "{}", server.log());
    // The log is read on a thread of its own, which may still be at it.
    assert!(
        server.wait_for_log("never matched a call", Duration::from_secs(10)),
        "{}",
        server.log()
    );
    let log = server.log();
    assert!(
        log.contains(&format!(
            "stub never matched: {stubs}:4 routeguide.RouteGuide/ListFeatures"
        )),
        "{log}"
    );
    assert!(!log.contains(&format!("{stubs}:1 ")), "{log}");
    assert!(log.contains("1 stub never matched a call"), "{log}");

    let mut all_used = Server::start(&["--stubs", &stubs, "--report-unused"]);
    call(&all_used, GET, r#"{"latitude": 1}"#, &[]);
    let output = output_of(apicli().args([
        "call",
        "--addr",
        &all_used.url(),
        "routeguide.RouteGuide/ListFeatures",
        "-d",
        "{}",
    ]));
    assert_exit(&output, 0);
    all_used.signal("TERM");
    let status = all_used.wait_exit(Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{}", all_used.log());
    assert!(
        all_used.wait_for_log("stopped", Duration::from_secs(10)),
        "{}",
        all_used.log()
    );
    assert!(
        !all_used.log().contains("never matched"),
        "{}",
        all_used.log()
    );
}

#[test]
fn a_fault_is_listed_as_the_client_saw_it() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(
        dir.path(),
        "faults.yaml",
        "\
- method: routeguide.RouteGuide/ListFeatures
  reply:
    stream: [{message: {name: a}, repeat: 2}]
    fault: {kind: reset, after: 1, code: CANCEL}
- method: routeguide.RouteGuide/GetFeature
  reply:
    message: {name: never}
    fault: {kind: close}
",
    );
    let server = Server::start(&["--stubs", &stubs]);
    let (code, _, err) = call(&server, "routeguide.RouteGuide/ListFeatures", "{}", &[]);
    assert_ne!(code, 0, "{err}");
    let (code, _, err) = call(&server, GET, "{}", &[]);
    assert_ne!(code, 0, "{err}");

    let ended: Vec<(Value, Value)> = list_calls(&server, json!({}))
        .iter()
        .map(|call| (call["code"].clone(), call["message"].clone()))
        .collect();
    assert_eq!(
        ended,
        [
            (json!("CANCELLED"), json!("reset CANCEL")),
            (json!("UNAVAILABLE"), json!("the connection was closed")),
        ]
    );
}

//! The test double's journal and admin service, reached with `apicli call` as a user would: the
//! calls listed and verified, stubs added, listed and reset, hot reload, `--journal-limit`,
//! the token, and `--report-unused`'s exit 3.
//!
//! Each test serves the built-in routeguide.RouteGuide from a stub file, so no descriptor
//! flag is needed.
//
// Ignored until `apicli serve --stubs` serves stubs and the admin service: enable them once
// the dynamic service and its flags are in.

mod common;

use std::{path::Path, time::Duration};

use common::{Server, apicli, assert_exit, json_lines, output_of, stderr, stdout};
use serde_json::{Value, json};

const GET: &str = "routeguide.RouteGuide/GetFeature";

/// A stub file answering GetFeature at latitude 1, and ListFeatures (which no test calls).
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
";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a stub file");
    path.display().to_string()
}

/// `apicli call --addr SERVER METHOD -d DATA -o json ARGS…`: exit code, stdout lines as JSON,
/// stderr.
fn call(server: &Server, method: &str, data: &Value, args: &[&str]) -> (i32, Vec<Value>, String) {
    let output = output_of(
        apicli()
            .args(["call", "--addr", &server.url(), method, "-o", "json", "-d"])
            .arg(data.to_string())
            .args(args),
    );
    (
        output.status.code().unwrap_or(-1),
        json_lines(&stdout(&output)),
        stderr(&output),
    )
}

fn admin(server: &Server, method: &str, data: Value) -> (i32, Vec<Value>, String) {
    call(server, &format!("apicli.mock.v1.Mock/{method}"), &data, &[])
}

#[test]
#[ignore = "needs serve's stubbed services and admin service"]
fn calls_are_listed_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs]);
    for latitude in [1, 5] {
        call(
            &server,
            GET,
            &json!({"latitude": latitude}),
            &["-H", "x-api-key: s3cret", "-H", "x-user: alice"],
        );
    }

    let (code, listed, err) = admin(
        &server,
        "ListCalls",
        json!({"method": GET, "request": {"contains": {"latitude": 1}}}),
    );
    assert_eq!(code, 0, "{err}");
    let calls = listed[0]["calls"].as_array().expect("calls");
    assert_eq!(calls.len(), 1, "{listed:?}");
    let first = &calls[0];
    assert_eq!(first["requests"], json!([{"latitude": 1}]));
    assert_eq!(first["stub"], format!("{stubs}:1"));
    assert_eq!(first["code"], "OK");
    assert_eq!(first["headers"]["x-api-key"], "[redacted]");
    assert_eq!(first["headers"]["x-user"], "alice");
    assert!(first["start"].is_string() && first["duration"].is_string());

    let (_, all, _) = admin(&server, "ListCalls", json!({"method": GET}));
    let missed = &all[0]["calls"][1];
    assert_eq!(missed["code"], "UNIMPLEMENTED");
    assert!(
        missed["miss"].as_str().unwrap().contains("closest is"),
        "{missed}"
    );

    let (code, verified, err) = admin(&server, "Verify", json!({"method": GET, "exactly": 2}));
    assert_eq!(code, 0, "{err}");
    assert_eq!(verified, [json!({"count": 2})]);

    // 64 + FAILED_PRECONDITION (9).
    let (code, _, err) = admin(
        &server,
        "Verify",
        json!({"method": GET, "request": {"contains": {"latitude": 1}}, "atLeast": 2}),
    );
    assert_eq!(code, 73, "{err}");
    assert!(err.contains("wanted at least 2 calls"), "{err}");
    assert!(err.contains("saw 1"), "{err}");

    // 64 + INVALID_ARGUMENT (3).
    let (code, _, err) = admin(
        &server,
        "Verify",
        json!({"method": "routeguide.RouteGuide/Nope"}),
    );
    assert_eq!(code, 67, "{err}");
}

#[test]
#[ignore = "needs serve's stubbed services and admin service"]
fn stubs_are_added_listed_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs]);

    let (code, _, err) = admin(
        &server,
        "AddStubs",
        json!({"text": "- method: routeguide.RouteGuide/GetFeature\n  repy: {}\n"}),
    );
    assert_eq!(code, 67, "{err}");
    assert!(err.contains("AddStubs:2:3"), "{err}");
    let (_, listed, _) = admin(&server, "ListStubs", json!({}));
    assert_eq!(listed[0]["stubs"].as_array().unwrap().len(), 2, "unchanged");

    let (code, added, err) = admin(
        &server,
        "AddStubs",
        json!({"text": "- method: routeguide.RouteGuide/GetFeature\n  reply:\n    message: {name: added}\n"}),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(added, [json!({"added": 1, "total": 3})]);
    let (_, got, _) = call(&server, GET, &json!({"latitude": 7}), &[]);
    assert_eq!(got, [json!({"name": "added"})]);

    let (_, listed, _) = admin(&server, "ListStubs", json!({"method": GET}));
    let stubs_listed = listed[0]["stubs"].as_array().unwrap();
    assert_eq!(stubs_listed.len(), 2);
    assert_eq!(stubs_listed[1]["origin"], "AddStubs:1");
    assert_eq!(stubs_listed[1]["hits"], "1");
    assert_eq!(stubs_listed[1]["added"], true);

    let (code, _, err) = admin(&server, "Reset", json!({}));
    assert_eq!(code, 0, "{err}");
    let (_, listed, _) = admin(&server, "ListStubs", json!({}));
    assert_eq!(listed[0]["stubs"].as_array().unwrap().len(), 2);
    let (_, calls, _) = admin(&server, "ListCalls", json!({}));
    assert_eq!(calls, [json!({})], "the journal is empty");
}

#[test]
#[ignore = "needs serve's stubbed services and admin service"]
fn the_journal_keeps_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs, "--journal-limit", "2"]);
    for latitude in [1, 2, 3] {
        call(&server, GET, &json!({"latitude": latitude}), &[]);
    }
    let (_, listed, _) = admin(&server, "ListCalls", json!({}));
    let requests: Vec<&Value> = listed[0]["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["requests"][0])
        .collect();
    assert_eq!(requests, [&json!({"latitude": 2}), &json!({"latitude": 3})]);
    assert_eq!(listed[0]["dropped"], "1");
}

#[test]
#[ignore = "needs serve's stubbed services and admin service"]
fn the_token_guards_the_admin_service() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let token = write(dir.path(), "token", "s3cret\n");
    let server = Server::start(&["--stubs", &stubs, "--token-file", &token]);
    // 64 + UNAUTHENTICATED (16).
    let (code, _, err) = admin(&server, "ListCalls", json!({}));
    assert_eq!(code, 80, "{err}");
    let (code, _, err) = call(
        &server,
        "apicli.mock.v1.Mock/ListCalls",
        &json!({}),
        &["--token-file", &token],
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
#[ignore = "needs serve's stubbed services and admin service"]
fn an_edit_is_served_and_a_broken_one_keeps_the_last_good_set() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let server = Server::start(&["--stubs", &stubs]);

    write(dir.path(), "route.yaml", &STUBS.replace("first", "edited"));
    assert!(
        server.wait_for_log("stubs reloaded", Duration::from_secs(10)),
        "{}",
        server.log()
    );
    let (_, got, _) = call(&server, GET, &json!({"latitude": 1}), &[]);
    assert_eq!(got, [json!({"name": "edited"})]);

    write(
        dir.path(),
        "route.yaml",
        &STUBS.replace("message:", "mesage:"),
    );
    assert!(
        server.wait_for_log("stubs not reloaded", Duration::from_secs(10)),
        "{}",
        server.log()
    );
    assert!(
        server.log().contains(&format!("{stubs}:6:")),
        "{}",
        server.log()
    );
    let (_, got, _) = call(&server, GET, &json!({"latitude": 1}), &[]);
    assert_eq!(got, [json!({"name": "edited"})], "the last good set stays");
}

#[test]
#[ignore = "needs serve's stubbed services and admin service"]
fn report_unused_names_the_stubs_never_matched_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let stubs = write(dir.path(), "route.yaml", STUBS);
    let mut server = Server::start(&["--stubs", &stubs, "--report-unused"]);
    call(&server, GET, &json!({"latitude": 1}), &[]);
    server.signal("TERM");
    let status = server.wait_exit(Duration::from_secs(20));
    assert_eq!(status.code(), Some(3), "{}", server.log());
    let log = server.log();
    assert!(
        log.contains(&format!(
            "stub never matched: {stubs}:7 routeguide.RouteGuide/ListFeatures"
        )),
        "{log}"
    );
    assert!(!log.contains(&format!("{stubs}:1 ")), "{log}");

    let mut all_used = Server::start(&["--stubs", &stubs, "--report-unused"]);
    call(&all_used, GET, &json!({"latitude": 1}), &[]);
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
    assert_eq!(all_used.wait_exit(Duration::from_secs(20)).code(), Some(0));
}

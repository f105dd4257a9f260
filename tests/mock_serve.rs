//! `apicli serve` as a test double: any service of `--proto`, `--protoset` or `--reflect-from`
//! descriptors (or the built-in ones), answered from `--stubs`, called with the real binary.

mod common;

use std::{fs, path::PathBuf};

use common::{
    Server, apicli, assert_exit, assert_one_error_line, json_lines, output_of, stderr, stdout,
};
use serde_json::json;
use tempfile::TempDir;

/// A folder for one test's files.
struct Files(TempDir);

impl Files {
    fn new() -> Files {
        Files(tempfile::tempdir().unwrap())
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path: PathBuf = self.0.path().join(name);
        fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    }

    fn stubs(&self, stubs: serde_json::Value) -> String {
        self.write("stubs.json", &stubs.to_string())
    }
}

/// `apicli --addr ADDR ARGS…` against `server`.
fn call(server: &Server, args: &[&str]) -> std::process::Output {
    output_of(
        apicli()
            .args(["--addr", &server.addr, "--timeout", "10s"])
            .args(args),
    )
}

#[test]
fn unary_replies_with_its_headers_message_and_trailers() {
    let files = Files::new();
    let stubs = files.stubs(json!({
        "method": "routeguide.RouteGuide/GetFeature",
        "reply": {
            "headers": {"x-served-by": "apicli {{n}}"},
            "message": {"name": "stubbed", "location": {"latitude": 1}},
            "trailers": {"x-trailer": "t"}
        }
    }));
    let server = Server::start(&["--stubs", &stubs]);
    let out = call(
        &server,
        &[
            "call",
            "routeguide.RouteGuide/GetFeature",
            "-d",
            "{}",
            "-o",
            "json",
            "-v",
        ],
    );
    assert_exit(&out, 0);
    assert_eq!(
        json_lines(&stdout(&out)),
        [json!({"name": "stubbed", "location": {"latitude": 1}})]
    );
    let err = stderr(&out);
    assert!(err.contains("x-served-by: apicli 1"), "{err}");
    assert!(err.contains("x-trailer: t"), "{err}");
    assert!(
        server.wait_for_log("stub=", common::LIMIT),
        "{}",
        server.log()
    );
}

#[test]
fn the_typed_commands_call_stubbed_built_in_services() {
    let files = Files::new();
    let stubs = files.stubs(json!({
        "method": "api.Api/sayHello",
        "reply": {"message": {"message": "stubbed hello"}}
    }));
    let server = Server::start(&["--stubs", &stubs]);
    let out = call(&server, &["hello", "you", "-o", "json"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("stubbed hello"), "{}", stdout(&out));
}

#[test]
fn a_server_stream_runs_its_script_then_ends_with_the_status_and_details() {
    let files = Files::new();
    let stubs = files.stubs(json!({
        "method": "routeguide.RouteGuide/ListFeatures",
        "reply": {
            "stream": [
                {"message": {"name": "a"}, "repeat": 3},
                {"message": {"name": "b"}, "after": "10ms"}
            ],
            "status": {
                "code": "NOT_FOUND",
                "message": "gone after {{n}}",
                "details": [{"@type": "type.googleapis.com/routeguide.Point", "latitude": 7}]
            }
        }
    }));
    let server = Server::start(&["--stubs", &stubs]);
    let out = call(
        &server,
        &[
            "call",
            "routeguide.RouteGuide/ListFeatures",
            "-d",
            "{}",
            "-o",
            "json",
        ],
    );
    assert_exit(&out, 64 + 5);
    let names: Vec<_> = json_lines(&stdout(&out))
        .into_iter()
        .map(|m| m["name"].clone())
        .collect();
    assert_eq!(names, ["a", "a", "a", "b"]);
    let err = stderr(&out);
    assert!(err.contains("NOT_FOUND: gone after 1"), "{err}");
    assert!(
        err.contains(r#""@type":"type.googleapis.com/routeguide.Point","latitude":7"#),
        "{err}"
    );
}

#[test]
fn a_server_stream_without_a_timeline_repeats_as_the_request_says_then_ends() {
    let files = Files::new();
    let stubs = files.stubs(json!({
        "method": "routeguide.RouteGuide/ListFeatures",
        "reply": {
            "stream": [
                {"message": {"name": "first"}},
                {"message": {"name": "at {{request.lo.latitude}}, call {{n}}"},
                 "repeat": "{{header \"x-count\"}}"}
            ],
            "trailers": {"x-listed": "yes"},
            "status": {"code": "ABORTED", "message": "done after {{n}}"}
        }
    }));
    let server = Server::start(&["--stubs", &stubs]);
    let list = |count: &str| {
        let header = format!("x-count: {count}");
        call(
            &server,
            &[
                "call",
                "routeguide.RouteGuide/ListFeatures",
                "-d",
                r#"{"lo": {"latitude": 5}}"#,
                "-H",
                &header,
                "-o",
                "json",
                "-v",
            ],
        )
    };
    let names = |out: &std::process::Output| -> Vec<_> {
        json_lines(&stdout(out))
            .into_iter()
            .map(|m| m["name"].clone())
            .collect()
    };

    let out = list("3");
    assert_exit(&out, 64 + 10);
    assert_eq!(
        names(&out),
        ["first", "at 5, call 1", "at 5, call 1", "at 5, call 1"]
    );
    let err = stderr(&out);
    assert!(err.contains("ABORTED: done after 1"), "{err}");
    assert!(err.contains("x-listed: yes"), "{err}");

    // A repeat that is not a count ends the call after the messages before it.
    let out = list("many");
    assert_exit(&out, 64 + 13);
    assert_eq!(names(&out), ["first"]);
    let err = stderr(&out);
    assert!(
        err.contains("INTERNAL: the stub's repeat is 'many', not a count"),
        "{err}"
    );
}

#[test]
fn a_client_stream_is_answered_at_half_close_after_the_delay() {
    let files = Files::new();
    let stubs = files.stubs(json!({
        "method": "routeguide.RouteGuide/RecordRoute",
        "delay": "50ms",
        "reply": {"message": {"point_count": 9}}
    }));
    let server = Server::start(&["--stubs", &stubs]);
    let out = call(
        &server,
        &[
            "call",
            "routeguide.RouteGuide/RecordRoute",
            "-d",
            r#"{"latitude": 1} {"latitude": 2}"#,
            "-o",
            "json",
        ],
    );
    assert_exit(&out, 0);
    assert_eq!(json_lines(&stdout(&out)), [json!({"pointCount": 9})]);
}

#[test]
fn bidi_runs_its_script_and_answers_each_message() {
    let files = Files::new();
    let stubs = files.stubs(json!({
        "method": "routeguide.RouteGuide/RouteChat",
        "reply": {
            "stream": [
                {"message": {"message": "hello"}},
                {"wait": {"messages": 2}},
                {"message": {"message": "two arrived"}},
                {"wait": "half-close"},
                {"message": {"message": "bye"}}
            ],
            "on": [{"reply": [{"message": {"message": "echo"}}]}]
        }
    }));
    let server = Server::start(&["--stubs", &stubs]);
    let out = call(
        &server,
        &[
            "call",
            "routeguide.RouteGuide/RouteChat",
            "-d",
            r#"{"message": "a"} {"message": "b"}"#,
            "-o",
            "json",
        ],
    );
    assert_exit(&out, 0);
    let mut said: Vec<String> = json_lines(&stdout(&out))
        .iter()
        .map(|m| m["message"].as_str().unwrap().to_owned())
        .collect();
    // The script and the rules run at once: only the script's own order is fixed.
    assert_eq!(said.last().map(String::as_str), Some("bye"), "{said:?}");
    said.sort();
    assert_eq!(said, ["bye", "echo", "echo", "hello", "two arrived"]);
}

#[test]
fn a_call_no_stub_answers_is_unimplemented_with_the_reason_in_the_log() {
    let files = Files::new();
    let stubs = files.stubs(json!({
        "method": "routeguide.RouteGuide/GetFeature",
        "reply": {"message": {}}
    }));
    let server = Server::start(&["--stubs", &stubs]);
    let out = call(
        &server,
        &["call", "routeguide.RouteGuide/ListFeatures", "-d", "{}"],
    );
    assert_exit(&out, 64 + 12);
    let err = stderr(&out);
    assert!(err.contains("UNIMPLEMENTED"), "{err}");
    assert!(err.contains("routeguide.RouteGuide/ListFeatures"), "{err}");
    assert!(
        server.wait_for_log("miss=no stub", common::LIMIT),
        "{}",
        server.log()
    );
}

const GREETER: &str = r#"syntax = "proto3";
package demo;
service Greeter {
  rpc Hi(HiRequest) returns (HiReply);
}
message HiRequest { string name = 1; }
message HiReply { string text = 1; }
"#;

#[test]
fn a_proto_file_is_served_with_health_and_reflection_and_without_the_built_in_services() {
    let files = Files::new();
    let proto = files.write("greeter.proto", GREETER);
    let stubs = files.stubs(json!({
        "method": "demo.Greeter/Hi",
        "reply": {"message": {"text": "hi there"}}
    }));
    let server = Server::start(&["--proto", &proto, "--stubs", &stubs]);
    // By reflection: no descriptor files on the client's side.
    let out = call(
        &server,
        &[
            "call",
            "demo.Greeter/Hi",
            "-d",
            r#"{"name": "x"}"#,
            "-o",
            "json",
        ],
    );
    assert_exit(&out, 0);
    assert_eq!(json_lines(&stdout(&out)), [json!({"text": "hi there"})]);
    let out = call(&server, &["list"]);
    assert_exit(&out, 0);
    let listed = stdout(&out);
    assert!(listed.contains("demo.Greeter"), "{listed}");
    assert!(!listed.contains("api.Api"), "{listed}");
    assert!(!listed.contains("routeguide.RouteGuide"), "{listed}");
    assert_exit(&call(&server, &["health", "demo.Greeter"]), 0);
    assert_exit(&call(&server, &["health"]), 0);
    // The built-in services are not served.
    let out = call(&server, &["hello", "you"]);
    assert_exit(&out, 64 + 12);
}

#[test]
fn reflect_from_serves_the_services_of_a_live_server() {
    let real = Server::start(&[]);
    let files = Files::new();
    let stubs = files.stubs(json!({
        "method": "routeguide.RouteGuide/GetFeature",
        "reply": {"message": {"name": "from the double"}}
    }));
    let double = Server::start(&["--reflect-from", &real.addr, "--stubs", &stubs]);
    let out = call(
        &double,
        &[
            "call",
            "routeguide.RouteGuide/GetFeature",
            "-d",
            "{}",
            "-o",
            "json",
        ],
    );
    assert_exit(&out, 0);
    assert_eq!(
        json_lines(&stdout(&out)),
        [json!({"name": "from the double"})]
    );
    let out = call(&double, &["list"]);
    let listed = stdout(&out);
    assert!(
        listed.contains("api.Api") && listed.contains("routeguide.RouteGuide"),
        "{listed}"
    );
}

#[test]
fn tls_and_the_token_still_apply() {
    let files = Files::new();
    let token = files.write("token", "s3cret\n");
    let stubs = files.stubs(json!({
        "method": "api.Api/sayHello",
        "reply": {"message": {"message": "over tls"}}
    }));
    let dir = files.0.path().join("tls");
    let dir = dir.to_str().unwrap();
    let server = Server::start(&[
        "--tls-self-signed",
        dir,
        "--token-file",
        &token,
        "--stubs",
        &stubs,
    ]);
    let https = format!("https://{}", server.addr);
    let ca = format!("{dir}/ca.pem");
    let without = output_of(apicli().args(["--addr", &https, "--ca-cert", &ca, "hello", "x"]));
    assert_exit(&without, 64 + 16);
    let with = output_of(apicli().args([
        "--addr",
        &https,
        "--ca-cert",
        &ca,
        "--token-file",
        &token,
        "hello",
        "x",
        "-o",
        "json",
    ]));
    assert_exit(&with, 0);
    assert!(stdout(&with).contains("over tls"), "{}", stdout(&with));
    // Health stays open.
    let health = output_of(apicli().args(["--addr", &https, "--ca-cert", &ca, "health"]));
    assert_exit(&health, 0);
}

#[test]
fn bad_test_double_flags_are_one_line_and_exit_2() {
    let files = Files::new();
    let proto = files.write("greeter.proto", GREETER);
    let stubs = files.stubs(json!({"method": "api.Api/sayHello", "reply": {}}));
    let cases: &[(&[&str], &str)] = &[
        (
            &["--reflect-from", "127.0.0.1:1", "--proto", &proto],
            "--reflect-from describes the services",
        ),
        (
            &["--stubs", "/nonexistent/stubs.yaml"],
            "--stubs '/nonexistent/stubs.yaml'",
        ),
        (
            &["--proto", "/nonexistent/a.proto"],
            "--proto '/nonexistent/a.proto'",
        ),
        (&["--report-unused"], "--report-unused applies to stubs"),
        (
            &["--reflect-from", "bad::addr::", "--stubs", &stubs],
            "--reflect-from",
        ),
        (
            &["--proto", &proto, "--stubs", &stubs],
            "stubs.json:1:11: unknown service 'api.Api'; the services are: demo.Greeter",
        ),
    ];
    for (args, needle) in cases {
        let out = output_of(
            apicli()
                .args(["serve", "--addr", "127.0.0.1:0"])
                .args(*args),
        );
        assert_exit(&out, 2);
        assert_one_error_line(&out, needle);
    }
}

#[test]
fn connect_with_json_reaches_the_double() {
    let files = Files::new();
    let stubs = files.stubs(json!({
        "method": "routeguide.RouteGuide/GetFeature",
        "reply": {"message": {"name": "over connect"}}
    }));
    let server = Server::start(&["--stubs", &stubs]);
    let out = call(
        &server,
        &[
            "--protocol",
            "connect",
            "--codec",
            "json",
            "call",
            "routeguide.RouteGuide/GetFeature",
            "-d",
            "{}",
            "-o",
            "json",
        ],
    );
    assert_exit(&out, 0);
    assert_eq!(json_lines(&stdout(&out)), [json!({"name": "over connect"})]);
    assert!(
        server.wait_for_log("protocol=connect", common::LIMIT),
        "{}",
        server.log()
    );
}

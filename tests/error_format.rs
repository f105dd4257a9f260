//! `--error-format json` (and `APICLI_ERROR_FORMAT`, and a profile's `error-format`): the error
//! a run ends with, as one JSON object on one line of stderr, against `apicli serve --stubs`
//! answering with statuses, details and trailers. Exit codes stay as they are.

mod common;

use std::{fs, os::unix::fs::PermissionsExt as _, path::PathBuf, process::Output};

use common::{Server, apicli, assert_exit, output_of, stderr, stdout};
use serde_json::{Value, json};
use tempfile::TempDir;

/// The stubs: a unary status with details and trailers, a server stream that fails after four
/// messages, a client stream that fails once its requests are in, and sayHello failing with a
/// detail whose type the typed command has no descriptor for.
fn stubs() -> Value {
    json!([
        {
            "method": "routeguide.RouteGuide/GetFeature",
            "reply": {
                "trailers": {"x-trailer": "t", "x-cost": "7"},
                "status": {
                    "code": "INVALID_ARGUMENT",
                    "message": "bad point \"{{n}}\"",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.rpc.BadRequest",
                            "fieldViolations": [{"field": "latitude", "description": "too far"}]
                        },
                        {"@type": "type.googleapis.com/routeguide.Point", "latitude": 7}
                    ]
                }
            }
        },
        {
            "method": "routeguide.RouteGuide/ListFeatures",
            "reply": {
                "stream": [{"message": {"name": "a"}, "repeat": 4}],
                "status": {"code": "NOT_FOUND", "message": "gone"}
            }
        },
        {
            "method": "routeguide.RouteGuide/RecordRoute",
            "reply": {"status": {"code": "ABORTED", "message": "no route"}}
        },
        {
            "method": "api.Api/sayHello",
            "reply": {
                "status": {
                    "code": "FAILED_PRECONDITION",
                    "message": "not now",
                    "details": [{"@type": "type.googleapis.com/routeguide.Point", "latitude": 7}]
                }
            }
        }
    ])
}

struct Served {
    server: Server,
    _dir: TempDir,
}

fn serve() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("stubs.json");
    fs::write(&path, stubs().to_string()).unwrap();
    let server = Server::start(&["--stubs", path.to_str().unwrap()]);
    Served { server, _dir: dir }
}

fn run_at(served: &Served, args: &[&str]) -> Output {
    output_of(
        apicli()
            .args(["--addr", &served.server.addr, "--timeout", "10s"])
            .args(args),
    )
}

/// stderr as its one line, parsed.
fn json_error(output: &Output) -> Value {
    let err = stderr(output);
    assert_eq!(err.lines().count(), 1, "one line expected:\n{err}");
    serde_json::from_str(err.trim_end()).unwrap_or_else(|e| panic!("{e}: {err}"))
}

#[test]
fn a_unary_status_is_one_json_object_with_its_details_and_trailers() {
    let served = serve();
    let output = run_at(
        &served,
        &[
            "call",
            "routeguide.RouteGuide/GetFeature",
            "-d",
            "{}",
            "--error-format",
            "json",
        ],
    );
    assert_exit(&output, 64 + 3);
    assert_eq!(stdout(&output), "");
    let error = json_error(&output);
    assert_eq!(
        error["code"],
        json!({"name": "INVALID_ARGUMENT", "number": 3})
    );
    assert_eq!(error["message"], "bad point \"1\"");
    assert_eq!(
        error["details"],
        json!([
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": "latitude", "description": "too far"}]
            },
            {"@type": "type.googleapis.com/routeguide.Point", "latitude": 7}
        ])
    );
    assert_eq!(error["trailers"]["x-trailer"], "t");
    assert_eq!(error["trailers"]["x-cost"], "7");
    assert_eq!(error["received"], json!({"messages": 0}));
    assert!(error.get("sent").is_none(), "{error}");
}

#[test]
fn a_stream_that_fails_halfway_counts_what_arrived() {
    let served = serve();
    let output = run_at(
        &served,
        &[
            "call",
            "routeguide.RouteGuide/ListFeatures",
            "-d",
            "{}",
            "-o",
            "json",
            "--error-format=json",
        ],
    );
    assert_exit(&output, 64 + 5);
    assert_eq!(
        stdout(&output).lines().count(),
        4,
        "what arrived is printed"
    );
    let error = json_error(&output);
    assert_eq!(error["code"]["name"], "NOT_FOUND");
    assert_eq!(error["message"], "gone (4 messages arrived)");
    assert_eq!(error["received"], json!({"messages": 4}));
    assert_eq!(error["details"], json!([]));
}

#[test]
fn a_stream_of_requests_counts_what_was_sent() {
    let served = serve();
    let output = run_at(
        &served,
        &[
            "call",
            "routeguide.RouteGuide/RecordRoute",
            "-d",
            r#"{"latitude":1} {"latitude":2} {"latitude":3}"#,
            "--error-format",
            "json",
        ],
    );
    assert_exit(&output, 64 + 10);
    let error = json_error(&output);
    assert_eq!(error["code"], json!({"name": "ABORTED", "number": 10}));
    assert_eq!(error["sent"], json!({"messages": 3}));
    assert_eq!(error["received"], json!({"messages": 0}));
}

#[test]
fn a_detail_of_an_unknown_type_keeps_its_bytes_in_base64() {
    let served = serve();
    // `hello` has no descriptors beyond google.rpc's: routeguide.Point is unknown to it.
    let output = run_at(&served, &["hello", "x", "--error-format", "json"]);
    assert_exit(&output, 64 + 9);
    let error = json_error(&output);
    // latitude 7: field 1, varint.
    assert_eq!(
        error["details"],
        json!([{"@type": "type.googleapis.com/routeguide.Point", "value": "CAc="}])
    );
}

#[test]
fn other_errors_are_the_error_line_and_the_exit_code() {
    // Nobody listens on a port of a listener just closed.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let output =
        output_of(apicli().args(["hello", "x", "--addr", &closed, "--error-format", "json"]));
    assert_exit(&output, 1);
    let error = json_error(&output);
    assert_eq!(error["exit"], 1);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .starts_with("cannot connect to"),
        "{error}"
    );
    assert_eq!(error.as_object().unwrap().len(), 2, "{error}");

    // A bad value, found by the settings.
    let output =
        output_of(apicli().args(["hello", "x", "-H", "novalue", "--error-format", "json"]));
    assert_exit(&output, 2);
    assert_eq!(
        json_error(&output),
        json!({"error": "bad header 'novalue': expected 'name: value'", "exit": 2})
    );

    // A command line clap refuses, and a grpcurl flag.
    let output = output_of(apicli().args(["hello", "x", "--bogus", "--error-format", "json"]));
    assert_exit(&output, 2);
    let error = json_error(&output);
    assert!(
        error["error"].as_str().unwrap().contains("'--bogus'"),
        "{error}"
    );
    let output = output_of(
        apicli()
            .env("APICLI_ERROR_FORMAT", "json")
            .args(["list", "-plaintext"]),
    );
    assert_exit(&output, 2);
    let error = json_error(&output);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("-plaintext is not needed"),
        "{error}"
    );
}

#[test]
fn the_environment_and_a_profile_choose_json_and_the_flag_wins() {
    let served = serve();
    let args = ["call", "routeguide.RouteGuide/ListFeatures", "-d", "{}"];
    let output = output_of(
        apicli()
            .env("APICLI_ERROR_FORMAT", "json")
            .args(["--addr", &served.server.addr])
            .args(args),
    );
    assert_exit(&output, 64 + 5);
    assert_eq!(json_error(&output)["code"]["name"], "NOT_FOUND");

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    fs::write(
        &config,
        format!(
            "default = \"local\"\n[profiles.local]\naddr = \"{}\"\nerror-format = \"json\"\n",
            served.server.addr
        ),
    )
    .unwrap();
    fs::set_permissions(&config, fs::Permissions::from_mode(0o600)).unwrap();
    let output = output_of(apicli().env("APICLI_CONFIG", &config).args(args));
    assert_exit(&output, 64 + 5);
    assert_eq!(json_error(&output)["received"]["messages"], 4);

    // A usage error found once the profile is read follows it too.
    let output = output_of(
        apicli()
            .env("APICLI_CONFIG", &config)
            .args(args)
            .args(["-H", "novalue"]),
    );
    assert_exit(&output, 2);
    assert_eq!(json_error(&output)["exit"], 2);

    // The command line beats the environment and the profile.
    let output = output_of(
        apicli()
            .env("APICLI_CONFIG", &config)
            .env("APICLI_ERROR_FORMAT", "json")
            .args(args)
            .args(["--error-format", "text"]),
    );
    assert_exit(&output, 64 + 5);
    assert!(
        stderr(&output).starts_with("apicli: error: NOT_FOUND: gone"),
        "{}",
        stderr(&output)
    );

    // A bad value in the profile says where it is.
    fs::write(
        &config,
        "default = \"local\"\n[profiles.local]\nerror-format = \"yaml\"\n",
    )
    .unwrap();
    let output = output_of(apicli().env("APICLI_CONFIG", &config).args(args));
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("bad error-format 'yaml': expected text or json"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn text_stays_as_it_was() {
    let served = serve();
    let output = run_at(
        &served,
        &["call", "routeguide.RouteGuide/GetFeature", "-d", "{}"],
    );
    assert_exit(&output, 64 + 3);
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert_eq!(lines[0], "apicli: error: INVALID_ARGUMENT: bad point \"1\"");
    assert!(lines[1].starts_with(r#"{"@type":"type.googleapis.com/google.rpc.BadRequest""#));
    assert_eq!(
        lines[2],
        r#"{"@type":"type.googleapis.com/routeguide.Point","latitude":7}"#
    );
}

#[test]
fn connect_and_grpc_web_give_the_same_object() {
    let served = serve();
    for protocol in ["connect", "grpc-web"] {
        let output = run_at(
            &served,
            &[
                "call",
                "routeguide.RouteGuide/GetFeature",
                "-d",
                "{}",
                "--protocol",
                protocol,
                "--proto",
                concat!(env!("CARGO_MANIFEST_DIR"), "/proto/route_guide.proto"),
                "--error-format",
                "json",
            ],
        );
        assert_exit(&output, 64 + 3);
        let error = json_error(&output);
        assert_eq!(error["code"]["name"], "INVALID_ARGUMENT", "{protocol}");
        assert_eq!(error["details"].as_array().unwrap().len(), 2, "{protocol}");
        assert_eq!(error["trailers"]["x-trailer"], "t", "{protocol}");
        assert!(
            error["trailers"].get("apicli-http-status").is_none(),
            "{protocol}"
        );
    }
}

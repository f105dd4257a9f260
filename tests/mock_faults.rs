//! The faults a stub can end its call with, as a client sees them: a reset stream with its
//! HTTP/2 code, a GOAWAY, a dropped connection, a stall.

mod common;

use std::fs;

use apicli::routeguide::{Rectangle, route_guide_client::RouteGuideClient};
use common::{LIMIT, Server, apicli, assert_exit, json_lines, output_of, stderr, stdout};
use serde_json::json;
use tonic::{Code, transport::Endpoint};

/// A server whose stubs are `stubs`, and the folder that holds them.
fn serve(stubs: serde_json::Value) -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stubs.json");
    fs::write(&path, stubs.to_string()).unwrap();
    let server = Server::start(&["--stubs", path.to_str().unwrap()]);
    (server, dir)
}

fn call(server: &Server, method: &str, data: &str) -> std::process::Output {
    output_of(apicli().args([
        "--addr",
        &server.addr,
        "--timeout",
        "10s",
        "call",
        method,
        "-d",
        data,
        "-o",
        "json",
    ]))
}

fn list_features(fault: serde_json::Value) -> serde_json::Value {
    json!({
        "method": "routeguide.RouteGuide/ListFeatures",
        "reply": {"stream": [{"message": {"name": "a"}, "repeat": 5}], "fault": fault}
    })
}

#[test]
fn reset_sends_rst_stream_with_the_code_after_the_messages_before_it() {
    for (code, words) in [
        ("CANCEL", "stream no longer needed"),
        ("INTERNAL_ERROR", "unexpected internal error"),
        ("REFUSED_STREAM", "refused stream"),
    ] {
        let (server, _dir) = serve(list_features(
            json!({"kind": "reset", "after": 2, "code": code}),
        ));
        let out = call(&server, "routeguide.RouteGuide/ListFeatures", "{}");
        assert_exit(&out, 1);
        assert_eq!(
            json_lines(&stdout(&out)).len(),
            2,
            "{code}: {}",
            stdout(&out)
        );
        let err = stderr(&out);
        assert!(err.contains(words), "{code}: {err}");
        assert!(err.contains("broke mid-call"), "{code}: {err}");
    }
}

#[test]
fn a_unary_reset_comes_before_the_reply() {
    let (server, _dir) = serve(json!({
        "method": "routeguide.RouteGuide/GetFeature",
        "reply": {"message": {"name": "never"}, "fault": {"kind": "reset"}}
    }));
    let out = call(&server, "routeguide.RouteGuide/GetFeature", "{}");
    assert_exit(&out, 1);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("unexpected internal error"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn goaway_ends_the_connection_and_the_server_serves_the_next_one() {
    let (server, _dir) = serve(json!([
        {"method": "routeguide.RouteGuide/ListFeatures",
         "reply": {"stream": [{"message": {"name": "a"}, "repeat": 3}], "fault": {"kind": "goaway", "after": 1}}},
        {"method": "routeguide.RouteGuide/GetFeature", "reply": {"message": {"name": "fine"}}}
    ]));
    let out = call(&server, "routeguide.RouteGuide/ListFeatures", "{}");
    assert_exit(&out, 1);
    assert_eq!(json_lines(&stdout(&out)).len(), 1, "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("closed the connection mid-call"), "{err}");
    let next = call(&server, "routeguide.RouteGuide/GetFeature", "{}");
    assert_exit(&next, 0);
}

#[test]
fn close_drops_the_connection_mid_stream() {
    let (server, _dir) = serve(json!({
        "method": "routeguide.RouteGuide/RouteChat",
        "reply": {"stream": [{"message": {"message": "m"}, "repeat": 3}], "fault": {"kind": "close", "after": 1}}
    }));
    let out = call(
        &server,
        "routeguide.RouteGuide/RouteChat",
        r#"{"message": "x"}"#,
    );
    assert_exit(&out, 1);
    assert_eq!(json_lines(&stdout(&out)).len(), 1, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("closed the connection mid-call"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stall_keeps_the_stream_open_until_the_client_gives_up() {
    let (server, _dir) = serve(list_features(json!({"kind": "stall", "after": 1})));
    let out = output_of(apicli().args([
        "--addr",
        &server.addr,
        "--timeout",
        "1s",
        "call",
        "routeguide.RouteGuide/ListFeatures",
        "-d",
        "{}",
        "-o",
        "json",
    ]));
    assert_exit(&out, 64 + 4);
    assert_eq!(json_lines(&stdout(&out)).len(), 1, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("DEADLINE_EXCEEDED"),
        "{}",
        stderr(&out)
    );
}

/// The status tonic's own client makes of each reset code, after the messages sent before it.
#[test]
fn a_tonic_client_sees_each_reset_code_as_its_status() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for (code, status) in [
        ("CANCEL", Code::Cancelled),
        ("INTERNAL_ERROR", Code::Internal),
        ("REFUSED_STREAM", Code::Unavailable),
    ] {
        let (server, _dir) = serve(list_features(
            json!({"kind": "reset", "after": 2, "code": code}),
        ));
        let (received, ended) = runtime.block_on(async {
            let endpoint = Endpoint::from_shared(server.url()).unwrap();
            let channel = tokio::time::timeout(LIMIT, endpoint.connect())
                .await
                .expect("connected in time")
                .expect("connected");
            let mut client = RouteGuideClient::new(channel);
            let call = async {
                let mut stream = client
                    .list_features(Rectangle::default())
                    .await
                    .expect("the stream starts")
                    .into_inner();
                let mut received = 0;
                loop {
                    match stream.message().await {
                        Ok(Some(_)) => received += 1,
                        Ok(None) => return (received, Code::Ok),
                        Err(status) => return (received, status.code()),
                    }
                }
            };
            tokio::time::timeout(LIMIT, call)
                .await
                .expect("ended in time")
        });
        assert_eq!((received, ended), (2, status), "{code}");
    }
}

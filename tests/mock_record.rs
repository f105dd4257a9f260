//! Recording from a live server: calls through the recorder get exactly the live server's
//! answers, and each exchange is written as a stub file without credentials.
//!
//! The recorder runs in the test process, in front of a real `apicli serve` (or a small tonic
//! server for what `apicli serve` does not send: reply headers, details); the calls are made by
//! the real `apicli` binary, once straight to the live server and once through the recorder.

mod common;
#[path = "mock_record/echo.rs"]
mod echo;
#[path = "mock_record/harness.rs"]
mod harness;

use std::{fs, time::Duration};

use apicli::server::record::RecordOptions;
use common::{
    Server, apicli, assert_exit, run_with_input_in_parts, serve_in_background, stderr, stdout,
};
use harness::{call, files, name, recorder, recorder_behind, same_answer};

const POINT: &str = r#"{"latitude":407838351,"longitude":-746143763}"#;

const GET_FEATURE: &str = "\
method: \"routeguide.RouteGuide/GetFeature\"
match:
  request:
    equals:
      latitude: 407838351
      longitude: -746143763
reply:
  message:
    name: \"Patriots Path, Mendham, NJ 07945, USA\"
    location:
      latitude: 407838351
      longitude: -746143763
";

#[test]
fn every_kind_gets_the_live_answer_and_is_written() {
    let live = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(&live.addr, dir.path(), RecordOptions::default());
    let live = live.url();

    same_answer(
        &live,
        &rec,
        "routeguide.RouteGuide/GetFeature",
        &["-d", POINT],
        None,
    );
    // Compressed both ways: the frames go through as they are, and are read for the file.
    same_answer(
        &live,
        &rec,
        "routeguide.RouteGuide/GetFeature",
        &["-d", POINT, "--compress", "gzip"],
        None,
    );
    let one_point = format!(r#"{{"lo":{POINT},"hi":{POINT}}}"#);
    same_answer(
        &live,
        &rec,
        "routeguide.RouteGuide/ListFeatures",
        &["-d", &one_point],
        None,
    );
    let points = "{\"latitude\":407838351,\"longitude\":-746143763}\n\
                  {\"latitude\":408122808,\"longitude\":-743999179}\n";
    same_answer(
        &live,
        &rec,
        "routeguide.RouteGuide/RecordRoute",
        &[],
        Some(points),
    );

    let written = files(dir.path());
    let names: Vec<&str> = written.iter().map(|p| name(p)).collect();
    assert_eq!(
        names,
        [
            "0001-routeguide.RouteGuide-GetFeature.yaml",
            "0002-routeguide.RouteGuide-GetFeature.yaml",
            "0003-routeguide.RouteGuide-ListFeatures.yaml",
            "0004-routeguide.RouteGuide-RecordRoute.yaml",
        ]
    );
    let text = |i: usize| fs::read_to_string(&written[i]).unwrap();
    assert_eq!(text(0), GET_FEATURE);
    // The same exchange, the same file.
    assert_eq!(text(1), GET_FEATURE);
    assert_eq!(
        text(2),
        "\
method: \"routeguide.RouteGuide/ListFeatures\"
match:
  request:
    equals:
      lo:
        latitude: 407838351
        longitude: -746143763
      hi:
        latitude: 407838351
        longitude: -746143763
reply:
  stream:
    - message:
        name: \"Patriots Path, Mendham, NJ 07945, USA\"
        location:
          latitude: 407838351
          longitude: -746143763
"
    );
    let route = text(3);
    assert!(
        route.starts_with(
            "\
method: \"routeguide.RouteGuide/RecordRoute\"
match:
  messages:
    equals:
      - latitude: 407838351
        longitude: -746143763
      - latitude: 408122808
        longitude: -743999179
reply:
  message:
    pointCount: 2
    featureCount: 2
    distance: "
        ),
        "{route}"
    );
}

#[test]
fn a_bidi_call_becomes_a_rule_per_incoming_message() {
    let live = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(&live.addr, dir.path(), RecordOptions::default());
    let notes = [
        "{\"location\":{\"latitude\":1,\"longitude\":1},\"message\":\"first\"}\n",
        "{\"location\":{\"latitude\":1,\"longitude\":1},\"message\":\"second\"}\n",
        "",
    ];
    let chat = |addr: &str| {
        let mut cmd = apicli();
        cmd.args(["call", "routeguide.RouteGuide/RouteChat", "--addr", addr])
            .args(["-o", "json", "-d", "@-"]);
        // Paced, so that each reply comes before the next note: the order the file shows.
        run_with_input_in_parts(&mut cmd, &notes, Duration::from_millis(300))
    };
    let direct = chat(&live.url());
    let recorded = chat(&rec);
    assert_exit(&recorded, 0);
    assert_eq!(stdout(&recorded), stdout(&direct));

    let written = files(dir.path());
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(
        name(&written[0]),
        "0001-routeguide.RouteGuide-RouteChat.yaml"
    );
    assert_eq!(
        fs::read_to_string(&written[0]).unwrap(),
        "\
method: \"routeguide.RouteGuide/RouteChat\"
reply:
  on:
    - match:
        equals:
          location:
            latitude: 1
            longitude: 1
          message: \"first\"
      reply: []
    - match:
        equals:
          location:
            latitude: 1
            longitude: 1
          message: \"second\"
      reply:
        - message:
            location:
              latitude: 1
              longitude: 1
            message: \"first\"
"
    );
}

#[test]
fn failed_calls_keep_their_status() {
    let live = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(&live.addr, dir.path(), RecordOptions::default());
    let live = live.url();

    let off_the_earth = r#"{"latitude":900000001,"longitude":0}"#;
    same_answer(
        &live,
        &rec,
        "routeguide.RouteGuide/GetFeature",
        &["-d", off_the_earth],
        None,
    );
    same_answer(
        &live,
        &rec,
        "api.Api/getStream",
        &["-d", r#"{"length":-1}"#],
        None,
    );
    let written = files(dir.path());
    assert_eq!(written.len(), 2, "{written:?}");
    let feature = fs::read_to_string(&written[0]).unwrap();
    assert!(
        feature.ends_with(
            "\
reply:
  status:
    code: \"INVALID_ARGUMENT\"
    message: \"latitude 900000001 of the point is out of range: latitudes are -900000000 to 900000000 (degrees times 10^7)\"
"
        ),
        "{feature}"
    );
    let stream = fs::read_to_string(&written[1]).unwrap();
    assert!(
        stream.contains("    code: \"INVALID_ARGUMENT\"\n"),
        "{stream}"
    );
}

#[test]
fn the_token_goes_through_and_is_never_written() {
    let token = tempfile::NamedTempFile::new().unwrap();
    fs::write(token.path(), "s3cret-token\n").unwrap();
    let token_path = token.path().to_str().unwrap();
    let live = Server::start(&["--token-file", token_path]);
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(&live.addr, dir.path(), RecordOptions::default());

    let args = [
        "-d",
        POINT,
        "--token-file",
        token_path,
        "-H",
        "cookie: session=cookie-value",
        "-H",
        "x-api-key: key-value",
    ];
    let through = call(&rec, "routeguide.RouteGuide/GetFeature", &args, None);
    assert_exit(&through, 0);
    let without = call(
        &rec,
        "routeguide.RouteGuide/GetFeature",
        &["-d", POINT],
        None,
    );
    assert_exit(&without, 64 + 16);

    for file in files(dir.path()) {
        let text = fs::read_to_string(&file).unwrap();
        for secret in ["s3cret", "cookie-value", "key-value"] {
            assert!(
                !text.contains(secret),
                "{secret} in {}:\n{text}",
                name(&file)
            );
        }
    }
}

#[test]
fn headers_and_details_go_through_and_credentials_are_never_written() {
    let live = serve_in_background(|| async {
        tonic::transport::Server::builder()
            .add_service(apicli::api::api_server::ApiServer::new(echo::Echo))
    });
    let dir = tempfile::tempdir().unwrap();
    let options = RecordOptions {
        redact: vec![http::HeaderName::from_static("x-secret")],
        ..RecordOptions::default()
    };
    let rec = recorder(&live, dir.path(), options);
    let live = format!("http://{live}");
    let headers = [
        "-H",
        "x-user: alice",
        "-H",
        "authorization: Bearer s3cret",
        "-H",
        "cookie: session=cookie-value",
        "-H",
        "x-api-key: key-value",
        "-H",
        "x-secret: secret-value",
        "-v",
    ];
    for name in ["you", "fail"] {
        let data = format!(r#"{{"name":"{name}"}}"#);
        let mut args = vec!["-d", data.as_str()];
        args.extend(headers);
        same_answer(&live, &rec, "api.Api/sayHello", &args, None);
    }
    // -v shows what came back in the trailers: the echoed credentials went through, under their
    // names, as -v redacts them (authorization is shown to go through by the token test).
    let verbose = call(
        &rec,
        "api.Api/sayHello",
        &[&["-d", r#"{"name":"fail"}"#][..], &headers[..]].concat(),
        None,
    );
    assert_exit(&verbose, 64 + 9);
    let text = stderr(&verbose);
    let trailers = text
        .split_once("response trailers:")
        .map_or("", |(_, after)| after);
    for sent in [
        "cookie: [redacted]",
        "x-api-key: [redacted]",
        "x-secret: secret-value",
        "ErrorInfo",
    ] {
        assert!(trailers.contains(sent), "{sent}: {text}");
    }

    let written = files(dir.path());
    assert_eq!(written.len(), 3, "{written:?}");
    let text = |i: usize| fs::read_to_string(&written[i]).unwrap();
    assert_eq!(
        text(0),
        "\
method: \"api.Api/sayHello\"
match:
  request:
    equals:
      name: \"you\"
reply:
  headers:
    x-user: \"alice\"
  message:
    message: \"Hello you!\"
"
    );
    assert_eq!(
        text(1),
        "\
method: \"api.Api/sayHello\"
match:
  request:
    equals:
      name: \"fail\"
reply:
  trailers:
    x-user: \"alice\"
  status:
    code: \"FAILED_PRECONDITION\"
    message: \"out of stock\"
    details:
      - \"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\"
        reason: \"STOCKOUT\"
        domain: \"example.com\"
"
    );
    assert_eq!(text(2), text(1));
}

#[test]
fn timing_puts_the_delay_and_the_time_before_each_message() {
    let live = Server::start(&["--stream-interval", "20ms"]);
    let dir = tempfile::tempdir().unwrap();
    let options = RecordOptions {
        timing: true,
        ..RecordOptions::default()
    };
    let rec = recorder(&live.addr, dir.path(), options);
    let stream = call(&rec, "api.Api/getStream", &["-d", r#"{"length":3}"#], None);
    assert_exit(&stream, 0);
    let written = files(dir.path());
    let text = fs::read_to_string(&written[0]).unwrap();
    assert!(text.contains("\ndelay: \""), "{text}");
    assert_eq!(text.matches("  - message:").count(), 3, "{text}");
    assert_eq!(text.matches("    after: \"").count(), 3, "{text}");
}

#[test]
fn a_recorder_with_a_token_refuses_calls_without_it() {
    let live = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder_behind(
        &live.addr,
        dir.path(),
        RecordOptions::default(),
        Some("tok"),
    );
    let refused = call(
        &rec,
        "routeguide.RouteGuide/GetFeature",
        &["-d", POINT],
        None,
    );
    assert_exit(&refused, 64 + 16);
    assert!(files(dir.path()).is_empty());
    let args = ["-d", POINT, "-H", "authorization: Bearer tok"];
    let accepted = call(&rec, "routeguide.RouteGuide/GetFeature", &args, None);
    assert_exit(&accepted, 0);
    let written = files(dir.path());
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(fs::read_to_string(&written[0]).unwrap(), GET_FEATURE);
}

#[test]
fn a_live_server_that_is_not_there_is_unavailable_and_nothing_is_written() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(&addr, dir.path(), RecordOptions::default());
    let output = call(
        &rec,
        "routeguide.RouteGuide/GetFeature",
        &["-d", POINT],
        None,
    );
    assert_exit(&output, 64 + 14);
    assert!(
        stderr(&output).contains("UNAVAILABLE: the recorded server did not answer"),
        "{}",
        stderr(&output)
    );
    assert!(files(dir.path()).is_empty());
}

#[test]
fn the_recorders_own_headers_replace_the_callers() {
    let live = serve_in_background(|| async {
        tonic::transport::Server::builder()
            .add_service(apicli::api::api_server::ApiServer::new(echo::Echo))
    });
    let dir = tempfile::tempdir().unwrap();
    let mut options = RecordOptions::default();
    options.headers.insert(
        "x-user",
        http::HeaderValue::from_static("from-the-recorder"),
    );
    let rec = recorder(&live, dir.path(), options);
    let args = ["-d", r#"{"name":"you"}"#, "-H", "x-user: alice"];
    assert_exit(&call(&rec, "api.Api/sayHello", &args, None), 0);
    let written = files(dir.path());
    let text = fs::read_to_string(&written[0]).unwrap();
    assert!(
        text.contains("    x-user: \"from-the-recorder\"\n"),
        "{text}"
    );
}

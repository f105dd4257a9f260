//! `apicli serve --record-from ADDR --stubs DIR` from the command line: every kind of call goes
//! through the recorder to a live `apicli serve`, and `apicli serve --stubs DIR` then gives the
//! same answers from the files; statuses with details are kept, credentials and redacted
//! headers never written, and bad flags are one line and exit 2.

mod common;
#[path = "mock_record/echo.rs"]
mod echo;

use std::{
    fs,
    path::{Path, PathBuf},
    process::Output,
    time::Duration,
};

use common::{
    Server, apicli, assert_exit, assert_one_error_line, output_of, route_guide::check_every_kind,
    serve_in_background, stderr, stdout,
};

const ROUTE_GUIDE: &str = "proto/route_guide.proto";
const API: &str = "proto/api.proto";
const POINT: &str = r#"{"latitude":407838351,"longitude":-746143763}"#;
/// A point the live server refuses with INVALID_ARGUMENT.
const OFF_THE_EARTH: &str = r#"{"latitude":900000001,"longitude":0}"#;

/// Stops `server` as a user would (SIGTERM), and checks that it drained and exited 0.
fn stop(mut server: Server) {
    server.signal("TERM");
    let status = server.wait_exit(Duration::from_secs(20));
    assert!(status.success(), "{status}: {}", server.log());
}

/// The stub files in `dir`, by name.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Every file in `dir`, as one text.
fn all_text(dir: &Path) -> String {
    files(dir)
        .iter()
        .map(|file| fs::read_to_string(file).unwrap())
        .collect()
}

/// Checks that the stub loader reads every file of `dir` against `proto`, one stub a file.
fn loads(dir: &Path, proto: &str) {
    let pool = apicli::descriptors::load_files(&[PathBuf::from(proto)], &[], &[]).unwrap();
    let stubs = apicli::stubs::load_paths(&[dir.to_owned()], &pool)
        .unwrap_or_else(|err| panic!("the stub loader refuses a recorded file: {err}"));
    assert_eq!(stubs.len(), files(dir).len());
}

/// `apicli call METHOD --addr ADDR -o json ARGS…`.
fn call(addr: &str, method: &str, args: &[&str]) -> Output {
    output_of(
        apicli()
            .args(["call", method, "--addr", addr, "-o", "json"])
            .args(args),
    )
}

/// The same call at `live` and at `replay`: the same exit code, stdout and error line.
fn same_answer(live: &str, replay: &str, method: &str, args: &[&str]) {
    let direct = call(live, method, args);
    let replayed = call(replay, method, args);
    assert_eq!(
        replayed.status.code(),
        direct.status.code(),
        "{method} {args:?}: {}",
        stderr(&replayed)
    );
    assert_eq!(stdout(&replayed), stdout(&direct), "{method} {args:?}");
    let error = |output: &Output| {
        (stderr(output).lines())
            .find(|line| line.starts_with("apicli: error: "))
            .map(str::to_owned)
    };
    assert_eq!(error(&replayed), error(&direct), "{method} {args:?}");
}

/// Records `check_every_kind` through `apicli serve --record-from` (described by `source`), then
/// replays the files with `--proto`: the same answers, and every file loads.
fn record_then_replay(source: &[&str], label: &str) {
    let live = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let stubs = dir.path().join("recorded");
    let stubs_arg = stubs.to_str().unwrap();
    let mut args = vec!["--record-from", &live.addr, "--stubs", stubs_arg];
    args.extend(source);
    let recorder = Server::start(&args);
    assert!(
        recorder.log().contains("recording the calls to"),
        "{}",
        recorder.log()
    );
    check_every_kind(&recorder.url(), &[], &format!("{label}: recording"));
    let listed = r#"{"lo":{"latitude":400000000,"longitude":-750000000},"hi":{"latitude":420000000,"longitude":-730000000}}"#;
    same_answer(
        &live.url(),
        &recorder.url(),
        "routeguide.RouteGuide/ListFeatures",
        &["-d", listed],
    );
    same_answer(
        &live.url(),
        &recorder.url(),
        "routeguide.RouteGuide/GetFeature",
        &["-d", OFF_THE_EARTH],
    );
    stop(recorder);

    // GetFeature twice, ListFeatures twice, RecordRoute twice, RouteChat.
    assert_eq!(files(&stubs).len(), 7, "{label}: {:?}", files(&stubs));
    loads(&stubs, ROUTE_GUIDE);
    let replay = Server::start(&["--proto", ROUTE_GUIDE, "--stubs", stubs_arg]);
    check_every_kind(&replay.url(), &[], &format!("{label}: replay"));
    same_answer(
        &live.url(),
        &replay.url(),
        "routeguide.RouteGuide/ListFeatures",
        &["-d", listed],
    );
    same_answer(
        &live.url(),
        &replay.url(),
        "routeguide.RouteGuide/GetFeature",
        &["-d", POINT],
    );
    // A failed call fails the same.
    same_answer(
        &live.url(),
        &replay.url(),
        "routeguide.RouteGuide/GetFeature",
        &["-d", OFF_THE_EARTH],
    );
}

#[test]
fn every_kind_recorded_with_a_proto_file_replays_the_same() {
    record_then_replay(&["--proto", ROUTE_GUIDE], "--proto");
}

#[test]
fn every_kind_recorded_with_the_live_servers_reflection_replays_the_same() {
    record_then_replay(&[], "reflection");
}

#[test]
fn a_status_with_details_replays_and_credentials_and_redacted_headers_are_never_written() {
    let live = serve_in_background(|| async {
        tonic::transport::Server::builder()
            .add_service(apicli::api::api_server::ApiServer::new(echo::Echo))
    });
    let live = format!("http://{live}");
    let dir = tempfile::tempdir().unwrap();
    let stubs = dir.path().join("recorded");
    let stubs_arg = stubs.to_str().unwrap();
    let recorder = Server::start(&[
        "--record-from",
        &live,
        "--stubs",
        stubs_arg,
        "--proto",
        API,
        "--redact-header",
        "X-Secret",
        "-H",
        "authorization: Bearer recorder-token",
        "-H",
        "x-user: from-the-recorder",
    ]);
    let caller = [
        "-H",
        "x-secret: secret-value",
        "-H",
        "cookie: session=cookie-value",
    ];
    for name in ["you", "fail"] {
        let data = format!(r#"{{"name":"{name}"}}"#);
        let args = [&["-d", data.as_str(), "-v"][..], &caller[..]].concat();
        let through = call(&recorder.url(), "api.Api/sayHello", &args);
        // The recorder's -H went to the live server, which sent it back.
        assert!(
            stderr(&through).contains("from-the-recorder"),
            "{}",
            stderr(&through)
        );
    }
    stop(recorder);

    let written = all_text(&stubs);
    assert_eq!(files(&stubs).len(), 2, "{written}");
    assert!(written.contains("from-the-recorder"), "{written}");
    for secret in ["recorder-token", "secret-value", "cookie-value", "x-secret"] {
        assert!(!written.contains(secret), "{secret} in:\n{written}");
    }
    assert!(
        written.contains("\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\""),
        "{written}"
    );
    loads(&stubs, API);

    let replay = Server::start(&["--proto", API, "--stubs", stubs_arg]);
    let replay = replay.url();
    // The recorded caller's headers are not matched on: a call without them is answered too.
    same_answer(
        &live,
        &replay,
        "api.Api/sayHello",
        &["-d", r#"{"name":"you"}"#],
    );
    let fail = [
        "-d",
        r#"{"name":"fail"}"#,
        "-H",
        "x-user: from-the-recorder",
    ];
    same_answer(&live, &replay, "api.Api/sayHello", &fail);
    // -v shows the details and the trailers the same.
    let verbose = |addr: &str| {
        let output = call(addr, "api.Api/sayHello", &[&fail[..], &["-v"]].concat());
        assert_exit(&output, 64 + 9);
        let shown: Vec<String> = stderr(&output)
            .lines()
            .filter(|line| {
                line.contains("ErrorInfo") || line.contains("STOCKOUT") || line.contains("x-user")
            })
            .map(str::to_owned)
            .collect();
        assert!(
            shown.iter().any(|line| line.contains("STOCKOUT")),
            "{shown:?}"
        );
        shown
    };
    assert_eq!(verbose(&replay), verbose(&live));
}

#[test]
fn the_live_servers_token_comes_from_the_recorders_header_and_is_never_written() {
    let token = tempfile::NamedTempFile::new().unwrap();
    fs::write(token.path(), "live-token\n").unwrap();
    let live = Server::start(&["--token-file", token.path().to_str().unwrap()]);
    let dir = tempfile::tempdir().unwrap();
    let recorder = Server::start(&[
        "--record-from",
        &live.addr,
        "--stubs",
        dir.path().to_str().unwrap(),
        "-H",
        "authorization: Bearer live-token",
    ]);
    let answered = call(
        &recorder.url(),
        "routeguide.RouteGuide/GetFeature",
        &["-d", POINT],
    );
    assert_exit(&answered, 0);
    stop(recorder);
    let written = all_text(dir.path());
    assert!(written.contains("Patriots Path"), "{written}");
    assert!(!written.contains("live-token"), "{written}");
}

#[test]
fn a_tls_live_server_is_reached_with_the_clients_ca_option() {
    let dir = tempfile::tempdir().unwrap();
    let tls = dir.path().join("tls");
    let live = Server::start(&["--tls-self-signed", tls.to_str().unwrap()]);
    let stubs = dir.path().join("recorded");
    let recorder = Server::start(&[
        "--record-from",
        &format!("https://{}", live.addr),
        "--ca-cert",
        tls.join("ca.pem").to_str().unwrap(),
        "--stubs",
        stubs.to_str().unwrap(),
    ]);
    let answered = call(
        &recorder.url(),
        "routeguide.RouteGuide/GetFeature",
        &["-d", POINT],
    );
    assert_exit(&answered, 0);
    stop(recorder);
    assert_eq!(files(&stubs).len(), 1);
    loads(&stubs, ROUTE_GUIDE);
}

#[test]
fn record_timing_writes_the_time_before_each_message() {
    let live = Server::start(&["--stream-interval", "20ms"]);
    let dir = tempfile::tempdir().unwrap();
    let recorder = Server::start(&[
        "--record-from",
        &live.url(),
        "--stubs",
        dir.path().to_str().unwrap(),
        "--record-timing",
    ]);
    let stream = call(
        &recorder.url(),
        "api.Api/getStream",
        &["-d", r#"{"length":3}"#],
    );
    assert_exit(&stream, 0);
    stop(recorder);
    let written = all_text(dir.path());
    assert!(written.contains("\ndelay: \""), "{written}");
    assert_eq!(written.matches("    after: \"").count(), 3, "{written}");
    loads(dir.path(), API);
}

#[test]
fn a_live_server_that_is_not_there_stops_the_recorder_before_it_listens() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let dir = tempfile::tempdir().unwrap();
    let stubs = dir.path().join("recorded");
    // Described by a file, or by the reflection the live server cannot answer either.
    for source in [&["--proto", ROUTE_GUIDE][..], &[]] {
        let out = output_of(
            apicli()
                .args(["serve", "--addr", "127.0.0.1:0", "--record-from", &addr])
                .args(["--stubs", stubs.to_str().unwrap()])
                .args(source),
        );
        assert!(!out.status.success());
        assert_one_error_line(&out, &format!("--record-from {addr}: cannot connect"));
        assert!(!stubs.exists());
    }
}

#[test]
fn bad_recording_flags_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_str().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "").unwrap();
    let file = file.to_str().unwrap();
    let live = "127.0.0.1:1";
    let cases: &[(&[&str], &str)] = &[
        (&["--record-from", live], "--record-from needs --stubs DIR"),
        (
            &["--record-from", live, "--stubs", folder, "--stubs", folder],
            "give --stubs DIR once",
        ),
        (&["--record-from", live, "--stubs", file], "not a folder"),
        (
            &[
                "--record-from",
                live,
                "--reflect-from",
                live,
                "--stubs",
                folder,
            ],
            "cannot be used with",
        ),
        (&["--record-timing"], "--record-from"),
        (&["--redact-header", "x-secret"], "--record-from"),
        (
            &[
                "--record-from",
                live,
                "--stubs",
                folder,
                "--redact-header",
                "bad name",
            ],
            "bad --redact-header 'bad name'",
        ),
        (
            &["--record-from", "bad::addr::", "--stubs", folder],
            "--record-from: ",
        ),
        (
            &[
                "--record-from",
                live,
                "--stubs",
                folder,
                "--ca-cert",
                "Cargo.toml",
            ],
            "--record-from: --ca-cert needs an https:// address",
        ),
        (
            &["--record-from", live, "--stubs", folder, "--report-unused"],
            "--report-unused applies to stubs served, not to --record-from",
        ),
        (
            &["--record-from", live, "--stubs", folder, "--timeout", "1s"],
            "--timeout applies to client calls, not to 'serve'",
        ),
        (
            &["--stubs", folder, "-H", "x: 1"],
            "but for the live server of --record-from or --reflect-from",
        ),
        (
            &["--insecure"],
            "--insecure applies to client calls, not to 'serve', but for the live server",
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

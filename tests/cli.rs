//! The real `apicli` binary against real servers on 127.0.0.1: commands, outputs, metadata,
//! deadlines, and every exit code in the README's table.

mod common;

use std::{
    io::{BufRead, BufReader, Read},
    net::TcpListener as StdListener,
    process::Stdio,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use apicli::api::{
    ApiRequest, Hello, HelloRequest, Item, Items,
    api_server::{Api, ApiServer},
};
use common::{
    LIMIT, Server, apicli, assert_exit, assert_one_error_line, items_json, json_lines, run,
    send_signal, serve_in_background, stderr, stdout, wait_with_limit,
};
use serde_json::{Value, json};
use tonic::{Request, Response, Status, metadata::MetadataMap};

// --- every command × both outputs --------------------------------------------------------------

#[test]
fn hello_as_table_and_json() {
    let server = Server::start(&[]);
    let table = run(&["hello", "Gonzalo", "--addr", &server.url()]);
    assert_exit(&table, 0);
    assert_eq!(stdout(&table), "message\nHello Gonzalo!\n");
    assert_eq!(stderr(&table), "");

    let json = run(&["--addr", &server.addr, "-o", "json", "hello", "Gonzalo"]);
    assert_exit(&json, 0);
    assert_eq!(stdout(&json), "{\"message\":\"Hello Gonzalo!\"}\n");
}

#[test]
fn get_all_as_table_and_json() {
    let server = Server::start(&[]);
    let json = run(&["get-all", "--addr", &server.url(), "-o", "json"]);
    assert_exit(&json, 0);
    assert_eq!(
        json_lines(&stdout(&json)),
        [json!({"items": items_json(10)})]
    );

    let table = run(&["get-all", "--length", "3", "--addr", &server.url()]);
    assert_exit(&table, 0);
    assert_eq!(
        stdout(&table),
        "id  name\n 1  name 1\n 2  name 2\n 3  name 3\n3 items\n"
    );

    let empty = run(&[
        "get-all",
        "--length",
        "0",
        "--addr",
        &server.url(),
        "-o",
        "json",
    ]);
    assert_exit(&empty, 0);
    assert_eq!(
        stdout(&empty),
        "{}\n",
        "proto3 JSON omits an empty repeated field"
    );
}

#[test]
fn stream_as_table_and_json() {
    let server = Server::start(&[]);
    let json = run(&["stream", "--addr", &server.url(), "-o", "json"]);
    assert_exit(&json, 0);
    assert_eq!(json_lines(&stdout(&json)), items_json(5));

    let table = run(&["stream", "--length", "12", "--addr", &server.url()]);
    assert_exit(&table, 0);
    let out = stdout(&table);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), 13, "{out}");
    assert_eq!(lines[0], "id  name");
    assert_eq!(lines[1], " 1  name 1");
    assert_eq!(lines[12], "12  name 12");
}

#[test]
fn the_address_can_come_from_the_environment() {
    let server = Server::start(&[]);
    let output = apicli()
        .env("APICLI_ADDR", &server.addr)
        .args(["hello", "env", "-o", "json"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "{\"message\":\"Hello env!\"}\n");
}

#[test]
fn colour_only_when_asked_for() {
    let server = Server::start(&[]);
    let plain = run(&["hello", "x", "--addr", &server.url()]);
    assert!(!stdout(&plain).contains('\x1b'), "no colour into a pipe");
    let always = run(&["hello", "x", "--addr", &server.url(), "--color", "always"]);
    assert!(
        stdout(&always).starts_with("\x1b[1mmessage"),
        "{:?}",
        stdout(&always)
    );
    let no_color = apicli()
        .env("NO_COLOR", "1")
        .args(["hello", "x", "--addr", &server.url()])
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains('\x1b'));
}

// --- metadata and deadlines, as the server sees them -------------------------------------------

/// A real tonic server that records the metadata of each call, and answers with the status
/// named by `x-answer-status` when a call carries one, or with [`status_with_details`] when it
/// carries `x-answer-details`.
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<MetadataMap>>>,
}

impl Recorder {
    fn answer(&self, metadata: &MetadataMap) -> Result<(), Status> {
        self.seen.lock().unwrap().push(metadata.clone());
        if metadata.contains_key("x-answer-details") {
            return Err(status_with_details());
        }
        match metadata.get("x-answer-status") {
            Some(code) => {
                let code: i32 = code.to_str().unwrap().parse().unwrap();
                Err(Status::new(tonic::Code::from(code), "as you asked"))
            }
            None => Ok(()),
        }
    }
}

#[tonic::async_trait]
impl Api for Recorder {
    async fn say_hello(&self, request: Request<HelloRequest>) -> Result<Response<Hello>, Status> {
        self.answer(request.metadata())?;
        let message = format!("Hello {}!", request.into_inner().name);
        Ok(Response::new(Hello { message }))
    }

    async fn get_all(&self, request: Request<ApiRequest>) -> Result<Response<Items>, Status> {
        self.answer(request.metadata())?;
        Ok(Response::new(Items::default()))
    }

    type getStreamStream = tokio_stream::Iter<std::vec::IntoIter<Result<Item, Status>>>;

    async fn get_stream(
        &self,
        request: Request<ApiRequest>,
    ) -> Result<Response<Self::getStreamStream>, Status> {
        self.answer(request.metadata())?;
        // Two items, then a status: what arrived must be kept.
        let items = vec![
            Ok(Item {
                id: 1,
                name: "name 1".into(),
            }),
            Ok(Item {
                id: 2,
                name: "name 2".into(),
            }),
            Err(Status::unavailable("the backend went away")),
        ];
        Ok(Response::new(tokio_stream::iter(items)))
    }
}

/// Serves a [`Recorder`] on 127.0.0.1:0 in a background thread; returns its address.
fn start_recorder(recorder: Recorder) -> String {
    serve_in_background(move || async move {
        tonic::transport::Server::builder().add_service(ApiServer::new(recorder))
    })
}

#[test]
fn headers_and_the_deadline_reach_the_server() {
    let recorder = Recorder::default();
    let addr = start_recorder(recorder.clone());
    let output = run(&[
        "hello",
        "x",
        "--addr",
        &addr,
        "-H",
        "X-Trace: abc",
        "-H",
        "x-multi:1",
        "-H",
        "x-multi: 2",
        "--header",
        "x-blob-bin: AAEC/w==",
        "--timeout",
        "5s",
    ]);
    assert_exit(&output, 0);
    let seen = recorder.seen.lock().unwrap();
    let metadata = &seen[0];
    assert_eq!(metadata.get("x-trace").unwrap(), "abc");
    let multi: Vec<_> = metadata
        .get_all("x-multi")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(multi, ["1", "2"]);
    let blob = metadata.get_bin("x-blob-bin").unwrap().to_bytes().unwrap();
    assert_eq!(blob.as_ref(), [0, 1, 2, 255]);
    let timeout = metadata.get("grpc-timeout").unwrap().to_str().unwrap();
    let micros: u64 = timeout
        .strip_suffix('u')
        .expect("sent in microseconds")
        .parse()
        .unwrap();
    assert!(
        (4_000_000..=5_000_000).contains(&micros),
        "grpc-timeout {timeout}"
    );
}

#[test]
fn verbose_shows_metadata_but_never_credentials() {
    let server = Server::start(&[]);
    let output = run(&[
        "hello",
        "x",
        "--addr",
        &server.url(),
        "-v",
        "-H",
        "authorization: Bearer s3cret-token",
        "-H",
        "x-trace: abc",
    ]);
    assert_exit(&output, 0);
    let err = stderr(&output);
    assert!(err.contains("authorization: [redacted]"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    assert!(err.contains("x-trace: abc"), "{err}");
    assert!(err.contains("content-type: application/grpc"), "{err}");
    assert!(err.contains("status OK after"), "{err}");
    assert_eq!(
        stdout(&output),
        "message\nHello x!\n",
        "stdout carries data only"
    );
}

#[test]
fn each_status_code_exits_64_plus_code_with_its_name_and_message() {
    let addr = start_recorder(Recorder::default());
    for (code, name) in [
        (1, "CANCELLED"),
        (2, "UNKNOWN"),
        (3, "INVALID_ARGUMENT"),
        (4, "DEADLINE_EXCEEDED"),
        (5, "NOT_FOUND"),
        (7, "PERMISSION_DENIED"),
        (8, "RESOURCE_EXHAUSTED"),
        (12, "UNIMPLEMENTED"),
        (13, "INTERNAL"),
        (14, "UNAVAILABLE"),
        (16, "UNAUTHENTICATED"),
    ] {
        let header = format!("x-answer-status: {code}");
        let output = run(&["hello", "x", "--addr", &addr, "-H", &header]);
        assert_exit(&output, 64 + code);
        assert_one_error_line(&output, &format!("{name}: as you asked"));
        assert_eq!(stdout(&output), "");
    }
}

// --- error details (`grpc-status-details-bin`) ---------------------------------------------------

/// `google.rpc.Status`, ErrorInfo and BadRequest, encoded here as a server in another language
/// would, independently of how apicli decodes them.
mod rpc {
    use std::collections::HashMap;

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Status {
        #[prost(int32, tag = "1")]
        pub code: i32,
        #[prost(string, tag = "2")]
        pub message: String,
        #[prost(message, repeated, tag = "3")]
        pub details: Vec<prost_types::Any>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ErrorInfo {
        #[prost(string, tag = "1")]
        pub reason: String,
        #[prost(string, tag = "2")]
        pub domain: String,
        #[prost(map = "string, string", tag = "3")]
        pub metadata: HashMap<String, String>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct BadRequest {
        #[prost(message, repeated, tag = "1")]
        pub field_violations: Vec<FieldViolation>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct FieldViolation {
        #[prost(string, tag = "1")]
        pub field: String,
        #[prost(string, tag = "2")]
        pub description: String,
    }
}

/// FAILED_PRECONDITION carrying an ErrorInfo and a BadRequest.
fn status_with_details() -> Status {
    use prost::Message as _;
    let error_info = rpc::ErrorInfo {
        reason: "EMPTY_CART".into(),
        domain: "shop.example".into(),
        metadata: [("cart".to_owned(), "7".to_owned())].into(),
    };
    let bad_request = rpc::BadRequest {
        field_violations: vec![rpc::FieldViolation {
            field: "name".into(),
            description: "empty".into(),
        }],
    };
    let status = rpc::Status {
        code: tonic::Code::FailedPrecondition as i32,
        message: "the cart is empty".into(),
        details: vec![
            prost_types::Any {
                type_url: "type.googleapis.com/google.rpc.ErrorInfo".into(),
                value: error_info.encode_to_vec(),
            },
            prost_types::Any {
                type_url: "type.googleapis.com/google.rpc.BadRequest".into(),
                value: bad_request.encode_to_vec(),
            },
        ],
    };
    Status::with_details(
        tonic::Code::FailedPrecondition,
        "the cart is empty",
        status.encode_to_vec().into(),
    )
}

#[test]
fn status_details_follow_the_error_line_one_json_object_each() {
    let addr = start_recorder(Recorder::default());
    let expected = "apicli: error: FAILED_PRECONDITION: the cart is empty\n\
        {\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"EMPTY_CART\",\
        \"domain\":\"shop.example\",\"metadata\":{\"cart\":\"7\"}}\n\
        {\"@type\":\"type.googleapis.com/google.rpc.BadRequest\",\
        \"fieldViolations\":[{\"field\":\"name\",\"description\":\"empty\"}]}\n";
    // A typed command, and the general call (built-in descriptors: this server has no
    // reflection).
    for args in [
        &["hello", "x"][..],
        &["call", "api.Api/sayHello", "-d", r#"{"name":"x"}"#],
    ] {
        let output = run(&[args, &["--addr", &addr, "-H", "x-answer-details: yes"]].concat());
        assert_exit(&output, 64 + 9);
        assert_eq!(stderr(&output), expected, "apicli {args:?}");
        assert_eq!(stdout(&output), "");
    }
}

#[test]
fn a_stream_that_fails_keeps_what_arrived() {
    let addr = start_recorder(Recorder::default());
    let output = run(&["stream", "--length", "5", "--addr", &addr, "-o", "json"]);
    assert_exit(&output, 64 + 14);
    assert_eq!(json_lines(&stdout(&output)), items_json(2));
    assert_eq!(
        stderr(&output),
        "apicli: error: UNAVAILABLE: the backend went away (2 of 5 items arrived)\n"
    );
}

#[test]
fn a_paced_stream_cut_by_the_deadline_keeps_its_items() {
    let server = Server::start(&["--stream-interval", "1s"]);
    let started = Instant::now();
    let output = run(&[
        "stream",
        "--length",
        "5",
        "--timeout",
        "2500ms",
        "--addr",
        &server.url(),
        "-o",
        "json",
    ]);
    assert_exit(&output, 68);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(json_lines(&stdout(&output)), items_json(2));
    assert_eq!(
        stderr(&output),
        "apicli: error: DEADLINE_EXCEEDED: the 2.5s deadline (--timeout) passed \
         (2 of 5 items arrived)\n"
    );
}

#[test]
fn a_slow_stream_reaches_a_pipe_item_by_item() {
    let server = Server::start(&["--stream-interval", "400ms"]);
    let mut child = apicli()
        .args([
            "stream",
            "--length",
            "5",
            "-o",
            "json",
            "--addr",
            &server.url(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert_eq!(first, r#"{"id":1,"name":"name 1"}"#);
    assert!(
        child.try_wait().unwrap().is_none(),
        "the first item came before the stream ended"
    );
    let rest: Vec<_> = lines.map(Result::unwrap).collect();
    assert_eq!(rest.len(), 4);
    assert!(wait_with_limit(&mut child, LIMIT).success());
}

// --- failures outside an RPC status: exit 1 ----------------------------------------------------

#[test]
fn connection_refused_names_the_address_and_suggests_serve() {
    let port = StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let started = Instant::now();
    let output = run(&["hello", "x", "--addr", &addr, "--connect-timeout", "5s"]);
    assert_exit(&output, 1);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_one_error_line(
        &output,
        &format!("cannot connect to {addr}: connection refused"),
    );
    assert!(stderr(&output).contains("try 'apicli serve'"));
}

#[test]
fn connecting_gives_up_after_the_connect_timeout() {
    // A listener with a backlog of one that never accepts: once the backlog is full, further
    // connection attempts hang, as they do for a host that drops packets.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        if let Ok(stream) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200))
        {
            fillers.push(stream);
        }
    }
    let started = Instant::now();
    let output = run(&[
        "hello",
        "x",
        "--addr",
        &addr.to_string(),
        "--connect-timeout",
        "700ms",
    ]);
    let elapsed = started.elapsed();
    assert_exit(&output, 1);
    assert!(
        elapsed >= Duration::from_millis(600) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
    assert_one_error_line(&output, &format!("cannot connect to {addr} within 700ms"));
}

// --- usage errors: exit 2, one line, no panic --------------------------------------------------

#[test]
fn usage_errors_exit_2_with_one_clear_line() {
    for (args, needle) in [
        (
            &["hello", "x", "--bogus"][..],
            "unexpected argument '--bogus'",
        ),
        (&["hello"][..], "required"),
        (
            &["get-all", "--length", "-1"][..],
            "-1 is not in 0..=2147483647",
        ),
        (&["stream", "--length", "2147483648"][..], "2147483648"),
        (&["stream", "--length", "ten"][..], "invalid value 'ten'"),
        (
            &["hello", "x", "-H", "no-colon"][..],
            "bad header 'no-colon'",
        ),
        (&["hello", "x", "-H", "grpc-timeout: 1S"][..], "reserved"),
        (&["hello", "x", "-H", "x-bin: !!!"][..], "base64"),
        (
            &["hello", "x", "--timeout", "soon"][..],
            "bad --timeout 'soon'",
        ),
        (&["hello", "x", "--timeout", "5"][..], "bad --timeout '5'"),
        (
            &["hello", "x", "--connect-timeout", "0s"][..],
            "more than zero",
        ),
        (
            &["hello", "x", "--addr", "nowhere"][..],
            "bad address 'nowhere'",
        ),
        (&["hello", "x", "--addr", "ftp://h:1"][..], "bad address"),
        (
            &["hello", "x", "--max-message-size", "huge"][..],
            "bad --max-message-size",
        ),
        (&["hello", "x", "-o", "xml"][..], "invalid value 'xml'"),
        (&["serve", "--addr", "nowhere"][..], "bad listen address"),
        (
            &["serve", "-H", "x: 1"][..],
            "--header applies to client calls",
        ),
        (
            &["serve", "--stream-interval", "fast"][..],
            "bad --stream-interval",
        ),
        (&["completions", "tcsh"][..], "invalid value 'tcsh'"),
        (
            &["hello", "x", "--ca-cert", "ca.pem"][..],
            "--ca-cert needs an https:// address",
        ),
        (
            &["hello", "x", "--addr", "https://h:1", "--cert", "c.pem"][..],
            "--key",
        ),
        (
            &["hello", "x", "--token-file", "/nonexistent/t"][..],
            "--token-file '/nonexistent/t': no such file",
        ),
        (
            &["hello", "x", "-H", "@/nonexistent/h"][..],
            "-H @/nonexistent/h: no such file",
        ),
        (
            &[
                "hello",
                "x",
                "--addr",
                "https://h:1",
                "--ca-cert",
                "Cargo.toml",
            ][..],
            "bad --ca-cert: no PEM certificate",
        ),
        (
            &["hello", "x", "--keepalive", "often"][..],
            "bad --keepalive",
        ),
        (
            &["hello", "x", "--compress", "brotli"][..],
            "invalid value 'brotli'",
        ),
        (
            &["serve", "--client-ca", "Cargo.toml"][..],
            "bad --client-ca",
        ),
        (
            &[
                "serve",
                "--tls-cert",
                "Cargo.toml",
                "--tls-key",
                "Cargo.toml",
            ][..],
            "bad --tls-cert",
        ),
        (&["serve", "--grace", "forever"][..], "bad --grace"),
        (
            &["serve", "--insecure"][..],
            "--insecure applies to client calls",
        ),
    ] {
        let output = run(args);
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
        assert_eq!(stdout(&output), "", "{args:?}");
    }
}

#[test]
fn help_lists_every_subcommand_and_version_prints() {
    let help = run(&["--help"]);
    assert_exit(&help, 0);
    for sub in [
        "hello",
        "get-all",
        "stream",
        "health",
        "serve",
        "completions",
    ] {
        assert!(
            stdout(&help).contains(&format!("  {sub} ")),
            "{sub} missing:\n{}",
            stdout(&help)
        );
    }
    let version = run(&["--version"]);
    assert_exit(&version, 0);
    assert_eq!(
        stdout(&version),
        format!("apicli {}\n", env!("CARGO_PKG_VERSION"))
    );
}

// --- limits ------------------------------------------------------------------------------------

#[test]
fn an_oversized_get_all_names_the_flag_then_succeeds_with_it() {
    let server = Server::start(&[]);
    let too_big = run(&[
        "get-all",
        "--length",
        "400000",
        "--addr",
        &server.url(),
        "-o",
        "json",
    ]);
    assert_exit(&too_big, 64 + 8);
    assert_eq!(
        stderr(&too_big),
        "apicli: error: RESOURCE_EXHAUSTED: the response message is 7.1 MiB, over the 4.0 MiB \
         limit; raise it with --max-message-size (e.g. --max-message-size 64MiB) or use \
         'apicli stream'\n"
    );
    let stream = run(&[
        "call",
        "api.Api/getStream",
        "-d",
        r#"{"length":100}"#,
        "--max-message-size",
        "10",
        "--addr",
        &server.url(),
        "-o",
        "json",
    ]);
    assert_exit(&stream, 64 + 8);
    assert_eq!(json_lines(&stdout(&stream)).len(), 9);
    assert_eq!(
        stderr(&stream),
        "apicli: error: RESOURCE_EXHAUSTED: the response message is 11 B, over the 10 B limit; \
         raise it with --max-message-size (e.g. --max-message-size 64MiB) (9 messages arrived)\n"
    );

    let raised = run(&[
        "get-all",
        "--length",
        "400000",
        "--addr",
        &server.url(),
        "-o",
        "json",
        "--max-message-size",
        "16MiB",
    ]);
    assert_exit(&raised, 0);
    let value: Value = serde_json::from_slice(&raised.stdout).unwrap();
    assert_eq!(value["items"].as_array().unwrap().len(), 400_000);
    assert_eq!(
        value["items"][399_999],
        json!({"id": 400_000, "name": "name 400000"})
    );
}

#[test]
fn the_server_refuses_get_all_over_max_items() {
    let server = Server::start(&["--max-items", "10"]);
    let output = run(&["get-all", "--length", "11", "--addr", &server.url()]);
    assert_exit(&output, 67);
    assert_one_error_line(
        &output,
        "INVALID_ARGUMENT: length 11 is out of range: getAll serves 0 to 10 items",
    );
    let ok = run(&["get-all", "--length", "10", "--addr", &server.url()]);
    assert_exit(&ok, 0);
}

// --- a closed stdout, Ctrl-C -------------------------------------------------------------------

#[test]
fn a_closed_stdout_ends_quietly_and_cancels_the_call() {
    let server = Server::start(&[]);
    let mut child = apicli()
        .args([
            "stream",
            "--length",
            "1000000",
            "-o",
            "json",
            "--addr",
            &server.url(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert_eq!(first, "{\"id\":1,\"name\":\"name 1\"}\n");
    drop(out); // as `| head -1` does
    let status = wait_with_limit(&mut child, LIMIT);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert_eq!(err, "");
    assert!(
        server.wait_for_log("status=CANCELLED", Duration::from_secs(10)),
        "the server saw no cancellation:\n{}",
        server.log()
    );
}

/// `apicli stream --length 100 -o json` against `server`, once its first two items arrived:
/// the running child and its stdout, read up to there.
fn a_stream_two_items_in(
    server: &Server,
) -> (std::process::Child, BufReader<std::process::ChildStdout>) {
    let mut child = apicli()
        .args([
            "stream",
            "--length",
            "100",
            "-o",
            "json",
            "--addr",
            &server.url(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    for _ in 0..2 {
        line.clear();
        out.read_line(&mut line).unwrap();
    }
    (child, out)
}

/// The items the child printed after the first two, and its whole stderr, once it ended.
fn the_rest(child: &mut std::process::Child, mut out: impl Read) -> (usize, String) {
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (json_lines(&rest).len(), err)
}

#[test]
fn ctrl_c_flushes_what_arrived_and_exits_130() {
    let server = Server::start(&["--stream-interval", "200ms"]);
    let (mut child, out) = a_stream_two_items_in(&server);
    send_signal(child.id(), "INT");
    let status = wait_with_limit(&mut child, LIMIT);
    assert_eq!(status.code(), Some(130));
    let (after, err) = the_rest(&mut child, out);
    assert!(after <= 1, "at most the item in flight");
    assert_eq!(
        err,
        format!("apicli: interrupted ({} of 100 items arrived)\n", 2 + after)
    );
}

#[test]
fn a_server_that_dies_mid_stream_leaves_what_arrived_and_one_line() {
    let mut server = Server::start(&["--stream-interval", "100ms"]);
    let (mut child, out) = a_stream_two_items_in(&server);
    server.signal("KILL");
    server.wait_exit(LIMIT);
    let status = wait_with_limit(&mut child, LIMIT);
    assert_eq!(status.code(), Some(1));
    let (after, err) = the_rest(&mut child, out);
    let addr = server.url();
    let addr = addr.trim_start_matches("http://");
    assert_eq!(
        err,
        format!(
            "apicli: error: the server at {addr} closed the connection mid-call \
             ({} of 100 items arrived)\n",
            2 + after
        )
    );
}

#[test]
fn the_server_stops_cleanly_on_sigint() {
    let mut server = Server::start(&[]);
    assert_exit(&run(&["hello", "x", "--addr", &server.url()]), 0);
    server.signal("INT");
    let status = server.wait_exit(LIMIT);
    assert!(status.success(), "{status:?}");
    assert!(
        server.log().contains("method=/api.Api/sayHello"),
        "{}",
        server.log()
    );
    assert!(server.log().contains("status=OK"), "{}", server.log());
}

//! Recording from a live server: calls through the recorder get exactly the live server's
//! answers, and each exchange is written as a stub file without credentials.
//!
//! The recorder runs in the test process, in front of a real `apicli serve` (or a small tonic
//! server for what `apicli serve` does not send: reply headers, details); the calls are made by
//! the real `apicli` binary, once straight to the live server and once through the recorder.

mod common;

use std::{
    fs,
    path::{Path, PathBuf},
    process::Output,
    time::Duration,
};

use apicli::{
    server::{
        BearerAuth,
        record::{RecordOptions, RecordService},
    },
    transport::Channel,
};
use common::{
    Server, apicli, assert_exit, output_of, run_with_input, run_with_input_in_parts,
    serve_in_background, stderr, stdout,
};
use prost_reflect::DescriptorPool;

/// A recorder on 127.0.0.1:0 that forwards to `upstream` and writes into `dir`; its URL.
fn recorder(upstream: &str, dir: &Path, options: RecordOptions) -> String {
    recorder_behind(upstream, dir, options, None)
}

/// A recorder that requires `token`, when given, of its own callers.
fn recorder_behind(
    upstream: &str,
    dir: &Path,
    options: RecordOptions,
    token: Option<&'static str>,
) -> String {
    let upstream = format!("http://{upstream}");
    let dir = dir.to_owned();
    let addr = serve_in_background(move || async move {
        let channel = tonic::transport::Endpoint::from_shared(upstream)
            .unwrap()
            .connect_lazy();
        let pool = DescriptorPool::decode(apicli::api::FILE_DESCRIPTOR_SET).unwrap();
        let record = RecordService::new(Channel::grpc(channel), pool, &dir, options).unwrap();
        let auth = token.map(BearerAuth::new);
        let routes = record.routes(tonic::service::Routes::default(), auth.as_ref());
        tonic::transport::Server::builder().add_routes(routes)
    });
    format!("http://{addr}")
}

/// `apicli call METHOD --addr ADDR ARGS…`, with `input` on stdin when given (`-d @-`).
fn call(addr: &str, method: &str, args: &[&str], input: Option<&str>) -> Output {
    let mut cmd = apicli();
    cmd.args(["call", method, "--addr", addr, "-o", "json"])
        .args(args);
    match input {
        Some(input) => run_with_input(cmd.args(["-d", "@-"]), input),
        None => output_of(&mut cmd),
    }
}

/// The same call straight to `live` and through `recorder`: same exit code, same stdout, same
/// stderr (the address aside).
fn same_answer(live: &str, recorder: &str, method: &str, args: &[&str], input: Option<&str>) {
    let direct = call(live, method, args, input);
    let recorded = call(recorder, method, args, input);
    assert_eq!(
        recorded.status.code(),
        direct.status.code(),
        "{method}: {}",
        stderr(&recorded)
    );
    assert_eq!(stdout(&recorded), stdout(&direct), "{method}");
    assert_eq!(
        shown(&stderr(&recorded), recorder),
        shown(&stderr(&direct), live),
        "{method}"
    );
}

/// What `-v` and errors say, but the address and what changes from one call to the next (the
/// date, how long the call took).
fn shown(stderr: &str, addr: &str) -> String {
    stderr
        .replace(addr, "ADDR")
        .lines()
        .filter(|line| !line.starts_with("  date: "))
        .map(|line| match line.split_once(" after ") {
            Some((status, _)) if line.starts_with("apicli: status ") => status,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
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

fn name(path: &Path) -> &str {
    path.file_name().unwrap().to_str().unwrap()
}

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

/// api.Api whose sayHello sends back the request's headers as its reply headers (or, failing
/// for the name "fail", as the trailers of a status with details).
struct Echo;

/// `google.rpc.ErrorInfo`, built by hand for the details.
#[derive(Clone, PartialEq, prost::Message)]
struct ErrorInfo {
    #[prost(string, tag = "1")]
    reason: String,
    #[prost(string, tag = "2")]
    domain: String,
}

#[tonic::async_trait]
impl apicli::api::api_server::Api for Echo {
    async fn say_hello(
        &self,
        request: tonic::Request<apicli::api::HelloRequest>,
    ) -> Result<tonic::Response<apicli::api::Hello>, tonic::Status> {
        use prost::Message as _;
        let mut echoed = tonic::metadata::MetadataMap::new();
        for name in ["x-user", "authorization", "cookie", "x-api-key", "x-secret"] {
            if let Some(value) = request.metadata().get(name) {
                echoed.insert(name, value.clone());
            }
        }
        echoed.insert("set-cookie", "id=set-cookie-value".parse().unwrap());
        let name = request.into_inner().name;
        if name == "fail" {
            let info = ErrorInfo {
                reason: "STOCKOUT".into(),
                domain: "example.com".into(),
            };
            let status = apicli::details::RpcStatus {
                code: tonic::Code::FailedPrecondition as i32,
                message: "out of stock".into(),
                details: vec![prost_types::Any {
                    type_url: "type.googleapis.com/google.rpc.ErrorInfo".into(),
                    value: info.encode_to_vec(),
                }],
            };
            return Err(tonic::Status::with_details_and_metadata(
                tonic::Code::FailedPrecondition,
                "out of stock",
                status.encode_to_vec().into(),
                echoed,
            ));
        }
        let mut response = tonic::Response::new(apicli::api::Hello {
            message: format!("Hello {name}!"),
        });
        *response.metadata_mut() = echoed;
        Ok(response)
    }

    async fn get_all(
        &self,
        _: tonic::Request<apicli::api::ApiRequest>,
    ) -> Result<tonic::Response<apicli::api::Items>, tonic::Status> {
        Err(tonic::Status::unimplemented("not here"))
    }

    type getStreamStream = tokio_stream::Empty<Result<apicli::api::Item, tonic::Status>>;

    async fn get_stream(
        &self,
        _: tonic::Request<apicli::api::ApiRequest>,
    ) -> Result<tonic::Response<Self::getStreamStream>, tonic::Status> {
        Err(tonic::Status::unimplemented("not here"))
    }
}

#[test]
fn headers_and_details_go_through_and_credentials_are_never_written() {
    let live = serve_in_background(|| async {
        tonic::transport::Server::builder()
            .add_service(apicli::api::api_server::ApiServer::new(Echo))
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
    // -v shows what came back: the echoed credentials went through (authorization, which -v
    // redacts, is shown to go through by the token test).
    let verbose = call(
        &rec,
        "api.Api/sayHello",
        &[&["-d", r#"{"name":"fail"}"#][..], &headers[..]].concat(),
        None,
    );
    assert_exit(&verbose, 64 + 9);
    for sent in ["cookie-value", "key-value", "secret-value", "ErrorInfo"] {
        assert!(
            stderr(&verbose).contains(sent),
            "{sent}: {}",
            stderr(&verbose)
        );
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
            .add_service(apicli::api::api_server::ApiServer::new(Echo))
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

//! `--rpc-header` reaches the call only, `--reflect-header` the reflection requests only, and
//! `-H` both: a real server in the test process records the headers of every request it gets,
//! by its path, so that reflection's requests and the call's can be told apart.

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use apicli::server::ApiService;
use common::{apicli, assert_exit, output_of, run, stderr, stdout};

/// Each request's path, with the values of the `x-…` headers it carried, as `name=value`.
type Seen = Arc<Mutex<Vec<(String, Vec<String>)>>>;

/// api.Api and reflection (v1 and v1alpha), behind a layer that writes down each request's path
/// and its `x-` headers.
fn start() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    listener.set_nonblocking(true).unwrap();
    let serve = async move {
        let reflection = |builder: tonic_reflection::server::Builder<'static>| {
            builder.register_encoded_file_descriptor_set(apicli::api::FILE_DESCRIPTOR_SET)
        };
        let v1 = reflection(tonic_reflection::server::Builder::configure())
            .build_v1()
            .unwrap();
        let v1alpha = reflection(tonic_reflection::server::Builder::configure())
            .build_v1alpha()
            .unwrap();
        let record = tower::util::MapRequestLayer::new(move |request: http::Request<_>| {
            let headers = (request.headers().iter())
                .filter(|(name, _)| name.as_str().starts_with("x-"))
                .map(|(name, value)| format!("{name}={}", value.to_str().unwrap_or("?")))
                .collect();
            log.lock()
                .unwrap()
                .push((request.uri().path().to_owned(), headers));
            request
        });
        tonic::transport::Server::builder()
            .layer(record)
            .add_service(apicli::api::api_server::ApiServer::new(ApiService::new(
                Duration::ZERO,
                100,
            )))
            .add_service(v1)
            .add_service(v1alpha)
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(
                tokio::net::TcpListener::from_std(listener).unwrap(),
            ))
            .await
            .unwrap();
    };
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(serve);
    });
    (addr, seen)
}

fn is_reflection(path: &str) -> bool {
    path.starts_with("/grpc.reflection.")
}

/// The headers each kind of request carried: (reflection's, the calls').
fn sorted(seen: &Seen) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let seen = seen.lock().unwrap();
    let (reflection, calls): (Vec<_>, Vec<_>) =
        seen.iter().partition(|(path, _)| is_reflection(path));
    (
        reflection.into_iter().map(|(_, h)| h.clone()).collect(),
        calls.into_iter().map(|(_, h)| h.clone()).collect(),
    )
}

const ONE_SIDE: &[&str] = &[
    "-H",
    "x-both: 1",
    "--rpc-header",
    "x-rpc: 2",
    "--reflect-header",
    "x-reflect: 3",
    "--rpc-header",
    "x-blob-bin: AAEC/w==",
];

#[test]
fn each_side_gets_its_own_headers_and_both_get_h() {
    let (addr, seen) = start();
    let mut args = vec![
        "call",
        "api.Api/sayHello",
        "--addr",
        &addr,
        "-d",
        r#"{"name":"x"}"#,
    ];
    args.extend(ONE_SIDE);
    let output = run(&args);
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("Hello x!"), "{}", stdout(&output));
    let (reflection, calls) = sorted(&seen);
    assert!(!reflection.is_empty(), "reflection was used");
    for headers in &reflection {
        assert_eq!(headers, &["x-both=1", "x-reflect=3"]);
    }
    assert_eq!(calls, [["x-both=1", "x-rpc=2", "x-blob-bin=AAEC/w"]]);
}

#[test]
fn list_and_describe_send_reflect_headers_and_not_rpc_headers() {
    let (addr, seen) = start();
    for command in [&["list"][..], &["describe", "api.Api"]] {
        let mut args = command.to_vec();
        args.extend(["--addr", &addr]);
        args.extend(ONE_SIDE);
        let output = run(&args);
        assert_exit(&output, 0);
    }
    let (reflection, calls) = sorted(&seen);
    assert!(calls.is_empty(), "{calls:?}");
    assert!(reflection.len() >= 2, "{reflection:?}");
    for headers in &reflection {
        assert_eq!(headers, &["x-both=1", "x-reflect=3"]);
    }
}

#[test]
fn bench_calls_get_rpc_headers_and_its_reflection_reflect_headers() {
    let (addr, seen) = start();
    let mut args = vec![
        "bench",
        "api.Api/sayHello",
        "--addr",
        &addr,
        "-d",
        r#"{"name":"x"}"#,
        "-n",
        "3",
        "-c",
        "1",
        "--rpc-header",
        "x-n: {{n}}",
    ];
    args.extend(ONE_SIDE);
    let output = output_of(apicli().args(&args));
    assert_exit(&output, 0);
    let (reflection, calls) = sorted(&seen);
    assert!(!reflection.is_empty());
    for headers in &reflection {
        assert_eq!(headers, &["x-both=1", "x-reflect=3"]);
    }
    assert_eq!(calls.len(), 3, "{calls:?}");
    for headers in &calls {
        let mut headers = headers.clone();
        headers.sort();
        assert_eq!(headers.len(), 4, "{headers:?}");
        assert!(headers.contains(&"x-both=1".to_owned()), "{headers:?}");
        assert!(headers.contains(&"x-rpc=2".to_owned()), "{headers:?}");
        assert!(headers.iter().any(|h| h.starts_with("x-n=")), "{headers:?}");
        assert!(
            !headers.iter().any(|h| h.starts_with("x-reflect")),
            "{headers:?}"
        );
    }
}

#[test]
fn verbose_shows_the_call_s_metadata() {
    let (addr, _) = start();
    let mut args = vec!["call", "api.Api/sayHello", "--addr", &addr, "-v"];
    args.extend(ONE_SIDE);
    let output = run(&args);
    assert_exit(&output, 0);
    let err = stderr(&output);
    assert!(err.contains("x-both: 1"), "{err}");
    assert!(err.contains("x-rpc: 2"), "{err}");
    assert!(!err.contains("x-reflect"), "{err}");
}

#[test]
fn bad_one_side_headers_are_refused_as_h_refuses_them() {
    for flag in ["--rpc-header", "--reflect-header"] {
        let output = run(&["list", flag, "novalue"]);
        assert_exit(&output, 2);
        common::assert_one_error_line(&output, "bad header 'novalue': expected 'name: value'");
    }
    for flag in ["--rpc-header", "--reflect-header"] {
        let output = run(&["serve", "--reflect-from", "127.0.0.1:1", flag, "x: 1"]);
        assert_exit(&output, 2);
        common::assert_one_error_line(
            &output,
            &format!("{flag} applies to client calls, not to 'serve'; for the live server"),
        );
    }
}

#[test]
fn each_side_keeps_its_headers_over_connect_and_grpc_web() {
    // `serve -v` logs each request's metadata, by method.
    let server = common::Server::start(&["-v"]);
    let output = run(&[
        "call",
        "api.Api/sayHello",
        "--addr",
        &server.addr,
        "--protocol",
        "connect",
        "-H",
        "x-both: 1",
        "--rpc-header",
        "x-rpc: 2",
        "--reflect-header",
        "x-reflect: 3",
    ]);
    assert_exit(&output, 0);
    // gRPC-Web cannot carry reflection: the descriptors come from the file.
    let output = run(&[
        "call",
        "api.Api/sayHello",
        "--addr",
        &server.addr,
        "--protocol",
        "grpc-web",
        "--proto",
        concat!(env!("CARGO_MANIFEST_DIR"), "/proto/api.proto"),
        "--rpc-header",
        "x-web: 4",
        "--reflect-header",
        "x-reflect: 5",
    ]);
    assert_exit(&output, 0);
    assert!(
        server.wait_for_log("x-web: 4", common::LIMIT),
        "{}",
        server.log()
    );
    let log = server.log();
    let requests: Vec<&str> = log.lines().filter(|l| l.contains(" request ")).collect();
    let reflection: Vec<&&str> = requests
        .iter()
        .filter(|l| l.contains("Reflection"))
        .collect();
    let calls: Vec<&&str> = requests.iter().filter(|l| l.contains("api.Api")).collect();
    assert!(!reflection.is_empty(), "{log}");
    for line in reflection {
        assert!(
            line.contains("x-both: 1") && line.contains("x-reflect: 3"),
            "{line}"
        );
        assert!(!line.contains("x-rpc"), "{line}");
    }
    assert_eq!(calls.len(), 2, "{log}");
    assert!(
        calls[0].contains("x-both: 1") && calls[0].contains("x-rpc: 2"),
        "{}",
        calls[0]
    );
    assert!(calls[1].contains("x-web: 4"), "{}", calls[1]);
    for line in calls {
        assert!(!line.contains("x-reflect"), "{line}");
    }
}

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
    let output = run(&["serve", "--rpc-header", "x: 1"]);
    assert_exit(&output, 2);
    common::assert_one_error_line(&output, "--rpc-header applies to client calls");
}

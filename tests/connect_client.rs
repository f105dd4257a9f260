//! The Connect translator under the transport seam (`apicli::transport::connect`, in a
//! `transport::Channel`), with tonic's `Channel` over h2c as its HTTP service: gRPC calls made
//! by tonic's generated client go out as Connect, to `apicli serve` and to hand-made bad peers,
//! and come back as gRPC responses with the statuses, details, metadata and trailers that
//! Connect carried.

mod common;

use std::time::Duration;

use apicli::{
    api::{ApiRequest, HelloRequest, api_client::ApiClient},
    connect::Codec,
    transport::connect::{ConnectMethod, ConnectOptions, ConnectService, RpcKind},
};
use bytes::Bytes;
use common::Server;
use prost_reflect::DescriptorPool;
use tonic::{Code, codec::CompressionEncoding, transport::Channel};

type Client = ApiClient<apicli::transport::Channel>;

/// A client of `addr` whose calls go through the seam's Connect channel.
async fn client(addr: &str, options: ConnectOptions) -> Client {
    let channel = Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    ApiClient::new(apicli::transport::Channel::connect(
        channel,
        options,
        apicli::transport::http::Version::Http2,
    ))
}

fn json() -> ConnectOptions {
    ConnectOptions {
        codec: Codec::Json,
        ..ConnectOptions::default()
    }
}

/// A request marked with its method's kind, and its descriptor for JSON.
fn marked<T>(message: T, method: &str) -> tonic::Request<T> {
    let pool = DescriptorPool::decode(apicli::api::FILE_DESCRIPTOR_SET).unwrap();
    let service = pool.get_service_by_name("api.Api").unwrap();
    let method = service.methods().find(|m| m.name() == method).unwrap();
    let mut request = tonic::Request::new(message);
    request.extensions_mut().insert(ConnectMethod::of(method));
    request
}

fn hello(name: &str) -> tonic::Request<HelloRequest> {
    marked(HelloRequest { name: name.into() }, "sayHello")
}

fn length(n: i32, method: &str) -> tonic::Request<ApiRequest> {
    marked(ApiRequest { length: n }, method)
}

#[tokio::test]
async fn unary_calls_in_proto_json_and_get() {
    let server = Server::start(&[]);
    for options in [
        ConnectOptions::default(),
        json(),
        ConnectOptions {
            get: true,
            ..ConnectOptions::default()
        },
        ConnectOptions {
            get: true,
            ..json()
        },
    ] {
        let what = format!("{options:?}");
        let mut client = client(&server.addr, options).await;
        let reply = client.say_hello(hello("Gonzalo")).await.expect(&what);
        assert_eq!(reply.get_ref().message, "Hello Gonzalo!", "{what}");
        assert!(reply.metadata().get("x-request-id").is_some(), "{what}");
    }
}

/// Calls without a mark are looked up by path: in the options' descriptors, or in apicli's own.
#[tokio::test]
async fn unmarked_calls_are_looked_up() {
    let server = Server::start(&[]);
    let with_pool = ConnectOptions {
        pool: Some(DescriptorPool::decode(apicli::api::FILE_DESCRIPTOR_SET).unwrap()),
        ..json()
    };
    for options in [with_pool, json(), ConnectOptions::default()] {
        let mut client = client(&server.addr, options).await;
        let reply = client
            .say_hello(HelloRequest {
                name: "Gonzalo".into(),
            })
            .await
            .unwrap();
        assert_eq!(reply.get_ref().message, "Hello Gonzalo!");
        let mut stream = client
            .get_stream(ApiRequest { length: 2 })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(stream.message().await.unwrap().unwrap().id, 1);
    }
}

#[tokio::test]
async fn a_get_too_long_for_a_url_is_refused() {
    let server = Server::start(&[]);
    let options = ConnectOptions {
        get: true,
        ..ConnectOptions::default()
    };
    let mut client = client(&server.addr, options).await;
    let status = client
        .say_hello(hello(&"x".repeat(10_000)))
        .await
        .unwrap_err();
    // Refused before anything is sent: a usage error inside the status, which the binary
    // reports as exit 2 (see tests/protocols.rs).
    let source = std::error::Error::source(&status).expect("the refusal as the status's source");
    let usage = source.downcast_ref::<apicli::exit::UsageError>();
    assert!(
        usage.is_some_and(|u| u.0.contains("send it without --get")),
        "{status:?}"
    );
    assert!(
        !server.log().contains("method="),
        "a call was made:\n{}",
        server.log()
    );
}

#[tokio::test]
async fn server_streams_in_proto_and_json() {
    let server = Server::start(&[]);
    for options in [ConnectOptions::default(), json()] {
        let mut client = client(&server.addr, options).await;
        let mut stream = client
            .get_stream(length(3, "getStream"))
            .await
            .unwrap()
            .into_inner();
        let mut ids = Vec::new();
        while let Some(item) = stream.message().await.unwrap() {
            ids.push(item.id);
        }
        assert_eq!(ids, [1, 2, 3]);
        assert!(stream.trailers().await.unwrap().is_some());
    }
}

#[tokio::test]
async fn a_long_stream_arrives_whole_and_in_order() {
    let server = Server::start(&[]);
    for options in [ConnectOptions::default(), json()] {
        let mut client = client(&server.addr, options).await;
        let mut stream = client
            .get_stream(length(20_000, "getStream"))
            .await
            .unwrap()
            .into_inner();
        let mut next = 1;
        while let Some(item) = stream.message().await.unwrap() {
            assert_eq!(item.id, next);
            next += 1;
        }
        assert_eq!(next, 20_001);
    }
}

#[tokio::test]
async fn errors_keep_their_codes_and_words() {
    let server = Server::start(&["--max-items", "10"]);
    let mut client = client(&server.addr, ConnectOptions::default()).await;
    let status = client.get_all(length(11, "getAll")).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("0 to 10 items"), "{status:?}");

    // A stream's error comes in its end-stream message, after the headers.
    let mut stream = client
        .get_stream(length(-1, "getStream"))
        .await
        .unwrap()
        .into_inner();
    let status = stream.message().await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);

    // A method the server does not have.
    let mut request = tonic::Request::new(HelloRequest::default());
    request
        .extensions_mut()
        .insert(ConnectMethod::new(RpcKind::Unary));
    let channel = Channel::from_shared(server.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut grpc =
        tonic::client::Grpc::new(ConnectService::new(channel, ConnectOptions::default()));
    grpc.ready().await.unwrap();
    let status = grpc
        .unary::<_, apicli::api::Hello, _>(
            request,
            "/api.Api/nope".parse().unwrap(),
            tonic_prost::ProstCodec::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unimplemented, "{status:?}");
}

#[tokio::test]
async fn the_timeout_is_connect_timeout_ms() {
    let server = Server::start(&["--stream-interval", "200ms"]);
    let mut client = client(&server.addr, ConnectOptions::default()).await;
    let mut request = length(50, "getStream");
    request.set_timeout(Duration::from_millis(500));
    let mut stream = client.get_stream(request).await.unwrap().into_inner();
    let status = loop {
        match stream.message().await {
            Ok(Some(_)) => continue,
            Ok(None) => panic!("the stream ended before its deadline"),
            Err(status) => break status,
        }
    };
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
}

#[tokio::test]
async fn compression_both_ways() {
    let server = Server::start(&[]);
    for encoding in [CompressionEncoding::Gzip, CompressionEncoding::Zstd] {
        let mut client = client(&server.addr, ConnectOptions::default())
            .await
            .send_compressed(encoding)
            .accept_compressed(encoding);
        let items = client.get_all(length(300, "getAll")).await.unwrap();
        assert_eq!(items.get_ref().items.len(), 300);
        let mut stream = client
            .get_stream(length(3, "getStream"))
            .await
            .unwrap()
            .into_inner();
        let mut count = 0;
        while stream.message().await.unwrap().is_some() {
            count += 1;
        }
        assert_eq!(count, 3);
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-made peers, which answer every request with the same reply
// ---------------------------------------------------------------------------------------------

/// Serves `status`, `headers` and `body` to every request, over h2c; returns the address.
async fn peer(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (headers, body) = (headers.clone(), body.clone());
            tokio::spawn(async move {
                let Ok(mut connection) = h2::server::handshake(tcp).await else {
                    return;
                };
                while let Some(Ok((request, mut respond))) = connection.accept().await {
                    let mut incoming = request.into_body();
                    while let Some(Ok(_)) = incoming.data().await {}
                    let mut response = http::Response::builder().status(status);
                    for (name, value) in &headers {
                        response = response.header(name, value);
                    }
                    let mut send = respond
                        .send_response(response.body(()).unwrap(), false)
                        .unwrap();
                    let _ = send.send_data(Bytes::from(body.clone()), true);
                }
            });
        }
    });
    addr
}

fn envelope(flags: u8, message: &[u8]) -> Vec<u8> {
    let mut out = vec![flags];
    out.extend_from_slice(&(message.len() as u32).to_be_bytes());
    out.extend_from_slice(message);
    out
}

const STREAM: (&str, &str) = ("content-type", "application/connect+proto");

async fn stream_status(addr: &str) -> tonic::Status {
    let mut client = client(addr, ConnectOptions::default()).await;
    let mut stream = match client.get_stream(length(1, "getStream")).await {
        Ok(response) => response.into_inner(),
        Err(status) => return status,
    };
    loop {
        match stream.message().await {
            Ok(Some(_)) => continue,
            Ok(None) => panic!("the stream ended well"),
            Err(status) => return status,
        }
    }
}

#[tokio::test]
async fn a_lying_length_prefix_is_a_clear_error() {
    let addr = peer(200, &[STREAM], vec![0, 0, 0, 3, 232, b'a']).await;
    let status = stream_status(&addr).await;
    assert_eq!(status.code(), Code::Internal);
    assert!(
        status.message().contains("announced 1000 bytes"),
        "{status:?}"
    );
}

#[tokio::test]
async fn an_end_stream_that_is_not_json_is_a_clear_error() {
    let addr = peer(200, &[STREAM], envelope(2, b"<html>")).await;
    let status = stream_status(&addr).await;
    assert_eq!(status.code(), Code::Internal);
    assert!(status.message().contains("not JSON"), "{status:?}");

    let addr = peer(200, &[STREAM], Vec::new()).await;
    let status = stream_status(&addr).await;
    assert!(
        status.message().contains("without an end-stream"),
        "{status:?}"
    );
}

#[tokio::test]
async fn end_stream_errors_and_metadata_become_status_and_trailers() {
    let end = br#"{"error":{"code":"unavailable","message":"overloaded","details":[{"type":"google.rpc.RetryInfo","value":"CgIIPA"}]},"metadata":{"x-cost":["237"]}}"#;
    let addr = peer(200, &[STREAM], envelope(2, end)).await;
    let status = stream_status(&addr).await;
    assert_eq!(status.code(), Code::Unavailable);
    assert_eq!(status.message(), "overloaded");
    assert!(!status.details().is_empty());
    assert_eq!(status.metadata().get("x-cost").unwrap(), "237");
}

#[tokio::test]
async fn unary_trailers_and_http_statuses() {
    // sayHello's reply "Hello!" with a trailer.
    let reply = apicli::api::Hello {
        message: "Hello!".into(),
    };
    let addr = peer(
        200,
        &[
            ("content-type", "application/proto"),
            ("trailer-x-cost", "237"),
        ],
        prost::Message::encode_to_vec(&reply),
    )
    .await;
    let mut one = client(&addr, ConnectOptions::default()).await;
    let response = one.say_hello(hello("x")).await.unwrap();
    assert_eq!(response.get_ref().message, "Hello!");
    assert_eq!(response.metadata().get("x-cost").unwrap(), "237");

    for (status, code) in [(503, Code::Unavailable), (404, Code::Unimplemented)] {
        let addr = peer(
            status,
            &[("content-type", "text/html")],
            b"<h1>no</h1>".to_vec(),
        )
        .await;
        let mut one = client(&addr, ConnectOptions::default()).await;
        let status = one.say_hello(hello("x")).await.unwrap_err();
        assert_eq!(status.code(), code, "{status:?}");
    }

    let addr = peer(
        429,
        &[("content-type", "application/json")],
        br#"{"code":"resource_exhausted","message":"slow down"}"#.to_vec(),
    )
    .await;
    let mut one = client(&addr, ConnectOptions::default()).await;
    let status = one.say_hello(hello("x")).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted);
    assert_eq!(status.message(), "slow down");

    // A gRPC server answers a Connect call with content type application/grpc.
    let addr = peer(200, &[("content-type", "application/grpc")], Vec::new()).await;
    let mut one = client(&addr, ConnectOptions::default()).await;
    let status = one.say_hello(hello("x")).await.unwrap_err();
    assert!(status.message().contains("--protocol grpc"), "{status:?}");
}

/// A plain gRPC server (tonic, without serve's Connect layer) answers a Connect call as gRPC:
/// the error names the protocol it speaks.
#[tokio::test]
async fn a_grpc_only_server_is_named() {
    let addr = common::serve_in_background(|| async {
        tonic::transport::Server::builder().add_service(apicli::api::api_server::ApiServer::new(
            apicli::server::ApiService::new(Duration::ZERO, 10),
        ))
    });
    let mut client = client(&addr, ConnectOptions::default()).await;
    let status = client.say_hello(hello("x")).await.unwrap_err();
    assert!(
        status.message().contains("try --protocol grpc"),
        "{status:?}"
    );
    let status = stream_status(&addr).await;
    assert!(
        status.message().contains("try --protocol grpc"),
        "{status:?}"
    );
}

//! `apicli serve` answers the Connect protocol: real Connect requests, made by hand over h2c
//! (so that every byte on the wire is the test's), for unary calls in proto and JSON, GET,
//! server streams with their envelopes and end-stream message, errors with the HTTP status of
//! their code, deadlines, limits, compression, and malformed envelopes.

mod common;

use std::io::Read as _;

use apicli::api::{ApiRequest, Hello, HelloRequest, Item, Items};
use bytes::Bytes;
use common::Server;
use http::{HeaderMap, Method, Request, StatusCode};
use prost::Message as _;
use serde_json::{Value, json};

/// What came back: the status, the headers, the whole body and the trailers.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    trailers: Option<HeaderMap>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|err| panic!("{err}: {:?}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.headers))
            .to_str()
            .unwrap()
    }

    /// The envelopes of a stream: (flags, message).
    fn envelopes(&self) -> Vec<(u8, Bytes)> {
        let mut rest = self.body.clone();
        let mut out = Vec::new();
        while !rest.is_empty() {
            assert!(rest.len() >= 5, "a cut prefix: {rest:?}");
            let len = u32::from_be_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
            let flags = rest[0];
            let message = rest.slice(5..5 + len);
            rest = rest.slice(5 + len..);
            out.push((flags, message));
        }
        out
    }
}

/// Sends one request over h2c to `server` and reads all of its reply.
fn send(
    server: &Server,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let tcp = tokio::net::TcpStream::connect(&server.addr).await.unwrap();
        let (client, connection) = h2::client::handshake(tcp).await.unwrap();
        tokio::spawn(connection);
        let mut client = client.ready().await.unwrap();
        let mut request = Request::builder()
            .method(method)
            .uri(format!("http://{}{path}", server.addr));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let end = body.is_empty();
        let (response, mut stream) = client.send_request(request.body(()).unwrap(), end).unwrap();
        if !end {
            stream
                .send_data(Bytes::copy_from_slice(body), true)
                .unwrap();
        }
        let response = response.await.unwrap();
        let (parts, mut recv) = response.into_parts();
        let mut data = Vec::new();
        while let Some(chunk) = recv.data().await {
            let chunk = chunk.unwrap();
            let _ = recv.flow_control().release_capacity(chunk.len());
            data.extend_from_slice(&chunk);
        }
        let trailers = recv.trailers().await.unwrap();
        Reply {
            status: parts.status,
            headers: parts.headers,
            body: data.into(),
            trailers,
        }
    })
}

fn envelope(flags: u8, message: &[u8]) -> Vec<u8> {
    let mut out = vec![flags];
    out.extend_from_slice(&(message.len() as u32).to_be_bytes());
    out.extend_from_slice(message);
    out
}

const PROTO: (&str, &str) = ("content-type", "application/proto");
const JSON: (&str, &str) = ("content-type", "application/json");
const STREAM_PROTO: (&str, &str) = ("content-type", "application/connect+proto");
const STREAM_JSON: (&str, &str) = ("content-type", "application/connect+json");
const VERSION: (&str, &str) = ("connect-protocol-version", "1");

#[test]
fn unary_proto_and_json() {
    let server = Server::start(&[]);
    let request = HelloRequest {
        name: "Gonzalo".into(),
    }
    .encode_to_vec();
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/sayHello",
        &[PROTO, VERSION],
        &request,
    );
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/proto");
    assert_eq!(
        Hello::decode(reply.body.clone()).unwrap().message,
        "Hello Gonzalo!"
    );
    assert!(reply.trailers.is_none(), "Connect uses no HTTP trailers");
    assert!(reply.headers.get("grpc-status").is_none());

    let reply = send(
        &server,
        Method::POST,
        "/api.Api/sayHello",
        &[JSON, VERSION],
        br#"{"name": "Buf"}"#,
    );
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/json");
    assert_eq!(reply.json(), json!({"message": "Hello Buf!"}));
}

#[test]
fn unary_get_in_json_and_proto() {
    let server = Server::start(&[]);
    let reply = send(
        &server,
        Method::GET,
        "/api.Api/sayHello?connect=v1&encoding=json&message=%7B%22name%22%3A%22Buf%22%7D",
        &[],
        b"",
    );
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.json(), json!({"message": "Hello Buf!"}));

    // HelloRequest { name: "Buf" } in URL-safe base64.
    let reply = send(
        &server,
        Method::GET,
        "/api.Api/sayHello?connect=v1&base64=1&encoding=proto&message=CgNCdWY",
        &[],
        b"",
    );
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(Hello::decode(reply.body).unwrap().message, "Hello Buf!");
}

#[test]
fn server_stream_in_envelopes_with_an_end_stream() {
    let server = Server::start(&[]);
    let request = envelope(0, &ApiRequest { length: 3 }.encode_to_vec());
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/getStream",
        &[STREAM_PROTO],
        &request,
    );
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/connect+proto");
    let envelopes = reply.envelopes();
    assert_eq!(envelopes.len(), 4, "{envelopes:?}");
    for (n, (flags, message)) in envelopes[..3].iter().enumerate() {
        assert_eq!(*flags, 0);
        assert_eq!(Item::decode(message.clone()).unwrap().id, n as i32 + 1);
    }
    assert_eq!(envelopes[3].0, 2);
    let end: Value = serde_json::from_slice(&envelopes[3].1).unwrap();
    assert!(end.get("error").is_none(), "{end}");

    let request = envelope(0, br#"{"length": 2}"#);
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/getStream",
        &[STREAM_JSON],
        &request,
    );
    assert_eq!(reply.header("content-type"), "application/connect+json");
    let envelopes = reply.envelopes();
    let items: Vec<Value> = (envelopes.iter())
        .map(|(_, m)| serde_json::from_slice(m).unwrap())
        .collect();
    assert_eq!(
        items,
        [
            json!({"id": 1, "name": "name 1"}),
            json!({"id": 2, "name": "name 2"}),
            json!({})
        ]
    );
}

#[test]
fn errors_have_their_codes_http_status_and_json() {
    let server = Server::start(&["--max-items", "10"]);
    let request = ApiRequest { length: 11 }.encode_to_vec();
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/getAll",
        &[PROTO, VERSION],
        &request,
    );
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.header("content-type"), "application/json");
    let error = reply.json();
    assert_eq!(error["code"], "invalid_argument");
    assert!(
        error["message"].as_str().unwrap().contains("0 to 10 items"),
        "{error}"
    );

    let reply = send(
        &server,
        Method::POST,
        "/api.Api/nope",
        &[PROTO, VERSION],
        b"",
    );
    assert_eq!(reply.status, StatusCode::NOT_IMPLEMENTED);
    assert_eq!(reply.json()["code"], "unimplemented");
    let reply = send(&server, Method::POST, "/no.Such/method", &[JSON], b"{}");
    assert_eq!(reply.status, StatusCode::NOT_IMPLEMENTED);
    assert_eq!(reply.json()["code"], "unimplemented");

    // A stream's error is in its end-stream message, under status 200.
    let request = envelope(0, &ApiRequest { length: -1 }.encode_to_vec());
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/getStream",
        &[STREAM_PROTO],
        &request,
    );
    assert_eq!(reply.status, StatusCode::OK);
    let envelopes = reply.envelopes();
    assert_eq!(envelopes.len(), 1);
    assert_eq!(envelopes[0].0, 2);
    let end: Value = serde_json::from_slice(&envelopes[0].1).unwrap();
    assert_eq!(end["error"]["code"], "invalid_argument", "{end}");
}

#[test]
fn bad_json_and_a_kind_mismatch_are_refused() {
    let server = Server::start(&[]);
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/sayHello",
        &[JSON],
        br#"{"nom": 1}"#,
    );
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let error = reply.json();
    assert_eq!(error["code"], "invalid_argument");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("api.HelloRequest"),
        "{error}"
    );

    let reply = send(
        &server,
        Method::GET,
        "/api.Api/sayHello?encoding=proto&base64=1&message=%21%21%21",
        &[],
        b"",
    );
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap()
            .contains("not base64")
    );

    let reply = send(&server, Method::POST, "/api.Api/getStream", &[PROTO], b"");
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap()
            .contains("streaming method")
    );
}

#[test]
fn malformed_envelopes_end_the_stream_with_an_error() {
    let server = Server::start(&[]);
    // A prefix that announces 1000 bytes, and a body that ends after 3.
    let lying = [&[0u8, 0, 0, 3, 232][..], b"{\"l"].concat();
    for content_type in [STREAM_JSON, STREAM_PROTO] {
        let reply = send(
            &server,
            Method::POST,
            "/api.Api/getStream",
            &[content_type],
            &lying,
        );
        assert_eq!(reply.status, StatusCode::OK);
        let envelopes = reply.envelopes();
        let (flags, end) = envelopes.last().unwrap();
        assert_eq!(*flags, 2);
        let end: Value = serde_json::from_slice(end).unwrap();
        assert!(end["error"]["code"].is_string(), "{end}");
    }
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/getStream",
        &[STREAM_JSON],
        &lying,
    );
    let end: Value = serde_json::from_slice(&reply.envelopes()[0].1).unwrap();
    assert_eq!(end["error"]["code"], "invalid_argument", "{end}");
    assert!(
        end["error"]["message"]
            .as_str()
            .unwrap()
            .contains("announced 1000 bytes"),
        "{end}"
    );
}

#[test]
fn connect_timeout_ms_is_the_deadline() {
    let server = Server::start(&["--stream-interval", "200ms"]);
    let request = envelope(0, &ApiRequest { length: 50 }.encode_to_vec());
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/getStream",
        &[STREAM_PROTO, ("connect-timeout-ms", "500")],
        &request,
    );
    let envelopes = reply.envelopes();
    let (flags, end) = envelopes.last().unwrap();
    assert_eq!(*flags, 2);
    let end: Value = serde_json::from_slice(end).unwrap();
    assert_eq!(end["error"]["code"], "deadline_exceeded", "{end}");
    assert!(envelopes.len() < 50);

    let reply = send(
        &server,
        Method::POST,
        "/api.Api/sayHello",
        &[JSON, ("connect-timeout-ms", "soon")],
        b"{}",
    );
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap()
            .contains("connect-timeout-ms")
    );
}

#[test]
fn requests_over_the_size_limit_are_refused() {
    let server = Server::start(&["--max-request-size", "1KiB"]);
    let request = HelloRequest {
        name: "x".repeat(2000),
    }
    .encode_to_vec();
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/sayHello",
        &[PROTO],
        &request,
    );
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    let error = reply.json();
    assert_eq!(error["code"], "resource_exhausted");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("--max-request-size"),
        "{error}"
    );
}

#[test]
fn compression_both_ways() {
    let server = Server::start(&[]);
    let request = ApiRequest { length: 100 }.encode_to_vec();
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gzip, &request).unwrap();
    let compressed = gzip.finish().unwrap();
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/getAll",
        &[
            PROTO,
            ("content-encoding", "gzip"),
            ("accept-encoding", "zstd, gzip"),
        ],
        &compressed,
    );
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.header("content-encoding"), "zstd");
    let body = zstd::decode_all(&reply.body[..]).unwrap();
    assert_eq!(Items::decode(&body[..]).unwrap().items.len(), 100);

    // A stream asks with connect-accept-encoding; its envelopes are flagged compressed.
    let request = envelope(0, &ApiRequest { length: 2 }.encode_to_vec());
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/getStream",
        &[STREAM_PROTO, ("connect-accept-encoding", "gzip")],
        &request,
    );
    assert_eq!(reply.header("connect-content-encoding"), "gzip");
    let envelopes = reply.envelopes();
    assert_eq!(envelopes[0].0, 1);
    let mut item = Vec::new();
    flate2::read::GzDecoder::new(&envelopes[0].1[..])
        .read_to_end(&mut item)
        .unwrap();
    assert_eq!(Item::decode(&item[..]).unwrap().id, 1);

    // Empty content is the empty message, never decompressed.
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/sayHello",
        &[PROTO, ("content-encoding", "gzip")],
        b"",
    );
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(Hello::decode(reply.body).unwrap().message, "Hello !");

    let reply = send(
        &server,
        Method::POST,
        "/api.Api/sayHello",
        &[PROTO, ("content-encoding", "br")],
        b"x",
    );
    assert_eq!(reply.status, StatusCode::NOT_IMPLEMENTED);
    assert!(reply.json()["message"].as_str().unwrap().contains("gzip"));
}

#[test]
fn client_streams_and_bidi_in_envelopes() {
    use apicli::routeguide::{Point, RouteNote, RouteSummary};
    let server = Server::start(&[]);
    let points: Vec<u8> = (1..=3)
        .flat_map(|n| {
            envelope(
                0,
                &Point {
                    latitude: n,
                    longitude: n,
                }
                .encode_to_vec(),
            )
        })
        .collect();
    let reply = send(
        &server,
        Method::POST,
        "/routeguide.RouteGuide/RecordRoute",
        &[STREAM_PROTO],
        &points,
    );
    let envelopes = reply.envelopes();
    assert_eq!(envelopes.len(), 2, "{envelopes:?}");
    let summary = RouteSummary::decode(envelopes[0].1.clone()).unwrap();
    assert_eq!(summary.point_count, 3);
    assert_eq!(envelopes[1], (2, Bytes::from_static(b"{}")));

    let notes: Vec<u8> = ["a", "b"]
        .iter()
        .flat_map(|message| {
            envelope(
                0,
                &RouteNote {
                    location: Some(Point {
                        latitude: 1,
                        longitude: 1,
                    }),
                    message: message.to_string(),
                }
                .encode_to_vec(),
            )
        })
        .collect();
    let reply = send(
        &server,
        Method::POST,
        "/routeguide.RouteGuide/RouteChat",
        &[STREAM_PROTO],
        &notes,
    );
    let envelopes = reply.envelopes();
    let (last_flags, _) = envelopes.last().unwrap();
    assert_eq!(*last_flags, 2);
    assert!(envelopes.len() >= 2, "{envelopes:?}");
}

#[test]
fn the_token_is_checked_for_connect_too() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "s3cret\n").unwrap();
    let server = Server::start(&["--token-file", token_file.to_str().unwrap()]);
    let request = HelloRequest { name: "x".into() }.encode_to_vec();
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/sayHello",
        &[PROTO],
        &request,
    );
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["code"], "unauthenticated");
    let reply = send(
        &server,
        Method::POST,
        "/api.Api/sayHello",
        &[PROTO, ("authorization", "Bearer s3cret")],
        &request,
    );
    assert_eq!(reply.status, StatusCode::OK);
}

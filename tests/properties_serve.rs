//! Property: whatever bytes arrive as a gRPC request, `apicli serve` ends the call with a
//! grpc-status, in time, and goes on answering. Random frames (any compressed flag, lengths
//! that lie, random payloads, junk after the last frame, gzip or not, cut into HTTP/2 DATA
//! frames anywhere) go to every method of api.Api and routeguide.RouteGuide over raw HTTP/2,
//! so that nothing on the client side tidies them first.

mod common;

use std::time::Duration;

use bytes::{BufMut as _, Bytes, BytesMut};
use common::Server;
use proptest::{
    prelude::*,
    test_runner::{TestCaseError, TestRunner},
};
use tokio::{net::TcpStream, time::timeout};

const METHODS: [&str; 7] = [
    "/api.Api/sayHello",
    "/api.Api/getAll",
    "/api.Api/getStream",
    "/routeguide.RouteGuide/GetFeature",
    "/routeguide.RouteGuide/ListFeatures",
    "/routeguide.RouteGuide/RecordRoute",
    "/routeguide.RouteGuide/RouteChat",
];

/// How long one call may take to end: far more than any answer needs.
const CALL_LIMIT: Duration = Duration::from_secs(10);

/// A response stream that has sent this much has decoded its request: enough is read.
const ENOUGH: usize = 64 * 1024;

/// The request size limit the server is started with, so that lengths past it are tried.
const MAX_REQUEST: u32 = 64 * 1024;

#[derive(Debug, Clone)]
enum Length {
    /// The payload's length.
    True,
    /// Fewer bytes than follow.
    Less(u32),
    /// More bytes than follow.
    More(u32),
    /// Anything, up to past the request size limit and u32::MAX.
    Any(u32),
}

#[derive(Debug, Clone)]
struct Frame {
    /// 0 plain, 1 compressed, anything else invalid.
    flag: u8,
    length: Length,
    payload: Vec<u8>,
}

#[derive(Debug, Clone)]
struct Request {
    frames: Vec<Frame>,
    /// Bytes after the last frame: part of a frame header, or anything.
    trailing: Vec<u8>,
    /// `grpc-encoding`, when the request names one.
    encoding: Option<&'static str>,
    /// Where the body is cut into HTTP/2 DATA frames.
    cuts: Vec<prop::sample::Index>,
}

impl Request {
    fn body(&self) -> Vec<u8> {
        let mut body = BytesMut::new();
        for frame in &self.frames {
            let real = frame.payload.len() as u32;
            let length = match frame.length {
                Length::True => real,
                Length::Less(n) => real.saturating_sub(n.max(1)),
                Length::More(n) => real.saturating_add(n.max(1)),
                Length::Any(n) => n,
            };
            body.put_u8(frame.flag);
            body.put_u32(length);
            body.put_slice(&frame.payload);
        }
        body.put_slice(&self.trailing);
        body.to_vec()
    }

    /// The body in the DATA frames it is sent in.
    fn chunks(&self) -> Vec<Bytes> {
        let body = Bytes::from(self.body());
        let mut cuts: Vec<usize> = self.cuts.iter().map(|i| i.index(body.len() + 1)).collect();
        cuts.push(body.len());
        cuts.sort_unstable();
        let mut start = 0;
        cuts.into_iter()
            .map(|end| {
                let chunk = body.slice(start..end);
                start = end;
                chunk
            })
            .collect()
    }
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => protobuf(),
        1 => prop::collection::vec(any::<u8>(), 0..64),
        1 => Just(Vec::new()),
    ]
}

/// Protobuf fields 1 to 3 of every wire type, with values at the edges: the messages of these
/// methods, some nested, some of the wrong type, some cut short.
fn protobuf() -> impl Strategy<Value = Vec<u8>> {
    let varint = prop_oneof![
        prop::sample::select(&[0u64, 1, 2, 5, 127, 128, 1000, 1 << 31, u64::MAX][..]),
        any::<u64>(),
    ];
    let field = (
        1u64..=3,
        prop_oneof![
            4 => varint.prop_map(Wire::Varint),
            2 => "[a-z é]{0,12}".prop_map(|text| Wire::Bytes(text.into_bytes())),
            1 => prop::collection::vec(any::<u8>(), 0..12).prop_map(Wire::Bytes),
            1 => any::<u32>().prop_map(Wire::Fixed32),
            1 => any::<u64>().prop_map(Wire::Fixed64),
        ],
    );
    let fields = prop::collection::vec(field, 0..4);
    let nested = (1u64..=4, fields.clone())
        .prop_map(|(number, inner)| vec![(number, Wire::Bytes(encode(&inner)))]);
    (prop_oneof![3 => fields, 1 => nested], 0usize..5).prop_map(|(fields, cut)| {
        let mut bytes = encode(&fields);
        // Now and then a message cut short.
        if cut == 0 {
            bytes.pop();
        }
        bytes
    })
}

#[derive(Debug, Clone)]
enum Wire {
    Varint(u64),
    Bytes(Vec<u8>),
    Fixed32(u32),
    Fixed64(u64),
}

fn encode(fields: &[(u64, Wire)]) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, mut n: u64) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    let mut out = Vec::new();
    for (number, wire) in fields {
        match wire {
            Wire::Varint(n) => {
                varint(&mut out, number << 3);
                varint(&mut out, *n);
            }
            Wire::Bytes(bytes) => {
                varint(&mut out, number << 3 | 2);
                varint(&mut out, bytes.len() as u64);
                out.extend_from_slice(bytes);
            }
            Wire::Fixed32(n) => {
                varint(&mut out, number << 3 | 5);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Wire::Fixed64(n) => {
                varint(&mut out, number << 3 | 1);
                out.extend_from_slice(&n.to_le_bytes());
            }
        }
    }
    out
}

fn frame() -> impl Strategy<Value = Frame> {
    let flag = prop_oneof![4 => Just(0u8), 2 => Just(1u8), 1 => any::<u8>()];
    let length = prop_oneof![
        4 => Just(Length::True),
        1 => (1u32..16).prop_map(Length::Less),
        1 => (1u32..16).prop_map(Length::More),
        1 => prop_oneof![Just(MAX_REQUEST + 1), Just(u32::MAX), Just(i32::MAX as u32 + 1), any::<u32>()]
            .prop_map(Length::Any),
    ];
    (flag, length, payload()).prop_map(|(flag, length, payload)| Frame {
        flag,
        length,
        payload,
    })
}

/// One well-formed frame, as a client sends it, half the time: the payload then reaches the
/// methods themselves.
fn request() -> impl Strategy<Value = Request> {
    let framed = payload().prop_map(|payload| Request {
        frames: vec![Frame {
            flag: 0,
            length: Length::True,
            payload,
        }],
        trailing: Vec::new(),
        encoding: None,
        cuts: Vec::new(),
    });
    prop_oneof![framed, messy()]
}

fn messy() -> impl Strategy<Value = Request> {
    (
        prop::collection::vec(frame(), 0..4),
        prop_oneof![3 => Just(Vec::new()), 1 => prop::collection::vec(any::<u8>(), 1..5)],
        prop::option::of(prop::sample::select(
            &["gzip", "identity", "zstd", "snappy"][..],
        )),
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
    )
        .prop_map(|(frames, trailing, encoding, cuts)| Request {
            frames,
            trailing,
            encoding,
            cuts,
        })
}

/// How a call ended.
#[derive(Debug, PartialEq)]
enum End {
    /// With this grpc-status.
    Status(String),
    /// Still streaming answers after [`ENOUGH`] bytes: the request was read.
    Answering,
}

async fn connect(addr: &str) -> Result<h2::client::SendRequest<Bytes>, String> {
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let (client, connection) = h2::client::handshake(tcp)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    Ok(client)
}

/// Sends one request and reads the response up to its grpc-status.
async fn call(
    client: &h2::client::SendRequest<Bytes>,
    addr: &str,
    method: &str,
    request: &Request,
) -> Result<End, String> {
    let mut builder = http::Request::builder()
        .method("POST")
        .uri(format!("http://{addr}{method}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers");
    if let Some(encoding) = request.encoding {
        builder = builder.header("grpc-encoding", encoding);
    }
    let head = builder.body(()).map_err(|e| e.to_string())?;
    let mut client = client.clone().ready().await.map_err(|e| e.to_string())?;
    let (response, mut send) = client
        .send_request(head, false)
        .map_err(|e| e.to_string())?;
    let chunks = request.chunks();
    let last = chunks.len() - 1;
    for (i, chunk) in chunks.into_iter().enumerate() {
        // The server may answer, and close its side, before it has read everything.
        if send.send_data(chunk, i == last).is_err() {
            break;
        }
    }
    let response = response.await.map_err(|e| format!("no response: {e}"))?;
    if let Some(status) = response.headers().get("grpc-status") {
        return Ok(End::Status(status.to_str().unwrap_or("?").to_owned()));
    }
    let mut body = response.into_body();
    let mut read = 0;
    while let Some(data) = body.data().await {
        let data = data.map_err(|e| format!("the response broke off: {e}"))?;
        read += data.len();
        let _ = body.flow_control().release_capacity(data.len());
        if read > ENOUGH {
            return Ok(End::Answering);
        }
    }
    let trailers = body
        .trailers()
        .await
        .map_err(|e| format!("no trailers: {e}"))?
        .ok_or("the response ended without trailers")?;
    let status = trailers
        .get("grpc-status")
        .ok_or("trailers without grpc-status")?;
    Ok(End::Status(status.to_str().unwrap_or("?").to_owned()))
}

/// A well-formed sayHello, which must still succeed.
fn hello() -> Request {
    Request {
        frames: vec![Frame {
            flag: 0,
            length: Length::True,
            payload: b"\x0a\x02hi".to_vec(),
        }],
        trailing: Vec::new(),
        encoding: None,
        cuts: Vec::new(),
    }
}

#[test]
fn any_request_bytes_end_in_a_status() {
    let limit = MAX_REQUEST.to_string();
    let server = Server::start(&["--max-request-size", &limit, "--max-items", "1000"]);
    let addr = server.addr.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        // A call that hangs takes CALL_LIMIT at each step of shrinking.
        max_shrink_time: 30_000,
        ..ProptestConfig::default()
    });
    let result = runner.run(&request(), |request| {
        runtime.block_on(async {
            let client = connect(&addr).await.map_err(TestCaseError::fail)?;
            for method in METHODS {
                let end = timeout(CALL_LIMIT, call(&client, &addr, method, &request))
                    .await
                    .map_err(|_| {
                        TestCaseError::fail(format!("{method}: no status in {CALL_LIMIT:?}"))
                    })?
                    .map_err(|e| TestCaseError::fail(format!("{method}: {e}")))?;
                if let End::Status(status) = &end {
                    prop_assert!(
                        status.parse::<u8>().is_ok_and(|code| code <= 16),
                        "{method}: grpc-status {status}"
                    );
                }
            }
            // On a new connection, the server still answers.
            let fresh = connect(&addr).await.map_err(TestCaseError::fail)?;
            let end = timeout(CALL_LIMIT, call(&fresh, &addr, METHODS[0], &hello()))
                .await
                .map_err(|_| TestCaseError::fail("a well-formed call took too long afterwards"))?
                .map_err(TestCaseError::fail)?;
            prop_assert_eq!(end, End::Status("0".into()));
            Ok(())
        })
    });
    if let Err(failure) = result {
        panic!("{failure}\nserver log:\n{}", server.log());
    }
    let log = server.log();
    assert!(
        !log.contains("panicked") && !log.contains("internal error"),
        "{log}"
    );
}

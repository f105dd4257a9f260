//! Connect under the transport seam: a service that takes the gRPC requests the call pipeline
//! makes (`application/grpc`, 5-byte frames, `grpc-timeout`, `grpc-encoding`, metadata), sends
//! them as Connect requests through any HTTP service, and turns the Connect replies back into
//! gRPC responses (frames, and `grpc-status`, `grpc-message` and `grpc-status-details-bin`
//! trailers), so that everything above the seam works unchanged.
//!
//! A unary call is a POST of one bare message (or a GET, with [`ConnectOptions::get`]), and
//! its reply a bare message or an error's JSON with an HTTP status (`unary.rs`). A stream is
//! envelopes both ways, ending in an end-stream message (`streams.rs`). The gRPC request does
//! not say which of the two a call is: the call pipeline marks it with a [`ConnectMethod`] in
//! the request's extensions.

mod bodies;
mod streams;
mod unary;

pub use unary::GET_LIMIT;

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, LazyLock},
    task::{Context, Poll},
};

use http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use prost_reflect::{DescriptorPool, MethodDescriptor};
use tonic::{Code, Status, body::Body};
use tower::Service;

use super::BoxError;
use crate::connect::{
    Codec, ConnectError, PROTOCOL_VERSION, code_from_http,
    metadata::{
        GRPC_ACCEPT_ENCODING, GRPC_ENCODING, GRPC_STATUS, keep_metadata, take_prefixed_trailers,
    },
    timeout::{CONNECT_TIMEOUT, GRPC_TIMEOUT, format_connect, parse_grpc},
};

/// The four kinds of RPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RpcKind {
    Unary,
    ClientStreaming,
    ServerStreaming,
    Bidi,
}

/// What a Connect call needs to know that a gRPC request does not say: the method's kind, and
/// for the JSON codec its messages. Put in the extensions of the `tonic::Request` of a call. A
/// request without it (or, for JSON, without the descriptor) is looked up by path in
/// [`ConnectOptions::pool`], then in apicli's own services (api.Api, health, reflection); when
/// nothing knows it, it is sent as a stream.
#[derive(Debug, Clone)]
pub struct ConnectMethod {
    pub kind: RpcKind,
    /// The method's descriptor, which the JSON codec needs.
    pub descriptor: Option<MethodDescriptor>,
}

impl ConnectMethod {
    pub fn new(kind: RpcKind) -> ConnectMethod {
        ConnectMethod {
            kind,
            descriptor: None,
        }
    }

    /// The mark of `descriptor`'s method, with its kind.
    pub fn of(descriptor: MethodDescriptor) -> ConnectMethod {
        let kind = match (
            descriptor.is_client_streaming(),
            descriptor.is_server_streaming(),
        ) {
            (false, false) => RpcKind::Unary,
            (true, false) => RpcKind::ClientStreaming,
            (false, true) => RpcKind::ServerStreaming,
            (true, true) => RpcKind::Bidi,
        };
        ConnectMethod {
            kind,
            descriptor: Some(descriptor),
        }
    }
}

/// How Connect calls are sent.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// The messages' encoding on the wire (`--codec`).
    pub codec: Codec,
    /// Unary calls as GET requests (`--get`).
    pub get: bool,
    /// The largest reply message, decompressed (`--max-message-size`).
    pub max_message_size: usize,
    /// Descriptors for the calls that come without a [`ConnectMethod`]: their kind, and their
    /// messages for JSON, are looked up by path (the user's descriptors for `bench`, say).
    pub pool: Option<DescriptorPool>,
}

impl Default for ConnectOptions {
    fn default() -> ConnectOptions {
        ConnectOptions {
            codec: Codec::Proto,
            get: false,
            max_message_size: 4 << 20,
            pool: None,
        }
    }
}

pub use super::HttpStatus;

/// gRPC calls, sent in Connect through `S`.
#[derive(Clone)]
pub struct ConnectService<S> {
    inner: S,
    options: Arc<ConnectOptions>,
}

impl<S> ConnectService<S> {
    pub fn new(inner: S, options: ConnectOptions) -> ConnectService<S> {
        ConnectService {
            inner,
            options: Arc::new(options),
        }
    }
}

/// The response of one Connect call, as gRPC.
pub type ConnectFuture = Pin<Box<dyn Future<Output = Result<Response<Body>, BoxError>> + Send>>;

impl<S> Service<http::Request<Body>> for ConnectService<S>
where
    S: Service<http::Request<Body>, Response = Response<Body>> + Clone + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = BoxError;
    type Future = ConnectFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: http::Request<Body>) -> ConnectFuture {
        // The ready service goes to this call; the clone waits for the next one.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let options = Arc::clone(&self.options);
        let method = method_of(&request, &options);
        let unary = method.as_ref().is_some_and(|m| m.kind == RpcKind::Unary);
        let descriptor = method.and_then(|m| m.descriptor);
        if unary {
            Box::pin(unary::call(inner, options, descriptor, request))
        } else {
            Box::pin(streams::call(inner, options, descriptor, request))
        }
    }
}

/// The descriptors of the methods apicli calls by name (api.Api, health, reflection), read
/// when a call first needs them.
static BUILTIN: LazyLock<DescriptorPool> = LazyLock::new(|| {
    let mut pool = DescriptorPool::new();
    for set in [
        crate::api::FILE_DESCRIPTOR_SET,
        tonic_health::pb::FILE_DESCRIPTOR_SET,
        tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET,
        tonic_reflection::pb::v1alpha::FILE_DESCRIPTOR_SET,
    ] {
        // They were made at build time: they decode.
        let _ = pool.decode_file_descriptor_set(set);
    }
    pool
});

/// What is known of the method a request calls: its mark, completed (for JSON, which needs the
/// messages) or made (for a request without one) from the options' descriptors or apicli's
/// own, found by path. `None` when nothing knows it.
fn method_of(request: &http::Request<Body>, options: &ConnectOptions) -> Option<ConnectMethod> {
    let mark = request.extensions().get::<ConnectMethod>();
    if let Some(mark) = mark
        && (mark.descriptor.is_some() || options.codec == Codec::Proto)
    {
        return Some(mark.clone());
    }
    let path = request.uri().path();
    (options.pool.as_ref())
        .and_then(|pool| looked_up(pool, path))
        .or_else(|| looked_up(&BUILTIN, path))
        .or_else(|| mark.cloned())
}

/// The mark of the method at `path`, from `pool`.
fn looked_up(pool: &DescriptorPool, path: &str) -> Option<ConnectMethod> {
    let (service, method) = path.strip_prefix('/')?.split_once('/')?;
    let service = pool.get_service_by_name(service)?;
    let method = service.methods().find(|m| m.name() == method)?;
    Some(ConnectMethod::of(method))
}

/// The descriptor the JSON codec needs, or the error of its absence.
fn json_descriptor(descriptor: Option<&MethodDescriptor>) -> Result<&MethodDescriptor, Status> {
    descriptor.ok_or_else(|| {
        Status::internal("the JSON codec needs the method's descriptor, which the call lacks")
    })
}

/// Turns the headers of a gRPC request into a Connect request's: its metadata, the deadline
/// as `connect-timeout-ms`, and `connect-protocol-version`. Returns what the gRPC headers said
/// of compression: the request's `grpc-encoding` and `grpc-accept-encoding`.
fn connect_headers(headers: &mut HeaderMap) -> (Option<HeaderValue>, Option<HeaderValue>) {
    let timeout = (headers.get(GRPC_TIMEOUT)).and_then(|value| parse_grpc(value.as_bytes()));
    let encoding = headers.get(GRPC_ENCODING).cloned();
    let accept = headers.get(GRPC_ACCEPT_ENCODING).cloned();
    keep_metadata(headers);
    if let Some(timeout) = timeout {
        headers.insert(CONNECT_TIMEOUT, format_connect(timeout));
    }
    headers.insert(PROTOCOL_VERSION, HeaderValue::from_static("1"));
    (encoding, accept)
}

/// A gRPC response that carries only `status` (and `metadata`) in its headers: what a failed
/// Connect call becomes.
fn trailers_only(status: &Status, mut metadata: HeaderMap, http: StatusCode) -> Response<Body> {
    keep_metadata(&mut metadata);
    metadata.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/grpc"),
    );
    // A status's headers are made of ASCII it escaped itself.
    let _ = status.add_header(&mut metadata);
    HttpStatus::mark(&mut metadata, http);
    let mut response = Response::new(Body::empty());
    *response.headers_mut() = metadata;
    response.extensions_mut().insert(HttpStatus(http));
    response
}

/// The error of a Connect reply that failed with a non-200 HTTP status: its error JSON, or the
/// code the spec infers from the HTTP status when the body is not one.
fn http_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Status {
    let json = (headers.get(header::CONTENT_TYPE))
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if json && let Ok(error) = ConnectError::from_json(body) {
        return error.to_status();
    }
    let code = code_from_http(status);
    let reason = status.canonical_reason().unwrap_or("");
    let mut words = format!("the server answered HTTP {} {reason}", status.as_u16());
    if let Some(hint) = protocol_hint(headers) {
        words.push_str(&format!(" ({hint})"));
    }
    Status::new(code, words.trim_end().to_owned())
}

/// A guess at the protocol a server speaks, from its reply's content type, when that is not
/// Connect.
fn protocol_hint(headers: &HeaderMap) -> Option<&'static str> {
    let content_type = headers.get(header::CONTENT_TYPE)?.as_bytes();
    if content_type.starts_with(b"application/grpc-web") {
        Some("it speaks gRPC-Web: try --protocol grpc-web")
    } else if content_type.starts_with(b"application/grpc") {
        Some("it speaks gRPC: try --protocol grpc")
    } else {
        None
    }
}

/// The error of a 200 reply whose content type is not the one Connect answers with.
fn not_connect(headers: &HeaderMap, expected: &str) -> Status {
    let found = (headers.get(header::CONTENT_TYPE))
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let found = match found {
        Some(found) => format!("content type {found:?}"),
        None => "no content type".to_owned(),
    };
    let hint = match protocol_hint(headers) {
        Some(hint) => format!(": {hint}"),
        None => String::new(),
    };
    Status::new(
        Code::Unknown,
        format!("the server answered with {found}, not Connect's {expected}{hint}"),
    )
}

/// Splits a unary reply's headers into its leading metadata and its `trailer-` trailers.
fn split_unary(headers: &mut HeaderMap) -> HeaderMap {
    take_prefixed_trailers(headers)
}

/// The gRPC status in trailers whose call succeeded.
fn ok_trailers(mut trailers: HeaderMap) -> HeaderMap {
    keep_metadata(&mut trailers);
    trailers.insert(GRPC_STATUS, HeaderValue::from_static("0"));
    trailers
}

/// The trailers of a failed call.
fn error_trailers(status: &Status, mut trailers: HeaderMap) -> HeaderMap {
    keep_metadata(&mut trailers);
    let _ = status.add_header(&mut trailers);
    trailers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_headers_become_connect_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/grpc".parse().unwrap());
        headers.insert("te", "trailers".parse().unwrap());
        headers.insert("grpc-timeout", "2500m".parse().unwrap());
        headers.insert("grpc-encoding", "gzip".parse().unwrap());
        headers.insert("grpc-accept-encoding", "gzip".parse().unwrap());
        headers.insert("x-user", "me".parse().unwrap());
        let (encoding, accept) = connect_headers(&mut headers);
        assert_eq!(encoding.unwrap(), "gzip");
        assert_eq!(accept.unwrap(), "gzip");
        assert_eq!(headers["connect-timeout-ms"], "2500");
        assert_eq!(headers["connect-protocol-version"], "1");
        assert_eq!(headers["x-user"], "me");
        assert_eq!(headers.len(), 3);
    }

    #[test]
    fn errors_come_from_json_or_the_http_status() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/json".parse().unwrap());
        let status = http_error(
            StatusCode::BAD_REQUEST,
            &headers,
            br#"{"code":"out_of_range","message":"too far"}"#,
        );
        assert_eq!(status.code(), Code::OutOfRange);
        assert_eq!(status.message(), "too far");

        for (http, code) in [
            (404, Code::Unimplemented),
            (503, Code::Unavailable),
            (429, Code::Unavailable),
            (400, Code::Internal),
            (418, Code::Unknown),
        ] {
            let http = StatusCode::from_u16(http).unwrap();
            let status = http_error(http, &headers, b"<html>not json</html>");
            assert_eq!(status.code(), code, "{http}");
            assert!(
                status.message().contains(http.as_str()),
                "{}",
                status.message()
            );
        }
    }

    #[test]
    fn a_grpc_server_is_named() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/grpc".parse().unwrap());
        let status = not_connect(&headers, "application/proto");
        assert!(
            status.message().contains("try --protocol grpc"),
            "{}",
            status.message()
        );
        headers.insert(
            "content-type",
            "application/grpc-web+proto".parse().unwrap(),
        );
        let status = not_connect(&headers, "application/proto");
        assert!(status.message().contains("--protocol grpc-web"));
    }
}

//! One log line per call: method, peer, status, duration and request id; for a test double's
//! call, also the stub that answered it or why none did.
//!
//! The line is written when the response body is finished or dropped, so it also covers server
//! streams (whose status travels in the trailers) and clients that leave early (CANCELLED).
//! Each call gets a request id: the client's `x-request-id`, or a new one, returned in the
//! response headers.

use std::{
    fmt,
    future::Future,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll, ready},
    time::Instant,
};

use http::{Extensions, HeaderMap, HeaderValue, Request, Response};
use http_body::{Body, Frame, SizeHint};
use tonic::{
    Code,
    transport::server::{TcpConnectInfo, TlsConnectInfo, UdsConnectInfo},
};
use tower::{Layer, Service};
use tracing::{debug, info};

use super::mock::{Answer, connection::ConnInfo};
use crate::exit::code_name;

const REQUEST_ID: &str = "x-request-id";

/// The log target of the per-call lines, so `-q` can turn them off and keep the rest.
pub const CALLS: &str = "apicli::calls";

/// The protocol a request came in, put in its extensions by the layer that turned it into the
/// gRPC request the services handle (tonic-web's, Connect's), so that the log still names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    GrpcWeb,
    GrpcWebText,
    Connect,
}

impl Wire {
    pub fn name(self) -> &'static str {
        match self {
            Wire::GrpcWeb => "grpc-web",
            Wire::GrpcWebText => "grpc-web-text",
            Wire::Connect => "connect",
        }
    }
}

/// Wraps every call of the server in a [`CallLog`], and counts the calls in flight.
#[derive(Debug, Clone, Default)]
pub struct CallLogLayer {
    in_flight: Arc<AtomicUsize>,
    ids: Arc<RequestIds>,
}

impl CallLogLayer {
    /// How many calls have started and not yet ended.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }
}

impl<S> Layer<S> for CallLogLayer {
    type Service = CallLog<S>;

    fn layer(&self, inner: S) -> CallLog<S> {
        CallLog {
            inner,
            in_flight: Arc::clone(&self.in_flight),
            ids: Arc::clone(&self.ids),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CallLog<S> {
    inner: S,
    in_flight: Arc<AtomicUsize>,
    ids: Arc<RequestIds>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for CallLog<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    type Response = Response<LoggedBody<ResBody>>;
    type Error = S::Error;
    type Future = CallFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        if tracing::enabled!(target: CALLS, tracing::Level::DEBUG) {
            let metadata = shown_metadata(request.headers());
            debug!(target: CALLS, method = %request.uri().path(), %metadata, "request");
        }
        let request_id = request_id(request.headers(), &self.ids);
        request.headers_mut().insert(REQUEST_ID, request_id.clone());
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        let record = CallRecord {
            // A Uri clone shares its bytes: nothing is formatted unless the line is logged.
            uri: request.uri().clone(),
            peer: Peer::of(request.extensions()),
            protocol: protocol(&request),
            http: match request.version() {
                http::Version::HTTP_2 => "2",
                http::Version::HTTP_11 => "1.1",
                http::Version::HTTP_10 => "1.0",
                _ => "other",
            },
            request_id,
            started: Instant::now(),
            status: None,
            answer: None,
            in_flight: Arc::clone(&self.in_flight),
        };
        CallFuture {
            inner: self.inner.call(request),
            record: Some(record),
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future: adds the request id and hands the record to the body.
    pub struct CallFuture<F> {
        #[pin]
        inner: F,
        record: Option<CallRecord>,
    }
}

impl<F, ResBody, E> Future for CallFuture<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = Result<Response<LoggedBody<ResBody>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.inner.poll(cx))?;
        let mut record = this.record.take().expect("polled after completion");
        response
            .headers_mut()
            .insert(REQUEST_ID, record.request_id.clone());
        // A trailers-only response (an error before any message) has its status here.
        record.status = grpc_status(response.headers());
        record.answer = response.extensions_mut().remove::<Answer>();
        Poll::Ready(Ok(response.map(|inner| LoggedBody {
            inner,
            record: Some(record),
        })))
    }
}

/// A response body that logs its call once it is finished or dropped.
pub struct LoggedBody<B> {
    inner: B,
    record: Option<CallRecord>,
}

impl<B: Body + Unpin> Body for LoggedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(trailers), Some(record)) = (frame.trailers_ref(), &mut self.record) {
                    record.status = grpc_status(trailers).or(Some(Code::Unknown));
                }
            }
            Poll::Ready(Some(Err(_))) => {
                if let Some(record) = &mut self.record {
                    record.status.get_or_insert(Code::Internal);
                }
            }
            Poll::Ready(None) => {
                if let Some(mut record) = self.record.take() {
                    record.status.get_or_insert(Code::Unknown);
                }
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// What the log line says about a call; written when dropped.
struct CallRecord {
    uri: http::Uri,
    peer: Peer,
    /// The protocol the call came in: grpc, grpc-web, grpc-web-text or connect.
    protocol: &'static str,
    /// The HTTP version it came over: 2, 1.1.
    http: &'static str,
    request_id: HeaderValue,
    started: Instant,
    /// None until the call ends: a record dropped without one was abandoned by the client.
    status: Option<Code>,
    /// A test double's call: the stub that answered it, or why none did.
    answer: Option<Answer>,
    in_flight: Arc<AtomicUsize>,
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        let status = code_name(self.status.unwrap_or(Code::Cancelled));
        let duration = self.started.elapsed();
        let request_id = self.request_id.to_str().unwrap_or_default();
        // A test double's call names the stub that answered it, or why none did; a field that
        // is `None` is left out of the line.
        let (stub, miss) = match &self.answer {
            Some(Answer::Stub(origin)) => (Some(origin), None),
            Some(Answer::Miss(why)) => (None, Some(why)),
            None => (None, None),
        };
        info!(
            target: CALLS,
            method = %self.uri.path(),
            peer = %self.peer,
            protocol = %self.protocol,
            http = %self.http,
            status = %status,
            ?duration,
            request_id = %request_id,
            stub = stub.map(display),
            miss = miss.map(display),
            "call"
        );
    }
}

/// The protocol a request came in: what the layer that made it a gRPC request said ([`Wire`]),
/// else what its content type says.
fn protocol<B>(request: &Request<B>) -> &'static str {
    if let Some(wire) = request.extensions().get::<Wire>() {
        return wire.name();
    }
    let content_type = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .map_or(&b""[..], HeaderValue::as_bytes);
    if content_type.starts_with(b"application/grpc") {
        "grpc"
    } else if content_type.starts_with(b"application/connect+")
        || content_type.starts_with(b"application/proto")
        || content_type.starts_with(b"application/json")
        || request.headers().contains_key("connect-protocol-version")
        // A Connect GET has no body, so no content type: its query says it.
        || request.uri().query().is_some_and(|q| q.contains("connect=v1"))
    {
        "connect"
    } else {
        "http"
    }
}

/// Who called.
enum Peer {
    Tcp(SocketAddr),
    Unix,
    Unknown,
}

impl Peer {
    fn of(extensions: &Extensions) -> Peer {
        if let Some(info) = extensions.get::<ConnInfo>() {
            return info.peer.map_or(Peer::Unix, Peer::Tcp);
        }
        let tcp = extensions.get::<TcpConnectInfo>().or_else(|| {
            extensions
                .get::<TlsConnectInfo<TcpConnectInfo>>()
                .map(TlsConnectInfo::get_ref)
        });
        match tcp.and_then(TcpConnectInfo::remote_addr) {
            Some(addr) => Peer::Tcp(addr),
            None if extensions.get::<UdsConnectInfo>().is_some() => Peer::Unix,
            None => Peer::Unknown,
        }
    }
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Tcp(addr) => addr.fmt(f),
            Peer::Unix => f.write_str("unix"),
            Peer::Unknown => f.write_str("-"),
        }
    }
}

/// Makes request ids: a random prefix for this process and a counter, 32 hex digits in all.
/// Unique without asking the OS for randomness on every call.
#[derive(Debug)]
struct RequestIds {
    prefix: u64,
    next: AtomicU64,
}

impl Default for RequestIds {
    fn default() -> Self {
        let random = uuid::Uuid::new_v4().as_u64_pair();
        RequestIds {
            prefix: random.0,
            next: AtomicU64::new(random.1),
        }
    }
}

impl RequestIds {
    fn next(&self) -> HeaderValue {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let id = format!("{:016x}{n:016x}", self.prefix);
        HeaderValue::from_str(&id).expect("hex digits are a valid header value")
    }
}

/// The client's request id if it sent a usable one (printable, at most 128 characters), else
/// a new one.
fn request_id(headers: &HeaderMap, ids: &RequestIds) -> HeaderValue {
    headers
        .get(REQUEST_ID)
        .filter(|id| {
            let bytes = id.as_bytes();
            !bytes.is_empty() && bytes.len() <= 128 && bytes.iter().all(u8::is_ascii_graphic)
        })
        .cloned()
        .unwrap_or_else(|| ids.next())
}

/// Request metadata for the debug log, with credentials redacted: `name: value; name: value`.
fn shown_metadata(headers: &HeaderMap) -> String {
    let mut shown = String::new();
    for (name, value) in headers {
        let value = if crate::headers::is_secret(name.as_str()) {
            "[redacted]"
        } else {
            value.to_str().unwrap_or("[not text]")
        };
        if !shown.is_empty() {
            shown.push_str("; ");
        }
        shown.push_str(name.as_str());
        shown.push_str(": ");
        shown.push_str(value);
    }
    shown
}

fn grpc_status(headers: &HeaderMap) -> Option<Code> {
    let value = headers.get("grpc-status")?;
    Some(Code::from_bytes(value.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_kept_or_made() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID, HeaderValue::from_static("abc-123"));
        let ids = RequestIds::default();
        assert_eq!(request_id(&headers, &ids), "abc-123");
        headers.insert(REQUEST_ID, HeaderValue::from_static("has space"));
        let made = request_id(&headers, &ids);
        assert_eq!(made.len(), 32, "32 hex digits: {made:?}");
        assert!(made.as_bytes().iter().all(u8::is_ascii_hexdigit));
        assert_ne!(
            request_id(&HeaderMap::new(), &ids),
            made,
            "each new id is different"
        );
        assert_ne!(
            RequestIds::default().next(),
            ids.next(),
            "each process has its own prefix"
        );
    }
}

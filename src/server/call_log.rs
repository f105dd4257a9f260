//! One log line per call: method, peer, status, duration and request id.
//!
//! The line is written when the response body is finished or dropped, so it also covers server
//! streams (whose status travels in the trailers) and clients that leave early (CANCELLED).
//! Each call gets a request id: the client's `x-request-id`, or a new one, returned in the
//! response headers.

use std::{
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Instant,
};

use futures_util::future::BoxFuture;
use http::{Extensions, HeaderMap, HeaderValue, Request, Response};
use http_body::{Body, Frame, SizeHint};
use tonic::{
    Code,
    transport::server::{TcpConnectInfo, TlsConnectInfo, UdsConnectInfo},
};
use tower::{Layer, Service};
use tracing::{debug, info};

use crate::exit::code_name;

const REQUEST_ID: &str = "x-request-id";

/// Wraps every call of the server in a [`CallLog`], and counts the calls in flight.
#[derive(Debug, Clone, Default)]
pub struct CallLogLayer {
    in_flight: Arc<AtomicUsize>,
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
        }
    }
}

#[derive(Debug, Clone)]
pub struct CallLog<S> {
    inner: S,
    in_flight: Arc<AtomicUsize>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for CallLog<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
{
    type Response = Response<LoggedBody<ResBody>>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        if tracing::enabled!(tracing::Level::DEBUG) {
            let metadata = shown_metadata(request.headers());
            debug!(method = %request.uri().path(), %metadata, "request");
        }
        let request_id = request_id(request.headers());
        request.headers_mut().insert(REQUEST_ID, request_id.clone());
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        let mut record = CallRecord {
            method: request.uri().path().to_owned(),
            peer: peer(request.extensions()),
            request_id: request_id.clone(),
            started: Instant::now(),
            status: None,
            in_flight: Arc::clone(&self.in_flight),
        };
        let response = self.inner.call(request);
        Box::pin(async move {
            let mut response = response.await?;
            response.headers_mut().insert(REQUEST_ID, request_id);
            // A trailers-only response (an error before any message) has its status here.
            record.status = grpc_status(response.headers());
            Ok(response.map(|inner| LoggedBody {
                inner,
                record: Some(record),
            }))
        })
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
    method: String,
    peer: String,
    request_id: HeaderValue,
    started: Instant,
    /// None until the call ends: a record dropped without one was abandoned by the client.
    status: Option<Code>,
    in_flight: Arc<AtomicUsize>,
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        let status = code_name(self.status.unwrap_or(Code::Cancelled));
        let duration = self.started.elapsed();
        let request_id = self.request_id.to_str().unwrap_or_default();
        info!(method = %self.method, peer = %self.peer, status = %status, ?duration, request_id = %request_id, "call");
    }
}

/// The client's request id if it sent a usable one (printable, at most 128 characters), else
/// a new random one.
fn request_id(headers: &HeaderMap) -> HeaderValue {
    headers
        .get(REQUEST_ID)
        .filter(|id| {
            let bytes = id.as_bytes();
            !bytes.is_empty() && bytes.len() <= 128 && bytes.iter().all(u8::is_ascii_graphic)
        })
        .cloned()
        .unwrap_or_else(|| {
            let id = uuid::Uuid::new_v4().simple().to_string();
            HeaderValue::from_str(&id).expect("a uuid is a valid header value")
        })
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

/// Who called: `127.0.0.1:40918`, or `unix` for a Unix socket.
fn peer(extensions: &Extensions) -> String {
    let tcp = extensions.get::<TcpConnectInfo>().or_else(|| {
        extensions
            .get::<TlsConnectInfo<TcpConnectInfo>>()
            .map(TlsConnectInfo::get_ref)
    });
    match tcp.and_then(TcpConnectInfo::remote_addr) {
        Some(addr) => addr.to_string(),
        None if extensions.get::<UdsConnectInfo>().is_some() => "unix".to_owned(),
        None => "-".to_owned(),
    }
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
        assert_eq!(request_id(&headers), "abc-123");
        headers.insert(REQUEST_ID, HeaderValue::from_static("has space"));
        let made = request_id(&headers);
        assert_eq!(made.len(), 32, "a new uuid: {made:?}");
        assert_ne!(
            request_id(&HeaderMap::new()),
            made,
            "each new id is different"
        );
    }
}

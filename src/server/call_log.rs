//! One log line per call: method, peer, status and duration.
//!
//! The line is written when the response body is finished or dropped, so it also covers server
//! streams (whose status travels in the trailers) and clients that leave early (CANCELLED).

use std::{
    net::SocketAddr,
    pin::Pin,
    task::{Context, Poll},
    time::Instant,
};

use futures_util::future::BoxFuture;
use http::{HeaderMap, Request, Response};
use http_body::{Body, Frame, SizeHint};
use tonic::{Code, transport::server::TcpConnectInfo};
use tower::{Layer, Service};
use tracing::info;

use crate::exit::code_name;

/// Wraps every call of the server in a [`CallLog`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CallLogLayer;

impl<S> Layer<S> for CallLogLayer {
    type Service = CallLog<S>;

    fn layer(&self, inner: S) -> CallLog<S> {
        CallLog { inner }
    }
}

#[derive(Debug, Clone)]
pub struct CallLog<S> {
    inner: S,
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

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let mut record = CallRecord {
            method: request.uri().path().to_owned(),
            peer: request
                .extensions()
                .get::<TcpConnectInfo>()
                .and_then(TcpConnectInfo::remote_addr),
            started: Instant::now(),
            status: None,
        };
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
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
    peer: Option<SocketAddr>,
    started: Instant,
    /// None until the call ends: a record dropped without one was abandoned by the client.
    status: Option<Code>,
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        let status = code_name(self.status.unwrap_or(Code::Cancelled));
        let peer = self.peer.map_or_else(|| "-".to_owned(), |p| p.to_string());
        let duration = self.started.elapsed();
        info!(method = %self.method, %peer, status = %status, ?duration, "call");
    }
}

fn grpc_status(headers: &HeaderMap) -> Option<Code> {
    let value = headers.get("grpc-status")?;
    Some(Code::from_bytes(value.as_bytes()))
}

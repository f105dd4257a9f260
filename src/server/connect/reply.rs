//! What a Connect call answers with: the inner service's body as it is for gRPC, or a body made
//! for Connect; and the end-stream message of a gRPC reply's trailers.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use http::HeaderMap;
use http_body::{Frame, SizeHint};
use tonic::{Code, Status, body::Body};

use crate::connect::{
    ConnectError, EndStream,
    metadata::{GRPC_STATUS, keep_metadata},
};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

pin_project_lite::pin_project! {
    /// The body of a gRPC reply, untouched, or of a Connect reply.
    #[project = ConnectBodyProj]
    pub enum ConnectBody<B> {
        Grpc { #[pin] inner: B },
        Connect { inner: Body },
    }
}

impl<B> ConnectBody<B> {
    pub fn grpc(inner: B) -> ConnectBody<B> {
        ConnectBody::Grpc { inner }
    }

    pub fn connect(inner: Body) -> ConnectBody<B> {
        ConnectBody::Connect { inner }
    }
}

/// An empty body, for the replies the CORS layer outside makes itself (preflights).
impl<B> Default for ConnectBody<B> {
    fn default() -> Self {
        ConnectBody::Connect {
            inner: Body::empty(),
        }
    }
}

impl<B> http_body::Body for ConnectBody<B>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.project() {
            ConnectBodyProj::Grpc { inner } => inner
                .poll_frame(cx)
                .map(|frame| frame.map(|f| f.map_err(Into::into))),
            ConnectBodyProj::Connect { inner } => Pin::new(inner)
                .poll_frame(cx)
                .map(|frame| frame.map(|f| f.map_err(BoxError::from))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ConnectBody::Grpc { inner } => inner.is_end_stream(),
            ConnectBody::Connect { inner } => inner.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ConnectBody::Grpc { inner } => inner.size_hint(),
            ConnectBody::Connect { inner } => inner.size_hint(),
        }
    }
}

/// The outcome of a gRPC call whose status is in `trailers`: `Ok` or the error.
pub fn outcome(trailers: &HeaderMap) -> Result<(), ConnectError> {
    // The usual case, without making a status.
    if trailers.get(GRPC_STATUS).map(|v| v.as_bytes()) == Some(b"0") {
        return Ok(());
    }
    match Status::from_header_map(trailers) {
        Some(status) if status.code() == Code::Ok => Ok(()),
        Some(status) => Err(ConnectError::from_status(&status)),
        None => Err(ConnectError::new(
            Code::Internal,
            "the reply ended without a gRPC status",
        )),
    }
}

/// The end-stream message of a gRPC reply's `trailers`: its status, and its metadata.
pub fn end_stream(trailers: &HeaderMap) -> EndStream {
    let mut metadata = trailers.clone();
    keep_metadata(&mut metadata);
    EndStream {
        error: outcome(trailers).err(),
        metadata,
    }
}

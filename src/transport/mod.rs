//! The transport seam: how the bytes of a call reach the server and come back.
//!
//! Everything above this module (the call pipeline, reflection, `bench`, the printers) holds a
//! [`Channel`] and sees gRPC requests and responses: HTTP requests whose bodies are enveloped
//! messages, and responses that end in `grpc-status` trailers. Which protocol carries them is
//! decided here, once, when the channel is made. Today that is gRPC over HTTP/2; a protocol
//! added later (gRPC-Web, Connect) becomes one more [`Channel`] variant that translates to and
//! from gRPC at this seam, as tonic-web's client layer does, so that no code above it changes.
//!
//! Unary calls under load have a faster way down: [`lane`] sends requests that were framed
//! once, with headers built once, straight over h2. [`lane::heads_for_load`] says when a load
//! may take it.

pub mod connect;
pub mod lane;

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use tonic::body::Body;
use tower::Service;

/// What a transport fails with: its own error, kept whole so that the error paths can still
/// find the I/O, h2 or TLS error inside it.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A connection to one server, over the protocol the settings chose. Cheap to clone: clones
/// share the connection.
#[derive(Clone)]
pub struct Channel {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    /// gRPC over HTTP/2 (h2c, or h2 over TLS), through tonic.
    Grpc(tonic::transport::Channel),
    /// Connect, translated from and to gRPC, through an HTTP client.
    Connect(connect::ConnectService<HttpService>),
}

/// An HTTP client (HTTP/1.1 or HTTP/2), boxed so that a [`Channel`] may carry any.
pub type HttpService =
    tower::util::BoxCloneSyncService<http::Request<Body>, http::Response<Body>, BoxError>;

impl Channel {
    /// Native gRPC over HTTP/2 on a connection tonic made.
    pub fn grpc(channel: tonic::transport::Channel) -> Channel {
        Channel {
            inner: Inner::Grpc(channel),
        }
    }

    /// Connect through `http`: a tonic channel (HTTP/2), or any HTTP client.
    pub fn connect<S>(http: S, options: connect::ConnectOptions) -> Channel
    where
        S: Service<http::Request<Body>, Response = http::Response<Body>>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
    {
        let http = HttpService::new(tower::ServiceExt::map_err(http, Into::into));
        Channel {
            inner: Inner::Connect(connect::ConnectService::new(http, options)),
        }
    }
}

impl Service<http::Request<Body>> for Channel {
    type Response = http::Response<Body>;
    type Error = BoxError;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        match &mut self.inner {
            Inner::Grpc(channel) => channel.poll_ready(cx).map_err(BoxError::from),
            Inner::Connect(connect) => connect.poll_ready(cx),
        }
    }

    fn call(&mut self, request: http::Request<Body>) -> ResponseFuture {
        match &mut self.inner {
            Inner::Grpc(channel) => ResponseFuture::Grpc {
                inner: channel.call(request),
            },
            Inner::Connect(connect) => ResponseFuture::Connect {
                inner: connect.call(request),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The response of one call, from whichever protocol carries it.
    #[project = ResponseFutureProj]
    pub enum ResponseFuture {
        Grpc { #[pin] inner: tonic::transport::channel::ResponseFuture },
        Connect { inner: connect::ConnectFuture },
    }
}

impl Future for ResponseFuture {
    type Output = Result<http::Response<Body>, BoxError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            ResponseFutureProj::Grpc { inner } => inner.poll(cx).map_err(BoxError::from),
            ResponseFutureProj::Connect { inner } => inner.as_mut().poll(cx),
        }
    }
}

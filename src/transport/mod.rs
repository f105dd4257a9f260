//! The transport seam: how the bytes of a call reach the server and come back.
//!
//! Everything above this module (the call pipeline, reflection, `bench`, the printers) holds a
//! [`Channel`] and sees gRPC requests and responses: HTTP requests whose bodies are enveloped
//! messages, and responses that end in `grpc-status` trailers. Which protocol carries them is
//! decided here, once, when the channel is made. gRPC goes over HTTP/2; gRPC-Web
//! ([`grpc_web`]) and Connect ([`connect`]) translate to and from gRPC at this seam, over a base
//! HTTP client ([`http`]) that speaks HTTP/2 or HTTP/1.1, so that no code above it changes.
//!
//! Unary calls under load have a faster way down: [`lane`] sends requests that were framed
//! once, with headers built once, straight over h2. [`lane::heads_for_load`] says when a load
//! may take it.

pub mod connect;
pub mod grpc_web;
pub mod http;
pub mod lane;

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use tonic::body::Body;
use tower::Service;

use crate::settings::Protocol;

/// The HTTP status of the reply that a translated response was made of (Connect, gRPC-Web), in
/// its extensions, for `-v`. A native gRPC response has none: its status is always 200.
///
/// A translated response that ends the call in its headers (trailers-only) becomes a
/// `tonic::Status`, which keeps the headers and nothing else: there, the status travels in a
/// header of apicli's own ([`HttpStatus::mark`]), which never leaves the process, and `-v`
/// takes it out again ([`HttpStatus::take`]).
#[derive(Debug, Clone, Copy)]
pub struct HttpStatus(pub ::http::StatusCode);

impl HttpStatus {
    const HEADER: &str = "apicli-http-status";

    /// Marks the headers of a trailers-only response with `status`.
    pub fn mark(headers: &mut ::http::HeaderMap, status: ::http::StatusCode) {
        headers.insert(Self::HEADER, ::http::HeaderValue::from(status.as_u16()));
    }

    /// Takes the mark out of the metadata of a status, if a translator put one there.
    pub fn take(metadata: &mut tonic::metadata::MetadataMap) -> Option<HttpStatus> {
        let value = metadata.remove(Self::HEADER)?;
        let code = value.to_str().ok()?.parse::<u16>().ok()?;
        ::http::StatusCode::from_u16(code).ok().map(HttpStatus)
    }
}

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
    /// gRPC-Web (binary or text) over HTTP/1.1 or HTTP/2.
    GrpcWeb(grpc_web::GrpcWeb),
    /// Connect, translated from and to gRPC, through an HTTP client.
    Connect {
        service: connect::ConnectService<HttpService>,
        version: http::Version,
    },
}

/// An HTTP client (HTTP/1.1 or HTTP/2), boxed so that a [`Channel`] may carry any.
pub type HttpService =
    tower::util::BoxCloneSyncService<::http::Request<Body>, ::http::Response<Body>, BoxError>;

impl Channel {
    /// Native gRPC over HTTP/2 on a connection tonic made.
    pub fn grpc(channel: tonic::transport::Channel) -> Channel {
        Channel {
            inner: Inner::Grpc(channel),
        }
    }

    /// `protocol` over a base HTTP client; `None` for a protocol that cannot go over it (gRPC
    /// over HTTP/1.1), which settings refuse before anything is dialed. `connect` is how a
    /// Connect call is sent (`--codec`, `--get`).
    pub fn over(
        http: http::HttpClient,
        protocol: Protocol,
        connect: connect::ConnectOptions,
    ) -> Option<Channel> {
        let inner = match (protocol, http) {
            (Protocol::GrpcWeb, http) => Inner::GrpcWeb(grpc_web::GrpcWeb::new(http, false)),
            (Protocol::GrpcWebText, http) => Inner::GrpcWeb(grpc_web::GrpcWeb::new(http, true)),
            (Protocol::Grpc, http::HttpClient::H2(channel)) => Inner::Grpc(channel),
            (Protocol::Connect, http) => {
                let version = http.version();
                return Some(Channel::connect(http, connect, version));
            }
            (Protocol::Grpc, http::HttpClient::H1(_)) => return None,
        };
        Some(Channel { inner })
    }

    /// Connect through `http`, any HTTP client, which speaks `version`: a tonic channel
    /// (HTTP/2), say.
    pub fn connect<S>(http: S, options: connect::ConnectOptions, version: http::Version) -> Channel
    where
        S: Service<::http::Request<Body>, Response = ::http::Response<Body>>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
    {
        let http = HttpService::new(tower::ServiceExt::map_err(http, Into::into));
        Channel {
            inner: Inner::Connect {
                service: connect::ConnectService::new(http, options),
                version,
            },
        }
    }

    /// The HTTP version under the protocol.
    pub fn version(&self) -> http::Version {
        match &self.inner {
            Inner::Grpc(_) => http::Version::Http2,
            Inner::GrpcWeb(web) => web.http().version(),
            Inner::Connect { version, .. } => *version,
        }
    }
}

impl Service<::http::Request<Body>> for Channel {
    type Response = ::http::Response<Body>;
    type Error = BoxError;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        match &mut self.inner {
            Inner::Grpc(channel) => channel.poll_ready(cx).map_err(BoxError::from),
            Inner::GrpcWeb(web) => web.poll_ready(cx),
            Inner::Connect { service, .. } => service.poll_ready(cx),
        }
    }

    fn call(&mut self, request: ::http::Request<Body>) -> ResponseFuture {
        match &mut self.inner {
            Inner::Grpc(channel) => ResponseFuture::Grpc {
                inner: channel.call(request),
            },
            Inner::GrpcWeb(web) => ResponseFuture::Boxed {
                inner: web.call(request),
            },
            Inner::Connect { service, .. } => ResponseFuture::Boxed {
                inner: service.call(request),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The response of one call, from whichever protocol carries it.
    #[project = ResponseFutureProj]
    pub enum ResponseFuture {
        Grpc { #[pin] inner: tonic::transport::channel::ResponseFuture },
        Boxed { inner: Pin<Box<dyn Future<Output = Result<::http::Response<Body>, BoxError>> + Send>> },
    }
}

impl Future for ResponseFuture {
    type Output = Result<::http::Response<Body>, BoxError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            ResponseFutureProj::Grpc { inner } => inner.poll(cx).map_err(BoxError::from),
            ResponseFutureProj::Boxed { inner } => inner.as_mut().poll(cx),
        }
    }
}

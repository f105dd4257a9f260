//! The base HTTP client under the protocol translators: plain HTTP requests carried over HTTP/2
//! (tonic's `transport::Channel`, which is a generic h2 client) or over HTTP/1.1 (hyper-util's
//! pooled client, over the connections that `client` dials: TCP, TLS, a proxy's tunnel or a
//! unix socket).

use std::{
    io,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use hyper_util::{
    client::legacy::{
        Client,
        connect::{Connected, Connection},
    },
    rt::{TokioExecutor, TokioIo},
};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tonic::body::Body;
use tower::{Service, util::BoxCloneSyncService};

use super::BoxError;

/// A byte stream to the server, whatever it runs over.
pub trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Io for T {}

/// A dialed connection, as the HTTP/1.1 client takes it.
pub struct Dialed(Box<dyn Io>);

impl Dialed {
    pub fn new(io: impl Io) -> Dialed {
        Dialed(Box::new(io))
    }
}

/// What dials the server for the HTTP/1.1 client: a new connection for each one the pool needs.
pub type Dialer = BoxCloneSyncService<http::Uri, TokioIo<Dialed>, BoxError>;

/// The HTTP version a connection speaks, for `-v` and for what a protocol can carry on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Http1,
    Http2,
}

impl Version {
    pub fn name(self) -> &'static str {
        match self {
            Version::Http1 => "HTTP/1.1",
            Version::Http2 => "HTTP/2",
        }
    }
}

/// Plain HTTP to one server, over HTTP/2 or HTTP/1.1. Cheap to clone: clones share the
/// connections.
#[derive(Clone)]
pub enum HttpClient {
    /// HTTP/2, through tonic's channel (h2c, or h2 over TLS).
    H2(tonic::transport::Channel),
    /// HTTP/1.1, through a pool of connections (shared by the clones).
    H1(Arc<Http1>),
}

/// HTTP/1.1 to one server.
#[derive(Clone)]
pub struct Http1 {
    client: Client<Dialer, Body>,
    /// The scheme and authority every request goes to.
    scheme: http::uri::Scheme,
    authority: http::uri::Authority,
}

impl Http1 {
    /// A client whose connections `dialer` makes, for requests to `origin`
    /// (`scheme://authority`, the `Host` of every request).
    pub fn new(dialer: Dialer, origin: &http::Uri) -> Http1 {
        let client = Client::builder(TokioExecutor::new())
            // gRPC-Web and Connect send no `Expect`, and their requests may not be retried.
            .retry_canceled_requests(false)
            .build(dialer);
        Http1 {
            client,
            scheme: origin.scheme().cloned().unwrap_or(http::uri::Scheme::HTTP),
            authority: origin
                .authority()
                .cloned()
                .unwrap_or_else(|| http::uri::Authority::from_static("localhost")),
        }
    }

    fn absolute(&self, uri: &http::Uri) -> Result<http::Uri, BoxError> {
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = uri.path_and_query().cloned();
        Ok(http::Uri::from_parts(parts)?)
    }
}

impl HttpClient {
    pub fn version(&self) -> Version {
        match self {
            HttpClient::H2(_) => Version::Http2,
            HttpClient::H1(_) => Version::Http1,
        }
    }
}

impl Service<http::Request<Body>> for HttpClient {
    type Response = http::Response<Body>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<http::Response<Body>, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        match self {
            HttpClient::H2(channel) => channel.poll_ready(cx).map_err(BoxError::from),
            // The pool makes a connection when a request needs one.
            HttpClient::H1(_) => Poll::Ready(Ok(())),
        }
    }

    fn call(&mut self, mut request: http::Request<Body>) -> Self::Future {
        match self {
            HttpClient::H2(channel) => {
                let response = channel.call(request);
                Box::pin(async move { Ok(response.await?) })
            }
            HttpClient::H1(h1) => {
                *request.version_mut() = http::Version::HTTP_11;
                let uri = h1.absolute(request.uri());
                let client = h1.client.clone();
                Box::pin(async move {
                    *request.uri_mut() = uri?;
                    let response = client.request(request).await?;
                    Ok(response.map(Body::new))
                })
            }
        }
    }
}

impl Connection for Dialed {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

impl AsyncRead for Dialed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Dialed {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}

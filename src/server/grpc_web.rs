//! gRPC-Web on the server, binary and text, over HTTP/2 and HTTP/1.1: tonic-web turns a gRPC-Web
//! request into the gRPC call that the services already handle, and the reply back into
//! gRPC-Web. Every other request passes straight through, with no allocation and no boxing:
//! plain gRPC must not pay for gRPC-Web.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use http::{Request, Response, header};
use http_body::{Frame, SizeHint};
use tonic::body::Body;
use tower::{Layer, Service};

use super::call_log::Wire;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Serves gRPC-Web requests through tonic-web, and passes every other one through.
#[derive(Debug, Clone, Copy, Default)]
pub struct GrpcWebLayer;

impl<S> Layer<S> for GrpcWebLayer {
    type Service = GrpcWeb<S>;

    fn layer(&self, inner: S) -> GrpcWeb<S> {
        GrpcWeb { inner }
    }
}

#[derive(Debug, Clone)]
pub struct GrpcWeb<S> {
    inner: S,
}

type WebService<S> = tonic_web::GrpcWebService<S>;

impl<S, ResBody> Service<Request<Body>> for GrpcWeb<S>
where
    S: Service<Request<Body>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ResBody: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError> + std::fmt::Display,
{
    type Response = Response<WebOrPlain<ResBody>>;
    type Error = S::Error;
    type Future = WebFuture<S::Future, <WebService<S> as Service<Request<Body>>>::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<Body>) -> Self::Future {
        match grpc_web_form(request.headers()) {
            None => WebFuture::Plain {
                inner: self.inner.call(request),
            },
            Some(wire) => {
                request.extensions_mut().insert(wire);
                // The ready service takes the call; its clone waits for the next one.
                let ready = self.inner.clone();
                let ready = std::mem::replace(&mut self.inner, ready);
                let mut web = tonic_web::GrpcWebLayer::new().layer(ready);
                WebFuture::Web {
                    inner: web.call(request),
                }
            }
        }
    }
}

pin_project_lite::pin_project! {
    #[project = WebFutureProj]
    pub enum WebFuture<P, W> {
        Plain { #[pin] inner: P },
        Web { #[pin] inner: W },
    }
}

impl<P, W, B, E> Future for WebFuture<P, W>
where
    P: Future<Output = Result<Response<B>, E>>,
    W: Future<Output = Result<Response<Body>, E>>,
{
    type Output = Result<Response<WebOrPlain<B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            WebFutureProj::Plain { inner } => inner
                .poll(cx)
                .map_ok(|r| r.map(|inner| WebOrPlain::Plain { inner })),
            WebFutureProj::Web { inner } => inner
                .poll(cx)
                .map_ok(|r| r.map(|inner| WebOrPlain::Web { inner })),
        }
    }
}

pin_project_lite::pin_project! {
    /// A reply body: the service's own, or tonic-web's translation of it.
    #[project = WebOrPlainProj]
    pub enum WebOrPlain<B> {
        Plain { #[pin] inner: B },
        Web { #[pin] inner: Body },
    }
}

/// An empty body, for the replies CORS makes itself (preflights).
impl<B> Default for WebOrPlain<B> {
    fn default() -> Self {
        WebOrPlain::Web {
            inner: Body::empty(),
        }
    }
}

impl<B> http_body::Body for WebOrPlain<B>
where
    B: http_body::Body<Data = bytes::Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = bytes::Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<bytes::Bytes>, Self::Error>>> {
        match self.project() {
            WebOrPlainProj::Plain { inner } => inner.poll_frame(cx).map_err(Into::into),
            WebOrPlainProj::Web { inner } => inner.poll_frame(cx).map_err(Into::into),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            WebOrPlain::Plain { inner } => inner.is_end_stream(),
            WebOrPlain::Web { inner } => inner.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            WebOrPlain::Plain { inner } => inner.size_hint(),
            WebOrPlain::Web { inner } => inner.size_hint(),
        }
    }
}

/// The gRPC-Web form a request's content type names, if any: the four that tonic-web serves
/// (protobuf messages, without or with `+proto`).
fn grpc_web_form(headers: &http::HeaderMap) -> Option<Wire> {
    match headers.get(header::CONTENT_TYPE)?.as_bytes() {
        b"application/grpc-web" | b"application/grpc-web+proto" => Some(Wire::GrpcWeb),
        b"application/grpc-web-text" | b"application/grpc-web-text+proto" => {
            Some(Wire::GrpcWebText)
        }
        _ => None,
    }
}

//! Connect for every service `serve` serves: a tower layer that recognizes a Connect request
//! (by its content type, or a GET with the Connect query), turns it into the gRPC request the
//! services already answer, and turns their gRPC reply into Connect's: a bare message with an
//! HTTP status for a unary call, envelopes and an end-stream message for a stream. The services
//! do not know which protocol a call came in.
//!
//! A gRPC request is recognized by the first bytes of its content type and passed on as it is:
//! its response and body are the inner service's, in an enum, and nothing is allocated.
//!
//! The wire rules are the `connect` block's; `unary.rs` and `streams.rs` are the two shapes of
//! call, and `reply.rs` the body of what goes back.

mod reply;
mod streams;
mod unary;

use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use prost_reflect::{DescriptorPool, MethodDescriptor};
use tonic::{Code, body::Body};
use tower::{Layer, Service};

use super::call_log::Wire;
use crate::connect::{
    Codec, ConnectError, ContentType, Encoding,
    metadata::{GRPC_ACCEPT_ENCODING, GRPC_ENCODING, keep_metadata_as},
    timeout::{CONNECT_TIMEOUT, GRPC_TIMEOUT, format_grpc, parse_connect},
};
pub use reply::ConnectBody;

/// What every Connect call needs: the descriptors of the served methods (their kinds, and their
/// messages for JSON) and the request size limit.
struct Shared {
    pool: DescriptorPool,
    max_request_size: usize,
}

/// Serves Connect in front of a gRPC service.
#[derive(Clone)]
pub struct ConnectLayer {
    shared: Arc<Shared>,
}

impl ConnectLayer {
    /// `descriptor_sets`: the encoded descriptors of every served service (a set that does not
    /// decode is skipped: its methods are then served in proto only, as their kinds are
    /// unknown). `max_request_size`: `--max-request-size`.
    pub fn new(descriptor_sets: &[&[u8]], max_request_size: usize) -> ConnectLayer {
        let mut pool = DescriptorPool::new();
        for set in descriptor_sets {
            if let Err(err) = pool.decode_file_descriptor_set(*set) {
                tracing::warn!("Connect cannot read a descriptor set: {err}");
            }
        }
        ConnectLayer {
            shared: Arc::new(Shared {
                pool,
                max_request_size,
            }),
        }
    }
}

impl<S> Layer<S> for ConnectLayer {
    type Service = Connect<S>;

    fn layer(&self, inner: S) -> Connect<S> {
        Connect {
            inner,
            shared: Arc::clone(&self.shared),
        }
    }
}

#[derive(Clone)]
pub struct Connect<S> {
    inner: S,
    shared: Arc<Shared>,
}

/// The shape of a Connect request.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// A POST of one bare message.
    Unary(Codec),
    /// A GET whose message is in the query.
    Get,
    /// A POST of envelopes.
    Stream(Codec),
}

/// The Connect form of `request`, or `None` for anything else (gRPC first and cheaply).
fn recognize<B>(request: &Request<B>) -> Option<Form> {
    let content_type = request.headers().get(header::CONTENT_TYPE);
    if let Some(value) = content_type
        && value.as_bytes().starts_with(b"application/grpc")
    {
        return None;
    }
    match *request.method() {
        Method::POST => {
            let content_type = ContentType::parse(content_type?.as_bytes())?;
            Some(if content_type.streaming {
                Form::Stream(content_type.codec)
            } else {
                Form::Unary(content_type.codec)
            })
        }
        Method::GET => {
            let query = request.uri().query()?;
            query
                .split('&')
                .any(|pair| pair.starts_with("encoding="))
                .then_some(Form::Get)
        }
        _ => None,
    }
}

type Handled<B> =
    Pin<Box<dyn Future<Output = Result<Response<ConnectBody<B>>, Infallible>> + Send>>;

impl<S, B> Service<Request<Body>> for Connect<S>
where
    S: Service<Request<Body>, Response = Response<B>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = Response<ConnectBody<B>>;
    type Error = Infallible;
    type Future = ConnectFuture<S::Future, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let Some(form) = recognize(&request) else {
            return ConnectFuture::Grpc {
                inner: self.inner.call(request),
            };
        };
        // The ready service goes to this call; the clone waits for the next one.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let shared = Arc::clone(&self.shared);
        let handled: Handled<B> = Box::pin(async move {
            let method = shared.method(request.uri().path());
            let response = match form {
                Form::Unary(codec) => unary::post(inner, &shared, method, codec, request).await,
                Form::Get => unary::get(inner, &shared, method, request).await,
                Form::Stream(codec) => streams::call(inner, &shared, method, codec, request).await,
            };
            Ok(response)
        });
        ConnectFuture::Connect { inner: handled }
    }
}

impl Shared {
    /// The method a path names, when the served descriptors know it.
    fn method(&self, path: &str) -> Option<MethodDescriptor> {
        let (service, method) = path.strip_prefix('/')?.split_once('/')?;
        let service = self.pool.get_service_by_name(service)?;
        service.methods().find(|m| m.name() == method)
    }
}

/// Whether a method's kind and the request's form agree: unary forms for unary methods, streams
/// for the others. An error response (415, as the spec asks for a content type the method does
/// not take) when they do not.
fn kind_error(method: Option<&MethodDescriptor>, streaming: bool) -> Option<ConnectError> {
    let method = method?;
    let streams = method.is_client_streaming() || method.is_server_streaming();
    if streams == streaming {
        return None;
    }
    let words = if streams {
        format!(
            "{} is a streaming method: send application/connect+proto or application/connect+json",
            method.full_name()
        )
    } else {
        format!(
            "{} is a unary method: send application/proto or application/json",
            method.full_name()
        )
    };
    Some(ConnectError::new(Code::Unknown, words))
}

/// A unary error response with `status` rather than the code's own.
fn with_status<B>(error: &ConnectError, status: StatusCode) -> Response<ConnectBody<B>> {
    let mut response = unary::error_response(error, http::HeaderMap::new());
    *response.status_mut() = status;
    response
}

/// The gRPC request of a Connect call: its metadata, with gRPC's headers for the deadline
/// (`connect-timeout-ms` becomes `grpc-timeout`) and the compression of the request
/// (`encoding`) and of the reply (`accept`), to the same path.
fn grpc_parts(
    mut parts: http::request::Parts,
    encoding: Option<Encoding>,
    accept: Option<Encoding>,
) -> Result<http::request::Parts, ConnectError> {
    let timeout = match parts.headers.get(CONNECT_TIMEOUT) {
        Some(value) => Some(
            parse_connect(value.as_bytes())
                .map_err(|err| ConnectError::new(Code::InvalidArgument, err.0))?,
        ),
        None => None,
    };
    keep_metadata_as(
        &mut parts.headers,
        HeaderValue::from_static("application/grpc"),
    );
    let headers = &mut parts.headers;
    headers.insert(header::TE, HeaderValue::from_static("trailers"));
    if let Some(timeout) = timeout {
        headers.insert(GRPC_TIMEOUT, format_grpc(timeout));
    }
    if let Some(encoding) = encoding {
        headers.insert(GRPC_ENCODING, HeaderValue::from_static(encoding.name()));
    }
    if let Some(accept) = accept {
        headers.insert(
            GRPC_ACCEPT_ENCODING,
            HeaderValue::from_static(accept.name()),
        );
    }
    parts.method = Method::POST;
    if parts.uri.query().is_some() {
        let mut uri = http::uri::Parts::from(std::mem::take(&mut parts.uri));
        uri.path_and_query = (uri.path_and_query.as_ref()).and_then(|pq| pq.path().parse().ok());
        parts.uri = http::Uri::from_parts(uri)
            .map_err(|err| ConnectError::new(Code::InvalidArgument, err.to_string()))?;
    }
    // For the log line, which sees the gRPC call this request became.
    parts.extensions.insert(Wire::Connect);
    Ok(parts)
}

pin_project_lite::pin_project! {
    /// A gRPC call's future, untouched, or a Connect call's.
    #[project = ConnectFutureProj]
    pub enum ConnectFuture<F, B> {
        Grpc { #[pin] inner: F },
        Connect { inner: Handled<B> },
    }
}

impl<F, B> Future for ConnectFuture<F, B>
where
    F: Future<Output = Result<Response<B>, Infallible>>,
{
    type Output = Result<Response<ConnectBody<B>>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            ConnectFutureProj::Grpc { inner } => inner
                .poll(cx)
                .map(|done| done.map(|response| response.map(ConnectBody::grpc))),
            ConnectFutureProj::Connect { inner } => inner.as_mut().poll(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, uri: &str, content_type: Option<&str>) -> Request<()> {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        request.body(()).unwrap()
    }

    #[test]
    fn recognizes_connect_and_lets_grpc_through() {
        let post = |content_type| recognize(&request(Method::POST, "/a/b", Some(content_type)));
        assert!(post("application/grpc").is_none());
        assert!(post("application/grpc+proto").is_none());
        assert!(post("application/grpc-web+proto").is_none());
        assert!(matches!(
            post("application/proto"),
            Some(Form::Unary(Codec::Proto))
        ));
        assert!(matches!(
            post("application/json"),
            Some(Form::Unary(Codec::Json))
        ));
        assert!(matches!(
            post("application/connect+json"),
            Some(Form::Stream(Codec::Json))
        ));
        let get = |uri| recognize(&request(Method::GET, uri, None));
        assert!(matches!(
            get("/a/b?encoding=json&message=%7B%7D"),
            Some(Form::Get)
        ));
        assert!(get("/a/b").is_none());
        assert!(get("/a/b?message=x").is_none());
        assert!(recognize(&request(Method::PUT, "/a/b", Some("application/proto"))).is_none());
    }
}

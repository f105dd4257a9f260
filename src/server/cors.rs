//! `--cors-origin`: letting pages of other origins call from a browser. Preflights are answered,
//! any request header is allowed (a page's metadata is its own), and the response headers that
//! gRPC, gRPC-Web and Connect clients read are exposed, Connect's `trailer-*` ones included,
//! which no fixed list can name. Without the flag there is no layer, and no CORS header at all.

use std::{
    pin::Pin,
    task::{Context, Poll, ready},
    time::Duration,
};

use http::{
    HeaderName, HeaderValue, Method, Request, Response, header::ACCESS_CONTROL_EXPOSE_HEADERS,
};
use tower::{Layer, Service};
use tower_http::cors::{AllowHeaders, AllowOrigin, Cors, CorsLayer};

/// The response headers a browser's script may read: those of gRPC, gRPC-Web and Connect.
const EXPOSED: &[&str] = &[
    "grpc-status",
    "grpc-message",
    "grpc-status-details-bin",
    "grpc-encoding",
    "grpc-accept-encoding",
    "connect-protocol-version",
    "connect-timeout-ms",
    "connect-content-encoding",
    "connect-accept-encoding",
    "content-encoding",
    "x-request-id",
];

/// How long a browser may keep a preflight's answer.
const MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The layer for `origins` (`*` for any); `None` without origins.
pub fn layer(origins: &[String]) -> Option<CorsFor> {
    if origins.is_empty() {
        return None;
    }
    let allow_origin = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok())
                .collect::<Vec<_>>(),
        )
    };
    let exposed: Vec<HeaderName> = EXPOSED.iter().map(|n| HeaderName::from_static(n)).collect();
    Some(CorsFor(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::POST, Method::GET])
            .allow_headers(AllowHeaders::mirror_request())
            .expose_headers(exposed)
            .max_age(MAX_AGE),
    ))
}

/// tower-http's CORS, with each reply's `trailer-*` headers added to those it exposes.
#[derive(Debug, Clone)]
pub struct CorsFor(CorsLayer);

impl<S> Layer<S> for CorsFor {
    type Service = ExposeTrailers<Cors<S>>;

    fn layer(&self, inner: S) -> Self::Service {
        ExposeTrailers {
            inner: self.0.layer(inner),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExposeTrailers<S> {
    inner: S,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for ExposeTrailers<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ExposeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        ExposeFuture {
            inner: self.inner.call(request),
        }
    }
}

pin_project_lite::pin_project! {
    pub struct ExposeFuture<F> {
        #[pin]
        inner: F,
    }
}

impl<F, B, E> Future for ExposeFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut response = ready!(self.project().inner.poll(cx))?;
        expose_trailers(response.headers_mut());
        Poll::Ready(Ok(response))
    }
}

/// Adds the `trailer-*` headers to the exposed ones, on a reply that exposes any (a CORS reply).
fn expose_trailers(headers: &mut http::HeaderMap) {
    let Some(exposed) = headers.get(ACCESS_CONTROL_EXPOSE_HEADERS) else {
        return;
    };
    // `keys` names each header once, however many values it has.
    let names: Vec<&str> = headers
        .keys()
        .map(HeaderName::as_str)
        .filter(|name| name.starts_with("trailer-"))
        .collect();
    if names.is_empty() {
        return;
    }
    let mut value = exposed.as_bytes().to_vec();
    for name in names {
        value.extend_from_slice(b",");
        value.extend_from_slice(name.as_bytes());
    }
    if let Ok(value) = HeaderValue::from_bytes(&value) {
        headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trailers_of_a_reply_are_exposed_too() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            "grpc-status".parse().unwrap(),
        );
        headers.insert("trailer-x-cost", "3".parse().unwrap());
        headers.append("trailer-x-cost", "4".parse().unwrap());
        headers.insert("trailer-x-id", "a".parse().unwrap());
        expose_trailers(&mut headers);
        let exposed = headers[ACCESS_CONTROL_EXPOSE_HEADERS].to_str().unwrap();
        let names: Vec<&str> = exposed.split(',').collect();
        assert_eq!(names.len(), 3, "{exposed}");
        assert!(names.contains(&"trailer-x-cost") && names.contains(&"trailer-x-id"));

        // A reply without CORS headers gets none.
        let mut plain = http::HeaderMap::new();
        plain.insert("trailer-x-id", "a".parse().unwrap());
        expose_trailers(&mut plain);
        assert!(plain.get(ACCESS_CONTROL_EXPOSE_HEADERS).is_none());
    }
}

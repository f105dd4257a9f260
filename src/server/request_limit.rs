//! A request message over `--max-request-size` is answered with RESOURCE_EXHAUSTED, as grpc-go
//! answers it, and with words that name the limit: tonic's decoder refuses it with
//! OUT_OF_RANGE, which a client cannot tell from a limit of its own.
//!
//! One layer for every service: the refusal is in the headers of a trailers-only response when
//! it comes before the reply began (unary, server-streaming and client-streaming methods), or in
//! the trailers when a bidi stream was under way.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll, ready},
};

use http::{HeaderMap, Request, Response};
use http_body::{Body, Frame, SizeHint};
use tonic::{Code, Status};
use tower::{Layer, Service};

/// Rewrites tonic's refusal of a request over `limit` bytes.
#[derive(Debug, Clone, Copy)]
pub struct RequestLimitLayer {
    limit: usize,
}

impl RequestLimitLayer {
    pub fn new(limit: usize) -> RequestLimitLayer {
        RequestLimitLayer { limit }
    }
}

impl<S> Layer<S> for RequestLimitLayer {
    type Service = RequestLimit<S>;

    fn layer(&self, inner: S) -> RequestLimit<S> {
        RequestLimit {
            inner,
            limit: self.limit,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RequestLimit<S> {
    inner: S,
    limit: usize,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for RequestLimit<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    type Response = Response<LimitedBody<ResBody>>;
    type Error = S::Error;
    type Future = LimitFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        LimitFuture {
            inner: self.inner.call(request),
            limit: self.limit,
        }
    }
}

pin_project_lite::pin_project! {
    pub struct LimitFuture<F> {
        #[pin]
        inner: F,
        limit: usize,
    }
}

impl<F, ResBody, E> Future for LimitFuture<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = Result<Response<LimitedBody<ResBody>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.inner.poll(cx))?;
        let limit = *this.limit;
        restate(response.headers_mut(), limit);
        Poll::Ready(Ok(response.map(|inner| LimitedBody { inner, limit })))
    }
}

/// A response body whose trailers are looked at for the refusal.
pub struct LimitedBody<B> {
    inner: B,
    limit: usize,
}

impl<B: Body + Unpin> Body for LimitedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let limit = self.limit;
        let mut polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &mut polled
            && let Some(trailers) = frame.trailers_mut()
        {
            restate(trailers, limit);
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

/// Rewrites the status in `headers` when it is tonic's refusal of a request over `limit`.
fn restate(headers: &mut HeaderMap, limit: usize) {
    // Cheap first: only an OUT_OF_RANGE status is read further.
    if headers.get(Status::GRPC_STATUS).map(|v| v.as_bytes()) != Some(b"11") {
        return;
    }
    let Some(status) = Status::from_header_map(headers) else {
        return;
    };
    let Some(found) = over(status.message(), limit) else {
        return;
    };
    let refusal = Status::new(
        Code::ResourceExhausted,
        format!(
            "request message of {found} bytes is over this server's limit of {limit} \
             (--max-request-size)"
        ),
    );
    headers.remove(Status::GRPC_MESSAGE);
    // The new status's headers are plain ASCII: writing them cannot fail.
    let _ = refusal.add_header(headers);
}

/// The size in tonic's decoding error, when the limit it names is this server's.
fn over(message: &str, limit: usize) -> Option<u64> {
    let rest = message.strip_prefix("Error, decoded message length too large: found ")?;
    let (found, rest) = rest.split_once(" bytes, the limit is: ")?;
    let theirs: usize = rest.strip_suffix(" bytes")?.parse().ok()?;
    (theirs == limit).then_some(found.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tonics_refusal_becomes_resource_exhausted() {
        let mut headers = HeaderMap::new();
        Status::out_of_range(
            "Error, decoded message length too large: found 5033165 bytes, the limit is: 4194304 bytes",
        )
        .add_header(&mut headers)
        .unwrap();
        restate(&mut headers, 4_194_304);
        let status = Status::from_header_map(&headers).unwrap();
        assert_eq!(status.code(), Code::ResourceExhausted);
        assert_eq!(
            status.message(),
            "request message of 5033165 bytes is over this server's limit of 4194304 \
             (--max-request-size)"
        );
    }

    #[test]
    fn other_statuses_stay() {
        for (status, limit) in [
            (Status::out_of_range("past the end"), 4_194_304),
            (
                Status::out_of_range(
                    "Error, decoded message length too large: found 9 bytes, the limit is: 8 bytes",
                ),
                4_194_304,
            ),
            (Status::invalid_argument("no"), 4_194_304),
        ] {
            let mut headers = HeaderMap::new();
            status.add_header(&mut headers).unwrap();
            let before = headers.clone();
            restate(&mut headers, limit);
            assert_eq!(headers, before);
        }
    }
}

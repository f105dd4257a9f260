//! gRPC-Web on the client: gRPC requests from the call pipeline become gRPC-Web requests, and
//! gRPC-Web responses become gRPC responses again, with the trailers of the 0x80 frame as HTTP
//! trailers, so that tonic's client, the printers and the error paths above see gRPC.
//!
//! Both of its forms are here: binary (`application/grpc-web+proto`) and text
//! (`application/grpc-web-text+proto`, base64 both ways, as Envoy-style backends take it).
//! tonic-web's client layer carries only the binary form, and copies every byte of a response
//! into a buffer of its own; this one passes a stream's messages through as the server's chunks
//! hold them.

use std::{
    pin::Pin,
    task::{Context, Poll, ready},
};

use base64::{Engine as _, engine::general_purpose::STANDARD};
use bytes::{Buf, Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue, header};
use http_body::Frame;
use tonic::{Status, body::Body};
use tower::Service;

use super::{BoxError, http::HttpClient};

const BINARY: &str = "application/grpc-web+proto";
const TEXT: &str = "application/grpc-web-text+proto";

/// The largest trailers frame read: a status, its message and details are far smaller.
const MAX_TRAILERS: usize = 1024 * 1024;

/// gRPC-Web over a base HTTP client.
#[derive(Clone)]
pub struct GrpcWeb {
    http: HttpClient,
    text: bool,
}

impl GrpcWeb {
    /// `text`: grpc-web-text, base64 both ways.
    pub fn new(http: HttpClient, text: bool) -> GrpcWeb {
        GrpcWeb { http, text }
    }

    pub fn http(&self) -> &HttpClient {
        &self.http
    }
}

impl Service<http::Request<Body>> for GrpcWeb {
    type Response = http::Response<Body>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<http::Response<Body>, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let text = self.text;
        let (mut parts, body) = request.into_parts();
        let content_type = HeaderValue::from_static(if text { TEXT } else { BINARY });
        let headers = &mut parts.headers;
        // `te: trailers` is HTTP/2 gRPC's; gRPC-Web carries its trailers in the body.
        headers.remove(header::TE);
        headers.insert(header::CONTENT_TYPE, content_type.clone());
        headers.insert(header::ACCEPT, content_type);
        headers.insert(
            HeaderName::from_static("x-grpc-web"),
            HeaderValue::from_static("1"),
        );
        let body = if text {
            Body::new(TextRequest {
                inner: body,
                carry: Vec::new(),
                ended: false,
            })
        } else {
            body
        };
        let response = self.http.call(http::Request::from_parts(parts, body));
        Box::pin(async move {
            let mut response = response.await?;
            let http = response.status();
            response.extensions_mut().insert(super::HttpStatus(http));
            if let Some(status) = not_grpc_web(&response) {
                // As a trailers-only response, which tonic reads the status of.
                *response.status_mut() = http::StatusCode::OK;
                let _ = status.add_header(response.headers_mut());
                super::HttpStatus::mark(response.headers_mut(), http);
                return Ok(response.map(|_| Body::empty()));
            }
            if response.headers().contains_key("grpc-status") {
                super::HttpStatus::mark(response.headers_mut(), http);
            }
            Ok(response.map(|body| Body::new(WebResponse::new(body, text))))
        })
    }
}

pin_project_lite::pin_project! {
    /// A request body in base64: one unbroken encoding of the bytes, whatever their chunks.
    struct TextRequest {
        #[pin]
        inner: Body,
        // The 0 to 2 bytes that did not fill a 3-byte group yet.
        carry: Vec<u8>,
        ended: bool,
    }
}

impl http_body::Body for TextRequest {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let mut this = self.project();
        loop {
            if *this.ended {
                return Poll::Ready(None);
            }
            match ready!(this.inner.as_mut().poll_frame(cx)) {
                Some(Ok(frame)) => {
                    let Ok(mut data) = frame.into_data() else {
                        continue; // a request has no trailers
                    };
                    this.carry
                        .extend_from_slice(&data.copy_to_bytes(data.remaining()));
                    let whole = this.carry.len() / 3 * 3;
                    if whole == 0 {
                        continue;
                    }
                    let encoded = STANDARD.encode(&this.carry[..whole]);
                    this.carry.drain(..whole);
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from(encoded)))));
                }
                Some(Err(status)) => return Poll::Ready(Some(Err(status))),
                None => {
                    *this.ended = true;
                    if this.carry.is_empty() {
                        return Poll::Ready(None);
                    }
                    let encoded = STANDARD.encode(&this.carry[..]);
                    this.carry.clear();
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from(encoded)))));
                }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// A gRPC-Web response body read as a gRPC one: the messages' frames pass through, and the
    /// trailers frame becomes the HTTP trailers.
    struct WebResponse {
        #[pin]
        inner: Body,
        text: bool,
        // Base64 not decoded yet (text only).
        pending: Vec<u8>,
        // Decoded bytes not passed on yet.
        buf: BytesMut,
        // Bytes of the current message frame (its header included) still to pass on.
        in_frame: usize,
        // The server's HTTP trailers, if it sent any besides (or instead of) the frame.
        trailers: Option<HeaderMap>,
        finished: bool,
    }
}

impl WebResponse {
    fn new(inner: Body, text: bool) -> WebResponse {
        WebResponse {
            inner,
            text,
            pending: Vec::new(),
            buf: BytesMut::new(),
            in_frame: 0,
            trailers: None,
            finished: false,
        }
    }
}

impl http_body::Body for WebResponse {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let mut this = self.project();
        loop {
            if *this.finished {
                return Poll::Ready(None);
            }
            // What is buffered first: the rest of a message, or the next frame's header.
            if *this.in_frame > 0 && !this.buf.is_empty() {
                let n = (*this.in_frame).min(this.buf.len());
                *this.in_frame -= n;
                return Poll::Ready(Some(Ok(Frame::data(this.buf.split_to(n).freeze()))));
            }
            if *this.in_frame == 0 && this.buf.len() >= 5 {
                let flags = this.buf[0];
                let len = u32::from_be_bytes([this.buf[1], this.buf[2], this.buf[3], this.buf[4]])
                    as usize;
                if flags & 0x80 != 0 {
                    if len > MAX_TRAILERS {
                        return Poll::Ready(Some(Err(bad(format!(
                            "its trailers frame says it is {len} bytes long"
                        )))));
                    }
                    if this.buf.len() >= 5 + len {
                        let mut trailers = parse_trailers(&this.buf[5..5 + len])?;
                        if let Some(http) = this.trailers.take() {
                            trailers.extend(http);
                        }
                        *this.finished = true;
                        return Poll::Ready(Some(Ok(Frame::trailers(trailers))));
                    }
                } else if flags & !1 != 0 {
                    return Poll::Ready(Some(Err(bad(format!(
                        "a frame has flags {flags:#04x}, neither a message's nor trailers'"
                    )))));
                } else {
                    *this.in_frame = 5 + len;
                    continue;
                }
            }
            // More bytes are needed.
            match ready!(this.inner.as_mut().poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(mut data) => {
                        let mut data = data.copy_to_bytes(data.remaining());
                        if *this.text {
                            this.pending.extend_from_slice(&data);
                            decode_text(this.pending, this.buf)?;
                            continue;
                        }
                        // A message's bytes that arrive unbroken pass on without a copy.
                        if *this.in_frame > 0 && this.buf.is_empty() {
                            let n = (*this.in_frame).min(data.len());
                            *this.in_frame -= n;
                            let head = data.split_to(n);
                            this.buf.extend_from_slice(&data);
                            return Poll::Ready(Some(Ok(Frame::data(head))));
                        }
                        this.buf.extend_from_slice(&data);
                    }
                    Err(frame) => {
                        if let Ok(trailers) = frame.into_trailers() {
                            this.trailers
                                .get_or_insert_with(HeaderMap::new)
                                .extend(trailers);
                        }
                    }
                },
                Some(Err(status)) => return Poll::Ready(Some(Err(status))),
                None => {
                    *this.finished = true;
                    if *this.in_frame > 0 || !this.buf.is_empty() || !this.pending.is_empty() {
                        return Poll::Ready(Some(Err(bad(
                            "it ended in the middle of a frame".to_owned()
                        ))));
                    }
                    // No trailers frame: the HTTP trailers if any, else the headers or the HTTP
                    // status tell how the call ended (tonic reads them).
                    return Poll::Ready(this.trailers.take().map(|t| Ok(Frame::trailers(t))));
                }
            }
        }
    }
}

/// The status of a response that is not gRPC-Web (nor gRPC): its HTTP status mapped as gRPC
/// maps it, in words that say what came and, for a Connect server, what to use.
fn not_grpc_web<B>(response: &http::Response<B>) -> Option<Status> {
    let headers = response.headers();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let http = response.status();
    let grpc = content_type.starts_with("application/grpc");
    // A status in the headers (trailers-only) is the server's word, whatever the HTTP status.
    if (http == http::StatusCode::OK && grpc) || headers.contains_key("grpc-status") {
        return None;
    }
    let code = match http.as_u16() {
        400 => tonic::Code::Internal,
        401 => tonic::Code::Unauthenticated,
        403 => tonic::Code::PermissionDenied,
        404 => tonic::Code::Unimplemented,
        429 | 502 | 503 | 504 => tonic::Code::Unavailable,
        _ => tonic::Code::Unknown,
    };
    let connect = [
        "application/json",
        "application/proto",
        "application/connect+",
    ]
    .iter()
    .any(|prefix| content_type.starts_with(prefix));
    let hint = if connect {
        "; a Connect server? try --protocol connect"
    } else {
        ""
    };
    let sent = match content_type {
        "" => "no content type".to_owned(),
        content_type => content_type.to_owned(),
    };
    Some(Status::new(
        code,
        format!("the server answered HTTP {http} with {sent}, not gRPC-Web{hint}"),
    ))
}

/// A response that breaks the protocol.
fn bad(why: String) -> Status {
    Status::internal(format!("the gRPC-Web response is malformed: {why}"))
}

/// Decodes the whole 4-character groups of `pending` into `out`. A server may encode each of
/// its frames on its own, so padding can end a group in the middle of the body.
fn decode_text(pending: &mut Vec<u8>, out: &mut BytesMut) -> Result<(), Status> {
    let whole = pending.len() / 4 * 4;
    let mut start = 0;
    let mut decoded = Vec::with_capacity(whole / 4 * 3);
    while start < whole {
        let end = match pending[start..whole].iter().position(|&b| b == b'=') {
            Some(at) => start + (at / 4 + 1) * 4,
            None => whole,
        };
        STANDARD
            .decode_vec(&pending[start..end], &mut decoded)
            .map_err(|err| bad(format!("its base64 does not decode ({err})")))?;
        start = end;
    }
    pending.drain(..whole);
    out.extend_from_slice(&decoded);
    Ok(())
}

/// The trailers frame's block: `name: value` lines, as HTTP/1 headers.
fn parse_trailers(block: &[u8]) -> Result<HeaderMap, Status> {
    let mut trailers = HeaderMap::new();
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let colon = line
            .iter()
            .position(|&b| b == b':')
            .ok_or_else(|| bad("a trailer has no ':'".to_owned()))?;
        let name = HeaderName::from_bytes(line[..colon].trim_ascii())
            .map_err(|_| bad("a trailer's name is not a header name".to_owned()))?;
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii())
            .map_err(|_| bad("a trailer's value is not a header value".to_owned()))?;
        trailers.append(name, value);
    }
    Ok(trailers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt as _;

    fn body(chunks: Vec<&'static [u8]>) -> Body {
        let stream = futures_util::stream::iter(
            chunks
                .into_iter()
                .map(|c| Ok::<_, Status>(Frame::data(Bytes::from_static(c)))),
        );
        Body::new(http_body_util::StreamBody::new(stream))
    }

    async fn read(response: WebResponse) -> (Vec<u8>, Result<Option<HeaderMap>, Status>) {
        let mut response = std::pin::pin!(response);
        let mut data = Vec::new();
        loop {
            match response.frame().await {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(bytes) => data.extend_from_slice(&bytes),
                    Err(frame) => return (data, Ok(frame.into_trailers().ok())),
                },
                Some(Err(status)) => return (data, Err(status)),
                None => return (data, Ok(None)),
            }
        }
    }

    const MESSAGE: &[u8] = b"\x00\x00\x00\x00\x03abc";
    const TRAILERS: &[u8] = b"\x80\x00\x00\x00\x1egrpc-status:0\r\ngrpc-message:\r\n";

    #[tokio::test]
    async fn messages_pass_and_the_trailers_frame_becomes_trailers() {
        // Split anywhere, even inside a frame's header.
        let whole = [MESSAGE, MESSAGE, TRAILERS].concat().leak();
        for cut in 0..whole.len() {
            let (a, b) = whole.split_at(cut);
            let (data, trailers) = read(WebResponse::new(body(vec![a, b]), false)).await;
            assert_eq!(data, [MESSAGE, MESSAGE].concat(), "cut at {cut}");
            let trailers = trailers.unwrap().unwrap();
            assert_eq!(trailers["grpc-status"], "0");
            assert_eq!(trailers["grpc-message"], "");
        }
    }

    #[tokio::test]
    async fn text_decodes_frames_padded_one_by_one() {
        let text = [STANDARD.encode(MESSAGE), STANDARD.encode(TRAILERS)].concat();
        let text: &'static [u8] = text.into_bytes().leak();
        for cut in 0..text.len() {
            let (a, b) = text.split_at(cut);
            let (data, trailers) = read(WebResponse::new(body(vec![a, b]), true)).await;
            assert_eq!(data, MESSAGE, "cut at {cut}");
            assert_eq!(trailers.unwrap().unwrap()["grpc-status"], "0");
        }
    }

    #[tokio::test]
    async fn broken_responses_are_errors() {
        // A length prefix that lies, bad flags, base64 that is not, and a bad trailer.
        let cases: [(&'static [u8], bool, &str); 4] = [
            (
                b"\x00\x00\x00\x01\x00abc",
                false,
                "ended in the middle of a frame",
            ),
            (b"\x42\x00\x00\x00\x00", false, "flags 0x42"),
            (b"!!!!", true, "base64 does not decode"),
            (b"\x80\x00\x00\x00\x04oops", false, "has no ':'"),
        ];
        for (bytes, text, expected) in cases {
            let (_, result) = read(WebResponse::new(body(vec![bytes]), text)).await;
            let status = result.unwrap_err();
            assert_eq!(status.code(), tonic::Code::Internal);
            assert!(status.message().contains(expected), "{}", status.message());
        }
    }

    #[tokio::test]
    async fn text_requests_are_one_base64_stream() {
        let request = TextRequest {
            inner: body(vec![b"a", b"bcde", b"f", b"gh"]),
            carry: Vec::new(),
            ended: false,
        };
        let bytes = request.collect().await.unwrap().to_bytes();
        assert_eq!(STANDARD.decode(&bytes).unwrap(), b"abcdefgh");
    }
}

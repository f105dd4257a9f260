//! A streaming call in Connect: the gRPC frames go out as envelopes (the same bytes, in
//! proto), and the reply's envelopes come back as frames, its end-stream message as trailers.

use std::{
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, ready},
};

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use http_body::Frame;
use http_body_util::{BodyExt as _, Limited};
use prost_reflect::{MessageDescriptor, MethodDescriptor};
use tonic::{Code, Status, body::Body};
use tower::{Service, ServiceExt as _};

use super::{
    BoxError, ConnectOptions, HttpStatus, bodies::framed, connect_headers, error_trailers,
    http_error, json_descriptor, not_connect, ok_trailers, trailers_only,
};
use crate::connect::{
    Codec, ContentType, Encoding, EndStream, Envelope, Envelopes, Rewritten, compression,
    metadata::{GRPC_ENCODING, keep_metadata},
    transcode::{json_to_proto, proto_to_json},
};

/// The most of an error body read when a stream fails with a non-200 status.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

pub(super) async fn call<S>(
    inner: S,
    options: Arc<ConnectOptions>,
    descriptor: Option<MethodDescriptor>,
    request: http::Request<Body>,
) -> Result<Response<Body>, BoxError>
where
    S: Service<http::Request<Body>, Response = Response<Body>>,
    S::Error: Into<BoxError>,
{
    let (mut parts, body) = request.into_parts();
    let (encoding, accept) = connect_headers(&mut parts.headers);
    let codec = options.codec;
    let names = compression::headers(true);
    let content_type = ContentType {
        codec,
        streaming: true,
    };
    let headers = &mut parts.headers;
    headers.insert(header::CONTENT_TYPE, content_type.header_value());
    if let Some(accept) = accept {
        headers.insert(names.accept, accept);
    }
    let body = match codec {
        Codec::Proto => {
            if let Some(encoding) = encoding {
                headers.insert(names.content.clone(), encoding);
            }
            body
        }
        Codec::Json => {
            let input = json_descriptor(descriptor.as_ref())?.input();
            let encoding = encoding
                .map(|name| Encoding::from_name(name.as_bytes()))
                .transpose()
                .map_err(|err| Status::internal(err.0))?
                .flatten();
            let rewrite = move |frame: Envelope| {
                let proto = uncompressed(&frame, encoding, usize::MAX)?;
                let json = proto_to_json(&input, &proto).map_err(|err| Status::internal(err.0))?;
                framed(0, &json)
            };
            Body::new(Rewritten::new(body, usize::MAX, Code::Internal, rewrite))
        }
    };

    let response = inner
        .oneshot(http::Request::from_parts(parts, body))
        .await
        .map_err(Into::into)?;
    let (parts, body) = response.into_parts();
    let http = parts.status;
    if http != StatusCode::OK {
        let body = match Limited::new(body, ERROR_BODY_LIMIT).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => Bytes::new(),
        };
        let status = http_error(http, &parts.headers, &body);
        return Ok(trailers_only(&status, parts.headers, http));
    }
    let found =
        (parts.headers.get(header::CONTENT_TYPE)).and_then(|v| ContentType::parse(v.as_bytes()));
    if found != Some(content_type) {
        let status = not_connect(&parts.headers, content_type.header_value().to_str()?);
        return Ok(trailers_only(&status, parts.headers, http));
    }
    let reply_encoding = parts.headers.get(&names.content).map(|v| v.as_bytes());
    let reply_encoding = match Encoding::from_name(reply_encoding.unwrap_or_default()) {
        Ok(encoding) => encoding,
        Err(err) => {
            let status = Status::internal(format!("the reply: {}", err.0));
            return Ok(trailers_only(&status, parts.headers, http));
        }
    };
    let mut headers = parts.headers;
    keep_metadata(&mut headers);
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/grpc"),
    );
    if let (Codec::Proto, Some(encoding)) = (codec, reply_encoding) {
        headers.insert(GRPC_ENCODING, HeaderValue::from_static(encoding.name()));
    }
    let json = match codec {
        Codec::Proto => None,
        Codec::Json => Some(json_descriptor(descriptor.as_ref())?.output()),
    };
    let reply = StreamReply {
        inner: body,
        envelopes: Envelopes::new(options.max_message_size),
        json,
        encoding: reply_encoding,
        limit: options.max_message_size,
        pending: None,
        done: false,
    };
    let mut response = Response::new(Body::new(reply));
    *response.headers_mut() = headers;
    response.extensions_mut().insert(HttpStatus(http));
    Ok(response)
}

/// The message of an envelope, decompressed if it is flagged so.
fn uncompressed(
    envelope: &Envelope,
    encoding: Option<Encoding>,
    limit: usize,
) -> Result<Bytes, Status> {
    if !envelope.is_compressed() {
        return Ok(envelope.message.clone());
    }
    let encoding = encoding.ok_or_else(|| {
        Status::internal("a message is flagged compressed, but the stream names no compression")
    })?;
    (encoding.decompress(&envelope.message, limit))
        .map(Bytes::from)
        .map_err(|err| Status::internal(err.0))
}

/// A Connect reply stream as gRPC: messages as frames, the end-stream message as trailers.
struct StreamReply {
    inner: Body,
    envelopes: Envelopes,
    /// The reply's message, when it comes in JSON.
    json: Option<MessageDescriptor>,
    /// The stream's compression.
    encoding: Option<Encoding>,
    limit: usize,
    /// Trailers to send after the frames already sent.
    pending: Option<HeaderMap>,
    done: bool,
}

impl StreamReply {
    /// One reply envelope as gRPC: a frame, or (for the end-stream message) the trailers.
    fn translate(
        &self,
        envelope: Envelope,
        out: &mut BytesMut,
    ) -> Result<Option<HeaderMap>, Status> {
        if envelope.is_end_stream() {
            let json = uncompressed(&envelope, self.encoding, self.limit)?;
            let end = EndStream::from_json(&json).map_err(|err| Status::internal(err.0))?;
            return Ok(Some(trailers_of(end)));
        }
        match &self.json {
            None => {
                out.extend_from_slice(&framed(envelope.flags, &envelope.message)?);
            }
            Some(descriptor) => {
                let json = uncompressed(&envelope, self.encoding, self.limit)?;
                let proto =
                    json_to_proto(descriptor, &json).map_err(|err| Status::internal(err.0))?;
                out.extend_from_slice(&framed(0, &proto)?);
            }
        }
        Ok(None)
    }
}

/// The gRPC trailers of an end-stream message.
fn trailers_of(end: EndStream) -> HeaderMap {
    match end.error {
        None => ok_trailers(end.metadata),
        Some(error) => error_trailers(&error.to_status(), end.metadata),
    }
}

impl StreamReply {
    /// The trailers of the end-stream message, if it is next and whole.
    fn end_of_stream(&mut self) -> Option<HeaderMap> {
        let mut out = BytesMut::new();
        match self.envelopes.next_envelope() {
            Ok(Some(envelope)) => match self.translate(envelope, &mut out) {
                Ok(trailers) => trailers,
                Err(status) => Some(error_trailers(&status, HeaderMap::new())),
            },
            Ok(None) => None,
            Err(err) => Some(error_trailers(
                &Status::resource_exhausted(err.0),
                HeaderMap::new(),
            )),
        }
    }
}

impl http_body::Body for StreamReply {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = &mut *self;
        loop {
            if let Some(trailers) = this.pending.take() {
                this.done = true;
                return Poll::Ready(Some(Ok(Frame::trailers(trailers))));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let data = match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => data,
                    // Connect sends no HTTP trailers; any are not the call's.
                    Err(_) => continue,
                },
                Some(Err(status)) => return Poll::Ready(Some(Err(status))),
                None => {
                    let words = match this.envelopes.finish() {
                        Err(err) => err.0,
                        Ok(()) => "the Connect stream ended without an end-stream message".into(),
                    };
                    this.pending = Some(error_trailers(&Status::internal(words), HeaderMap::new()));
                    continue;
                }
            };
            this.envelopes.push(&data);
            let mut out = BytesMut::new();
            if this.json.is_none() {
                // In proto, messages pass as they came: only the end-stream message is read.
                match this.envelopes.take_messages() {
                    Ok(messages) if !messages.is_empty() => {
                        if let Some(trailers) = this.end_of_stream() {
                            this.pending = Some(trailers);
                        }
                        return Poll::Ready(Some(Ok(Frame::data(messages))));
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let status = Status::resource_exhausted(err.0);
                        this.pending = Some(error_trailers(&status, HeaderMap::new()));
                        continue;
                    }
                }
            }
            loop {
                let envelope = match this.envelopes.next_envelope() {
                    Ok(Some(envelope)) => envelope,
                    Ok(None) => break,
                    Err(err) => {
                        let status = Status::resource_exhausted(err.0);
                        this.pending = Some(error_trailers(&status, HeaderMap::new()));
                        break;
                    }
                };
                match this.translate(envelope, &mut out) {
                    Ok(None) => {}
                    Ok(Some(trailers)) => {
                        this.pending = Some(trailers);
                        break;
                    }
                    Err(status) => {
                        this.pending = Some(error_trailers(&status, HeaderMap::new()));
                        break;
                    }
                }
            }
            if !out.is_empty() {
                return Poll::Ready(Some(Ok(Frame::data(out.freeze()))));
            }
        }
    }
}

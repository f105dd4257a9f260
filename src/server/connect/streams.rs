//! A streaming Connect call: envelopes both ways. An envelope and a gRPC frame share their
//! prefix, so in proto the bodies pass through as they are, compressed or not, and only the
//! trailers of the reply become an end-stream message. In JSON each message is transcoded on
//! its way.

use std::{
    convert::Infallible,
    pin::Pin,
    task::{Context, Poll, ready},
};

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode, header};
use http_body::Frame;
use http_body_util::Full;
use prost_reflect::{MessageDescriptor, MethodDescriptor};
use tonic::{Code, Status, body::Body};
use tower::{Service, ServiceExt as _};

use super::{ConnectBody, Shared, grpc_parts, kind_error, reply::end_stream, with_status};
use crate::connect::{
    Codec, ConnectError, ContentType, Encoding, EndStream, Envelope, Envelopes, Rewritten,
    compression,
    envelope::{self, END_STREAM},
    metadata::{GRPC_ENCODING, GRPC_STATUS, keep_metadata},
    transcode::{json_to_proto, proto_to_json},
};

pub(super) async fn call<S, B>(
    inner: S,
    shared: &Shared,
    method: Option<MethodDescriptor>,
    codec: Codec,
    request: Request<Body>,
) -> Response<ConnectBody<B>>
where
    S: Service<Request<Body>, Response = Response<B>, Error = Infallible>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    if let Some(error) = kind_error(method.as_ref(), true) {
        return with_status(&error, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    let names = compression::headers(true);
    let (parts, body) = request.into_parts();
    let encoding = parts.headers.get(&names.content).map(HeaderValue::as_bytes);
    let encoding = match Encoding::from_name(encoding.unwrap_or_default()) {
        Ok(encoding) => encoding,
        Err(err) => {
            let error = ConnectError::new(Code::Unimplemented, err.0);
            return failed(codec, &error, HeaderMap::new());
        }
    };
    let (body, grpc_encoding, accept) = match (codec, &method) {
        (Codec::Proto, _) => {
            let accept =
                (parts.headers.get(&names.accept)).and_then(|v| Encoding::pick(v.as_bytes()));
            (body, encoding, accept)
        }
        (Codec::Json, Some(method)) => {
            let (descriptor, limit) = (method.input(), shared.max_request_size);
            let rewrite =
                move |envelope: Envelope| json_request(&envelope, &descriptor, encoding, limit);
            let json = Rewritten::new(body, limit, Code::InvalidArgument, rewrite);
            (Body::new(json), None, None)
        }
        (Codec::Json, None) => {
            let error = ConnectError::new(
                Code::Unimplemented,
                "this method is not known to the server's descriptors: call it in proto",
            );
            return failed(codec, &error, HeaderMap::new());
        }
    };
    let parts = match grpc_parts(parts, grpc_encoding, accept) {
        Ok(parts) => parts,
        Err(error) => return failed(codec, &error, HeaderMap::new()),
    };
    let Ok(response) = inner.oneshot(Request::from_parts(parts, body)).await;
    let (parts, body) = response.into_parts();
    let mut headers = parts.headers;
    if headers.contains_key(GRPC_STATUS) {
        // Trailers-only: the status is in the headers; the stream is its end alone.
        let end = end_stream(&headers);
        keep_metadata(&mut headers);
        return respond(codec, headers, end_envelope(&end));
    }
    let reply_encoding = headers.get(GRPC_ENCODING).cloned();
    keep_metadata(&mut headers);
    if let (Codec::Proto, Some(encoding)) = (codec, reply_encoding) {
        headers.insert(names.content, encoding);
    }
    let reply = EnvelopeReply {
        inner: Body::new(body),
        json: match (codec, method) {
            (Codec::Json, Some(method)) => Some((Envelopes::new(usize::MAX), method.output())),
            _ => None,
        },
        done: false,
    };
    let mut response = Response::new(ConnectBody::connect(Body::new(reply)));
    *response.headers_mut() = headers;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, stream_type(codec));
    response
}

fn stream_type(codec: Codec) -> HeaderValue {
    ContentType {
        codec,
        streaming: true,
    }
    .header_value()
}

/// A stream that failed before it began: status 200, and an end-stream message with the error.
fn failed<B>(codec: Codec, error: &ConnectError, headers: HeaderMap) -> Response<ConnectBody<B>> {
    let end = EndStream {
        error: Some(error.clone()),
        metadata: HeaderMap::new(),
    };
    respond(codec, headers, end_envelope(&end))
}

fn respond<B>(codec: Codec, mut headers: HeaderMap, body: Bytes) -> Response<ConnectBody<B>> {
    headers.insert(header::CONTENT_TYPE, stream_type(codec));
    let mut response = Response::new(ConnectBody::connect(Body::new(Full::new(body))));
    *response.headers_mut() = headers;
    response
}

fn end_envelope(end: &EndStream) -> Bytes {
    // The JSON of an end-stream is far under 4 GiB.
    envelope::encode(END_STREAM, &end.to_json()).unwrap_or_default()
}

/// One envelope of a JSON request stream as the gRPC frame of its proto.
fn json_request(
    envelope: &Envelope,
    descriptor: &MessageDescriptor,
    encoding: Option<Encoding>,
    limit: usize,
) -> Result<Bytes, Status> {
    if envelope.is_end_stream() {
        return Err(Status::invalid_argument(
            "a request stream must not send an end-stream message",
        ));
    }
    let json = match (envelope.is_compressed(), encoding) {
        (false, _) => envelope.message.to_vec(),
        (true, Some(encoding)) => encoding
            .decompress(&envelope.message, limit)
            .map_err(invalid)?,
        (true, None) => {
            return Err(Status::invalid_argument(
                "a message is flagged compressed, but the stream names no compression",
            ));
        }
    };
    let proto = json_to_proto(descriptor, &json).map_err(invalid)?;
    envelope::encode(0, &proto).map_err(invalid)
}

fn invalid(err: crate::connect::WireError) -> Status {
    Status::invalid_argument(err.0)
}

/// The reply of a stream: gRPC frames as envelopes (transcoded to JSON when `json` holds the
/// reply's descriptor), and the trailers as the end-stream message.
struct EnvelopeReply {
    inner: Body,
    json: Option<(Envelopes, MessageDescriptor)>,
    done: bool,
}

impl EnvelopeReply {
    /// The last envelope: the end-stream message of `trailers`, or of the error that ended the
    /// reply early.
    fn end(&mut self, end: EndStream) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        self.done = true;
        Poll::Ready(Some(Ok(Frame::data(end_envelope(&end)))))
    }
}

fn error_end(error: ConnectError) -> EndStream {
    EndStream {
        error: Some(error),
        metadata: HeaderMap::new(),
    }
}

impl http_body::Body for EnvelopeReply {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            let frame = match ready!(Pin::new(&mut self.inner).poll_frame(cx)) {
                Some(Ok(frame)) => frame,
                Some(Err(status)) => {
                    return self.end(error_end(ConnectError::from_status(&status)));
                }
                None => {
                    let error =
                        ConnectError::new(Code::Internal, "the reply ended without a gRPC status");
                    return self.end(error_end(error));
                }
            };
            let data = match frame.into_data() {
                Ok(data) => data,
                Err(frame) => match frame.into_trailers() {
                    Ok(trailers) => return self.end(end_stream(&trailers)),
                    Err(_) => continue,
                },
            };
            let Some((envelopes, descriptor)) = &mut self.json else {
                return Poll::Ready(Some(Ok(Frame::data(data))));
            };
            envelopes.push(&data);
            let mut out = BytesMut::new();
            loop {
                let envelope = match envelopes.next_envelope() {
                    Ok(Some(envelope)) => envelope,
                    Ok(None) => break,
                    Err(err) => {
                        return self.end(error_end(ConnectError::new(Code::Internal, err.0)));
                    }
                };
                let json = match proto_to_json(descriptor, &envelope.message) {
                    Ok(json) => json,
                    Err(err) => {
                        return self.end(error_end(ConnectError::new(Code::Internal, err.0)));
                    }
                };
                match envelope::prefix(0, json.len()) {
                    Ok(head) => out.extend_from_slice(&head),
                    Err(err) => {
                        return self.end(error_end(ConnectError::new(Code::Internal, err.0)));
                    }
                }
                out.extend_from_slice(&json);
            }
            if !out.is_empty() {
                return Poll::Ready(Some(Ok(Frame::data(out.freeze()))));
            }
        }
    }
}

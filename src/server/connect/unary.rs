//! A unary Connect call: a POST of one bare message, or a GET with the message in the query.
//! The message becomes one gRPC frame; the gRPC reply is read whole, since its status (and so
//! the HTTP status) comes after the message, and answered as a bare message, or as the error's
//! JSON with the HTTP status of its code.

use std::convert::Infallible;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode, header};
use http_body_util::{BodyExt as _, Full};
use prost_reflect::MethodDescriptor;
use tonic::{Code, Status, body::Body};
use tower::{Service, ServiceExt as _};

use super::{ConnectBody, Shared, grpc_parts, kind_error, reply::outcome, with_status};
use crate::connect::{
    Codec, ConnectError, ContentType, Encoding,
    envelope::{self, COMPRESSED, prefix},
    get::GetQuery,
    http_status,
    metadata::{
        GRPC_ENCODING, GRPC_STATUS, add_prefixed_trailers, keep_metadata, keep_metadata_as,
    },
    transcode::{json_to_proto, proto_to_json},
};

/// A reply shorter than this is sent uncompressed: compressing it would save nothing.
const COMPRESS_FROM: usize = 256;

/// A unary POST: the body is the message.
pub(super) async fn post<S, B>(
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
    if let Some(error) = kind_error(method.as_ref(), false) {
        return with_status(&error, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    let (parts, body) = request.into_parts();
    let header = |name: HeaderName| parts.headers.get(name).map(HeaderValue::as_bytes);
    let encoding = match Encoding::from_name(header(header::CONTENT_ENCODING).unwrap_or_default()) {
        Ok(encoding) => encoding,
        Err(err) => return error_response(&unimplemented(err.0), HeaderMap::new()),
    };
    // Without accept-encoding, the client is taken to accept what it sent.
    let accept = header(header::ACCEPT_ENCODING).map_or(encoding, Encoding::pick);
    let limit = shared.max_request_size;
    let announced = header(header::CONTENT_LENGTH)
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(length) = announced
        && length > limit as u64
    {
        return error_response(&over_limit(&length.to_string(), limit), HeaderMap::new());
    }
    let message = match read_request(body, limit).await {
        Ok(Some(message)) => message,
        Ok(None) => {
            let error = over_limit(&format!("more than {limit}"), limit);
            return error_response(&error, HeaderMap::new());
        }
        Err(status) => {
            let words = format!("reading the request: {}", status.message());
            return error_response(&ConnectError::new(Code::Cancelled, words), HeaderMap::new());
        }
    };
    call(
        inner, shared, method, codec, parts, message, encoding, accept,
    )
    .await
}

/// A unary GET: the query holds the message.
pub(super) async fn get<S, B>(
    inner: S,
    shared: &Shared,
    method: Option<MethodDescriptor>,
    request: Request<Body>,
) -> Response<ConnectBody<B>>
where
    S: Service<Request<Body>, Response = Response<B>, Error = Infallible>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    if let Some(error) = kind_error(method.as_ref(), false) {
        return with_status(&error, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    let (parts, _) = request.into_parts();
    let query = match GetQuery::parse(parts.uri.query().unwrap_or_default()) {
        Ok(query) => query,
        Err(err) => {
            let error = ConnectError::new(Code::InvalidArgument, err.0);
            return error_response(&error, HeaderMap::new());
        }
    };
    let limit = shared.max_request_size;
    if query.message.len() > limit {
        let error = over_limit(&query.message.len().to_string(), limit);
        return error_response(&error, HeaderMap::new());
    }
    let accept = (parts.headers.get(header::ACCEPT_ENCODING))
        .map_or(query.compression, |v| Encoding::pick(v.as_bytes()));
    let message = Bytes::from(query.message);
    call(
        inner,
        shared,
        method,
        query.codec,
        parts,
        message,
        query.compression,
        accept,
    )
    .await
}

/// Calls the gRPC service with `message` (in `codec`, compressed with `encoding`) and answers
/// with its reply in the same codec, compressed with `accept` when that is worth it.
#[allow(clippy::too_many_arguments)]
async fn call<S, B>(
    inner: S,
    shared: &Shared,
    method: Option<MethodDescriptor>,
    codec: Codec,
    parts: http::request::Parts,
    message: Bytes,
    encoding: Option<Encoding>,
    accept: Option<Encoding>,
) -> Response<ConnectBody<B>>
where
    S: Service<Request<Body>, Response = Response<B>, Error = Infallible>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let no_metadata = HeaderMap::new;
    // Empty content is never decompressed: it is the empty message, whatever it says.
    let encoding = encoding.filter(|_| !message.is_empty());
    let (message, encoding) = match codec {
        Codec::Proto => (message, encoding),
        Codec::Json => match json_request(shared, method.as_ref(), &message, encoding) {
            Ok(proto) => (proto, None),
            Err(error) => return error_response(&error, no_metadata()),
        },
    };
    let parts = match grpc_parts(parts, encoding, None) {
        Ok(parts) => parts,
        Err(error) => return error_response(&error, no_metadata()),
    };
    let flags = if encoding.is_some() { COMPRESSED } else { 0 };
    let frame = match prefix(flags, message.len()) {
        Ok(head) => {
            let mut frame = BytesMut::with_capacity(head.len() + message.len());
            frame.extend_from_slice(&head);
            frame.extend_from_slice(&message);
            frame.freeze()
        }
        Err(err) => return error_response(&over_limit(&err.0, usize::MAX), no_metadata()),
    };
    let request = Request::from_parts(parts, Body::new(Full::new(frame)));
    let Ok(response) = inner.oneshot(request).await;
    let (parts, body) = response.into_parts();
    let mut headers = parts.headers;
    let reply_encoding = headers.get(GRPC_ENCODING).cloned();
    let trailers_only = headers.contains_key(GRPC_STATUS);
    // The reply's, if it succeeds; an error's JSON replaces it.
    let content_type = ContentType {
        codec,
        streaming: false,
    }
    .header_value();
    let (data, mut trailers) = if trailers_only {
        // Trailers-only: the status came in the headers, with the metadata, and no message.
        let trailers = headers.clone();
        keep_metadata_as(&mut headers, content_type);
        (Bytes::new(), trailers)
    } else {
        keep_metadata_as(&mut headers, content_type);
        match read_reply(Body::new(body)).await {
            Ok(reply) => reply,
            Err(status) => {
                let error = ConnectError::from_status(&status);
                return error_response(&error, headers);
            }
        }
    };
    let outcome = outcome(&trailers);
    keep_metadata(&mut trailers);
    if !trailers_only {
        add_prefixed_trailers(&trailers, &mut headers);
    }
    if let Err(error) = outcome {
        return error_response(&error, headers);
    }
    let reply = match reply_message(method.as_ref(), codec, data, reply_encoding.as_ref()) {
        Ok(reply) => reply,
        Err(error) => return error_response(&error, headers),
    };

    let body = match accept {
        Some(accept) if reply.len() >= COMPRESS_FROM => {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(accept.name()),
            );
            Bytes::from(accept.compress(&reply))
        }
        _ => reply,
    };
    let mut response = Response::new(ConnectBody::connect(Body::new(Full::new(body))));
    *response.headers_mut() = headers;
    response
}

/// The whole body of a request, or `None` when it is over `limit` bytes. One chunk (a small
/// request) is kept as it is.
async fn read_request(mut body: Body, limit: usize) -> Result<Option<Bytes>, Status> {
    let mut data = Bytes::new();
    let mut more: Option<BytesMut> = None;
    while let Some(frame) = body.frame().await {
        let Ok(chunk) = frame?.into_data() else {
            continue;
        };
        let held = more.as_ref().map_or(data.len(), BytesMut::len);
        if held + chunk.len() > limit {
            return Ok(None);
        }
        if data.is_empty() && more.is_none() {
            data = chunk;
        } else {
            more.get_or_insert_with(|| BytesMut::from(&data[..]))
                .extend_from_slice(&chunk);
        }
    }
    Ok(Some(more.map_or(data, BytesMut::freeze)))
}

/// The data and the trailers of a reply. One chunk of data (a small reply) is kept as it is.
async fn read_reply(mut body: Body) -> Result<(Bytes, HeaderMap), Status> {
    let mut data = Bytes::new();
    let mut more: Option<BytesMut> = None;
    let mut trailers = HeaderMap::new();
    while let Some(frame) = body.frame().await {
        let frame = match frame?.into_data() {
            Ok(chunk) if data.is_empty() && more.is_none() => {
                data = chunk;
                continue;
            }
            Ok(chunk) => {
                more.get_or_insert_with(|| BytesMut::from(&data[..]))
                    .extend_from_slice(&chunk);
                continue;
            }
            Err(frame) => frame,
        };
        if let Ok(last) = frame.into_trailers() {
            trailers = last;
        }
    }
    Ok((more.map_or(data, BytesMut::freeze), trailers))
}

/// The proto of a JSON request, decompressed first if it is compressed.
fn json_request(
    shared: &Shared,
    method: Option<&MethodDescriptor>,
    message: &Bytes,
    encoding: Option<Encoding>,
) -> Result<Bytes, ConnectError> {
    let method = method.ok_or_else(unknown_for_json)?;
    let json = match encoding {
        Some(encoding) => encoding
            .decompress(message, shared.max_request_size)
            .map_err(|err| ConnectError::new(Code::InvalidArgument, err.0))?
            .into(),
        None => message.clone(),
    };
    json_to_proto(&method.input(), &json)
        .map(Bytes::from)
        .map_err(|err| ConnectError::new(Code::InvalidArgument, err.0))
}

/// The one message of a gRPC reply's `data`, in `codec`.
fn reply_message(
    method: Option<&MethodDescriptor>,
    codec: Codec,
    data: Bytes,
    encoding: Option<&HeaderValue>,
) -> Result<Bytes, ConnectError> {
    let internal = |words: String| ConnectError::new(Code::Internal, words);
    let envelope = envelope::first(&data)
        .map_err(|err| internal(err.0))?
        .ok_or_else(|| internal("the reply has no message".to_owned()))?;
    let message = if envelope.is_compressed() {
        let encoding = Encoding::from_name(encoding.map_or(&b""[..], HeaderValue::as_bytes))
            .map_err(|err| internal(err.0))?
            .ok_or_else(|| internal("a compressed reply names no compression".to_owned()))?;
        Bytes::from(
            encoding
                .decompress(&envelope.message, usize::MAX)
                .map_err(|err| internal(err.0))?,
        )
    } else {
        envelope.message
    };
    match codec {
        Codec::Proto => Ok(message),
        Codec::Json => {
            let method = method.ok_or_else(unknown_for_json)?;
            proto_to_json(&method.output(), &message)
                .map(Bytes::from)
                .map_err(|err| internal(err.0))
        }
    }
}

/// A unary error: the HTTP status of its code, and its JSON.
pub(super) fn error_response<B>(
    error: &ConnectError,
    mut headers: HeaderMap,
) -> Response<ConnectBody<B>> {
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let body = Body::new(Full::new(Bytes::from(error.to_json())));
    let mut response = Response::new(ConnectBody::connect(body));
    *response.status_mut() = http_status(error.code);
    *response.headers_mut() = headers;
    response
}

/// The refusal of a request over `--max-request-size`, in the words of a gRPC one.
fn over_limit(found: &str, limit: usize) -> ConnectError {
    ConnectError::new(
        Code::ResourceExhausted,
        format!(
            "request message of {found} bytes is over this server's limit of {limit} \
             (--max-request-size)"
        ),
    )
}

fn unimplemented(words: String) -> ConnectError {
    ConnectError::new(Code::Unimplemented, words)
}

/// JSON needs the method's messages, which only the served descriptors know.
fn unknown_for_json() -> ConnectError {
    ConnectError::new(
        Code::Unimplemented,
        "this method is not known to the server's descriptors: call it in proto",
    )
}

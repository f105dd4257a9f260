//! A unary call in Connect: the request's one frame becomes a bare message (POST) or a query
//! (GET), and the reply, a bare message or an error's JSON, becomes a gRPC frame and trailers.

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Method, Response, StatusCode, header};
use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use prost_reflect::MethodDescriptor;
use tonic::{Status, body::Body};
use tower::{Service, ServiceExt as _};

use super::{
    BoxError, ConnectOptions, HttpStatus,
    bodies::{Queued, framed},
    connect_headers, http_error, json_descriptor, not_connect, ok_trailers, split_unary,
    trailers_only,
};
use crate::connect::{
    Codec, ContentType, Encoding, compression, envelope,
    get::GetQuery,
    metadata::keep_metadata,
    transcode::{json_to_proto, proto_to_json},
};
use crate::exit::UsageError;

/// The longest query a GET is sent with: what most servers and proxies take in a URL.
pub const GET_LIMIT: usize = 8 * 1024;

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
    let data = body.collect().await?.to_bytes();
    let envelope = envelope::first(&data)
        .map_err(|err| Status::internal(err.0))?
        .ok_or_else(|| Status::internal("a unary call has no request message"))?;
    let (encoding, accept) = connect_headers(&mut parts.headers);
    let encoding = match (envelope.is_compressed(), encoding) {
        (true, Some(name)) => {
            Encoding::from_name(name.as_bytes()).map_err(|err| Status::internal(err.0))?
        }
        _ => None,
    };
    let codec = options.codec;
    let mut message = envelope.message;
    if codec == Codec::Json {
        let descriptor = json_descriptor(descriptor.as_ref())?;
        let proto = match encoding {
            Some(encoding) => (encoding.decompress(&message, usize::MAX))
                .map_err(|err| Status::internal(err.0))?
                .into(),
            None => message,
        };
        let json =
            proto_to_json(&descriptor.input(), &proto).map_err(|err| Status::internal(err.0))?;
        message = match encoding {
            Some(encoding) => encoding.compress(&json).into(),
            None => json.into(),
        };
    }

    let names = compression::headers(false);
    let headers = &mut parts.headers;
    if let Some(accept) = accept {
        headers.insert(names.accept, accept);
    }
    let body = if options.get {
        let query = GetQuery {
            message: message.to_vec(),
            codec,
            compression: encoding,
        }
        .to_query();
        if query.len() > GET_LIMIT {
            // Nothing was sent: a usage error (exit 2), as a check before the call would be.
            return Err(Box::new(UsageError(format!(
                "--get: the request is {} bytes in the URL, over the {} KiB that servers take; \
                 send it without --get",
                query.len(),
                GET_LIMIT / 1024
            ))));
        }
        let path = parts.uri.path();
        let mut uri = http::uri::Parts::from(parts.uri.clone());
        uri.path_and_query = Some(format!("{path}?{query}").parse()?);
        parts.uri = http::Uri::from_parts(uri)?;
        parts.method = Method::GET;
        // The query says it all: a GET carries no Connect headers.
        parts.headers.remove(crate::connect::PROTOCOL_VERSION);
        Body::empty()
    } else {
        let content_type = ContentType {
            codec,
            streaming: false,
        };
        headers.insert(header::CONTENT_TYPE, content_type.header_value());
        if let Some(encoding) = encoding {
            headers.insert(names.content, HeaderValue::from_static(encoding.name()));
        }
        Body::new(Full::new(message))
    };

    let response = inner
        .oneshot(http::Request::from_parts(parts, body))
        .await
        .map_err(Into::into)?;
    let (mut parts, body) = response.into_parts();
    let http = parts.status;
    let limit = options.max_message_size;
    let body = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => {
            let status = over_limit(limit);
            return Ok(trailers_only(&status, parts.headers, http));
        }
        Err(err) => return Err(err),
    };
    let body = match decompressed(&parts.headers, body, limit) {
        Ok(body) => body,
        Err(status) => return Ok(trailers_only(&status, parts.headers, http)),
    };
    let trailers = split_unary(&mut parts.headers);
    if http != StatusCode::OK {
        let status = http_error(http, &parts.headers, &body);
        let mut metadata = parts.headers;
        metadata.extend(trailers);
        return Ok(trailers_only(&status, metadata, http));
    }
    let expected = ContentType {
        codec,
        streaming: false,
    };
    let content_type =
        (parts.headers.get(header::CONTENT_TYPE)).and_then(|v| ContentType::parse(v.as_bytes()));
    if content_type != Some(expected) {
        let status = not_connect(&parts.headers, expected.header_value().to_str()?);
        return Ok(trailers_only(&status, parts.headers, http));
    }
    let message = match codec {
        Codec::Proto => body,
        Codec::Json => {
            let descriptor = json_descriptor(descriptor.as_ref())?;
            match json_to_proto(&descriptor.output(), &body) {
                Ok(proto) => Bytes::from(proto),
                Err(err) => {
                    let status = Status::internal(err.0);
                    return Ok(trailers_only(&status, parts.headers, http));
                }
            }
        }
    };
    let frame = framed(0, &message)?;
    let mut headers = parts.headers;
    keep_metadata(&mut headers);
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/grpc"),
    );
    let body = Queued::message_and_trailers(frame, ok_trailers(trailers));
    let mut response = Response::new(Body::new(body));
    *response.headers_mut() = headers;
    response.extensions_mut().insert(HttpStatus(http));
    Ok(response)
}

/// A reply body, decompressed as its `content-encoding` says (an empty body never is).
fn decompressed(headers: &http::HeaderMap, body: Bytes, limit: usize) -> Result<Bytes, Status> {
    let name = headers
        .get(header::CONTENT_ENCODING)
        .map(HeaderValue::as_bytes);
    let encoding = Encoding::from_name(name.unwrap_or_default())
        .map_err(|err| Status::internal(format!("the reply: {}", err.0)))?;
    match encoding {
        Some(encoding) if !body.is_empty() => encoding
            .decompress(&body, limit)
            .map(Bytes::from)
            .map_err(|err| Status::resource_exhausted(format!("the reply: {}", err.0))),
        _ => Ok(body),
    }
}

fn over_limit(limit: usize) -> Status {
    Status::resource_exhausted(format!(
        "the reply is over the limit of {limit} bytes (--max-message-size)"
    ))
}

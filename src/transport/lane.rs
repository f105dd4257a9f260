//! The fast way down the seam for a load: unary calls over plaintext HTTP/2 (TCP or a Unix
//! socket), made with the h2 crate directly.
//!
//! A tonic call passes through a buffer task, a body task per request and the codec layers;
//! under load that cost twice as much CPU per call as the whole of h2load, so the generator
//! became the bottleneck it must never be. Here a call is one HTTP/2 request whose headers are
//! built once per run and whose body is the request frame encoded before the run: the per-call
//! work is h2's own. Everything else (TLS, compression, streams) goes through tonic.

use std::{future::Future, io, pin::Pin, time::Duration};

use bytes::{Buf as _, Bytes};
use h2::client::SendRequest;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri, header};
use tokio::net::{TcpStream, UnixStream};
use tonic::{Code, Status, metadata::MetadataMap};

use crate::{
    connect::timeout::format_grpc,
    exit::io_words,
    settings::{ClientSettings, Route, Target},
};

/// HTTP/2 windows large enough that flow control never holds a reply back.
const STREAM_WINDOW: u32 = 1 << 20;
const CONNECTION_WINDOW: u32 = 16 << 20;

/// What every call sends, built once: the request line and headers.
pub struct Head {
    uri: Uri,
    headers: HeaderMap,
    /// `--max-message-size`: a longer reply fails the call, as it does through tonic.
    max_message_size: usize,
}

impl Head {
    /// `authority`: the `:authority` to send (`--authority`, or the address's).
    pub fn new(
        authority: &str,
        path: &str,
        metadata: &MetadataMap,
        timeout: Option<Duration>,
        max_message_size: usize,
    ) -> Result<Head, String> {
        let uri = Uri::builder()
            .scheme("http")
            .authority(authority)
            .path_and_query(path)
            .build()
            .map_err(|err| format!("'{authority}{path}' cannot be a request URI: {err}"))?;
        let mut headers = metadata.clone().into_headers();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/grpc"),
        );
        headers.insert(header::TE, HeaderValue::from_static("trailers"));
        headers.insert(
            header::USER_AGENT,
            HeaderValue::from_static(concat!("apicli/", env!("CARGO_PKG_VERSION"))),
        );
        if let Some(timeout) = timeout {
            headers.insert("grpc-timeout", format_grpc(timeout));
        }
        Ok(Head {
            uri,
            headers,
            max_message_size,
        })
    }

    /// The request, with `extra` headers after the run's own.
    fn request(&self, extra: &[(HeaderName, HeaderValue)]) -> Request<()> {
        let mut request = Request::new(());
        *request.method_mut() = Method::POST;
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = self.headers.clone();
        for (name, value) in extra {
            request.headers_mut().append(name.clone(), value.clone());
        }
        request
    }
}

/// The request heads of the fast way, one per target, when a load's calls may take it: unary,
/// gRPC, uncompressed, in plaintext, with no proxy to any target. `None` otherwise: the calls go
/// through a [`Channel`](super::Channel).
pub fn heads_for_load(
    settings: &ClientSettings,
    targets: &[&Target],
    unary: bool,
    path: &str,
    metadata: &MetadataMap,
) -> Result<Option<Vec<Head>>, String> {
    let plaintext = targets.iter().all(|target| !target.is_tls());
    let direct =
        (targets.iter()).all(|target| matches!(settings.route_to(target), Route::Direct(_)));
    // The lane speaks gRPC alone.
    let grpc = settings.protocol == crate::settings::Protocol::Grpc;
    if !grpc || !unary || settings.compress.is_some() || !plaintext || !direct {
        return Ok(None);
    }
    let heads = targets.iter().map(|target| {
        let authority = match (&settings.authority, target) {
            (Some(authority), _) => authority.clone(),
            (None, Target::Tcp { uri, .. }) => {
                uri.authority().map(|a| a.to_string()).unwrap_or_default()
            }
            (None, Target::Unix(_)) => "localhost".to_owned(),
        };
        Head::new(
            &authority,
            path,
            metadata,
            settings.timeout,
            settings.max_message_size,
        )
    });
    heads.collect::<Result<_, _>>().map(Some)
}

/// The gRPC frame of a message: a flag byte (not compressed), its length, the message.
pub fn frame(message: &[u8]) -> Bytes {
    let mut framed = Vec::with_capacity(5 + message.len());
    framed.push(0);
    framed.extend_from_slice(&(message.len() as u32).to_be_bytes());
    framed.extend_from_slice(message);
    Bytes::from(framed)
}

/// A connection's I/O: it must be polled for its calls to make progress.
pub type Driver = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Connects to `target` within `timeout`: the sender of the calls, and the driver of the
/// connection's I/O, for the caller to poll (in the task of the calls on it, so that answers
/// and the next requests take no trip through the scheduler) or to spawn.
pub async fn handshake(
    target: &Target,
    timeout: Duration,
) -> io::Result<(SendRequest<Bytes>, Driver)> {
    let connecting = async {
        match target {
            Target::Tcp { uri, .. } => {
                let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
                let host = authority.trim_start_matches('[');
                let (host, port) = match host.rsplit_once(':') {
                    Some((host, port)) => (host.trim_end_matches(']'), port),
                    None => (host, "80"),
                };
                let port: u16 = port
                    .parse()
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a bad port"))?;
                let tcp = TcpStream::connect((host, port)).await?;
                tcp.set_nodelay(true)?;
                start(tcp).await
            }
            Target::Unix(path) => start(UnixStream::connect(path).await?).await,
        }
    };
    match tokio::time::timeout(timeout, connecting).await {
        Ok(connected) => connected,
        Err(_) => Err(io::ErrorKind::TimedOut.into()),
    }
}

async fn start<T>(io: T) -> io::Result<(SendRequest<Bytes>, Driver)>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (send, connection) = h2::client::Builder::new()
        .initial_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW)
        .handshake(io)
        .await
        .map_err(h2_io)?;
    let driver: Driver = Box::pin(async move {
        let _ = connection.await;
    });
    Ok((send, driver))
}

fn h2_io(err: h2::Error) -> io::Error {
    match err.into_io() {
        Some(io) => io,
        None => io::Error::other("the HTTP/2 handshake failed"),
    }
}

/// How a call failed: with a status; because its connection broke while it was under way; or
/// because the connection had broken before it could be sent. With why.
pub enum Failed {
    Status(Status),
    Connection(String),
    NotSent(String),
}

/// Makes one unary call: `frame` is the request, framed; `extra`, headers of this call alone.
pub async fn unary(
    send: &mut SendRequest<Bytes>,
    head: &Head,
    extra: &[(HeaderName, HeaderValue)],
    frame: Bytes,
) -> Result<(), Failed> {
    let not_sent = |err: h2::Error| Failed::NotSent(connection_reason(&err));
    std::future::poll_fn(|cx| send.poll_ready(cx))
        .await
        .map_err(not_sent)?;
    let (response, mut body) = send
        .send_request(head.request(extra), false)
        .map_err(not_sent)?;
    let broken = |err: h2::Error| Failed::Connection(connection_reason(&err));
    body.send_data(frame, true).map_err(broken)?;
    let response = response.await.map_err(stream_failed)?;
    let (parts, mut reply) = response.into_parts();
    if parts.status != http::StatusCode::OK {
        return Err(Failed::Status(Status::new(
            http_code(parts.status),
            format!("the server answered HTTP {}", parts.status),
        )));
    }
    // A trailers-only reply carries the status in its headers.
    if let Some(status) = grpc_status(&parts.headers) {
        return status.map_err(Failed::Status);
    }
    let mut first = true;
    while let Some(data) = reply.data().await {
        let data = data.map_err(stream_failed)?;
        let _ = reply.flow_control().release_capacity(data.len());
        // The reply's one message declares its length up front.
        if std::mem::take(&mut first) && data.len() >= 5 {
            let declared = (&data[1..5]).get_u32() as usize;
            if declared > head.max_message_size {
                return Err(Failed::Status(Status::resource_exhausted(format!(
                    "the response message is {declared} bytes, over the {} limit \
                     (--max-message-size)",
                    head.max_message_size
                ))));
            }
        }
    }
    let trailers = reply.trailers().await.map_err(stream_failed)?;
    match trailers.as_ref().and_then(grpc_status) {
        Some(status) => status.map_err(Failed::Status),
        None => Err(Failed::Status(Status::internal(
            "the reply ended without a grpc-status",
        ))),
    }
}

/// The status in `grpc-status` / `grpc-message`, if there is one: `Ok` for 0.
fn grpc_status(headers: &HeaderMap) -> Option<Result<(), Status>> {
    let code = headers
        .get("grpc-status")?
        .to_str()
        .ok()?
        .parse::<i32>()
        .ok()?;
    if code == 0 {
        return Some(Ok(()));
    }
    let message = headers
        .get("grpc-message")
        .and_then(|m| m.to_str().ok())
        .map(|m| {
            percent_encoding::percent_decode_str(m)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    Some(Err(Status::new(Code::from_i32(code), message)))
}

/// The status gRPC gives an HTTP status that is not 200.
fn http_code(status: http::StatusCode) -> Code {
    match status.as_u16() {
        400 => Code::Internal,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 => Code::Unimplemented,
        429 | 502..=504 => Code::Unavailable,
        _ => Code::Unknown,
    }
}

/// A stream that failed: reset by the server (a status of its own), or its connection broke.
fn stream_failed(err: h2::Error) -> Failed {
    match err.reason() {
        Some(h2::Reason::REFUSED_STREAM) => Failed::Status(Status::unavailable(
            "the server refused the stream (REFUSED_STREAM)",
        )),
        Some(h2::Reason::CANCEL) => Failed::Status(Status::cancelled("the stream was cancelled")),
        Some(reason) if err.is_reset() => Failed::Status(Status::internal(format!(
            "the server reset the stream: {reason}"
        ))),
        _ => Failed::Connection(connection_reason(&err)),
    }
}

fn connection_reason(err: &h2::Error) -> String {
    match err.get_io() {
        Some(io) => io_words(io),
        None => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_carry_the_length() {
        assert_eq!(&frame(b"\x0a\x01x")[..], b"\x00\x00\x00\x00\x03\x0a\x01x");
        assert_eq!(&frame(b"")[..], b"\x00\x00\x00\x00\x00");
    }

    #[test]
    fn statuses_come_from_trailers() {
        let mut headers = HeaderMap::new();
        assert!(grpc_status(&headers).is_none());
        headers.insert("grpc-status", HeaderValue::from_static("0"));
        assert!(matches!(grpc_status(&headers), Some(Ok(()))));
        headers.insert("grpc-status", HeaderValue::from_static("16"));
        headers.insert("grpc-message", HeaderValue::from_static("no%20token"));
        let status = grpc_status(&headers).unwrap().unwrap_err();
        assert_eq!(status.code(), Code::Unauthenticated);
        assert_eq!(status.message(), "no token");
    }
}

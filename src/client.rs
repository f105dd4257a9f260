//! Talking to the server: the channel (TCP, TLS or a unix socket, maybe through a proxy), and the
//! metadata and deadline that go on every call. Failures become errors that say what the user
//! can do about them.

use std::{error::Error as _, io, sync::Arc, time::Duration};

use anyhow::anyhow;
use hyper_util::client::legacy::connect::HttpConnector;
use tonic::{
    Request, Status,
    codec::CompressionEncoding,
    metadata::MetadataMap,
    transport::{Certificate, ClientTlsConfig, Endpoint, Identity},
};

use crate::{
    exit::{StatusError, Tally, UsageError},
    proxy::{self, ProxyError},
    settings::{
        ClientSettings, ClientTls, Compression, HttpVersion, Protocol, Route, Target, io_words,
    },
    tls,
    transport::{
        Channel,
        connect::ConnectOptions,
        http::{Http1, HttpClient},
    },
};

mod dial;
mod first_bytes;

pub use first_bytes::{FirstBytes, Heard};

/// A connection, and what the server said first on it (see `first_bytes.rs`).
pub struct Connection {
    pub channel: Channel,
    pub heard: Heard,
}

/// Connects within `--connect-timeout`, which covers the proxy's part too.
pub async fn connect(settings: &ClientSettings) -> anyhow::Result<Connection> {
    let heard = Heard::default();
    let channel = open(settings, &settings.target, &heard).await?;
    Ok(Connection { channel, heard })
}

/// Connects to `target` (one of `bench`'s addresses) with the settings' TLS and options, within
/// `--connect-timeout`. A proxy is used as the route to that address says.
pub async fn connect_to(settings: &ClientSettings, target: &Target) -> anyhow::Result<Channel> {
    open(settings, target, &Heard::default()).await
}

async fn open(
    settings: &ClientSettings,
    target: &Target,
    heard: &Heard,
) -> anyhow::Result<Channel> {
    let route = settings.route_to(target);
    if settings.verbose {
        eprintln!("apicli: {route}");
    }
    if settings.protocol == Protocol::Grpc {
        let channel = open_h2(settings, target, heard).await?;
        if settings.verbose {
            let how = if target.is_tls() {
                "h2 over TLS"
            } else {
                "h2c"
            };
            eprintln!("apicli: grpc over HTTP/2: gRPC needs HTTP/2 ({how})");
        }
        return Ok(Channel::grpc(channel));
    }
    let (http, why) = base(settings, target, heard).await?;
    let version = http.version().name();
    if settings.verbose {
        eprintln!("apicli: {} over {version}: {why}", settings.protocol);
    }
    let connect = ConnectOptions {
        codec: settings.codec,
        get: settings.get,
        max_message_size: settings.max_message_size,
        pool: None,
    };
    Channel::over(http, settings.protocol, connect).ok_or_else(|| {
        anyhow!(
            "--protocol {} is not available over {version}",
            settings.protocol
        )
    })
}

/// The base HTTP client for a protocol other than gRPC, and why it speaks its version, as
/// `--http` says: ALPN decides for https://; for http://, HTTP/2 (h2c) unless the server answers
/// its preface in HTTP/1.x.
async fn base(
    settings: &ClientSettings,
    target: &Target,
    heard: &Heard,
) -> anyhow::Result<(HttpClient, &'static str)> {
    let h1 = |first, why| -> anyhow::Result<(HttpClient, &'static str)> {
        // What an HTTP/2 attempt heard says nothing of the HTTP/1.1 connections.
        heard.reset();
        let dialer = dial::dialer(settings, target, &[dial::HTTP1], first)?;
        let origin = match target {
            Target::Tcp { uri, .. } => uri.clone(),
            Target::Unix(_) => http::Uri::from_static("http://localhost"),
        };
        let origin = match &settings.authority {
            Some(authority) => {
                let scheme = if target.is_tls() { "https" } else { "http" };
                format!("{scheme}://{authority}").parse()?
            }
            None => origin,
        };
        Ok((HttpClient::H1(Arc::new(Http1::new(dialer, &origin))), why))
    };
    match settings.http {
        HttpVersion::Http1 => return h1(None, "--http 1.1"),
        HttpVersion::Http2 => {
            let channel = open_h2(settings, target, heard).await?;
            return Ok((HttpClient::H2(channel), "--http 2"));
        }
        HttpVersion::Auto => {}
    }
    if target.is_tls() {
        // One handshake offers both versions; its connection is the first of the client of the
        // version it chose.
        let negotiating = dial::negotiate(settings, target);
        let (h2, first) = match tokio::time::timeout(settings.connect_timeout, negotiating).await {
            Ok(Ok(negotiated)) => negotiated,
            Ok(Err(err)) => return Err(err),
            Err(_) => return Err(timed_out(settings, target)),
        };
        if !h2 {
            return h1(
                Some(first),
                "the server chose HTTP/1.1 in the TLS handshake (ALPN)",
            );
        }
        let dialer = dial::dialer(settings, target, &[dial::H2], Some(first))?;
        let channel = match plain_endpoint(settings, target)?
            .connect_with_connector(dialer)
            .await
        {
            Ok(channel) => channel,
            Err(err) => return Err(connect_error(settings, target, &err)),
        };
        return Ok((
            HttpClient::H2(channel),
            "the server chose h2 in the TLS handshake (ALPN)",
        ));
    }
    if let Target::Unix(_) = target {
        let channel = open_h2(settings, target, heard).await?;
        return Ok((
            HttpClient::H2(channel),
            "h2c on a unix socket (--http 1.1 for an HTTP/1.1 server)",
        ));
    }
    let channel = open_h2(settings, target, heard).await?;
    match dial::first_bytes(heard, settings.connect_timeout).await {
        FirstBytes::Http1(_) | FirstBytes::Text => h1(
            None,
            "the server answered HTTP/2's preface in HTTP/1.x, so HTTP/1.1 it is",
        ),
        FirstBytes::Unknown => h1(
            None,
            "the server said nothing to HTTP/2's preface, so HTTP/1.1 it is",
        ),
        FirstBytes::Http2 | FirstBytes::Other => Ok((
            HttpClient::H2(channel),
            "the server answered HTTP/2's preface (h2c)",
        )),
    }
}

/// An HTTP/2 connection through tonic (h2c, or h2 over TLS), within `--connect-timeout`.
async fn open_h2(
    settings: &ClientSettings,
    target: &Target,
    heard: &Heard,
) -> anyhow::Result<tonic::transport::Channel> {
    let endpoint = endpoint(settings, target)?;
    let route = settings.route_to(target);
    let connecting = async {
        match (route, target) {
            (Route::Proxy { proxy, .. }, _) => {
                let tunnel = proxy::Connector::new(proxy, &target.display());
                endpoint
                    .connect_timeout(settings.connect_timeout)
                    .connect_with_connector(first_bytes::Watching::new(tunnel, heard))
                    .await
            }
            (Route::Direct(_), Target::Tcp { .. }) => {
                // tonic's own connector, as `Endpoint::connect` sets it up; the time limit is
                // the connector's, so that tonic adds no layer of its own to every read.
                let mut tcp = HttpConnector::new();
                tcp.enforce_http(false);
                tcp.set_nodelay(true);
                tcp.set_connect_timeout(Some(settings.connect_timeout));
                endpoint
                    .connect_with_connector(first_bytes::Watching::new(tcp, heard))
                    .await
            }
            (Route::Direct(_), Target::Unix(_)) => {
                endpoint
                    .connect_timeout(settings.connect_timeout)
                    .connect()
                    .await
            }
        }
    };
    match tokio::time::timeout(settings.connect_timeout, connecting).await {
        Ok(Ok(channel)) => Ok(channel),
        Ok(Err(err)) => Err(connect_error(settings, target, &err)),
        Err(_) => Err(timed_out(settings, target)),
    }
}

/// An endpoint for connections whose TLS is done already (by the connector): tonic sees an
/// http:// address, and the requests still say https.
fn plain_endpoint(settings: &ClientSettings, target: &Target) -> anyhow::Result<Endpoint> {
    let Target::Tcp { uri, .. } = target else {
        return endpoint(settings, target);
    };
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    let mut endpoint = Endpoint::from_shared(format!("http://{authority}"))?.tcp_nodelay(true);
    if let Some(interval) = settings.keepalive {
        endpoint = endpoint
            .http2_keep_alive_interval(interval)
            .keep_alive_while_idle(true);
    }
    let shown = settings.authority.as_deref().unwrap_or(authority);
    Ok(endpoint.origin(format!("https://{shown}").parse()?))
}

fn endpoint(settings: &ClientSettings, target: &Target) -> anyhow::Result<Endpoint> {
    let endpoint = match target {
        Target::Tcp { uri, .. } => Endpoint::from(uri.clone()),
        Target::Unix(path) => Endpoint::from_shared(format!("unix:{}", path.display()))?,
    };
    let mut endpoint = endpoint.tcp_nodelay(true);
    if let Some(interval) = settings.keepalive {
        endpoint = endpoint
            .http2_keep_alive_interval(interval)
            .keep_alive_while_idle(true);
    }
    if let Some(authority) = &settings.authority {
        let scheme = if target.is_tls() { "https" } else { "http" };
        endpoint = endpoint.origin(format!("{scheme}://{authority}").parse()?);
    }
    match &settings.tls {
        Some(config) => with_tls(endpoint, config, settings.authority.as_deref()),
        None => Ok(endpoint),
    }
}

fn with_tls(
    endpoint: Endpoint,
    config: &ClientTls,
    authority: Option<&str>,
) -> anyhow::Result<Endpoint> {
    let mut tls = ClientTlsConfig::new();
    if let Some(authority) = authority {
        let host = authority.parse::<http::uri::Authority>()?.host().to_owned();
        tls = tls.domain_name(host.trim_start_matches('[').trim_end_matches(']'));
    }
    if let Some((cert, key)) = &config.identity {
        tls = tls.identity(Identity::from_pem(cert, key));
    }
    if config.insecure {
        eprintln!("apicli: warning: --insecure: the server's certificate is not verified");
        return Ok(endpoint.tls_config_with_verifier(tls, Arc::new(tls::NoVerifier::new()))?);
    }
    if tls::system_roots_exist() {
        tls = tls.with_native_roots();
    } else if config.ca_cert.is_none() {
        return Err(UsageError(
            "this machine has no CA certificates to trust; give the server's CA with --ca-cert"
                .into(),
        )
        .into());
    }
    if let Some(ca) = &config.ca_cert {
        tls = tls.ca_certificate(Certificate::from_pem(ca));
    }
    Ok(endpoint.tls_config(tls)?)
}

/// A call's request, carrying the user's metadata for calls (`-H`, `--rpc-header`) and the time
/// left before the deadline, which is sent as `grpc-timeout`.
pub fn request<T>(
    settings: &ClientSettings,
    message: T,
    time_left: Option<Duration>,
) -> Request<T> {
    let mut request = Request::new(message);
    for header in settings.metadata.iter().chain(&settings.rpc_metadata) {
        header.append_to(request.metadata_mut());
    }
    if let Some(time_left) = time_left {
        request.set_timeout(time_left);
    }
    request
}

/// The metadata of reflection requests: `-H` and `--reflect-header`.
pub fn reflection_metadata(settings: &ClientSettings) -> MetadataMap {
    let mut metadata = MetadataMap::new();
    for header in settings.metadata.iter().chain(&settings.reflect_metadata) {
        header.append_to(&mut metadata);
    }
    metadata
}

/// The encoding `--compress` asks for.
pub fn compression(settings: &ClientSettings) -> Option<CompressionEncoding> {
    settings.compress.map(|c| match c {
        Compression::Gzip => CompressionEncoding::Gzip,
        Compression::Zstd => CompressionEncoding::Zstd,
    })
}

/// Where a call stood when it failed, for the words of its error.
#[derive(Debug, Clone, Copy)]
pub struct Stage {
    /// The response headers had arrived: the server had answered, and a status now came while
    /// reading the response's messages or trailers.
    pub after_headers: bool,
    /// What the server said first on the connection.
    pub heard: FirstBytes,
}

/// Turns a failed call into the error the user sees. A status the server sent maps to exit
/// 64 + code; a broken connection (which tonic also reports as a status) is exit 1.
/// `progress` says what was sent and what arrived. Details of types beyond google.rpc's decode
/// through `pool`, the call's descriptors, when it has them.
pub fn call_error(
    status: &Status,
    settings: &ClientSettings,
    tally: &Tally,
    stage: Stage,
    pool: Option<&prost_reflect::DescriptorPool>,
) -> anyhow::Error {
    // A transport's own check that refused the call before sending it (a Connect GET too long
    // for a URL): exit 2, as a check in settings would be.
    let mut source = std::error::Error::source(status);
    while let Some(err) = source {
        if let Some(usage) = err.downcast_ref::<UsageError>() {
            return UsageError(usage.0.clone()).into();
        }
        source = err.source();
    }
    let progress = tally.to_string();
    let progress = if progress.is_empty() {
        String::new()
    } else {
        format!(" ({progress})")
    };
    if let Some(reason) = transport_failure(status, settings, stage) {
        return anyhow!("{reason}{progress}");
    }
    let mut error = status_error(status, settings, pool, stage, !progress.is_empty());
    error.message.push_str(&progress);
    error.tally = *tally;
    error.into()
}

fn status_error(
    status: &Status,
    settings: &ClientSettings,
    pool: Option<&prost_reflect::DescriptorPool>,
    stage: Stage,
    streaming: bool,
) -> StatusError {
    if let Some(found) = oversized_response(status, settings.max_message_size, stage) {
        return StatusError::new(
            tonic::Code::ResourceExhausted,
            format!(
                "the response message is {}, over the {} limit; raise it with \
                 --max-message-size (e.g. --max-message-size 64MiB){}",
                bytesize::ByteSize::b(found),
                bytesize::ByteSize::b(settings.max_message_size as u64),
                // A stream's messages are small already; one big reply can become a stream.
                if streaming {
                    ""
                } else {
                    " or use 'apicli stream'"
                }
            ),
        );
    }
    let message = match status.message() {
        "" => "the server sent no message".to_owned(),
        message => message.to_owned(),
    };
    StatusError {
        code: status.code(),
        message,
        details: crate::details::decode(status, pool),
        trailers: trailers(status.metadata()),
        tally: Tally::default(),
    }
}

/// The metadata a status came with, for `--error-format json`: a `-bin` value in base64 as on
/// the wire, credentials redacted, and without what HTTP and the transports put there.
fn trailers(metadata: &MetadataMap) -> Vec<(String, String)> {
    use tonic::metadata::KeyAndValueRef;
    let mut metadata = metadata.clone();
    crate::transport::HttpStatus::take(&mut metadata);
    (metadata.iter())
        .filter_map(|entry| {
            let (name, value) = match entry {
                KeyAndValueRef::Ascii(key, value) => (
                    key.as_str(),
                    String::from_utf8_lossy(value.as_encoded_bytes()),
                ),
                KeyAndValueRef::Binary(key, value) => (
                    key.as_str(),
                    String::from_utf8_lossy(value.as_encoded_bytes()),
                ),
            };
            if name == "content-type" {
                return None;
            }
            let value = if crate::headers::is_secret(name) {
                "[redacted]".to_owned()
            } else {
                value.into_owned()
            };
            Some((name.to_owned(), value))
        })
        .collect()
}

/// Why the call failed, when a status came from the transport rather than the server. A
/// connection on which the server had spoken HTTP/2 (or answered) is never said to have failed
/// to connect: it broke, or the server closed it.
pub fn transport_failure(
    status: &Status,
    settings: &ClientSettings,
    stage: Stage,
) -> Option<String> {
    let source = status.source()?;
    let addr = settings.target.display();
    // An HTTP/1.1 client connects when a call needs it: its failure to is a connect error.
    let mut next = Some(source);
    while let Some(cause) = next {
        if cause
            .downcast_ref::<hyper_util::client::legacy::Error>()
            .is_some_and(hyper_util::client::legacy::Error::is_connect)
        {
            return Some(connect_error(settings, &settings.target, cause).to_string());
        }
        next = cause.source();
    }
    let answered = match stage.heard {
        FirstBytes::Http1(minor) => Some(format!("in HTTP/1.{minor}")),
        FirstBytes::Text => Some("in plain text".to_owned()),
        _ => None,
    };
    if let Some(answered) = answered {
        return Some(match settings.protocol {
            Protocol::Grpc => format!(
                "the server at {addr} answered {answered}: it is not a gRPC server over HTTP/2 \
                 (a Connect or gRPC-Web server, or a plain web server?); for gRPC-Web try \
                 --protocol grpc-web"
            ),
            protocol => format!(
                "the server at {addr} answered {answered}, not in HTTP/2; for {protocol} over \
                 HTTP/1.1 use --http 1.1 (or auto)"
            ),
        });
    }
    if let Some(err) = tls::find_tls_error(source) {
        return Some(format!("TLS with {addr} failed: {}", tls::describe(err)));
    }
    let mut reason = source.to_string();
    let mut chain = reason.clone();
    let mut closed = false;
    let mut next = Some(source);
    while let Some(cause) = next {
        // h2 keeps the I/O error of a lost connection inside its own, not as its source.
        let io = cause
            .downcast_ref::<io::Error>()
            .or_else(|| cause.downcast_ref::<h2::Error>()?.get_io());
        reason = match io {
            Some(io) => {
                closed |= matches!(
                    io.kind(),
                    io::ErrorKind::BrokenPipe
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::UnexpectedEof
                );
                io_words(io)
            }
            None => cause.to_string(),
        };
        chain.push_str(&reason);
        next = cause.source();
    }
    // Under TLS 1.3 a server refuses a client certificate after the handshake; the alert then
    // reaches us only as text inside the HTTP/2 error, if at all.
    if settings.target.is_tls()
        && let Some(refusal) = tls::client_certificate_refusal(&chain)
    {
        return Some(format!("TLS with {addr} failed: {refusal}"));
    }
    if stage.after_headers || stage.heard == FirstBytes::Http2 {
        return Some(if closed {
            // The server went away (or its host did) in the middle of answering.
            format!("the server at {addr} closed the connection mid-call")
        } else {
            format!("the connection to {addr} broke mid-call: {reason}")
        });
    }
    let gave_certificate = settings.tls.as_ref().is_some_and(|t| t.identity.is_some());
    let hint = match &settings.target {
        Target::Tcp { tls: false, .. } => "; if the server uses TLS, use https://",
        Target::Tcp { tls: true, .. } if gave_certificate => {
            "; the server may have refused the client certificate"
        }
        Target::Tcp { tls: true, .. } => {
            "; if the server requires a client certificate, give one with --cert and --key"
        }
        Target::Unix(_) => "",
    };
    Some(format!("the connection to {addr} failed: {reason}{hint}"))
}

/// Whether the status is tonic's own enforcement of the call's `grpc-timeout`, which it raises
/// as a transport error a hair before the client's own clock says the deadline passed.
pub fn timed_out_here(status: &Status) -> bool {
    let mut next = status.source();
    while let Some(cause) = next {
        if cause.is::<tonic::TimeoutExpired>() {
            return true;
        }
        next = cause.source();
    }
    false
}

/// The size of a response that this client refused for being over its `limit`: tonic's
/// decoding error, raised while reading the response's messages (a server's refusal of an
/// oversized request comes before the response headers, or names another limit), with the
/// client's own limit in it. A status from the server is never taken for it.
fn oversized_response(status: &Status, limit: usize, stage: Stage) -> Option<u64> {
    if status.code() != tonic::Code::OutOfRange || !stage.after_headers {
        return None;
    }
    let rest = status
        .message()
        .strip_prefix("Error, decoded message length too large: found ")?;
    let (found, rest) = rest.split_once(" bytes, the limit is: ")?;
    let theirs: usize = rest.strip_suffix(" bytes")?.parse().ok()?;
    (theirs == limit).then_some(found.parse().ok()?)
}

fn connect_error(
    settings: &ClientSettings,
    target: &Target,
    err: &(dyn std::error::Error + 'static),
) -> anyhow::Error {
    let addr = target.display();
    let mut chain = Some(err);
    while let Some(cause) = chain {
        if let Some(proxy_err) = cause.downcast_ref::<ProxyError>() {
            return anyhow!("{proxy_err}");
        }
        chain = cause.source();
    }
    if let Some(tls_err) = tls::find_tls_error(err) {
        return anyhow!("cannot connect to {addr}: {}", tls::describe(tls_err));
    }
    let mut reason = err.to_string();
    let mut refused = false;
    let mut source = Some(err);
    while let Some(cause) = source {
        reason = cause.to_string();
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::TimedOut {
                return timed_out(settings, target);
            }
            refused = matches!(
                io.kind(),
                io::ErrorKind::ConnectionRefused | io::ErrorKind::NotFound
            );
            reason = io_words(io);
        }
        source = cause.source();
    }
    let hint = if refused {
        "; is a server running there? try 'apicli serve'"
    } else {
        ""
    };
    anyhow!("cannot connect to {addr}: {reason}{hint}")
}

fn timed_out(settings: &ClientSettings, target: &Target) -> anyhow::Error {
    let through = match settings.route_to(target) {
        Route::Proxy { proxy, .. } => format!(" through the proxy {proxy}"),
        Route::Direct(_) => String::new(),
    };
    anyhow!(
        "cannot connect to {}{through} within {:?} (--connect-timeout); is the address right?",
        target.display(),
        settings.connect_timeout
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_clients_own_limit_is_its_own() {
        let status = Status::out_of_range(
            "Error, decoded message length too large: found 15888895 bytes, the limit is: 4194304 bytes",
        );
        let reading = Stage {
            after_headers: true,
            heard: FirstBytes::Http2,
        };
        let answering = Stage {
            after_headers: false,
            ..reading
        };
        assert_eq!(
            oversized_response(&status, 4_194_304, reading),
            Some(15_888_895)
        );
        // A server's limit, or a status before the response began: the server's refusal.
        assert_eq!(oversized_response(&status, 67_108_864, reading), None);
        assert_eq!(oversized_response(&status, 4_194_304, answering), None);
        assert_eq!(
            oversized_response(&Status::out_of_range("past the end"), 4_194_304, reading),
            None
        );
    }
}

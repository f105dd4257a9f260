//! The wire protocol and the HTTP version a client call goes over (`--protocol`, `--http`), and
//! what a protocol cannot carry, checked before anything is sent.

use crate::{cli, exit::UsageError};

/// The protocol that carries a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// gRPC over HTTP/2.
    #[default]
    Grpc,
    /// The Connect protocol.
    Connect,
    /// gRPC-Web, binary: `application/grpc-web+proto`.
    GrpcWeb,
    /// gRPC-Web, base64 text: `application/grpc-web-text+proto`.
    GrpcWebText,
}

/// The HTTP version `--http` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HttpVersion {
    /// ALPN decides for https://; for http://, h2c for gRPC, else h2c with a fall-back to
    /// HTTP/1.1 when the server answers in HTTP/1.x.
    #[default]
    Auto,
    Http1,
    Http2,
}

/// The kinds of streaming a method has, as the protocol checks need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streaming {
    Unary,
    Server,
    Client,
    Bidi,
}

impl Protocol {
    /// The name `--protocol` takes.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Grpc => "grpc",
            Protocol::Connect => "connect",
            Protocol::GrpcWeb => "grpc-web",
            Protocol::GrpcWebText => "grpc-web-text",
        }
    }

    pub fn is_grpc_web(self) -> bool {
        matches!(self, Protocol::GrpcWeb | Protocol::GrpcWebText)
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl HttpVersion {
    /// The name `--http` takes.
    pub fn name(self) -> &'static str {
        match self {
            HttpVersion::Auto => "auto",
            HttpVersion::Http1 => "1.1",
            HttpVersion::Http2 => "2",
        }
    }
}

/// `--protocol` and `--http` as settings. Every protocol that this build does not carry yet is
/// refused here, in this one place.
pub(super) fn resolve(
    protocol: Option<cli::Protocol>,
    http: Option<cli::HttpVersion>,
) -> Result<(Protocol, HttpVersion), UsageError> {
    let protocol = match protocol {
        None | Some(cli::Protocol::Grpc) => Protocol::Grpc,
        Some(cli::Protocol::Connect) => Protocol::Connect,
        Some(cli::Protocol::GrpcWeb) => Protocol::GrpcWeb,
        Some(cli::Protocol::GrpcWebText) => Protocol::GrpcWebText,
    };
    if protocol == Protocol::Connect {
        return Err(UsageError(
            "--protocol connect is not available in this build yet; use grpc, grpc-web or \
             grpc-web-text"
                .into(),
        ));
    }
    let http = match http {
        None | Some(cli::HttpVersion::Auto) => HttpVersion::Auto,
        Some(cli::HttpVersion::Http1) => HttpVersion::Http1,
        Some(cli::HttpVersion::Http2) => HttpVersion::Http2,
    };
    if protocol == Protocol::Grpc && http == HttpVersion::Http1 {
        return Err(UsageError(
            "gRPC needs HTTP/2, not --http 1.1; use --protocol grpc-web (or connect) over HTTP/1.1"
                .into(),
        ));
    }
    Ok((protocol, http))
}

/// Whether `protocol` over `http` can carry a method of this kind; the refusal says why and what
/// to use instead. `http` is the version asked for; a bidi call under `auto` is refused later,
/// when the connection turns out to be HTTP/1.1.
pub fn check_streaming(
    protocol: Protocol,
    http: HttpVersion,
    streaming: Streaming,
    method: &str,
) -> Result<(), UsageError> {
    let what = match streaming {
        Streaming::Unary | Streaming::Server => return Ok(()),
        Streaming::Client => "client-streaming",
        Streaming::Bidi => "bidi-streaming",
    };
    if protocol.is_grpc_web() {
        return Err(UsageError(format!(
            "{method} is {what}, which gRPC-Web cannot carry (it streams only from the server); \
             use --protocol grpc"
        )));
    }
    if streaming == Streaming::Bidi && http == HttpVersion::Http1 {
        return Err(UsageError(format!(
            "{method} is bidi-streaming, which HTTP/1.1 cannot carry; use --http 2"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_is_refused_until_it_is_built() {
        let err = resolve(Some(cli::Protocol::Connect), None).unwrap_err().0;
        assert!(err.contains("not available in this build yet"), "{err}");
        assert_eq!(
            resolve(Some(cli::Protocol::GrpcWeb), None).unwrap(),
            (Protocol::GrpcWeb, HttpVersion::Auto)
        );
        assert_eq!(
            resolve(None, None).unwrap(),
            (Protocol::Grpc, HttpVersion::Auto)
        );
    }

    #[test]
    fn grpc_web_refuses_streams_from_the_client() {
        for protocol in [Protocol::GrpcWeb, Protocol::GrpcWebText] {
            for kind in [Streaming::Client, Streaming::Bidi] {
                assert!(check_streaming(protocol, HttpVersion::Http2, kind, "m").is_err());
            }
            assert!(check_streaming(protocol, HttpVersion::Http1, Streaming::Server, "m").is_ok());
        }
        assert!(check_streaming(Protocol::Grpc, HttpVersion::Http2, Streaming::Bidi, "m").is_ok());
    }

    #[test]
    fn http1_refuses_bidi_alone() {
        let refusal = check_streaming(Protocol::Connect, HttpVersion::Http1, Streaming::Bidi, "m");
        assert_eq!(
            refusal.unwrap_err().0,
            "m is bidi-streaming, which HTTP/1.1 cannot carry; use --http 2"
        );
        for kind in [Streaming::Unary, Streaming::Server, Streaming::Client] {
            assert!(check_streaming(Protocol::Connect, HttpVersion::Http1, kind, "m").is_ok());
        }
        assert!(
            check_streaming(Protocol::Connect, HttpVersion::Auto, Streaming::Bidi, "m").is_ok()
        );
    }
}

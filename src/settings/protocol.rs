//! The wire protocol and the HTTP version a client call goes over (`--protocol`, `--http`), and
//! what a protocol cannot carry, checked before anything is sent.

use crate::{cli, connect::Codec, exit::UsageError};

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

/// `--protocol` and `--http` as settings.
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

/// `--codec` and `--get`, which only Connect has: with another protocol they are refused.
pub(super) fn codec(
    protocol: Protocol,
    codec: Option<cli::Codec>,
    get: bool,
) -> Result<Codec, UsageError> {
    let codec = match codec {
        None | Some(cli::Codec::Proto) => Codec::Proto,
        Some(cli::Codec::Json) => Codec::Json,
    };
    if protocol != Protocol::Connect {
        let flag = match (codec, get) {
            (Codec::Json, _) => "--codec json",
            (_, true) => "--get",
            (Codec::Proto, false) => return Ok(codec),
        };
        return Err(UsageError(format!(
            "{flag} is Connect's; add --protocol connect (the protocol now is {protocol})"
        )));
    }
    Ok(codec)
}

/// Whether `protocol` over `http` can carry a method of this kind; the refusal says why and what
/// to use instead. `http` is the version asked for; a bidi call under `auto` is refused later,
/// when the connection turns out to be HTTP/1.1.
pub fn check_streaming(
    protocol: Protocol,
    http: HttpVersion,
    get: bool,
    streaming: Streaming,
    method: &str,
) -> Result<(), UsageError> {
    if get && streaming != Streaming::Unary {
        let what = match streaming {
            Streaming::Server => "server-streaming",
            Streaming::Client => "client-streaming",
            _ => "bidi-streaming",
        };
        return Err(UsageError(format!(
            "{method} is {what}, and --get sends unary calls only; send it without --get"
        )));
    }
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
    fn protocols_and_versions_resolve() {
        assert_eq!(
            resolve(Some(cli::Protocol::Connect), Some(cli::HttpVersion::Http1)).unwrap(),
            (Protocol::Connect, HttpVersion::Http1)
        );
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
    fn codec_and_get_are_connect_s_alone() {
        assert_eq!(
            codec(Protocol::Connect, Some(cli::Codec::Json), true).unwrap(),
            Codec::Json
        );
        assert_eq!(
            codec(Protocol::Grpc, Some(cli::Codec::Proto), false).unwrap(),
            Codec::Proto
        );
        for protocol in [Protocol::Grpc, Protocol::GrpcWeb, Protocol::GrpcWebText] {
            assert!(codec(protocol, Some(cli::Codec::Json), false).is_err());
            assert!(codec(protocol, None, true).is_err());
        }
    }

    #[test]
    fn get_sends_unary_calls_only() {
        for kind in [Streaming::Server, Streaming::Client, Streaming::Bidi] {
            let refusal = check_streaming(Protocol::Connect, HttpVersion::Http2, true, kind, "m");
            assert!(
                refusal
                    .unwrap_err()
                    .0
                    .contains("--get sends unary calls only")
            );
        }
        assert!(
            check_streaming(
                Protocol::Connect,
                HttpVersion::Http2,
                true,
                Streaming::Unary,
                "m"
            )
            .is_ok()
        );
    }

    #[test]
    fn grpc_web_refuses_streams_from_the_client() {
        for protocol in [Protocol::GrpcWeb, Protocol::GrpcWebText] {
            for kind in [Streaming::Client, Streaming::Bidi] {
                assert!(check_streaming(protocol, HttpVersion::Http2, false, kind, "m").is_err());
            }
            assert!(
                check_streaming(protocol, HttpVersion::Http1, false, Streaming::Server, "m")
                    .is_ok()
            );
        }
        assert!(
            check_streaming(
                Protocol::Grpc,
                HttpVersion::Http2,
                false,
                Streaming::Bidi,
                "m"
            )
            .is_ok()
        );
    }

    #[test]
    fn http1_refuses_bidi_alone() {
        let refusal = check_streaming(
            Protocol::Connect,
            HttpVersion::Http1,
            false,
            Streaming::Bidi,
            "m",
        );
        assert_eq!(
            refusal.unwrap_err().0,
            "m is bidi-streaming, which HTTP/1.1 cannot carry; use --http 2"
        );
        for kind in [Streaming::Unary, Streaming::Server, Streaming::Client] {
            assert!(
                check_streaming(Protocol::Connect, HttpVersion::Http1, false, kind, "m").is_ok()
            );
        }
        assert!(
            check_streaming(
                Protocol::Connect,
                HttpVersion::Auto,
                false,
                Streaming::Bidi,
                "m"
            )
            .is_ok()
        );
    }
}

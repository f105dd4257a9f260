//! Content types: `application/proto` and `application/json` for unary calls,
//! `application/connect+proto` and `application/connect+json` for streams.

use http::HeaderValue;

/// How messages are encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// Binary protobuf.
    Proto,
    /// The proto3 JSON mapping.
    Json,
}

impl Codec {
    pub fn name(self) -> &'static str {
        match self {
            Codec::Proto => "proto",
            Codec::Json => "json",
        }
    }

    pub fn from_name(name: &str) -> Option<Codec> {
        match name {
            "proto" => Some(Codec::Proto),
            "json" => Some(Codec::Json),
            _ => None,
        }
    }
}

/// A Connect content type: a codec, for a unary call or a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentType {
    pub codec: Codec,
    pub streaming: bool,
}

impl ContentType {
    /// The Connect content type of a `content-type` value (parameters such as `charset` are
    /// ignored); `None` for anything else, gRPC's `application/grpc` included.
    pub fn parse(value: &[u8]) -> Option<ContentType> {
        let end = value.iter().position(|&b| b == b';').unwrap_or(value.len());
        let essence = value[..end].trim_ascii();
        let (prefix, codec) = essence.split_at_checked("application/".len())?;
        if !prefix.eq_ignore_ascii_case(b"application/") {
            return None;
        }
        let (streaming, codec) = match codec.split_at_checked("connect+".len()) {
            Some((connect, codec)) if connect.eq_ignore_ascii_case(b"connect+") => (true, codec),
            _ => (false, codec),
        };
        let codec = if codec.eq_ignore_ascii_case(b"proto") {
            Codec::Proto
        } else if codec.eq_ignore_ascii_case(b"json") {
            Codec::Json
        } else {
            return None;
        };
        Some(ContentType { codec, streaming })
    }

    pub fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match (self.streaming, self.codec) {
            (false, Codec::Proto) => "application/proto",
            (false, Codec::Json) => "application/json",
            (true, Codec::Proto) => "application/connect+proto",
            (true, Codec::Json) => "application/connect+json",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_content_types() {
        for (value, codec, streaming) in [
            ("application/proto", Codec::Proto, false),
            ("application/json", Codec::Json, false),
            ("application/connect+proto", Codec::Proto, true),
            ("application/connect+json", Codec::Json, true),
        ] {
            let parsed = ContentType::parse(value.as_bytes()).unwrap();
            assert_eq!(parsed, ContentType { codec, streaming });
            assert_eq!(parsed.header_value(), value);
        }
        assert_eq!(
            ContentType::parse(b"Application/Connect+JSON"),
            Some(ContentType {
                codec: Codec::Json,
                streaming: true
            })
        );
        assert_eq!(
            ContentType::parse(b"application/json; charset=utf-8"),
            Some(ContentType {
                codec: Codec::Json,
                streaming: false
            })
        );
    }

    #[test]
    fn other_types_are_not_connect() {
        for value in [
            &b"application/grpc"[..],
            b"application/grpc+proto",
            b"application/grpc-web+proto",
            b"text/plain",
            b"application/connect+thrift",
            b"application",
            b"application/",
            b"\xff",
        ] {
            assert_eq!(ContentType::parse(value), None, "{value:?}");
        }
    }
}

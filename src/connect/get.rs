//! Connect GET: a unary call of a side-effect-free method sent as a query,
//! `?connect=v1&base64=1&compression=gzip&encoding=proto&message=...`.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, utf8_percent_encode};

use super::{Codec, Encoding, WireError, error::decode_base64};

/// What a query value may leave unencoded: RFC 3986's unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The message of a GET, and how it is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetQuery {
    /// The message as the codec wrote it, compressed if `compression` says so.
    pub message: Vec<u8>,
    pub codec: Codec,
    pub compression: Option<Encoding>,
}

impl GetQuery {
    /// The query, in the order the spec gives so that caches see one form: base64 when the
    /// message is binary (proto, or compressed), percent-encoded UTF-8 (JSON) otherwise.
    pub fn to_query(&self) -> String {
        let binary = self.codec == Codec::Proto
            || self.compression.is_some()
            || std::str::from_utf8(&self.message).is_err();
        let mut query = String::from("connect=v1");
        if binary {
            query.push_str("&base64=1");
        }
        if let Some(compression) = self.compression {
            query.push_str("&compression=");
            query.push_str(compression.name());
        }
        query.push_str("&encoding=");
        query.push_str(self.codec.name());
        query.push_str("&message=");
        if binary {
            query.push_str(&URL_SAFE_NO_PAD.encode(&self.message));
        } else {
            let text = String::from_utf8_lossy(&self.message);
            query.extend(utf8_percent_encode(&text, QUERY_VALUE));
        }
        query
    }

    /// The message of a GET's query. Parameters may come in any order, and unknown ones are
    /// ignored; `encoding` and `message` are required.
    pub fn parse(query: &str) -> Result<GetQuery, WireError> {
        let (mut message, mut codec, mut base64, mut compression) = (None, None, false, None);
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            // A query is form-encoded: `+` is a space.
            let value = value.replace('+', " ");
            let value: Vec<u8> = percent_decode(value.as_bytes()).collect();
            match key {
                "message" => message = Some(value),
                "encoding" => {
                    let name = String::from_utf8_lossy(&value);
                    codec = Some(Codec::from_name(&name).ok_or_else(|| {
                        WireError::new(format!(
                            "the GET encoding {name:?} is not a codec: use proto or json"
                        ))
                    })?);
                }
                "base64" => base64 = value == b"1",
                "compression" => compression = Encoding::from_name(&value)?,
                _ => {}
            }
        }
        let codec = codec.ok_or_else(|| WireError::new("the GET query has no encoding"))?;
        let message = message.ok_or_else(|| WireError::new("the GET query has no message"))?;
        let message = if base64 {
            let text = String::from_utf8_lossy(&message);
            decode_base64(text.trim_end_matches(' '))
                .map_err(|err| WireError::new(format!("the GET message is not base64: {err}")))?
        } else {
            message
        };
        Ok(GetQuery {
            message,
            codec,
            compression,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specs_example() {
        let query = "message=%7B%22name%22%3A%22Buf%22%7D&encoding=json&connect=v1";
        let get = GetQuery::parse(query).unwrap();
        assert_eq!(
            get,
            GetQuery {
                message: br#"{"name":"Buf"}"#.to_vec(),
                codec: Codec::Json,
                compression: None,
            }
        );
        assert_eq!(
            get.to_query(),
            "connect=v1&encoding=json&message=%7B%22name%22%3A%22Buf%22%7D"
        );
    }

    #[test]
    fn binary_messages_are_url_safe_base64() {
        let get = GetQuery {
            message: vec![0x0a, 0x03, 0xfb, 0xff, 0xfe],
            codec: Codec::Proto,
            compression: Some(Encoding::Gzip),
        };
        let query = get.to_query();
        assert_eq!(
            query,
            "connect=v1&base64=1&compression=gzip&encoding=proto&message=CgP7__4"
        );
        assert_eq!(GetQuery::parse(&query).unwrap(), get);
        // Padding, percent-encoded, is accepted too.
        let padded = GetQuery::parse("encoding=proto&base64=1&message=CgP7__4%3D").unwrap();
        assert_eq!(padded.message, get.message);
    }

    #[test]
    fn bad_queries_say_what_is_wrong() {
        for (query, words) in [
            ("message=e30", "no encoding"),
            ("encoding=proto", "no message"),
            ("encoding=xml&message=a", "not a codec"),
            ("encoding=proto&base64=1&message=!!!", "not base64"),
            ("encoding=proto&compression=br&message=a", "not supported"),
        ] {
            let err = GetQuery::parse(query).unwrap_err();
            assert!(err.0.contains(words), "{query}: {err}");
        }
    }
}

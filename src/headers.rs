//! Request metadata given with `-H 'name: value'`: parsing, checking and applying it to a call.

use base64::Engine as _;
use tonic::metadata::{
    AsciiMetadataKey, AsciiMetadataValue, BinaryMetadataKey, BinaryMetadataValue, MetadataMap,
};

use crate::exit::{UsageError, one_line};

/// Names a client may not set: gRPC and HTTP/2 own them.
const RESERVED: &[&str] = &[
    "content-type",
    "te",
    "host",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
];

/// One metadata entry, checked and ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    Ascii(AsciiMetadataKey, AsciiMetadataValue),
    Binary(BinaryMetadataKey, BinaryMetadataValue),
}

impl Header {
    /// Parses `name: value` (or `name:value`). Names are lower-cased; a name ending in `-bin`
    /// takes a base64 value that is sent as bytes.
    pub fn parse(input: &str) -> Result<Header, UsageError> {
        let bad = |why: String| UsageError(one_line(format!("bad header '{input}': {why}")));
        if input.starts_with(':') {
            return Err(bad(
                "pseudo-headers (':…') are set by HTTP/2, not by -H".into()
            ));
        }
        let (name, value) = input
            .split_once(':')
            .ok_or_else(|| bad("expected 'name: value'".into()))?;
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim();
        if name.is_empty() {
            return Err(bad("the name is empty".into()));
        }
        if let Some(c) = name
            .chars()
            .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-' | '_' | '.'))
        {
            return Err(bad(format!(
                "'{c}' is not allowed in a metadata name (a-z, 0-9, '-', '_', '.')"
            )));
        }
        if name.starts_with("grpc-") || RESERVED.contains(&name.as_str()) {
            return Err(bad(format!(
                "'{name}' is reserved by gRPC and cannot be set"
            )));
        }
        if name.ends_with("-bin") {
            let bytes = decode_base64(value)
                .ok_or_else(|| bad("a '-bin' header takes a base64 value".into()))?;
            let key = BinaryMetadataKey::from_bytes(name.as_bytes())
                .map_err(|_| bad("invalid metadata name".into()))?;
            Ok(Header::Binary(key, BinaryMetadataValue::from_bytes(&bytes)))
        } else {
            if let Some(c) = value.chars().find(|c| !(' '..='~').contains(c)) {
                return Err(bad(format!(
                    "{c:?} is not allowed in a value; use a name ending in -bin for binary data"
                )));
            }
            let key = AsciiMetadataKey::from_bytes(name.as_bytes())
                .map_err(|_| bad("invalid metadata name".into()))?;
            let value = AsciiMetadataValue::try_from(value)
                .map_err(|_| bad("invalid metadata value".into()))?;
            Ok(Header::Ascii(key, value))
        }
    }

    /// The metadata name, lower-case.
    pub fn name(&self) -> &str {
        match self {
            Header::Ascii(key, _) => key.as_str(),
            Header::Binary(key, _) => key.as_str(),
        }
    }

    /// Adds this entry to a request's metadata (repeated names are all sent).
    pub fn append_to(&self, metadata: &mut MetadataMap) {
        match self {
            Header::Ascii(key, value) => {
                metadata.append(key.clone(), value.clone());
            }
            Header::Binary(key, value) => {
                metadata.append_bin(key.clone(), value.clone());
            }
        }
    }
}

/// Accepts standard or URL-safe base64, padded or not.
fn decode_base64(value: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(value).ok())
}

/// Whether a metadata value must never be shown or kept (credentials).
pub fn is_secret(name: &str) -> bool {
    [
        "authorization",
        "proxy-authorization",
        "cookie",
        "x-api-key",
    ]
    .iter()
    .any(|secret| name.eq_ignore_ascii_case(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii(input: &str) -> (String, String) {
        match Header::parse(input).unwrap() {
            Header::Ascii(k, v) => (k.as_str().to_owned(), v.to_str().unwrap().to_owned()),
            Header::Binary(..) => panic!("expected an ascii header"),
        }
    }

    #[test]
    fn parses_both_spellings_and_lowercases_the_name() {
        assert_eq!(ascii("X-Trace: abc"), ("x-trace".into(), "abc".into()));
        assert_eq!(ascii("x-trace:abc"), ("x-trace".into(), "abc".into()));
        assert_eq!(ascii("x-trace:  a: b "), ("x-trace".into(), "a: b".into()));
        assert_eq!(ascii("x-empty:"), ("x-empty".into(), "".into()));
    }

    #[test]
    fn binary_headers_take_base64() {
        let Header::Binary(key, value) = Header::parse("x-blob-bin: AAEC/w==").unwrap() else {
            panic!("expected a binary header");
        };
        assert_eq!(key.as_str(), "x-blob-bin");
        assert_eq!(value.to_bytes().unwrap().as_ref(), &[0, 1, 2, 255]);
        assert!(
            Header::parse("x-blob-bin: AAEC_w").is_ok(),
            "URL-safe, unpadded"
        );
        let err = Header::parse("x-blob-bin: not base64!").unwrap_err();
        assert!(err.0.contains("base64"), "{}", err.0);
    }

    #[test]
    fn rejects_reserved_and_malformed_names() {
        for (input, why) in [
            ("grpc-timeout: 1S", "reserved"),
            ("content-type: text/plain", "reserved"),
            ("te: trailers", "reserved"),
            (":authority: x", "pseudo-header"),
            ("no colon", "expected 'name: value'"),
            (": value", "pseudo-header"),
            (" : value", "empty"),
            ("x trace: a", "not allowed"),
            ("x-ünï: a", "not allowed"),
            ("x-tab: a\tb", "not allowed in a value"),
        ] {
            let err = Header::parse(input).expect_err(input);
            assert!(err.0.contains(why), "{input}: {}", err.0);
        }
    }

    #[test]
    fn appends_repeated_names() {
        let mut map = MetadataMap::new();
        Header::parse("x-a: 1").unwrap().append_to(&mut map);
        Header::parse("x-a: 2").unwrap().append_to(&mut map);
        let values: Vec<_> = map
            .get_all("x-a")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert_eq!(values, ["1", "2"]);
    }

    #[test]
    fn knows_secrets() {
        assert!(is_secret("Authorization"));
        assert!(is_secret("cookie"));
        assert!(is_secret("X-Api-Key"));
        assert!(!is_secret("x-trace"));
    }
}

//! `-v`: what was sent and received besides the messages, on stderr.

use std::{io::Write, time::Duration};

use tonic::metadata::{KeyAndValueRef, MetadataMap};

use crate::{exit::code_name, headers::is_secret};

/// Writes one titled block of metadata; credentials are shown as `[redacted]`.
pub fn metadata(err: &mut impl Write, title: &str, map: &MetadataMap) {
    let _ = writeln!(err, "apicli: {title}:");
    for entry in map.iter() {
        let (name, value) = match entry {
            KeyAndValueRef::Ascii(key, value) => (
                key.as_str(),
                value
                    .to_str()
                    .map_or_else(|_| format!("{value:?}"), str::to_owned),
            ),
            KeyAndValueRef::Binary(key, value) => {
                (key.as_str(), base64_of(value.as_encoded_bytes()))
            }
        };
        let value = if is_secret(name) {
            "[redacted]".to_owned()
        } else {
            value
        };
        let _ = writeln!(err, "  {name}: {value}");
    }
}

/// The HTTP status of a reply that a protocol other than gRPC carried.
pub fn http_status(err: &mut impl Write, status: http::StatusCode) {
    let _ = writeln!(err, "apicli: HTTP status {status}");
}

/// The final status and how long the call took.
pub fn status(err: &mut impl Write, code: tonic::Code, elapsed: Duration) {
    let _ = writeln!(
        err,
        "apicli: status {} after {elapsed:.1?}",
        code_name(code)
    );
}

/// How many messages went each way on a stream.
pub fn counts(err: &mut impl Write, sent: Option<u64>, received: u64) {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let _ = match sent {
        Some(sent) => writeln!(
            err,
            "apicli: {sent} message{} sent, {received} received",
            plural(sent)
        ),
        None => writeln!(
            err,
            "apicli: {received} message{} received",
            plural(received)
        ),
    };
}

/// Binary metadata travels base64-encoded already; show it as sent.
fn base64_of(encoded: &[u8]) -> String {
    String::from_utf8_lossy(encoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_credentials() {
        let mut map = MetadataMap::new();
        map.insert("authorization", "Bearer s3cret".parse().unwrap());
        map.insert("x-trace", "abc".parse().unwrap());
        map.insert_bin(
            "x-blob-bin",
            tonic::metadata::BinaryMetadataValue::from_bytes(&[1, 2]),
        );
        let mut out = Vec::new();
        metadata(&mut out, "request metadata", &map);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("authorization: [redacted]"), "{out}");
        assert!(!out.contains("s3cret"), "{out}");
        assert!(out.contains("x-trace: abc"), "{out}");
        assert!(out.contains("x-blob-bin: AQI"), "{out}");
    }
}

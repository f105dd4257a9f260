//! The deadline a client sent as `grpc-timeout`.
//!
//! tonic enforces it on the handler's future, which for a server stream ends as soon as the stream
//! is returned; the stream itself must watch the deadline, so it reads the header here.

use std::time::Duration;

use tokio::time::Instant;
use tonic::metadata::MetadataMap;

/// When a call that starts now must end, if its request has a valid `grpc-timeout`.
pub fn deadline(metadata: &MetadataMap) -> Option<Instant> {
    timeout(metadata).map(|t| Instant::now() + t)
}

/// The `grpc-timeout` of a request, if it has a valid one.
pub fn timeout(metadata: &MetadataMap) -> Option<Duration> {
    parse(metadata.get("grpc-timeout")?.to_str().ok()?)
}

/// `TimeoutValue TimeoutUnit`: at most 8 digits, then H, M, S, m (ms), u (µs) or n (ns).
fn parse(value: &str) -> Option<Duration> {
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!(parse("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(parse("3M"), Some(Duration::from_secs(180)));
        assert_eq!(parse("1S"), Some(Duration::from_secs(1)));
        assert_eq!(parse("2500m"), Some(Duration::from_millis(2500)));
        assert_eq!(parse("7u"), Some(Duration::from_micros(7)));
        assert_eq!(parse("99999999n"), Some(Duration::from_nanos(99_999_999)));
    }

    #[test]
    fn rejects_malformed_values() {
        for bad in ["", "S", "1", "123456789S", "1s", "-1S", "1.5S", "1 S"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn reads_the_header() {
        let mut metadata = MetadataMap::new();
        assert_eq!(timeout(&metadata), None);
        metadata.insert("grpc-timeout", "250m".parse().unwrap());
        assert_eq!(timeout(&metadata), Some(Duration::from_millis(250)));
    }
}

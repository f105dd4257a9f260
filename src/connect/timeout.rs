//! Deadlines: Connect's `connect-timeout-ms` (a positive count of milliseconds, at most 10
//! digits) and gRPC's `grpc-timeout` (at most 8 digits and a unit), and the one into the other,
//! since each end translates between them.

use std::time::Duration;

use http::{HeaderName, HeaderValue};

use super::WireError;

/// The header of a Connect request's deadline.
pub const CONNECT_TIMEOUT: HeaderName = HeaderName::from_static("connect-timeout-ms");
/// The header of a gRPC request's deadline.
pub const GRPC_TIMEOUT: HeaderName = HeaderName::from_static("grpc-timeout");

/// The largest `connect-timeout-ms`: ten digits, about 115 days.
const MAX_MILLIS: u128 = 9_999_999_999;

/// `connect-timeout-ms` for `timeout`: whole milliseconds, rounded up so that a deadline is
/// never sent shorter than it is (and never 0, which is not positive), at most ten digits.
pub fn format_connect(timeout: Duration) -> HeaderValue {
    let millis = timeout.as_nanos().div_ceil(1_000_000).clamp(1, MAX_MILLIS);
    HeaderValue::from(millis as u64)
}

/// The deadline in a `connect-timeout-ms` value.
pub fn parse_connect(value: &[u8]) -> Result<Duration, WireError> {
    let bad = || {
        WireError::new(format!(
            "connect-timeout-ms {:?} is not a count of milliseconds of 1 to 10 digits",
            String::from_utf8_lossy(value)
        ))
    };
    if value.is_empty() || value.len() > 10 || !value.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let millis: u64 = std::str::from_utf8(value)
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or_else(bad)?;
    Ok(Duration::from_millis(millis))
}

/// `grpc-timeout` for `timeout`: the finest unit whose count fits in eight digits, rounded up.
pub fn format_grpc(timeout: Duration) -> HeaderValue {
    const LIMIT: u128 = 100_000_000;
    let nanos = timeout.as_nanos();
    let units: [(u128, &str); 6] = [
        (1, "n"),
        (1_000, "u"),
        (1_000_000, "m"),
        (1_000_000_000, "S"),
        (60_000_000_000, "M"),
        (3_600_000_000_000, "H"),
    ];
    for (size, unit) in units {
        let count = nanos.div_ceil(size);
        if count < LIMIT {
            // Digits and an ASCII letter: always a valid header value.
            return HeaderValue::from_str(&format!("{count}{unit}"))
                .unwrap_or(HeaderValue::from_static("99999999H"));
        }
    }
    HeaderValue::from_static("99999999H")
}

/// The deadline in a `grpc-timeout` value: at most eight digits, then H, M, S, m, u or n.
pub fn parse_grpc(value: &[u8]) -> Option<Duration> {
    let (&unit, digits) = value.split_last()?;
    if digits.is_empty() || digits.len() > 8 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some(match unit {
        b'H' => Duration::from_secs(n * 3600),
        b'M' => Duration::from_secs(n * 60),
        b'S' => Duration::from_secs(n),
        b'm' => Duration::from_millis(n),
        b'u' => Duration::from_micros(n),
        b'n' => Duration::from_nanos(n),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_timeouts_are_whole_milliseconds_rounded_up() {
        assert_eq!(format_connect(Duration::from_secs(5)), "5000");
        assert_eq!(format_connect(Duration::from_micros(1500)), "2");
        assert_eq!(format_connect(Duration::ZERO), "1");
        assert_eq!(
            format_connect(Duration::from_secs(200 * 24 * 3600)),
            "9999999999"
        );
    }

    #[test]
    fn connect_timeouts_parse() {
        assert_eq!(parse_connect(b"5000"), Ok(Duration::from_secs(5)));
        assert_eq!(
            parse_connect(b"9999999999"),
            Ok(Duration::from_millis(9_999_999_999))
        );
        for bad in [
            &b""[..],
            b"12345678901",
            b"-1",
            b"1.5",
            b"5s",
            b" 5",
            b"\xff",
        ] {
            let err = parse_connect(bad).unwrap_err();
            assert!(err.0.contains("connect-timeout-ms"), "{err}");
        }
    }

    #[test]
    fn grpc_timeouts_round_trip() {
        for timeout in [
            Duration::from_nanos(7),
            Duration::from_millis(250),
            Duration::from_secs(5),
            Duration::from_secs(9_999_999),
            Duration::from_millis(9_999_999_999),
        ] {
            let value = format_grpc(timeout);
            let back = parse_grpc(value.as_bytes()).unwrap();
            assert!(back >= timeout, "{value:?}");
            assert!(value.len() <= 9, "{value:?}");
        }
        assert_eq!(format_grpc(Duration::from_millis(250)), "250000u");
        assert_eq!(parse_grpc(b"2H"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_grpc(b"3M"), Some(Duration::from_secs(180)));
        assert_eq!(parse_grpc(b"1S"), Some(Duration::from_secs(1)));
        assert_eq!(parse_grpc(b"250m"), Some(Duration::from_millis(250)));
        assert_eq!(parse_grpc(b"7u"), Some(Duration::from_micros(7)));
        assert_eq!(
            parse_grpc(b"99999999n"),
            Some(Duration::from_nanos(99_999_999))
        );
        for bad in [
            &b""[..],
            b"S",
            b"1",
            b"123456789S",
            b"1s",
            b"-1S",
            b"1.5S",
            b"1 S",
        ] {
            assert_eq!(parse_grpc(bad), None, "{bad:?}");
        }
    }
}

//! Wall-clock times as reports write them: RFC 3339 in UTC, to the microsecond
//! (`2026-03-01T09:30:00.250000Z`), which sorts as text and reads in any language.

use std::time::{Duration, SystemTime};

/// `at` as a report writes it.
pub fn format(at: SystemTime) -> String {
    humantime::format_rfc3339_micros(at).to_string()
}

/// A time a report wrote; the error says why in a phrase.
pub fn parse(text: &str) -> Result<SystemTime, String> {
    humantime::parse_rfc3339(text).map_err(|err| {
        format!("'{text}' is not an RFC 3339 time in UTC, e.g. 2026-03-01T09:30:00Z ({err})")
    })
}

/// The span from `start` to `end`, none when `end` is earlier.
pub fn between(start: SystemTime, end: SystemTime) -> Duration {
    end.duration_since(start).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_and_read_back() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_micros(1_772_357_400_250_000);
        assert_eq!(format(at), "2026-03-01T09:30:00.250000Z");
        assert_eq!(parse("2026-03-01T09:30:00.250000Z"), Ok(at));
        assert_eq!(
            parse("2026-03-01T09:30:00Z"),
            Ok(at - Duration::from_millis(250))
        );
        assert!(
            parse("yesterday")
                .unwrap_err()
                .starts_with("'yesterday' is not")
        );
        assert_eq!(between(at, at - Duration::from_secs(1)), Duration::ZERO);
    }
}

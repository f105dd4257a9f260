//! Wall-clock times as reports write them: RFC 3339 in UTC, to the microsecond
//! (`2026-03-01T09:30:00.250000Z`), which sorts as text and reads in any language.

use std::time::SystemTime;

/// `at` as a report writes it.
pub fn format(at: SystemTime) -> String {
    humantime::format_rfc3339_micros(at).to_string()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn written_in_utc_to_the_microsecond() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_micros(1_772_357_400_250_000);
        assert_eq!(format(at), "2026-03-01T09:30:00.250000Z");
    }
}

//! `--start-at TIME`: when the load starts, so that generators on several machines start
//! together. An RFC 3339 time with any offset (`2026-12-05T10:00:00Z`, `…+01:00`), or
//! `+DURATION` from now (`+30s`).

use std::time::{Duration, SystemTime};

use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use crate::exit::{UsageError, one_line};

/// How far in the past a start may be and still start (at once): the clocks of the machines
/// that share a load, and the time it took to launch them, may be that far apart.
pub const LATE_ENOUGH: Duration = Duration::from_secs(60);

/// `value` as a time, `now` being the time it is read.
pub fn parse_start_at(value: &str, now: SystemTime) -> Result<SystemTime, UsageError> {
    let bad = |why: String| UsageError(one_line(format!("bad --start-at '{value}': {why}")));
    let trimmed = value.trim();
    let at = match trimmed.strip_prefix('+') {
        Some(after) => {
            let wait = humantime::parse_duration(after.trim()).map_err(|_| {
                bad("expected +DURATION, a duration from now such as +30s or +2m".into())
            })?;
            now.checked_add(wait)
                .ok_or_else(|| bad("that is too far away".into()))?
        }
        None => {
            let at = OffsetDateTime::parse(trimmed, &Rfc3339).map_err(|_| {
                bad(
                    "expected an RFC 3339 time such as 2026-12-05T10:00:00Z (or with an offset, \
                     +01:00), or +DURATION from now such as +30s"
                        .into(),
                )
            })?;
            SystemTime::from(at)
        }
    };
    if let Ok(past) = now.duration_since(at)
        && past > LATE_ENOUGH
    {
        let past = humantime::format_duration(Duration::from_secs(past.as_secs()));
        return Err(bad(format!(
            "that was {past} ago; give a time to come, or at most {}s past",
            LATE_ENOUGH.as_secs()
        )));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-05T10:00:00Z.
    fn noon() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_464_800)
    }

    #[test]
    fn times_and_durations_from_now() {
        let now = noon();
        assert_eq!(parse_start_at("2026-12-05T10:00:00Z", now).unwrap(), now);
        let later = now + Duration::from_secs(90);
        assert_eq!(parse_start_at("2026-12-05T10:01:30Z", now).unwrap(), later);
        assert_eq!(
            parse_start_at("2026-12-05T11:01:30+01:00", now).unwrap(),
            later
        );
        assert_eq!(
            parse_start_at("2026-12-05T10:00:00.250Z", now).unwrap(),
            now + Duration::from_millis(250)
        );
        assert_eq!(parse_start_at("+90s", now).unwrap(), later);
        assert_eq!(parse_start_at("+1m30s", now).unwrap(), later);
        assert_eq!(parse_start_at("+0s", now).unwrap(), now);
    }

    #[test]
    fn a_little_late_starts_and_too_late_is_refused() {
        let now = noon();
        let ok = parse_start_at("2026-12-05T09:59:30Z", now).unwrap();
        assert_eq!(ok, now - Duration::from_secs(30));
        let err = parse_start_at("2026-12-05T09:58:00Z", now).unwrap_err().0;
        assert!(err.contains("that was 2m ago"), "{err}");
        assert!(
            err.starts_with("bad --start-at '2026-12-05T09:58:00Z'"),
            "{err}"
        );
    }

    #[test]
    fn malformed_times_are_refused() {
        for bad in [
            "soon",
            "+soon",
            "2026-12-05",
            "10:00:00",
            "2026-12-05T10:00:00",
            "+",
        ] {
            let err = parse_start_at(bad, noon()).unwrap_err().0;
            assert!(err.starts_with(&format!("bad --start-at '{bad}'")), "{err}");
            assert!(err.contains("expected"), "{err}");
        }
    }
}

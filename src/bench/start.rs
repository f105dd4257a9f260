//! `--start-at`: the wait, once connected, for the time the load starts, so that generators on
//! several machines start together. A time already past (by less than a minute, or settings
//! would have refused it) starts the load at once, with a warning.

use std::time::{Duration, Instant, SystemTime};

use super::live::Live;

/// Waits until `at`, showing the wait on the live display if there is one.
pub async fn wait_until(at: SystemTime, live: Option<&Live>) {
    match at.duration_since(SystemTime::now()) {
        Ok(wait) => {
            let until = Instant::now() + wait;
            match live {
                Some(live) => live.wait_until(until).await,
                None => tokio::time::sleep_until(until.into()).await,
            }
        }
        Err(late) => {
            let late = Duration::from_millis(late.duration().as_millis() as u64);
            eprintln!(
                "apicli: warning: --start-at {} passed {} ago; starting now",
                humantime::format_rfc3339_millis(at),
                humantime::format_duration(late)
            );
        }
    }
}

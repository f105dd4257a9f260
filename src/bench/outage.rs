//! How long an endpoint was unreachable during the counted part of the run.
//!
//! An endpoint is unreachable from the moment a connection to it broke, when the attempt to
//! make it again then failed, until a connection to it is made again. A connection that broke
//! and was made again at the first attempt (the server closed an idle connection, or sent
//! GOAWAY) leaves it reachable. While another connection to it still works, it is reachable.

use std::time::{Duration, Instant};

/// One endpoint's connections and outages.
#[derive(Debug, Clone, Default)]
pub struct Outage {
    /// Its connections that work.
    up: usize,
    /// Since when it has been unreachable, if it is.
    since: Option<Instant>,
    /// Unreachable time of the outages that ended, within the counted part.
    total: Duration,
}

/// The counted part of the run: from its start (`None` before it began) to its end (`None`
/// when not known yet, or without `-z`).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub begun: Option<Instant>,
    pub end: Option<Instant>,
}

impl Window {
    /// The part of `from..to` inside the window.
    fn overlap(self, from: Instant, to: Instant) -> Duration {
        let Some(begun) = self.begun else {
            return Duration::ZERO;
        };
        let to = self.end.map_or(to, |end| to.min(end));
        to.saturating_duration_since(from.max(begun))
    }
}

impl Outage {
    pub fn new(connections: usize) -> Outage {
        Outage {
            up: connections,
            ..Outage::default()
        }
    }

    /// A connection broke.
    pub fn broke(&mut self) {
        self.up = self.up.saturating_sub(1);
    }

    /// An attempt to make a connection that broke at `broke_at` failed.
    pub fn attempt_failed(&mut self, broke_at: Instant) {
        if self.up == 0 && self.since.is_none() {
            self.since = Some(broke_at);
        }
    }

    /// A connection was made at `at`.
    pub fn reached(&mut self, at: Instant, window: Window) {
        self.up += 1;
        if let Some(since) = self.since.take() {
            self.total += window.overlap(since, at);
        }
    }

    /// Unreachable time within the counted part, up to `now` for an outage not over.
    pub fn unreachable(&self, now: Instant, window: Window) -> Duration {
        let ongoing = self
            .since
            .map_or(Duration::ZERO, |since| window.overlap(since, now));
        self.total + ongoing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(epoch: Instant, ms: u64) -> Instant {
        epoch + Duration::from_millis(ms)
    }

    #[test]
    fn an_outage_runs_from_the_break_to_the_next_connection() {
        let epoch = Instant::now();
        let window = Window {
            begun: Some(epoch),
            end: Some(at(epoch, 10_000)),
        };
        let mut outage = Outage::new(1);
        outage.broke();
        outage.attempt_failed(at(epoch, 1000));
        outage.attempt_failed(at(epoch, 1500));
        assert_eq!(
            outage.unreachable(at(epoch, 3000), window),
            Duration::from_secs(2)
        );
        outage.reached(at(epoch, 4000), window);
        assert_eq!(
            outage.unreachable(at(epoch, 9000), window),
            Duration::from_secs(3)
        );
        // A second outage that outlasts the run counts to the run's end.
        outage.broke();
        outage.attempt_failed(at(epoch, 8000));
        assert_eq!(
            outage.unreachable(at(epoch, 12_000), window),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn a_connection_made_again_at_once_is_no_outage() {
        let epoch = Instant::now();
        let window = Window {
            begun: Some(epoch),
            end: None,
        };
        let mut outage = Outage::new(1);
        outage.broke();
        outage.reached(at(epoch, 5), window);
        assert_eq!(outage.unreachable(at(epoch, 100), window), Duration::ZERO);
    }

    #[test]
    fn another_working_connection_keeps_it_reachable() {
        let epoch = Instant::now();
        let window = Window {
            begun: Some(epoch),
            end: None,
        };
        let mut outage = Outage::new(2);
        outage.broke();
        outage.attempt_failed(at(epoch, 10));
        assert_eq!(outage.unreachable(at(epoch, 100), window), Duration::ZERO);
        outage.broke();
        outage.attempt_failed(at(epoch, 200));
        assert_eq!(
            outage.unreachable(at(epoch, 300), window),
            Duration::from_millis(100)
        );
    }

    #[test]
    fn only_the_counted_part_counts() {
        let epoch = Instant::now();
        let mut outage = Outage::new(1);
        outage.broke();
        outage.attempt_failed(epoch);
        let warming = Window {
            begun: None,
            end: None,
        };
        outage.reached(at(epoch, 500), warming);
        assert_eq!(outage.unreachable(at(epoch, 600), warming), Duration::ZERO);
        let window = Window {
            begun: Some(at(epoch, 1000)),
            end: None,
        };
        outage.broke();
        outage.attempt_failed(at(epoch, 800));
        outage.reached(at(epoch, 1250), window);
        assert_eq!(
            outage.unreachable(at(epoch, 2000), window),
            Duration::from_millis(250)
        );
    }
}

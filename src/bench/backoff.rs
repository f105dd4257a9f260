//! When to try a broken connection again: gRPC's connection-backoff algorithm
//! (grpc/grpc `doc/connection-backoff.md`), as a pure type the caller drives with its own clock.
//!
//! ```text
//! current_backoff = INITIAL_BACKOFF
//! current_deadline = now() + INITIAL_BACKOFF
//! while TryConnect(Max(current_deadline, now() + MIN_CONNECT_TIMEOUT)) != SUCCESS
//!   SleepUntil(current_deadline)
//!   current_backoff = Min(current_backoff * MULTIPLIER, MAX_BACKOFF)
//!   current_deadline = now() + current_backoff ± JITTER * current_backoff
//! ```

use std::time::Duration;

/// The algorithm's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    pub initial: Duration,
    pub multiplier: f64,
    /// The share of each backoff by which it is moved at random, either way.
    pub jitter: f64,
    pub max: Duration,
    /// The least time an attempt is given to connect.
    pub min_connect_timeout: Duration,
}

impl Policy {
    /// The values the spec gives.
    pub const GRPC: Policy = Policy {
        initial: Duration::from_secs(1),
        multiplier: 1.6,
        jitter: 0.2,
        max: Duration::from_secs(120),
        min_connect_timeout: Duration::from_secs(20),
    };
}

/// The delays of one outage, from its first connection attempt until one succeeds.
#[derive(Debug, Clone)]
pub struct Backoff {
    policy: Policy,
    /// `None` before the first attempt.
    current: Option<Duration>,
    /// The jitter's random source (splitmix64): attempts begun at once by several connections
    /// must spread apart, and tests give a seed to see a fixed sequence.
    state: u64,
}

impl Backoff {
    pub fn new(policy: Policy, seed: u64) -> Backoff {
        Backoff {
            policy,
            current: None,
            state: seed,
        }
    }

    /// A backoff with a seed of its own.
    pub fn seeded(policy: Policy) -> Backoff {
        use std::hash::{BuildHasher as _, RandomState};
        Backoff::new(policy, RandomState::new().hash_one(0u8))
    }

    /// Called as an attempt starts: how long after its start the next attempt may start, if
    /// this one fails. The first is the initial backoff exactly; each later one is the previous
    /// backoff times the multiplier, at most the maximum, moved by up to ± the jitter.
    pub fn next_delay(&mut self) -> Duration {
        let Some(current) = self.current else {
            self.current = Some(self.policy.initial);
            return self.policy.initial;
        };
        let grown = current.mul_f64(self.policy.multiplier).min(self.policy.max);
        self.current = Some(grown);
        let spread = 2.0 * self.uniform() - 1.0;
        grown.mul_f64((1.0 + self.policy.jitter * spread).max(0.0))
    }

    /// How long an attempt that may be followed by another after `delay` is given to connect.
    pub fn attempt_timeout(&self, delay: Duration) -> Duration {
        delay.max(self.policy.min_connect_timeout)
    }

    /// A number in [0, 1).
    fn uniform(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(duration: Duration) -> f64 {
        duration.as_secs_f64()
    }

    #[test]
    fn the_delays_grow_by_the_multiplier_within_the_jitter_up_to_the_maximum() {
        let mut backoff = Backoff::new(Policy::GRPC, 7);
        assert_eq!(
            backoff.next_delay(),
            Duration::from_secs(1),
            "no jitter first"
        );
        let mut expected = 1.0_f64;
        for attempt in 2..=30 {
            expected = (expected * 1.6).min(120.0);
            let delay = secs(backoff.next_delay());
            assert!(
                delay >= expected * 0.8 - 1e-9 && delay <= expected * 1.2 + 1e-9,
                "attempt {attempt}: {delay} is not {expected} ± 20%"
            );
        }
        // By then the backoff is at its maximum: 120 s ± 20%.
        assert_eq!(expected, 120.0);
    }

    #[test]
    fn a_seed_gives_one_sequence_and_seeds_spread_apart() {
        let delays = |seed| {
            let mut backoff = Backoff::new(Policy::GRPC, seed);
            (0..6).map(|_| backoff.next_delay()).collect::<Vec<_>>()
        };
        assert_eq!(delays(1), delays(1));
        assert_ne!(delays(1), delays(2));
        assert_eq!(delays(1)[0], delays(2)[0]);
    }

    #[test]
    fn the_jitter_covers_its_range() {
        let mut low = f64::MAX;
        let mut high = f64::MIN;
        for seed in 0..200 {
            let mut backoff = Backoff::new(Policy::GRPC, seed);
            backoff.next_delay();
            let delay = secs(backoff.next_delay());
            low = low.min(delay);
            high = high.max(delay);
        }
        // 1.6 s ± 0.32 s, spread over most of that range.
        assert!((1.28 - 1e-9..1.35).contains(&low), "{low}");
        assert!((1.85..=1.92 + 1e-9).contains(&high), "{high}");
    }

    #[test]
    fn without_jitter_the_sequence_is_exact() {
        let policy = Policy {
            jitter: 0.0,
            ..Policy::GRPC
        };
        let mut backoff = Backoff::new(policy, 0);
        let delays: Vec<u128> = (0..14).map(|_| backoff.next_delay().as_millis()).collect();
        assert_eq!(
            delays,
            [
                1000, 1600, 2560, 4096, 6553, 10485, 16777, 26843, 42949, 68719, 109951, 120000,
                120000, 120000
            ]
        );
    }

    #[test]
    fn an_attempt_gets_at_least_the_minimum_connect_timeout() {
        let backoff = Backoff::new(Policy::GRPC, 0);
        assert_eq!(
            backoff.attempt_timeout(Duration::from_secs(1)),
            Duration::from_secs(20)
        );
        assert_eq!(
            backoff.attempt_timeout(Duration::from_secs(100)),
            Duration::from_secs(100)
        );
    }
}

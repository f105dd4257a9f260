//! A load schedule: the open loop's rate (`--rps A:B` with `--ramp D` or `--rps-step S/E`) or
//! the closed loop's concurrency (`-c A:B --ramp D`), rising from A to B, then B until the run
//! ends. Times are seconds from the start of the load.
//!
//! An open loop's calls are due where the integral of the rate reaches each whole number: call
//! `i` is due at the time `t` with `∫₀ᵗ rate = i`, worked out from `i` alone, so that no error
//! adds up from one call to the next however long the ramp.

use std::time::Duration;

/// How the target rises from `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ramp {
    pub from: f64,
    pub to: f64,
    pub rise: Rise,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rise {
    /// `--ramp D`: linearly over D.
    Linear(Duration),
    /// `--rps-step S/E`: S more every E, starting at `from`, never above `to`.
    Steps { step: f64, every: Duration },
}

impl Ramp {
    /// How long until the target reaches `to`, and stays there.
    pub fn length(&self) -> Duration {
        match self.rise {
            Rise::Linear(over) => over,
            Rise::Steps { every, .. } => every.saturating_mul(self.levels_before_top()),
        }
    }

    /// Steps: the number of levels below `to` (`to` is the level of that index).
    fn levels_before_top(&self) -> u32 {
        let Rise::Steps { step, .. } = self.rise else {
            return 0;
        };
        let levels = ((self.to - self.from) / step).ceil().max(0.0);
        // Settings bound the ramp's length by -z, so this is never near the bound.
        levels.min(f64::from(u32::MAX)) as u32
    }

    /// The target at `t`.
    pub fn level(&self, t: f64) -> f64 {
        let t = t.max(0.0);
        match self.rise {
            Rise::Linear(over) => {
                let over = over.as_secs_f64();
                if t >= over {
                    self.to
                } else {
                    self.from + (self.to - self.from) * t / over
                }
            }
            Rise::Steps { step, every } => {
                let j = (t / every.as_secs_f64()).floor();
                (self.from + j * step).min(self.to)
            }
        }
    }

    /// `∫₀ᵗ level`: for a rate, the calls due from the start to `t`.
    pub fn integral(&self, t: f64) -> f64 {
        let t = t.max(0.0);
        match self.rise {
            Rise::Linear(over) => {
                let over = over.as_secs_f64();
                if t <= over {
                    self.from * t + (self.to - self.from) * t * t / (2.0 * over)
                } else {
                    (self.from + self.to) * over / 2.0 + self.to * (t - over)
                }
            }
            Rise::Steps { step, every } => {
                let e = every.as_secs_f64();
                let top = u64::from(self.levels_before_top());
                let j = ((t / e).floor() as u64).min(top);
                let start = j as f64 * e;
                self.steps_before(j, step, e) + self.step_level(j, step) * (t - start)
            }
        }
    }

    /// Steps: the level of step `j`.
    fn step_level(&self, j: u64, step: f64) -> f64 {
        (self.from + j as f64 * step).min(self.to)
    }

    /// Steps: `∫` over the `j` whole steps before step `j` (each below `to`).
    fn steps_before(&self, j: u64, step: f64, every: f64) -> f64 {
        let j = j as f64;
        every * (j * self.from + step * j * (j - 1.0) / 2.0)
    }

    /// The mean target from `t0` to `t1`; the target at `t0` when they are equal.
    pub fn mean(&self, t0: f64, t1: f64) -> f64 {
        if t1 > t0 {
            (self.integral(t1) - self.integral(t0)) / (t1 - t0)
        } else {
            self.level(t0)
        }
    }

    /// When call `i` (from 0) of an open loop at this rate is due: the `t` where
    /// `integral(t) = i`.
    pub fn due(&self, i: u64) -> f64 {
        let i = i as f64;
        match self.rise {
            Rise::Linear(over) => {
                let over = over.as_secs_f64();
                let ramped = (self.from + self.to) * over / 2.0;
                if i <= ramped {
                    // The root of from·t + k·t²/2 = i, in the form that neither cancels nor
                    // divides by k (which is 0 for a flat ramp).
                    let k = (self.to - self.from) / over;
                    let root = (self.from * self.from + 2.0 * k * i).sqrt();
                    if i == 0.0 {
                        0.0
                    } else {
                        2.0 * i / (self.from + root)
                    }
                } else {
                    over + (i - ramped) / self.to
                }
            }
            Rise::Steps { step, every } => {
                let e = every.as_secs_f64();
                let top = u64::from(self.levels_before_top());
                // The last step whose start is due at or before `i`: the integral is
                // nondecreasing in the step.
                let (mut low, mut high) = (0, top);
                while low < high {
                    let middle = (low + high).div_ceil(2);
                    if self.steps_before(middle, step, e) <= i {
                        low = middle;
                    } else {
                        high = middle - 1;
                    }
                }
                let j = low;
                let level = self.step_level(j, step);
                j as f64 * e + (i - self.steps_before(j, step, e)) / level
            }
        }
    }

    /// When the target first reaches `n` (0 if it starts there): when a closed loop's `n`th
    /// caller joins.
    pub fn reaches(&self, n: f64) -> f64 {
        if n <= self.from {
            return 0.0;
        }
        match self.rise {
            Rise::Linear(over) => {
                let over = over.as_secs_f64();
                if self.to <= self.from {
                    0.0
                } else {
                    ((n - self.from) / (self.to - self.from) * over).min(over)
                }
            }
            Rise::Steps { step, every } => {
                let steps = ((n - self.from) / step).ceil();
                steps * every.as_secs_f64()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linear(from: f64, to: f64, secs: u64) -> Ramp {
        Ramp {
            from,
            to,
            rise: Rise::Linear(Duration::from_secs(secs)),
        }
    }

    fn steps(from: f64, to: f64, step: f64, secs: u64) -> Ramp {
        Ramp {
            from,
            to,
            rise: Rise::Steps {
                step,
                every: Duration::from_secs(secs),
            },
        }
    }

    /// Call `i` is due where the calls due so far reach `i`.
    fn assert_due_inverts(ramp: &Ramp, calls: u64) {
        for i in 0..calls {
            let t = ramp.due(i);
            let back = ramp.integral(t);
            assert!(
                (back - i as f64).abs() < 1e-6,
                "{ramp:?} call {i}: {t} -> {back}"
            );
            if i > 0 {
                assert!(
                    t > ramp.due(i - 1),
                    "{ramp:?} call {i} is not after call {}",
                    i - 1
                );
            }
        }
    }

    #[test]
    fn a_linear_ramp_is_due_where_its_rate_integrates_to_each_call() {
        // From 0 to 100/s over 10 s: 5 t² calls by t, so call i is due at √(i/5).
        let ramp = linear(0.0, 100.0, 10);
        assert_eq!(ramp.due(0), 0.0);
        assert_eq!(ramp.due(5), 1.0);
        assert_eq!(ramp.due(20), 2.0);
        assert_eq!(ramp.due(500), 10.0);
        assert!((ramp.due(1) - (1.0f64 / 5.0).sqrt()).abs() < 1e-12);
        // Then 100/s.
        assert_eq!(ramp.due(600), 11.0);
        assert_eq!(ramp.integral(10.0), 500.0);
        assert_eq!(ramp.level(5.0), 50.0);
        assert_eq!(ramp.level(20.0), 100.0);
        // From 100 to 5000/s over 300 s: 100t + 49t²/6 calls by t.
        let ramp = linear(100.0, 5000.0, 300);
        assert_eq!(ramp.integral(300.0), 765_000.0);
        assert!((ramp.due(765_000) - 300.0).abs() < 1e-9);
        assert_eq!(ramp.integral(1.0), 100.0 + 49.0 / 6.0);
        assert_due_inverts(&ramp, 20_000);
        // The second from 60 s to 61 s has the calls of its mean rate, the rate at 60.5 s.
        let mid = 100.0 + 4900.0 * 60.5 / 300.0;
        assert!((ramp.integral(61.0) - ramp.integral(60.0) - mid).abs() < 1e-6);
        assert!((ramp.mean(60.0, 61.0) - mid).abs() < 1e-6);
        // A flat ramp is a constant rate.
        let flat = linear(400.0, 400.0, 5);
        assert_eq!(flat.due(1), 1.0 / 400.0);
        assert_eq!(flat.due(4000), 10.0);
        assert_due_inverts(&flat, 5000);
    }

    #[test]
    fn steps_add_their_rate_every_step_up_to_the_top() {
        // 100/s for 2 s, 200/s for 2 s, 250/s after (capped).
        let ramp = steps(100.0, 250.0, 100.0, 2);
        assert_eq!(ramp.length(), Duration::from_secs(4));
        assert_eq!(ramp.level(1.9), 100.0);
        assert_eq!(ramp.level(2.0), 200.0);
        assert_eq!(ramp.level(4.0), 250.0);
        assert_eq!(ramp.level(100.0), 250.0);
        assert_eq!(ramp.integral(2.0), 200.0);
        assert_eq!(ramp.integral(4.0), 600.0);
        assert_eq!(ramp.integral(6.0), 1100.0);
        assert_eq!(ramp.due(0), 0.0);
        assert_eq!(ramp.due(1), 0.01);
        assert_eq!(ramp.due(200), 2.0);
        assert_eq!(ramp.due(201), 2.005);
        assert_eq!(ramp.due(600), 4.0);
        assert_eq!(ramp.due(601), 4.004);
        assert_eq!(ramp.due(1100), 6.0);
        assert_due_inverts(&ramp, 3000);
        // Steps that land on the top exactly.
        let exact = steps(50.0, 200.0, 50.0, 1);
        assert_eq!(exact.length(), Duration::from_secs(3));
        assert_eq!(exact.integral(3.0), 50.0 + 100.0 + 150.0);
        assert_due_inverts(&exact, 2000);
        // From nothing: the first step has no calls.
        let from_zero = steps(0.0, 20.0, 10.0, 1);
        assert_eq!(from_zero.due(0), 1.0);
        assert_eq!(from_zero.due(10), 2.0);
        assert_due_inverts(&from_zero, 100);
    }

    #[test]
    fn callers_join_as_the_concurrency_rises() {
        let ramp = linear(2.0, 10.0, 8);
        assert_eq!(ramp.reaches(1.0), 0.0);
        assert_eq!(ramp.reaches(2.0), 0.0);
        assert_eq!(ramp.reaches(3.0), 1.0);
        assert_eq!(ramp.reaches(10.0), 8.0);
        assert_eq!(ramp.mean(0.0, 8.0), 6.0);
        assert_eq!(ramp.mean(8.0, 9.0), 10.0);
        let stepped = steps(1.0, 4.0, 1.0, 2);
        assert_eq!(stepped.reaches(2.0), 2.0);
        assert_eq!(stepped.reaches(4.0), 6.0);
    }
}

//! What the load aims at over time: an open loop's rate (fixed, or ramped by `--rps A:B`), or a
//! closed loop's concurrency ramped by `-c A:B`. The live figures show it, and each interval
//! of the report gives its mean.

use crate::settings::{Bench, Ramp};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// `--rps N`.
    Rate(f64),
    /// `--rps A:B` with `--ramp` or `--rps-step`.
    RateRamp(Ramp),
    /// `-c A:B --ramp`.
    Concurrency(Ramp),
}

impl Goal {
    /// None for a closed loop at one `-c`.
    pub fn of(bench: &Bench) -> Option<Goal> {
        match (bench.rps, bench.ramp) {
            (Some(_), Some(ramp)) => Some(Goal::RateRamp(ramp)),
            (Some(rate), None) => Some(Goal::Rate(rate)),
            (None, Some(ramp)) => Some(Goal::Concurrency(ramp)),
            (None, None) => None,
        }
    }

    /// The target `t` seconds into the load.
    pub fn at(&self, t: f64) -> f64 {
        match self {
            Goal::Rate(rate) => *rate,
            Goal::RateRamp(ramp) => ramp.level(t),
            // Callers are whole: the ones that have joined.
            Goal::Concurrency(ramp) => ramp.level(t).floor(),
        }
    }

    /// The mean target from `t0` to `t1` seconds into the load.
    pub fn mean(&self, t0: f64, t1: f64) -> f64 {
        match self {
            Goal::Rate(rate) => *rate,
            Goal::RateRamp(ramp) | Goal::Concurrency(ramp) => ramp.mean(t0, t1),
        }
    }

    /// What the target counts, after its number.
    pub fn unit(&self) -> &'static str {
        match self {
            Goal::Rate(_) | Goal::RateRamp(_) => "req/s",
            Goal::Concurrency(_) => "in flight",
        }
    }
}

//! `--split I/N`: one generator's part of a load that N generators share. I counts from 0, as
//! the index a Kubernetes Indexed Job gives each pod (`JOB_COMPLETION_INDEX`) does, so that the
//! Job's pods run `--split $(JOB_COMPLETION_INDEX)/N` as they are.

use std::fmt;

use crate::exit::{UsageError, one_line};

/// Generator `index` (from 0) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub index: u32,
    pub count: u32,
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Split {
    /// `I/N`, with 0 ≤ I < N.
    pub fn parse(value: &str) -> Result<Split, UsageError> {
        let bad = |why: &str| UsageError(one_line(format!("bad --split '{value}': {why}")));
        let (index, count) = value.trim().split_once('/').ok_or_else(|| {
            bad("expected I/N, this generator's index I (from 0) among N generators, e.g. 0/4")
        })?;
        let number = |word: &str, what: &str| {
            word.trim()
                .parse::<u32>()
                .map_err(|_| bad(&format!("{what} '{word}' is not a whole number")))
        };
        let (index, count) = (number(index, "I")?, number(count, "N")?);
        if count == 0 {
            return Err(bad("N, the number of generators, must be at least 1"));
        }
        if index >= count {
            return Err(bad(&format!(
                "I counts from 0, so it must be less than N (0 to {})",
                count - 1
            )));
        }
        Ok(Split { index, count })
    }

    /// This part's share of `whole`: `whole / N`, and one more for each of the first
    /// `whole % N` parts, so that the N shares add up to `whole`.
    pub fn share(self, whole: u64) -> u64 {
        let count = u64::from(self.count);
        whole / count + u64::from(u64::from(self.index) < whole % count)
    }

    /// This part's share of a rate: in whole calls per second as [`Split::share`] gives them
    /// when the rate is a whole number that leaves every part at least one; else an even part.
    pub fn rate_share(self, rate: f64) -> f64 {
        let count = f64::from(self.count);
        if rate.fract() == 0.0 && rate >= count {
            self.share(rate as u64) as f64
        } else {
            rate / count
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(index: u32, count: u32) -> Split {
        Split { index, count }
    }

    #[test]
    fn parses_a_zero_based_index() {
        assert_eq!(Split::parse("0/4").unwrap(), split(0, 4));
        assert_eq!(Split::parse("3/4").unwrap(), split(3, 4));
        assert_eq!(Split::parse(" 0/1 ").unwrap(), split(0, 1));
        for (bad, needle) in [
            ("4/4", "less than N (0 to 3)"),
            ("9/4", "less than N"),
            ("0/0", "at least 1"),
            ("1", "expected I/N"),
            ("a/4", "'a' is not a whole number"),
            ("1/-4", "'-4' is not a whole number"),
            ("", "expected I/N"),
        ] {
            let err = Split::parse(bad).unwrap_err().0;
            assert!(err.starts_with(&format!("bad --split '{bad}'")), "{err}");
            assert!(err.contains(needle), "{bad}: {err}");
        }
    }

    #[test]
    fn shares_add_up_to_the_whole() {
        for (whole, count) in [(1001, 4), (3, 8), (8, 8), (0, 3), (1_000_000_007, 13)] {
            let shares: Vec<u64> = (0..count).map(|i| split(i, count).share(whole)).collect();
            assert_eq!(shares.iter().sum::<u64>(), whole, "{shares:?}");
            let (least, most) = (shares.iter().min(), shares.iter().max());
            assert!(most.unwrap() - least.unwrap() <= 1, "{shares:?}");
        }
        let shares: Vec<u64> = (0..4).map(|i| split(i, 4).share(1001)).collect();
        assert_eq!(shares, [251, 250, 250, 250]);
        assert_eq!(split(5, 8).share(3), 0);
    }

    #[test]
    fn rates_are_shared_in_whole_calls_when_they_can_be() {
        let rates: Vec<f64> = (0..3).map(|i| split(i, 3).rate_share(1000.0)).collect();
        assert_eq!(rates, [334.0, 333.0, 333.0]);
        assert_eq!(split(0, 8).rate_share(3.0), 0.375);
        assert_eq!(split(1, 2).rate_share(0.5), 0.25);
        assert_eq!(split(0, 2).rate_share(2.5), 1.25);
    }
}

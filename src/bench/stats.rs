//! What the calls measured: a tally per shard of callers, recorded into as each call ends and
//! merged at the end. Latencies go into an HdrHistogram (microseconds, three significant
//! digits: exact below 2 ms, within 0.1% above), so percentiles cover every call, with no
//! sampling, in memory that does not grow with the number of calls.

use std::{collections::BTreeMap, time::Duration};

use hdrhistogram::Histogram;
use tonic::Code;

use super::{
    hdr,
    report::{Bucket, Endpoint, ErrorGroup, Latency},
};
use crate::exit::code_name;

/// The longest latency told apart: an hour. Longer calls count as an hour.
const MAX_LATENCY_US: u64 = 3_600_000_000;
const SIGNIFICANT_DIGITS: u8 = 3;
/// Distinct error messages kept per status and shard; the rest are counted together.
const MAX_ERROR_GROUPS: usize = 64;
const OTHER_MESSAGES: &str = "(other messages)";
/// The report's histogram has at most this many buckets.
const MAX_BUCKETS: u64 = 20;
/// Every status code, by number.
const CODES: usize = 17;

/// A latency histogram as the tallies keep them.
pub fn histogram() -> Histogram<u64> {
    // The bounds are constants that HdrHistogram accepts.
    Histogram::new_with_max(MAX_LATENCY_US, SIGNIFICANT_DIGITS)
        .expect("the histogram's bounds are valid")
}

/// Microseconds, saturating.
pub fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

/// The figures of some calls.
#[derive(Debug, Clone)]
pub struct Tally {
    latency: Histogram<u64>,
    /// From each call's start to its first response message (streaming responses only).
    first_message: Histogram<u64>,
    statuses: [u64; CODES],
    errors: Vec<ErrorCount>,
    /// Calls and failed calls by endpoint (the index of its `--addr`).
    endpoints: Vec<(u64, u64)>,
    /// Response messages of streaming responses.
    messages: u64,
    /// Open loop: calls that waited for a free slot.
    late: u64,
    /// Calls not attempted because their connection was down: counted, with no latency.
    unattempted: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ErrorCount {
    code: Code,
    message: String,
    count: u64,
}

/// How a call ended, as far as the tally is concerned.
pub enum Ended<'a> {
    Ok,
    /// The status it failed with, and the message to group it under.
    Failed(Code, &'a str),
}

impl Tally {
    pub fn new(endpoints: usize) -> Tally {
        Tally {
            latency: histogram(),
            first_message: histogram(),
            statuses: [0; CODES],
            errors: Vec::new(),
            endpoints: vec![(0, 0); endpoints],
            messages: 0,
            late: 0,
            unattempted: 0,
        }
    }

    /// Calls counted: those attempted, whose latency is measured, and those not attempted.
    pub fn count(&self) -> u64 {
        self.latency.len() + self.unattempted
    }

    /// Calls counted that did not end with OK.
    pub fn error_count(&self) -> u64 {
        self.count() - self.statuses[Code::Ok as usize]
    }

    pub fn latency_histogram(&self) -> &Histogram<u64> {
        &self.latency
    }

    /// Records one call on `endpoint`.
    pub fn record(&mut self, endpoint: usize, latency: Duration, ended: Ended<'_>) {
        self.latency.saturating_record(micros(latency));
        let code = match ended {
            Ended::Ok => Code::Ok,
            Ended::Failed(code, message) => {
                self.error(code, message);
                code
            }
        };
        self.statuses[code as usize] += 1;
        if let Some(counts) = self.endpoints.get_mut(endpoint) {
            counts.0 += 1;
            counts.1 += u64::from(code != Code::Ok);
        }
    }

    /// Records a call on `endpoint` that was not attempted, its connection being down, as
    /// UNAVAILABLE with `message`. It has no latency.
    pub fn record_unattempted(&mut self, endpoint: usize, message: &str) {
        self.unattempted += 1;
        self.error(Code::Unavailable, message);
        self.statuses[Code::Unavailable as usize] += 1;
        if let Some(counts) = self.endpoints.get_mut(endpoint) {
            counts.0 += 1;
            counts.1 += 1;
        }
    }

    /// Records the response messages of a streaming call, and when the first arrived.
    pub fn record_messages(&mut self, messages: u64, first: Option<Duration>) {
        self.messages += messages;
        if let Some(first) = first {
            self.first_message.saturating_record(micros(first));
        }
    }

    /// Counts a call that could not start on time.
    pub fn record_late(&mut self) {
        self.late += 1;
    }

    fn error(&mut self, code: Code, message: &str) {
        if let Some(group) = self
            .errors
            .iter_mut()
            .find(|g| g.code == code && g.message == message)
        {
            group.count += 1;
            return;
        }
        let groups_of_code = self.errors.iter().filter(|g| g.code == code).count();
        let message = if groups_of_code < MAX_ERROR_GROUPS {
            message
        } else {
            OTHER_MESSAGES
        };
        match self
            .errors
            .iter_mut()
            .find(|g| g.code == code && g.message == message)
        {
            Some(group) => group.count += 1,
            None => self.errors.push(ErrorCount {
                code,
                message: message.to_owned(),
                count: 1,
            }),
        }
    }

    /// Adds `other`'s calls to these.
    pub fn merge(&mut self, other: &Tally) {
        // Both histograms have the same bounds, so adding cannot fail.
        let _ = self.latency.add(&other.latency);
        let _ = self.first_message.add(&other.first_message);
        for (mine, theirs) in self.statuses.iter_mut().zip(other.statuses) {
            *mine += theirs;
        }
        for group in &other.errors {
            match self
                .errors
                .iter_mut()
                .find(|g| g.code == group.code && g.message == group.message)
            {
                Some(mine) => mine.count += group.count,
                None => self.errors.push(group.clone()),
            }
        }
        for (mine, theirs) in self.endpoints.iter_mut().zip(&other.endpoints) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
        self.messages += other.messages;
        self.late += other.late;
        self.unattempted += other.unattempted;
    }

    pub fn latency(&self) -> Latency {
        latency_of(&self.latency)
    }

    pub fn first_message(&self) -> Latency {
        latency_of(&self.first_message)
    }

    pub fn messages(&self) -> u64 {
        self.messages
    }

    pub fn late(&self) -> u64 {
        self.late
    }

    /// Calls counted without being attempted: in `count`, not in the latency histogram.
    pub fn unattempted(&self) -> u64 {
        self.unattempted
    }

    /// Calls by status name, every status that occurred.
    pub fn statuses(&self) -> BTreeMap<String, u64> {
        self.statuses
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(code, count)| {
                let name = code_name(Code::from_i32(code as i32));
                (name.to_owned(), *count)
            })
            .collect()
    }

    /// Failed calls grouped by status and message, most frequent first.
    pub fn error_groups(&self) -> Vec<ErrorGroup> {
        let mut groups: Vec<&ErrorCount> = self.errors.iter().collect();
        groups.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| (a.code as i32).cmp(&(b.code as i32)))
                .then_with(|| a.message.cmp(&b.message))
        });
        groups
            .into_iter()
            .map(|g| ErrorGroup {
                status: code_name(g.code).to_owned(),
                message: g.message.clone(),
                count: g.count,
            })
            .collect()
    }

    /// Calls by endpoint; `addrs` are the endpoints' names, in order.
    pub fn endpoints(&self, addrs: &[String]) -> Vec<Endpoint> {
        addrs
            .iter()
            .zip(&self.endpoints)
            .map(|(addr, (count, errors))| Endpoint {
                addr: addr.clone(),
                count: *count,
                errors: *errors,
                unreachable_us: 0,
            })
            .collect()
    }

    /// The latency distribution in contiguous buckets from the least latency to the most.
    pub fn buckets(&self) -> Vec<Bucket> {
        buckets(&self.latency)
    }
}

/// The figures of a histogram of latencies, and the histogram itself in its text form.
pub fn latency_of(histogram: &Histogram<u64>) -> Latency {
    Latency {
        hdr_histogram: Some(hdr::encode(histogram)),
        ..figures(histogram)
    }
}

/// The figures of a histogram of latencies, without the histogram.
pub fn figures(histogram: &Histogram<u64>) -> Latency {
    if histogram.is_empty() {
        return Latency {
            min_us: 0,
            mean_us: 0.0,
            p50_us: 0,
            p90_us: 0,
            p95_us: 0,
            p99_us: 0,
            p999_us: 0,
            p9999_us: 0,
            max_us: 0,
            hdr_histogram: None,
        };
    }
    let at = |quantile| histogram.value_at_quantile(quantile);
    Latency {
        min_us: histogram.min(),
        mean_us: histogram.mean(),
        p50_us: at(0.5),
        p90_us: at(0.9),
        p95_us: at(0.95),
        p99_us: at(0.99),
        p999_us: at(0.999),
        p9999_us: at(0.9999),
        max_us: histogram.max(),
        hdr_histogram: None,
    }
}

/// Up to [`MAX_BUCKETS`] buckets of one round width (1, 2 or 5 × 10ᵏ µs) from the least latency
/// to the most: the first holds the calls up to the first multiple of the width at or above
/// the least latency, the last ends at the most. Each of the histogram's values falls in
/// exactly one bucket, so the counts add up to the calls.
pub fn buckets(histogram: &Histogram<u64>) -> Vec<Bucket> {
    if histogram.is_empty() {
        return Vec::new();
    }
    let (min, max) = (histogram.min(), histogram.max());
    let width = bucket_width(min, max);
    let first = min.div_ceil(width) * width;
    let len = if max <= first {
        1
    } else {
        (max - first).div_ceil(width) + 1
    };
    let mut buckets: Vec<Bucket> = (0..len)
        .map(|i| Bucket {
            upper_us: (first + i * width).min(max),
            count: 0,
        })
        .collect();
    for value in histogram.iter_recorded() {
        let low = histogram.lowest_equivalent(value.value_iterated_to());
        let index = if low <= first {
            0
        } else {
            (low - first).div_ceil(width)
        };
        let index = usize::try_from(index.min(len - 1)).unwrap_or(0);
        buckets[index].count += value.count_at_value();
    }
    buckets
}

/// The least round width that spreads `min..=max` over at most [`MAX_BUCKETS`] buckets.
fn bucket_width(min: u64, max: u64) -> u64 {
    let mut magnitude: u64 = 1;
    loop {
        for step in [1, 2, 5] {
            let width = step * magnitude;
            let first = min.div_ceil(width) * width;
            let len = max.saturating_sub(first).div_ceil(width) + 1;
            if len <= MAX_BUCKETS {
                return width;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(latencies_us: &[u64]) -> Tally {
        let mut tally = Tally::new(2);
        for (i, us) in latencies_us.iter().enumerate() {
            tally.record(i % 2, Duration::from_micros(*us), Ended::Ok);
        }
        tally
    }

    #[test]
    fn latencies_are_exact_in_microseconds() {
        let tally = tally(&(1..=1000).collect::<Vec<_>>());
        let latency = tally.latency();
        assert_eq!(latency.min_us, 1);
        assert_eq!(latency.max_us, 1000);
        assert_eq!(latency.p50_us, 500);
        assert_eq!(latency.p90_us, 900);
        assert_eq!(latency.p99_us, 990);
        assert_eq!(latency.p999_us, 999);
        assert_eq!(latency.p9999_us, 1000);
        let back = hdr::decode(latency.hdr_histogram.as_deref().unwrap()).unwrap();
        assert_eq!(&back, tally.latency_histogram());
        assert!(
            (latency.mean_us - 500.5).abs() < 0.01,
            "{}",
            latency.mean_us
        );
        assert_eq!(Tally::new(1).latency().max_us, 0);
    }

    #[test]
    fn merging_adds_everything() {
        let mut a = tally(&[100, 200]);
        a.record(
            1,
            Duration::from_micros(300),
            Ended::Failed(Code::Unavailable, "down"),
        );
        a.record_messages(5, Some(Duration::from_micros(40)));
        let mut b = tally(&[400]);
        b.record(
            0,
            Duration::from_micros(50),
            Ended::Failed(Code::Unavailable, "down"),
        );
        b.record(
            0,
            Duration::from_micros(60),
            Ended::Failed(Code::Internal, "bug"),
        );
        b.record_messages(7, None);
        b.record_late();
        b.record_unattempted(1, "down");
        a.merge(&b);
        assert_eq!(a.count(), 7);
        assert_eq!(a.error_count(), 4);
        assert_eq!(
            a.latency_histogram().len(),
            6,
            "a call not attempted has no latency"
        );
        assert_eq!(a.latency().min_us, 50);
        assert_eq!(a.latency().max_us, 400);
        assert_eq!(a.messages(), 12);
        assert_eq!(a.first_message().max_us, 40);
        assert_eq!(a.late(), 1);
        let statuses: Vec<(String, u64)> = a.statuses().into_iter().collect();
        assert_eq!(
            statuses,
            [
                ("INTERNAL".into(), 1),
                ("OK".into(), 3),
                ("UNAVAILABLE".into(), 3)
            ]
        );
        let errors = a.error_groups();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            (
                errors[0].status.as_str(),
                errors[0].message.as_str(),
                errors[0].count
            ),
            ("UNAVAILABLE", "down", 3)
        );
        let endpoints = a.endpoints(&["a:1".into(), "b:2".into()]);
        assert_eq!((endpoints[0].count, endpoints[0].errors), (4, 2));
        assert_eq!((endpoints[1].count, endpoints[1].errors), (3, 2));
    }

    #[test]
    fn error_messages_are_bounded() {
        let mut tally = Tally::new(1);
        for i in 0..1000 {
            let message = format!("failure {i}");
            tally.record(
                0,
                Duration::from_micros(1),
                Ended::Failed(Code::Internal, &message),
            );
        }
        let errors = tally.error_groups();
        assert_eq!(errors.len(), MAX_ERROR_GROUPS + 1);
        assert_eq!(errors[0].message, OTHER_MESSAGES);
        assert_eq!(errors[0].count, 1000 - MAX_ERROR_GROUPS as u64);
        assert_eq!(errors.iter().map(|g| g.count).sum::<u64>(), 1000);
    }

    #[test]
    fn buckets_are_contiguous_and_hold_every_call() {
        for latencies in [
            vec![80, 95, 120, 400, 1500],
            (1..=10_000).collect(),
            vec![7],
            vec![5, 5, 6],
            vec![0, 3],
            vec![100, 3_000_000],
            vec![12_345, 12_399, 987_654],
        ] {
            let tally = tally(&latencies);
            let buckets = tally.buckets();
            let latency = tally.latency();
            assert!(
                !buckets.is_empty() && buckets.len() <= 20,
                "{latencies:?}: {buckets:?}"
            );
            assert!(buckets[0].upper_us >= latency.min_us, "{buckets:?}");
            assert_eq!(
                buckets.last().unwrap().upper_us,
                latency.max_us,
                "{buckets:?}"
            );
            assert!(buckets.windows(2).all(|w| w[0].upper_us < w[1].upper_us));
            let total: u64 = buckets.iter().map(|b| b.count).sum();
            assert_eq!(total, latencies.len() as u64, "{latencies:?}: {buckets:?}");
        }
        // Round widths, and each latency where it belongs.
        let buckets = tally(&[80, 95, 120, 400, 1500]).buckets();
        assert_eq!(buckets.len(), 15);
        assert_eq!(buckets[0].upper_us, 100);
        assert_eq!(buckets[0].count, 2);
        assert_eq!(buckets[1].upper_us, 200);
        assert_eq!(buckets[1].count, 1);
        assert_eq!(buckets[3].count, 1);
        assert_eq!(buckets[14].count, 1);
        // Above 2 ms a value stands for a range (10,000 µs for 10,000–10,007): the last bucket
        // ends at the top of the range.
        let buckets = tally(&(1..=10_000).collect::<Vec<_>>()).buckets();
        assert_eq!(buckets.len(), 11);
        assert_eq!(buckets[0].upper_us, 1000);
        assert_eq!(buckets[0].count, 1000);
        assert_eq!(buckets[10].upper_us, 10_007);
        assert!(Tally::new(1).buckets().is_empty());
    }
}

//! The report of one `apicli bench` run: what was run, how fast, and how it ended. Its JSON
//! form (`-o json`) is a public interface: field names are stable, durations are microseconds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Everything a run measured. `-o json` prints it as one object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// `package.Service/Method`.
    pub method: String,
    /// `unary`, `server-streaming`, `client-streaming` or `bidi`.
    pub kind: String,
    /// The load's shape, as asked.
    pub shape: Shape,
    /// Calls counted (warm-up calls are not), failed ones included, and those not attempted
    /// because their endpoint was unreachable (UNAVAILABLE, with no latency).
    pub count: u64,
    /// Wall time of the counted part of the run.
    pub duration_us: u64,
    /// `count` ÷ `duration_us`, per second.
    pub rps: f64,
    /// Over every counted call that was attempted, failed ones included.
    pub latency: Latency,
    /// The latency distribution, for the text bars: contiguous buckets from `latency.min_us` to
    /// `latency.max_us`.
    pub histogram: Vec<Bucket>,
    /// Calls by status name (`OK`, `UNAVAILABLE`, …), every status that occurred.
    pub statuses: BTreeMap<String, u64>,
    /// Failed calls, grouped by status and message, most frequent first.
    pub errors: Vec<ErrorGroup>,
    /// Calls by endpoint (`--addr`), in the order given.
    pub endpoints: Vec<Endpoint>,
    /// With `--interval`: the counted part in intervals from its start, one row each; empty
    /// without it, and in reports of earlier versions.
    #[serde(default)]
    pub intervals: Vec<Interval>,
    /// Present with `--rps`: latency is measured from each call's scheduled start.
    pub open_loop: Option<OpenLoop>,
    /// Present for server-streaming and bidi methods.
    pub streams: Option<Streams>,
    /// True when the run was cut short (Ctrl-C): the figures cover what completed.
    pub interrupted: bool,
    /// Time the endpoints were unreachable during the counted part, added over the endpoints
    /// (each one's is in `endpoints`). Absent from reports of earlier versions: 0.
    #[serde(default)]
    pub unreachable_us: u64,
    /// Of `count`, the calls not attempted, their endpoint being unreachable: they have no
    /// latency, so `count` is this plus the calls in `latency.hdr_histogram`. Absent from
    /// reports of earlier versions: 0.
    #[serde(default)]
    pub unattempted: u64,
    /// The wall-clock time the counted part began, RFC 3339 in UTC to the microsecond. Absent
    /// from reports of earlier versions.
    #[serde(default)]
    pub started_at: Option<String>,
    /// The wall-clock time the counted part ended, as `started_at`.
    #[serde(default)]
    pub ended_at: Option<String>,
    /// `bench merge`: the reports merged, each a part of the load (a merged report's own parts
    /// in its place). Empty for one run.
    #[serde(default)]
    pub parts: Vec<Part>,
}

impl Report {
    /// Calls that did not end with OK.
    pub fn error_count(&self) -> u64 {
        self.statuses
            .iter()
            .filter(|(status, _)| status.as_str() != "OK")
            .map(|(_, count)| count)
            .sum()
    }

    /// The share of calls that did not end with OK, from 0 to 1 (0 when no call was counted).
    pub fn error_rate(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.error_count() as f64 / self.count as f64
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    /// `-c`: calls in flight at once.
    pub concurrency: u32,
    /// `--connections`: HTTP/2 connections, over all endpoints.
    pub connections: u32,
    /// `--threads`: runtime worker threads.
    pub threads: u32,
    /// `-n`, when the run stops after a number of calls.
    pub total: Option<u64>,
    /// `-z`, when the run stops after a time.
    pub duration_us: Option<u64>,
    /// `--rps`, for an open-loop run.
    pub rps: Option<f64>,
    /// `--warmup` as a number of calls.
    pub warmup_calls: Option<u64>,
    /// `--warmup` as a time.
    pub warmup_us: Option<u64>,
    /// `--split I/N`: this run was part I (from 0) of a load that N generators shared, and the
    /// settings above are its share. None for a whole load, and for a merged report. Absent
    /// from reports of earlier versions.
    #[serde(default)]
    pub split: Option<String>,
    /// `--start-at`: when the load was to start, RFC 3339 in UTC. Absent from reports of
    /// earlier versions.
    #[serde(default)]
    pub start_at: Option<String>,
}

/// Latency figures, microseconds: exact over every counted call (HdrHistogram, no sampling).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub min_us: u64,
    pub mean_us: f64,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
    pub p999_us: u64,
    /// Absent from reports of earlier versions: 0.
    #[serde(default)]
    pub p9999_us: u64,
    pub max_us: u64,
    /// Every latency of the figures above: HdrHistogram's V2 encoding, deflated, in base64
    /// (`HISTF…`), as HdrHistogram's tools read it. Absent from reports of earlier versions,
    /// which cannot be merged.
    #[serde(default)]
    pub hdr_histogram: Option<String>,
}

/// Calls whose latency is at most `upper_us` and above the previous bucket's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub upper_us: u64,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorGroup {
    /// The status name, e.g. `UNAVAILABLE`.
    pub status: String,
    pub message: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The address as given to `--addr`.
    pub addr: String,
    /// Calls counted on this endpoint's connections.
    pub count: u64,
    /// Of those, calls that did not end with OK.
    pub errors: u64,
    /// Time this endpoint was unreachable during the counted part.
    #[serde(default)]
    pub unreachable_us: u64,
}

/// One `--interval` of the run: the calls that ended in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// From the start of the counted part.
    pub start_us: u64,
    pub count: u64,
    /// `count` ÷ the interval's length (the last one's may be shorter).
    pub rps: f64,
    pub p50_us: u64,
    pub p99_us: u64,
    /// Calls that did not end with OK.
    pub errors: u64,
    /// The load's mean target over the interval: calls per second with `--rps`, calls in
    /// flight with `-c A:B`; `None` for a closed loop at one `-c`.
    pub target: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenLoop {
    /// The arrival rate asked for (`--rps`).
    pub target_rps: f64,
    /// Calls that started later than scheduled because every slot (`-c`) was busy. Their
    /// latency counts from the scheduled start (coordinated omission corrected).
    pub late: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Streams {
    /// Response messages received over all counted calls.
    pub messages: u64,
    /// `messages` ÷ `duration_us`, per second.
    pub messages_per_s: f64,
    /// From each call's start to its first response message, over calls that had one.
    pub first_message: Latency,
}

/// One report of those `bench merge` merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// Where the report was read: its file as given (`stdin` for `-`), with the line when the
    /// input held several reports.
    pub source: String,
    pub started_at: String,
    pub ended_at: String,
    pub count: u64,
    /// Calls that did not end with OK.
    pub errors: u64,
    pub duration_us: u64,
    /// `count` ÷ `duration_us`, per second: the part's own rate.
    pub rps: f64,
    pub p50_us: u64,
    pub p99_us: u64,
    /// The part's own `intervals` (from its own start), kept whole so that each part can be
    /// drawn over time; they do not add up across parts. Absent from reports of earlier
    /// versions: empty.
    #[serde(default)]
    pub intervals: Vec<Interval>,
}

/// A report for the tests of what reads reports: 1000 unary calls in 0.125 s, 3 of them
/// UNAVAILABLE.
#[cfg(test)]
pub fn example() -> Report {
    Report {
        method: "api.Api/sayHello".into(),
        kind: "unary".into(),
        shape: Shape {
            concurrency: 50,
            connections: 1,
            threads: 2,
            total: Some(1000),
            duration_us: None,
            rps: None,
            warmup_calls: None,
            warmup_us: None,
            split: None,
            start_at: None,
        },
        count: 1000,
        duration_us: 125_000,
        rps: 8000.0,
        latency: Latency {
            min_us: 310,
            mean_us: 1_874.6,
            p50_us: 1_500,
            p90_us: 3_200,
            p95_us: 4_100,
            p99_us: 7_210,
            p999_us: 9_800,
            p9999_us: 11_500,
            max_us: 12_000,
            hdr_histogram: None,
        },
        histogram: vec![Bucket {
            upper_us: 12_000,
            count: 1000,
        }],
        statuses: BTreeMap::from([("OK".into(), 997), ("UNAVAILABLE".into(), 3)]),
        errors: Vec::new(),
        endpoints: Vec::new(),
        intervals: Vec::new(),
        open_loop: None,
        streams: None,
        interrupted: false,
        unreachable_us: 0,
        unattempted: 0,
        started_at: None,
        ended_at: None,
        parts: Vec::new(),
    }
}

//! The reports of a merge added up, one at a time: what counts adds, the histograms add, the
//! windows join, and each report is kept as a part.

use std::time::SystemTime;

use hdrhistogram::Histogram;

use super::{
    check,
    read::{Refusal, Source},
};
use crate::bench::{
    clock,
    report::{Endpoint, ErrorGroup, Part, Report, Shape, Streams},
    stats,
};

/// The reports merged so far.
pub struct Sum {
    /// The first report, which the others must match, and into which they are added.
    first: Source,
    report: Report,
    latency: Histogram<u64>,
    first_message: Option<Histogram<u64>>,
    started: SystemTime,
    ended: SystemTime,
    /// Every part was an open loop.
    open_loop: bool,
}

impl Sum {
    pub fn new(source: Source, part: check::Part) -> Sum {
        let mut sum = Sum {
            first: source.clone(),
            open_loop: part.report.open_loop.is_some(),
            latency: part.latency,
            first_message: part.first_message,
            started: part.started,
            ended: part.ended,
            report: Report {
                parts: Vec::new(),
                // Each part's intervals have only their p50 and p99, which do not add up.
                intervals: Vec::new(),
                ..part.report.clone()
            },
        };
        sum.keep(&source, part.report);
        sum
    }

    /// Adds a report; refused when it measured another method.
    pub fn add(&mut self, source: Source, part: check::Part) -> Result<(), Refusal> {
        let theirs = &part.report;
        let ours = &self.report;
        if theirs.method != ours.method || theirs.kind != ours.kind {
            let why = format!(
                "it measured {} ({}), and {} measured {} ({}): only runs of one method merge",
                theirs.method, theirs.kind, self.first, ours.method, ours.kind
            );
            return Err((source, why));
        }
        let count = ours.count.checked_add(theirs.count);
        let Some(count) = count else {
            return Err((
                source,
                "the counts add up to more than 2^64 calls".to_owned(),
            ));
        };
        // Same bounds (checked as each was decoded), and counts that add up: nothing to refuse.
        let _ = self.latency.add(&part.latency);
        if let (Some(mine), Some(theirs)) = (&mut self.first_message, &part.first_message) {
            let _ = mine.add(theirs);
        }
        self.started = self.started.min(part.started);
        self.ended = self.ended.max(part.ended);
        self.open_loop &= theirs.open_loop.is_some();
        let report = &mut self.report;
        report.count = count;
        report.shape = add_shapes(&report.shape, &theirs.shape);
        for (status, n) in &theirs.statuses {
            *report.statuses.entry(status.clone()).or_default() += n;
        }
        add_errors(&mut report.errors, &theirs.errors);
        add_endpoints(&mut report.endpoints, &theirs.endpoints);
        report.unreachable_us = report.unreachable_us.saturating_add(theirs.unreachable_us);
        report.unattempted += theirs.unattempted;
        report.interrupted |= theirs.interrupted;
        if let (Some(mine), Some(open)) = (&mut report.open_loop, &theirs.open_loop) {
            mine.target_rps += open.target_rps;
            mine.late += open.late;
        }
        if let (Some(mine), Some(streams)) = (&mut report.streams, &theirs.streams) {
            mine.messages = mine.messages.saturating_add(streams.messages);
        }
        self.keep(&source, part.report);
        Ok(())
    }

    /// Lists `report` among the parts: itself, or the parts it was merged from.
    fn keep(&mut self, source: &Source, report: Report) {
        if !report.parts.is_empty() {
            self.report.parts.extend(report.parts);
            return;
        }
        self.report.parts.push(Part {
            source: source.plain(),
            started_at: report.started_at.unwrap_or_default(),
            ended_at: report.ended_at.unwrap_or_default(),
            count: report.count,
            errors: report
                .statuses
                .iter()
                .filter(|(status, _)| status.as_str() != "OK")
                .map(|(_, n)| n)
                .sum(),
            duration_us: report.duration_us,
            rps: report.rps,
            p50_us: report.latency.p50_us,
            p99_us: report.latency.p99_us,
            intervals: report.intervals,
        });
    }

    /// The merged report: the figures that follow from the sums, over the union of the windows.
    pub fn finish(self) -> Report {
        let mut report = self.report;
        let window = clock::between(self.started, self.ended);
        let per_second = |n: u64| {
            if window.is_zero() {
                0.0
            } else {
                n as f64 / window.as_secs_f64()
            }
        };
        report.duration_us = stats::micros(window);
        report.rps = per_second(report.count);
        report.latency = stats::latency_of(&self.latency);
        report.histogram = stats::buckets(&self.latency);
        report.errors.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.status.cmp(&b.status))
                .then_with(|| a.message.cmp(&b.message))
        });
        if !self.open_loop {
            report.open_loop = None;
        }
        if let (Some(streams), Some(first)) = (&mut report.streams, &self.first_message) {
            *streams = Streams {
                messages: streams.messages,
                messages_per_s: per_second(streams.messages),
                first_message: stats::latency_of(first),
            };
        }
        report.started_at = Some(clock::format(self.started));
        report.ended_at = Some(clock::format(self.ended));
        report
    }
}

/// Loads side by side: what each generator kept in flight, opened and ran on adds up; so do
/// the calls and rates asked for; the lengths of time overlap, and the longest is the load's.
/// A setting some parts had and others did not, the whole did not have.
fn add_shapes(a: &Shape, b: &Shape) -> Shape {
    let both = |x: Option<u64>, y: Option<u64>, f: fn(u64, u64) -> u64| Some(f(x?, y?));
    Shape {
        concurrency: a.concurrency.saturating_add(b.concurrency),
        connections: a.connections.saturating_add(b.connections),
        threads: a.threads.saturating_add(b.threads),
        total: both(a.total, b.total, u64::saturating_add),
        duration_us: both(a.duration_us, b.duration_us, u64::max),
        rps: a.rps.zip(b.rps).map(|(x, y)| x + y),
        warmup_calls: both(a.warmup_calls, b.warmup_calls, u64::saturating_add),
        warmup_us: both(a.warmup_us, b.warmup_us, u64::max),
        // The parts make the whole load.
        split: None,
        start_at: a
            .start_at
            .clone()
            .filter(|at| b.start_at.as_ref() == Some(at)),
    }
}

/// Error groups by status and message, their counts added.
fn add_errors(mine: &mut Vec<ErrorGroup>, theirs: &[ErrorGroup]) {
    for group in theirs {
        match mine
            .iter_mut()
            .find(|g| g.status == group.status && g.message == group.message)
        {
            Some(g) => g.count = g.count.saturating_add(group.count),
            None => mine.push(group.clone()),
        }
    }
}

/// Endpoints by address, in the order first seen, their figures added.
fn add_endpoints(mine: &mut Vec<Endpoint>, theirs: &[Endpoint]) {
    for endpoint in theirs {
        match mine.iter_mut().find(|e| e.addr == endpoint.addr) {
            Some(e) => {
                e.count = e.count.saturating_add(endpoint.count);
                e.errors = e.errors.saturating_add(endpoint.errors);
                e.unreachable_us = e.unreachable_us.saturating_add(endpoint.unreachable_us);
            }
            None => mine.push(endpoint.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_loads_side_by_side() {
        let shape = |total, duration_us, rps| Shape {
            concurrency: 10,
            connections: 2,
            threads: 1,
            total,
            duration_us,
            rps,
            warmup_calls: None,
            warmup_us: Some(1_000),
            split: Some("0/2".into()),
            start_at: Some("2026-12-05T10:00:00Z".into()),
        };
        let sum = add_shapes(
            &shape(Some(100), None, Some(50.0)),
            &shape(Some(300), None, Some(25.5)),
        );
        assert_eq!(
            sum,
            Shape {
                concurrency: 20,
                connections: 4,
                threads: 2,
                total: Some(400),
                duration_us: None,
                rps: Some(75.5),
                warmup_calls: None,
                warmup_us: Some(1_000),
                split: None,
                start_at: Some("2026-12-05T10:00:00Z".into()),
            }
        );
        let mixed = add_shapes(&shape(Some(100), None, None), &shape(None, Some(5), None));
        assert_eq!((mixed.total, mixed.duration_us), (None, None));
        let timed = add_shapes(&shape(None, Some(5), None), &shape(None, Some(9), None));
        assert_eq!(timed.duration_us, Some(9));
    }

    #[test]
    fn errors_and_endpoints_add_by_name() {
        let group = |status: &str, message: &str, count| ErrorGroup {
            status: status.into(),
            message: message.into(),
            count,
        };
        let mut errors = vec![group("UNAVAILABLE", "down", 2)];
        add_errors(
            &mut errors,
            &[group("INTERNAL", "bug", 1), group("UNAVAILABLE", "down", 3)],
        );
        assert_eq!(
            errors,
            [group("UNAVAILABLE", "down", 5), group("INTERNAL", "bug", 1)]
        );
        let endpoint = |addr: &str, count, errors| Endpoint {
            addr: addr.into(),
            count,
            errors,
            unreachable_us: 10,
        };
        let mut endpoints = vec![endpoint("a:1", 5, 1)];
        add_endpoints(
            &mut endpoints,
            &[endpoint("b:2", 7, 0), endpoint("a:1", 1, 1)],
        );
        assert_eq!(
            endpoints,
            [
                Endpoint {
                    unreachable_us: 20,
                    ..endpoint("a:1", 6, 2)
                },
                endpoint("b:2", 7, 0)
            ]
        );
    }
}

//! The page's charts, each from figures the report holds: latency and req/s over the run's
//! intervals, the latency histogram's buckets, and a merged report's parts.

use super::svg::{Chart, Frame, Line, ticks};
use crate::bench::{
    clock,
    print::format_us,
    report::{Interval, Part, Report},
};

const BLUE: &str = "#2b6cb0";
const ORANGE: &str = "#dd6b20";
const GREEN: &str = "#2f855a";
const RED: &str = "#c53030";
const GREY: &str = "#718096";

/// Ticks on an axis of microseconds, each labelled as the table writes times.
fn time_ticks(max_us: f64) -> Vec<(f64, String)> {
    ticks(max_us, 5, 1.0)
        .into_iter()
        .map(|us| (us, format_us(us as u64)))
        .collect()
}

/// Ticks on an axis of plain numbers (seconds, calls, calls per second).
fn number_ticks(max: f64, count: usize, unit: &str) -> Vec<(f64, String)> {
    ticks(max, count, 0.0)
        .into_iter()
        .map(|n| (n, format!("{}{unit}", round(n))))
        .collect()
}

/// A number without the float's noise (0.30000000000000004 is 0.3).
fn round(n: f64) -> f64 {
    (n * 1000.0).round() / 1000.0
}

/// One interval's place on the time axis, in seconds from the start of the counted part: its
/// middle (the last one may be cut short by the run's end), and its length.
struct Span {
    middle: f64,
    length: f64,
}

fn spans(report: &Report, intervals: &[Interval]) -> Vec<Span> {
    let every = match intervals {
        [first, second, ..] => second.start_us.saturating_sub(first.start_us),
        _ => report.duration_us,
    }
    .max(1);
    intervals
        .iter()
        .map(|interval| {
            let mut end = interval.start_us.saturating_add(every);
            if report.duration_us > interval.start_us {
                end = end.min(report.duration_us);
            }
            let start = interval.start_us as f64 / 1e6;
            let end = end as f64 / 1e6;
            Span {
                middle: (start + end) / 2.0,
                length: end - start,
            }
        })
        .collect()
}

/// The x axis of time from the start: to the run's end, or the last interval's.
fn time_axis(report: &Report, spans: &[Span]) -> Vec<(f64, String)> {
    let last = spans.last().map_or(0.0, |s| s.middle + s.length / 2.0);
    number_ticks(last.max(report.duration_us as f64 / 1e6), 8, "s")
}

/// p50 and p99 in each interval that had calls (one without has no latency to show).
pub fn latency_over_time(report: &Report, intervals: &[Interval]) -> Option<String> {
    if intervals.is_empty() {
        return None;
    }
    let spans = spans(report, intervals);
    let max = intervals.iter().map(|i| i.p99_us.max(i.p50_us)).max();
    let frame = Frame::new(
        time_axis(report, &spans),
        time_ticks(max.unwrap_or(0) as f64),
        "seconds from the start",
        "latency",
    );
    let line = |name: &str, colour, figure: fn(&Interval) -> u64| Line {
        name: name.to_owned(),
        colour,
        dashed: false,
        points: (intervals.iter().zip(&spans))
            .filter(|(interval, _)| interval.count > 0)
            .map(|(interval, span)| {
                let us = figure(interval);
                let words = format!("{name} {} at {}s", format_us(us), round(span.middle));
                (span.middle, us as f64, words)
            })
            .collect(),
    };
    let mut chart = Chart::new("latency-over-time", "Latency over time: p50 and p99");
    chart.frame(&frame);
    chart.legend(&[("p50", BLUE, false), ("p99", ORANGE, false)]);
    chart.line(&frame, &line("p50", BLUE, |i| i.p50_us));
    chart.line(&frame, &line("p99", ORANGE, |i| i.p99_us));
    Some(chart.finish())
}

/// Calls per second and failed calls per second in each interval, and the target rate of an
/// open loop.
pub fn rate_over_time(report: &Report, intervals: &[Interval]) -> Option<String> {
    if intervals.is_empty() {
        return None;
    }
    let spans = spans(report, intervals);
    let error_rate = |interval: &Interval, span: &Span| {
        if span.length > 0.0 {
            interval.errors as f64 / span.length
        } else {
            0.0
        }
    };
    // With -c A:B the target is a concurrency, not a rate: only an open loop's is drawn.
    let targets = report.open_loop.is_some() && intervals.iter().any(|i| i.target.is_some());
    let max = (intervals.iter().zip(&spans))
        .map(|(i, s)| {
            let target = if targets {
                i.target.unwrap_or(0.0)
            } else {
                0.0
            };
            i.rps.max(error_rate(i, s)).max(target)
        })
        .fold(0.0, f64::max);
    let frame = Frame::new(
        time_axis(report, &spans),
        number_ticks(max, 5, ""),
        "seconds from the start",
        "calls per second",
    );
    let line =
        |name: &str, colour, dashed, figure: &dyn Fn(&Interval, &Span) -> Option<f64>| Line {
            name: name.to_owned(),
            colour,
            dashed,
            points: (intervals.iter().zip(&spans))
                .filter_map(|(interval, span)| {
                    let value = figure(interval, span)?;
                    let words = format!("{name} {:.1} at {}s", value, round(span.middle));
                    Some((span.middle, value, words))
                })
                .collect(),
        };
    let mut chart = Chart::new("rate-over-time", "Requests and errors over time");
    chart.frame(&frame);
    let mut legend = vec![("req/s", GREEN, false), ("errors/s", RED, false)];
    if targets {
        legend.push(("target req/s", GREY, true));
        chart.legend(&legend);
        chart.line(&frame, &line("target req/s", GREY, true, &|i, _| i.target));
    } else {
        chart.legend(&legend);
    }
    chart.line(&frame, &line("req/s", GREEN, false, &|i, _| Some(i.rps)));
    chart.line(
        &frame,
        &line("errors/s", RED, false, &|i, s| Some(error_rate(i, s))),
    );
    Some(chart.finish())
}

/// Category slots along the x axis: `n` of them, a tick labelled at every `k`-th's middle so
/// that the labels do not run into each other.
fn slots(labels: &[String]) -> Vec<(f64, String)> {
    let every = labels.len().div_ceil(12).max(1);
    (labels.iter().enumerate())
        .filter(|(i, _)| i % every == 0)
        .map(|(i, label)| (i as f64 + 0.5, label.clone()))
        .collect()
}

/// The x axis of `n` slots: its ticks are at their middles, and it ends after the last.
fn slot_frame(labels: &[String], y_ticks: Vec<(f64, String)>, x_name: &str, y_name: &str) -> Frame {
    let mut frame = Frame::new(slots(labels), y_ticks, x_name, y_name);
    frame.x.max = labels.len().max(1) as f64;
    frame
}

/// The latency histogram: a bar per bucket of the report, as the table's text bars.
pub fn histogram(report: &Report) -> Option<String> {
    let buckets = &report.histogram;
    if buckets.iter().all(|b| b.count == 0) {
        return None;
    }
    let labels: Vec<String> = buckets.iter().map(|b| format_us(b.upper_us)).collect();
    let largest = buckets.iter().map(|b| b.count).max().unwrap_or(0);
    let frame = slot_frame(
        &labels,
        number_ticks(largest as f64, 5, ""),
        "latency, each bucket up to the time under it",
        "calls",
    );
    let mut chart = Chart::new("latency-histogram", "Latency histogram");
    chart.frame(&frame);
    let mut lower = report.latency.min_us;
    for (i, bucket) in buckets.iter().enumerate() {
        let (left, right) = (frame.x.at(i as f64), frame.x.at(i as f64 + 1.0));
        let gap = (right - left) * 0.1;
        let words = format!(
            "{} {} from {} to {}",
            bucket.count,
            if bucket.count == 1 { "call" } else { "calls" },
            format_us(lower),
            format_us(bucket.upper_us)
        );
        chart.bar(
            &frame,
            (left + gap, right - gap),
            bucket.count as f64,
            &words,
        );
        lower = bucket.upper_us;
    }
    Some(chart.finish())
}

/// How the parts are named along an axis: by their files while they fit, else by number.
fn part_labels(parts: &[Part]) -> Vec<String> {
    if parts.len() > 8 {
        return (1..=parts.len()).map(|i| i.to_string()).collect();
    }
    parts
        .iter()
        .map(|part| {
            let name = part.source.rsplit('/').next().unwrap_or(&part.source);
            if name.chars().count() > 18 {
                name.chars().take(17).chain(['…']).collect()
            } else {
                name.to_owned()
            }
        })
        .collect()
}

/// A merged report's parts: each one's own req/s, a bar each.
pub fn parts_rate(report: &Report) -> Option<String> {
    let parts = &report.parts;
    if parts.is_empty() {
        return None;
    }
    let labels = part_labels(parts);
    let max = parts.iter().map(|p| p.rps).fold(0.0, f64::max);
    let frame = slot_frame(
        &labels,
        number_ticks(max, 5, ""),
        "part",
        "calls per second",
    );
    let mut chart = Chart::new("parts-rate", "Each part's requests per second");
    chart.frame(&frame);
    for (i, part) in parts.iter().enumerate() {
        let (left, right) = (frame.x.at(i as f64), frame.x.at(i as f64 + 1.0));
        let gap = (right - left) * 0.2;
        let words = format!(
            "{}: {:.1} req/s, {} calls, {} errors",
            part.source, part.rps, part.count, part.errors
        );
        chart.bar(&frame, (left + gap, right - gap), part.rps, &words);
    }
    Some(chart.finish())
}

/// A merged report's parts: each one's own p50 and p99, a dot each.
pub fn parts_latency(report: &Report) -> Option<String> {
    let parts = &report.parts;
    if parts.is_empty() {
        return None;
    }
    let labels = part_labels(parts);
    let max = parts
        .iter()
        .map(|p| p.p99_us.max(p.p50_us))
        .max()
        .unwrap_or(0);
    let frame = slot_frame(&labels, time_ticks(max as f64), "part", "latency");
    let mut chart = Chart::new("parts-latency", "Each part's latency: p50 and p99");
    chart.frame(&frame);
    chart.legend(&[("p50", BLUE, false), ("p99", ORANGE, false)]);
    for (i, part) in parts.iter().enumerate() {
        let x = frame.x.at(i as f64 + 0.5);
        for (name, colour, us) in [("p50", BLUE, part.p50_us), ("p99", ORANGE, part.p99_us)] {
            let words = format!("{}: {name} {}", part.source, format_us(us));
            // Larger than a line's dots: these stand alone.
            chart.dot((x, frame.y.at(us as f64)), 5.0, colour, &words);
        }
    }
    Some(chart.finish())
}

/// The colours of the parts' lines, in turn.
const PALETTE: [&str; 8] = [
    BLUE, ORANGE, GREEN, RED, "#6b46c1", "#2c7a7b", "#b7791f", "#d53f8c",
];

/// Where each of a part's intervals falls on the merged run's time axis, in seconds from the
/// merged start: the part's own start, then its intervals' middles.
fn part_spans(report: &Report, part: &Part) -> Vec<f64> {
    let start = |text: Option<&str>| text.and_then(|t| clock::parse(t).ok());
    let offset = match (
        start(report.started_at.as_deref()),
        start(Some(&part.started_at)),
    ) {
        (Some(merged), Some(own)) => clock::between(merged, own).as_secs_f64(),
        _ => 0.0,
    };
    let every = match part.intervals.as_slice() {
        [first, second, ..] => second.start_us.saturating_sub(first.start_us),
        _ => part.duration_us,
    } as f64
        / 1e6;
    (part.intervals.iter())
        .map(|interval| offset + interval.start_us as f64 / 1e6 + every / 2.0)
        .collect()
}

/// A merged report's parts over time, a line each: `figure` of each interval with calls.
fn parts_over_time(
    report: &Report,
    id: &str,
    title: &str,
    y_name: &str,
    figure: fn(&Interval) -> f64,
    y_ticks: fn(f64) -> Vec<(f64, String)>,
    words: fn(f64) -> String,
) -> Option<String> {
    let parts = &report.parts;
    if parts.iter().all(|part| part.intervals.is_empty()) {
        return None;
    }
    let spans: Vec<Vec<f64>> = parts.iter().map(|p| part_spans(report, p)).collect();
    let last = spans.iter().flatten().fold(0.0, |a: f64, b| a.max(*b));
    let max = (parts.iter().flat_map(|p| &p.intervals))
        .filter(|i| i.count > 0)
        .map(figure)
        .fold(0.0, f64::max);
    let end = last.max(report.duration_us as f64 / 1e6);
    let frame = Frame::new(
        number_ticks(end, 8, "s"),
        y_ticks(max),
        "seconds from the merged start",
        y_name,
    );
    let labels = part_labels(parts);
    let mut chart = Chart::new(id, title);
    chart.frame(&frame);
    let legend: Vec<_> = (labels.iter().enumerate())
        .map(|(i, label)| (label.as_str(), PALETTE[i % PALETTE.len()], false))
        .collect();
    if legend.len() <= PALETTE.len() {
        chart.legend(&legend);
    }
    for ((part, at), (i, label)) in parts.iter().zip(&spans).zip(labels.iter().enumerate()) {
        let points = (part.intervals.iter().zip(at))
            .filter(|(interval, _)| interval.count > 0)
            .map(|(interval, x)| {
                let y = figure(interval);
                (*x, y, format!("{label}: {} at {}s", words(y), round(*x)))
            })
            .collect();
        let line = Line {
            name: label.clone(),
            colour: PALETTE[i % PALETTE.len()],
            dashed: false,
            points,
        };
        chart.line(&frame, &line);
    }
    Some(chart.finish())
}

/// Each part's req/s over the merged run's time, a line each, from the parts' own intervals.
pub fn parts_rate_over_time(report: &Report) -> Option<String> {
    parts_over_time(
        report,
        "parts-rate-over-time",
        "Each part's requests per second over time",
        "calls per second",
        |i| i.rps,
        |max| number_ticks(max, 5, ""),
        |rps| format!("{rps:.1} req/s"),
    )
}

/// Each part's p99 over the merged run's time, a line each, from the parts' own intervals.
pub fn parts_p99_over_time(report: &Report) -> Option<String> {
    parts_over_time(
        report,
        "parts-p99-over-time",
        "Each part's p99 over time",
        "latency",
        |i| i.p99_us as f64,
        time_ticks,
        |us| format!("p99 {}", format_us(us as u64)),
    )
}

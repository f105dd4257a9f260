//! The report of `apicli bench` on stdout: a table for people, with text bars for the latency
//! histogram and, with `--compare`, each figure beside an earlier run's; or one JSON line for
//! programs (`-o json`).
//!
//! Every time is written by [`format_us`], so the table, the histogram and the `--expect` lines
//! agree on units.

use std::borrow::Cow;
use std::io::{self, Write};

use super::report::{Bucket, Latency, Report, Shape};

/// Space between columns.
const GAP: &str = "  ";
/// The longest histogram bar, in characters; the largest bucket takes all of it.
const BAR_WIDTH: u64 = 40;
const BAR: char = '■';

/// Writes the report as one compact JSON object and a newline. Its field names are a public
/// interface (see `docs/bench-report.schema.json`). The report's rates must be finite numbers:
/// JSON has no NaN, and serde_json would write `null` for one.
pub fn write_json<W: Write>(out: &mut W, report: &Report) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    out.write_all(b"\n")
}

/// Writes the report as blocks of aligned figures, then the latency histogram. With
/// `compare`, each figure is followed by the earlier run's, the change in %, and whether
/// that is better or worse.
pub fn write_table<W: Write>(
    out: &mut W,
    report: &Report,
    compare: Option<&Report>,
) -> io::Result<()> {
    let blocks = [
        summary(report, compare),
        latency(report, compare),
        streams(report, compare),
        statuses(report, compare),
        errors(report, compare),
        endpoints(report, compare),
    ];
    let mut first = true;
    for block in blocks.iter().flatten() {
        if !first {
            out.write_all(b"\n")?;
        }
        first = false;
        block.write(out)?;
    }
    if report.histogram.iter().any(|bucket| bucket.count > 0) {
        if !first {
            out.write_all(b"\n")?;
        }
        histogram(out, &report.histogram)?;
    }
    Ok(())
}

/// A time given in microseconds, for people: `850µs` under a millisecond, `1.23ms` under a
/// second, `2.50s` from then on.
pub fn format_us(us: u64) -> String {
    if us < 1_000 {
        return format!("{us}µs");
    }
    // Rounded to hundredths first, so that 999.996ms is written 1.00s, not 1000.00ms.
    let centi_ms = us / 10 + u64::from(us % 10 >= 5);
    if centi_ms < 100_000 {
        return format!("{}.{:02}ms", centi_ms / 100, centi_ms % 100);
    }
    let centi_s = us / 10_000 + u64::from(us % 10_000 >= 5_000);
    format!("{}.{:02}s", centi_s / 100, centi_s % 100)
}

/// A time in fractional microseconds (a mean), rounded to the microsecond.
fn format_mean_us(us: f64) -> String {
    if us.is_finite() && us >= 0.0 {
        // `as` saturates: a mean beyond u64 is written as the largest time.
        format_us(us.round() as u64)
    } else {
        "-".to_owned()
    }
}

/// A rate per second, to a tenth.
fn format_rate(rate: f64) -> String {
    if rate.is_finite() {
        format!("{rate:.1}")
    } else {
        "-".to_owned()
    }
}

/// A number as asked for (`--rps 2000`, `--rps 0.5`): no decimals when it is whole.
fn format_number(number: f64) -> String {
    if number.is_finite() && number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else if number.is_finite() {
        number.to_string()
    } else {
        "-".to_owned()
    }
}

/// A share from 0 to 1, as a percentage to a hundredth.
fn format_percent(share: f64) -> String {
    format!("{:.2}%", share * 100.0)
}

/// Whether a figure is better when it grows, when it shrinks, or neither (a count that
/// follows from the shape asked for).
#[derive(Clone, Copy)]
enum Better {
    Higher,
    Lower,
    Neither,
}

/// `(was 1.50ms, -20.0%, better)`: the earlier figure, the change, and what it means. No %
/// when the earlier figure is 0.
fn was(new: f64, old: f64, old_text: &str, better: Better) -> String {
    if !new.is_finite() || !old.is_finite() {
        return format!("(was {old_text})");
    }
    let percent = if old == 0.0 {
        None
    } else {
        Some(format!("{:+.1}%", (new - old) / old.abs() * 100.0))
    };
    let unchanged = new == old || matches!(percent.as_deref(), Some("+0.0%" | "-0.0%"));
    let mut note = format!("(was {old_text}");
    match percent {
        Some(_) if unchanged => note.push_str(", +0.0%"),
        Some(percent) => {
            note.push_str(", ");
            note.push_str(&percent);
        }
        None => {}
    }
    if !unchanged {
        let grew = new > old;
        match (better, grew) {
            (Better::Higher, true) | (Better::Lower, false) => note.push_str(", better"),
            (Better::Higher, false) | (Better::Lower, true) => note.push_str(", worse"),
            (Better::Neither, _) => {}
        }
    }
    note.push(')');
    note
}

/// One line of a block: a label, then figures aligned on the right, then text (an error
/// message), then the comparison with the earlier run.
struct Row {
    label: String,
    figures: Vec<String>,
    text: String,
    note: String,
}

impl Row {
    fn new(label: impl Into<String>, figure: String) -> Row {
        Row {
            label: label.into(),
            figures: vec![figure],
            text: String::new(),
            note: String::new(),
        }
    }

    /// A row whose value is text, left-aligned after the label and not aligned with figures.
    fn text(label: &str, text: String) -> Row {
        Row {
            label: label.to_owned(),
            figures: Vec::new(),
            text,
            note: String::new(),
        }
    }

    fn note(mut self, note: Option<String>) -> Row {
        self.note = note.unwrap_or_default();
        self
    }
}

/// A titled group of rows; `columns` heads the figures on the title's line.
struct Block {
    title: &'static str,
    columns: Vec<&'static str>,
    rows: Vec<Row>,
    /// Sentences after the rows.
    lines: Vec<String>,
}

impl Block {
    fn new(title: &'static str) -> Block {
        Block {
            title,
            columns: Vec::new(),
            rows: Vec::new(),
            lines: Vec::new(),
        }
    }

    fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let mut label_width = self
            .rows
            .iter()
            .map(|row| width(&row.label))
            .max()
            .unwrap_or(0);
        let mut figure_widths: Vec<usize> = self.columns.iter().map(|c| width(c)).collect();
        for row in &self.rows {
            for (i, figure) in row.figures.iter().enumerate() {
                match figure_widths.get_mut(i) {
                    Some(w) => *w = (*w).max(width(figure)),
                    None => figure_widths.push(width(figure)),
                }
            }
        }
        if self.columns.is_empty() {
            writeln!(out, "{}", self.title)?;
        } else {
            // The column heads sit above the figures: the title takes the labels' place.
            label_width = label_width.max(width(self.title).saturating_sub(GAP.len()));
            let mut line = String::from(self.title);
            pad(&mut line, GAP.len() + label_width - width(self.title));
            for (column, w) in self.columns.iter().zip(&figure_widths) {
                line.push_str(GAP);
                pad(&mut line, w - width(column));
                line.push_str(column);
            }
            writeln!(out, "{line}")?;
        }
        for row in &self.rows {
            let mut line = String::from(GAP);
            line.push_str(&row.label);
            let mut pending = label_width - width(&row.label);
            for (figure, w) in row.figures.iter().zip(&figure_widths) {
                pad(&mut line, pending + GAP.len() + w - width(figure));
                line.push_str(figure);
                pending = 0;
            }
            for part in [&row.text, &row.note] {
                if !part.is_empty() {
                    pad(&mut line, pending + GAP.len());
                    line.push_str(part);
                    pending = 0;
                }
            }
            writeln!(out, "{line}")?;
        }
        for line in &self.lines {
            writeln!(out, "{GAP}{line}")?;
        }
        Ok(())
    }
}

fn pad(line: &mut String, n: usize) {
    line.extend(std::iter::repeat_n(' ', n));
}

/// The characters a text takes on screen.
fn width(text: &str) -> usize {
    text.chars().count()
}

/// Text from the server or the command line on one line: control characters (newlines,
/// escapes) are written escaped, so they can neither break the table nor drive the terminal.
fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// The parts of a shape: `concurrency 50`, `connections 1`, `threads 2`, `total 10000`…
fn shape_parts(shape: &Shape) -> Vec<String> {
    let mut parts = vec![
        format!("concurrency {}", shape.concurrency),
        format!("connections {}", shape.connections),
        format!("threads {}", shape.threads),
    ];
    if let Some(rps) = shape.rps {
        parts.push(format!("rps {}", format_number(rps)));
    }
    if let Some(total) = shape.total {
        parts.push(format!("total {total}"));
    }
    if let Some(duration) = shape.duration_us {
        parts.push(format!("duration {}", format_us(duration)));
    }
    if let Some(calls) = shape.warmup_calls {
        parts.push(format!("warmup {calls} {}", plural(calls, "call", "calls")));
    }
    if let Some(warmup) = shape.warmup_us {
        parts.push(format!("warmup {}", format_us(warmup)));
    }
    parts
}

/// `(was concurrency 20)`: the parts of the earlier shape that differ, or all of it when
/// this one only adds to it. None when the shapes are alike.
fn shape_was(shape: &[String], old: &[String]) -> Option<String> {
    if shape == old {
        return None;
    }
    let differ: Vec<&str> = old
        .iter()
        .filter(|part| !shape.contains(part))
        .map(String::as_str)
        .collect();
    let parts = if differ.is_empty() {
        old.iter().map(String::as_str).collect()
    } else {
        differ
    };
    Some(format!("(was {})", parts.join(", ")))
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn summary(report: &Report, old: Option<&Report>) -> Option<Block> {
    let mut block = Block::new("Summary");
    let what = |r: &Report| format!("{} ({})", one_line(&r.method), one_line(&r.kind));
    let method = what(report);
    block.rows.push(
        Row::text("method", method.clone()).note(
            old.map(what)
                .filter(|m| *m != method)
                .map(|m| format!("(was {m})")),
        ),
    );
    let shape = shape_parts(&report.shape);
    block.rows.push(
        Row::text("shape", shape.join(", "))
            .note(old.and_then(|o| shape_was(&shape, &shape_parts(&o.shape)))),
    );
    let count = |r: &Report| r.count as f64;
    block.rows.push(
        Row::new("calls", report.count.to_string()).note(old.map(|o| {
            was(
                count(report),
                count(o),
                &o.count.to_string(),
                Better::Neither,
            )
        })),
    );
    block.rows.push(
        Row::new("duration", format_us(report.duration_us)).note(old.map(|o| {
            let (new, old_us) = (report.duration_us as f64, o.duration_us as f64);
            was(new, old_us, &format_us(o.duration_us), Better::Neither)
        })),
    );
    block.rows.push(
        Row::new("req/s", format_rate(report.rps))
            .note(old.map(|o| was(report.rps, o.rps, &format_rate(o.rps), Better::Higher))),
    );
    let errors = report.error_count();
    block
        .rows
        .push(Row::new("errors", errors.to_string()).note(old.map(|o| {
            let old_errors = o.error_count();
            was(
                errors as f64,
                old_errors as f64,
                &old_errors.to_string(),
                Better::Lower,
            )
        })));
    let rate = report.error_rate();
    block.rows.push(
        Row::new("error rate", format_percent(rate)).note(old.map(|o| {
            let old_rate = o.error_rate();
            was(rate, old_rate, &format_percent(old_rate), Better::Lower)
        })),
    );
    // Only a run that lost its server, or is compared with one that did, says so.
    if report.unreachable_us > 0 || old.is_some_and(|o| o.unreachable_us > 0) {
        block.rows.push(
            Row::new("unreachable", format_us(report.unreachable_us)).note(old.map(|o| {
                let (new, old_us) = (report.unreachable_us as f64, o.unreachable_us as f64);
                was(new, old_us, &format_us(o.unreachable_us), Better::Lower)
            })),
        );
        if report.unreachable_us > 0 {
            block.lines.push(
                "calls due while the server was unreachable count as UNAVAILABLE, not attempted"
                    .to_owned(),
            );
        }
    }
    if let Some(open) = &report.open_loop {
        block.lines.push(format!(
            "open loop at {} req/s: latency from each call's scheduled start (coordinated \
             omission corrected); {} {} started late",
            format_number(open.target_rps),
            open.late,
            plural(open.late, "call", "calls"),
        ));
    }
    if report.interrupted {
        block
            .lines
            .push("interrupted: figures cover the calls that completed".to_owned());
    }
    if old.is_some_and(|o| o.interrupted) {
        block.lines.push(
            "the earlier run was interrupted: its figures cover the calls that completed"
                .to_owned(),
        );
    }
    Some(block)
}

/// The figures of a latency, by their labels.
fn latency_figures(latency: &Latency) -> [(&'static str, f64, String); 8] {
    [
        ("min", latency.min_us as f64, format_us(latency.min_us)),
        ("mean", latency.mean_us, format_mean_us(latency.mean_us)),
        ("p50", latency.p50_us as f64, format_us(latency.p50_us)),
        ("p90", latency.p90_us as f64, format_us(latency.p90_us)),
        ("p95", latency.p95_us as f64, format_us(latency.p95_us)),
        ("p99", latency.p99_us as f64, format_us(latency.p99_us)),
        ("p99.9", latency.p999_us as f64, format_us(latency.p999_us)),
        ("max", latency.max_us as f64, format_us(latency.max_us)),
    ]
}

fn latency(report: &Report, old: Option<&Report>) -> Option<Block> {
    let mut block = Block::new("Latency");
    let old_figures = old.map(|o| latency_figures(&o.latency));
    for (i, (label, value, text)) in latency_figures(&report.latency).into_iter().enumerate() {
        let note = old_figures
            .as_ref()
            .map(|figures| was(value, figures[i].1, &figures[i].2, Better::Lower));
        block.rows.push(Row::new(label, text).note(note));
    }
    Some(block)
}

fn streams(report: &Report, old: Option<&Report>) -> Option<Block> {
    let streams = report.streams.as_ref()?;
    let old = old.and_then(|o| o.streams.as_ref());
    let mut block = Block::new("Streams");
    block.rows.push(
        Row::new("messages", streams.messages.to_string()).note(old.map(|o| {
            let (new, old_messages) = (streams.messages as f64, o.messages as f64);
            was(new, old_messages, &o.messages.to_string(), Better::Neither)
        })),
    );
    block.rows.push(
        Row::new("messages/s", format_rate(streams.messages_per_s)).note(old.map(|o| {
            let (new, old_rate) = (streams.messages_per_s, o.messages_per_s);
            was(new, old_rate, &format_rate(old_rate), Better::Higher)
        })),
    );
    // Without any message there is no time to the first one.
    if streams.messages > 0 {
        let first = |s: &super::report::Streams| {
            let f = &s.first_message;
            [
                ("first message p50", f.p50_us),
                ("first message p99", f.p99_us),
            ]
        };
        let old_first = old.filter(|o| o.messages > 0).map(first);
        for (i, (label, us)) in first(streams).into_iter().enumerate() {
            let note = old_first.map(|figures| {
                let old_us = figures[i].1;
                was(us as f64, old_us as f64, &format_us(old_us), Better::Lower)
            });
            block.rows.push(Row::new(label, format_us(us)).note(note));
        }
    }
    Some(block)
}

fn statuses(report: &Report, old: Option<&Report>) -> Option<Block> {
    let mut block = Block::new("Statuses");
    let mut names: Vec<&String> = report.statuses.keys().collect();
    if let Some(old) = old {
        // A status of the earlier run that is gone now shows as 0.
        names.extend(
            old.statuses
                .keys()
                .filter(|k| !report.statuses.contains_key(*k)),
        );
        names.sort();
    }
    for name in names {
        let count = report.statuses.get(name).copied().unwrap_or(0);
        let better = if name == "OK" {
            Better::Neither
        } else {
            Better::Lower
        };
        let note = old.map(|o| {
            let old_count = o.statuses.get(name).copied().unwrap_or(0);
            was(
                count as f64,
                old_count as f64,
                &old_count.to_string(),
                better,
            )
        });
        block
            .rows
            .push(Row::new(one_line(name), count.to_string()).note(note));
    }
    (!block.rows.is_empty()).then_some(block)
}

fn errors(report: &Report, old: Option<&Report>) -> Option<Block> {
    let mut block = Block::new("Errors");
    for group in &report.errors {
        let note = old.map(|o| {
            let old_count = o
                .errors
                .iter()
                .find(|g| g.status == group.status && g.message == group.message)
                .map_or(0, |g| g.count);
            let (new, old_count_f) = (group.count as f64, old_count as f64);
            was(new, old_count_f, &old_count.to_string(), Better::Lower)
        });
        let mut row = Row::new(one_line(&group.status), group.count.to_string()).note(note);
        row.text = one_line(&group.message).into_owned();
        block.rows.push(row);
    }
    (!block.rows.is_empty()).then_some(block)
}

fn endpoints(report: &Report, old: Option<&Report>) -> Option<Block> {
    if report.endpoints.len() < 2 {
        return None;
    }
    let mut block = Block::new("Endpoints");
    block.columns = vec!["calls", "errors"];
    let unreachable = report.endpoints.iter().any(|e| e.unreachable_us > 0);
    if unreachable {
        block.columns.push("unreachable");
    }
    for endpoint in &report.endpoints {
        let note = old
            .and_then(|o| o.endpoints.iter().find(|e| e.addr == endpoint.addr))
            .map(|e| {
                format!(
                    "(was {} {}, {} {})",
                    e.count,
                    plural(e.count, "call", "calls"),
                    e.errors,
                    plural(e.errors, "error", "errors"),
                )
            });
        let mut row = Row::new(one_line(&endpoint.addr), endpoint.count.to_string()).note(note);
        row.figures.push(endpoint.errors.to_string());
        if unreachable {
            row.figures.push(format_us(endpoint.unreachable_us));
        }
        block.rows.push(row);
    }
    Some(block)
}

/// `  1.20ms [  532] ■■■■■■■■■■`: one line per bucket, by its upper bound, the bars scaled to
/// the largest bucket. A bucket with any call gets at least one character.
fn histogram(out: &mut impl Write, buckets: &[Bucket]) -> io::Result<()> {
    let largest = buckets.iter().map(|b| b.count).max().unwrap_or(0);
    let labels: Vec<String> = buckets.iter().map(|b| format_us(b.upper_us)).collect();
    let label_width = labels.iter().map(|l| width(l)).max().unwrap_or(0);
    let count_width = largest.to_string().len();
    writeln!(out, "Histogram")?;
    for (bucket, label) in buckets.iter().zip(&labels) {
        let mut line = String::from(GAP);
        pad(&mut line, label_width - width(label));
        line.push_str(label);
        line.push_str(" [");
        let count = bucket.count.to_string();
        pad(&mut line, count_width.saturating_sub(count.len()));
        line.push_str(&count);
        line.push(']');
        let bars = if bucket.count == 0 || largest == 0 {
            0
        } else {
            let scaled = (u128::from(bucket.count) * u128::from(BAR_WIDTH)
                + u128::from(largest) / 2)
                / u128::from(largest);
            scaled.max(1)
        };
        if bars > 0 {
            line.push(' ');
            line.extend(std::iter::repeat_n(BAR, bars as usize));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::bench::report::{Endpoint, ErrorGroup, OpenLoop, Streams};

    fn latency(base: u64) -> Latency {
        Latency {
            min_us: base,
            mean_us: base as f64 * 2.345,
            p50_us: base * 2,
            p90_us: base * 3,
            p95_us: base * 4,
            p99_us: base * 6,
            p999_us: base * 9,
            max_us: base * 12,
        }
    }

    /// A closed-loop unary run of 10000 calls, 12 of them failed, over two endpoints.
    fn unary() -> Report {
        Report {
            method: "api.Api/sayHello".into(),
            kind: "unary".into(),
            shape: Shape {
                concurrency: 50,
                connections: 2,
                threads: 2,
                total: Some(10_000),
                duration_us: None,
                rps: None,
                warmup_calls: Some(100),
                warmup_us: None,
            },
            count: 10_000,
            duration_us: 1_250_000,
            rps: 8000.0,
            latency: latency(420),
            histogram: vec![
                Bucket {
                    upper_us: 900,
                    count: 1200,
                },
                Bucket {
                    upper_us: 1_500,
                    count: 6000,
                },
                Bucket {
                    upper_us: 2_500,
                    count: 2500,
                },
                Bucket {
                    upper_us: 3_500,
                    count: 0,
                },
                Bucket {
                    upper_us: 5_040,
                    count: 300,
                },
            ],
            statuses: BTreeMap::from([("OK".into(), 9988), ("UNAVAILABLE".into(), 12)]),
            errors: vec![ErrorGroup {
                status: "UNAVAILABLE".into(),
                message: "connection refused".into(),
                count: 12,
            }],
            endpoints: vec![
                Endpoint {
                    addr: "127.0.0.1:50051".into(),
                    count: 5000,
                    errors: 0,
                    unreachable_us: 0,
                },
                Endpoint {
                    addr: "127.0.0.1:50052".into(),
                    count: 5000,
                    errors: 12,
                    unreachable_us: 0,
                },
            ],
            open_loop: None,
            streams: None,
            interrupted: false,
            unreachable_us: 0,
        }
    }

    fn table(report: &Report, compare: Option<&Report>) -> String {
        let mut out = Vec::new();
        write_table(&mut out, report, compare).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// An earlier run of `unary`: slower, with more errors, on one endpoint.
    fn earlier() -> Report {
        let mut old = unary();
        old.shape.concurrency = 20;
        old.duration_us = 1_562_500;
        old.rps = 6400.0;
        old.latency = latency(525);
        old.statuses = BTreeMap::from([
            ("OK".into(), 9970),
            ("DEADLINE_EXCEEDED".into(), 10),
            ("UNAVAILABLE".into(), 20),
        ]);
        old.errors[0].count = 20;
        old.endpoints.truncate(1);
        old
    }

    /// An open-loop server-streaming run, cut short.
    fn streaming() -> Report {
        let mut report = unary();
        report.method = "routeguide.RouteGuide/ListFeatures".into();
        report.kind = "server-streaming".into();
        report.shape.total = None;
        report.shape.warmup_calls = None;
        report.shape.duration_us = Some(5_000_000);
        report.shape.rps = Some(2000.0);
        report.shape.warmup_us = Some(500_000);
        report.open_loop = Some(OpenLoop {
            target_rps: 2000.0,
            late: 1,
        });
        report.streams = Some(Streams {
            messages: 640_000,
            messages_per_s: 512_000.0,
            first_message: latency(150),
        });
        report.interrupted = true;
        report.endpoints.truncate(1);
        report
    }

    #[test]
    fn table_of_a_unary_run() {
        assert_eq!(
            table(&unary(), None),
            "\
Summary
  method      api.Api/sayHello (unary)
  shape       concurrency 50, connections 2, threads 2, total 10000, warmup 100 calls
  calls        10000
  duration     1.25s
  req/s       8000.0
  errors          12
  error rate   0.12%

Latency
  min     420µs
  mean    985µs
  p50     840µs
  p90    1.26ms
  p95    1.68ms
  p99    2.52ms
  p99.9  3.78ms
  max    5.04ms

Statuses
  OK           9988
  UNAVAILABLE    12

Errors
  UNAVAILABLE  12  connection refused

Endpoints          calls  errors
  127.0.0.1:50051   5000       0
  127.0.0.1:50052   5000      12

Histogram
   900µs [1200] ■■■■■■■■
  1.50ms [6000] ■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■
  2.50ms [2500] ■■■■■■■■■■■■■■■■■
  3.50ms [   0]
  5.04ms [ 300] ■■
"
        );
    }

    #[test]
    fn a_run_that_lost_its_server_says_for_how_long() {
        let mut report = unary();
        report.unreachable_us = 2_500_000;
        report.endpoints[1].unreachable_us = 2_500_000;
        let text = table(&report, None);
        assert!(
            text.contains(
                "  error rate    0.12%\n  unreachable   2.50s\n  calls due while the server \
                 was unreachable count as UNAVAILABLE, not attempted\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "Endpoints          calls  errors  unreachable\n\
                 \x20 127.0.0.1:50051   5000       0          0µs\n\
                 \x20 127.0.0.1:50052   5000      12        2.50s\n"
            ),
            "{text}"
        );
        // A run that never lost it says nothing of it.
        assert!(!table(&unary(), None).contains("unreachable"));
    }

    #[test]
    fn table_beside_an_earlier_run() {
        assert_eq!(
            table(&unary(), Some(&earlier())),
            "\
Summary
  method      api.Api/sayHello (unary)
  shape       concurrency 50, connections 2, threads 2, total 10000, warmup 100 calls  (was concurrency 20)
  calls        10000  (was 10000, +0.0%)
  duration     1.25s  (was 1.56s, -20.0%)
  req/s       8000.0  (was 6400.0, +25.0%, better)
  errors          12  (was 30, -60.0%, better)
  error rate   0.12%  (was 0.30%, -60.0%, better)

Latency
  min     420µs  (was 525µs, -20.0%, better)
  mean    985µs  (was 1.23ms, -20.0%, better)
  p50     840µs  (was 1.05ms, -20.0%, better)
  p90    1.26ms  (was 1.58ms, -20.0%, better)
  p95    1.68ms  (was 2.10ms, -20.0%, better)
  p99    2.52ms  (was 3.15ms, -20.0%, better)
  p99.9  3.78ms  (was 4.73ms, -20.0%, better)
  max    5.04ms  (was 6.30ms, -20.0%, better)

Statuses
  DEADLINE_EXCEEDED     0  (was 10, -100.0%, better)
  OK                 9988  (was 9970, +0.2%)
  UNAVAILABLE          12  (was 20, -40.0%, better)

Errors
  UNAVAILABLE  12  connection refused  (was 20, -40.0%, better)

Endpoints          calls  errors
  127.0.0.1:50051   5000       0  (was 5000 calls, 0 errors)
  127.0.0.1:50052   5000      12

Histogram
   900µs [1200] ■■■■■■■■
  1.50ms [6000] ■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■
  2.50ms [2500] ■■■■■■■■■■■■■■■■■
  3.50ms [   0]
  5.04ms [ 300] ■■
"
        );
    }

    #[test]
    fn worse_is_said_too() {
        let printed = table(&earlier(), Some(&unary()));
        assert!(
            printed.contains("  req/s       6400.0  (was 8000.0, -20.0%, worse)\n"),
            "{printed}"
        );
        assert!(
            printed.contains("  p99    3.15ms  (was 2.52ms, +25.0%, worse)\n"),
            "{printed}"
        );
        assert!(
            printed.contains("  DEADLINE_EXCEEDED    10  (was 0, worse)\n"),
            "{printed}"
        );
    }

    #[test]
    fn table_of_an_interrupted_open_loop_stream() {
        assert_eq!(
            table(&streaming(), None),
            "\
Summary
  method      routeguide.RouteGuide/ListFeatures (server-streaming)
  shape       concurrency 50, connections 2, threads 2, rps 2000, duration 5.00s, warmup 500.00ms
  calls        10000
  duration     1.25s
  req/s       8000.0
  errors          12
  error rate   0.12%
  open loop at 2000 req/s: latency from each call's scheduled start (coordinated omission corrected); 1 call started late
  interrupted: figures cover the calls that completed

Latency
  min     420µs
  mean    985µs
  p50     840µs
  p90    1.26ms
  p95    1.68ms
  p99    2.52ms
  p99.9  3.78ms
  max    5.04ms

Streams
  messages             640000
  messages/s         512000.0
  first message p50     300µs
  first message p99     900µs

Statuses
  OK           9988
  UNAVAILABLE    12

Errors
  UNAVAILABLE  12  connection refused

Histogram
   900µs [1200] ■■■■■■■■
  1.50ms [6000] ■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■
  2.50ms [2500] ■■■■■■■■■■■■■■■■■
  3.50ms [   0]
  5.04ms [ 300] ■■
"
        );
    }

    #[test]
    fn streams_beside_an_earlier_stream() {
        let mut old = streaming();
        old.streams = Some(Streams {
            messages: 500_000,
            messages_per_s: 640_000.0,
            first_message: latency(100),
        });
        old.interrupted = false;
        let printed = table(&streaming(), Some(&old));
        assert!(
            printed.contains(
                "\
Streams
  messages             640000  (was 500000, +28.0%)
  messages/s         512000.0  (was 640000.0, -20.0%, worse)
  first message p50     300µs  (was 200µs, +50.0%, worse)
  first message p99     900µs  (was 600µs, +50.0%, worse)
"
            ),
            "{printed}"
        );
        assert!(
            !printed.contains("earlier run was interrupted"),
            "{printed}"
        );
        let printed = table(&old, Some(&streaming()));
        assert!(
            printed.contains(
                "started late\n  the earlier run was interrupted: its figures cover the calls \
                 that completed\n"
            ),
            "{printed}"
        );
        assert!(!printed.contains("\n  interrupted"), "{printed}");
    }

    #[test]
    fn a_run_without_calls_prints_without_a_histogram() {
        let mut report = unary();
        report.count = 0;
        report.rps = 0.0;
        report.latency = latency(0);
        report.histogram.clear();
        report.statuses.clear();
        report.errors.clear();
        report.endpoints.truncate(1);
        let printed = table(&report, Some(&report));
        // Nothing to take a % of: the earlier figure alone.
        assert!(
            printed.contains("  error rate  0.00%  (was 0.00%)\n"),
            "{printed}"
        );
        assert!(printed.contains("  p99    0µs  (was 0µs)\n"), "{printed}");
        assert!(!printed.contains("Histogram"), "{printed}");
        assert!(!printed.contains("Statuses"), "{printed}");
        assert!(printed.ends_with("  max    0µs  (was 0µs)\n"), "{printed}");
    }

    #[test]
    fn odd_figures_do_not_break_the_table() {
        let mut report = unary();
        report.rps = f64::NAN;
        report.latency.mean_us = f64::INFINITY;
        report.latency.max_us = u64::MAX;
        report.errors[0].message = "two\nlines\x1b[31m".into();
        report.histogram = vec![Bucket {
            upper_us: u64::MAX,
            count: u64::MAX,
        }];
        let printed = table(&report, Some(&unary()));
        assert!(
            printed.contains("  req/s           -  (was 8000.0)\n"),
            "{printed}"
        );
        assert!(
            printed.contains("                    -  (was 985µs)\n"),
            "{printed}"
        );
        assert!(
            printed.contains("  UNAVAILABLE  12  two\\nlines\\u{1b}[31m  (was 0, worse)\n"),
            "{printed}"
        );
        let bars = "■".repeat(40);
        assert!(
            printed.ends_with(&format!(
                "  18446744073709.55s [18446744073709551615] {bars}\n"
            )),
            "{printed}"
        );
    }

    #[test]
    fn times_for_people() {
        assert_eq!(format_us(0), "0µs");
        assert_eq!(format_us(850), "850µs");
        assert_eq!(format_us(999), "999µs");
        assert_eq!(format_us(1_000), "1.00ms");
        assert_eq!(format_us(1_234), "1.23ms");
        assert_eq!(format_us(1_235), "1.24ms");
        assert_eq!(format_us(999_994), "999.99ms");
        assert_eq!(format_us(999_995), "1.00s");
        assert_eq!(format_us(2_500_000), "2.50s");
        assert_eq!(format_us(90_000_000), "90.00s");
        assert_eq!(format_us(u64::MAX), "18446744073709.55s");
    }

    #[test]
    fn json_is_one_line_that_reads_back() {
        let mut out = Vec::new();
        write_json(&mut out, &streaming()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches('\n').count(), 1);
        assert!(text.ends_with("}\n"));
        assert!(text.starts_with(r#"{"method":"routeguide.RouteGuide/ListFeatures","kind":"server-streaming","shape":{"concurrency":50,"#));
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, streaming());
    }
}

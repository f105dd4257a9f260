//! The table's blocks, one per part of the report (summary, latency, streams, statuses,
//! errors, endpoints, and a merged report's parts), each figure beside an earlier run's with
//! `--compare`.

use super::format::{
    format_mean_us, format_number, format_percent, format_rate, format_us, one_line, plural,
};
use super::layout::{Block, Row};
use crate::bench::report::{Latency, Report, Shape};

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
    if let Some(split) = &shape.split {
        parts.push(format!("part {split}"));
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

pub(super) fn summary(report: &Report, old: Option<&Report>) -> Option<Block> {
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
fn latency_figures(latency: &Latency) -> [(&'static str, f64, String); 9] {
    [
        ("min", latency.min_us as f64, format_us(latency.min_us)),
        ("mean", latency.mean_us, format_mean_us(latency.mean_us)),
        ("p50", latency.p50_us as f64, format_us(latency.p50_us)),
        ("p90", latency.p90_us as f64, format_us(latency.p90_us)),
        ("p95", latency.p95_us as f64, format_us(latency.p95_us)),
        ("p99", latency.p99_us as f64, format_us(latency.p99_us)),
        ("p99.9", latency.p999_us as f64, format_us(latency.p999_us)),
        (
            "p99.99",
            latency.p9999_us as f64,
            format_us(latency.p9999_us),
        ),
        ("max", latency.max_us as f64, format_us(latency.max_us)),
    ]
}

pub(super) fn latency(report: &Report, old: Option<&Report>) -> Option<Block> {
    let mut block = Block::new("Latency");
    let old_figures = old.map(|o| latency_figures(&o.latency));
    // Reports of earlier versions, written without histograms, have no p99.99.
    let old_has =
        |label: &str| label != "p99.99" || old.is_some_and(|o| o.latency.hdr_histogram.is_some());
    for (i, (label, value, text)) in latency_figures(&report.latency).into_iter().enumerate() {
        let note = old_figures
            .as_ref()
            .filter(|_| old_has(label))
            .map(|figures| was(value, figures[i].1, &figures[i].2, Better::Lower));
        block.rows.push(Row::new(label, text).note(note));
    }
    Some(block)
}

pub(super) fn streams(report: &Report, old: Option<&Report>) -> Option<Block> {
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
        let first = |s: &crate::bench::report::Streams| {
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

pub(super) fn statuses(report: &Report, old: Option<&Report>) -> Option<Block> {
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

pub(super) fn errors(report: &Report, old: Option<&Report>) -> Option<Block> {
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

pub(super) fn endpoints(report: &Report, old: Option<&Report>) -> Option<Block> {
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

/// A merged report's parts, each with its own figures, and the window the merged rate is over.
pub(super) fn parts(report: &Report, _old: Option<&Report>) -> Option<Block> {
    if report.parts.is_empty() {
        return None;
    }
    let mut block = Block::new("Parts");
    block.columns = vec!["calls", "errors", "req/s", "p50", "p99"];
    for part in &report.parts {
        let mut row = Row::new(one_line(&part.source), part.count.to_string());
        row.figures.extend([
            part.errors.to_string(),
            format_rate(part.rps),
            format_us(part.p50_us),
            format_us(part.p99_us),
        ]);
        block.rows.push(row);
    }
    if let (Some(start), Some(end)) = (&report.started_at, &report.ended_at) {
        block.lines.push(format!(
            "req/s of the whole over the union of the parts' windows, {} to {}",
            one_line(start),
            one_line(end)
        ));
    }
    Some(block)
}

//! The table's last block with `--interval`: one row per interval of the counted part, from
//! its start: req/s, p50, p99 and errors, and the load's target when it has one.

use super::format::{format_rate, format_us};
use super::layout::{Block, Row};
use crate::bench::report::Report;

pub(super) fn intervals(report: &Report) -> Option<Block> {
    if report.intervals.is_empty() {
        return None;
    }
    let mut block = Block::new("Intervals");
    block.columns = vec!["req/s", "p50", "p99", "errors"];
    let targets = report.intervals.iter().any(|i| i.target.is_some());
    if targets {
        block.columns.push("target");
    }
    for interval in &report.intervals {
        let start = match interval.start_us {
            0 => "0s".to_owned(),
            us => format_us(us),
        };
        let mut row = Row::new(format!("from {start}"), format_rate(interval.rps));
        row.figures.push(format_us(interval.p50_us));
        row.figures.push(format_us(interval.p99_us));
        row.figures.push(interval.errors.to_string());
        if targets {
            row.figures
                .push(interval.target.map_or_else(|| "-".to_owned(), format_rate));
        }
        block.rows.push(row);
    }
    Some(block)
}

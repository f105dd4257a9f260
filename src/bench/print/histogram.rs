//! The latency histogram: one line of text bars per bucket.

use std::io::{self, Write};

use super::format::format_us;
use super::layout::{GAP, pad, width};
use crate::bench::report::Bucket;

/// The longest histogram bar, in characters; the largest bucket takes all of it.
const BAR_WIDTH: u64 = 40;
const BAR: char = '■';

/// `  1.20ms [  532] ■■■■■■■■■■`: one line per bucket, by its upper bound, the bars scaled to
/// the largest bucket. A bucket with any call gets at least one character.
pub(super) fn histogram(out: &mut impl Write, buckets: &[Bucket]) -> io::Result<()> {
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

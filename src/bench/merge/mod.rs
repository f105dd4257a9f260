//! `apicli bench merge REPORT…`: the `-o json` reports of runs that shared one load (a load split
//! over machines, or runs side by side) merged into one report, as if one generator had made
//! every call.
//!
//! Counts and statuses add up; the percentiles are those of the reports' histograms added
//! together, so they are exact, not averages of percentiles; the rate is over the union of the
//! runs' windows, from the earliest start to the latest end, and each part's own is listed. The
//! merged report is a report like any other: `--expect` and `--compare` judge it, and its
//! `-o json` merges again.
//!
//! `read.rs` finds the reports in the inputs, `check.rs` decodes each one's histograms and
//! checks that its figures agree with them, and `sum.rs` adds them up.

mod check;
mod read;
mod sum;

use super::{html, judge, load_compare, print_report, report::Report};
use crate::{exit::UsageError, settings::BenchMerge};

/// Merges the reports, prints the merged one, and holds it against the `--expect` conditions.
pub fn run(merge: &BenchMerge) -> anyhow::Result<()> {
    let compare = load_compare(merge.compare.as_deref())?;
    let page = merge.html.as_deref().map(html::Page::create).transpose()?;
    let report = merged(merge)?;
    print_report(&report, merge.output, compare.as_ref())?;
    if let Some(page) = page {
        page.write(&report, &report.intervals)?;
    }
    judge(&report, &merge.expectations)
}

/// The inputs' reports merged. Any report that cannot be merged is a usage error that names it.
fn merged(merge: &BenchMerge) -> Result<Report, UsageError> {
    let mut total: Option<sum::Sum> = None;
    for input in &merge.inputs {
        read::each_report(input, |source, report| {
            let part = check::Part::of(report).map_err(|why| (source.clone(), why))?;
            match &mut total {
                None => total = Some(sum::Sum::new(source, part)),
                Some(total) => total.add(source, part)?,
            }
            Ok(())
        })
        .map_err(|(source, why)| UsageError(format!("cannot merge {source}: {why}")))?;
    }
    // clap asks for a REPORT at least, and an input without one is an error.
    total
        .map(sum::Sum::finish)
        .ok_or_else(|| UsageError("no report to merge".to_owned()))
}

#[cfg(test)]
mod tests;

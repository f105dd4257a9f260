//! One report, ready to be merged: its histograms decoded, its times read, and its figures
//! checked against them. A report cut short or edited by hand (its histogram, its counts or its
//! percentiles changed) would make the merged figures wrong without a word: it is refused, and
//! the refusal says what disagrees.

use std::time::SystemTime;

use hdrhistogram::Histogram;

use crate::bench::{
    clock, hdr,
    report::{Latency, Report},
    stats,
};

/// A report whose figures agree with its histograms.
pub struct Part {
    pub report: Report,
    pub latency: Histogram<u64>,
    /// Streams only: the times to the first message.
    pub first_message: Option<Histogram<u64>>,
    pub started: SystemTime,
    pub ended: SystemTime,
}

impl Part {
    /// Checks `report`; the error says why it cannot be merged, in a phrase.
    pub fn of(report: Report) -> Result<Part, String> {
        let Some(latency_text) = &report.latency.hdr_histogram else {
            return Err(
                "it was written by an earlier apicli, without histograms, and cannot be merged; \
                 run it again with this version"
                    .to_owned(),
            );
        };
        let latency =
            hdr::decode(latency_text).map_err(|why| format!("latency.hdr_histogram: {why}"))?;
        let first_message = match &report.streams {
            None => None,
            Some(streams) => {
                let text = streams.first_message.hdr_histogram.as_deref().ok_or(
                    "streams.first_message has no hdr_histogram: cut short or tampered with",
                )?;
                Some(
                    hdr::decode(text)
                        .map_err(|why| format!("streams.first_message.hdr_histogram: {why}"))?,
                )
            }
        };
        let time = |field: &str, value: &Option<String>| match value {
            Some(text) => clock::parse(text).map_err(|why| format!("{field}: {why}")),
            None => Err(format!("it has no {field}: cut short or tampered with")),
        };
        let started = time("started_at", &report.started_at)?;
        let ended = time("ended_at", &report.ended_at)?;
        if ended < started {
            return Err("it ended (ended_at) before it started (started_at)".to_owned());
        }
        agree(&report, &latency, first_message.as_ref())?;
        Ok(Part {
            report,
            latency,
            first_message,
            started,
            ended,
        })
    }
}

/// Whether the report's counts and figures are its histograms'.
fn agree(
    report: &Report,
    latency: &Histogram<u64>,
    first_message: Option<&Histogram<u64>>,
) -> Result<(), String> {
    let tampered = |what: String| Err(format!("{what}: cut short or tampered with"));
    let measured = latency.len().checked_add(report.unattempted);
    if measured != Some(report.count) {
        return tampered(format!(
            "its count ({}) is not the calls of its histogram ({}) and those not attempted ({})",
            report.count,
            latency.len(),
            report.unattempted
        ));
    }
    let by_status = report
        .statuses
        .values()
        .try_fold(0u64, |sum, n| sum.checked_add(*n));
    if by_status != Some(report.count) {
        return tampered(format!(
            "its statuses do not add up to its count ({})",
            report.count
        ));
    }
    if !report.endpoints.is_empty() {
        let by_endpoint = report
            .endpoints
            .iter()
            .try_fold(0u64, |sum, e| sum.checked_add(e.count));
        if by_endpoint != Some(report.count) {
            return tampered(format!(
                "its endpoints' calls do not add up to its count ({})",
                report.count
            ));
        }
    }
    figures_agree("latency", &report.latency, latency).or_else(tampered)?;
    if let (Some(streams), Some(first)) = (&report.streams, first_message) {
        if first.len() > report.count {
            return tampered(format!(
                "streams.first_message holds {} calls, more than its count ({})",
                first.len(),
                report.count
            ));
        }
        figures_agree("streams.first_message", &streams.first_message, first).or_else(tampered)?;
    }
    Ok(())
}

/// Whether the whole-number figures of `latency` are those of `histogram`; the mean, a
/// fraction, is left out: JSON may round its last digit.
fn figures_agree(field: &str, latency: &Latency, histogram: &Histogram<u64>) -> Result<(), String> {
    let truth = stats::figures(histogram);
    let pairs = [
        ("min_us", latency.min_us, truth.min_us),
        ("p50_us", latency.p50_us, truth.p50_us),
        ("p90_us", latency.p90_us, truth.p90_us),
        ("p95_us", latency.p95_us, truth.p95_us),
        ("p99_us", latency.p99_us, truth.p99_us),
        ("p999_us", latency.p999_us, truth.p999_us),
        ("p9999_us", latency.p9999_us, truth.p9999_us),
        ("max_us", latency.max_us, truth.max_us),
    ];
    match pairs
        .iter()
        .find(|(_, written, true_us)| written != true_us)
    {
        Some((name, written, true_us)) => Err(format!(
            "its {field}.{name} ({written}) is not its histogram's ({true_us})"
        )),
        None => Ok(()),
    }
}

//! `--html FILE`: the report as one self-contained page for people, beside the report on
//! stdout. Its charts are inline SVG (`svg.rs` draws, `charts.rs` chooses what), its summary is
//! the text table's figures in HTML tables (`table.rs`); the page holds no script, and loads
//! nothing from anywhere.

mod charts;
mod svg;
mod table;

use std::{io::Write as _, path::Path};

use super::report::{Interval, Report};
use crate::{
    exit::{UsageError, io_words},
    whole_file::WholeFile,
};
use svg::escape;

/// The page being written, whole or not at all ([`WholeFile`]).
pub struct Page(WholeFile);

impl Page {
    /// Opens the page's partial file, before any call or any report is read, so that a FILE
    /// that cannot be written is a usage error at once.
    pub fn create(path: &Path) -> Result<Page, UsageError> {
        WholeFile::create(path)
            .map(Page)
            .map_err(|why| UsageError(format!("cannot write --html '{}': {why}", path.display())))
    }

    /// Writes the page of `report`, its charts over time from `intervals` (the run's, which
    /// the report itself lists only with `--interval`), and gives it its name.
    pub fn write(self, report: &Report, intervals: &[Interval]) -> anyhow::Result<()> {
        let Page(mut file) = self;
        let path = file.path().display().to_string();
        file.writer()
            .write_all(render(report, intervals).as_bytes())
            .and_then(|()| file.finish())
            .map_err(|err| anyhow::anyhow!("writing --html '{path}': {}", io_words(&err)))
    }
}

/// How the page looks: its charts scale to the page's width.
const STYLE: &str = "\
body{font:14px/1.45 system-ui,sans-serif;color:#1a202c;background:#fff;max-width:1100px;margin:24px auto;padding:0 16px}\
h1{font-size:20px;margin:0 0 4px}h3{font-size:14px;margin:16px 0 4px}h2{font-size:16px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid #e2e8f0}\
.when,.note{color:#4a5568}.note{font-style:italic}\
svg.chart{display:block;width:100%;height:auto}\
svg text{font-size:12px;fill:#2d3748}svg .tick{fill:#4a5568}svg .axis-name{font-size:13px}\
.grid line{stroke:#e2e8f0}.grid line.tick-mark{stroke:#a0aec0}.axes line{stroke:#4a5568}\
rect.bar{fill:#3182ce}\
.blocks{display:flex;flex-wrap:wrap;gap:16px 40px;align-items:flex-start}\
table{border-collapse:collapse}caption{text-align:left;font-weight:600;padding:2px 0}\
th,td{padding:1px 8px}th{text-align:left;font-weight:normal;color:#4a5568}thead th{text-align:right}\
td.num{text-align:right;font-variant-numeric:tabular-nums}td.text{text-align:left}\
p.line{margin:2px 8px;color:#4a5568;max-width:60ch}";

/// The whole page.
pub fn render(report: &Report, intervals: &[Interval]) -> String {
    let merged = !report.parts.is_empty();
    let what = if merged {
        "apicli bench merge"
    } else {
        "apicli bench"
    };
    let method = escape(&report.method);
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{what}: {method}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{what}: {method} <small>({})</small></h1>\n",
        escape(&report.kind)
    );
    if let (Some(start), Some(end)) = (&report.started_at, &report.ended_at) {
        page.push_str(&format!(
            "<p class=\"when\">from {} to {}</p>\n",
            escape(start),
            escape(end)
        ));
    }
    if report.interrupted {
        page.push_str(
            "<p class=\"note\">Interrupted: the figures cover the calls that completed.</p>\n",
        );
    }
    section(&mut page, "Summary", &table::summary(report));
    if merged {
        let over_time = [
            (
                "Requests per second over time",
                charts::parts_rate_over_time(report),
            ),
            ("p99 over time", charts::parts_p99_over_time(report)),
        ];
        let mut parts = String::from(if over_time.iter().all(|(_, c)| c.is_none()) {
            "<p class=\"note\">The parts were run without --interval: their lines over time \
             need the parts' intervals. Here are the figures each part carries.</p>\n"
        } else {
            "<p class=\"note\">A line for each part, over its own intervals: their p50 and p99 \
             do not add up, so a merged report has no intervals of its own.</p>\n"
        });
        let charts = over_time.into_iter().chain([
            ("Requests per second", charts::parts_rate(report)),
            ("Latency: p50 and p99", charts::parts_latency(report)),
        ]);
        for (title, chart) in charts
            .into_iter()
            .filter_map(|(title, chart)| Some((title, chart?)))
        {
            parts.push_str(&format!("<h3>{title}</h3>\n{chart}\n"));
        }
        section(&mut page, "Parts", &parts);
    } else {
        let none = "<p class=\"note\">This run has no intervals to draw over time.</p>\n";
        section(
            &mut page,
            "Latency over time",
            &charts::latency_over_time(report, intervals).unwrap_or_else(|| none.to_owned()),
        );
        section(
            &mut page,
            "Requests and errors over time",
            &charts::rate_over_time(report, intervals).unwrap_or_else(|| none.to_owned()),
        );
    }
    section(
        &mut page,
        "Latency histogram",
        &charts::histogram(report)
            .unwrap_or_else(|| "<p class=\"note\">No call had a latency to draw.</p>\n".to_owned()),
    );
    page.push_str("</body>\n</html>\n");
    page
}

fn section(page: &mut String, title: &str, body: &str) {
    page.push_str("<section>\n<h2>");
    page.push_str(&escape(title));
    page.push_str("</h2>\n");
    page.push_str(body);
    if !body.ends_with('\n') {
        page.push('\n');
    }
    page.push_str("</section>\n");
}

#[cfg(test)]
mod tests;

//! The page's summary: the blocks of the text table (summary, latency, streams, statuses,
//! errors, endpoints, parts), each an HTML table with the same figures in the same words.

use std::fmt::Write as _;

use super::svg::escape;
use crate::bench::{
    print::{self, Block},
    report::Report,
};

pub fn summary(report: &Report) -> String {
    let mut out = String::from("<div class=\"blocks\">\n");
    for block in print::blocks(report, None) {
        out.push_str(&block_table(&block));
    }
    out.push_str("</div>\n");
    out
}

fn block_table(block: &Block) -> String {
    let mut out = format!(
        "<div class=\"block\">\n<table><caption>{}</caption>\n",
        escape(block.title)
    );
    if !block.columns.is_empty() {
        out.push_str("<thead><tr><th></th>");
        for column in &block.columns {
            let _ = write!(out, "<th scope=\"col\">{}</th>", escape(column));
        }
        out.push_str("</tr></thead>\n");
    }
    out.push_str("<tbody>\n");
    for row in &block.rows {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(&row.label));
        for figure in &row.figures {
            let _ = write!(out, "<td class=\"num\">{}</td>", escape(figure));
        }
        if !row.text.is_empty() {
            let _ = write!(out, "<td class=\"text\">{}</td>", escape(&row.text));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    for line in &block.lines {
        let _ = writeln!(out, "<p class=\"line\">{}</p>", escape(line));
    }
    out.push_str("</div>\n");
    out
}

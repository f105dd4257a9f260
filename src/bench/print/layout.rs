//! The table's layout: titled blocks of rows, their figures aligned on the right.

use std::io::{self, Write};

/// Space between columns.
pub(super) const GAP: &str = "  ";

/// One line of a block: a label, then figures aligned on the right, then text (an error
/// message), then the comparison with the earlier run.
pub(in crate::bench) struct Row {
    pub(in crate::bench) label: String,
    pub(in crate::bench) figures: Vec<String>,
    pub(in crate::bench) text: String,
    pub(in crate::bench) note: String,
}

impl Row {
    pub(super) fn new(label: impl Into<String>, figure: String) -> Row {
        Row {
            label: label.into(),
            figures: vec![figure],
            text: String::new(),
            note: String::new(),
        }
    }

    /// A row whose value is text, left-aligned after the label and not aligned with figures.
    pub(super) fn text(label: &str, text: String) -> Row {
        Row {
            label: label.to_owned(),
            figures: Vec::new(),
            text,
            note: String::new(),
        }
    }

    pub(super) fn note(mut self, note: Option<String>) -> Row {
        self.note = note.unwrap_or_default();
        self
    }
}

/// A titled group of rows; `columns` heads the figures on the title's line.
pub(in crate::bench) struct Block {
    pub(in crate::bench) title: &'static str,
    pub(in crate::bench) columns: Vec<&'static str>,
    pub(in crate::bench) rows: Vec<Row>,
    /// Sentences after the rows.
    pub(in crate::bench) lines: Vec<String>,
}

impl Block {
    pub(super) fn new(title: &'static str) -> Block {
        Block {
            title,
            columns: Vec::new(),
            rows: Vec::new(),
            lines: Vec::new(),
        }
    }

    pub(super) fn write(&self, out: &mut impl Write) -> io::Result<()> {
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

pub(super) fn pad(line: &mut String, n: usize) {
    line.extend(std::iter::repeat_n(' ', n));
}

/// The characters a text takes on screen.
pub(super) fn width(text: &str) -> usize {
    text.chars().count()
}

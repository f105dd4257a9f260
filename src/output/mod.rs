//! Printing responses: one printer per format, each generic over `io::Write` and over the
//! message through [`Render`], plus the progress bar and the verbose report that go to stderr.

mod cells;
mod dynamic;
mod format;
mod json;
mod progress;
mod render;
mod table;
mod text;
mod text_format;
pub mod verbose;

use std::io::{self, Write};

pub use json::JsonPrinter;
pub use progress::Progress;
pub use render::{Cell, Layout, Render};
pub use table::TablePrinter;
pub use text::{RECORD_SEPARATOR, TextPrinter};
pub use text_format::text_format;

pub use format::OutputFormat;

/// Writes response messages to stdout in one format. Nothing here flushes on its own: the
/// caller flushes when a stream waits, so slow streams still show each message at once.
pub enum Printer<W: Write> {
    Json(JsonPrinter<W>),
    Table(TablePrinter<W>),
    Text(TextPrinter<W>),
}

impl<W: Write> Printer<W> {
    pub fn new(format: OutputFormat, out: W, color: bool, emit_defaults: bool) -> Printer<W> {
        match format {
            OutputFormat::Json => Printer::Json(JsonPrinter::new(out, emit_defaults)),
            OutputFormat::Table => Printer::Table(TablePrinter::new(out, color)),
            OutputFormat::Text => Printer::Text(TextPrinter::new(out)),
        }
    }

    /// The first table columns are at least this wide (no effect on JSON).
    pub fn set_min_widths(&mut self, widths: Vec<usize>) {
        if let Printer::Table(table) = self {
            table.set_min_widths(widths);
        }
    }

    /// A stream's table sizes its columns from its first rows, and on a `terminal` cuts a longer
    /// value later with `…` (no effect on JSON).
    pub fn for_streams(&mut self, terminal: bool) {
        if let Printer::Table(table) = self {
            table.for_streams(terminal);
        }
    }

    /// One response message. `single`: the call returns only this one (unary and
    /// client-streaming calls).
    pub fn message<M: Render>(&mut self, message: &M, single: bool) -> io::Result<()> {
        match self {
            Printer::Json(json) => json.message(message),
            Printer::Table(table) => table.message(message, single),
            Printer::Text(text) => text.message(message),
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            Printer::Json(json) => json.flush(),
            Printer::Table(table) => table.flush(),
            Printer::Text(text) => text.flush(),
        }
    }

    /// Flushes, showing the rows a table holds to size its columns: nothing more will come.
    pub fn finish(&mut self) -> io::Result<()> {
        match self {
            Printer::Json(json) => json.flush(),
            Printer::Table(table) => table.finish(),
            Printer::Text(text) => text.flush(),
        }
    }

    /// Waits for `next` (a stream's next message). The rows a table holds to size its columns
    /// are shown when their window ends, even if no other message comes by then.
    pub async fn wait<F: Future>(&mut self, next: F, progress: &Progress) -> io::Result<F::Output> {
        let end = match self {
            Printer::Table(table) => table.window_end(),
            Printer::Json(_) | Printer::Text(_) => None,
        };
        let Some(end) = end else {
            return Ok(next.await);
        };
        let mut next = std::pin::pin!(next);
        if let Ok(output) = tokio::time::timeout_at(end.into(), next.as_mut()).await {
            return Ok(output);
        }
        progress.around(|| self.finish())?;
        Ok(next.await)
    }
}

//! Printing responses: one printer per format, each generic over `io::Write`, plus the progress
//! bar and the verbose report that go to stderr.

mod json;
mod progress;
mod table;
pub mod verbose;

use std::io;

pub use json::JsonPrinter;
pub use progress::Progress;
pub use table::TablePrinter;

use crate::api::{Hello, Item, Items};

/// Writes response messages to stdout in one format. Nothing here flushes on its own:
/// the caller flushes when the stream waits, so slow streams still show each item at once.
pub trait Printer {
    fn hello(&mut self, hello: &Hello) -> io::Result<()>;
    fn items(&mut self, items: &Items) -> io::Result<()>;
    /// Called once before the first stream item; `expected` is the requested length.
    fn stream_start(&mut self, expected: i32) -> io::Result<()>;
    fn stream_item(&mut self, item: &Item) -> io::Result<()>;
    /// A health check's answer: `SERVING`, `NOT_SERVING`, `UNKNOWN` or `SERVICE_UNKNOWN`.
    fn health(&mut self, status: &str) -> io::Result<()>;
    fn flush(&mut self) -> io::Result<()>;
}

//! The server's log: one line per event on stderr, as text or JSON (`--log-format`).
//!
//! Lines are written by a background thread, so a call never waits on a write to stderr, and
//! lines that pile up under load go out in one write.

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

use crate::settings::LogFormat;

/// The level is `info` (a line per call), `debug` with `-v` (also each request's metadata),
/// no per-call lines with `-q`; `RUST_LOG` overrides it. Keep the guard until the server
/// stops: dropping it writes out what is left.
pub fn init(format: LogFormat, level: &str, ansi: bool) -> WorkerGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    // Not lossy: under a flood of calls the log slows them rather than losing lines.
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("apicli-log")
        .finish(std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_target(false)
        .with_env_filter(filter);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(ansi).try_init(),
        LogFormat::Json => builder.json().with_ansi(false).try_init(),
    };
    guard
}

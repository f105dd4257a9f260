//! The server's log: one line per event on stderr, as text or JSON (`--log-format`).

use tracing_subscriber::EnvFilter;

use crate::cli::LogFormat;

/// The level is `info` (a line per call), `debug` with `-v` (also each request's metadata),
/// `warn` with `-q`; `RUST_LOG` overrides it.
pub fn init(format: LogFormat, level: &str, ansi: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_env_filter(filter);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(ansi).try_init(),
        LogFormat::Json => builder.json().with_ansi(false).try_init(),
    };
}

//! Raw command-line values → validated settings. Every check that can fail before the network
//! is touched happens here, so a bad input ends with exit 2 and one clear line.

mod address;
mod bench;
mod bench_merge;
pub mod expect;
mod export;
mod header_templates;
mod lookup;
mod method;
mod positional;
mod profile;
mod protocol;
mod request_data;
mod route;
mod schedule;
mod split;
mod start_at;
mod values;

// What the command line becomes: one job, with the settings of a client or of the server.
mod client;
mod job;
mod serve;

use std::io::IsTerminal;

pub use address::{Listen, Target, parse_listen, parse_target};
pub use bench::{Bench, DEFAULT_TOTAL, Expectations, StopAfter, Warmup};
pub use bench_merge::{BenchMerge, ReportInput};
pub use export::Export;
pub use header_templates::HeaderTemplate;
pub use method::split_method;
pub use positional::{is_address, split_url};
pub use profile::{Chosen, Config};
pub use protocol::{HttpVersion, Protocol, Streaming, check_streaming};
pub use request_data::{RequestData, UnknownFields};
pub use route::{Route, Source, Why};
pub use schedule::{Ramp, Rise};
pub use split::Split;
pub use values::{
    NOT_TEXT, bound, named, parse_duration, parse_size, read_bounded, read_file, read_path,
    read_text,
};

/// The command line's choices, for the layers above, which do not import `cli`.
pub use crate::cli::{ColorChoice, Compression, DEFAULT_PORT, DataOrder, LogFormat};
/// For the layers above, which read files too.
pub use crate::exit::io_words;
/// What `-o` chose, as the printers know it.
pub use crate::output::OutputFormat;
use crate::{cli::GlobalArgs, exit::UsageError};

pub use client::{
    ClientSettings, ClientTls, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_MESSAGE_SIZE, DescriptorFiles,
};
pub use job::{Call, Explore, Job, NO_SYMBOL};
pub use serve::{
    DEFAULT_SERVER_KEEPALIVE, Double, DoubleDescriptors, Record, ServeSettings, ServerLimits,
    ServerTls,
};

/// Whether to colour what goes to each stream.
#[derive(Debug, Clone, Copy, Default)]
pub struct Colors {
    pub stdout: bool,
    pub stderr: bool,
}

impl Colors {
    /// `auto` colours a stream only when it is a terminal and `NO_COLOR` is unset.
    pub fn resolve(choice: ColorChoice) -> Colors {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        match choice {
            ColorChoice::Always => Colors {
                stdout: true,
                stderr: true,
            },
            ColorChoice::Never => Colors::default(),
            ColorChoice::Auto if no_color => Colors::default(),
            ColorChoice::Auto => Colors {
                stdout: std::io::stdout().is_terminal(),
                stderr: std::io::stderr().is_terminal(),
            },
        }
    }
}

/// The one `--addr` of a command other than bench, if given.
fn one_addr(global: &GlobalArgs) -> Result<Option<&str>, UsageError> {
    match global.addr.as_slice() {
        [] => Ok(None),
        [addr] => Ok(Some(addr)),
        addrs => Err(UsageError(format!(
            "--addr is given {} times; only 'apicli bench' takes several addresses",
            addrs.len()
        ))),
    }
}

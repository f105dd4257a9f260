//! `apicli serve`'s own options: TLS, streaming pace, logging, the server's limits, and what it
//! serves as a test double (descriptors and stubs).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::DescriptorArgs;

impl DoubleArgs {
    /// The descriptor files, as the clients' options give them.
    pub fn descriptors(&self) -> DescriptorArgs {
        DescriptorArgs {
            protos: self.protos.clone(),
            import_paths: self.import_paths.clone(),
            protosets: self.protosets.clone(),
        }
    }
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Server options")]
pub struct ServeArgs {
    /// Wait this long before each getStream item and ListFeatures feature (e.g. 1s, 200ms)
    #[arg(long, default_value = "0s", value_name = "DURATION")]
    pub stream_interval: String,

    /// The largest getAll length served; longer requests get INVALID_ARGUMENT
    #[arg(long, default_value_t = 1_000_000, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=i32::MAX as i64))]
    pub max_items: u32,

    /// Serve TLS with this certificate chain (PEM); needs --tls-key
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_key",
        conflicts_with = "tls_self_signed"
    )]
    pub tls_cert: Option<PathBuf>,

    /// The private key (PEM: PKCS#8, RSA or SEC1) of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Require client certificates signed by this CA (PEM): mutual TLS
    #[arg(long, value_name = "FILE")]
    pub client_ca: Option<PathBuf>,

    /// Make a CA and a localhost/127.0.0.1 certificate in DIR (or reuse them), and serve TLS
    #[arg(long, value_name = "DIR")]
    pub tls_self_signed: Option<PathBuf>,

    /// Do not serve gRPC reflection
    #[arg(long)]
    pub no_reflection: bool,

    /// The log's format on stderr
    #[arg(long, value_enum, default_value_t = LogFormat::Text, value_name = "FORMAT")]
    pub log_format: LogFormat,

    /// After SIGINT/SIGTERM, how long calls in flight may finish before they are cancelled
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub grace: String,

    /// The most concurrent calls (HTTP/2 streams) on one connection
    #[arg(long, default_value_t = 256, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrent_streams: u32,

    /// The largest request message accepted (units optional: 64KiB)
    #[arg(long, default_value = "4MiB", value_name = "BYTES")]
    pub max_request_size: String,

    /// Threads serving calls, each with the connections it was given [default: one per core]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Do not set TCP_NODELAY on accepted connections
    #[arg(long)]
    pub no_tcp_nodelay: bool,

    /// Let pages from ORIGIN (https://app.example, or * for any) call from a browser: CORS
    /// preflights answered, the protocols' headers exposed (repeatable)
    #[arg(long, value_name = "ORIGIN")]
    pub cors_origin: Vec<String>,

    #[command(flatten)]
    pub double: DoubleArgs,
}

/// What serve answers as a test double: any service, described by files or a live server's
/// reflection, answered from stub files.
#[derive(Debug, Args)]
#[command(next_help_heading = "Test double options")]
pub struct DoubleArgs {
    /// Serve the services of this .proto file instead of the built-in ones (repeatable)
    #[arg(long = "proto", value_name = "FILE")]
    pub protos: Vec<PathBuf>,

    /// Where --proto files and their imports are found (repeatable) [default: each file's folder]
    #[arg(short = 'I', long = "import-path", value_name = "DIR")]
    pub import_paths: Vec<PathBuf>,

    /// Serve the services of this FileDescriptorSet instead of the built-in ones (repeatable)
    #[arg(long = "protoset", value_name = "FILE")]
    pub protosets: Vec<PathBuf>,

    /// Serve the services of the server at ADDR, described by its reflection (asked once, at
    /// start)
    #[arg(long, value_name = "ADDR")]
    pub reflect_from: Option<String>,

    /// Forward every call to the live server at ADDR, and write each exchange as a stub file in
    /// the one --stubs DIR (made if missing); described by its reflection unless --proto or
    /// --protoset is given
    #[arg(long, value_name = "ADDR", conflicts_with = "reflect_from")]
    pub record_from: Option<String>,

    /// With --record-from: write the time before each reply and message (delay, after)
    #[arg(long, requires = "record_from")]
    pub record_timing: bool,

    /// With --record-from: never write this header in a stub file, as authorization, cookie
    /// and x-api-key never are (repeatable)
    #[arg(long, value_name = "NAME", requires = "record_from")]
    pub redact_header: Vec<String>,

    /// Answer calls from the stubs in this YAML or JSON file, or in the files of this folder;
    /// without a descriptor option, stubs of the built-in services (repeatable); the folder
    /// that --record-from writes to
    #[arg(long, value_name = "PATH")]
    pub stubs: Vec<PathBuf>,

    /// The most calls the journal keeps; the oldest go first
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub journal_limit: usize,

    /// Do not reload the stub files when they change
    #[arg(long)]
    pub no_watch: bool,

    /// At shutdown, list the stubs no call matched, and exit 3 if there are any
    #[arg(long)]
    pub report_unused: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event
    Text,
    /// One JSON object per event
    Json,
}

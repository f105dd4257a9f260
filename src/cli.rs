//! The command-line interface: the clap definition and nothing else.
//! Values are checked and resolved in `settings.rs`.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The address clients connect to and `serve` listens on when `--addr` is not given.
pub const DEFAULT_PORT: u16 = 50051;

/// A command-line client and server for the api.Api gRPC service.
#[derive(Debug, Parser)]
#[command(name = "apicli", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Call sayHello: greet NAME
    Hello {
        /// The name to greet
        name: String,
    },
    /// Call getAll: fetch LENGTH items in one response
    GetAll {
        /// How many items to ask for (0 to 2147483647)
        #[arg(long, default_value_t = 10, value_parser = length_parser(), allow_negative_numbers = true)]
        length: i32,
    },
    /// Call getStream: receive LENGTH items, each printed as it arrives
    Stream {
        /// How many items to ask for (0 to 2147483647)
        #[arg(long, default_value_t = 5, value_parser = length_parser(), allow_negative_numbers = true)]
        length: i32,
    },
    /// Serve api.Api (listens on 127.0.0.1:50051 unless --addr says otherwise)
    Serve(ServeArgs),
    /// Print a shell completion script to stdout
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

/// Options of every command, accepted before or after the subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Server address: host:port or http://host:port (for serve: where to listen)
    /// [default: http://127.0.0.1:50051]
    #[arg(long, global = true, env = "APICLI_ADDR", value_name = "ADDR")]
    pub addr: Option<String>,

    /// Request metadata, 'name: value' (repeatable); a name ending in -bin takes base64
    #[arg(
        short = 'H',
        long = "header",
        global = true,
        value_name = "NAME: VALUE"
    )]
    pub headers: Vec<String>,

    /// The call's deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout
    #[arg(long, global = true, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// How long connecting may take [default: 10s]
    #[arg(long, global = true, value_name = "DURATION")]
    pub connect_timeout: Option<String>,

    /// Output format [default: table]
    #[arg(short, long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]
    #[arg(long, global = true, value_name = "BYTES")]
    pub max_message_size: Option<String>,

    /// Show on stderr the metadata sent, the response headers and trailers, the status and timing
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// No progress bar
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to use colour (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Wait this long before each getStream item (e.g. 1s, 200ms)
    #[arg(long, default_value = "0s", value_name = "DURATION")]
    pub stream_interval: String,

    /// The largest getAll length served; longer requests get INVALID_ARGUMENT
    #[arg(long, default_value_t = 1_000_000, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=i32::MAX as i64))]
    pub max_items: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people
    Table,
    /// The proto3 JSON mapping, one compact value per line
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn length_parser() -> clap::builder::RangedI64ValueParser<i32> {
    clap::value_parser!(i32).range(0..=i32::MAX as i64)
}

//! The command-line interface: the clap definition and nothing else.
//! Values are checked and resolved in `settings.rs`; [`command`] builds the one `clap::Command`
//! that parses, helps, completes and makes the man pages. It imports nothing of apicli: the
//! completers of names only a server knows are attached where the program is assembled
//! (`app::command`).

mod command;
mod listing;

pub use command::{command, parse, scripts};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The port clients connect to and `serve` listens on when `--addr` is not given.
pub const DEFAULT_PORT: u16 = 50051;

/// Help is as wide as the terminal, but never wider than this.
pub const MAX_TERM_WIDTH: usize = 100;

/// A command-line gRPC client for any service, and a server to try it on.
#[derive(Debug, Parser)]
#[command(
    name = "apicli",
    version,
    about,
    max_term_width = MAX_TERM_WIDTH,
    after_help = "Each command's options: 'apicli COMMAND --help' (or 'man apicli-COMMAND'). They \
                  may also come before the command: 'apicli --addr HOST:PORT hello NAME'."
)]
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
    /// Check the server's health like a Kubernetes probe: exit 0 only when SERVING
    Health {
        /// The service to check; the whole server when omitted
        #[arg(default_value = "")]
        service: String,
    },
    /// List the services, or the methods of SERVICE with their kinds and types
    List {
        /// The service whose methods to list (e.g. routeguide.RouteGuide)
        service: Option<String>,
        #[command(flatten)]
        descriptors: DescriptorArgs,
    },
    /// Describe a service, method, message, enum or field in .proto syntax
    Describe {
        /// The fully-qualified name (e.g. routeguide.RouteGuide, routeguide.Point)
        symbol: String,
        /// Print a JSON request skeleton of the message (or the method's request) instead
        #[arg(long)]
        template: bool,
        #[command(flatten)]
        descriptors: DescriptorArgs,
    },
    /// Call any method of any service: unary, server-, client- or bidi-streaming
    Call {
        /// SERVICE/METHOD (also SERVICE.METHOD, or with a leading /)
        method: String,
        /// Request messages as JSON, one after another (NDJSON); @FILE reads a file, @- stdin
        #[arg(short, long, value_name = "JSON|@FILE|@-")]
        data: Option<String>,
        /// Include fields that hold default values in -o json
        #[arg(long)]
        emit_defaults: bool,
        #[command(flatten)]
        descriptors: DescriptorArgs,
    },
    /// Load-test any method: many calls at once, live progress, exact latency percentiles
    Bench(BenchArgs),
    /// List the profiles of the config file, or show one as resolved
    Profiles {
        #[command(subcommand)]
        action: Option<ProfilesAction>,
    },
    /// Serve api.Api and routeguide.RouteGuide (on 127.0.0.1:50051 unless --addr says otherwise)
    Serve(ServeArgs),
    /// Print a shell completion script to stdout
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfilesAction {
    /// Print a profile as resolved, with tokens and authorization values redacted
    Show {
        /// The profile's name
        name: String,
    },
}

/// Options of every command, accepted before or after the subcommand. Each command's help shows
/// those it takes (see `cli::command`): the ones under a client heading ([`CLIENT_HEADINGS`]) are
/// the clients'; serve takes a few of them too, with the meaning [`OWN_HELP`] gives.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Server address: host:port, http://host:port, https://host:port or unix:/path
    /// [default: 127.0.0.1:50051]
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        env = "APICLI_ADDR",
        value_name = "ADDR"
    )]
    pub addr: Vec<String>,

    /// Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        env = "APICLI_PROFILE",
        value_name = "NAME"
    )]
    pub profile: Option<String>,

    /// The profile that filled in options, as `-v` names it: `NAME (from FILE)`.
    #[arg(skip)]
    pub profile_in_use: Option<String>,

    /// Request metadata, 'name: value' (repeatable; a name ending in -bin takes base64), or
    /// @FILE for one header per line
    #[arg(
        help_heading = "Client options",
        short = 'H',
        long = "header",
        global = true,
        value_name = "NAME: VALUE"
    )]
    pub headers: Vec<String>,

    /// The call's deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        value_name = "DURATION"
    )]
    pub timeout: Option<String>,

    /// How long connecting may take [default: 10s]
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        value_name = "DURATION"
    )]
    pub connect_timeout: Option<String>,

    /// Output format [default: table]
    #[arg(
        help_heading = "Client options",
        short,
        long,
        global = true,
        value_enum,
        value_name = "FORMAT"
    )]
    pub output: Option<OutputFormat>,

    /// The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        value_name = "BYTES"
    )]
    pub max_message_size: Option<String>,

    /// Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address
    /// [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        value_name = "URL",
        conflicts_with = "no_proxy"
    )]
    pub proxy: Option<String>,

    /// Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say
    #[arg(help_heading = "Client options", long, global = true)]
    pub no_proxy: bool,

    /// Send 'authorization: Bearer TOKEN' with the token read from FILE
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        value_name = "FILE"
    )]
    pub token_file: Option<PathBuf>,

    /// Trust this CA certificate (PEM) besides the system roots, for https:// addresses
    #[arg(
        help_heading = "Client TLS options",
        long,
        global = true,
        value_name = "FILE"
    )]
    pub ca_cert: Option<PathBuf>,

    /// Present this client certificate (PEM) for mutual TLS; needs --key
    #[arg(
        help_heading = "Client TLS options",
        long,
        global = true,
        value_name = "FILE",
        requires = "key"
    )]
    pub cert: Option<PathBuf>,

    /// The private key (PEM) of --cert
    #[arg(
        help_heading = "Client TLS options",
        long,
        global = true,
        value_name = "FILE",
        requires = "cert"
    )]
    pub key: Option<PathBuf>,

    /// The :authority and TLS server name to use instead of the address's host
    #[arg(
        help_heading = "Client TLS options",
        long,
        global = true,
        value_name = "NAME"
    )]
    pub authority: Option<String>,

    /// Do not verify the server's TLS certificate (a warning says so every time)
    #[arg(help_heading = "Client TLS options", long, global = true)]
    pub insecure: bool,

    /// Compress requests with this encoding and accept responses compressed with it
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        value_enum,
        value_name = "ENCODING"
    )]
    pub compress: Option<Compression>,

    /// Send HTTP/2 keepalive pings this often (e.g. 30s)
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        value_name = "DURATION"
    )]
    pub keepalive: Option<String>,

    /// Show on stderr the metadata sent, the response headers and trailers, the status and
    /// timing
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// No progress bar
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to use colour (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// The headings of the options that only client calls take. The help of serve, of the tools and
/// the top-level help leave out the global options under them, so a new client option needs
/// nothing more than one of these headings to be shown where it applies.
pub const CLIENT_HEADINGS: &[&str] = &[
    "Client options",
    "Client TLS options",
    "Descriptor options",
    "Load options",
];

/// Help texts of global options for one command, where the option means something else there:
/// (command, option id, text). serve's help shows the options it shares with the clients with
/// these texts, among its general options; the top-level help and the tools', which no meaning
/// fits, leave out every option named here.
pub const OWN_HELP: &[(&str, &str, &str)] = &[
    (
        "serve",
        "addr",
        "Where to listen: host:port (0.0.0.0 or [::] for every interface; port 0 picks a free \
         port) or unix:/path [default: 127.0.0.1:50051]",
    ),
    (
        "serve",
        "token_file",
        "Require 'authorization: Bearer TOKEN' on every call but health checks, with the token \
         read from FILE",
    ),
    (
        "serve",
        "keepalive",
        "Send HTTP/2 keepalive pings this often (e.g. 30s); a peer silent for 20s more is dropped \
         [default: 60s]",
    ),
    ("serve", "verbose", "Also log each request's metadata"),
    ("serve", "quiet", "No log line per call"),
    (
        "bench",
        "addr",
        "Server address: host:port, http://host:port, https://host:port or unix:/path; repeat it \
         to spread the connections over several [default: 127.0.0.1:50051]",
    ),
];

/// Global options a command refuses, as (command, option id): its help and the completion
/// scripts leave them out. They still parse, so that settings can say why they do not apply.
pub const REFUSED: &[(&str, &str)] = &[("bench", "verbose")];

/// Whom a command is for, which decides the global options its help shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Client calls: every global option.
    Client,
    /// serve: the global options outside the client headings, and those [`OWN_HELP`] gives a
    /// text for serve.
    Server,
    /// The top level and the tools: only the global options that mean the same to every command.
    Any,
}

/// Commands listed together in the top-level help.
#[derive(Debug)]
pub struct Group {
    pub heading: &'static str,
    pub audience: Audience,
    pub commands: &'static [&'static str],
}

/// The top-level help's groups of commands, in order. A command in none of them is listed last,
/// under "Other commands", and taken for a client call.
pub const GROUPS: &[Group] = &[
    Group {
        heading: "Typed calls",
        audience: Audience::Client,
        commands: &["hello", "get-all", "stream", "health"],
    },
    Group {
        heading: "General calls",
        audience: Audience::Client,
        commands: &["list", "describe", "call", "bench"],
    },
    Group {
        heading: "Server",
        audience: Audience::Server,
        commands: &["serve"],
    },
    Group {
        heading: "Tools",
        audience: Audience::Any,
        // help: clap's own, the help of the other commands.
        commands: &["completions", "profiles", "help"],
    },
];

/// Where method and message descriptions come from, when not from server reflection.
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "Descriptor options")]
pub struct DescriptorArgs {
    /// Describe the services with this .proto file instead of reflection (repeatable)
    #[arg(long = "proto", value_name = "FILE")]
    pub protos: Vec<PathBuf>,

    /// Where --proto files and their imports are found (repeatable) [default: each file's folder]
    #[arg(short = 'I', long = "import-path", value_name = "DIR")]
    pub import_paths: Vec<PathBuf>,

    /// Describe the services with this FileDescriptorSet instead of reflection (repeatable)
    #[arg(long = "protoset", value_name = "FILE")]
    pub protosets: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// SERVICE/METHOD (also SERVICE.METHOD, or with a leading /)
    pub method: String,

    /// The request messages of every call, as for call; {{ n }} (the call's number), {{uuid}}
    /// and {{rand A B}} (an integer from A to B) are filled in for each call
    #[arg(short, long, value_name = "JSON|@FILE|@-")]
    pub data: Option<String>,

    /// Calls in flight at once
    #[arg(help_heading = "Load options", short, long, default_value_t = 50, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=MAX_CONCURRENCY))]
    pub concurrency: u32,

    /// HTTP/2 connections, the calls spread over them [default: one per --addr]
    #[arg(help_heading = "Load options", long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=MAX_CONNECTIONS))]
    pub connections: Option<u32>,

    /// Stop after this many calls (warm-up calls not counted) [default: 200]
    #[arg(help_heading = "Load options", short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), conflicts_with = "duration")]
    pub total: Option<u64>,

    /// Stop after this long (e.g. 10s, 1m); calls still in flight then are not counted
    #[arg(
        help_heading = "Load options",
        short = 'z',
        long,
        value_name = "DURATION"
    )]
    pub duration: Option<String>,

    /// Start this many calls per second whatever the answers (open loop); latency counts from
    /// each call's scheduled start
    #[arg(help_heading = "Load options", long, value_name = "N")]
    pub rps: Option<String>,

    /// Run this many calls (N) or this long (e.g. 2s) first, and do not count them
    #[arg(help_heading = "Load options", long, value_name = "N|DURATION")]
    pub warmup: Option<String>,

    /// Runtime threads making the calls [default: one per core]
    #[arg(help_heading = "Load options", long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// A condition on the report (e.g. 'p99<5ms', 'errors=0', 'rps>=10000'); exit 3 when one is
    /// not met (repeatable)
    #[arg(long = "expect", value_name = "EXPR")]
    pub expectations: Vec<String>,

    /// Print each figure beside the same figure of an earlier -o json report, with the change
    #[arg(long, value_name = "REPORT.json")]
    pub compare: Option<PathBuf>,

    #[command(flatten)]
    pub descriptors: DescriptorArgs,
}

/// The most calls `bench` keeps in flight.
pub const MAX_CONCURRENCY: i64 = 100_000;
/// The most connections `bench` opens.
pub const MAX_CONNECTIONS: i64 = 10_000;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compression {
    Gzip,
    Zstd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event
    Text,
    /// One JSON object per event
    Json,
}

fn length_parser() -> clap::builder::RangedI64ValueParser<i32> {
    clap::value_parser!(i32).range(0..=i32::MAX as i64)
}

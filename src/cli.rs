//! The command-line interface: the clap definition and nothing else.
//! Values are checked and resolved in `settings.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::ArgValueCompleter;

/// The port clients connect to and `serve` listens on when `--addr` is not given.
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
        #[arg(add = ArgValueCompleter::new(crate::complete::symbols))]
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
        #[arg(add = ArgValueCompleter::new(crate::complete::methods))]
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
    /// Serve api.Api and routeguide.RouteGuide (on 127.0.0.1:50051 unless --addr says otherwise)
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
    /// Server address: host:port, http://host:port, https://host:port or unix:/path
    /// (for serve: where to listen) [default: 127.0.0.1:50051]
    #[arg(long, global = true, env = "APICLI_ADDR", value_name = "ADDR")]
    pub addr: Option<String>,

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

    /// Send 'authorization: Bearer TOKEN' with the token read from FILE; for serve: require it
    #[arg(long, global = true, value_name = "FILE")]
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

    /// Send HTTP/2 keepalive pings this often (e.g. 30s); for serve [default: 60s]
    #[arg(long, global = true, value_name = "DURATION")]
    pub keepalive: Option<String>,

    /// Show on stderr the metadata sent, the response headers and trailers, the status and
    /// timing (serve: also log each request's metadata)
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// No progress bar (serve: no line per call)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to use colour (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Where method and message descriptions come from, when not from server reflection.
#[derive(Debug, Args)]
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

//! The global options: the client's (address, TLS, metadata, timeouts, proxy, output) and
//! those every command takes (verbosity, colour), with the values they choose among.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Options of every command, accepted before or after the subcommand. Each command's help shows
/// those it takes (see `cli::command`): the ones under a client heading
/// ([`CLIENT_HEADINGS`](super::CLIENT_HEADINGS)) are the clients'; serve takes a few of them
/// too, with the meaning [`OWN_HELP`](super::OWN_HELP) gives.
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

    /// Whether `addr` came from APICLI_ADDR, not the command line: a default, which an address
    /// given as a command's first argument replaces. Set by [`parse`](super::parse).
    #[arg(skip)]
    pub addr_from_env: bool,

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

    /// Metadata for the call only, never sent on reflection requests; as -H (repeatable)
    #[arg(
        help_heading = "Client options",
        long = "rpc-header",
        global = true,
        value_name = "NAME: VALUE"
    )]
    pub rpc_headers: Vec<String>,

    /// Metadata for reflection requests only, never sent on the call; as -H (repeatable)
    #[arg(
        help_heading = "Client options",
        long = "reflect-header",
        global = true,
        value_name = "NAME: VALUE"
    )]
    pub reflect_headers: Vec<String>,

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

    /// The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        env = "APICLI_PROTOCOL",
        value_enum,
        value_name = "PROTOCOL"
    )]
    pub protocol: Option<Protocol>,

    /// The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a
    /// fall-back to HTTP/1.1) [default: auto]
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        value_enum,
        value_name = "VERSION"
    )]
    pub http: Option<HttpVersion>,

    /// How Connect encodes messages on the wire: binary protobuf, or the JSON as typed
    /// (--protocol connect) [default: proto]
    #[arg(
        help_heading = "Client options",
        long,
        global = true,
        value_enum,
        value_name = "CODEC"
    )]
    pub codec: Option<Codec>,

    /// Send unary calls as Connect GET requests, the message in the URL (--protocol connect)
    #[arg(help_heading = "Client options", long, global = true)]
    pub get: bool,

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

    /// How the error a command ends with is printed on stderr: text, or one line of JSON for
    /// scripts [default: text]
    ///
    /// In json, a failed call's status is {"code": {"name", "number"}, "message", "details": [each
    /// with "@type"], "trailers": {name: value}, "sent": {"messages"} (for streams of requests),
    /// "received": {"messages"}}, and any other error {"error": the line, "exit": the exit code}.
    #[arg(
        long,
        global = true,
        env = "APICLI_ERROR_FORMAT",
        value_enum,
        value_name = "FORMAT"
    )]
    pub error_format: Option<ErrorFormat>,

    /// When to use colour (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people
    Table,
    /// The proto3 JSON mapping, one compact value per line
    Json,
    /// The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets
    /// them (an ASCII record separator, 0x1E, before each after the first)
    Text,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    /// `apicli: error: …`, and a status's details one per line after it
    #[default]
    Text,
    /// One JSON object on one line
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
pub enum Protocol {
    /// gRPC over HTTP/2
    Grpc,
    /// The Connect protocol, over HTTP/1.1 or HTTP/2
    Connect,
    /// gRPC-Web, binary (application/grpc-web+proto)
    #[value(name = "grpc-web", alias = "grpcweb")]
    GrpcWeb,
    /// gRPC-Web, base64 text (application/grpc-web-text)
    #[value(name = "grpc-web-text")]
    GrpcWebText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Codec {
    /// Binary protobuf (application/proto)
    Proto,
    /// The proto3 JSON mapping (application/json)
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HttpVersion {
    /// HTTP/1.1
    #[value(name = "1.1")]
    Http1,
    /// HTTP/2 (h2c for http://)
    #[value(name = "2")]
    Http2,
    /// Chosen by the protocol and the server
    Auto,
}

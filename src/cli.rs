//! The command-line interface: the clap definition and nothing else.
//! Values are checked and resolved in `settings.rs`; [`command`] builds the one `clap::Command`
//! that parses, helps, completes and makes the man pages. It imports nothing of apicli: the
//! completers of names only a server knows are attached where the program is assembled
//! (`app::command`).

mod audience;
mod bench;
mod command;
mod global;
mod grpcurl;
mod listing;
mod serve;

pub use audience::{
    Audience, CLIENT_HEADINGS, GROUPS, Group, OWN_HELP, REFUSED, SERVE_UPSTREAM,
    SERVE_UPSTREAM_HEADING, SUBCOMMAND_AUDIENCES,
};
pub use bench::{
    BenchArgs, BenchMergeArgs, BenchTool, DataOrder, MAX_CONCURRENCY, MAX_CONNECTIONS,
};
pub use command::{command, parse, scripts};
pub use global::{
    Codec, ColorChoice, Compression, ErrorFormat, GlobalArgs, HttpVersion, OutputFormat, Protocol,
};
pub use grpcurl::{GRPCURL_FLAGS, GrpcurlFlag, grpcurl_flag, grpcurl_order};
pub use serve::{DoubleArgs, LogFormat, ServeArgs};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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

/// The commands. Each one's arguments are a type of their own, so that the command that runs can
/// be built without the others ([`Command::alone`]).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Call sayHello: greet NAME
    Hello(HelloArgs),
    /// Call getAll: fetch LENGTH items in one response
    GetAll(GetAllArgs),
    /// Call getStream: receive LENGTH items, each printed as it arrives
    Stream(StreamArgs),
    /// Check the server's health like a Kubernetes probe: exit 0 only when SERVING
    Health(HealthArgs),
    /// List the services, or the methods of SERVICE with their kinds and types
    List(ListArgs),
    /// Describe a service, method, message, enum or field in .proto syntax
    Describe(DescribeArgs),
    /// Call any method of any service: unary, server-, client- or bidi-streaming
    Call(CallArgs),
    /// Load-test any method: many calls at once, live progress, exact latency percentiles
    Bench(BenchArgs),
    /// List the profiles of the config file, or show one as resolved
    Profiles(ProfilesArgs),
    /// Serve api.Api and routeguide.RouteGuide, or stubs of any service (on 127.0.0.1:50051 unless
    /// --addr says otherwise)
    Serve(ServeArgs),
    /// Print a shell completion script to stdout
    Completions(CompletionsArgs),
}

impl Command {
    /// The command `name` (as the command line spells it) alone, with its own arguments as the
    /// derive defines them, or `None` for no such command. Its about text is not set: it is for
    /// parsing, not for help.
    pub fn alone(name: &str) -> Option<clap::Command> {
        type Augment = fn(clap::Command) -> clap::Command;
        let (name, augment): (&'static str, Augment) = match name {
            "hello" => ("hello", HelloArgs::augment_args),
            "get-all" => ("get-all", GetAllArgs::augment_args),
            "stream" => ("stream", StreamArgs::augment_args),
            "health" => ("health", HealthArgs::augment_args),
            "list" => ("list", ListArgs::augment_args),
            "describe" => ("describe", DescribeArgs::augment_args),
            "call" => ("call", CallArgs::augment_args),
            "bench" => ("bench", BenchArgs::augment_args),
            "profiles" => ("profiles", ProfilesArgs::augment_args),
            "serve" => ("serve", ServeArgs::augment_args),
            "completions" => ("completions", CompletionsArgs::augment_args),
            _ => return None,
        };
        Some(augment(clap::Command::new(name)))
    }
}

// The arguments of each command; their about texts are the variants' above.

#[derive(Debug, Args)]
pub struct HelloArgs {
    /// The name to greet
    pub name: String,
}

#[derive(Debug, Args)]
pub struct GetAllArgs {
    /// How many items to ask for (0 to 2147483647)
    #[arg(long, default_value_t = 10, value_parser = length_parser(), allow_negative_numbers = true)]
    pub length: i32,
}

#[derive(Debug, Args)]
pub struct StreamArgs {
    /// How many items to ask for (0 to 2147483647)
    #[arg(long, default_value_t = 5, value_parser = length_parser(), allow_negative_numbers = true)]
    pub length: i32,
}

#[derive(Debug, Args)]
pub struct HealthArgs {
    /// The service to check; the whole server when omitted
    #[arg(default_value = "")]
    pub service: String,
}

#[derive(Debug, Args)]
#[command(allow_missing_positional = true)]
pub struct ListArgs {
    /// The server's address, instead of --addr: host:port, http(s)://host:port or unix:/path
    #[arg(value_name = "ADDR")]
    pub address: Option<String>,
    /// The service whose methods to list (e.g. routeguide.RouteGuide)
    pub service: Option<String>,
    #[command(flatten)]
    pub descriptors: DescriptorArgs,
}

#[derive(Debug, Args)]
#[command(allow_missing_positional = true)]
pub struct DescribeArgs {
    /// The server's address, instead of --addr: host:port, http(s)://host:port or unix:/path
    #[arg(value_name = "ADDR")]
    pub address: Option<String>,
    /// The fully-qualified name (e.g. routeguide.RouteGuide, routeguide.Point); every service
    /// when omitted
    pub symbol: Option<String>,
    /// Print a JSON request skeleton of the message (or the method's request) instead
    #[arg(long, conflicts_with_all = ["protoset_out", "proto_out"])]
    pub template: bool,
    /// Write the files that define SYMBOL (every service without one) and all they import to
    /// FILE, as a FileDescriptorSet (protoc's --descriptor_set_out --include_imports), for
    /// --protoset; an existing FILE is replaced whole
    #[arg(long, value_name = "FILE")]
    pub protoset_out: Option<PathBuf>,
    /// Write those files as .proto source under DIR, laid out by their import paths
    /// (google/protobuf/… too), for --proto and -I DIR
    #[arg(long, value_name = "DIR")]
    pub proto_out: Option<PathBuf>,
    #[command(flatten)]
    pub descriptors: DescriptorArgs,
}

#[derive(Debug, Args)]
#[command(allow_missing_positional = true)]
pub struct CallArgs {
    /// The server's address, instead of --addr: host:port, http(s)://host:port or unix:/path
    #[arg(value_name = "ADDR")]
    pub address: Option<String>,
    /// SERVICE/METHOD (also SERVICE.METHOD, or with a leading /), or both address and method
    /// as one URL: http(s)://host:port/SERVICE/METHOD
    pub method: String,
    /// Request messages as JSON, one after another (NDJSON); @FILE reads a file, @- stdin
    #[arg(short, long, value_name = "JSON|@FILE|@-")]
    pub data: Option<String>,
    /// Include fields that hold default values in -o json
    #[arg(long)]
    pub emit_defaults: bool,
    /// Skip the -d fields that the request message does not have, instead of refusing them
    #[arg(long)]
    pub allow_unknown_fields: bool,
    #[command(flatten)]
    pub descriptors: DescriptorArgs,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    #[command(subcommand)]
    pub action: Option<ProfilesAction>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesAction {
    /// Print a profile as resolved, with tokens and authorization values redacted
    Show {
        /// The profile's name
        name: String,
    },
}

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

fn length_parser() -> clap::builder::RangedI64ValueParser<i32> {
    clap::value_parser!(i32).range(0..=i32::MAX as i64)
}

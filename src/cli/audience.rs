//! Which global options each command's help shows, by whom the command is for, and how the
//! top-level help groups the commands.

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
        "serve",
        "headers",
        "With --record-from or --reflect-from: metadata for the live server, 'name: value' \
         (repeatable), or @FILE; it replaces a recorded caller's header of the same name",
    ),
    (
        "serve",
        "connect_timeout",
        "With --record-from or --reflect-from: how long connecting to the live server may take \
         [default: 10s]",
    ),
    (
        "serve",
        "ca_cert",
        "With --record-from or --reflect-from: trust this CA certificate (PEM) besides the system \
         roots, for the live server's https:// address",
    ),
    (
        "serve",
        "cert",
        "With --record-from or --reflect-from: present this client certificate (PEM) to the live \
         server; needs --key",
    ),
    ("serve", "key", "The private key (PEM) of --cert"),
    (
        "serve",
        "insecure",
        "With --record-from or --reflect-from: do not verify the live server's TLS certificate",
    ),
    (
        "bench",
        "headers",
        "Request metadata, 'name: value' (repeatable; a name ending in -bin takes base64), or \
         @FILE for one header per line; {{ n }}, {{uuid}} and {{rand A B}} in a value are filled in \
         for each call",
    ),
    (
        "bench",
        "addr",
        "Server address: host:port, http://host:port, https://host:port or unix:/path; repeat it \
         to spread the connections over several [default: 127.0.0.1:50051]",
    ),
];

/// The client options serve takes to reach a live server (`--record-from`, `--reflect-from`):
/// its help shows them, with their [`OWN_HELP`] texts, among the test double options.
pub const SERVE_UPSTREAM: &[&str] = &[
    "headers",
    "connect_timeout",
    "ca_cert",
    "cert",
    "key",
    "insecure",
];

/// The heading of serve's help under which [`SERVE_UPSTREAM`] are shown.
pub const SERVE_UPSTREAM_HEADING: &str = "Test double options";

/// Global options a command refuses, as (command, option id): its help and the completion
/// scripts leave them out. They still parse, so that settings can say why they do not apply.
pub const REFUSED: &[(&str, &str)] = &[("bench", "verbose")];

/// Subcommands whose audience is not their command's, as (command, subcommand, audience):
/// `bench merge` reads reports and calls no server.
pub const SUBCOMMAND_AUDIENCES: &[(&str, &str, Audience)] =
    &[("bench", "merge", Audience::Reports)];

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
    /// Readers of reports (`bench merge`): as [`Audience::Any`], and `-o`.
    Reports,
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

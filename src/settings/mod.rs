//! Raw command-line values → validated settings. Every check that can fail before the network
//! is touched happens here, so a bad input ends with exit 2 and one clear line.

mod address;
mod bench;
pub mod expect;
mod lookup;
mod profile;
mod request_data;
mod route;
mod values;

use std::{io::IsTerminal, path::PathBuf, time::Duration};

pub use address::{Listen, Target, parse_listen, parse_target};
pub use bench::{Bench, DEFAULT_TOTAL, Expectations, StopAfter, Warmup};
pub use profile::{Chosen, Config};
pub use request_data::RequestData;
pub use route::{Route, Source, Why};
pub use values::{
    NOT_TEXT, bound, named, parse_duration, parse_size, read_bounded, read_file, read_path,
    read_text,
};
use values::{
    parse_duration_allow_zero, parse_headers, read_certificates, read_private_key, read_token,
};

/// The command line's choices, for the layers above, which do not import `cli`.
pub use crate::cli::{ColorChoice, Compression, DEFAULT_PORT, LogFormat};
/// For the layers above, which read files too.
pub use crate::exit::io_words;
/// What `-o` chose, as the printers know it.
pub use crate::output::OutputFormat;
use crate::{
    cli::{self, Cli, Command, DescriptorArgs, GlobalArgs, ProfilesAction, ServeArgs},
    exit::UsageError,
    headers::Header,
};

/// gRPC's default limit on a received message.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 4 * 1024 * 1024;
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often `serve` pings an idle connection to find dead peers.
pub const DEFAULT_SERVER_KEEPALIVE: Duration = Duration::from_secs(60);

/// What the process has been asked to do.
#[derive(Debug)]
pub enum Job {
    Call(ClientSettings, Call),
    /// `list` and `describe`.
    Explore(ClientSettings, Explore),
    /// Boxed: the settings of a load test (an earlier report among them) are large.
    Bench(ClientSettings, Box<Bench>),
    Serve(ServeSettings),
    Completions(clap_complete::Shell),
    /// `apicli profiles [show NAME]`.
    Profiles(Config, Option<String>),
}

/// One call to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Hello {
        name: String,
    },
    GetAll {
        length: i32,
    },
    Stream {
        length: i32,
    },
    /// grpc.health.v1.Health/Check; `""` is the whole server.
    Health {
        service: String,
    },
    /// `apicli call`: any method, described at run time.
    Method {
        method: String,
        data: RequestData,
        emit_defaults: bool,
    },
}

/// Looking at what the server (or the user's files) describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explore {
    /// The services, or one service's methods.
    List { service: Option<String> },
    /// A symbol in `.proto` syntax, or a request skeleton.
    Describe { symbol: String, template: bool },
}

/// `--proto`, `-I` and `--protoset`: descriptors from files instead of reflection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescriptorFiles {
    pub protos: Vec<PathBuf>,
    pub import_paths: Vec<PathBuf>,
    pub protosets: Vec<PathBuf>,
}

impl DescriptorFiles {
    /// Whether the user gave files, so reflection is not used.
    pub fn given(&self) -> bool {
        !self.protos.is_empty() || !self.protosets.is_empty()
    }

    fn from_args(args: DescriptorArgs) -> Result<DescriptorFiles, UsageError> {
        if !args.import_paths.is_empty() && args.protos.is_empty() {
            return Err(UsageError(
                "-I/--import-path says where --proto files are found; give --proto too".into(),
            ));
        }
        Ok(DescriptorFiles {
            protos: args.protos,
            import_paths: args.import_paths,
            protosets: args.protosets,
        })
    }
}

#[derive(Debug)]
pub struct ClientSettings {
    pub target: Target,
    /// TLS settings, for an `https://` target.
    pub tls: Option<ClientTls>,
    /// `--proto` / `--protoset` for `list`, `describe` and `call`; empty for the typed commands.
    pub descriptor_files: DescriptorFiles,
    /// `--authority`: the :authority and TLS server name.
    pub authority: Option<String>,
    /// The user's metadata, with `authorization` from `--token-file` if given.
    pub metadata: Vec<Header>,
    pub timeout: Option<Duration>,
    pub connect_timeout: Duration,
    pub keepalive: Option<Duration>,
    /// Through a proxy, or straight to the server.
    pub proxy: Route,
    /// The routes of bench's other addresses: the proxy variables apply to each on its own.
    pub other_routes: Vec<(Target, Route)>,
    pub compress: Option<Compression>,
    pub max_message_size: usize,
    pub output: OutputFormat,
    pub verbose: bool,
    /// The profile in use, as `-v` names it: `NAME (from FILE)`.
    pub profile: Option<String>,
    /// Draw a progress bar for streams (stderr is a terminal and --quiet is off).
    pub progress: bool,
    pub color: Colors,
}

#[derive(Debug, Default)]
pub struct ClientTls {
    /// `--ca-cert`, trusted besides the system roots.
    pub ca_cert: Option<Vec<u8>>,
    /// `--cert` and `--key`, for mutual TLS.
    pub identity: Option<(Vec<u8>, Vec<u8>)>,
    pub insecure: bool,
}

#[derive(Debug)]
pub struct ServeSettings {
    pub listen: Listen,
    pub stream_interval: Duration,
    pub max_items: u32,
    pub tls: Option<ServerTls>,
    /// Calls must carry `authorization: Bearer <token>`.
    pub token: Option<String>,
    pub reflection: bool,
    pub log_format: LogFormat,
    /// `info`; apicli's `debug` with `-v`; no per-call lines with `-q`.
    pub log_level: &'static str,
    pub grace: Duration,
    /// Serving threads.
    pub threads: usize,
    pub limits: ServerLimits,
    pub color: Colors,
}

#[derive(Debug)]
pub enum ServerTls {
    /// PEM certificate chain and key, and optionally a CA that client certificates must chain to.
    Files {
        cert: Vec<u8>,
        key: Vec<u8>,
        client_ca: Option<Vec<u8>>,
    },
    /// Make (or reuse) a CA and a certificate in this folder.
    SelfSigned {
        dir: PathBuf,
        client_ca: Option<Vec<u8>>,
    },
}

#[derive(Debug, Clone)]
pub struct ServerLimits {
    pub max_concurrent_streams: u32,
    pub max_request_size: usize,
    pub keepalive: Duration,
    pub tcp_nodelay: bool,
}

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

impl Job {
    pub fn from_cli(cli: Cli) -> Result<Job, UsageError> {
        let mut global = cli.global;
        let mut command = cli.command;
        match command {
            Command::Serve(args) => return Ok(Job::Serve(serve_settings(global, args)?)),
            Command::Completions { shell } => return Ok(Job::Completions(shell)),
            Command::Profiles { action } => {
                let name = action.map(|ProfilesAction::Show { name }| name);
                return Ok(Job::Profiles(Config::load()?, name));
            }
            _ => {}
        }
        // Client commands: the profile fills in what the command line and environment did not.
        let config = Config::load()?;
        let profile = config.choose(global.profile.as_deref())?;
        if let Some(profile) = &profile {
            profile.fill(&mut global)?;
            if let Command::Call { descriptors, .. }
            | Command::List { descriptors, .. }
            | Command::Describe { descriptors, .. } = &mut command
            {
                profile.fill_descriptors(descriptors);
            }
            if let Command::Bench(args) = &mut command {
                profile.fill_descriptors(&mut args.descriptors);
            }
        }
        let call = match command {
            Command::Hello { name } => Call::Hello { name },
            Command::GetAll { length } => Call::GetAll { length },
            Command::Stream { length } => Call::Stream { length },
            Command::Health { service } => Call::Health { service },
            Command::Call {
                method,
                data,
                emit_defaults,
                descriptors,
            } => {
                let mut settings = client_settings(global)?;
                settings.descriptor_files = DescriptorFiles::from_args(descriptors)?;
                let data = RequestData::from_arg(data.as_deref());
                return Ok(Job::Call(
                    settings,
                    Call::Method {
                        method,
                        data,
                        emit_defaults,
                    },
                ));
            }
            Command::List {
                service,
                descriptors,
            } => {
                let mut settings = client_settings(global)?;
                settings.descriptor_files = DescriptorFiles::from_args(descriptors)?;
                return Ok(Job::Explore(settings, Explore::List { service }));
            }
            Command::Describe {
                symbol,
                template,
                descriptors,
            } => {
                let mut settings = client_settings(global)?;
                settings.descriptor_files = DescriptorFiles::from_args(descriptors)?;
                return Ok(Job::Explore(
                    settings,
                    Explore::Describe { symbol, template },
                ));
            }
            Command::Bench(mut args) => {
                if global.verbose {
                    return Err(UsageError(
                        "--verbose shows one call, and bench makes many; leave it out".into(),
                    ));
                }
                let descriptors = std::mem::take(&mut args.descriptors);
                let bench = bench::bench_settings(args, &global.addr)?;
                let other_routes = (bench.endpoints[1..].iter())
                    .map(|(_, target)| Ok((target.clone(), route(&global, target)?)))
                    .collect::<Result<_, UsageError>>()?;
                let mut settings = client_settings_at(global, bench.endpoints[0].1.clone())?;
                settings.other_routes = other_routes;
                settings.descriptor_files = DescriptorFiles::from_args(descriptors)?;
                return Ok(Job::Bench(settings, Box::new(bench)));
            }
            Command::Serve(_) | Command::Completions { .. } | Command::Profiles { .. } => {
                unreachable!("handled above")
            }
        };
        Ok(Job::Call(client_settings(global)?, call))
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

fn client_settings(global: GlobalArgs) -> Result<ClientSettings, UsageError> {
    let default_addr = format!("127.0.0.1:{DEFAULT_PORT}");
    let target = parse_target(one_addr(&global)?.unwrap_or(&default_addr))?;
    client_settings_at(global, target)
}

fn client_settings_at(global: GlobalArgs, target: Target) -> Result<ClientSettings, UsageError> {
    let mut metadata = parse_headers(&global.headers)?;
    if let Some(path) = &global.token_file {
        if metadata.iter().any(|h| h.name() == "authorization") {
            return Err(UsageError(
                "give the token once: --token-file or -H 'authorization: …', not both".into(),
            ));
        }
        let token = read_token(path)?;
        metadata.push(Header::parse(&format!("authorization: Bearer {token}"))?);
    }
    let tls = client_tls(&global, &target)?;
    let proxy = route(&global, &target)?;
    if let Some(authority) = &global.authority {
        http::uri::Authority::try_from(authority.as_str()).map_err(|_| {
            UsageError(format!(
                "bad --authority '{authority}': expected host[:port]"
            ))
        })?;
    }
    let duration = |flag, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| parse_duration(flag, v))
            .transpose()
    };
    Ok(ClientSettings {
        target,
        tls,
        descriptor_files: DescriptorFiles::default(),
        authority: global.authority.clone(),
        metadata,
        timeout: duration("--timeout", &global.timeout)?,
        connect_timeout: duration("--connect-timeout", &global.connect_timeout)?
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        keepalive: duration("--keepalive", &global.keepalive)?,
        proxy,
        other_routes: Vec::new(),
        compress: global.compress,
        max_message_size: global
            .max_message_size
            .as_deref()
            .map(|v| parse_size("--max-message-size", v))
            .transpose()?
            .unwrap_or(DEFAULT_MAX_MESSAGE_SIZE),
        output: match global.output {
            Some(cli::OutputFormat::Json) => OutputFormat::Json,
            Some(cli::OutputFormat::Table) | None => OutputFormat::Table,
        },
        verbose: global.verbose,
        profile: global.profile_in_use.clone(),
        progress: !global.quiet && std::io::stderr().is_terminal(),
        color: Colors::resolve(global.color),
    })
}

/// Through a proxy to `target`, or straight to it: `--proxy`, `--no-proxy`, the environment.
fn route(global: &GlobalArgs, target: &Target) -> Result<Route, UsageError> {
    route::resolve(target, global.proxy.as_deref(), global.no_proxy, |name| {
        std::env::var(name).ok()
    })
}

impl ClientSettings {
    /// The route to `target`: the settings' own, or that of another of bench's addresses.
    pub fn route_to(&self, target: &Target) -> &Route {
        (self.other_routes.iter())
            .find(|(other, _)| other == target)
            .map_or(&self.proxy, |(_, route)| route)
    }
}

/// TLS flags make sense only with an `https://` address.
fn client_tls(global: &GlobalArgs, target: &Target) -> Result<Option<ClientTls>, UsageError> {
    let tls_flag = [
        (global.ca_cert.is_some(), "--ca-cert"),
        (global.cert.is_some(), "--cert"),
        (global.insecure, "--insecure"),
    ]
    .into_iter()
    .find_map(|(given, flag)| given.then_some(flag));
    if !target.is_tls() {
        return match tls_flag {
            Some(flag) => Err(UsageError(format!(
                "{flag} needs an https:// address (the address is {})",
                target.display()
            ))),
            None => Ok(None),
        };
    }
    if global.insecure && global.ca_cert.is_some() {
        return Err(UsageError(
            "--insecure and --ca-cert contradict each other".into(),
        ));
    }
    let ca_cert = global
        .ca_cert
        .as_deref()
        .map(|p| read_certificates("--ca-cert", p))
        .transpose()?;
    let identity = match (&global.cert, &global.key) {
        (Some(cert), Some(key)) => Some((
            read_certificates("--cert", cert)?,
            read_private_key("--key", key)?,
        )),
        _ => None,
    };
    Ok(Some(ClientTls {
        ca_cert,
        identity,
        insecure: global.insecure,
    }))
}

fn serve_settings(global: GlobalArgs, args: ServeArgs) -> Result<ServeSettings, UsageError> {
    let client_only = [
        (!global.headers.is_empty(), "--header"),
        (global.timeout.is_some(), "--timeout"),
        (global.connect_timeout.is_some(), "--connect-timeout"),
        (global.output.is_some(), "--output"),
        (global.max_message_size.is_some(), "--max-message-size"),
        (
            global.ca_cert.is_some(),
            "--ca-cert (the server's is --client-ca)",
        ),
        (global.cert.is_some(), "--cert (the server's is --tls-cert)"),
        (global.authority.is_some(), "--authority"),
        (global.insecure, "--insecure"),
        (global.proxy.is_some(), "--proxy"),
        (global.no_proxy, "--no-proxy"),
        (
            global.compress.is_some(),
            "--compress (serve accepts gzip and zstd)",
        ),
    ];
    if let Some((_, flag)) = client_only.iter().find(|(given, _)| *given) {
        return Err(UsageError(format!(
            "{flag} applies to client calls, not to 'serve'"
        )));
    }
    let listen = match one_addr(&global)? {
        Some(addr) => parse_listen(addr)?,
        None => Listen::Tcp(format!("127.0.0.1:{DEFAULT_PORT}")),
    };
    let client_ca = args
        .client_ca
        .as_deref()
        .map(|p| read_certificates("--client-ca", p))
        .transpose()?;
    let tls = match (&args.tls_cert, &args.tls_key, &args.tls_self_signed) {
        (Some(cert), Some(key), _) => Some(ServerTls::Files {
            cert: read_certificates("--tls-cert", cert)?,
            key: read_private_key("--tls-key", key)?,
            client_ca,
        }),
        (_, _, Some(dir)) => Some(ServerTls::SelfSigned {
            dir: dir.clone(),
            client_ca,
        }),
        _ if client_ca.is_some() => {
            return Err(UsageError(
                "--client-ca needs TLS: add --tls-cert and --tls-key, or --tls-self-signed".into(),
            ));
        }
        _ => None,
    };
    if tls.is_some() && matches!(listen, Listen::Unix(_)) {
        return Err(UsageError(
            "TLS over a unix: socket is not supported".into(),
        ));
    }
    Ok(ServeSettings {
        listen,
        stream_interval: parse_duration_allow_zero("--stream-interval", &args.stream_interval)?,
        max_items: args.max_items,
        tls,
        token: global.token_file.as_deref().map(read_token).transpose()?,
        reflection: !args.no_reflection,
        log_format: args.log_format,
        log_level: match (global.verbose, global.quiet) {
            (true, _) => "info,apicli=debug",
            (false, true) => "info,apicli::calls=warn",
            (false, false) => "info",
        },
        grace: parse_duration_allow_zero("--grace", &args.grace)?,
        threads: match args.threads {
            Some(threads) => usize::from(threads),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        },
        limits: ServerLimits {
            max_concurrent_streams: args.max_concurrent_streams,
            max_request_size: parse_size("--max-request-size", &args.max_request_size)?,
            keepalive: match &global.keepalive {
                Some(value) => parse_duration("--keepalive", value)?,
                None => DEFAULT_SERVER_KEEPALIVE,
            },
            tcp_nodelay: !args.no_tcp_nodelay,
        },
        color: Colors::resolve(global.color),
    })
}

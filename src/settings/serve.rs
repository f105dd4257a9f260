//! The settings of `apicli serve`: where to listen, TLS, the token, logging and the limits, what
//! it serves as a test double, with the client-only flags refused.

use std::{path::PathBuf, time::Duration};

use super::{
    ClientSettings, Colors, DescriptorFiles, Listen, Protocol,
    client::client_settings_at,
    one_addr, parse_duration, parse_listen, parse_size, parse_target,
    values::{parse_duration_allow_zero, read_certificates, read_private_key, read_token},
};
use crate::{
    cli::{DEFAULT_PORT, DoubleArgs, GlobalArgs, LogFormat, ServeArgs},
    exit::UsageError,
};

/// How often `serve` pings an idle connection to find dead peers.
pub const DEFAULT_SERVER_KEEPALIVE: Duration = Duration::from_secs(60);

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
    /// `--cors-origin`: the origins whose pages may call; `*` for any. None: no CORS headers.
    pub cors_origins: Vec<String>,
    /// Serve any service from stubs instead of the built-in services; None: the built-in ones.
    pub double: Option<Double>,
}

/// serve as a test double: the services of some descriptors, answered from stubs.
#[derive(Debug)]
pub struct Double {
    pub descriptors: DoubleDescriptors,
    /// `--stubs`: files, and folders read recursively.
    pub stubs: Vec<PathBuf>,
    /// `--journal-limit`: the most calls the journal keeps.
    pub journal_limit: usize,
    /// Reload the stub files when they change (not with `--no-watch`).
    pub watch: bool,
    /// `--report-unused`: list the stubs never matched at shutdown, and exit 3 if any.
    pub report_unused: bool,
    /// `--record-from`: every call is forwarded to a live server and written as a stub; no
    /// stubs are served then.
    pub record: Option<Record>,
}

/// `--record-from ADDR --stubs DIR`: what the recorder forwards to, and how it writes.
#[derive(Debug)]
pub struct Record {
    /// How the live server is reached: the client's TLS options and `-H` headers.
    pub upstream: Box<ClientSettings>,
    /// The one `--stubs` folder, made if missing, that the stub files are written to.
    pub dir: PathBuf,
    /// `--record-timing`: the time before each reply and message is written too.
    pub timing: bool,
    /// `--redact-header`: headers never written, beside the credentials.
    pub redact: Vec<http::HeaderName>,
}

/// Where the services served as a test double are described.
#[derive(Debug)]
pub enum DoubleDescriptors {
    /// No descriptor flag: the built-in api.Api and routeguide.RouteGuide.
    Builtin,
    /// `--proto`, `-I`, `--protoset`.
    Files(DescriptorFiles),
    /// `--reflect-from ADDR`: a live server's reflection, asked at start, with how to reach it.
    Reflection(Box<ClientSettings>),
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

pub(super) fn serve_settings(
    global: GlobalArgs,
    args: ServeArgs,
) -> Result<ServeSettings, UsageError> {
    // A live server (recorded, or asked for its descriptors) is reached with these of the
    // client's options.
    let upstream = args.double.record_from.is_some() || args.double.reflect_from.is_some();
    let for_upstream = [
        (!global.headers.is_empty(), "--header"),
        (global.connect_timeout.is_some(), "--connect-timeout"),
        (
            global.ca_cert.is_some(),
            "--ca-cert (the server's is --client-ca)",
        ),
        (global.cert.is_some(), "--cert (the server's is --tls-cert)"),
        (global.key.is_some(), "--key (the server's is --tls-key)"),
        (global.insecure, "--insecure"),
    ];
    // One side of the client's calls: the live server gets -H on both.
    for (given, flag) in [
        (!global.rpc_headers.is_empty(), "--rpc-header"),
        (!global.reflect_headers.is_empty(), "--reflect-header"),
    ] {
        if given {
            return Err(UsageError(format!(
                "{flag} applies to client calls, not to 'serve'; for the live server of \
                 --record-from or --reflect-from, give -H"
            )));
        }
    }
    if let Some((_, flag)) = for_upstream.iter().find(|(given, _)| *given && !upstream) {
        return Err(UsageError(format!(
            "{flag} applies to client calls, not to 'serve', but for the live server of \
             --record-from or --reflect-from"
        )));
    }
    let client_only = [
        (global.timeout.is_some(), "--timeout"),
        (global.output.is_some(), "--output"),
        (global.max_message_size.is_some(), "--max-message-size"),
        (global.authority.is_some(), "--authority"),
        (global.proxy.is_some(), "--proxy"),
        (global.no_proxy, "--no-proxy"),
        (
            global.compress.is_some(),
            "--compress (serve accepts gzip and zstd)",
        ),
        (
            global.http.is_some(),
            "--http (serve answers HTTP/1.1 and HTTP/2 on its one port)",
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
    for origin in &args.cors_origin {
        let valid = origin == "*"
            || (origin.starts_with("http://") || origin.starts_with("https://"))
                && http::HeaderValue::from_str(origin).is_ok()
                && !origin.ends_with('/');
        if !valid {
            return Err(UsageError(format!(
                "bad --cors-origin '{origin}': expected a page's origin, scheme://host[:port] \
                 (e.g. https://app.example), or * for any"
            )));
        }
    }
    if tls.is_some() && matches!(listen, Listen::Unix(_)) {
        return Err(UsageError(
            "TLS over a unix: socket is not supported".into(),
        ));
    }
    let token = global.token_file.as_deref().map(read_token).transpose()?;
    let color = Colors::resolve(global.color);
    let keepalive = match &global.keepalive {
        Some(value) => parse_duration("--keepalive", value)?,
        None => DEFAULT_SERVER_KEEPALIVE,
    };
    let log_level = match (global.verbose, global.quiet) {
        (true, _) => "info,apicli=debug",
        (false, true) => "info,apicli::calls=warn",
        (false, false) => "info",
    };
    let double = double(args.double, global)?;
    Ok(ServeSettings {
        listen,
        stream_interval: parse_duration_allow_zero("--stream-interval", &args.stream_interval)?,
        max_items: args.max_items,
        tls,
        token,
        reflection: !args.no_reflection,
        log_format: args.log_format,
        log_level,
        grace: parse_duration_allow_zero("--grace", &args.grace)?,
        threads: match args.threads {
            Some(threads) => usize::from(threads),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        },
        limits: ServerLimits {
            max_concurrent_streams: args.max_concurrent_streams,
            max_request_size: parse_size("--max-request-size", &args.max_request_size)?,
            keepalive,
            tcp_nodelay: !args.no_tcp_nodelay,
        },
        color,
        cors_origins: args.cors_origin,
        double,
    })
}

/// The test double's settings, if a descriptor flag, `--stubs` or `--record-from` asks for one.
/// The files named must exist; `--reflect-from` and `--record-from` are addresses reached as the
/// clients reach one.
fn double(args: DoubleArgs, mut global: GlobalArgs) -> Result<Option<Double>, UsageError> {
    let files = DescriptorFiles::from_args(args.descriptors())?;
    for (flag, paths) in [("--proto", &files.protos), ("--protoset", &files.protosets)] {
        for path in paths {
            if !path.exists() {
                return Err(UsageError(format!(
                    "{flag} '{}': no such file",
                    path.display()
                )));
            }
        }
    }
    // serve's own token and address are not the live server's.
    global.token_file = None;
    global.addr.clear();
    if let Some(addr) = &args.record_from {
        return record(addr, &args, files, global).map(Some);
    }
    for path in &args.stubs {
        if !path.exists() {
            return Err(UsageError(format!(
                "--stubs '{}': no such file or folder",
                path.display()
            )));
        }
    }
    let descriptors = match (args.reflect_from, files.given()) {
        (Some(_), true) => {
            return Err(UsageError(
                "--reflect-from describes the services; leave out --proto and --protoset, or it"
                    .into(),
            ));
        }
        (Some(addr), false) => {
            DoubleDescriptors::Reflection(Box::new(live_server("--reflect-from", &addr, global)?))
        }
        (None, true) => DoubleDescriptors::Files(files),
        (None, false) if args.stubs.is_empty() => {
            let given = [
                (args.report_unused, "--report-unused"),
                (args.no_watch, "--no-watch"),
            ];
            if let Some((_, flag)) = given.iter().find(|(given, _)| *given) {
                return Err(UsageError(format!(
                    "{flag} applies to stubs; give --stubs PATH too"
                )));
            }
            return Ok(None);
        }
        (None, false) => DoubleDescriptors::Builtin,
    };
    if args.journal_limit == 0 {
        return Err(UsageError("--journal-limit must be at least 1".into()));
    }
    Ok(Some(Double {
        descriptors,
        stubs: args.stubs,
        journal_limit: args.journal_limit,
        watch: !args.no_watch,
        report_unused: args.report_unused,
        record: None,
    }))
}

/// The recorder's settings: `--record-from ADDR` with one `--stubs DIR` to write to, described by
/// `files` or else by the live server's reflection. It serves no stubs, so the options of stubs
/// served do not apply.
fn record(
    addr: &str,
    args: &DoubleArgs,
    files: DescriptorFiles,
    global: GlobalArgs,
) -> Result<Double, UsageError> {
    let dir = match args.stubs.as_slice() {
        [dir] => dir.clone(),
        [] => {
            return Err(UsageError(
                "--record-from needs --stubs DIR, the folder the stub files are written to".into(),
            ));
        }
        _ => {
            return Err(UsageError(
                "--record-from writes to one folder: give --stubs DIR once".into(),
            ));
        }
    };
    if dir.exists() && !dir.is_dir() {
        return Err(UsageError(format!(
            "--stubs '{}': not a folder; --record-from writes its stub files into a folder",
            dir.display()
        )));
    }
    let given = [
        (args.report_unused, "--report-unused"),
        (args.no_watch, "--no-watch"),
    ];
    if let Some((_, flag)) = given.iter().find(|(given, _)| *given) {
        return Err(UsageError(format!(
            "{flag} applies to stubs served, not to --record-from"
        )));
    }
    let redact = (args.redact_header.iter())
        .map(|name| {
            http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                UsageError(format!(
                    "bad --redact-header '{name}': not a header name (letters, digits and \
                     -_.!#$%&'*+^`|~)"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut upstream = live_server("--record-from", addr, global)?;
    // The calls are forwarded as the gRPC requests they are (Connect and gRPC-Web calls too,
    // once translated), and the recorder's own route is not news to serve's log.
    upstream.protocol = Protocol::Grpc;
    upstream.verbose = false;
    let descriptors = match files.given() {
        true => DoubleDescriptors::Files(files),
        false => DoubleDescriptors::Reflection(Box::new(upstream.clone())),
    };
    Ok(Double {
        descriptors,
        stubs: Vec::new(),
        journal_limit: args.journal_limit.max(1),
        watch: false,
        report_unused: false,
        record: Some(Record {
            upstream: Box::new(upstream),
            dir,
            timing: args.record_timing,
            redact,
        }),
    })
}

/// How the live server at `addr` (given with `flag`) is reached: as a client reaches it, with the
/// client's TLS options and `-H` headers.
fn live_server(flag: &str, addr: &str, global: GlobalArgs) -> Result<ClientSettings, UsageError> {
    let in_words = |UsageError(why)| UsageError(format!("{flag}: {why}"));
    let target = parse_target(addr).map_err(in_words)?;
    client_settings_at(global, target).map_err(in_words)
}

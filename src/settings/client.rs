//! The settings of a client command: the target and how to reach it (TLS, proxy, timeouts),
//! the metadata to send, the descriptor files, and how to print.

use std::{io::IsTerminal, path::PathBuf, time::Duration};

use super::{
    Colors, HttpVersion, OutputFormat, Protocol, Route, Target, one_addr, parse_duration,
    parse_size, parse_target, route,
    values::{parse_headers, read_certificates, read_private_key, read_token},
};
use crate::{
    cli::{self, Compression, DEFAULT_PORT, DescriptorArgs, GlobalArgs},
    connect::Codec,
    exit::UsageError,
    headers::Header,
};

/// gRPC's default limit on a received message.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 4 * 1024 * 1024;
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

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

    pub(super) fn from_args(args: DescriptorArgs) -> Result<DescriptorFiles, UsageError> {
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

#[derive(Debug, Clone)]
pub struct ClientSettings {
    pub target: Target,
    /// TLS settings, for an `https://` target.
    pub tls: Option<ClientTls>,
    /// `--proto` / `--protoset` for `list`, `describe` and `call`; empty for the typed commands.
    pub descriptor_files: DescriptorFiles,
    /// `--authority`: the :authority and TLS server name.
    pub authority: Option<String>,
    /// The user's metadata, with `authorization` from `--token-file` if given: sent on calls
    /// and reflection requests alike.
    pub metadata: Vec<Header>,
    /// `--rpc-header`: sent on calls only.
    pub rpc_metadata: Vec<Header>,
    /// `--reflect-header`: sent on reflection requests only.
    pub reflect_metadata: Vec<Header>,
    pub timeout: Option<Duration>,
    pub connect_timeout: Duration,
    pub keepalive: Option<Duration>,
    /// Through a proxy, or straight to the server.
    pub proxy: Route,
    /// The routes of bench's other addresses: the proxy variables apply to each on its own.
    pub other_routes: Vec<(Target, Route)>,
    pub compress: Option<Compression>,
    /// `--protocol`: what carries the calls.
    pub protocol: Protocol,
    /// `--http`: the HTTP version asked for.
    pub http: HttpVersion,
    /// `--codec`: how Connect encodes messages on the wire.
    pub codec: Codec,
    /// `--get`: unary Connect calls as GET requests.
    pub get: bool,
    pub max_message_size: usize,
    pub output: OutputFormat,
    pub verbose: bool,
    /// The profile in use, as `-v` names it: `NAME (from FILE)`.
    pub profile: Option<String>,
    /// Draw a progress bar for streams (stderr is a terminal and --quiet is off).
    pub progress: bool,
    pub color: Colors,
}

#[derive(Debug, Clone, Default)]
pub struct ClientTls {
    /// `--ca-cert`, trusted besides the system roots.
    pub ca_cert: Option<Vec<u8>>,
    /// `--cert` and `--key`, for mutual TLS.
    pub identity: Option<(Vec<u8>, Vec<u8>)>,
    pub insecure: bool,
}

pub(super) fn client_settings(global: GlobalArgs) -> Result<ClientSettings, UsageError> {
    let default_addr = format!("127.0.0.1:{DEFAULT_PORT}");
    let target = parse_target(one_addr(&global)?.unwrap_or(&default_addr))?;
    client_settings_at(global, target)
}

pub(super) fn client_settings_at(
    global: GlobalArgs,
    target: Target,
) -> Result<ClientSettings, UsageError> {
    let mut metadata = parse_headers(&global.headers)?;
    let rpc_metadata = parse_headers(&global.rpc_headers)?;
    let reflect_metadata = parse_headers(&global.reflect_headers)?;
    if let Some(path) = &global.token_file {
        let mut all = metadata
            .iter()
            .chain(&rpc_metadata)
            .chain(&reflect_metadata);
        if all.any(|h| h.name() == "authorization") {
            return Err(UsageError(
                "give the token once: --token-file or -H 'authorization: …', not both".into(),
            ));
        }
        let token = read_token(path)?;
        metadata.push(Header::parse(&format!("authorization: Bearer {token}"))?);
    }
    let (protocol, http) = super::protocol::resolve(global.protocol, global.http)?;
    let codec = super::protocol::codec(protocol, global.codec, global.get)?;
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
        rpc_metadata,
        reflect_metadata,
        timeout: duration("--timeout", &global.timeout)?,
        connect_timeout: duration("--connect-timeout", &global.connect_timeout)?
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        keepalive: duration("--keepalive", &global.keepalive)?,
        proxy,
        other_routes: Vec::new(),
        compress: global.compress,
        protocol,
        http,
        codec,
        get: global.get,
        max_message_size: global
            .max_message_size
            .as_deref()
            .map(|v| parse_size("--max-message-size", v))
            .transpose()?
            .unwrap_or(DEFAULT_MAX_MESSAGE_SIZE),
        output: match global.output {
            Some(cli::OutputFormat::Json) => OutputFormat::Json,
            Some(cli::OutputFormat::Text) => OutputFormat::Text,
            Some(cli::OutputFormat::Table) | None => OutputFormat::Table,
        },
        verbose: global.verbose,
        profile: global.profile_in_use.clone(),
        progress: !global.quiet && std::io::stderr().is_terminal(),
        color: Colors::resolve(global.color),
    })
}

/// Through a proxy to `target`, or straight to it: `--proxy`, `--no-proxy`, the environment.
pub(super) fn route(global: &GlobalArgs, target: &Target) -> Result<Route, UsageError> {
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

//! Raw command-line values → validated settings. Every check that can fail before the network
//! is touched happens here, so a bad input ends with exit 2 and one clear line.

use std::{io::IsTerminal, time::Duration};

use http::Uri;

use crate::{
    cli::{Cli, ColorChoice, Command, DEFAULT_PORT, GlobalArgs, OutputFormat, ServeArgs},
    exit::UsageError,
    headers::Header,
};

/// gRPC's default limit on a received message.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 4 * 1024 * 1024;
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What the process has been asked to do.
#[derive(Debug)]
pub enum Job {
    Call(ClientSettings, Call),
    Serve(ServeSettings),
    Completions(clap_complete::Shell),
}

/// One call of api.Api.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Hello { name: String },
    GetAll { length: i32 },
    Stream { length: i32 },
}

#[derive(Debug)]
pub struct ClientSettings {
    /// The endpoint URI, always with a scheme: `http://host:port`.
    pub target: Uri,
    /// `host:port`, for messages.
    pub authority: String,
    pub metadata: Vec<Header>,
    pub timeout: Option<Duration>,
    pub connect_timeout: Duration,
    pub max_message_size: usize,
    pub output: OutputFormat,
    pub verbose: bool,
    /// Draw a progress bar for streams (stderr is a terminal and --quiet is off).
    pub progress: bool,
    pub color: Colors,
}

#[derive(Debug)]
pub struct ServeSettings {
    /// `host:port` to listen on.
    pub listen: String,
    pub stream_interval: Duration,
    pub max_items: u32,
    pub color: Colors,
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
        let global = cli.global;
        let call = match cli.command {
            Command::Hello { name } => Call::Hello { name },
            Command::GetAll { length } => Call::GetAll { length },
            Command::Stream { length } => Call::Stream { length },
            Command::Serve(args) => return Ok(Job::Serve(serve_settings(global, args)?)),
            Command::Completions { shell } => return Ok(Job::Completions(shell)),
        };
        Ok(Job::Call(client_settings(global)?, call))
    }
}

fn client_settings(global: GlobalArgs) -> Result<ClientSettings, UsageError> {
    let (target, authority) = parse_target(global.addr.as_deref().unwrap_or("127.0.0.1:50051"))?;
    let metadata = global
        .headers
        .iter()
        .map(|h| Header::parse(h))
        .collect::<Result<_, _>>()?;
    let timeout = global
        .timeout
        .as_deref()
        .map(|t| parse_duration("--timeout", t))
        .transpose()?;
    let connect_timeout = global
        .connect_timeout
        .as_deref()
        .map(|t| parse_duration("--connect-timeout", t))
        .transpose()?
        .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
    let max_message_size = global
        .max_message_size
        .as_deref()
        .map(parse_size)
        .transpose()?
        .unwrap_or(DEFAULT_MAX_MESSAGE_SIZE);
    Ok(ClientSettings {
        target,
        authority,
        metadata,
        timeout,
        connect_timeout,
        max_message_size,
        output: global.output.unwrap_or(OutputFormat::Table),
        verbose: global.verbose,
        progress: !global.quiet && std::io::stderr().is_terminal(),
        color: Colors::resolve(global.color),
    })
}

fn serve_settings(global: GlobalArgs, args: ServeArgs) -> Result<ServeSettings, UsageError> {
    let client_only = [
        (!global.headers.is_empty(), "--header"),
        (global.timeout.is_some(), "--timeout"),
        (global.connect_timeout.is_some(), "--connect-timeout"),
        (global.output.is_some(), "--output"),
        (global.max_message_size.is_some(), "--max-message-size"),
    ];
    if let Some((_, flag)) = client_only.iter().find(|(given, _)| *given) {
        return Err(UsageError(format!(
            "{flag} applies to client calls, not to 'serve'"
        )));
    }
    let listen = match global.addr.as_deref() {
        Some(addr) => parse_listen(addr)?,
        None => format!("127.0.0.1:{DEFAULT_PORT}"),
    };
    Ok(ServeSettings {
        listen,
        stream_interval: parse_duration_allow_zero("--stream-interval", &args.stream_interval)?,
        max_items: args.max_items,
        color: Colors::resolve(global.color),
    })
}

/// `host:port`, `http://host:port` or `[::1]:port` → the endpoint URI and its `host:port`.
pub fn parse_target(addr: &str) -> Result<(Uri, String), UsageError> {
    let bad = |why: &str| UsageError(format!("bad address '{addr}': {why}"));
    let with_scheme = if addr.contains("://") {
        addr.to_owned()
    } else {
        format!("http://{addr}")
    };
    let uri: Uri = with_scheme
        .parse()
        .map_err(|_| bad("expected host:port or http://host:port"))?;
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => return Err(bad("TLS (https://) is not supported yet; use http://")),
        _ => return Err(bad("the scheme must be http://")),
    }
    let authority = uri
        .authority()
        .ok_or_else(|| bad("expected host:port or http://host:port"))?;
    if authority.host().is_empty() {
        return Err(bad("the host is missing"));
    }
    if authority.as_str().contains('@') {
        return Err(bad("user information ('user@') is not allowed"));
    }
    let has_port_text = authority
        .as_str()
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.ends_with(']'));
    if authority.port().is_none() && (has_port_text || !addr.contains("://")) {
        return Err(bad("expected host:port with a port from 1 to 65535"));
    }
    if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
        return Err(bad("an address has no path; give only host:port"));
    }
    let port = authority.port_u16().unwrap_or(80);
    if port == 0 {
        return Err(bad("port 0 cannot be connected to"));
    }
    let authority = format!("{}:{port}", authority.host());
    let uri = format!("http://{authority}")
        .parse()
        .map_err(|_| bad("expected host:port"))?;
    Ok((uri, authority))
}

/// The address `serve` listens on: `host:port` (an `http://` prefix is accepted).
pub fn parse_listen(addr: &str) -> Result<String, UsageError> {
    let bad = |why: &str| UsageError(format!("bad listen address '{addr}': {why}"));
    let bare = addr
        .strip_prefix("http://")
        .unwrap_or(addr)
        .trim_end_matches('/');
    let (host, port) = bare
        .rsplit_once(':')
        .ok_or_else(|| bad("expected host:port"))?;
    if host.is_empty() {
        return Err(bad(
            "the host is missing (use 0.0.0.0 or [::] for every interface)",
        ));
    }
    port.parse::<u16>()
        .map_err(|_| bad("the port must be a number from 0 to 65535"))?;
    Ok(bare.to_owned())
}

/// A positive duration such as `2s`, `500ms` or `1m30s`.
pub fn parse_duration(flag: &str, value: &str) -> Result<Duration, UsageError> {
    let duration = parse_duration_allow_zero(flag, value)?;
    if duration.is_zero() {
        return Err(UsageError(format!(
            "bad {flag} '{value}': must be more than zero"
        )));
    }
    Ok(duration)
}

fn parse_duration_allow_zero(flag: &str, value: &str) -> Result<Duration, UsageError> {
    use humantime::DurationError;
    humantime::parse_duration(value.trim()).map_err(|err| {
        let why = match err {
            DurationError::UnknownUnit { unit, .. } => format!("unknown unit '{unit}'; "),
            DurationError::NumberOverflow => "too long; ".to_owned(),
            _ => String::new(),
        };
        UsageError(format!(
            "bad {flag} '{value}': {why}expected a duration such as 2s, 500ms or 1m30s"
        ))
    })
}

/// A size in bytes: `4194304`, `64MiB`, `4 MB`.
pub fn parse_size(value: &str) -> Result<usize, UsageError> {
    let bad = |why: String| UsageError(format!("bad --max-message-size '{value}': {why}"));
    let size: bytesize::ByteSize = value
        .trim()
        .parse()
        .map_err(|e: String| bad(format!("{e} (expected bytes, e.g. 4194304 or 64MiB)")))?;
    let bytes = usize::try_from(size.as_u64()).map_err(|_| bad("too large".into()))?;
    if bytes == 0 {
        return Err(bad("must be at least 1 byte".into()));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        for (input, uri, authority) in [
            (
                "127.0.0.1:50051",
                "http://127.0.0.1:50051/",
                "127.0.0.1:50051",
            ),
            (
                "http://localhost:8080",
                "http://localhost:8080/",
                "localhost:8080",
            ),
            (
                "http://example.com",
                "http://example.com:80/",
                "example.com:80",
            ),
            ("[::1]:50051", "http://[::1]:50051/", "[::1]:50051"),
            ("http://[::1]:7/", "http://[::1]:7/", "[::1]:7"),
        ] {
            let (got_uri, got_authority) = parse_target(input).unwrap();
            assert_eq!(got_uri.to_string(), uri, "{input}");
            assert_eq!(got_authority, authority, "{input}");
        }
    }

    #[test]
    fn bad_targets() {
        for (input, why) in [
            ("localhost", "port from 1 to 65535"),
            ("ftp://host:1", "scheme"),
            ("http://host:1/path", "no path"),
            ("host:99999", "port from 1 to 65535"),
            ("http://host:x", "port from 1 to 65535"),
            ("host:0", "port 0"),
            ("", "expected host:port"),
            ("http://user@host:1", "user"),
            ("https://host:443", "TLS"),
        ] {
            let err = parse_target(input).expect_err(input);
            assert!(err.0.contains(why), "{input}: {}", err.0);
        }
    }

    #[test]
    fn listen_addresses() {
        assert_eq!(parse_listen("127.0.0.1:0").unwrap(), "127.0.0.1:0");
        assert_eq!(parse_listen("http://[::]:50051").unwrap(), "[::]:50051");
        assert!(parse_listen("50051").is_err());
        assert!(parse_listen(":50051").is_err());
        assert!(parse_listen("host:http").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("--timeout", "2s").unwrap(),
            Duration::from_secs(2)
        );
        assert_eq!(
            parse_duration("--timeout", "500ms").unwrap(),
            Duration::from_millis(500)
        );
        assert_eq!(
            parse_duration("--timeout", "1m30s").unwrap(),
            Duration::from_secs(90)
        );
        let err = parse_duration("--timeout", "soon").unwrap_err();
        assert!(err.0.starts_with("bad --timeout 'soon'"), "{}", err.0);
        assert!(
            parse_duration("--timeout", "0s")
                .unwrap_err()
                .0
                .contains("more than zero")
        );
        assert!(
            parse_duration("--timeout", "2").is_err(),
            "a unit is required"
        );
        assert_eq!(
            parse_duration_allow_zero("--stream-interval", "0").unwrap(),
            Duration::ZERO
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4194304").unwrap(), 4 * 1024 * 1024);
        assert_eq!(parse_size("64MiB").unwrap(), 64 * 1024 * 1024);
        assert_eq!(parse_size("4 KiB").unwrap(), 4096);
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").unwrap_err().0.contains("expected bytes"));
    }
}

//! Addresses: where a client connects (`host:port`, `http://`, `https://`, `unix:`) and where
//! `serve` listens (`host:port`, `unix:`).

use std::path::PathBuf;

use http::Uri;

use crate::exit::{UsageError, one_line};

/// Where a client connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `http://host:port` or `https://host:port` (always with a port).
    Tcp { uri: Uri, tls: bool },
    /// A Unix domain socket.
    Unix(PathBuf),
}

impl Target {
    /// The address as messages name it: `host:port` or `unix:/path`.
    pub fn display(&self) -> String {
        match self {
            Target::Tcp { uri, .. } => uri.authority().map(|a| a.to_string()).unwrap_or_default(),
            Target::Unix(path) => format!("unix:{}", path.display()),
        }
    }

    pub fn is_tls(&self) -> bool {
        matches!(self, Target::Tcp { tls: true, .. })
    }
}

/// Where `serve` listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    /// `host:port`; port 0 picks a free port.
    Tcp(String),
    Unix(PathBuf),
}

/// `host:port`, `http://host:port`, `https://host[:port]`, `[::1]:port` or `unix:/path`.
pub fn parse_target(addr: &str) -> Result<Target, UsageError> {
    let bad = |why: &str| UsageError(one_line(format!("bad address '{addr}': {why}")));
    if let Some(path) = unix_path(addr) {
        return path
            .map(Target::Unix)
            .ok_or_else(|| bad("the socket path is missing"));
    }
    let with_scheme = if addr.contains("://") {
        addr.to_owned()
    } else {
        format!("http://{addr}")
    };
    let uri: Uri = with_scheme
        .parse()
        .map_err(|_| bad("expected host:port, http(s)://host:port or unix:/path"))?;
    let (tls, default_port) = match uri.scheme_str() {
        Some("http") => (false, 80),
        Some("https") => (true, 443),
        _ => return Err(bad("the scheme must be http://, https:// or unix:")),
    };
    let authority = uri
        .authority()
        .ok_or_else(|| bad("expected host:port or http(s)://host:port"))?;
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
    let port = authority.port_u16().unwrap_or(default_port);
    if port == 0 {
        return Err(bad("port 0 cannot be connected to"));
    }
    let scheme = if tls { "https" } else { "http" };
    let uri = format!("{scheme}://{}:{port}", authority.host())
        .parse()
        .map_err(|_| bad("expected host:port"))?;
    Ok(Target::Tcp { uri, tls })
}

/// The address `serve` listens on: `host:port` (an `http://` prefix is accepted) or `unix:/path`.
pub fn parse_listen(addr: &str) -> Result<Listen, UsageError> {
    let bad = |why: &str| UsageError(one_line(format!("bad listen address '{addr}': {why}")));
    if let Some(path) = unix_path(addr) {
        return path
            .map(Listen::Unix)
            .ok_or_else(|| bad("the socket path is missing"));
    }
    if addr.starts_with("https://") {
        return Err(bad(
            "give host:port, and TLS with --tls-cert or --tls-self-signed",
        ));
    }
    let bare = addr
        .strip_prefix("http://")
        .unwrap_or(addr)
        .trim_end_matches('/');
    if let Some((scheme, _)) = bare.split_once("://") {
        return Err(bad(&format!(
            "'{scheme}://' is not a way to serve; give host:port or unix:/path"
        )));
    }
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
    Ok(Listen::Tcp(bare.to_owned()))
}

/// `unix:/path` or `unix:///path` → Some(Some(path)); `unix:` → Some(None); else None.
fn unix_path(addr: &str) -> Option<Option<PathBuf>> {
    let rest = addr.strip_prefix("unix:")?;
    let path = rest.strip_prefix("//").unwrap_or(rest);
    Some((!path.is_empty()).then(|| PathBuf::from(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(input: &str) -> (String, bool) {
        match parse_target(input).unwrap() {
            Target::Tcp { uri, tls } => (uri.to_string(), tls),
            Target::Unix(_) => panic!("{input}: expected tcp"),
        }
    }

    #[test]
    fn targets() {
        assert_eq!(
            tcp("127.0.0.1:50051"),
            ("http://127.0.0.1:50051/".into(), false)
        );
        assert_eq!(
            tcp("http://localhost:8080"),
            ("http://localhost:8080/".into(), false)
        );
        assert_eq!(
            tcp("http://example.com"),
            ("http://example.com:80/".into(), false)
        );
        assert_eq!(
            tcp("https://example.com"),
            ("https://example.com:443/".into(), true)
        );
        assert_eq!(tcp("https://[::1]:7/"), ("https://[::1]:7/".into(), true));
        assert_eq!(tcp("[::1]:50051"), ("http://[::1]:50051/".into(), false));
        let unix = parse_target("unix:/tmp/api.sock").unwrap();
        assert_eq!(unix, Target::Unix("/tmp/api.sock".into()));
        assert_eq!(unix.display(), "unix:/tmp/api.sock");
        assert_eq!(
            parse_target("unix:///tmp/a").unwrap(),
            Target::Unix("/tmp/a".into())
        );
        assert_eq!(
            parse_target("localhost:1").unwrap().display(),
            "localhost:1"
        );
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
            ("unix:", "socket path"),
        ] {
            let err = parse_target(input).expect_err(input);
            assert!(err.0.contains(why), "{input}: {}", err.0);
        }
    }

    #[test]
    fn listen_addresses() {
        assert_eq!(
            parse_listen("127.0.0.1:0").unwrap(),
            Listen::Tcp("127.0.0.1:0".into())
        );
        assert_eq!(
            parse_listen("http://[::]:50051").unwrap(),
            Listen::Tcp("[::]:50051".into())
        );
        assert_eq!(
            parse_listen("unix:/run/a.sock").unwrap(),
            Listen::Unix("/run/a.sock".into())
        );
        for bad in ["50051", ":50051", "host:http", "https://h:1", "unix:"] {
            assert!(parse_listen(bad).is_err(), "{bad}");
        }
    }
}

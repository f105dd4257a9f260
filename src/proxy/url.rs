//! A proxy's URL, `http://[USER[:PASSWORD]@]HOST[:PORT]`, as `--proxy` and the environment give
//! it. The password is kept for `Proxy-Authorization` and never shown.

use std::fmt;

use base64::Engine as _;

use crate::exit::one_line;

/// The port of a proxy URL that names none, as for any `http://` URL.
const DEFAULT_PORT: u16 = 80;

/// An HTTP proxy that tunnels with CONNECT.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    /// As the URL spells it; an IPv6 address keeps its brackets.
    host: String,
    port: u16,
    credentials: Option<Credentials>,
}

/// The user information of the URL, percent-decoded.
#[derive(Clone, PartialEq, Eq)]
struct Credentials {
    /// As the URL spells it (still percent-encoded), for messages.
    shown_user: String,
    user: Vec<u8>,
    password: Option<Vec<u8>>,
}

impl Proxy {
    /// Parses `http://[USER[:PASSWORD]@]HOST[:PORT][/]`; without a scheme, `http://` is assumed,
    /// as curl and Go do. A path is ignored, as they ignore it. The error says what is wrong
    /// without repeating the password.
    pub fn parse(url: &str) -> Result<Proxy, String> {
        let url = url.trim();
        let rest = match url.split_once("://") {
            None => url,
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "http" => rest,
                "https" => {
                    return Err("proxies reached over TLS (https://) are not supported; \
                                give an http:// proxy"
                        .into());
                }
                "socks4" | "socks4a" | "socks5" | "socks5h" => {
                    return Err("SOCKS proxies are not supported; give an http:// proxy".into());
                }
                _ => return Err("the scheme must be http://".into()),
            },
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host_port)) => (Some(userinfo), host_port),
            None => (None, authority),
        };
        let (host, port) = split_host_port(host_port).map_err(one_line)?;
        let credentials = userinfo.map(Credentials::parse).transpose()?;
        Ok(Proxy {
            host: host.to_owned(),
            port,
            credentials,
        })
    }

    /// `HOST:PORT`, to connect to.
    pub fn host_port(&self) -> (&str, u16) {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        (host, self.port)
    }

    /// The value of `Proxy-Authorization`, when the URL has credentials.
    pub fn authorization(&self) -> Option<String> {
        let credentials = self.credentials.as_ref()?;
        let mut pair = credentials.user.clone();
        pair.push(b':');
        pair.extend_from_slice(credentials.password.as_deref().unwrap_or_default());
        Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        ))
    }
}

/// `http://user:[redacted]@host:port`: the URL as messages show it.
impl fmt::Display for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("http://")?;
        if let Some(credentials) = &self.credentials {
            f.write_str(&credentials.shown_user)?;
            if credentials.password.is_some() {
                f.write_str(":[redacted]")?;
            }
            f.write_str("@")?;
        }
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// As [`Display`](fmt::Display), so that no debug print shows the password either.
impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proxy({self})")
    }
}

impl Credentials {
    fn parse(userinfo: &str) -> Result<Credentials, String> {
        let (user, password) = match userinfo.split_once(':') {
            Some((user, password)) => (user, Some(password)),
            None => (userinfo, None),
        };
        Ok(Credentials {
            shown_user: user.to_owned(),
            user: percent_decode(user).ok_or("bad percent-encoding in the user name")?,
            password: password
                .map(|p| percent_decode(p).ok_or("bad percent-encoding in the password"))
                .transpose()?,
        })
    }
}

/// `host:port`, `[v6]:port`, or either without the port.
fn split_host_port(text: &str) -> Result<(&str, u16), String> {
    let (host, port) = if text.starts_with('[') {
        let end = text
            .find(']')
            .ok_or("an IPv6 address needs its closing ']'")?;
        let (host, after) = text.split_at(end + 1);
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err("expected [IPv6]:PORT".into()),
        }
    } else {
        match text.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.is_empty() {
        return Err("the host is missing".into());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._".contains(c);
    if host.starts_with('[') {
        if bare.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!("'{bare}' is not an IPv6 address"));
        }
    } else if !bare.chars().all(allowed) {
        return Err(format!("'{bare}' is not a host name or address"));
    }
    let port = match port {
        None => DEFAULT_PORT,
        Some(port) => match port.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => return Err(format!("the port '{port}' is not a number from 1 to 65535")),
        },
    };
    Ok((host, port))
}

/// `%XX` escapes to bytes; `None` for a `%` not followed by two hex digits.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The text of a proxy URL as given, with any password replaced by `[redacted]`, for the
/// message about a URL that did not parse, on one line.
pub fn redact(url: &str) -> String {
    one_line(redact_password(url))
}

fn redact_password(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}{user}:[redacted]@{host}{tail}"),
            None => format!("{scheme}{userinfo}@{host}{tail}"),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let proxy = Proxy::parse("http://127.0.0.1:3128").unwrap();
        assert_eq!(proxy.host_port(), ("127.0.0.1", 3128));
        assert_eq!(proxy.to_string(), "http://127.0.0.1:3128");
        assert_eq!(proxy.authorization(), None);

        let proxy = Proxy::parse("proxy.corp").unwrap();
        assert_eq!(proxy.to_string(), "http://proxy.corp:80");

        let proxy = Proxy::parse("HTTP://[::1]:8080/").unwrap();
        assert_eq!(proxy.host_port(), ("::1", 8080));
        assert_eq!(proxy.to_string(), "http://[::1]:8080");

        let proxy = Proxy::parse(" proxy:3128 ").unwrap();
        assert_eq!(proxy.host_port(), ("proxy", 3128));
    }

    #[test]
    fn credentials_become_basic_authorization_and_are_never_shown() {
        let proxy = Proxy::parse("http://alice:s3cr%40t%3A@proxy:3128").unwrap();
        // base64("alice:s3cr@t:")
        assert_eq!(
            proxy.authorization().as_deref(),
            Some("Basic YWxpY2U6czNjckB0Og==")
        );
        assert_eq!(proxy.to_string(), "http://alice:[redacted]@proxy:3128");
        assert!(!format!("{proxy:?}").contains("s3cr"));

        let user_only = Proxy::parse("http://bob@proxy:1").unwrap();
        assert_eq!(user_only.authorization().as_deref(), Some("Basic Ym9iOg=="));
        assert_eq!(user_only.to_string(), "http://bob@proxy:1");

        let at_in_password = Proxy::parse("http://u:p@ss@proxy:1").unwrap();
        assert_eq!(at_in_password.host_port(), ("proxy", 1));
        // base64("u:p@ss")
        assert_eq!(
            at_in_password.authorization().as_deref(),
            Some("Basic dTpwQHNz")
        );
    }

    #[test]
    fn bad_urls() {
        for (url, why) in [
            ("https://proxy:3128", "TLS"),
            ("socks5://proxy:1080", "SOCKS"),
            ("ftp://proxy:21", "scheme"),
            ("http://:3128", "host is missing"),
            ("http://proxy:0", "port"),
            ("http://proxy:99999", "port"),
            ("http://proxy:x", "port"),
            ("http://[::1", "']'"),
            ("http://[nope]:1", "IPv6"),
            ("http://pro xy:1", "host name"),
            ("http://u:%zz@proxy:1", "percent-encoding in the password"),
        ] {
            let err = Proxy::parse(url).expect_err(url);
            assert!(err.contains(why), "{url}: {err}");
            assert!(!err.contains("%zz"), "{url}: {err}");
        }
    }

    #[test]
    fn redaction_of_raw_text() {
        assert_eq!(
            redact("http://u:secret@proxy:x/p"),
            "http://u:[redacted]@proxy:x/p"
        );
        assert_eq!(redact("u:secret@proxy"), "u:[redacted]@proxy");
        assert_eq!(redact("http://u@proxy"), "http://u@proxy");
        assert_eq!(redact("http://proxy:1"), "http://proxy:1");
    }
}

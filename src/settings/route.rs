//! Whether a call goes through a proxy, and which: from `--proxy`, `--no-proxy`, and the
//! variables `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (each also in lower case), read through
//! a lookup function so that tests need not change the process's environment.

use std::{fmt, net::IpAddr};

use crate::{
    exit::UsageError,
    proxy::{NoProxy, Proxy, canonical, redact},
    settings::Target,
};

/// How the connection to the server is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Through this proxy's CONNECT tunnel.
    Proxy { proxy: Proxy, source: Source },
    /// Straight to the server.
    Direct(Why),
}

/// Where the proxy was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flag,
    /// The variable's name, as it was found.
    Variable(&'static str),
}

/// Why no proxy is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The variable for the address's scheme is unset (both spellings).
    Unset {
        variable: &'static str,
    },
    NoProxyFlag,
    UnixSocket,
    /// The host is `localhost` or a loopback address; `variable` is the one not used.
    Loopback {
        host: String,
        variable: &'static str,
    },
    /// `NO_PROXY` has an entry for the host.
    Exempt {
        host: String,
        entry: String,
        variable: &'static str,
        list: &'static str,
    },
}

/// The variables for each kind of address, upper case first as Go reads them: `HTTPS_PROXY`
/// serves `https://` addresses and `HTTP_PROXY` plaintext ones, as curl and Go's net/http do.
const HTTPS_VARIABLES: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
const HTTP_VARIABLES: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
const NO_PROXY_VARIABLES: [&str; 2] = ["NO_PROXY", "no_proxy"];

/// Decides the route to `target`. `flag` is `--proxy`, `no_proxy_flag` is `--no-proxy`, and
/// `lookup` reads an environment variable. A proxy URL that cannot be used is exit 2, but one in
/// the environment only when it would be used for this address.
pub fn resolve(
    target: &Target,
    flag: Option<&str>,
    no_proxy_flag: bool,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Route, UsageError> {
    let Target::Tcp { uri, tls } = target else {
        return match flag {
            Some(_) => Err(UsageError(format!(
                "--proxy needs a TCP address (the address is {}); unix sockets are never proxied",
                target.display()
            ))),
            None => Ok(Route::Direct(Why::UnixSocket)),
        };
    };
    if let Some(url) = flag {
        let proxy = Proxy::parse(url)
            .map_err(|why| UsageError(format!("bad --proxy '{}': {why}", redact(url))))?;
        return Ok(Route::Proxy {
            proxy,
            source: Source::Flag,
        });
    }
    if no_proxy_flag {
        return Ok(Route::Direct(Why::NoProxyFlag));
    }
    let variables = if *tls {
        HTTPS_VARIABLES
    } else {
        HTTP_VARIABLES
    };
    let Some((variable, url)) = first_set(&variables, &lookup) else {
        return Ok(Route::Direct(Why::Unset {
            variable: variables[0],
        }));
    };
    let host = uri.host().unwrap_or_default();
    if is_loopback(host) {
        return Ok(Route::Direct(Why::Loopback {
            host: host.to_owned(),
            variable,
        }));
    }
    if let Some((list, value)) = first_set(&NO_PROXY_VARIABLES, &lookup) {
        let port = uri.port_u16().unwrap_or(if *tls { 443 } else { 80 });
        if let Some(entry) = NoProxy::parse(&value).exempting(host, port) {
            return Ok(Route::Direct(Why::Exempt {
                host: host.to_owned(),
                entry: entry.to_owned(),
                variable,
                list,
            }));
        }
    }
    let proxy = Proxy::parse(&url).map_err(|why| {
        UsageError(format!(
            "bad {variable} '{}': {why} (--no-proxy ignores the variable)",
            redact(&url)
        ))
    })?;
    Ok(Route::Proxy {
        proxy,
        source: Source::Variable(variable),
    })
}

/// The first of `names` that is set and not empty, with its value.
fn first_set(
    names: &[&'static str; 2],
    lookup: &impl Fn(&str) -> Option<String>,
) -> Option<(&'static str, String)> {
    names.iter().find_map(|name| {
        let value = lookup(name)?;
        (!value.trim().is_empty()).then_some((*name, value))
    })
}

/// `localhost` and the loopback addresses (127.0.0.0/8, ::1, and ::ffff:127.x.y.z), which
/// the environment's proxy never serves. Names are not looked up.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    host.parse::<IpAddr>()
        .is_ok_and(|ip| canonical(ip).is_loopback())
}

/// The line `-v` prints, after `apicli: `.
impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Proxy {
                proxy,
                source: Source::Flag,
            } => write!(f, "proxy {proxy} (--proxy)"),
            Route::Proxy {
                proxy,
                source: Source::Variable(variable),
            } => write!(f, "proxy {proxy} (from {variable})"),
            Route::Direct(why) => {
                f.write_str("no proxy: ")?;
                match why {
                    Why::Unset { variable } => write!(
                        f,
                        "{variable} is not set (nor {})",
                        variable.to_ascii_lowercase()
                    ),
                    Why::NoProxyFlag => f.write_str("--no-proxy"),
                    Why::UnixSocket => f.write_str("unix sockets are never proxied"),
                    Why::Loopback { host, variable } => write!(
                        f,
                        "{host} is a loopback address, which {variable} does not serve \
                         (--proxy would)"
                    ),
                    Why::Exempt {
                        host,
                        entry,
                        variable,
                        list,
                    } => write!(
                        f,
                        "{list} exempts {host} ('{entry}'), so {variable} is not used"
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::settings::parse_target;

    /// Resolves with exactly these variables set.
    fn route(addr: &str, env: &[(&str, &str)]) -> Route {
        route_with(addr, None, false, env).unwrap()
    }

    fn route_with(
        addr: &str,
        flag: Option<&str>,
        no_proxy_flag: bool,
        env: &[(&str, &str)],
    ) -> Result<Route, UsageError> {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let target = parse_target(addr).unwrap();
        resolve(&target, flag, no_proxy_flag, |name| env.get(name).cloned())
    }

    fn via(url: &str, source: Source) -> Route {
        Route::Proxy {
            proxy: Proxy::parse(url).unwrap(),
            source,
        }
    }

    #[test]
    fn the_scheme_picks_the_variable() {
        let env = [
            ("HTTPS_PROXY", "http://secure:1"),
            ("HTTP_PROXY", "http://plain:2"),
        ];
        assert_eq!(
            route("https://api.example:443", &env),
            via("http://secure:1", Source::Variable("HTTPS_PROXY"))
        );
        assert_eq!(
            route("api.example:50051", &env),
            via("http://plain:2", Source::Variable("HTTP_PROXY"))
        );
        assert_eq!(
            route("api.example:50051", &env[..1]),
            Route::Direct(Why::Unset {
                variable: "HTTP_PROXY"
            }),
            "HTTPS_PROXY is not for plaintext"
        );
        assert_eq!(
            route("https://api.example:443", &env[1..]),
            Route::Direct(Why::Unset {
                variable: "HTTPS_PROXY"
            }),
            "HTTP_PROXY is not for TLS"
        );
    }

    #[test]
    fn upper_case_first_and_empty_is_unset() {
        let both = [
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
        ];
        assert_eq!(
            route("https://api.example:443", &both),
            via("http://upper:1", Source::Variable("HTTPS_PROXY"))
        );
        let empty_upper = [("HTTPS_PROXY", ""), ("https_proxy", "http://lower:1")];
        assert_eq!(
            route("https://api.example:443", &empty_upper),
            via("http://lower:1", Source::Variable("https_proxy"))
        );
        let lower_no_proxy = [
            ("http_proxy", "http://lower:1"),
            ("NO_PROXY", "other.example"),
            ("no_proxy", "api.example"),
        ];
        assert!(
            matches!(route("api.example:1", &lower_no_proxy), Route::Proxy { .. }),
            "NO_PROXY wins over no_proxy"
        );
        let lower_only = [
            ("http_proxy", "http://lower:1"),
            ("no_proxy", "api.example"),
        ];
        assert!(matches!(
            route("api.example:1", &lower_only),
            Route::Direct(Why::Exempt {
                list: "no_proxy",
                ..
            })
        ));
    }

    #[test]
    fn loopback_is_never_proxied_from_the_environment() {
        let env = [("HTTP_PROXY", "http://proxy:1"), ("HTTPS_PROXY", "proxy:1")];
        for addr in [
            "127.0.0.1:50051",
            "127.8.9.10:1",
            "localhost:1",
            "LOCALHOST:1",
            "https://localhost:1",
            "[::1]:1",
            "[::ffff:127.0.0.1]:1",
        ] {
            assert!(
                matches!(route(addr, &env), Route::Direct(Why::Loopback { .. })),
                "{addr}"
            );
        }
        // Names are not looked up: only what is loopback as written.
        assert!(matches!(route("127.1:1", &env), Route::Proxy { .. }));
        assert!(matches!(route("10.0.0.1:1", &env), Route::Proxy { .. }));
        assert!(matches!(
            route("unix:/run/api.sock", &env),
            Route::Direct(Why::UnixSocket)
        ));
    }

    #[test]
    fn the_flags() {
        let env = [("HTTP_PROXY", "http://env:1")];
        assert_eq!(
            route_with("127.0.0.1:1", Some("http://flag:2"), false, &env).unwrap(),
            via("http://flag:2", Source::Flag),
            "--proxy serves loopback too"
        );
        assert_eq!(
            route_with("api.example:1", Some("flag:2"), false, &[("NO_PROXY", "*")]).unwrap(),
            via("http://flag:2", Source::Flag),
            "--proxy is not subject to NO_PROXY"
        );
        assert_eq!(
            route_with("api.example:1", None, true, &env).unwrap(),
            Route::Direct(Why::NoProxyFlag)
        );
        let unix = route_with("unix:/a.sock", Some("http://flag:2"), false, &[]).unwrap_err();
        assert!(unix.0.contains("--proxy needs a TCP address"), "{}", unix.0);
        let bad = route_with("api.example:1", Some("socks5://u:pw@h:1"), false, &[]).unwrap_err();
        assert_eq!(
            bad.0,
            "bad --proxy 'socks5://u:[redacted]@h:1': SOCKS proxies are not supported; \
             give an http:// proxy"
        );
    }

    #[test]
    fn a_bad_variable_matters_only_when_used() {
        let env = [
            ("HTTPS_PROXY", "https://u:pw@proxy:1"),
            ("NO_PROXY", "skip.example"),
        ];
        let err = route_with("https://api.example:1", None, false, &env).unwrap_err();
        assert_eq!(
            err.0,
            "bad HTTPS_PROXY 'https://u:[redacted]@proxy:1': proxies reached over TLS \
             (https://) are not supported; give an http:// proxy (--no-proxy ignores the \
             variable)"
        );
        for addr in [
            "https://localhost:1",
            "https://skip.example:1",
            "api.example:1",
        ] {
            assert!(route_with(addr, None, false, &env).is_ok(), "{addr}");
        }
        assert!(route_with("https://api.example:1", None, true, &env).is_ok());
    }

    #[test]
    fn no_proxy_sees_the_default_port() {
        let env = [("HTTPS_PROXY", "proxy:1"), ("NO_PROXY", "api.example:443")];
        assert!(matches!(
            route("https://api.example", &env),
            Route::Direct(Why::Exempt { .. })
        ));
        assert!(matches!(
            route("https://api.example:8443", &env),
            Route::Proxy { .. }
        ));
    }

    #[test]
    fn verbose_lines() {
        let env = [
            ("HTTP_PROXY", "http://u:pw@proxy:3128"),
            ("no_proxy", ".internal"),
        ];
        let line = |addr: &str| route(addr, &env).to_string();
        assert_eq!(
            line("api.example:1"),
            "proxy http://u:[redacted]@proxy:3128 (from HTTP_PROXY)"
        );
        assert_eq!(
            line("127.0.0.1:1"),
            "no proxy: 127.0.0.1 is a loopback address, which HTTP_PROXY does not serve \
             (--proxy would)"
        );
        assert_eq!(
            line("db.internal:1"),
            "no proxy: no_proxy exempts db.internal ('.internal'), so HTTP_PROXY is not used"
        );
        assert_eq!(
            line("https://api.example:1"),
            "no proxy: HTTPS_PROXY is not set (nor https_proxy)"
        );
    }
}

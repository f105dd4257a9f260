//! Properties of addresses: `--addr`, `serve --addr`, proxy URLs and `NO_PROXY`. On any input
//! a parser returns, never panics, and its error is one non-empty line; a valid address keeps
//! its host and port. Inputs are arbitrary text and text built from each grammar's tokens.
//! An address given as a command's first argument is told from a name by `:` or `//`, which
//! every address holds and no name does.

#[path = "common/properties.rs"]
mod properties;

use apicli::{
    proxy::{NoProxy, Proxy, redact},
    settings::{Listen, Target, is_address, parse_listen, parse_target, split_method, split_url},
};
use properties::{config, host, input, one_line, tokens};
use proptest::{prelude::*, test_runner::TestCaseError};

const PROXY: &[&str] = &[
    "http://",
    "HTTP://",
    "https://",
    "socks5://",
    "ftp://",
    "://",
    "user",
    ":",
    "pa%20ss",
    "%",
    "%zz",
    "%4",
    "@",
    "host",
    "example.com",
    "10.0.0.1",
    "[",
    "]",
    "::1",
    "[::1]",
    "[fe80::1%25",
    "8080",
    "0",
    "65536",
    "-1",
    "/",
    "?",
    "#",
    "-",
    ".",
    "_",
    " ",
    "\n",
    "é",
];

const NO_PROXY: &[&str] = &[
    ",",
    " ",
    "*",
    ".",
    "*.",
    "example.com",
    "com",
    "10.0.0.0",
    "/8",
    "/33",
    "/",
    "::1",
    "[::1]",
    "fd00::",
    "/129",
    ":",
    "443",
    "0",
    "65536",
    "[",
    "]",
    "\n",
    "é",
    "-",
];

const ADDRESS: &[&str] = &[
    "http://",
    "https://",
    "unix:",
    "unix://",
    "ftp://",
    "/",
    "/tmp/s",
    "localhost",
    "127.0.0.1",
    "[::1]",
    "::1",
    "[",
    "]",
    ":",
    "0",
    "50051",
    "65535",
    "65536",
    "@",
    "user@",
    "?",
    "#",
    "%",
    " ",
    "\n",
    "é",
];

proptest! {
    #![proptest_config(config())]

    /// The error, and the URL as the error quotes it.
    #[test]
    fn proxy_url_errors_are_one_line(text in input(PROXY)) {
        if let Err(error) = Proxy::parse(&text) {
            one_line(&error)?;
            one_line(&format!("{}{error}", redact(&text)))?;
        }
    }

    /// A proxy URL keeps its host and port, and its password never shows.
    #[test]
    fn proxy_urls_keep_host_and_port(
        scheme in prop::sample::select(&["", "http://", "HTTP://"][..]),
        user in prop::option::of(("[a-z]{1,6}", prop::option::of("SECRET[A-Z0-9]{4}"))),
        host in host(),
        port in prop::option::of(1u16..),
        path in prop::sample::select(&["", "/", "/path?q#f"][..]),
    ) {
        let userinfo = match &user {
            None => String::new(),
            Some((user, None)) => format!("{user}@"),
            Some((user, Some(password))) => format!("{user}:{password}@"),
        };
        let port_text = port.map(|p| format!(":{p}")).unwrap_or_default();
        let url = format!("{scheme}{userinfo}{host}{port_text}{path}");
        let proxy = Proxy::parse(&url).map_err(|e| TestCaseError::fail(format!("{url}: {e}")))?;
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        prop_assert_eq!(proxy.host_port(), (bare, port.unwrap_or(80)));
        prop_assert_eq!(proxy.authorization().is_some(), user.is_some());
        let shown = proxy.to_string();
        prop_assert!(!shown.contains("SECRET"), "{shown}");
        let redacted = redact(&url);
        prop_assert!(!redacted.contains("SECRET"), "{redacted}");
        let again = Proxy::parse(&shown).map_err(|e| TestCaseError::fail(format!("{shown}: {e}")))?;
        prop_assert_eq!(again.host_port(), proxy.host_port());
    }

    /// `NO_PROXY` has no errors (malformed entries are skipped): any list and any host give an
    /// answer.
    #[test]
    fn no_proxy_takes_any_list(list in input(NO_PROXY), host in input(NO_PROXY), port in any::<u16>()) {
        let _ = NoProxy::parse(&list).exempting(&host, port);
    }

    /// A host named in the list, with or without the port, among any other entries, is
    /// exempt; `*` exempts every host.
    #[test]
    fn no_proxy_exempts_the_hosts_it_names(
        before in tokens(NO_PROXY),
        after in tokens(NO_PROXY),
        host in host(),
        port in 1u16..,
        with_port in any::<bool>(),
    ) {
        let entry = if with_port { format!("{host}:{port}") } else { host.clone() };
        let list = format!("{before},{entry},{after}");
        prop_assert!(NoProxy::parse(&list).exempting(&host, port).is_some(), "{list:?} {host}:{port}");
        let everything = format!("{before},*");
        prop_assert!(NoProxy::parse(&everything).exempting(&host, port).is_some(), "{everything:?}");
    }

    #[test]
    fn address_errors_are_one_line(text in input(ADDRESS)) {
        if let Err(error) = parse_target(&text) {
            one_line(&error.0)?;
        }
        if let Err(error) = parse_listen(&text) {
            one_line(&error.0)?;
        }
    }

    /// `host:port`, with or without a scheme, is shown as `host:port`, with TLS for `https://`.
    #[test]
    fn addresses_keep_host_and_port(
        scheme in prop::sample::select(&["", "http://", "https://"][..]),
        host in host(),
        port in 1u16..,
    ) {
        let text = format!("{scheme}{host}:{port}");
        let target = parse_target(&text).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert_eq!(target.display(), format!("{host}:{port}"));
        prop_assert_eq!(target.is_tls(), scheme == "https://");
        let tcp = matches!(target, Target::Tcp { .. });
        prop_assert!(tcp, "{target:?}");
        if scheme != "https://" {
            let listen = parse_listen(&text).map_err(|e| TestCaseError::fail(e.0))?;
            prop_assert_eq!(listen, Listen::Tcp(format!("{host}:{port}")));
        }
    }

    /// Whatever parses as an address is written as one, so it is never taken for a name.
    #[test]
    fn every_address_is_written_as_one(text in input(ADDRESS)) {
        if parse_target(&text).is_ok() {
            prop_assert!(is_address(&text), "{text:?}");
        }
    }

    /// A service, method or symbol, as protobuf names them (with a leading `/`, or the method
    /// after `/` or `.`), is never an address, nor a URL.
    #[test]
    fn names_are_never_addresses(name in NAME) {
        prop_assert!(!is_address(&name), "{name}");
        prop_assert!(split_url(&name).is_none(), "{name}");
    }

    /// `http(s)://host:port/SERVICE/METHOD` is the address before the path, and the method.
    #[test]
    fn a_method_url_is_an_address_and_a_method(
        scheme in prop::sample::select(&["http://", "https://"][..]),
        host in host(),
        port in 1u16..,
        service in "[a-z][a-z0-9_]{0,6}(\\.[A-Za-z][A-Za-z0-9_]{0,6}){1,3}",
        method in "[A-Za-z][A-Za-z0-9_]{0,8}",
    ) {
        let url = format!("{scheme}{host}:{port}/{service}/{method}");
        let (address, path) = split_url(&url).ok_or_else(|| TestCaseError::fail(url.clone()))?;
        let target = parse_target(address).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert_eq!(target.display(), format!("{host}:{port}"));
        prop_assert_eq!(path, format!("/{service}/{method}"));
        let split = split_method(path).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert_eq!(split, (service.as_str(), method.as_str()));
    }
}

/// Protobuf's fully-qualified names, as `list`, `describe`, `call` and `bench` take them.
const NAME: &str = "/?[A-Za-z_][A-Za-z0-9_]{0,8}(\\.[A-Za-z_][A-Za-z0-9_]{0,8}){0,4}(/[A-Za-z_][A-Za-z0-9_]{0,8})?";

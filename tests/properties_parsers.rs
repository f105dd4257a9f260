//! Properties of the small languages on the command line: `--expect`, proxy URLs, `NO_PROXY`,
//! `-H`, durations, sizes, addresses and bench's `-d` placeholders. On any input a parser
//! returns, never panics, and its error is one non-empty line; on valid input it keeps what
//! was written. Inputs are arbitrary text and text built from each grammar's own tokens, so
//! that the parsers get past their first checks.

use std::time::Duration;

use apicli::{
    bench::{Random, Template, expect},
    headers::Header,
    proxy::{NoProxy, Proxy, redact},
    settings::{Listen, Target, parse_duration, parse_listen, parse_size, parse_target},
};
use base64::Engine as _;
use proptest::{prelude::*, test_runner::TestCaseError};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// An error as `apicli: error: …` prints it: one line, with something on it.
fn one_line(error: &str) -> Result<(), TestCaseError> {
    prop_assert!(!error.trim().is_empty(), "an empty error");
    prop_assert!(
        !error.contains(['\n', '\r']),
        "an error of more than one line: {error:?}"
    );
    Ok(())
}

/// Text made of a grammar's tokens, and of anything else now and then.
fn tokens(alphabet: &'static [&'static str]) -> impl Strategy<Value = String> {
    let token = prop_oneof![
        9 => prop::sample::select(alphabet).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop::collection::vec(token, 0..8).prop_map(|parts| parts.concat())
}

/// Arbitrary text, or text near a grammar.
fn input(alphabet: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tokens(alphabet)]
}

const EXPECT: &[&str] = &[
    "count",
    "rps",
    "errors",
    "error_rate",
    "duration",
    "min",
    "mean",
    "p50",
    "p90",
    "p95",
    "p99",
    "p999",
    "p99.9",
    "max",
    "messages_per_s",
    "first_message_p50",
    "first_message_p99",
    "P99",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "==",
    "!=",
    "!",
    "0",
    "1",
    "5",
    "0.5",
    "100",
    "101",
    "1e3",
    ".",
    "-1",
    "us",
    "µs",
    "μs",
    "ms",
    "s",
    "%",
    "m",
    " ",
    "\t",
    "\n",
    "x",
    "é",
];

/// A metric and a value it takes, as written.
fn valid_expectation() -> impl Strategy<Value = String> {
    let time = (
        prop::sample::select(
            &[
                "duration",
                "min",
                "mean",
                "p50",
                "p90",
                "p95",
                "p99",
                "p999",
                "p99.9",
                "max",
                "first_message_p50",
                "first_message_p99",
                "P99",
            ][..],
        ),
        0u32..100_000,
        prop::sample::select(&["us", "µs", "μs", "ms", "s"][..]),
    )
        .prop_map(|(name, n, unit)| (name, format!("{n}{unit}")));
    let calls = (
        prop::sample::select(&["count", "errors"][..]),
        0u64..1_000_000,
    )
        .prop_map(|(name, n)| (name, n.to_string()));
    let rate = (
        prop::sample::select(&["rps", "messages_per_s"][..]),
        0u32..100_000,
        0u32..100,
    )
        .prop_map(|(name, whole, cents)| (name, format!("{whole}.{cents}")));
    let share = prop_oneof![
        (0u32..=100).prop_map(|n| ("error_rate", format!("{n}%"))),
        (0u32..=1000).prop_map(|n| ("error_rate", format!("{}", f64::from(n) / 1000.0))),
    ];
    let spaces = || prop::sample::select(&["", " ", "  ", "\t"][..]);
    (
        prop_oneof![time, calls, rate, share],
        prop::sample::select(&["<", "<=", ">", ">=", "=", "==", "!="][..]),
        (spaces(), spaces(), spaces(), spaces()),
    )
        .prop_map(|((name, value), op, (a, b, c, d))| format!("{a}{name}{b}{op}{c}{value}{d}"))
}

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

fn host_name() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?(\\.[a-z0-9]{1,8}){0,3}"
}

/// A host as an address names it: a name, an IPv4 address or a bracketed IPv6 address.
fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        host_name(),
        any::<std::net::Ipv4Addr>().prop_map(|ip| ip.to_string()),
        any::<std::net::Ipv6Addr>().prop_map(|ip| format!("[{ip}]")),
    ]
}

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

const HEADER: &[&str] = &[
    ":",
    ": ",
    "name",
    "x-id",
    "-bin",
    "grpc-",
    "te",
    "content-type",
    "host",
    "A",
    "_",
    ".",
    "value",
    "aGk=",
    "aGk",
    "a-_",
    "=",
    "é",
    "\n",
    "\r",
    "\t",
    " ",
    "\0",
    "\u{7f}",
];

const DURATION: &[&str] = &[
    "0",
    "1",
    "5",
    "30",
    "1.5",
    "99999999999999999999",
    "ns",
    "us",
    "µs",
    "ms",
    "s",
    "sec",
    "m",
    "min",
    "h",
    "d",
    "w",
    "y",
    " ",
    "-",
    "+",
    ".",
    "x",
    "\n",
];

const SIZE: &[&str] = &[
    "0",
    "1",
    "64",
    "1.5",
    "99999999999999999999",
    "B",
    "b",
    "K",
    "KB",
    "KiB",
    "kib",
    "M",
    "MB",
    "MiB",
    "G",
    "GiB",
    "T",
    "TiB",
    "P",
    "PiB",
    "E",
    "EiB",
    " ",
    "-",
    ".",
    "x",
    "\n",
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

const TEMPLATE: &[&str] = &[
    "{{",
    "}}",
    "{",
    "}",
    "n",
    "uuid",
    "rand",
    " ",
    "-1",
    "0",
    "5",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "x",
    "\"",
    ":",
    "\n",
    "é",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn expect_errors_are_one_line(text in input(EXPECT)) {
        if let Err(error) = expect::parse(&text) {
            one_line(&error)?;
        }
    }

    /// As shown (without white space), an expectation parses to itself.
    #[test]
    fn expectations_read_back_as_shown(text in valid_expectation()) {
        let parsed = expect::parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        let shown = parsed.to_string();
        prop_assert!(!shown.contains(char::is_whitespace), "{shown:?}");
        prop_assert_eq!(expect::parse(&shown), Ok(parsed));
    }

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
    fn header_errors_are_one_line(text in input(HEADER)) {
        if let Err(error) = Header::parse(&text) {
            one_line(&error.0)?;
        }
    }

    /// `name: value` keeps the value and lower-cases the name; `-bin` values are base64.
    #[test]
    fn headers_keep_name_and_value(
        name in "[a-zA-Z0-9_.-]{1,12}"
            .prop_filter("not reserved", |n| {
                let n = n.to_ascii_lowercase();
                !n.starts_with("grpc-") && !n.ends_with("-bin") && !["te", "host", "upgrade",
                    "connection", "keep-alive", "content-type", "proxy-connection",
                    "transfer-encoding"].contains(&n.as_str())
            }),
        value in "[ -~]{0,20}",
        space in prop::sample::select(&["", " ", "  "][..]),
        bytes in prop::collection::vec(any::<u8>(), 0..20),
    ) {
        let text = format!("{name}:{space}{value}");
        let header = Header::parse(&text).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert_eq!(header.name(), name.to_ascii_lowercase());
        let Header::Ascii(_, parsed) = header else {
            return Err(TestCaseError::fail(format!("{text:?} is not an ASCII header")));
        };
        prop_assert_eq!(parsed.to_str().ok(), Some(value.trim()));

        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let text = format!("{name}-bin:{space}{encoded}");
        let header = Header::parse(&text).map_err(|e| TestCaseError::fail(e.0))?;
        let Header::Binary(_, parsed) = header else {
            return Err(TestCaseError::fail(format!("{text:?} is not a binary header")));
        };
        let decoded = parsed.to_bytes().map_err(|_| TestCaseError::fail("not base64"))?;
        prop_assert_eq!(&decoded[..], &bytes[..]);
    }

    #[test]
    fn duration_errors_are_one_line(text in input(DURATION)) {
        if let Err(error) = parse_duration("--timeout", &text) {
            one_line(&error.0)?;
        }
    }

    /// `N UNIT` (and two of them, `1m30s`) is N of that unit.
    #[test]
    fn durations_are_what_they_say(
        parts in prop::collection::vec(
            (1u64..100_000, prop::sample::select(&[
                ("ns", 1u64), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
                ("m", 60_000_000_000), ("h", 3_600_000_000_000),
            ][..])),
            1..3,
        ),
        space in prop::sample::select(&["", " "][..]),
    ) {
        let text: String = parts.iter().map(|(n, (unit, _))| format!("{n}{space}{unit}")).collect::<Vec<_>>().join(" ");
        let nanos: u64 = parts.iter().map(|(n, (_, scale))| n * scale).sum();
        let parsed = parse_duration("--timeout", &text).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert_eq!(parsed, Duration::from_nanos(nanos), "{}", text);
    }

    #[test]
    fn size_errors_are_one_line(text in input(SIZE)) {
        if let Err(error) = parse_size("--max-message-size", &text) {
            one_line(&error.0)?;
        }
    }

    /// `N UNIT` is N times the unit, in decimal or binary units.
    #[test]
    fn sizes_are_what_they_say(
        n in 1u64..1_000_000,
        (unit, scale) in prop::sample::select(&[
            ("", 1u64), ("B", 1), ("KB", 1_000), ("KiB", 1 << 10), ("MB", 1_000_000),
            ("MiB", 1 << 20), ("GB", 1_000_000_000), ("GiB", 1 << 30),
        ][..]),
        space in prop::sample::select(&["", " "][..]),
    ) {
        let text = format!("{n}{space}{unit}");
        let parsed = parse_size("--max-message-size", &text).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert_eq!(parsed as u64, n * scale, "{}", text);
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

    #[test]
    fn placeholder_errors_are_one_line(text in input(TEMPLATE)) {
        if let Err(error) = Template::parse(&text) {
            one_line(&error.0)?;
        }
    }

    /// Text without placeholders is sent as written; `{{n}}` is the call's number and
    /// `{{rand A B}}` a number from A to B.
    #[test]
    fn placeholders_are_filled_in(
        text in "[^{]{0,20}",
        n in any::<u64>(),
        (low, high) in (any::<i64>(), any::<i64>()).prop_map(|(a, b)| (a.min(b), a.max(b))),
        seed in any::<u64>(),
    ) {
        let mut random = Random::new(seed);
        let render = |template: &str, random: &mut Random| -> Result<String, TestCaseError> {
            let parsed = Template::parse(template).map_err(|e| TestCaseError::fail(e.0))?;
            let mut out = String::new();
            parsed.render(n, random, &mut out);
            Ok(out)
        };
        prop_assert!(Template::parse(&text).is_ok_and(|t| t.is_constant()));
        prop_assert_eq!(render(&text, &mut random)?, text.clone());
        prop_assert_eq!(render(&format!("{text}{{{{n}}}}"), &mut random)?, format!("{text}{n}"));
        let drawn = render(&format!("{{{{ rand {low} {high} }}}}"), &mut random)?;
        let drawn: i64 = drawn.parse().map_err(|_| TestCaseError::fail(drawn.clone()))?;
        prop_assert!((low..=high).contains(&drawn), "{drawn} not in [{low}, {high}]");
    }
}

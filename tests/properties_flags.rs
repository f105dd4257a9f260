//! Properties of the small languages of flag values: `--expect`, `-H`, durations, sizes and
//! bench's `-d` placeholders. On any input a parser returns, never panics, and its error is one
//! non-empty line; on valid input it keeps what was written. Inputs are arbitrary text and
//! text built from each grammar's own tokens, so that the parsers get past their first checks.

#[path = "common/properties.rs"]
mod properties;

use std::time::Duration;

use apicli::{
    headers::Header,
    settings::{expect, parse_duration, parse_size},
    template::Template,
};
use base64::Engine as _;
use properties::{config, input, one_line};
use proptest::{prelude::*, test_runner::TestCaseError};

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
        // White space around the value is not part of it.
        let text = format!("{name}:{space}{value}{space}");
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
    fn placeholder_errors_are_one_line(text in input(TEMPLATE)) {
        if let Err(error) = Template::parse(&text) {
            one_line(&error.message("-d"))?;
        }
    }

    /// Text without placeholders is constant; each well-formed placeholder is read as one,
    /// wherever it stands; `{{rand A B}}` needs A ≤ B.
    #[test]
    fn placeholders_are_read(
        text in "[^{]{0,20}",
        placeholder in prop_oneof![
            Just("n".to_owned()),
            Just(" uuid ".to_owned()),
            (any::<i64>(), any::<i64>())
                .prop_map(|(a, b)| format!("rand {} {}", a.min(b), a.max(b))),
        ],
    ) {
        let constant = Template::parse(&text).map_err(|e| TestCaseError::fail(e.message("-d")))?;
        prop_assert!(constant.is_constant(), "{text:?}");
        let with = format!("{text}{{{{{placeholder}}}}}{text}");
        let varying = Template::parse(&with).map_err(|e| TestCaseError::fail(e.message("-d")))?;
        prop_assert!(!varying.is_constant(), "{with:?}");
        let bounds = placeholder.strip_prefix("rand ").and_then(|r| r.split_once(' '));
        if let Some((low, high)) = bounds.filter(|(low, high)| low != high) {
            let reversed = format!("{{{{rand {high} {low}}}}}");
            let refused = Template::parse(&reversed).is_err();
            prop_assert!(refused, "{reversed:?}");
        }
    }
}

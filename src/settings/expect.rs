//! `--expect EXPR`: a threshold on one figure of the report, such as `p99<5ms`, `errors=0` or
//! `rps>=10000`, that a CI job can enforce.
//!
//! The grammar is `METRIC OP VALUE`, with white space allowed between the parts:
//! - METRIC: `count`, `rps`, `errors`, `error_rate`, `duration`, the latencies `min`, `mean`,
//!   `p50`, `p90`, `p95`, `p99`, `p999` (or `p99.9`), `p9999` (or `p99.99`) and `max`, and for streams
//!   `messages_per_s`, `first_message_p50` and `first_message_p99`;
//! - OP: `<`, `<=`, `>`, `>=`, `=` (or `==`), `!=`;
//! - VALUE: a decimal number. Times (the latencies and `duration`) need a unit, `us` (or `µs`),
//!   `ms` or `s`; `error_rate` is a fraction (`0.01`) or a percentage (`1%`); counts and rates
//!   take none.
//!
//! Here the expression is read; `bench` (`verdict.rs`) holds it against a report.

use std::fmt;

use crate::exit::{UsageError, one_line};

/// One parsed `--expect`.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// The expression as written, without white space: `p99<5ms`.
    pub text: String,
    /// The metric's name as written, lower-cased: `p99.9` stays `p99.9`.
    pub name: String,
    pub metric: Metric,
    pub op: Op,
    /// Microseconds for a time, a fraction for `error_rate`, else the number as written.
    pub threshold: f64,
    /// `error_rate` was written as a percentage, so the measure is shown as one.
    pub percent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    Count,
    Rps,
    Errors,
    ErrorRate,
    Duration,
    Latency(Stat),
    MessagesPerS,
    FirstMessage(Stat),
}

/// A figure of a latency distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stat {
    Min,
    Mean,
    P50,
    P90,
    P95,
    P99,
    P999,
    P9999,
    Max,
}

/// What a metric's value is, which decides the units it takes and how it is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A number of calls: a whole number, no unit.
    Calls,
    /// Per second: a number, no unit.
    Rate,
    /// From 0 to 1, or a percentage.
    Share,
    /// Microseconds, written with a unit.
    Time,
}

impl Metric {
    pub fn kind(self) -> Kind {
        match self {
            Metric::Count | Metric::Errors => Kind::Calls,
            Metric::Rps | Metric::MessagesPerS => Kind::Rate,
            Metric::ErrorRate => Kind::Share,
            Metric::Duration | Metric::Latency(_) | Metric::FirstMessage(_) => Kind::Time,
        }
    }
}

/// Every metric by name, in the order the grammar lists them.
const METRICS: &[(&str, Metric)] = &[
    ("count", Metric::Count),
    ("rps", Metric::Rps),
    ("errors", Metric::Errors),
    ("error_rate", Metric::ErrorRate),
    ("duration", Metric::Duration),
    ("min", Metric::Latency(Stat::Min)),
    ("mean", Metric::Latency(Stat::Mean)),
    ("p50", Metric::Latency(Stat::P50)),
    ("p90", Metric::Latency(Stat::P90)),
    ("p95", Metric::Latency(Stat::P95)),
    ("p99", Metric::Latency(Stat::P99)),
    ("p999", Metric::Latency(Stat::P999)),
    ("p99.9", Metric::Latency(Stat::P999)),
    ("p9999", Metric::Latency(Stat::P9999)),
    ("p99.99", Metric::Latency(Stat::P9999)),
    ("max", Metric::Latency(Stat::Max)),
    ("messages_per_s", Metric::MessagesPerS),
    ("first_message_p50", Metric::FirstMessage(Stat::P50)),
    ("first_message_p99", Metric::FirstMessage(Stat::P99)),
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}

/// Every operator as written, longest first so that `<=` is not read as `<`.
const OPS: &[(&str, Op)] = &[
    ("<=", Op::LessOrEqual),
    (">=", Op::GreaterOrEqual),
    ("==", Op::Equal),
    ("!=", Op::NotEqual),
    ("<", Op::Less),
    (">", Op::Greater),
    ("=", Op::Equal),
];

impl Op {
    pub fn holds(self, measured: f64, threshold: f64) -> bool {
        match self {
            Op::Less => measured < threshold,
            Op::LessOrEqual => measured <= threshold,
            Op::Greater => measured > threshold,
            Op::GreaterOrEqual => measured >= threshold,
            Op::Equal => measured == threshold,
            Op::NotEqual => measured != threshold,
        }
    }
}

/// The characters that begin an operator, and so end a metric's name.
fn is_op_char(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '!')
}

/// Reads `METRIC OP VALUE`. The error is one line that says what is wrong with it, with any
/// control character of the text it quotes escaped; the caller, which names the flag, quotes
/// the expression.
pub fn parse(text: &str) -> Result<Expectation, String> {
    read(text).map_err(one_line)
}

fn read(text: &str) -> Result<Expectation, String> {
    let written = text.trim();
    if written.is_empty() {
        return Err("an empty expectation; write METRIC OP VALUE, e.g. p99<5ms".to_owned());
    }
    let name_end = written
        .find(|c: char| c.is_whitespace() || is_op_char(c))
        .unwrap_or(written.len());
    let name = written[..name_end].to_lowercase();
    if name.is_empty() {
        return Err(
            "no metric before the operator; write METRIC OP VALUE, e.g. p99<5ms".to_owned(),
        );
    }
    let Some(&(_, metric)) = METRICS.iter().find(|(known, _)| *known == name) else {
        return Err(format!(
            "unknown metric '{name}'; did you mean {}? (metrics: {})",
            nearest(&name),
            METRICS
                .iter()
                .map(|(known, _)| *known)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let rest = written[name_end..].trim_start();
    let Some(&(op_text, op)) = OPS.iter().find(|(op, _)| rest.starts_with(op)) else {
        return Err(format!(
            "no operator after '{name}'; use one of < <= > >= = == !="
        ));
    };
    let value = rest[op_text.len()..].trim();
    if value.is_empty() {
        return Err(format!("no value after '{op_text}'"));
    }
    let digits = value
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(value.len());
    let (number, unit) = (&value[..digits], value[digits..].trim());
    let number: f64 = match number.parse() {
        Ok(n) if !number.is_empty() => n,
        _ => {
            return Err(format!(
                "'{value}' is not a number (write digits, e.g. {name}{op_text}{})",
                example(metric.kind())
            ));
        }
    };
    let (threshold, percent) = match metric.kind() {
        Kind::Calls => {
            if unit == "%" && metric == Metric::Errors {
                return Err(
                    "errors is a number of calls; for a share of them use error_rate, e.g. \
                     error_rate<1%"
                        .to_owned(),
                );
            }
            if !unit.is_empty() {
                return Err(format!(
                    "{name} is a number of calls and takes no unit ('{unit}')"
                ));
            }
            if number.fract() != 0.0 {
                return Err(format!("{name} is a number of calls: a whole number"));
            }
            (number, false)
        }
        Kind::Rate => {
            if !unit.is_empty() {
                return Err(format!(
                    "{name} is a number per second and takes no unit ('{unit}'), e.g. \
                     {name}{op_text}{}",
                    example(Kind::Rate)
                ));
            }
            (number, false)
        }
        Kind::Share => match unit {
            "%" if number <= 100.0 => (number / 100.0, true),
            "%" => return Err("a percentage is at most 100%".to_owned()),
            "" if number <= 1.0 => (number, false),
            "" => {
                return Err(format!(
                    "error_rate is a fraction from 0 to 1 or a percentage: write \
                     error_rate{op_text}{number}% for {number} percent"
                ));
            }
            _ => {
                return Err(format!(
                    "error_rate takes a fraction (0.01) or a percentage (1%), not '{unit}'"
                ));
            }
        },
        Kind::Time => {
            let scale = match unit {
                "us" | "µs" | "μs" => 1.0,
                "ms" => 1_000.0,
                "s" => 1_000_000.0,
                "" => {
                    return Err(format!(
                        "{name} is a time and needs a unit (us, µs, ms or s), e.g. \
                         {name}{op_text}{value}ms"
                    ));
                }
                _ => {
                    return Err(format!(
                        "unknown unit '{unit}'; {name} takes us, µs, ms or s"
                    ));
                }
            };
            (number * scale, false)
        }
    };
    Ok(Expectation {
        text: written.split_whitespace().collect(),
        name,
        metric,
        op,
        threshold,
        percent,
    })
}

/// Every `--expect` of a command line, with its text; the first that does not parse is exit 2.
pub fn parse_flags(texts: &[String]) -> Result<Vec<(String, Expectation)>, UsageError> {
    texts
        .iter()
        .map(|text| match parse(text) {
            Ok(expectation) => Ok((text.clone(), expectation)),
            Err(why) => Err(UsageError(one_line(format!(
                "bad --expect '{text}': {why}"
            )))),
        })
        .collect()
}

/// A value of this kind, for the examples in error messages.
fn example(kind: Kind) -> &'static str {
    match kind {
        Kind::Calls => "0",
        Kind::Rate => "10000",
        Kind::Share => "1%",
        Kind::Time => "5ms",
    }
}

/// The known metrics closest to an unknown name: those fewest edits away, most alike first,
/// at most three: `p90, p95 or p99`.
fn nearest(name: &str) -> String {
    let edits = |known: &str| strsim::osa_distance(name, known);
    let fewest = METRICS.iter().map(|(known, _)| edits(known)).min();
    let mut close: Vec<&str> = METRICS
        .iter()
        .map(|(known, _)| *known)
        .filter(|known| Some(edits(known)) == fewest)
        .collect();
    // Stable: equally alike names keep the grammar's order.
    close.sort_by(|a, b| strsim::jaro_winkler(name, b).total_cmp(&strsim::jaro_winkler(name, a)));
    close.truncate(3);
    match close.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "p99".to_owned(),
    }
}

impl fmt::Display for Expectation {
    /// The expression as written, without white space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(text).unwrap_err()
    }

    #[test]
    fn malformed_expressions_say_why() {
        let cases = [
            (
                "",
                "an empty expectation; write METRIC OP VALUE, e.g. p99<5ms",
            ),
            (
                "   ",
                "an empty expectation; write METRIC OP VALUE, e.g. p99<5ms",
            ),
            (
                "<5ms",
                "no metric before the operator; write METRIC OP VALUE, e.g. p99<5ms",
            ),
            (
                "p99 5ms",
                "no operator after 'p99'; use one of < <= > >= = == !=",
            ),
            (
                "p99",
                "no operator after 'p99'; use one of < <= > >= = == !=",
            ),
            ("p99<", "no value after '<'"),
            ("p99 <=  ", "no value after '<='"),
            (
                "p99<fast",
                "'fast' is not a number (write digits, e.g. p99<5ms)",
            ),
            (
                "p99<-5ms",
                "'-5ms' is not a number (write digits, e.g. p99<5ms)",
            ),
            (
                "p99<1.2.3ms",
                "'1.2.3ms' is not a number (write digits, e.g. p99<5ms)",
            ),
            (
                "count<count\ncount",
                "'count\\ncount' is not a number (write digits, e.g. count<0)",
            ),
            (
                "p99=<5ms",
                "'<5ms' is not a number (write digits, e.g. p99=5ms)",
            ),
            (
                "p99<5",
                "p99 is a time and needs a unit (us, µs, ms or s), e.g. p99<5ms",
            ),
            (
                "duration>=10",
                "duration is a time and needs a unit (us, µs, ms or s), e.g. \
                 duration>=10ms",
            ),
            ("p99<5sec", "unknown unit 'sec'; p99 takes us, µs, ms or s"),
            (
                "count>1000ms",
                "count is a number of calls and takes no unit ('ms')",
            ),
            (
                "errors<1%",
                "errors is a number of calls; for a share of them use error_rate, \
                 e.g. error_rate<1%",
            ),
            ("errors<0.5", "errors is a number of calls: a whole number"),
            (
                "rps>=10k",
                "rps is a number per second and takes no unit ('k'), e.g. \
                 rps>=10000",
            ),
            (
                "error_rate<5",
                "error_rate is a fraction from 0 to 1 or a percentage: write \
                 error_rate<5% for 5 percent",
            ),
            ("error_rate<101%", "a percentage is at most 100%"),
            (
                "error_rate<1ms",
                "error_rate takes a fraction (0.01) or a percentage (1%), not \
                 'ms'",
            ),
        ];
        for (text, reason) in cases {
            assert_eq!(error(text), reason, "{text}");
        }
    }

    #[test]
    fn unknown_metrics_name_the_nearest() {
        let list = "(metrics: count, rps, errors, error_rate, duration, min, mean, p50, p90, \
                    p95, p99, p999, p99.9, p9999, p99.99, max, messages_per_s, \
                    first_message_p50, first_message_p99)";
        assert_eq!(
            error("p98<5ms"),
            format!("unknown metric 'p98'; did you mean p90, p95 or p99? {list}")
        );
        for (text, nearest) in [
            ("error<1", "errors"),
            ("err_rate<1%", "error_rate"),
            ("req/s>100", "rps"),
            ("messages/s>100", "messages_per_s"),
            (
                "first_message_p90<1ms",
                "first_message_p50 or first_message_p99",
            ),
            ("latency<5ms", "mean, min or max"),
            ("p99.999<5ms", "p99.99"),
        ] {
            let reason = error(text);
            assert!(
                reason.contains(&format!("; did you mean {nearest}? (metrics: ")),
                "{text}: {reason}"
            );
            assert!(!reason.contains('\n'), "{reason}");
        }
    }

    #[test]
    fn the_tail_percentile_has_two_names() {
        for text in ["p9999<5ms", "p99.99 < 5ms", "P99.99<5ms"] {
            let expectation = parse(text).unwrap();
            assert_eq!(expectation.metric, Metric::Latency(Stat::P9999), "{text}");
            assert_eq!(expectation.threshold, 5_000.0);
        }
        assert_eq!(parse("p99.99<5ms").unwrap().name, "p99.99");
    }

    #[test]
    fn shown_as_written_without_white_space() {
        assert_eq!(parse(" p99.9 <= 5 ms ").unwrap().to_string(), "p99.9<=5ms");
    }
}

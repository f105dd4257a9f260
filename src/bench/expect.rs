//! `--expect EXPR`: a threshold on one figure of the report, such as `p99<5ms`, `errors=0` or
//! `rps>=10000`, that a CI job can enforce.
//!
//! The grammar is `METRIC OP VALUE`, with white space allowed between the parts:
//! - METRIC: `count`, `rps`, `errors`, `error_rate`, `duration`, the latencies `min`, `mean`,
//!   `p50`, `p90`, `p95`, `p99`, `p999` (or `p99.9`) and `max`, and for streams
//!   `messages_per_s`, `first_message_p50` and `first_message_p99`;
//! - OP: `<`, `<=`, `>`, `>=`, `=` (or `==`), `!=`;
//! - VALUE: a decimal number. Times (the latencies and `duration`) need a unit, `us` (or `µs`),
//!   `ms` or `s`; `error_rate` is a fraction (`0.01`) or a percentage (`1%`); counts and rates
//!   take none.

use std::fmt;

use super::print::format_us;
use super::report::{Latency, Report};

/// One parsed `--expect`.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// The expression as written, without white space: `p99<5ms`.
    text: String,
    /// The metric's name as written, lower-cased: `p99.9` stays `p99.9`.
    name: String,
    metric: Metric,
    op: Op,
    /// Microseconds for a time, a fraction for `error_rate`, else the number as written.
    threshold: f64,
    /// `error_rate` was written as a percentage, so the measure is shown as one.
    percent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Metric {
    Count,
    Rps,
    Errors,
    ErrorRate,
    Duration,
    Latency(Stat),
    MessagesPerS,
    FirstMessage(Stat),
}

/// A figure of a [`Latency`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stat {
    Min,
    Mean,
    P50,
    P90,
    P95,
    P99,
    P999,
    Max,
}

impl Stat {
    fn of(self, latency: &Latency) -> f64 {
        match self {
            Stat::Min => latency.min_us as f64,
            Stat::Mean => latency.mean_us,
            Stat::P50 => latency.p50_us as f64,
            Stat::P90 => latency.p90_us as f64,
            Stat::P95 => latency.p95_us as f64,
            Stat::P99 => latency.p99_us as f64,
            Stat::P999 => latency.p999_us as f64,
            Stat::Max => latency.max_us as f64,
        }
    }
}

/// What a metric's value is, which decides the units it takes and how it is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
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
    fn kind(self) -> Kind {
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
    ("max", Metric::Latency(Stat::Max)),
    ("messages_per_s", Metric::MessagesPerS),
    ("first_message_p50", Metric::FirstMessage(Stat::P50)),
    ("first_message_p99", Metric::FirstMessage(Stat::P99)),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
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
    fn holds(self, measured: f64, threshold: f64) -> bool {
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

/// Reads `METRIC OP VALUE`. The error is one line that says what is wrong with it; the caller,
/// which names the flag, quotes the expression.
pub fn parse(text: &str) -> Result<Expectation, String> {
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

impl Expectation {
    /// None when the report meets the expectation; otherwise one line that says what was
    /// expected and what was measured: `expected p99<5ms, measured p99=7.21ms`. A figure the
    /// report does not have (a latency when no call completed, stream figures of a unary
    /// method) does not meet any expectation.
    pub fn check(&self, report: &Report) -> Option<String> {
        match self.measure(report) {
            Ok(measured) if measured.is_finite() && self.op.holds(measured, self.threshold) => None,
            Ok(measured) => Some(format!(
                "expected {}, measured {}={}",
                self.text,
                self.name,
                self.show(measured, report)
            )),
            Err(why) => Some(format!("expected {}, measured nothing: {why}", self.text)),
        }
    }

    /// The metric's value in the report, in the threshold's terms; or why there is none.
    fn measure(&self, report: &Report) -> Result<f64, String> {
        let no_calls = || "no call completed".to_owned();
        match self.metric {
            Metric::Count => Ok(report.count as f64),
            Metric::Rps => Ok(report.rps),
            Metric::Errors => Ok(report.error_count() as f64),
            Metric::ErrorRate if report.count == 0 => Err(no_calls()),
            Metric::ErrorRate => Ok(report.error_rate()),
            Metric::Duration => Ok(report.duration_us as f64),
            Metric::Latency(_) if report.count == 0 => Err(no_calls()),
            Metric::Latency(stat) => Ok(stat.of(&report.latency)),
            Metric::MessagesPerS | Metric::FirstMessage(_) => {
                let Some(streams) = &report.streams else {
                    return Err(format!(
                        "{} is a {} method, without response streams",
                        report.method, report.kind
                    ));
                };
                match self.metric {
                    Metric::FirstMessage(_) if streams.messages == 0 => {
                        Err("no response message arrived".to_owned())
                    }
                    Metric::FirstMessage(stat) => Ok(stat.of(&streams.first_message)),
                    _ => Ok(streams.messages_per_s),
                }
            }
        }
    }

    /// A measure as the report's table shows it; more exactly when that rounding would make it
    /// look like the threshold.
    fn show(&self, measured: f64, report: &Report) -> String {
        let rounded = |value: f64| match self.metric.kind() {
            Kind::Calls => format!("{value:.0}"),
            Kind::Rate => format!("{value:.1}"),
            Kind::Share if self.percent => format!("{}%", trim(format!("{:.2}", value * 100.0))),
            Kind::Share => trim(format!("{value:.4}")),
            Kind::Time if value.is_finite() && value >= 0.0 => format_us(value.round() as u64),
            Kind::Time => value.to_string(),
        };
        let mut shown = rounded(measured);
        if shown == rounded(self.threshold) && measured != self.threshold {
            shown = match self.metric.kind() {
                Kind::Time => format!("{measured}µs"),
                Kind::Share if self.percent => format!("{}%", measured * 100.0),
                _ => measured.to_string(),
            };
        }
        if self.metric == Metric::ErrorRate {
            shown.push_str(&format!(
                " ({} of {} calls)",
                report.error_count(),
                report.count
            ));
        }
        shown
    }
}

/// `0.0250` → `0.025`, `2.00` → `2`.
fn trim(number: String) -> String {
    if !number.contains('.') {
        return number;
    }
    number
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_owned()
}

impl fmt::Display for Expectation {
    /// The expression as written, without white space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::bench::report::{Shape, Streams};

    fn latency() -> Latency {
        Latency {
            min_us: 310,
            mean_us: 1_874.6,
            p50_us: 1_500,
            p90_us: 3_200,
            p95_us: 4_100,
            p99_us: 7_210,
            p999_us: 9_800,
            max_us: 12_000,
        }
    }

    /// 1000 unary calls in 0.125 s, 3 of them UNAVAILABLE.
    fn report() -> Report {
        Report {
            method: "api.Api/sayHello".into(),
            kind: "unary".into(),
            shape: Shape {
                concurrency: 50,
                connections: 1,
                threads: 2,
                total: Some(1000),
                duration_us: None,
                rps: None,
                warmup_calls: None,
                warmup_us: None,
            },
            count: 1000,
            duration_us: 125_000,
            rps: 8000.0,
            latency: latency(),
            histogram: Vec::new(),
            statuses: BTreeMap::from([("OK".into(), 997), ("UNAVAILABLE".into(), 3)]),
            errors: Vec::new(),
            endpoints: Vec::new(),
            open_loop: None,
            streams: None,
            interrupted: false,
            unreachable_us: 0,
        }
    }

    fn streaming() -> Report {
        let mut report = report();
        report.method = "routeguide.RouteGuide/ListFeatures".into();
        report.kind = "server-streaming".into();
        report.streams = Some(Streams {
            messages: 64_000,
            messages_per_s: 512_000.0,
            first_message: Latency {
                p50_us: 250,
                p99_us: 1_900,
                ..latency()
            },
        });
        report
    }

    fn check(text: &str, report: &Report) -> Option<String> {
        parse(text).unwrap().check(report)
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err()
    }

    #[test]
    fn met() {
        for text in [
            "p99<8ms",
            "p99 < 8ms",
            " p99<=7.21ms ",
            "p99 = 7210us",
            "p99==7210µs",
            "p99!=7ms",
            "p99.9<10ms",
            "p999 < 0.01s",
            "P50>1ms",
            "min>=310us",
            "mean<1.9ms",
            "max<=12ms",
            "p90<4ms",
            "p95<5ms",
            "errors=3",
            "errors<10",
            "count>=1000",
            "count=1000",
            "rps>=8000",
            "rps > 7999.5",
            "error_rate<1%",
            "error_rate<=0.3%",
            "error_rate<0.01",
            "error_rate>0",
            "duration<1s",
            "duration = 125ms",
        ] {
            assert_eq!(check(text, &report()), None, "{text}");
        }
        for text in [
            "messages_per_s>=500000",
            "first_message_p50<1ms",
            "first_message_p99 <= 1.9ms",
        ] {
            assert_eq!(check(text, &streaming()), None, "{text}");
        }
    }

    #[test]
    fn unmet_says_what_was_expected_and_measured() {
        let cases = [
            ("p99<5ms", "expected p99<5ms, measured p99=7.21ms"),
            ("p99 < 5 ms", "expected p99<5ms, measured p99=7.21ms"),
            ("p99.9<=9ms", "expected p99.9<=9ms, measured p99.9=9.80ms"),
            ("p999<9ms", "expected p999<9ms, measured p999=9.80ms"),
            ("min>1ms", "expected min>1ms, measured min=310µs"),
            ("max<10s", ""),
            ("errors=0", "expected errors=0, measured errors=3"),
            ("count>=10000", "expected count>=10000, measured count=1000"),
            ("rps>=10000", "expected rps>=10000, measured rps=8000.0"),
            ("rps!=8000", "expected rps!=8000, measured rps=8000.0"),
            (
                "error_rate<0.1%",
                "expected error_rate<0.1%, measured error_rate=0.3% (3 of 1000 calls)",
            ),
            (
                "error_rate=0",
                "expected error_rate=0, measured error_rate=0.003 (3 of 1000 calls)",
            ),
            (
                "duration<100ms",
                "expected duration<100ms, measured duration=125.00ms",
            ),
            // Rounded as the table shows it, the measure would look like the threshold.
            ("p99<7.21ms", "expected p99<7.21ms, measured p99=7.21ms"),
            ("p99>7.212ms", "expected p99>7.212ms, measured p99=7210µs"),
            (
                "mean>=1.875ms",
                "expected mean>=1.875ms, measured mean=1874.6µs",
            ),
            ("rps>8000.02", "expected rps>8000.02, measured rps=8000"),
        ];
        for (text, line) in cases {
            let unmet = check(text, &report());
            if line.is_empty() {
                assert_eq!(unmet, None, "{text}");
            } else {
                assert_eq!(unmet.as_deref(), Some(line), "{text}");
            }
        }
        assert_eq!(
            check("first_message_p99<1ms", &streaming()).as_deref(),
            Some("expected first_message_p99<1ms, measured first_message_p99=1.90ms")
        );
        assert_eq!(
            check("messages_per_s>1000000", &streaming()).as_deref(),
            Some("expected messages_per_s>1000000, measured messages_per_s=512000.0")
        );
    }

    #[test]
    fn figures_the_report_lacks_are_unmet() {
        assert_eq!(
            check("messages_per_s>0", &report()).as_deref(),
            Some(
                "expected messages_per_s>0, measured nothing: api.Api/sayHello is a unary \
                 method, without response streams"
            )
        );
        let mut silent = streaming();
        if let Some(streams) = &mut silent.streams {
            streams.messages = 0;
        }
        assert_eq!(
            check("first_message_p50<1s", &silent).as_deref(),
            Some("expected first_message_p50<1s, measured nothing: no response message arrived")
        );
        let mut empty = report();
        empty.count = 0;
        empty.statuses.clear();
        empty.latency = Latency {
            mean_us: 0.0,
            ..latency()
        };
        assert_eq!(
            check("p99<5ms", &empty).as_deref(),
            Some("expected p99<5ms, measured nothing: no call completed")
        );
        assert_eq!(
            check("error_rate<1%", &empty).as_deref(),
            Some("expected error_rate<1%, measured nothing: no call completed")
        );
        assert_eq!(check("errors=0", &empty), None);
        let mut broken = report();
        broken.rps = f64::NAN;
        assert_eq!(
            check("rps!=1", &broken).as_deref(),
            Some("expected rps!=1, measured rps=NaN")
        );
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
                    p95, p99, p999, p99.9, max, messages_per_s, first_message_p50, \
                    first_message_p99)";
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
            ("p99.99<5ms", "p99.9"),
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
    fn shown_as_written_without_white_space() {
        assert_eq!(parse(" p99.9 <= 5 ms ").unwrap().to_string(), "p99.9<=5ms");
    }
}

//! Whether a bench report meets the `--expect` conditions, and if not, one line that says what
//! was expected and what was measured.

use super::print::format_us;
use super::report::{Latency, Report};
use crate::settings::expect::{Expectation, Kind, Metric, Stat};

/// None when the report meets the expectation; otherwise one line that says what was
/// expected and what was measured: `expected p99<5ms, measured p99=7.21ms`. A figure the
/// report does not have (a latency when no call completed, stream figures of a unary
/// method) does not meet any expectation.
pub fn check(expectation: &Expectation, report: &Report) -> Option<String> {
    match measure(expectation, report) {
        Ok(measured)
            if measured.is_finite() && expectation.op.holds(measured, expectation.threshold) =>
        {
            None
        }
        Ok(measured) => Some(format!(
            "expected {}, measured {}={}",
            expectation.text,
            expectation.name,
            show(expectation, measured, report)
        )),
        Err(why) => Some(format!(
            "expected {}, measured nothing: {why}",
            expectation.text
        )),
    }
}

/// The metric's value in the report, in the threshold's terms; or why there is none.
fn measure(expectation: &Expectation, report: &Report) -> Result<f64, String> {
    let no_calls = || "no call completed".to_owned();
    match expectation.metric {
        Metric::Count => Ok(report.count as f64),
        Metric::Rps => Ok(report.rps),
        Metric::Errors => Ok(report.error_count() as f64),
        Metric::ErrorRate if report.count == 0 => Err(no_calls()),
        Metric::ErrorRate => Ok(report.error_rate()),
        Metric::Duration => Ok(report.duration_us as f64),
        Metric::Latency(_) if report.count == 0 => Err(no_calls()),
        Metric::Latency(stat) => Ok(figure(stat, &report.latency)),
        Metric::MessagesPerS | Metric::FirstMessage(_) => {
            let Some(streams) = &report.streams else {
                return Err(format!(
                    "{} is a {} method, without response streams",
                    report.method, report.kind
                ));
            };
            match expectation.metric {
                Metric::FirstMessage(_) if streams.messages == 0 => {
                    Err("no response message arrived".to_owned())
                }
                Metric::FirstMessage(stat) => Ok(figure(stat, &streams.first_message)),
                _ => Ok(streams.messages_per_s),
            }
        }
    }
}

/// A measure as the report's table shows it; more exactly when that rounding would make it
/// look like the threshold.
fn show(expectation: &Expectation, measured: f64, report: &Report) -> String {
    let rounded = |value: f64| match expectation.metric.kind() {
        Kind::Calls => format!("{value:.0}"),
        Kind::Rate => format!("{value:.1}"),
        Kind::Share if expectation.percent => format!("{}%", trim(format!("{:.2}", value * 100.0))),
        Kind::Share => trim(format!("{value:.4}")),
        Kind::Time if value.is_finite() && value >= 0.0 => format_us(value.round() as u64),
        Kind::Time => value.to_string(),
    };
    let mut shown = rounded(measured);
    if shown == rounded(expectation.threshold) && measured != expectation.threshold {
        shown = match expectation.metric.kind() {
            Kind::Time => format!("{measured}µs"),
            Kind::Share if expectation.percent => format!("{}%", measured * 100.0),
            _ => measured.to_string(),
        };
    }
    if expectation.metric == Metric::ErrorRate {
        shown.push_str(&format!(
            " ({} of {} calls)",
            report.error_count(),
            report.count
        ));
    }
    shown
}

/// A figure of a [`Latency`].
fn figure(stat: Stat, latency: &Latency) -> f64 {
    match stat {
        Stat::Min => latency.min_us as f64,
        Stat::Mean => latency.mean_us,
        Stat::P50 => latency.p50_us as f64,
        Stat::P90 => latency.p90_us as f64,
        Stat::P95 => latency.p95_us as f64,
        Stat::P99 => latency.p99_us as f64,
        Stat::P999 => latency.p999_us as f64,
        Stat::P9999 => latency.p9999_us as f64,
        Stat::Max => latency.max_us as f64,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::report::{Streams, example as report};
    use crate::settings::expect::parse;

    fn latency() -> Latency {
        report().latency
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

    fn verdict(text: &str, report: &Report) -> Option<String> {
        check(&parse(text).unwrap(), report)
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
            "p99.99<12ms",
            "p9999 = 11.5ms",
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
            assert_eq!(verdict(text, &report()), None, "{text}");
        }
        for text in [
            "messages_per_s>=500000",
            "first_message_p50<1ms",
            "first_message_p99 <= 1.9ms",
        ] {
            assert_eq!(verdict(text, &streaming()), None, "{text}");
        }
    }

    #[test]
    fn unmet_says_what_was_expected_and_measured() {
        let cases = [
            ("p99<5ms", "expected p99<5ms, measured p99=7.21ms"),
            ("p99 < 5 ms", "expected p99<5ms, measured p99=7.21ms"),
            ("p99.9<=9ms", "expected p99.9<=9ms, measured p99.9=9.80ms"),
            ("p999<9ms", "expected p999<9ms, measured p999=9.80ms"),
            (
                "p99.99<10ms",
                "expected p99.99<10ms, measured p99.99=11.50ms",
            ),
            (
                "p9999<=11ms",
                "expected p9999<=11ms, measured p9999=11.50ms",
            ),
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
            let unmet = verdict(text, &report());
            if line.is_empty() {
                assert_eq!(unmet, None, "{text}");
            } else {
                assert_eq!(unmet.as_deref(), Some(line), "{text}");
            }
        }
        assert_eq!(
            verdict("first_message_p99<1ms", &streaming()).as_deref(),
            Some("expected first_message_p99<1ms, measured first_message_p99=1.90ms")
        );
        assert_eq!(
            verdict("messages_per_s>1000000", &streaming()).as_deref(),
            Some("expected messages_per_s>1000000, measured messages_per_s=512000.0")
        );
    }

    #[test]
    fn figures_the_report_lacks_are_unmet() {
        assert_eq!(
            verdict("messages_per_s>0", &report()).as_deref(),
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
            verdict("first_message_p50<1s", &silent).as_deref(),
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
            verdict("p99<5ms", &empty).as_deref(),
            Some("expected p99<5ms, measured nothing: no call completed")
        );
        assert_eq!(
            verdict("error_rate<1%", &empty).as_deref(),
            Some("expected error_rate<1%, measured nothing: no call completed")
        );
        assert_eq!(verdict("errors=0", &empty), None);
        let mut broken = report();
        broken.rps = f64::NAN;
        assert_eq!(
            verdict("rps!=1", &broken).as_deref(),
            Some("expected rps!=1, measured rps=NaN")
        );
    }
}

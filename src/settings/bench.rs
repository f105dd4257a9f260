//! `apicli bench`'s flags → the load to run. Every value is checked here, the `--expect`
//! expressions parsed and `-d`'s placeholders read, so that a mistake is exit 2 before any
//! call. The `--compare` report is bench's own data, so bench reads it, before it connects.

use std::{
    fmt,
    path::PathBuf,
    time::{Duration, SystemTime},
};

use super::{
    HeaderTemplate, NOT_TEXT, RequestData, Split, Target, UnknownFields, bound, expect,
    parse_duration, parse_target, read_bounded, read_text,
    schedule::{Ramp, Rise},
    start_at::parse_start_at,
};
use crate::{
    cli::{BenchArgs, DEFAULT_PORT, DataOrder, MAX_CONCURRENCY},
    exit::{UsageError, one_line},
    template::Template,
};

/// The most calls per second `--rps` takes.
const MAX_RPS: f64 = 10_000_000.0;
/// The shortest `--interval`.
const MIN_INTERVAL: Duration = Duration::from_millis(10);
/// `-n` when neither `-n` nor `-z` is given.
pub const DEFAULT_TOTAL: u64 = 200;

/// One load test.
#[derive(Debug)]
pub struct Bench {
    pub method: String,
    /// `-d`, read whole and split at its placeholders; `None` without `-d`.
    pub data: Option<Template>,
    /// `--data-order`, if given: which of several `-d` messages each call sends.
    pub data_order: Option<DataOrder>,
    /// What a `-d` field that the request message lacks does.
    pub unknown_fields: UnknownFields,
    /// The `-H` values with placeholders, filled in for each call (the others are the client
    /// settings' metadata).
    pub headers: Vec<HeaderTemplate>,
    /// Every `--addr`, as given and as resolved; the first is the settings' target.
    pub endpoints: Vec<(String, Target)>,
    /// `-c`; this part's share of it with `--split`, as are `stop` and `rps`.
    pub concurrency: u32,
    pub connections: u32,
    pub stop: StopAfter,
    /// `--rps`: an open loop at this rate; with a ramp, the rate it rises to.
    pub rps: Option<f64>,
    /// `--rps A:B` or `-c A:B` with `--ramp` or `--rps-step`: how the rate (with `rps`) or the
    /// concurrency (without) rises from the start of the load.
    pub ramp: Option<Ramp>,
    /// `--interval`: the length of each of the report's intervals.
    pub interval: Option<Duration>,
    /// `--hdr-log`: the interval log to write.
    pub hdr_log: Option<PathBuf>,
    /// `--html`: the page of charts to write beside the report.
    pub html: Option<PathBuf>,
    /// `--split I/N`: this generator's part of a load shared by N.
    pub split: Option<Split>,
    /// `--start-at`: when the load starts, after the connections are made.
    pub start_at: Option<SystemTime>,
    pub warmup: Option<Warmup>,
    pub threads: usize,
    pub expectations: Expectations,
    /// `--compare`: the file of the earlier report.
    pub compare: Option<PathBuf>,
}

impl Bench {
    /// The length of the intervals the run is measured in: `--interval`, or a second when
    /// `--hdr-log` or `--html` needs intervals that the report does not show; `None` when
    /// nothing asks for them, and the run keeps no intervals at all.
    pub fn measured_interval(&self) -> Option<Duration> {
        let needed = self.hdr_log.is_some() || self.html.is_some();
        self.interval.or(needed.then_some(Duration::from_secs(1)))
    }
}

/// What ends the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopAfter {
    /// `-n`: this many counted calls.
    Calls(u64),
    /// `-z`: this long after the warm-up.
    Time(Duration),
}

/// `--warmup`: calls that run first and are not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warmup {
    Calls(u64),
    Time(Duration),
}

/// The `--expect` expressions, parsed, with their text.
pub struct Expectations(pub Vec<(String, expect::Expectation)>);

impl fmt::Debug for Expectations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(text, _)| text))
            .finish()
    }
}

/// `addrs`: every `--addr` (or APICLI_ADDR), none meaning the default.
/// `-o text` prints messages, and bench prints a report.
pub fn text_is_for_messages() -> UsageError {
    UsageError(
        "-o text prints response messages; bench prints a report: -o table or -o json".into(),
    )
}

pub fn bench_settings(args: BenchArgs, addrs: &[String]) -> Result<Bench, UsageError> {
    let default_addr = [format!("127.0.0.1:{DEFAULT_PORT}")];
    let addrs = if addrs.is_empty() {
        &default_addr[..]
    } else {
        addrs
    };
    let endpoints = addrs
        .iter()
        .map(|addr| Ok((addr.clone(), parse_target(addr)?)))
        .collect::<Result<Vec<_>, UsageError>>()?;
    let tls = endpoints[0].1.is_tls();
    if let Some((addr, _)) = endpoints.iter().find(|(_, t)| t.is_tls() != tls) {
        return Err(UsageError(format!(
            "--addr {addr} {} TLS and --addr {} {}: give every address the same scheme",
            if tls { "does not use" } else { "uses" },
            endpoints[0].0,
            if tls { "does" } else { "does not" },
        )));
    }
    let split = args.split.as_deref().map(Split::parse).transpose()?;
    let (concurrency_from, asked_concurrency) = parse_concurrency(&args.concurrency)?;
    let concurrency = match split {
        None => asked_concurrency,
        Some(split) => {
            let share = split.share(u64::from(asked_concurrency));
            if share == 0 {
                return Err(UsageError(format!(
                    "--split {split} leaves this part no call in flight: -c {} is less than {} \
                     parts; give -c {} or more",
                    asked_concurrency, split.count, split.count
                )));
            }
            u32::try_from(share).unwrap_or(u32::MAX)
        }
    };
    let connections = match args.connections {
        Some(connections) if (connections as usize) < endpoints.len() => {
            return Err(UsageError(format!(
                "--connections {connections} cannot reach {} addresses: give at least one \
                 connection per --addr",
                endpoints.len()
            )));
        }
        Some(connections) => connections,
        None => u32::try_from(endpoints.len()).unwrap_or(u32::MAX),
    };
    if connections > concurrency {
        return Err(UsageError(match split {
            None => format!(
                "{connections} connections need at least as many calls in flight; raise -c {} \
                 to {connections} or more",
                asked_concurrency
            ),
            Some(split) => format!(
                "{connections} connections need at least as many calls in flight, and --split \
                 {split} gives this part {concurrency} of -c {}; raise -c or give fewer \
                 --connections",
                asked_concurrency
            ),
        }));
    }
    let stop = match (&args.total, &args.duration) {
        // Each part runs the whole time.
        (_, Some(duration)) => StopAfter::Time(parse_duration("-z/--duration", duration)?),
        (total, None) => {
            let total = total.unwrap_or(DEFAULT_TOTAL);
            match split {
                None => StopAfter::Calls(total),
                Some(split) => match split.share(total) {
                    0 => {
                        return Err(UsageError(format!(
                            "--split {split} leaves this part no call: -n {total} is less than \
                             {} parts; give -n {} or more",
                            split.count, split.count
                        )));
                    }
                    share => StopAfter::Calls(share),
                },
            }
        }
    };
    let rates = args.rps.as_deref().map(parse_rps).transpose()?;
    let share = |rate: f64| match split {
        Some(split) => split.rate_share(rate),
        None => rate,
    };
    let rps = rates.map(|(_, to)| share(to));
    let ramp = schedule(&args, rates, concurrency_from, stop)?.map(|ramp| Ramp {
        from: match (rates, split) {
            (None, Some(split)) => split.share(ramp.from as u64) as f64,
            _ => share(ramp.from),
        },
        to: if rates.is_some() {
            share(ramp.to)
        } else {
            f64::from(concurrency)
        },
        rise: match ramp.rise {
            Rise::Steps { step, every } => Rise::Steps {
                step: share(step),
                every,
            },
            linear => linear,
        },
    });
    let interval = args
        .interval
        .as_deref()
        .map(|value| {
            let interval = parse_duration("--interval", value)?;
            if interval < MIN_INTERVAL {
                return Err(UsageError(format!(
                    "bad --interval '{value}': the shortest is 10ms"
                )));
            }
            Ok(interval)
        })
        .transpose()?;
    let start_at = (args.start_at.as_deref())
        .map(|at| parse_start_at(at, SystemTime::now()))
        .transpose()?;
    let warmup = args.warmup.as_deref().map(parse_warmup).transpose()?;
    let expectations = args
        .expectations
        .iter()
        .map(|text| match expect::parse(text) {
            Ok(expectation) => Ok((text.clone(), expectation)),
            Err(why) => Err(UsageError(one_line(format!(
                "bad --expect '{text}': {why}"
            )))),
        })
        .collect::<Result<Vec<_>, UsageError>>()?;
    // clap requires METHOD unless `merge` is given, and `merge` never reaches here.
    let method = args.method.unwrap_or_default();
    super::split_method(&method)?;
    super::request_data::refuse_bare_at(args.data.as_deref())?;
    let data = read_template(&RequestData::from_arg(args.data.as_deref()))?;
    if args.data_order.is_some() && data.is_none() {
        return Err(UsageError(
            "--data-order chooses among the -d messages; give them with -d".into(),
        ));
    }
    Ok(Bench {
        method,
        data,
        data_order: args.data_order,
        unknown_fields: UnknownFields::from_flag(args.allow_unknown_fields),
        headers: Vec::new(),
        endpoints,
        concurrency,
        connections,
        stop,
        rps,
        ramp,
        interval,
        hdr_log: args.hdr_log,
        html: args.html,
        split,
        start_at,
        warmup,
        threads: match args.threads {
            Some(threads) => usize::from(threads),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        },
        expectations: Expectations(expectations),
        compare: args.compare,
    })
}

/// `-d`'s text (the file or stdin read whole), split at its placeholders.
fn read_template(data: &RequestData) -> Result<Option<Template>, UsageError> {
    let text = match data {
        RequestData::None => return Ok(None),
        RequestData::Inline(text) => text.clone(),
        RequestData::File(path) => read_text("-d", path, bound::REQUEST_TEXT)?,
        RequestData::Stdin => {
            let bytes = read_bounded(std::io::stdin(), bound::REQUEST_TEXT, None)
                .map_err(|why| UsageError(format!("-d @-: {why}")))?;
            String::from_utf8(bytes).map_err(|_| UsageError(format!("-d @-: {NOT_TEXT}")))?
        }
    };
    // A file of requests that holds none is a mistake, not a wish for empty messages.
    if !matches!(data, RequestData::Inline(_)) && text.trim().is_empty() {
        let shown = match data {
            RequestData::File(path) => super::named("-d", path),
            _ => "-d @-".to_owned(),
        };
        return Err(UsageError(one_line(format!(
            "{shown} holds no request message; give at least one, or leave -d out to send \
             empty messages"
        ))));
    }
    Template::parse(&text)
        .map(Some)
        .map_err(|err| UsageError(err.message("-d")))
}

/// `N`, or `A:B` from A (which may be 0) up to B: calls per second. `(N, N)` for `N`.
fn parse_rps(value: &str) -> Result<(f64, f64), UsageError> {
    // A single rate is refused in the words it always was.
    let ramp = value.contains(':');
    let bad = || {
        UsageError(format!(
            "bad --rps '{value}': expected calls per second, a number above 0 and at most \
             {MAX_RPS}{}",
            if ramp {
                ", or A:B to ramp from A up to B"
            } else {
                ""
            }
        ))
    };
    let rate = |word: &str| {
        let rate: f64 = word.trim().parse().map_err(|_| bad())?;
        if !(rate.is_finite() && (0.0..=MAX_RPS).contains(&rate)) {
            return Err(bad());
        }
        Ok(rate)
    };
    let (from, to) = match value.split_once(':') {
        Some((from, to)) => (rate(from)?, rate(to)?),
        None => {
            let rps = rate(value)?;
            (rps, rps)
        }
    };
    if to == 0.0 {
        return Err(bad());
    }
    if to < from {
        return Err(UsageError(format!(
            "bad --rps '{value}': a ramp rises, so B must be at least A"
        )));
    }
    Ok((from, to))
}

/// `-c`: `N`, or `A:B` from A up to B. The first of the pair is A (N for `N`).
fn parse_concurrency(value: &str) -> Result<(u32, u32), UsageError> {
    let bad = || {
        UsageError(format!(
            "bad -c '{value}': expected calls in flight, from 1 to {MAX_CONCURRENCY}, or A:B to \
             ramp from A up to B"
        ))
    };
    let number = |word: &str| {
        let n: u32 = word.trim().parse().map_err(|_| bad())?;
        if !(1..=MAX_CONCURRENCY).contains(&i64::from(n)) {
            return Err(bad());
        }
        Ok(n)
    };
    let (from, to) = match value.split_once(':') {
        Some((from, to)) => (number(from)?, number(to)?),
        None => {
            let n = number(value)?;
            (n, n)
        }
    };
    if to < from {
        return Err(UsageError(format!(
            "bad -c '{value}': a ramp rises, so B must be at least A"
        )));
    }
    Ok((from, to))
}

/// `S/E`: S calls per second more every E.
fn parse_step(value: &str) -> Result<(f64, Duration), UsageError> {
    let bad = |why: &str| UsageError(one_line(format!("bad --rps-step '{value}': {why}")));
    let (step, every) = value
        .split_once('/')
        .ok_or_else(|| bad("expected S/E, S calls per second more every E, e.g. 100/10s"))?;
    let step: f64 = step
        .trim()
        .parse()
        .ok()
        .filter(|step: &f64| step.is_finite() && *step > 0.0 && *step <= MAX_RPS)
        .ok_or_else(|| {
            bad(&format!(
                "S, calls per second, must be above 0 and at most {MAX_RPS}"
            ))
        })?;
    let every = parse_duration("--rps-step", every)
        .map_err(|_| bad("E must be a duration above zero, e.g. 10s"))?;
    Ok((step, every))
}

/// The ramp that `--rps A:B`, `-c A:B`, `--ramp` and `--rps-step` ask for, before `--split`
/// divides it: a rate ramp when `rates` are given, else a concurrency ramp. Every mix that
/// makes no schedule is refused.
fn schedule(
    args: &BenchArgs,
    rates: Option<(f64, f64)>,
    concurrency_from: u32,
    stop: StopAfter,
) -> Result<Option<Ramp>, UsageError> {
    let (_, concurrency_to) = parse_concurrency(&args.concurrency)?;
    let concurrency_range = concurrency_from != concurrency_to || args.concurrency.contains(':');
    let rate_range = args.rps.as_deref().is_some_and(|rps| rps.contains(':'));
    let ramp = args
        .ramp
        .as_deref()
        .map(|value| parse_duration("--ramp", value))
        .transpose()?;
    let step = args.rps_step.as_deref().map(parse_step).transpose()?;
    if concurrency_range && rates.is_some() {
        return Err(UsageError(
            "-c A:B ramps the closed loop; with --rps, -c is the open loop's limit of calls in \
             flight: give it one number"
                .into(),
        ));
    }
    let ramp = match (ramp, step) {
        (Some(_), Some(_)) => {
            return Err(UsageError(
                "--ramp and --rps-step are two ways to rise: give one of them".into(),
            ));
        }
        (None, None) if rate_range => {
            return Err(UsageError(format!(
                "--rps {} is a ramp: give --ramp DURATION to rise linearly, or --rps-step S/E",
                args.rps.as_deref().unwrap_or_default()
            )));
        }
        (None, None) if concurrency_range => {
            return Err(UsageError(format!(
                "-c {} is a ramp: give --ramp DURATION to rise over",
                args.concurrency
            )));
        }
        (None, None) => return Ok(None),
        (Some(over), None) => {
            let (from, to) = match rates {
                Some(rates) if rate_range => rates,
                None if concurrency_range => {
                    (f64::from(concurrency_from), f64::from(concurrency_to))
                }
                _ => {
                    return Err(UsageError(
                        "--ramp needs a range to rise over: --rps A:B or -c A:B".into(),
                    ));
                }
            };
            Ramp {
                from,
                to,
                rise: Rise::Linear(over),
            }
        }
        (None, Some((step, every))) => {
            let Some((from, to)) = rates else {
                return Err(UsageError(format!(
                    "--rps-step steps up the open loop's rate: give --rps, the rate to step up \
                     to{}",
                    if concurrency_range {
                        " (-c A:B ramps with --ramp)"
                    } else {
                        ""
                    }
                )));
            };
            Ramp {
                // From S with --rps B.
                from: if rate_range { from } else { step.min(to) },
                to,
                rise: Rise::Steps { step, every },
            }
        }
    };
    let what = match ramp.rise {
        Rise::Linear(_) => format!("--ramp {}", args.ramp.as_deref().unwrap_or_default()),
        Rise::Steps { .. } => format!(
            "--rps-step {} (reaching {} calls/s after {})",
            args.rps_step.as_deref().unwrap_or_default(),
            ramp.to,
            humantime::format_duration(ramp.length())
        ),
    };
    match stop {
        StopAfter::Time(length) if ramp.length() <= length => Ok(Some(ramp)),
        StopAfter::Time(_) => Err(UsageError(format!(
            "{what} is longer than -z {}: the run would end before the ramp does; give a \
             longer -z or a shorter ramp",
            args.duration.as_deref().unwrap_or_default().trim()
        ))),
        StopAfter::Calls(_) => Err(UsageError(format!(
            "{what} needs -z: a ramp is a schedule in time, so give the run's length with -z, \
             at least the ramp's"
        ))),
    }
}

/// A number of calls (`500`) or a time (`2s`).
fn parse_warmup(value: &str) -> Result<Warmup, UsageError> {
    if let Ok(calls) = value.trim().parse::<u64>() {
        return Ok(Warmup::Calls(calls));
    }
    match super::values::parse_duration_allow_zero("--warmup", value) {
        // No warm-up, as `--warmup 0` says.
        Ok(time) if time.is_zero() => Ok(Warmup::Calls(0)),
        Ok(time) => Ok(Warmup::Time(time)),
        Err(_) => Err(UsageError(format!(
            "bad --warmup '{value}': expected a number of calls (e.g. 500) or a time (e.g. 2s)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates() {
        assert_eq!(parse_rps("2000").unwrap(), (2000.0, 2000.0));
        assert_eq!(parse_rps("0.5").unwrap(), (0.5, 0.5));
        assert_eq!(parse_rps("0:100").unwrap(), (0.0, 100.0));
        assert_eq!(parse_rps(" 10 : 10 ").unwrap(), (10.0, 10.0));
        for bad in [
            "0", "-1", "fast", "NaN", "inf", "1e9", "0:0", "1:", ":5", "1:2:3", "5:1e9",
        ] {
            let err = parse_rps(bad).unwrap_err();
            assert!(
                err.0.starts_with(&format!("bad --rps '{bad}'")),
                "{}",
                err.0
            );
        }
    }

    #[test]
    fn concurrencies() {
        assert_eq!(parse_concurrency("50").unwrap(), (50, 50));
        assert_eq!(parse_concurrency("1:100").unwrap(), (1, 100));
        for bad in ["0", "0:10", "-1", "many", "1:100001", "10:"] {
            let err = parse_concurrency(bad).unwrap_err().0;
            assert!(err.starts_with(&format!("bad -c '{bad}'")), "{err}");
        }
        let err = parse_concurrency("10:5").unwrap_err().0;
        assert!(err.contains("B must be at least A"), "{err}");
        let err = parse_rps("10:5").unwrap_err().0;
        assert!(err.contains("B must be at least A"), "{err}");
    }

    #[test]
    fn steps() {
        assert_eq!(
            parse_step("100/10s").unwrap(),
            (100.0, Duration::from_secs(10))
        );
        for bad in ["100", "0/1s", "x/1s", "100/0s", "100/soon", "/1s"] {
            let err = parse_step(bad).unwrap_err().0;
            assert!(err.starts_with(&format!("bad --rps-step '{bad}'")), "{err}");
        }
    }

    #[test]
    fn warmups() {
        assert_eq!(parse_warmup("500").unwrap(), Warmup::Calls(500));
        assert_eq!(
            parse_warmup("2s").unwrap(),
            Warmup::Time(Duration::from_secs(2))
        );
        let err = parse_warmup("soon").unwrap_err();
        assert!(err.0.contains("number of calls"), "{}", err.0);
        assert!(parse_warmup("-3").is_err());
        // No warm-up, whichever way it is said.
        assert_eq!(parse_warmup("0").unwrap(), Warmup::Calls(0));
        assert_eq!(parse_warmup("0s").unwrap(), Warmup::Calls(0));
    }
}

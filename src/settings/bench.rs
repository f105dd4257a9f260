//! `apicli bench`'s flags → the load to run. Every value is checked here, the `--expect`
//! expressions parsed and `-d`'s placeholders read, so that a mistake is exit 2 before any
//! call. The `--compare` report is bench's own data, so bench reads it, before it connects.

use std::{
    fmt,
    path::PathBuf,
    time::{Duration, SystemTime},
};

use super::{
    HeaderTemplate, NOT_TEXT, RequestData, Split, Target, bound, expect, parse_duration,
    parse_target, read_bounded, read_text, start_at::parse_start_at,
};
use crate::{
    cli::{BenchArgs, DEFAULT_PORT, DataOrder},
    exit::{UsageError, one_line},
    template::Template,
};

/// The most calls per second `--rps` takes.
const MAX_RPS: f64 = 10_000_000.0;
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
    /// The `-H` values with placeholders, filled in for each call (the others are the client
    /// settings' metadata).
    pub headers: Vec<HeaderTemplate>,
    /// Every `--addr`, as given and as resolved; the first is the settings' target.
    pub endpoints: Vec<(String, Target)>,
    /// `-c`; this part's share of it with `--split`, as are `stop` and `rps`.
    pub concurrency: u32,
    pub connections: u32,
    pub stop: StopAfter,
    /// `--rps`: an open loop at this rate.
    pub rps: Option<f64>,
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
    let concurrency = match split {
        None => args.concurrency,
        Some(split) => {
            let share = split.share(u64::from(args.concurrency));
            if share == 0 {
                return Err(UsageError(format!(
                    "--split {split} leaves this part no call in flight: -c {} is less than {} \
                     parts; give -c {} or more",
                    args.concurrency, split.count, split.count
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
                args.concurrency
            ),
            Some(split) => format!(
                "{connections} connections need at least as many calls in flight, and --split \
                 {split} gives this part {concurrency} of -c {}; raise -c or give fewer \
                 --connections",
                args.concurrency
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
    let rps = args.rps.as_deref().map(parse_rps).transpose()?;
    let rps = match split {
        Some(split) => rps.map(|rps| split.rate_share(rps)),
        None => rps,
    };
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
        headers: Vec::new(),
        endpoints,
        concurrency,
        connections,
        stop,
        rps,
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

fn parse_rps(value: &str) -> Result<f64, UsageError> {
    let bad = || {
        UsageError(format!(
            "bad --rps '{value}': expected calls per second, a number above 0 and at most {MAX_RPS}"
        ))
    };
    let rps: f64 = value.trim().parse().map_err(|_| bad())?;
    if !(rps > 0.0 && rps <= MAX_RPS) {
        return Err(bad());
    }
    Ok(rps)
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
        assert_eq!(parse_rps("2000").unwrap(), 2000.0);
        assert_eq!(parse_rps("0.5").unwrap(), 0.5);
        for bad in ["0", "-1", "fast", "NaN", "inf", "1e9"] {
            let err = parse_rps(bad).unwrap_err();
            assert!(
                err.0.starts_with(&format!("bad --rps '{bad}'")),
                "{}",
                err.0
            );
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

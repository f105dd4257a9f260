//! `apicli bench`'s arguments: the method and requests, the load, and the report's checks; and
//! those of `apicli bench merge`, which reads reports instead of making calls.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::DescriptorArgs;

/// `apicli bench [ADDR] METHOD …` runs a load; `apicli bench merge REPORT…` merges reports. A
/// METHOD is `SERVICE/METHOD`, `SERVICE.METHOD` or a URL, and an ADDR holds `:` or `//`, never
/// the bare word `merge`, so the two cannot be mistaken for each other, and `bench METHOD …`
/// parses as it always has.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    disable_help_subcommand = true,
    allow_missing_positional = true
)]
pub struct BenchArgs {
    /// The server's address, instead of --addr: host:port, http(s)://host:port or unix:/path
    #[arg(value_name = "ADDR")]
    pub address: Option<String>,

    /// SERVICE/METHOD (also SERVICE.METHOD, or with a leading /), or both address and method
    /// as one URL: http(s)://host:port/SERVICE/METHOD
    #[arg(required = true)]
    pub method: Option<String>,

    /// The request messages of every call, as for call; {{ n }} (the call's number), {{uuid}}
    /// and {{rand A B}} (an integer from A to B) are filled in for each call. Several messages
    /// for a unary or server-streaming method: one per call, in turn (see --data-order);
    /// client-streaming and bidi calls send them all, each call
    #[arg(short, long, value_name = "JSON|@FILE|@-")]
    pub data: Option<String>,

    /// With several -d messages for a method that takes one: send them in turn, or pick one at
    /// random for each call
    #[arg(long, value_enum, value_name = "ORDER")]
    pub data_order: Option<DataOrder>,

    /// Skip the -d fields that the request message does not have, instead of refusing them
    #[arg(long)]
    pub allow_unknown_fields: bool,

    /// Calls in flight at once; A:B with --ramp rises from A to B (closed loop)
    #[arg(
        help_heading = "Load options",
        short,
        long,
        default_value = "50",
        value_name = "N|A:B"
    )]
    pub concurrency: String,

    /// HTTP/2 connections, the calls spread over them [default: one per --addr]
    #[arg(help_heading = "Load options", long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=MAX_CONNECTIONS))]
    pub connections: Option<u32>,

    /// Stop after this many calls (warm-up calls not counted) [default: 200]
    #[arg(help_heading = "Load options", short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), conflicts_with = "duration")]
    pub total: Option<u64>,

    /// Stop after this long (e.g. 10s, 1m); calls still in flight then are not counted
    #[arg(
        help_heading = "Load options",
        short = 'z',
        long,
        value_name = "DURATION"
    )]
    pub duration: Option<String>,

    /// Start this many calls per second whatever the answers (open loop); latency counts from
    /// each call's scheduled start. A:B rises from A to B, with --ramp or --rps-step
    #[arg(help_heading = "Load options", long, value_name = "N|A:B")]
    pub rps: Option<String>,

    /// Rise linearly from --rps A:B's A to B (or -c A:B's) over this long, then hold B; the
    /// ramp counts from the load's start, warm-up included, and needs -z at least as long
    #[arg(help_heading = "Load options", long, value_name = "DURATION")]
    pub ramp: Option<String>,

    /// Add S calls per second every E (e.g. 100/10s) up to --rps's B: from A with --rps A:B,
    /// from S with --rps B; needs -z at least as long as the steps
    #[arg(help_heading = "Load options", long, value_name = "S/E")]
    pub rps_step: Option<String>,

    /// Run this many calls (N) or this long (e.g. 2s) first, and do not count them
    #[arg(help_heading = "Load options", long, value_name = "N|DURATION")]
    pub warmup: Option<String>,

    /// This generator's part of a load shared by N: -n, -c and --rps are divided among the
    /// parts (the first ones take the remainders), so that N identical commands make the whole;
    /// I counts from 0 (0/4 to 3/4), as a Kubernetes Indexed Job's JOB_COMPLETION_INDEX does;
    /// with -z each part runs the whole time
    #[arg(help_heading = "Load options", long, value_name = "I/N")]
    pub split: Option<String>,

    /// Connect first, then wait, and start the load at this time: RFC 3339
    /// (2026-12-05T10:00:00Z) or +DURATION from now (+30s), so that several generators start
    /// together
    #[arg(help_heading = "Load options", long, value_name = "TIME")]
    pub start_at: Option<String>,

    /// Runtime threads making the calls [default: one per core]
    #[arg(help_heading = "Load options", long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Report req/s, p50, p99 and errors for each interval of this length (e.g. 1s) from the
    /// run's start, in the table and in -o json's intervals
    #[arg(long, value_name = "DURATION")]
    pub interval: Option<String>,

    /// Write each interval's latency histogram (µs) to this HdrHistogram interval log, as
    /// HistogramLogAnalyzer reads it (every --interval, or every second)
    #[arg(long, value_name = "FILE.hlog")]
    pub hdr_log: Option<PathBuf>,

    /// Also write the report as one self-contained HTML page with charts: latency and req/s
    /// over time (in intervals of --interval, or of 1s), the latency histogram and the summary
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// A condition on the report (e.g. 'p99<5ms', 'errors=0', 'rps>=10000'); exit 3 when one is
    /// not met (repeatable)
    #[arg(long = "expect", value_name = "EXPR")]
    pub expectations: Vec<String>,

    /// Print each figure beside the same figure of an earlier -o json report, with the change
    #[arg(long, value_name = "REPORT.json")]
    pub compare: Option<PathBuf>,

    #[command(flatten)]
    pub descriptors: DescriptorArgs,

    #[command(subcommand)]
    pub tool: Option<BenchTool>,
}

#[derive(Debug, Subcommand)]
pub enum BenchTool {
    /// Merge the -o json reports of runs (one load split over machines) into one report, with
    /// exact percentiles
    Merge(BenchMergeArgs),
}

#[derive(Debug, Args)]
pub struct BenchMergeArgs {
    /// A report of 'apicli bench -o json', or - for stdin; a file or stdin may hold several, one
    /// per line (NDJSON)
    #[arg(required = true, value_name = "REPORT")]
    pub reports: Vec<PathBuf>,

    /// A condition on the merged report (e.g. 'p99<5ms', 'errors=0', 'rps>=10000'); exit 3 when
    /// one is not met (repeatable)
    #[arg(long = "expect", value_name = "EXPR")]
    pub expectations: Vec<String>,

    /// Print each figure of the merged report beside the same figure of an earlier -o json report
    #[arg(long, value_name = "REPORT.json")]
    pub compare: Option<PathBuf>,

    /// Also write the merged report as one self-contained HTML page with charts: each part's
    /// req/s and latency, the latency histogram and the summary
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// `--data-order`: which of several `-d` messages each call sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DataOrder {
    /// The first message, then the next, and after the last the first again
    #[default]
    Sequential,
    /// Any of them, picked for each call
    Random,
}

/// The most calls `bench` keeps in flight.
pub const MAX_CONCURRENCY: i64 = 100_000;
/// The most connections `bench` opens.
pub const MAX_CONNECTIONS: i64 = 10_000;

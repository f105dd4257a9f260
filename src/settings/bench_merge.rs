//! `apicli bench merge`'s arguments → what to merge and how to judge the result. The `--expect`
//! expressions are parsed here, so that a bad one is exit 2 before any report is read.

use std::path::PathBuf;

use super::{Expectations, OutputFormat, expect};
use crate::{
    cli::{self, BenchMergeArgs, GlobalArgs},
    exit::UsageError,
};

/// One merge of reports.
#[derive(Debug)]
pub struct BenchMerge {
    /// The reports' inputs, in the order given.
    pub inputs: Vec<ReportInput>,
    pub output: OutputFormat,
    pub expectations: Expectations,
    /// `--compare`: the file of an earlier report, to print the merged figures beside.
    pub compare: Option<PathBuf>,
    /// `--html`: the page of charts to write beside the merged report.
    pub html: Option<PathBuf>,
}

/// Where reports are read: each holds one or more, one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportInput {
    File(PathBuf),
    /// `-`.
    Stdin,
}

impl ReportInput {
    /// How messages name it: the path as given, or `stdin`.
    pub fn name(&self) -> String {
        match self {
            ReportInput::File(path) => path.display().to_string(),
            ReportInput::Stdin => "stdin".to_owned(),
        }
    }
}

pub fn bench_merge_settings(
    global: &GlobalArgs,
    args: BenchMergeArgs,
) -> Result<BenchMerge, UsageError> {
    let inputs: Vec<ReportInput> = args
        .reports
        .into_iter()
        .map(|path| match path.to_str() {
            Some("-") => ReportInput::Stdin,
            _ => ReportInput::File(path),
        })
        .collect();
    if inputs.iter().filter(|i| **i == ReportInput::Stdin).count() > 1 {
        return Err(UsageError(
            "- (stdin) is given more than once; give it once, with every report on its own line"
                .to_owned(),
        ));
    }
    Ok(BenchMerge {
        inputs,
        output: match global.output {
            Some(cli::OutputFormat::Json) => OutputFormat::Json,
            Some(cli::OutputFormat::Text) => return Err(super::bench::text_is_for_messages()),
            Some(cli::OutputFormat::Table) | None => OutputFormat::Table,
        },
        expectations: Expectations(expect::parse_flags(&args.expectations)?),
        compare: args.compare,
        html: args.html,
    })
}

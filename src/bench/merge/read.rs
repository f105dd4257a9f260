//! The reports in `bench merge`'s inputs: each a file or stdin holding one report (as `-o json`
//! writes it, or pretty-printed) or several, one after another (NDJSON, as `kubectl logs` of
//! several pods puts them together). One input is read at a time and its reports handed on
//! one by one, so that memory holds an input's text and one report, whatever their number.

use std::fmt;

use serde::de::IgnoredAny;
use serde_json::{Deserializer, Value};

use crate::{
    bench::{
        compare::{EXPECTED, report_of},
        report::Report,
    },
    settings::{ReportInput, bound, read_bounded, read_path},
};

/// Where a report was read: its input, and its line when the input holds several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    input: ReportInput,
    line: Option<usize>,
}

impl Source {
    /// As a part's `source` gives it: `runs/a.json`, `runs/all.ndjson line 3`, `stdin line 2`.
    pub fn plain(&self) -> String {
        match self.line {
            Some(line) => format!("{} line {line}", self.input.name()),
            None => self.input.name(),
        }
    }
}

impl fmt::Display for Source {
    /// As messages name it: `'runs/a.json'`, `'runs/all.ndjson' line 3`, `stdin line 2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.input {
            ReportInput::File(path) => write!(f, "'{}'", path.display())?,
            ReportInput::Stdin => f.write_str("stdin")?,
        }
        match self.line {
            Some(line) => write!(f, " line {line}"),
            None => Ok(()),
        }
    }
}

/// Why a report cannot be merged, and which.
pub type Refusal = (Source, String);

/// Hands each report of `input` to `each`, in order, with where it was read. Stops at the first
/// refusal, of reading or of `each`.
pub fn each_report(
    input: &ReportInput,
    mut each: impl FnMut(Source, Report) -> Result<(), Refusal>,
) -> Result<(), Refusal> {
    let whole = Source {
        input: input.clone(),
        line: None,
    };
    let bytes = match input {
        ReportInput::File(path) => read_path(path, bound::REPORTS),
        ReportInput::Stdin => read_bounded(std::io::stdin().lock(), bound::REPORTS, None),
    }
    .map_err(|why| (whole.clone(), why))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err((whole, "holds no report: it is empty".to_owned()));
    }
    // Several reports are told apart by their lines; one is named by its input alone.
    let several = Deserializer::from_slice(&bytes)
        .into_iter::<IgnoredAny>()
        .take(2)
        .filter(Result::is_ok)
        .count()
        > 1;
    let mut values = Values::new(&bytes);
    while let Some((line, value)) = values.next() {
        let source = Source {
            input: input.clone(),
            line: (several || value.is_err()).then_some(line),
        };
        let value = value.map_err(|err| {
            // Where a report that is JSON at first breaks off helps; "column 1" does not.
            let why = if err.column() <= 1 && err.line() == 1 {
                format!("not JSON ({EXPECTED})")
            } else {
                format!("not JSON ({EXPECTED}): {err}; cut short?")
            };
            (source.clone(), why)
        })?;
        let report = report_of(value).map_err(|why| (source.clone(), why))?;
        each(source, report)?;
    }
    Ok(())
}

/// The JSON values of a text, one after another, each with the line it begins on.
struct Values<'a> {
    bytes: &'a [u8],
    stream: serde_json::StreamDeserializer<'a, serde_json::de::SliceRead<'a>, Value>,
    /// Lines counted up to `counted`.
    line: usize,
    counted: usize,
}

impl<'a> Values<'a> {
    fn new(bytes: &'a [u8]) -> Values<'a> {
        Values {
            bytes,
            stream: Deserializer::from_slice(bytes).into_iter(),
            line: 1,
            counted: 0,
        }
    }

    fn next(&mut self) -> Option<(usize, serde_json::Result<Value>)> {
        let after = self.stream.byte_offset();
        let start = after
            + self.bytes[after..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        self.line += self.bytes[self.counted..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.counted = start;
        let value = self.stream.next()?;
        Some((self.line, value))
    }
}

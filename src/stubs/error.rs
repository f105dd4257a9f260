//! A stub file that cannot be served: where, and why, in one line.

use std::{fmt, sync::Arc};

use crate::spanned::{Position, SpanError};

/// `file:line:column: message`. A file that cannot be read at all has line 0, and shows as
/// `file: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StubError {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for StubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file, self.message),
            line => write!(f, "{}:{line}:{}: {}", self.file, self.column, self.message),
        }
    }
}

impl std::error::Error for StubError {}

impl StubError {
    /// An error at `at` in `file`, its message on one line.
    pub(crate) fn at(file: &Arc<str>, at: Position, message: impl Into<String>) -> StubError {
        StubError {
            file: Arc::clone(file),
            line: at.line,
            column: at.column,
            message: crate::exit::one_line(message.into()),
        }
    }

    pub(crate) fn from_span(file: &Arc<str>, err: SpanError) -> StubError {
        StubError::at(file, err.at, err.message)
    }
}

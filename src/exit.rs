//! Exit codes, and how an error decides the one the process ends with.
//!
//! | exit | when |
//! |---|---|
//! | 0 | success, or stdout closed early (`apicli stream | head -1`) |
//! | 1 | a failure outside an RPC status: cannot connect, I/O error |
//! | 2 | usage: unknown flag, bad header, bad duration, bad address, length out of range |
//! | 3 | `apicli health`: the server answered, and the service is not SERVING; `apicli bench`: an `--expect` condition was not met; `apicli serve --report-unused`: a stub never matched |
//! | 64 + gRPC code | the call ended with a non-OK status (67 INVALID_ARGUMENT, 68 DEADLINE_EXCEEDED…) |
//! | 130 | interrupted by Ctrl-C |

mod json;

use std::io;

use tonic::Code;

pub use json::error_json;

pub const SUCCESS: u8 = 0;
pub const FAILURE: u8 = 1;
pub const USAGE: u8 = 2;
pub const NOT_SERVING: u8 = 3;
/// `apicli serve --report-unused`: some stubs never matched a call.
pub const UNUSED_STUBS: u8 = 3;
pub const STATUS_BASE: u8 = 64;
pub const INTERRUPTED: u8 = 130;

/// A bad command line: exit 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// An error message with its control characters escaped (a newline in the text it quotes
/// becomes `\n`), so that it prints on one line.
pub fn one_line(message: String) -> String {
    if !message.contains(char::is_control) {
        return message;
    }
    message
        .chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

/// A call that ended with a non-OK gRPC status: exit 64 + code.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", code_name(*.code))]
pub struct StatusError {
    pub code: Code,
    /// The status message, with whatever the user needs to act on it.
    pub message: String,
    /// The details the status carried (`grpc-status-details-bin`), one JSON object each.
    pub details: Vec<String>,
    /// The metadata the status came with, as (name, value): a `-bin` value in base64, and
    /// credentials redacted.
    pub trailers: Vec<(String, String)>,
    /// How many messages went each way before the call ended.
    pub tally: Tally,
}

impl StatusError {
    /// A status of apicli's own, with no details or trailers.
    pub fn new(code: Code, message: String) -> StatusError {
        StatusError {
            code,
            message,
            details: Vec::new(),
            trailers: Vec::new(),
            tally: Tally::default(),
        }
    }
}

/// How many messages a call had sent and received when it ended, as far as it counts them:
/// `sent` for calls that stream requests, `received` once the response had begun, `expected`
/// for a typed stream's length. Written as the words in parentheses after an error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub sent: Option<u64>,
    pub received: Option<u64>,
    pub expected: Option<i32>,
}

impl Tally {
    /// A stream of requests: `sent` so far, and `received`.
    pub fn both_ways(sent: u64, received: u64) -> Tally {
        Tally {
            sent: Some(sent),
            received: Some(received),
            expected: None,
        }
    }

    /// A stream of responses, of `expected` items if the command asked for a number.
    pub fn received(received: u64, expected: Option<i32>) -> Tally {
        Tally {
            sent: None,
            received: Some(received),
            expected,
        }
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        match (self.sent, self.received, self.expected) {
            (Some(sent), received, _) => write!(
                f,
                "{sent} message{} sent, {} arrived",
                plural(sent),
                received.unwrap_or(0)
            ),
            (None, Some(received), Some(length)) => {
                write!(f, "{received} of {length} items arrived")
            }
            (None, Some(received), None) => {
                write!(f, "{received} message{} arrived", plural(received))
            }
            (None, None, _) => Ok(()),
        }
    }
}

/// `apicli health` got an answer other than SERVING: exit 3.
#[derive(Debug, thiserror::Error)]
#[error("{service} is {status}")]
pub struct NotServing {
    /// The service checked, or "the server" for the whole server.
    pub service: String,
    pub status: String,
}

/// `apicli bench`: the report is out, and these `--expect` conditions were not met, one line
/// each: exit 3.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.join("; "))]
pub struct Unmet(pub Vec<String>);

/// `apicli serve --report-unused` stopped, and this many stubs never matched a call (each was
/// named on its own line): exit 3.
#[derive(Debug, thiserror::Error)]
#[error("{} {} never matched a call", .0, if *.0 == 1 { "stub" } else { "stubs" })]
pub struct UnusedStubs(pub usize);

/// Ctrl-C: exit 130. Holds what had arrived by then, if anything.
#[derive(Debug, thiserror::Error)]
#[error("interrupted{}", if .0.is_empty() { String::new() } else { format!(" ({})", .0) })]
pub struct Interrupted(pub String);

/// What the process does with an error: the exit code, and whether to say anything.
#[derive(Debug, PartialEq, Eq)]
pub struct Verdict {
    pub code: u8,
    pub quiet: bool,
}

/// Decides the exit code for an error that ended the run.
pub fn verdict(err: &anyhow::Error) -> Verdict {
    let loud = |code| Verdict { code, quiet: false };
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<io::Error>()
            && io.kind() == io::ErrorKind::BrokenPipe
        {
            // The reader went away (`| head`): not an error, and nothing to say.
            return Verdict {
                code: SUCCESS,
                quiet: true,
            };
        }
        if cause.is::<UsageError>() {
            return loud(USAGE);
        }
        if let Some(status) = cause.downcast_ref::<StatusError>() {
            return loud(status_exit_code(status.code));
        }
        if cause.is::<NotServing>() || cause.is::<Unmet>() {
            return loud(NOT_SERVING);
        }
        if cause.is::<UnusedStubs>() {
            return loud(UNUSED_STUBS);
        }
        if cause.is::<Interrupted>() {
            return loud(INTERRUPTED);
        }
    }
    loud(FAILURE)
}

/// 64 + the numeric gRPC status code.
pub fn status_exit_code(code: Code) -> u8 {
    STATUS_BASE + code as u8
}

/// The canonical name of a status code, as gRPC's documentation spells it.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

/// `No such file or directory (os error 2)` → `no such file or directory`.
pub fn io_words(err: &std::io::Error) -> String {
    let text = err.to_string();
    let text = text
        .find(" (os error")
        .map_or(text.as_str(), |at| &text[..at]);
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn status_codes_map_to_64_plus_code() {
        assert_eq!(status_exit_code(Code::InvalidArgument), 67);
        assert_eq!(status_exit_code(Code::DeadlineExceeded), 68);
        assert_eq!(status_exit_code(Code::Unauthenticated), 80);
        assert_eq!(status_exit_code(Code::Cancelled), 65);
    }

    #[test]
    fn verdicts() {
        let status = anyhow::Error::new(StatusError::new(Code::NotFound, "no such thing".into()));
        assert_eq!(status.to_string(), "NOT_FOUND: no such thing");
        assert_eq!(
            verdict(&status),
            Verdict {
                code: 69,
                quiet: false
            }
        );

        let usage = anyhow::Error::new(UsageError("bad".into()));
        assert_eq!(verdict(&usage).code, USAGE);

        let pipe: anyhow::Result<()> = Err(io::Error::from(io::ErrorKind::BrokenPipe).into());
        let pipe = pipe.context("writing the output").unwrap_err();
        assert_eq!(
            verdict(&pipe),
            Verdict {
                code: SUCCESS,
                quiet: true
            }
        );

        assert_eq!(
            verdict(&anyhow::Error::new(Interrupted(String::new()))).code,
            INTERRUPTED
        );
        assert_eq!(verdict(&anyhow::anyhow!("cannot connect")).code, FAILURE);
        let unmet = anyhow::Error::new(Unmet(vec!["p99 is 7ms, not < 5ms".into()]));
        assert_eq!(verdict(&unmet).code, 3);
        let unused = anyhow::Error::new(UnusedStubs(2));
        assert_eq!(unused.to_string(), "2 stubs never matched a call");
        assert_eq!(verdict(&unused).code, UNUSED_STUBS);
    }

    #[test]
    fn code_names_are_canonical() {
        assert_eq!(code_name(Code::DeadlineExceeded), "DEADLINE_EXCEEDED");
        assert_eq!(code_name(Code::Unauthenticated), "UNAUTHENTICATED");
    }
}

//! What a failed call is counted as: its status and the message it is grouped by, and whether
//! its connection broke (so that the connection is made again).

use std::{borrow::Cow, error::Error as _, io};

use tonic::{Code, Status};

use crate::settings::io_words;

/// The status a failed call counts under, and the message it is grouped by. A call that the
/// connection failed (refused, reset, closed) counts as UNAVAILABLE, whatever the transport
/// layer called it; `addr` names the connection's endpoint in its message.
pub fn failure<'a>(status: &'a Status, addr: &str) -> (Code, Cow<'a, str>) {
    if let Some(source) = status.source()
        && matches!(
            status.code(),
            Code::Unknown | Code::Internal | Code::Cancelled | Code::Unavailable
        )
    {
        let mut reason = String::new();
        let mut next = Some(source);
        while let Some(cause) = next {
            reason = match cause.downcast_ref::<io::Error>() {
                Some(io) => io_words(io),
                None => cause.to_string(),
            };
            next = cause.source();
        }
        return (
            Code::Unavailable,
            Cow::Owned(format!("the connection to {addr} failed: {reason}")),
        );
    }
    let message = match status.message() {
        "" => Cow::Borrowed("the server sent no message"),
        message => Cow::Borrowed(message),
    };
    (status.code(), message)
}

/// Whether a failed call says that its connection broke (refused, reset, closed, gone away),
/// rather than that the server or the call's deadline ended the call. A stream that the server
/// reset (say, REFUSED_STREAM) leaves the connection working.
pub fn connection_broke(status: &Status) -> bool {
    let Some(source) = status.source() else {
        return false;
    };
    if !matches!(
        status.code(),
        Code::Unknown | Code::Internal | Code::Cancelled | Code::Unavailable
    ) {
        return false;
    }
    let mut next = Some(source);
    while let Some(cause) = next {
        if cause
            .downcast_ref::<h2::Error>()
            .is_some_and(|h2| h2.is_reset() && !h2.is_go_away())
        {
            return false;
        }
        next = cause.source();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_failures_count_as_unavailable() {
        let server = Status::permission_denied("no");
        assert_eq!(
            failure(&server, "h:1"),
            (Code::PermissionDenied, "no".into())
        );
        let silent = Status::internal("");
        assert_eq!(failure(&silent, "h:1").1, "the server sent no message");
        let reset = Status::from_error(Box::new(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "Connection reset by peer (os error 104)",
        )));
        let (code, message) = failure(&reset, "h:1");
        assert_eq!(code, Code::Unavailable);
        assert_eq!(
            message,
            "the connection to h:1 failed: connection reset by peer"
        );
    }
}

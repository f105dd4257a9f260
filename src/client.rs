//! Talking to the server: the channel, the generated stub, and the metadata and deadline that
//! go on every call. Failures become errors that say what the user can do about them.

use std::{error::Error as _, io, time::Duration};

use anyhow::anyhow;
use tonic::{Request, Status, transport::Channel};

use crate::{api::api_client::ApiClient, exit::StatusError, settings::ClientSettings};

/// Connects within `--connect-timeout` and returns the stub, ready to call.
pub async fn connect(settings: &ClientSettings) -> anyhow::Result<ApiClient<Channel>> {
    let endpoint = Channel::builder(settings.target.clone())
        .connect_timeout(settings.connect_timeout)
        .tcp_nodelay(true);
    let channel = match tokio::time::timeout(settings.connect_timeout, endpoint.connect()).await {
        Ok(Ok(channel)) => channel,
        Ok(Err(err)) => return Err(connect_error(settings, &err)),
        Err(_) => return Err(timed_out(settings)),
    };
    Ok(ApiClient::new(channel).max_decoding_message_size(settings.max_message_size))
}

/// A request carrying the user's metadata and the time left before the deadline, which is sent
/// as `grpc-timeout`.
pub fn request<T>(
    settings: &ClientSettings,
    message: T,
    time_left: Option<Duration>,
) -> Request<T> {
    let mut request = Request::new(message);
    for header in &settings.metadata {
        header.append_to(request.metadata_mut());
    }
    if let Some(time_left) = time_left {
        request.set_timeout(time_left);
    }
    request
}

/// Turns a non-OK status into the error the user sees, adding what they can do about it.
pub fn status_error(status: &Status, settings: &ClientSettings) -> StatusError {
    let message = status.message();
    if let Some(found) = oversized_response(status) {
        return StatusError {
            code: tonic::Code::ResourceExhausted,
            message: format!(
                "the response message is {}, over the {} limit; raise it with \
                 --max-message-size (e.g. --max-message-size 64MiB) or use 'apicli stream'",
                bytesize::ByteSize::b(found),
                bytesize::ByteSize::b(settings.max_message_size as u64)
            ),
        };
    }
    let message = if message.is_empty() {
        "the server sent no message".to_owned()
    } else {
        message.to_owned()
    };
    StatusError {
        code: status.code(),
        message,
    }
}

/// The size of a response that tonic refused for being over the decoding limit.
fn oversized_response(status: &Status) -> Option<u64> {
    if status.code() != tonic::Code::OutOfRange {
        return None;
    }
    let rest = status
        .message()
        .strip_prefix("Error, decoded message length too large: found ")?;
    rest.split_whitespace().next()?.parse().ok()
}

fn connect_error(settings: &ClientSettings, err: &tonic::transport::Error) -> anyhow::Error {
    let mut reason = err.to_string();
    let mut refused = false;
    let mut source = err.source();
    while let Some(cause) = source {
        reason = cause.to_string();
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::TimedOut {
                return timed_out(settings);
            }
            refused = io.kind() == io::ErrorKind::ConnectionRefused;
            reason = describe_io(io);
        }
        source = cause.source();
    }
    let hint = if refused {
        "; is a server running there? try 'apicli serve'"
    } else {
        ""
    };
    anyhow!("cannot connect to {}: {reason}{hint}", settings.authority)
}

/// `Connection refused (os error 111)` → `connection refused`.
fn describe_io(err: &io::Error) -> String {
    let text = err.to_string();
    let text = match text.find(" (os error") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

fn timed_out(settings: &ClientSettings) -> anyhow::Error {
    anyhow!(
        "cannot connect to {} within {:?} (--connect-timeout); is the address right?",
        settings.authority,
        settings.connect_timeout
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_as_words() {
        let refused = io::Error::from_raw_os_error(111);
        assert_eq!(describe_io(&refused), "connection refused");
    }

    #[test]
    fn oversized_responses_are_recognised() {
        let status = Status::out_of_range(
            "Error, decoded message length too large: found 15888895 bytes, the limit is: 4194304 bytes",
        );
        assert_eq!(oversized_response(&status), Some(15_888_895));
        assert_eq!(
            oversized_response(&Status::out_of_range("past the end")),
            None
        );
    }
}

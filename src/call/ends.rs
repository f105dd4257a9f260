//! How a call that ended early is worded: a status from the server or the connection, the
//! deadline, Ctrl-C, each with what was sent and what arrived by then.

use std::time::Duration;

use tonic::{Response, Status};

use super::CallRun;
use crate::{
    client,
    descriptors::ReflectionError,
    exit::{Interrupted, StatusError, Tally},
    stop::Stopped,
};

impl CallRun<'_> {
    /// The response of a streaming call (headers received), or the error the call ended with;
    /// `progress`: what was sent so far.
    pub(super) fn response<T>(
        &self,
        outcome: Result<Result<Response<T>, Status>, Stopped>,
        progress: &Tally,
    ) -> anyhow::Result<Response<T>> {
        match outcome {
            Ok(Ok(response)) => {
                self.events.http_status(response.extensions());
                self.events.headers("response headers", response.metadata());
                Ok(response)
            }
            Ok(Err(status)) => Err(self.failed(&status, progress, false)),
            Err(stopped) => Err(self.stopped(stopped, progress)),
        }
    }

    /// `after_headers`: the response had begun, so the server had answered.
    pub(super) fn failed(
        &self,
        status: &Status,
        progress: &Tally,
        after_headers: bool,
    ) -> anyhow::Error {
        if self.deadline_passed(status) {
            return self.stopped(Stopped::Deadline, progress);
        }
        self.events.failed(status);
        let stage = client::Stage {
            after_headers,
            heard: self.heard.first_bytes(),
        };
        // Detail types beyond google.rpc's decode through the call's descriptors.
        client::call_error(status, self.settings, progress, stage, self.pool.as_ref())
    }

    /// Whether `status` is how the deadline showed up: tonic's own timer on the call (a
    /// transport error), or, once the deadline has passed, the server's DEADLINE_EXCEEDED, a
    /// tonic server's CANCELLED for its timer, or the connection torn down under it.
    pub(super) fn deadline_passed(&self, status: &Status) -> bool {
        if client::timed_out_here(status) {
            return true;
        }
        // The server's clock starts when the request arrives, from a `grpc-timeout` cut to
        // the microsecond (to the millisecond for timeouts of 100 s and more): its deadline is
        // never more than that before this one.
        let passed = self
            .stop
            .time_left()
            .is_some_and(|left| left <= Duration::from_millis(1));
        passed
            && (matches!(
                status.code(),
                tonic::Code::DeadlineExceeded | tonic::Code::Cancelled
            ) || std::error::Error::source(status).is_some())
    }

    pub(super) fn stopped(&self, stopped: Stopped, tally: &Tally) -> anyhow::Error {
        let progress = tally.to_string();
        match stopped {
            Stopped::Deadline => {
                let progress = if progress.is_empty() {
                    String::new()
                } else {
                    format!(" ({progress})")
                };
                let timeout = self.settings.timeout.unwrap_or_default();
                self.events.finished(tonic::Code::DeadlineExceeded);
                let mut error = StatusError::new(
                    tonic::Code::DeadlineExceeded,
                    format!("the {timeout:?} deadline (--timeout) passed{progress}"),
                );
                error.tally = *tally;
                error.into()
            }
            // Interrupted puts the progress in parentheses itself.
            Stopped::Interrupted => Interrupted(progress).into(),
        }
    }

    /// A reflection call that failed on the connection says why as a call would (a deadline, an
    /// HTTP/1 server, a closed connection); other failures stay as they are.
    pub(super) fn reflection_failed(&self, err: anyhow::Error) -> anyhow::Error {
        let Some(ReflectionError::Call(status)) = err.downcast_ref::<ReflectionError>() else {
            return err;
        };
        if self.deadline_passed(status) {
            return self.stopped(Stopped::Deadline, &Tally::default());
        }
        let stage = client::Stage {
            after_headers: false,
            heard: self.heard.first_bytes(),
        };
        match client::transport_failure(status, self.settings, stage) {
            Some(reason) => anyhow::anyhow!("{reason}"),
            None => err,
        }
    }
}

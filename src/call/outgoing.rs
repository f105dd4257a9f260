//! The request stream of a client-streaming or bidi call, and the failure of its input, which
//! ends the call.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    task::Poll,
};

use futures_util::Stream;
use tokio::sync::{Notify, mpsc};

use crate::exit::UsageError;

/// The first error in the request input of a streaming call, which ends the call.
#[derive(Default)]
pub(super) struct InputFailure {
    error: Mutex<Option<UsageError>>,
    notify: Notify,
}

impl InputFailure {
    pub(super) fn fail(&self, error: UsageError) {
        if let Ok(mut slot) = self.error.lock() {
            slot.get_or_insert(error);
        }
        self.notify.notify_one();
    }

    /// Runs `work` unless the input fails first.
    pub(super) async fn or<F: Future>(&self, work: F) -> Result<F::Output, UsageError> {
        tokio::select! {
            biased;
            output = work => Ok(output),
            () = self.notify.notified() => {
                let error = self.error.lock().ok().and_then(|mut slot| slot.take());
                Err(error.unwrap_or_else(|| UsageError("the requests could not be read".into())))
            }
        }
    }
}

/// The request stream of a client-streaming or bidi call: messages as the reader parses them,
/// counted; the end of the input half-closes. A bad message holds the stream open (so the server
/// never takes a half-sent input as complete) and fails the call instead.
pub(super) struct Outgoing<T> {
    receiver: mpsc::Receiver<Result<T, UsageError>>,
    pub(super) sent: Arc<AtomicU64>,
    pub(super) failure: Arc<InputFailure>,
    /// Counts on the progress bar when sending is what the bar shows.
    bar: Option<indicatif::ProgressBar>,
}

impl<T: Send + 'static> Outgoing<T> {
    pub(super) fn new(
        receiver: mpsc::Receiver<Result<T, UsageError>>,
        bar: Option<indicatif::ProgressBar>,
        count_on_bar: bool,
    ) -> Outgoing<T> {
        Outgoing {
            receiver,
            sent: Arc::default(),
            failure: Arc::default(),
            bar: bar.filter(|_| count_on_bar),
        }
    }

    pub(super) fn into_stream(self) -> impl Stream<Item = T> + Send + 'static {
        let Outgoing {
            mut receiver,
            sent,
            failure,
            bar,
        } = self;
        let mut failed = false;
        futures_util::stream::poll_fn(move |cx| {
            if failed {
                return Poll::Pending;
            }
            match receiver.poll_recv(cx) {
                Poll::Ready(Some(Ok(message))) => {
                    sent.fetch_add(1, Ordering::Relaxed);
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                    Poll::Ready(Some(message))
                }
                Poll::Ready(Some(Err(error))) => {
                    failed = true;
                    failure.fail(error);
                    Poll::Pending
                }
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            }
        })
    }
}

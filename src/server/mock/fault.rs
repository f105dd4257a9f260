//! Faults at the transport level. The reply stream decides when (after so many messages); the
//! response body acts, once what was sent before has had a moment to leave:
//! - `reset`: the body fails with an `h2::Error` of the stub's code, which hyper finds in the
//!   error's sources and sends as RST_STREAM;
//! - `goaway` and `close`: the call's connection is told (see `connection.rs`);
//! - `stall`: nothing more is sent, and the stream stays open.

use std::{
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
    time::Duration,
};

use bytes::Bytes;
use futures_util::task::AtomicWaker;
use http_body::{Body, Frame, SizeHint};
use tonic::Status;

use super::connection::ConnControl;
use crate::stubs::FaultKind;

/// How long the messages sent before a fault have to leave before it strikes: a reset drops
/// what is still queued for its stream, and a closed connection what is queued for it.
const FLUSH: Duration = Duration::from_millis(20);

/// Shared by a call's reply stream, which arms it, and its response body, which acts on it.
#[derive(Debug, Default)]
pub struct FaultCell {
    armed: Mutex<Option<FaultKind>>,
    /// The body, woken when the fault is armed: nothing else may wake it then.
    body: AtomicWaker,
}

impl FaultCell {
    pub fn arm(&self, kind: FaultKind) {
        if let Ok(mut armed) = self.armed.lock() {
            *armed = Some(kind);
        }
        self.body.wake();
    }

    /// The fault, once armed.
    pub fn armed(&self) -> Option<FaultKind> {
        self.armed.lock().ok().and_then(|armed| *armed)
    }
}

/// A response body that strikes its call's fault once the reply stream has armed it.
pub struct FaultBody<B> {
    inner: B,
    cell: Arc<FaultCell>,
    /// The call's connection; None when the request did not come through a controlled one.
    connection: Option<Arc<ConnControl>>,
    /// Running once the fault is armed: it strikes when this ends.
    flush: Option<Pin<Box<tokio::time::Sleep>>>,
    struck: bool,
}

impl<B> FaultBody<B> {
    pub fn new(inner: B, cell: Arc<FaultCell>, connection: Option<Arc<ConnControl>>) -> Self {
        FaultBody {
            inner,
            cell,
            connection,
            flush: None,
            struck: false,
        }
    }
}

impl<B> Body for FaultBody<B>
where
    B: Body<Data = Bytes, Error = Status> + Unpin,
{
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = &mut *self;
        if this.struck {
            return Poll::Pending;
        }
        this.cell.body.register(cx.waker());
        if this.flush.is_none() {
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Pending => {}
                ready => return ready,
            }
        }
        let Some(kind) = this.cell.armed() else {
            return Poll::Pending;
        };
        if kind == FaultKind::Stall {
            this.struck = true;
            return Poll::Pending;
        }
        let flush = this
            .flush
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(FLUSH)));
        if flush.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        this.struck = true;
        match kind {
            FaultKind::Reset(code) => {
                let reason = h2::Reason::from(code);
                Poll::Ready(Some(Err(Status::from(h2::Error::from(reason)))))
            }
            FaultKind::GoAway | FaultKind::Close => {
                match &this.connection {
                    Some(connection) if kind == FaultKind::GoAway => connection.go_away(),
                    Some(connection) => connection.close(),
                    // Not a connection of the double's (it cannot be): the stream resets.
                    None => {
                        let reason = h2::Reason::INTERNAL_ERROR;
                        return Poll::Ready(Some(Err(Status::from(h2::Error::from(reason)))));
                    }
                }
                Poll::Pending
            }
            FaultKind::Stall => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        !self.struck && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

//! A call's journal entry while the call runs: begun when it arrives, given its request messages
//! and its stub (or miss) by the handler and the reply, and ended by its response body with the
//! status the client got, then kept in the journal.
//!
//! The body is where every call ends, whatever its kind: at the trailers (or at once, for a
//! trailers-only reply), at a reset, or when hyper drops it, which a call that never got a status
//! does (a client that left, a fault that ended the connection or stalled the stream).

use std::{
    net::SocketAddr,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use bytes::Bytes;
use http::HeaderMap;
use http_body::{Body, Frame, SizeHint};
use prost_reflect::MessageDescriptor;
use tonic::{Code, Status};

use super::{
    Answer,
    fault::FaultCell,
    journal::{Entry, Journal},
};
use crate::stubs::FaultKind;

/// One call's entry, shared by the parts of the call that fill it in; kept once ended.
#[derive(Clone)]
pub struct Recording {
    /// None once ended.
    entry: Arc<Mutex<Option<Entry>>>,
    journal: Arc<Journal>,
}

impl Recording {
    /// A call of `method` (`package.Service/Method`, requests of type `input`) arriving now.
    pub fn begin(
        journal: &Arc<Journal>,
        method: Arc<str>,
        input: MessageDescriptor,
        peer: Option<SocketAddr>,
        headers: &HeaderMap,
    ) -> Recording {
        Recording {
            entry: Arc::new(Mutex::new(Some(Entry::begin(method, input, peer, headers)))),
            journal: Arc::clone(journal),
        }
    }

    /// A request message as it arrived, encoded.
    pub fn request(&self, encoded: &[u8]) {
        self.with(|entry| entry.push_encoded(encoded));
    }

    /// The stub that answers the call, or why none does.
    pub fn answered(&self, answer: Answer) {
        self.with(|entry| entry.answered(answer));
    }

    /// What [`Recording::answered`] said, for the log line.
    pub fn answer(&self) -> Option<Answer> {
        self.with(|entry| entry.answer().cloned()).flatten()
    }

    /// Ends the call with the status the client got, and keeps it. Only the first end counts.
    pub fn end(&self, code: Code, message: &str) {
        let entry = self.lock().take();
        if let Some(entry) = entry {
            self.journal.push(entry.end(code, message));
        }
    }

    fn with<T>(&self, change: impl FnOnce(&mut Entry) -> T) -> Option<T> {
        self.lock().as_mut().map(change)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Entry>> {
        // A change is one assignment or push: a panic cannot leave one half done.
        self.entry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A response body that ends its call's [`Recording`] (see the module's documentation).
pub struct JournalBody<B> {
    inner: B,
    recording: Recording,
    /// The call's fault, if one struck: it tells how a call that got no status ended.
    fault: Arc<FaultCell>,
}

impl<B> JournalBody<B> {
    pub fn new(inner: B, recording: Recording, fault: Arc<FaultCell>) -> Self {
        JournalBody {
            inner,
            recording,
            fault,
        }
    }
}

impl<B> Body for JournalBody<B>
where
    B: Body<Data = Bytes, Error = Status> + Unpin,
{
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(trailers) = frame.trailers_ref() {
                    match Status::from_header_map(trailers) {
                        Some(status) => self.recording.end(status.code(), status.message()),
                        None => self
                            .recording
                            .end(Code::Unknown, "the trailers have no status"),
                    }
                }
            }
            Poll::Ready(Some(Err(status))) => match self.fault.armed() {
                Some(FaultKind::Reset(code)) => {
                    let reset = format!("reset {:?}", h2::Reason::from(code));
                    self.recording.end(status.code(), &reset);
                }
                _ => self.recording.end(status.code(), status.message()),
            },
            Poll::Ready(None) => self.recording.end(Code::Unknown, "the reply has no status"),
            Poll::Pending => {
                // The connection is about to end: the call is over for the client.
                if let Some(fault @ (FaultKind::GoAway | FaultKind::Close)) = self.fault.armed() {
                    let (code, message) = unanswered(Some(fault));
                    self.recording.end(code, message);
                }
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl<B> Drop for JournalBody<B> {
    fn drop(&mut self) {
        // A call that got its status has ended already; this one never will.
        let (code, message) = unanswered(self.fault.armed());
        self.recording.end(code, message);
    }
}

/// How a call that gets no status ends for its client, by the fault that struck, if any.
fn unanswered(fault: Option<FaultKind>) -> (Code, &'static str) {
    match fault {
        Some(FaultKind::GoAway) => (Code::Unavailable, "goaway, then the connection closed"),
        Some(FaultKind::Close) => (Code::Unavailable, "the connection was closed"),
        Some(FaultKind::Stall) => (Code::Cancelled, "stalled until the client left"),
        // The client left, or the server stopped before the call was done.
        Some(FaultKind::Reset(_)) | None => (Code::Cancelled, "cancelled before its status"),
    }
}

#[cfg(test)]
mod tests {
    use futures_util::stream;
    use http_body_util::{BodyExt as _, StreamBody};

    use super::*;

    /// A recording of a GetFeature call, and its journal.
    fn recording() -> (Recording, Arc<Journal>) {
        let journal = Arc::new(Journal::new(10));
        let input = crate::descriptors::builtin_pool()
            .get_message_by_name("routeguide.Point")
            .unwrap();
        let method = "routeguide.RouteGuide/GetFeature".into();
        let recording = Recording::begin(&journal, method, input, None, &HeaderMap::new());
        (recording, journal)
    }

    fn ended(journal: &Journal) -> Vec<(Code, String)> {
        let (entries, _) = journal.snapshot();
        (entries.iter())
            .map(|entry| (entry.code(), entry.message().to_owned()))
            .collect()
    }

    fn body(
        frames: Vec<Result<Frame<Bytes>, Status>>,
    ) -> StreamBody<impl futures_util::Stream<Item = Result<Frame<Bytes>, Status>> + Unpin> {
        StreamBody::new(stream::iter(frames))
    }

    #[tokio::test]
    async fn a_call_ends_at_its_trailers_once() {
        let (recording, journal) = recording();
        recording.request(&[0x08, 0x01]);
        let mut trailers = HeaderMap::new();
        trailers.insert("grpc-status", "5".parse().unwrap());
        trailers.insert("grpc-message", "no%20feature".parse().unwrap());
        let frames = vec![
            Ok(Frame::data(Bytes::from_static(b"reply"))),
            Ok(Frame::trailers(trailers)),
        ];
        let cell = Arc::new(FaultCell::default());
        let mut body = JournalBody::new(body(frames), recording.clone(), cell);
        while body.frame().await.is_some() {}
        drop(body);
        recording.end(Code::Internal, "too late");
        assert_eq!(ended(&journal), [(Code::NotFound, "no feature".to_owned())]);
        assert_eq!(journal.snapshot().0[0].requests().count(), 1);
    }

    #[tokio::test]
    async fn a_reset_is_named_by_its_code() {
        let (recording, journal) = recording();
        let cell = Arc::new(FaultCell::default());
        cell.arm(FaultKind::Reset(8));
        let reset = Status::from(h2::Error::from(h2::Reason::CANCEL));
        let mut body = JournalBody::new(body(vec![Err(reset)]), recording, cell);
        while body.frame().await.is_some() {}
        assert_eq!(
            ended(&journal),
            [(Code::Cancelled, "reset CANCEL".to_owned())]
        );
    }

    #[tokio::test]
    async fn a_call_without_a_status_ends_when_its_body_goes() {
        let (recording, journal) = recording();
        let cell = Arc::new(FaultCell::default());
        drop(JournalBody::new(body(Vec::new()), recording, cell));
        let (recording, stalled) = self::recording();
        let cell = Arc::new(FaultCell::default());
        cell.arm(FaultKind::Stall);
        drop(JournalBody::new(body(Vec::new()), recording, cell));
        assert_eq!(
            [ended(&journal), ended(&stalled)].concat(),
            [
                (Code::Cancelled, "cancelled before its status".to_owned()),
                (Code::Cancelled, "stalled until the client left".to_owned()),
            ]
        );
    }
}

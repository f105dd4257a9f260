//! The bodies the translator makes: a few frames known in advance (a unary reply and its
//! trailers), and a stream whose envelopes are each rewritten (JSON on the wire).

use std::{
    collections::VecDeque,
    pin::Pin,
    task::{Context, Poll, ready},
};

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use http_body::Frame;
use tonic::{Status, body::Body};

use crate::connect::{Envelope, Envelopes, WireError, envelope};

/// Frames made in advance.
pub struct Queued(VecDeque<Frame<Bytes>>);

impl Queued {
    /// One message (with its 5-byte prefix already) and the trailers.
    pub fn message_and_trailers(message: Bytes, trailers: HeaderMap) -> Queued {
        Queued(VecDeque::from([
            Frame::data(message),
            Frame::trailers(trailers),
        ]))
    }
}

impl http_body::Body for Queued {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        Poll::Ready(self.0.pop_front().map(Ok))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }
}

/// `message` with a prefix of `flags`.
pub fn framed(flags: u8, message: &[u8]) -> Result<Bytes, Status> {
    envelope::encode(flags, message).map_err(|err| Status::resource_exhausted(err.0))
}

/// A body of envelopes (or gRPC frames: the same prefix), each rewritten by `rewrite` into the
/// bytes of one or more frames.
pub struct Rewritten<F> {
    inner: Body,
    envelopes: Envelopes,
    rewrite: F,
}

impl<F> Rewritten<F>
where
    F: FnMut(Envelope) -> Result<Bytes, Status> + Send + Unpin + 'static,
{
    pub fn new(inner: Body, max: usize, rewrite: F) -> Rewritten<F> {
        Rewritten {
            inner,
            envelopes: Envelopes::new(max),
            rewrite,
        }
    }
}

fn internal(err: WireError) -> Status {
    Status::internal(err.0)
}

impl<F> http_body::Body for Rewritten<F>
where
    F: FnMut(Envelope) -> Result<Bytes, Status> + Send + Unpin + 'static,
{
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = &mut *self;
        loop {
            match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    let Ok(data) = frame.into_data() else {
                        continue;
                    };
                    this.envelopes.push(&data);
                    let mut out = BytesMut::new();
                    while let Some(envelope) = this.envelopes.next_envelope().map_err(internal)? {
                        out.extend_from_slice(&(this.rewrite)(envelope)?);
                    }
                    if !out.is_empty() {
                        return Poll::Ready(Some(Ok(Frame::data(out.freeze()))));
                    }
                }
                Some(Err(status)) => return Poll::Ready(Some(Err(status))),
                None => {
                    return Poll::Ready(this.envelopes.finish().err().map(|e| Err(internal(e))));
                }
            }
        }
    }
}

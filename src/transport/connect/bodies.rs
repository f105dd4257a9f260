//! The bodies the translator makes: a few frames known in advance (a unary reply and its
//! trailers). A stream whose envelopes are each rewritten (JSON on the wire) is the `connect`
//! block's `Rewritten`, which serve uses too.

use std::{
    collections::VecDeque,
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use http::HeaderMap;
use http_body::Frame;
use tonic::Status;

use crate::connect::envelope;

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

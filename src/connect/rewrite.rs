//! A body of envelopes (or gRPC frames: the prefix is the same), each rewritten into the bytes
//! of one or more frames as it arrives whole: how JSON on the wire becomes proto and back, on
//! the client's requests and on serve's.

use std::{
    pin::Pin,
    task::{Context, Poll, ready},
};

use bytes::{Bytes, BytesMut};
use http_body::Frame;
use tonic::{Code, Status, body::Body};

use super::{Envelope, Envelopes, WireError};

pub struct Rewritten<F> {
    inner: Body,
    envelopes: Envelopes,
    /// The status code of envelopes that break the wire rules: INTERNAL for what a server sent,
    /// INVALID_ARGUMENT for what a client sent.
    malformed: Code,
    rewrite: F,
}

impl<F> Rewritten<F>
where
    F: FnMut(Envelope) -> Result<Bytes, Status> + Send + Unpin + 'static,
{
    /// `inner`'s envelopes, at most `max` bytes each, through `rewrite`.
    pub fn new(inner: Body, max: usize, malformed: Code, rewrite: F) -> Rewritten<F> {
        Rewritten {
            inner,
            envelopes: Envelopes::new(max),
            malformed,
            rewrite,
        }
    }

    fn malformed(&self, err: WireError) -> Status {
        Status::new(self.malformed, err.0)
    }
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
                    loop {
                        match this.envelopes.next_envelope() {
                            Ok(Some(envelope)) => out.extend_from_slice(&(this.rewrite)(envelope)?),
                            Ok(None) => break,
                            Err(err) => return Poll::Ready(Some(Err(this.malformed(err)))),
                        }
                    }
                    if !out.is_empty() {
                        return Poll::Ready(Some(Ok(Frame::data(out.freeze()))));
                    }
                }
                Some(Err(status)) => return Poll::Ready(Some(Err(status))),
                None => {
                    let end = this.envelopes.finish().err();
                    return Poll::Ready(end.map(|err| Err(this.malformed(err))));
                }
            }
        }
    }
}

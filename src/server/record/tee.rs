//! The bodies of a recorded call: each passes its frames on as they are, and tells the
//! recording what messages went by, when, and how the call ended.

use std::{
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, ready},
    time::Instant,
};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

use super::{Recording, exchange::Event, frames::Frames};

pin_project_lite::pin_project! {
    /// The client's messages, on their way to the server.
    pub struct RequestTee<B> {
        #[pin]
        inner: B,
        frames: Frames,
        recording: Arc<Recording>,
        closed: bool,
    }
}

impl<B: Body> RequestTee<B> {
    pub fn new(inner: B, frames: Frames, recording: Arc<Recording>) -> RequestTee<B> {
        // A request with no body at all is never polled.
        let closed = inner.is_end_stream();
        if closed {
            recording.push(Event::HalfClose, Instant::now());
        }
        RequestTee {
            inner,
            frames,
            recording,
            closed,
        }
    }
}

impl<B: Body<Data = Bytes>> Body for RequestTee<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let mut this = self.project();
        let polled = ready!(this.inner.as_mut().poll_frame(cx));
        let now = Instant::now();
        if let Some(Ok(frame)) = &polled
            && let Some(data) = frame.data_ref()
        {
            for message in this.frames.push(data) {
                match message {
                    Ok(bytes) => this.recording.push(Event::In(bytes), now),
                    Err(why) => this.recording.unreadable(why),
                }
            }
        }
        // The body may say it has ended without being polled again.
        let ended = polled.is_none() || this.inner.is_end_stream();
        if ended && !*this.closed && polled.as_ref().is_none_or(Result::is_ok) {
            *this.closed = true;
            if this.frames.is_partial() {
                this.recording
                    .unreadable("the client's last message was cut off".into());
            }
            this.recording.push(Event::HalfClose, now);
        }
        Poll::Ready(polled)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

pin_project_lite::pin_project! {
    /// The server's reply, on its way to the client. The stub file is written when its
    /// trailers come, before the client sees them.
    pub struct ResponseTee<B> {
        #[pin]
        inner: B,
        frames: Frames,
        recording: Arc<Recording>,
    }
}

impl<B> ResponseTee<B> {
    pub fn new(inner: B, frames: Frames, recording: Arc<Recording>) -> ResponseTee<B> {
        ResponseTee {
            inner,
            frames,
            recording,
        }
    }
}

impl<B: Body<Data = Bytes>> Body for ResponseTee<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let this = self.project();
        let polled = ready!(this.inner.poll_frame(cx));
        if let Some(Ok(frame)) = &polled {
            if let Some(data) = frame.data_ref() {
                let now = Instant::now();
                for message in this.frames.push(data) {
                    match message {
                        Ok(bytes) => this.recording.push(Event::Out(bytes), now),
                        Err(why) => this.recording.unreadable(why),
                    }
                }
            } else if let Some(trailers) = frame.trailers_ref() {
                if this.frames.is_partial() {
                    this.recording
                        .unreadable("the server's last message was cut off".into());
                }
                this.recording.finish(trailers);
            }
        }
        Poll::Ready(polled)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

//! What a server said first on a connection, for the errors of a call that failed on it.
//!
//! h2 reads any bytes as frames, so a server that answers in HTTP/1.1 ("HTTP/1.1 400 …") shows
//! up only as a FRAME_SIZE_ERROR (its first nine bytes read as a frame of 4.7 MB), exactly as a
//! TLS server's alert or any other stranger does; and a connection that closed looks the same
//! whether the server had spoken HTTP/2 on it or never did. The bytes themselves tell: a gRPC
//! server's first bytes are the header of a SETTINGS frame, an HTTP/1 server's are "HTTP/1.".
//! So the connection's reads are watched until its first 8 bytes are known, and then passed
//! through untouched.

use std::{
    future::Future,
    io,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU8, Ordering},
    },
    task::{Context, Poll},
};

use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// What the server's first bytes were, shared between the connection and the call's errors.
#[derive(Debug, Clone, Default)]
pub struct Heard(Arc<Shared>);

#[derive(Debug, Default)]
struct Shared {
    value: AtomicU8,
    /// Woken when the first bytes have said something.
    decided: tokio::sync::Notify,
}

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstBytes {
    /// Nothing yet (or not watched: TLS hides them, and unix sockets are not watched).
    Unknown,
    /// An HTTP/2 SETTINGS frame: the server speaks HTTP/2.
    Http2,
    /// "HTTP/1.x": the server answered in HTTP/1 (the digit after the dot).
    Http1(u8),
    /// Printable text without a status line, as a web server answers a request line it cannot
    /// read ("<!DOCTYPE HTML>…" for the HTTP/2 preface's "PRI * HTTP/2.0").
    Text,
    /// Something else: TLS, or not HTTP at all.
    Other,
}

const UNKNOWN: u8 = 0;
const HTTP2: u8 = 1;
const OTHER: u8 = 2;
const TEXT: u8 = 3;
/// HTTP/1.x is stored as this plus the digit x.
const HTTP1: u8 = 16;

impl Heard {
    pub fn first_bytes(&self) -> FirstBytes {
        match self.0.value.load(Ordering::Relaxed) {
            UNKNOWN => FirstBytes::Unknown,
            HTTP2 => FirstBytes::Http2,
            OTHER => FirstBytes::Other,
            TEXT => FirstBytes::Text,
            minor => FirstBytes::Http1(minor - HTTP1),
        }
    }

    /// A new connection has said nothing yet.
    pub fn reset(&self) {
        self.set(FirstBytes::Unknown);
    }

    fn set(&self, heard: FirstBytes) {
        let value = match heard {
            FirstBytes::Unknown => UNKNOWN,
            FirstBytes::Http2 => HTTP2,
            FirstBytes::Other => OTHER,
            FirstBytes::Text => TEXT,
            FirstBytes::Http1(minor) => HTTP1 + minor,
        };
        self.0.value.store(value, Ordering::Relaxed);
        if heard != FirstBytes::Unknown {
            self.0.decided.notify_waiters();
        }
    }

    /// Waits until the first bytes have said something.
    pub async fn decided(&self) -> FirstBytes {
        loop {
            let decided = self.0.decided.notified();
            tokio::pin!(decided);
            // Registered before the value is read, so that no notification is missed.
            decided.as_mut().enable();
            match self.first_bytes() {
                FirstBytes::Unknown => decided.await,
                heard => return heard,
            }
        }
    }
}

/// How many bytes decide.
const WATCHED: usize = 8;

/// What `bytes`, the first ones a server sent, say; `Unknown` while more are needed.
pub fn classify(bytes: &[u8]) -> FirstBytes {
    const HTTP1_PREFIX: &[u8] = b"HTTP/1.";
    // A frame header: a 24-bit length (a SETTINGS frame's is small, so its first two bytes are
    // 0), then the type, 4 for SETTINGS.
    let settings = [Some(0), Some(0), None, Some(4)];
    if bytes.len() > HTTP1_PREFIX.len() && bytes.starts_with(HTTP1_PREFIX) {
        let minor = bytes[HTTP1_PREFIX.len()];
        return if minor.is_ascii_digit() {
            FirstBytes::Http1(minor - b'0')
        } else {
            FirstBytes::Other
        };
    }
    if HTTP1_PREFIX.starts_with(bytes) {
        return FirstBytes::Unknown;
    }
    let matches_settings = bytes
        .iter()
        .zip(settings)
        .all(|(&byte, expected)| expected.is_none_or(|e| e == byte));
    let text = |byte: &u8| byte.is_ascii_graphic() || b" \t\r\n".contains(byte);
    match (matches_settings, bytes.len() >= settings.len()) {
        (true, true) => FirstBytes::Http2,
        (true, false) => FirstBytes::Unknown,
        (false, _) if bytes.iter().all(text) && bytes.len() < WATCHED => FirstBytes::Unknown,
        (false, _) if bytes.iter().all(text) => FirstBytes::Text,
        (false, _) => FirstBytes::Other,
    }
}

/// A connection whose first bytes read are classified into its [`Heard`].
pub struct Watched<T> {
    inner: T,
    first: [u8; WATCHED],
    len: usize,
    /// None once decided: from then on reads pass straight through.
    heard: Option<Heard>,
}

impl<T> Watched<T> {
    pub fn new(inner: T, heard: Heard) -> Watched<T> {
        Watched {
            inner,
            first: [0; WATCHED],
            len: 0,
            heard: Some(heard),
        }
    }
}

/// A connector whose connections are [`Watched`] into one [`Heard`], the latest connection's.
#[derive(Clone)]
pub struct Watching<C> {
    inner: C,
    heard: Heard,
}

impl<C> Watching<C> {
    pub fn new(inner: C, heard: &Heard) -> Watching<C> {
        Watching {
            inner,
            heard: heard.clone(),
        }
    }
}

impl<C, T> tower::Service<http::Uri> for Watching<C>
where
    C: tower::Service<http::Uri, Response = TokioIo<T>>,
    C::Future: Send + 'static,
    T: Send + 'static,
{
    type Response = TokioIo<Watched<T>>;
    type Error = C::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, C::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), C::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, uri: http::Uri) -> Self::Future {
        let heard = self.heard.clone();
        // A new connection (the channel reconnects) has said nothing yet.
        heard.set(FirstBytes::Unknown);
        let connecting = self.inner.call(uri);
        Box::pin(async move {
            let io = connecting.await?;
            Ok(TokioIo::new(Watched::new(io.into_inner(), heard)))
        })
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let Some(heard) = &this.heard else {
            return Pin::new(&mut this.inner).poll_read(cx, buf);
        };
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let new = &buf.filled()[before..];
            let take = new.len().min(WATCHED - this.len);
            this.first[this.len..this.len + take].copy_from_slice(&new[..take]);
            this.len += take;
            let decided = match classify(&this.first[..this.len]) {
                // The connection ended before its first bytes said anything.
                FirstBytes::Unknown if new.is_empty() => Some(FirstBytes::Other),
                FirstBytes::Unknown if this.len < WATCHED => None,
                FirstBytes::Unknown => Some(FirstBytes::Other),
                heard => Some(heard),
            };
            if let Some(decided) = decided {
                heard.set(decided);
                this.heard = None;
            }
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bytes_are_classified() {
        // The server preface of a gRPC server: an 18-byte SETTINGS frame.
        assert_eq!(classify(&[0, 0, 18, 4, 0, 0, 0, 0, 0]), FirstBytes::Http2);
        assert_eq!(classify(&[0, 0]), FirstBytes::Unknown);
        assert_eq!(classify(b"HTTP/1.1 400 Bad"), FirstBytes::Http1(1));
        assert_eq!(classify(b"HTTP/1.0 400 Bad"), FirstBytes::Http1(0));
        assert_eq!(classify(b"HTT"), FirstBytes::Unknown);
        assert_eq!(classify(b"<!DOCTYPE HTML>"), FirstBytes::Text);
        assert_eq!(classify(b"<!DOC"), FirstBytes::Unknown);
        // A TLS alert, and a frame other than SETTINGS.
        assert_eq!(classify(&[0x15, 3, 3, 0, 2, 2, 70]), FirstBytes::Other);
        assert_eq!(classify(&[0, 0, 8, 7, 0, 0, 0, 0]), FirstBytes::Other);
    }

    #[tokio::test]
    async fn waiting_ends_when_the_first_bytes_decide() {
        let heard = Heard::default();
        let setter = heard.clone();
        let waiting = tokio::spawn(async move { heard.decided().await });
        tokio::task::yield_now().await;
        setter.set(FirstBytes::Http1(1));
        assert_eq!(waiting.await.unwrap(), FirstBytes::Http1(1));
    }

    #[test]
    fn heard_keeps_what_was_decided() {
        let heard = Heard::default();
        assert_eq!(heard.first_bytes(), FirstBytes::Unknown);
        heard.set(FirstBytes::Http1(1));
        assert_eq!(heard.first_bytes(), FirstBytes::Http1(1));
        heard.set(FirstBytes::Http2);
        assert_eq!(heard.first_bytes(), FirstBytes::Http2);
    }
}

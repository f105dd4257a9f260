//! Per-connection control for the faults that act on a whole connection: `goaway` (a GOAWAY
//! frame, then the connection closes) and `close` (the connection is dropped).
//!
//! Each connection the test double accepts is wrapped in [`Controlled`], which tonic serves like
//! any other stream. Its [`ConnInfo`] reaches every request's extensions (tonic's `Connected`),
//! so a call can act on its own connection. The GOAWAY frame is written between two of hyper's
//! frames: the wrapper follows the frame headers of what is written to know where one ends.
//! The built-in serve does not use this wrapper: its connections are served as they come.

use std::{
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU8, Ordering},
    },
    task::{Context, Poll, ready},
};

use futures_util::task::AtomicWaker;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tonic::transport::server::Connected;

/// A connection's peer, and the handle its calls use to end it.
#[derive(Debug, Clone)]
pub struct ConnInfo {
    /// The TCP peer; None on a unix socket.
    pub peer: Option<SocketAddr>,
    pub control: Arc<ConnControl>,
}

/// What a call asks of its connection.
#[derive(Debug, Default)]
pub struct ConnControl {
    /// [`RUNNING`], [`GOAWAY`] or [`CLOSE`].
    wanted: AtomicU8,
    /// The connection's reader, woken to act on what is wanted even when nothing is written.
    reader: AtomicWaker,
}

const RUNNING: u8 = 0;
const GOAWAY: u8 = 1;
const CLOSE: u8 = 2;

impl ConnControl {
    /// Sends GOAWAY (NO_ERROR, every stream so far may finish) at the next frame boundary, then
    /// closes the connection.
    pub fn go_away(&self) {
        let _ = self
            .wanted
            .compare_exchange(RUNNING, GOAWAY, Ordering::AcqRel, Ordering::Acquire);
        self.reader.wake();
    }

    /// Drops the connection.
    pub fn close(&self) {
        self.wanted.store(CLOSE, Ordering::Release);
        self.reader.wake();
    }
}

/// A GOAWAY frame: NO_ERROR, last stream id 2^31-1 (the peer learns that no new stream will be
/// served; the connection closes right after).
const GOAWAY_FRAME: [u8; 17] = [
    0, 0, 8, // length
    7, // type: GOAWAY
    0, // flags
    0, 0, 0, 0, // stream 0
    0x7f, 0xff, 0xff, 0xff, // last stream id
    0, 0, 0, 0, // NO_ERROR
];

/// A connection that a call can end (see the module's documentation).
pub struct Controlled<IO> {
    io: IO,
    info: ConnInfo,
    frames: FrameCursor,
    /// How much of the GOAWAY frame has been written, once one is being written.
    goaway_written: usize,
    closed: bool,
}

impl<IO> Controlled<IO> {
    pub fn new(io: IO, peer: Option<SocketAddr>) -> Controlled<IO> {
        Controlled {
            io,
            info: ConnInfo {
                peer,
                control: Arc::new(ConnControl::default()),
            },
            frames: FrameCursor::default(),
            goaway_written: 0,
            closed: false,
        }
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> Controlled<IO> {
    /// Acts on what a call asked: Ready(Err) once the connection is to be closed.
    fn poll_control(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.closed {
            return Poll::Ready(Err(dropped()));
        }
        match self.info.control.wanted.load(Ordering::Acquire) {
            RUNNING => Poll::Ready(Ok(())),
            GOAWAY if self.frames.at_boundary() => {
                while self.goaway_written < GOAWAY_FRAME.len() {
                    let rest = &GOAWAY_FRAME[self.goaway_written..];
                    match ready!(Pin::new(&mut self.io).poll_write(cx, rest)) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => self.goaway_written += n,
                    }
                }
                let _ = ready!(Pin::new(&mut self.io).poll_flush(cx));
                self.closed = true;
                Poll::Ready(Err(dropped()))
            }
            // GOAWAY waits for the frame being written to end: the next write gets there.
            GOAWAY => Poll::Ready(Ok(())),
            _ => {
                self.closed = true;
                Poll::Ready(Err(dropped()))
            }
        }
    }
}

fn dropped() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "the connection was ended by a stub's fault",
    )
}

impl<IO: AsyncRead + AsyncWrite + Unpin> AsyncRead for Controlled<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.info.control.reader.register(cx.waker());
        ready!(this.poll_control(cx))?;
        Pin::new(&mut this.io).poll_read(cx, buf)
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Controlled<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_control(cx))?;
        let written = ready!(Pin::new(&mut this.io).poll_write(cx, buf))?;
        this.frames.advance(&buf[..written]);
        Poll::Ready(Ok(written))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_control(cx))?;
        let written = ready!(Pin::new(&mut this.io).poll_write_vectored(cx, bufs))?;
        let mut left = written;
        for buf in bufs {
            let take = left.min(buf.len());
            this.frames.advance(&buf[..take]);
            left -= take;
            if left == 0 {
                break;
            }
        }
        Poll::Ready(Ok(written))
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

impl Connected for Controlled<tokio::net::TcpStream> {
    type ConnectInfo = ConnInfo;

    fn connect_info(&self) -> ConnInfo {
        self.info.clone()
    }
}

impl Connected for Controlled<tokio_rustls::server::TlsStream<tokio::net::TcpStream>> {
    type ConnectInfo = ConnInfo;

    fn connect_info(&self) -> ConnInfo {
        self.info.clone()
    }
}

impl Connected for Controlled<tokio::net::UnixStream> {
    type ConnectInfo = ConnInfo;

    fn connect_info(&self) -> ConnInfo {
        self.info.clone()
    }
}

/// Where the bytes written so far stand among HTTP/2 frames: each frame is a 9-byte header
/// (its first 3 bytes the payload's length) and the payload.
#[derive(Debug, Default)]
struct FrameCursor {
    header: [u8; 9],
    /// Bytes of the current frame's header seen; 9 once it is whole.
    header_seen: usize,
    /// Payload bytes of the current frame still to come.
    payload_left: usize,
}

impl FrameCursor {
    fn at_boundary(&self) -> bool {
        self.header_seen == 0 && self.payload_left == 0
    }

    fn advance(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.header_seen < 9 {
                let take = (9 - self.header_seen).min(bytes.len());
                self.header[self.header_seen..self.header_seen + take]
                    .copy_from_slice(&bytes[..take]);
                self.header_seen += take;
                bytes = &bytes[take..];
                if self.header_seen == 9 {
                    let [a, b, c, ..] = self.header;
                    self.payload_left = usize::from(a) << 16 | usize::from(b) << 8 | usize::from(c);
                    if self.payload_left == 0 {
                        self.header_seen = 0;
                    }
                }
            } else {
                let take = self.payload_left.min(bytes.len());
                self.payload_left -= take;
                bytes = &bytes[take..];
                if self.payload_left == 0 {
                    self.header_seen = 0;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_boundaries_are_followed_across_writes() {
        let mut cursor = FrameCursor::default();
        assert!(cursor.at_boundary());
        // A SETTINGS frame with 6 bytes of payload, then an empty one, written in pieces.
        let frames = [
            [0, 0, 6, 4, 0, 0, 0, 0, 0].as_slice(),
            &[1; 6],
            &[0, 0, 0, 4, 1, 0, 0, 0, 0],
        ]
        .concat();
        cursor.advance(&frames[..4]);
        assert!(!cursor.at_boundary());
        cursor.advance(&frames[4..12]);
        assert!(!cursor.at_boundary());
        cursor.advance(&frames[12..15]);
        assert!(cursor.at_boundary());
        cursor.advance(&frames[15..]);
        assert!(cursor.at_boundary());
    }
}

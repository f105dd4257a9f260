//! The HTTP/2 body of a getAll reply, made as it is sent: uncompressed, a chunk at a time;
//! compressed, into its compressed bytes alone.
//!
//! A gRPC message is its 5-byte prefix (compressed or not, and the length) and then its bytes.
//! tonic encodes each message whole into one buffer before its first byte goes out, and to
//! compress it, compresses that buffer into a second one: a reply of a million items was 19 MB
//! in memory at once, and 19 MB plus the compressed 3 MB when compressed.
//!
//! The length of an [`ItemsReply`] is known without encoding it, so an uncompressed reply sends
//! the prefix first and the items follow in chunks of about [`CHUNK`] bytes, each made when
//! hyper asks for the next: only when HTTP/2 flow control has let the last one out. The length
//! of a compressed reply is known only at its end, so it is compressed first, [`STEP`] bytes of
//! items at a time (giving the thread back to the other connections between steps, where
//! tonic holds it for the whole reply), into chunks of [`CHUNK`] bytes that hold only the
//! compressed bytes and room for the prefix; then the chunks go out. The trailers are those
//! tonic sends after a reply: `grpc-status: 0`, or the status of a compression that failed.

use std::{
    mem,
    pin::Pin,
    task::{Context, Poll},
    vec,
};

use bytes::{BufMut as _, Bytes, BytesMut};
use http::HeaderMap;
use http_body::{Body, Frame};
use tonic::Status;

use super::{
    compressor::Compressor,
    items_reply::{ItemsReply, MAX_ITEM_LEN, encode_item},
};

/// About how many bytes each data frame carries (tonic's yield threshold).
pub const CHUNK: usize = 32 * 1024;
/// About how many bytes of items are compressed in one poll of a compressed body.
pub const STEP: usize = 4 * CHUNK;
/// The gRPC prefix of a message: a compressed flag and the length.
const PREFIX_LEN: usize = 5;

/// The body of one getAll reply.
pub struct ItemsBody {
    /// The items still to encode.
    items: Ids,
    state: State,
    /// The trailers, until they are sent.
    trailers: Option<HeaderMap>,
}

enum State {
    /// Uncompressed: the prefix (until it is sent), then the items.
    Plain(Option<[u8; PREFIX_LEN]>),
    /// Compressing, after room for the prefix.
    Compressing(Compressor),
    /// The compressed message's chunks still to send, prefix first.
    Sending(vec::IntoIter<Vec<u8>>),
    /// Everything sent but the trailers.
    Sent,
}

/// The ids of the items still to encode.
#[derive(Debug, Clone, Copy)]
struct Ids {
    next: u32,
    last: u32,
}

impl Ids {
    fn is_empty(self) -> bool {
        self.next > self.last
    }

    /// Encodes items into `buf` until it holds `size` bytes or more, or none are left.
    fn encode_into(&mut self, buf: &mut BytesMut, size: usize) {
        while self.next <= self.last && buf.len() < size {
            encode_item(self.next, buf);
            self.next += 1;
        }
    }
}

impl ItemsBody {
    /// The uncompressed body of `reply`, which is at most `u32::MAX` bytes (gRPC's limit for one
    /// message; see `ApiService::get_all_reply`).
    pub fn plain(reply: ItemsReply) -> ItemsBody {
        let len = u32::try_from(reply.encoded_len()).expect("getAll's reply fits one message");
        ItemsBody::new(reply, State::Plain(Some(prefix(false, len))))
    }

    /// The body of `reply` compressed with `encoding` (a `grpc-encoding` value), or `None` for
    /// an encoding [`Compressor`] does not make.
    pub fn compressed(reply: ItemsReply, encoding: &[u8]) -> Option<ItemsBody> {
        let state = match Compressor::new(encoding, PREFIX_LEN, CHUNK)? {
            Ok(compressor) => State::Compressing(compressor),
            Err(err) => return Some(ItemsBody::failed(compression_failed(&err))),
        };
        Some(ItemsBody::new(reply, state))
    }

    fn new(reply: ItemsReply, state: State) -> ItemsBody {
        ItemsBody {
            items: Ids {
                next: 1,
                last: reply.length(),
            },
            state,
            trailers: Some(trailers(&Status::ok(""))),
        }
    }

    /// A body that sends no data, only `status` in its trailers.
    fn failed(status: Status) -> ItemsBody {
        ItemsBody {
            items: Ids { next: 1, last: 0 },
            state: State::Sent,
            trailers: Some(trailers(&status)),
        }
    }

    /// The next chunk of an uncompressed body: the prefix first, then items.
    fn next_chunk(&mut self) -> Bytes {
        let mut chunk = BytesMut::with_capacity(PREFIX_LEN + CHUNK + MAX_ITEM_LEN);
        if let State::Plain(prefix) = &mut self.state
            && let Some(prefix) = prefix.take()
        {
            chunk.put_slice(&prefix);
        }
        // Items while there is less than CHUNK: the capacity is never exceeded.
        self.items.encode_into(&mut chunk, CHUNK);
        if self.items.is_empty() {
            self.state = State::Sent;
        }
        chunk.freeze()
    }

    /// Compresses the next STEP of items; after the last, finishes the message: its chunks,
    /// prefix and all, are ready to send. Returns whether it was the last.
    fn compress_step(&mut self) -> Result<bool, Status> {
        let State::Compressing(compressor) = &mut self.state else {
            unreachable!("only a compressing body compresses");
        };
        let mut step = BytesMut::with_capacity(STEP + MAX_ITEM_LEN);
        self.items.encode_into(&mut step, STEP);
        compressor
            .write(&step)
            .map_err(|err| compression_failed(&err))?;
        if !self.items.is_empty() {
            return Ok(false);
        }
        let State::Compressing(compressor) = mem::replace(&mut self.state, State::Sent) else {
            unreachable!("only a compressing body compresses");
        };
        let mut chunks = compressor
            .finish()
            .map_err(|err| compression_failed(&err))?;
        let len: usize = chunks.iter().map(Vec::len).sum::<usize>() - PREFIX_LEN;
        let len = u32::try_from(len).map_err(|_| {
            Status::resource_exhausted("the compressed reply is over gRPC's 4 GiB for a message")
        })?;
        chunks[0][..PREFIX_LEN].copy_from_slice(&prefix(true, len));
        self.state = State::Sending(chunks.into_iter());
        Ok(true)
    }
}

impl Body for ItemsBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let body = self.get_mut();
        loop {
            match &mut body.state {
                State::Plain(_) => return Poll::Ready(Some(Ok(Frame::data(body.next_chunk())))),
                State::Compressing(_) => match body.compress_step() {
                    Ok(true) => {}
                    Ok(false) => {
                        // More to compress: after the other tasks have had their turn.
                        cx.waker().wake_by_ref();
                        return Poll::Pending;
                    }
                    Err(status) => {
                        body.state = State::Sent;
                        body.trailers = Some(trailers(&status));
                    }
                },
                State::Sending(chunks) => match chunks.next() {
                    Some(chunk) => return Poll::Ready(Some(Ok(Frame::data(chunk.into())))),
                    None => body.state = State::Sent,
                },
                State::Sent => {
                    return Poll::Ready(body.trailers.take().map(|t| Ok(Frame::trailers(t))));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.trailers.is_none()
    }
}

/// The prefix of a message of `len` bytes.
fn prefix(compressed: bool, len: u32) -> [u8; PREFIX_LEN] {
    let mut prefix = [u8::from(compressed), 0, 0, 0, 0];
    prefix[1..].copy_from_slice(&len.to_be_bytes());
    prefix
}

/// The trailers of a reply that ends with `status`, as tonic writes them.
fn trailers(status: &Status) -> HeaderMap {
    let mut trailers = HeaderMap::new();
    if let Err(invalid) = status.add_header(&mut trailers) {
        // Only a message that cannot be a header value gets here: send the status without it.
        trailers.clear();
        let _ = Status::new(invalid.code(), "").add_header(&mut trailers);
    }
    trailers
}

/// The status of a compression that failed, worded as tonic words it.
fn compression_failed(err: &std::io::Error) -> Status {
    Status::internal(format!("Error compressing: {err}"))
}

#[cfg(test)]
mod tests {
    use std::{future::poll_fn, io::Read as _};

    use prost::Message as _;

    use super::*;

    /// The body's data, its trailers, and the size of its largest data frame.
    async fn collect(mut body: ItemsBody) -> (Vec<u8>, HeaderMap, usize) {
        let (mut data, mut largest) = (Vec::new(), 0);
        let mut trailers = None;
        while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            let frame = frame.unwrap();
            assert!(trailers.is_none(), "nothing after the trailers");
            match frame.into_data() {
                Ok(chunk) => {
                    largest = largest.max(chunk.len());
                    data.extend_from_slice(&chunk);
                }
                Err(frame) => trailers = Some(frame.into_trailers().unwrap()),
            }
        }
        assert!(body.is_end_stream());
        (data, trailers.expect("trailers"), largest)
    }

    fn assert_ok(trailers: &HeaderMap) {
        assert_eq!(trailers.len(), 1, "{trailers:?}");
        assert_eq!(trailers["grpc-status"], "0");
    }

    const LENGTHS: [u32; 4] = [0, 1, 1000, 100_000];

    #[tokio::test]
    async fn sends_the_message_tonic_sends_in_chunks() {
        for length in LENGTHS {
            let reply = ItemsReply::new(length);
            let message = reply.into_items().encode_to_vec();
            let mut expected = prefix(false, message.len() as u32).to_vec();
            expected.extend_from_slice(&message);

            let (data, trailers, largest) = collect(ItemsBody::plain(reply)).await;
            assert!(data == expected, "{length} items: the bytes differ");
            assert_ok(&trailers);
            let most = PREFIX_LEN + CHUNK + MAX_ITEM_LEN;
            assert!(largest < most, "{length} items: {largest} bytes");
        }
    }

    #[tokio::test]
    async fn sends_one_compressed_message_of_the_same_items() {
        for encoding in [&b"gzip"[..], b"zstd"] {
            for length in LENGTHS {
                let reply = ItemsReply::new(length);
                let message = reply.into_items().encode_to_vec();
                let body = ItemsBody::compressed(reply, encoding).unwrap();
                let (data, trailers, largest) = collect(body).await;
                assert_ok(&trailers);
                assert!(largest <= CHUNK, "{length} items: {largest} bytes");

                assert_eq!(data[0], 1, "the compressed flag");
                let len = u32::from_be_bytes(data[1..PREFIX_LEN].try_into().unwrap());
                assert_eq!(len as usize, data.len() - PREFIX_LEN);
                let mut back = Vec::new();
                let compressed = &data[PREFIX_LEN..];
                match encoding {
                    b"gzip" => flate2::read::GzDecoder::new(compressed)
                        .read_to_end(&mut back)
                        .unwrap(),
                    _ => zstd::stream::read::Decoder::new(compressed)
                        .unwrap()
                        .read_to_end(&mut back)
                        .unwrap(),
                };
                assert!(
                    back == message,
                    "{length} items, {encoding:?}: the bytes differ"
                );
            }
        }
        assert!(ItemsBody::compressed(ItemsReply::new(1), b"deflate").is_none());
    }

    #[test]
    fn a_failure_is_a_status_in_the_trailers() {
        let status = Status::internal("Error compressing: out of memory");
        let body = ItemsBody::failed(status);
        let (data, trailers, _) = futures_util::FutureExt::now_or_never(collect(body)).unwrap();
        assert!(data.is_empty());
        assert_eq!(trailers["grpc-status"], "13");
        assert_eq!(
            trailers["grpc-message"],
            "Error%20compressing:%20out%20of%20memory"
        );
    }
}

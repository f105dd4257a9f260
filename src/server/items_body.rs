//! The HTTP/2 body of an uncompressed getAll reply, made a chunk at a time as it is sent.
//!
//! A gRPC message is its 5-byte prefix (compressed or not, and the length) and then its bytes.
//! tonic encodes each message whole into one buffer before its first byte goes out, so a
//! reply of a million items was 19 MB in memory at once. The length of an [`ItemsReply`] is
//! known without encoding it, so the prefix goes first and the items follow in chunks of about
//! [`CHUNK`] bytes, each made when hyper asks for the next: only when HTTP/2 flow control has
//! let the last one out. The trailers are those tonic sends after a reply, `grpc-status: 0`.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use bytes::{BufMut as _, Bytes, BytesMut};
use http::HeaderMap;
use http_body::{Body, Frame};
use tonic::Status;

use super::items_reply::{ItemsReply, MAX_ITEM_LEN, encode_item};

/// About how many bytes each data frame carries (tonic's yield threshold).
pub const CHUNK: usize = 32 * 1024;
/// The gRPC prefix of a message: a compressed flag and the length.
const PREFIX_LEN: usize = 5;

/// The body of one uncompressed getAll reply.
pub struct ItemsBody {
    /// The message's prefix, until it is sent.
    prefix: Option<[u8; PREFIX_LEN]>,
    /// The next item to encode.
    next: u32,
    /// The last item.
    last: u32,
    /// The trailers, until they are sent.
    trailers: Option<HeaderMap>,
}

impl ItemsBody {
    /// The body of `reply`, which is at most `u32::MAX` bytes (gRPC's limit for one message;
    /// see `ApiService::get_all_reply`).
    pub fn new(reply: ItemsReply) -> ItemsBody {
        let len = u32::try_from(reply.encoded_len()).expect("getAll's reply fits one message");
        let mut prefix = [0; PREFIX_LEN];
        prefix[1..].copy_from_slice(&len.to_be_bytes());
        let mut trailers = HeaderMap::new();
        Status::ok("")
            .add_header(&mut trailers)
            .expect("an OK status is valid headers");
        ItemsBody {
            prefix: Some(prefix),
            next: 1,
            last: reply.length(),
            trailers: Some(trailers),
        }
    }
}

impl Body for ItemsBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let body = self.get_mut();
        if body.prefix.is_none() && body.next > body.last {
            return Poll::Ready(body.trailers.take().map(|t| Ok(Frame::trailers(t))));
        }
        // The prefix, then items while there is less than CHUNK: the capacity is never exceeded.
        let mut chunk = BytesMut::with_capacity(PREFIX_LEN + CHUNK + MAX_ITEM_LEN);
        if let Some(prefix) = body.prefix.take() {
            chunk.put_slice(&prefix);
        }
        while body.next <= body.last && chunk.len() < CHUNK {
            encode_item(body.next, &mut chunk);
            body.next += 1;
        }
        Poll::Ready(Some(Ok(Frame::data(chunk.freeze()))))
    }

    fn is_end_stream(&self) -> bool {
        self.trailers.is_none()
    }
}

#[cfg(test)]
mod tests {
    use std::future::poll_fn;

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

    #[tokio::test]
    async fn sends_the_message_tonic_sends_in_chunks() {
        for length in [0, 1, 1000, 100_000] {
            let reply = ItemsReply::new(length);
            let message = reply.into_items().encode_to_vec();
            let mut expected = vec![0];
            expected.extend_from_slice(&(message.len() as u32).to_be_bytes());
            expected.extend_from_slice(&message);

            let (data, trailers, largest) = collect(ItemsBody::new(reply)).await;
            assert!(data == expected, "{length} items: the bytes differ");
            assert_eq!(trailers.len(), 1, "{trailers:?}");
            assert_eq!(trailers["grpc-status"], "0");
            let most = PREFIX_LEN + CHUNK + MAX_ITEM_LEN;
            assert!(largest < most, "{length} items: {largest} bytes");
        }
    }
}

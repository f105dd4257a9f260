//! getAll's reply, made as it is encoded: `Items{items: [Item{id, name: "name {id}"}, …]}` for
//! ids 1 to `length`, written item by item with the bytes prost would write for the same
//! `Items`, and never held as a `Vec<Item>` first.
//!
//! A million items are about 60 MB as `Item` structs and their `String`s, and 19 MB encoded;
//! built first and then encoded, a reply existed twice. An [`ItemsReply`] is only its length:
//! its encoded length is worked out without encoding it, and its items are encoded where they
//! are sent (`items_body.rs`). Its codec lets tonic's unary handler carry it; the codec's
//! encoder, for an encoding that body does not make, writes the items straight into tonic's
//! buffer, reserved at their exact length (so it is not grown by doubling and copied either).

use bytes::BufMut;
use prost::encoding::{encode_varint, encoded_len_varint};
use tonic::{
    Status,
    codec::{Codec, EncodeBuf, Encoder},
};
use tonic_prost::ProstDecoder;

use crate::api::{ApiRequest, Item, Items};

/// The key of `Items.items` (field 1, length-delimited).
const ITEMS_KEY: u8 = 1 << 3 | 2;
/// The key of `Item.id` (field 1, varint).
const ID_KEY: u8 = 1 << 3;
/// The key of `Item.name` (field 2, length-delimited).
const NAME_KEY: u8 = 2 << 3 | 2;
/// What every name starts with; the id's decimal digits follow.
const NAME_PREFIX: &[u8] = b"name ";
/// The longest item on the wire: the key and length of the item, then id 2,147,483,647 as a
/// five-byte varint and the name "name 2147483647".
pub const MAX_ITEM_LEN: usize = 2 + 2 + 5 + NAME_PREFIX.len() + 10 + 1;

/// `Items` with ids 1 to `length`, not yet made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemsReply {
    length: u32,
}

impl ItemsReply {
    /// The reply of `length` items; `length` is at most `i32::MAX`, as ids are `int32`.
    pub fn new(length: u32) -> ItemsReply {
        assert!(length <= i32::MAX as u32, "item ids are int32");
        ItemsReply { length }
    }

    /// The encoded length in bytes, without encoding: ids with as many decimal digits and as
    /// many varint bytes encode to items of one size, so it adds up runs of such ids.
    pub fn encoded_len(self) -> usize {
        let last = u64::from(self.length);
        let mut total = 0;
        let mut id = 1;
        while id <= last {
            let run_end = next_size_change(id).min(last + 1);
            total += (run_end - id) as usize * item_len(id as u32);
            id = run_end;
        }
        total
    }

    /// The number of items.
    pub fn length(self) -> u32 {
        self.length
    }

    /// Writes the items into `buf`, one after the other, exactly as prost encodes the `Items`.
    pub fn encode(self, buf: &mut impl BufMut) {
        for id in 1..=self.length {
            encode_item(id, buf);
        }
    }

    /// The same reply as a message, for a server that serves the generated `Items`.
    pub fn into_items(self) -> Items {
        let items = (1..=self.length as i32)
            .map(|id| Item {
                id,
                name: format!("name {id}"),
            })
            .collect();
        Items { items }
    }
}

/// Writes item `id` of `Items`: the key and length of `items`, then `Item{id, name}`, as prost
/// writes them (fields in number order; `id` is never 0 nor `name` empty, so neither is left
/// out). The item is put together on the stack and put into `buf` in one piece.
pub fn encode_item(id: u32, buf: &mut impl BufMut) {
    let mut digits = itoa::Buffer::new();
    let name = digits.format(id).as_bytes();
    let name_len = NAME_PREFIX.len() + name.len();
    let body_len = 1 + encoded_len_varint(u64::from(id)) + 1 + 1 + name_len;
    let mut item = [0u8; MAX_ITEM_LEN];
    let mut out = &mut item[..];
    out.put_u8(ITEMS_KEY);
    encode_varint(body_len as u64, &mut out);
    out.put_u8(ID_KEY);
    encode_varint(u64::from(id), &mut out);
    out.put_u8(NAME_KEY);
    encode_varint(name_len as u64, &mut out);
    out.put_slice(NAME_PREFIX);
    out.put_slice(name);
    let written = MAX_ITEM_LEN - out.len();
    buf.put_slice(&item[..written]);
}

/// The bytes of item `id` in `Items`: the key and length of `items`, then the `Item`. Names
/// are at most 15 bytes, so the `Item` is always shorter than 128 and its length one byte.
fn item_len(id: u32) -> usize {
    let digits = id.checked_ilog10().unwrap_or(0) as usize + 1;
    let body_len = 1 + encoded_len_varint(u64::from(id)) + 1 + 1 + NAME_PREFIX.len() + digits;
    1 + encoded_len_varint(body_len as u64) + body_len
}

/// The first id after `id` with more decimal digits or more varint bytes: the next power of
/// 10 or of 128, whichever comes first.
fn next_size_change(id: u64) -> u64 {
    let above = |base: u64| {
        let mut power = base;
        while power <= id {
            power *= base;
        }
        power
    };
    above(10).min(above(128))
}

/// The codec of getAll: requests decode as `ApiRequest` with prost, replies encode from an
/// [`ItemsReply`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ItemsCodec;

impl Codec for ItemsCodec {
    type Encode = ItemsReply;
    type Decode = ApiRequest;
    type Encoder = ItemsEncoder;
    type Decoder = ProstDecoder<ApiRequest>;

    fn encoder(&mut self) -> ItemsEncoder {
        ItemsEncoder
    }

    fn decoder(&mut self) -> ProstDecoder<ApiRequest> {
        ProstDecoder::default()
    }
}

/// Encodes an [`ItemsReply`] into tonic's buffer, reserving its exact length first.
#[derive(Debug, Clone, Copy, Default)]
pub struct ItemsEncoder;

impl Encoder for ItemsEncoder {
    type Item = ItemsReply;
    type Error = Status;

    fn encode(&mut self, reply: ItemsReply, buf: &mut EncodeBuf<'_>) -> Result<(), Status> {
        buf.reserve(reply.encoded_len());
        reply.encode(buf);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use prost::Message as _;

    use super::*;

    fn encoded(reply: ItemsReply) -> Vec<u8> {
        let mut buf = Vec::new();
        reply.encode(&mut buf);
        buf
    }

    #[test]
    fn encodes_the_bytes_prost_encodes() {
        for length in [0, 1, 9, 10, 127, 128, 1000, 16_384, 100_001] {
            let reply = ItemsReply::new(length);
            let expected = reply.into_items().encode_to_vec();
            assert_eq!(encoded(reply), expected, "{length} items");
            assert_eq!(reply.encoded_len(), expected.len(), "{length} items");
        }
    }

    #[test]
    fn the_largest_ids_encode_as_prost_does() {
        for id in [
            2_097_151,
            2_097_152,
            268_435_455,
            268_435_456,
            i32::MAX as u32,
        ] {
            let mut expected = Vec::new();
            let item = Item {
                id: id as i32,
                name: format!("name {id}"),
            };
            prost::encoding::message::encode(1, &item, &mut expected);
            assert_eq!(item_len(id), expected.len(), "id {id}");
            assert!(expected.len() <= MAX_ITEM_LEN, "id {id}");
        }
    }

    #[test]
    fn lengths_add_up_across_every_change_of_size() {
        // Up to the 8-digit ids, past the varint steps at 128, 16,384 and 2,097,152.
        let reply = ItemsReply::new(3_000_000);
        let by_item: usize = (1..=3_000_000).map(item_len).sum();
        assert_eq!(reply.encoded_len(), by_item);
    }

    #[test]
    fn one_million_items_are_about_19_mb() {
        let len = ItemsReply::new(1_000_000).encoded_len();
        assert_eq!(len, encoded(ItemsReply::new(1_000_000)).len());
        assert!((18_000_000..20_000_000).contains(&len), "{len}");
    }
}

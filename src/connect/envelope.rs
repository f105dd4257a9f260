//! Envelopes: the 5-byte prefix (one byte of flags, four of big-endian length) before each
//! message of a Connect stream. It is the prefix of a gRPC frame too, with the same bit 0x01 for
//! a compressed message, so a message passes between the two protocols as it is; only Connect's
//! 0x02, the end-stream message, is Connect's own.

use bytes::{Buf as _, Bytes, BytesMut};

use super::WireError;

/// The length of the prefix.
pub const PREFIX: usize = 5;
/// The flag of a message compressed with the stream's encoding.
pub const COMPRESSED: u8 = 0x01;
/// The flag of the end-stream message, the last of a response stream.
pub const END_STREAM: u8 = 0x02;

/// The prefix of a message of `len` bytes with `flags`, or an error when the length does not
/// fit in four bytes.
pub fn prefix(flags: u8, len: usize) -> Result<[u8; PREFIX], WireError> {
    let len = u32::try_from(len).map_err(|_| {
        WireError::new(format!(
            "a message of {len} bytes is over the 4 GiB an envelope can carry"
        ))
    })?;
    let [a, b, c, d] = len.to_be_bytes();
    Ok([flags, a, b, c, d])
}

/// `message` in an envelope with `flags`.
pub fn encode(flags: u8, message: &[u8]) -> Result<Bytes, WireError> {
    let mut out = BytesMut::with_capacity(PREFIX + message.len());
    out.extend_from_slice(&prefix(flags, message.len())?);
    out.extend_from_slice(message);
    Ok(out.freeze())
}

/// The first envelope of `body`, held whole: a slice of it, not a copy. `None` for an empty
/// body; an error for one that ends inside the envelope.
pub fn first(body: &Bytes) -> Result<Option<Envelope>, WireError> {
    if body.is_empty() {
        return Ok(None);
    }
    let Some(head) = body.get(..PREFIX) else {
        return Err(WireError::new(format!(
            "the body ended {} bytes into an envelope's 5-byte prefix",
            body.len()
        )));
    };
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if body.len() < PREFIX + len {
        return Err(WireError::new(format!(
            "the body ended {} bytes into a message whose envelope announced {len} bytes",
            body.len() - PREFIX
        )));
    }
    Ok(Some(Envelope {
        flags: head[0],
        message: body.slice(PREFIX..PREFIX + len),
    }))
}

/// One message and its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub flags: u8,
    pub message: Bytes,
}

impl Envelope {
    pub fn is_compressed(&self) -> bool {
        self.flags & COMPRESSED != 0
    }

    pub fn is_end_stream(&self) -> bool {
        self.flags & END_STREAM != 0
    }
}

/// Envelopes cut from a body that arrives in chunks of any size. A message over `max` bytes is
/// refused as soon as its prefix is read, before any of it is held.
#[derive(Debug)]
pub struct Envelopes {
    buffer: BytesMut,
    max: usize,
}

impl Envelopes {
    pub fn new(max: usize) -> Envelopes {
        Envelopes {
            buffer: BytesMut::new(),
            max,
        }
    }

    /// Adds the next chunk of the body.
    pub fn push(&mut self, chunk: &[u8]) {
        self.buffer.extend_from_slice(chunk);
    }

    /// The next whole envelope, if it has arrived.
    pub fn next_envelope(&mut self) -> Result<Option<Envelope>, WireError> {
        let Some(head) = self.buffer.get(..PREFIX) else {
            return Ok(None);
        };
        let flags = head[0];
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if len > self.max {
            return Err(WireError::new(format!(
                "an envelope announces a message of {len} bytes, over the limit of {} bytes",
                self.max
            )));
        }
        if self.buffer.len() < PREFIX + len {
            self.buffer.reserve(PREFIX + len - self.buffer.len());
            return Ok(None);
        }
        self.buffer.advance(PREFIX);
        let message = self.buffer.split_to(len).freeze();
        Ok(Some(Envelope { flags, message }))
    }

    /// The whole envelopes that have arrived, up to the first end-stream message, as they
    /// came (prefixes included, not copied again): what passes from one protocol to the other
    /// unchanged. Then [`next_envelope`](Envelopes::next_envelope) gives the end-stream
    /// message, when it has come.
    pub fn take_messages(&mut self) -> Result<Bytes, WireError> {
        let mut at = 0;
        while let Some(head) = self.buffer.get(at..at + PREFIX) {
            if head[0] & END_STREAM != 0 {
                break;
            }
            let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
            if len > self.max {
                if at > 0 {
                    break;
                }
                return Err(WireError::new(format!(
                    "an envelope announces a message of {len} bytes, over the limit of {} bytes",
                    self.max
                )));
            }
            if self.buffer.len() < at + PREFIX + len {
                break;
            }
            at += PREFIX + len;
        }
        Ok(self.buffer.split_to(at).freeze())
    }

    /// Says whether the body may end here: it may not inside an envelope (a length prefix that
    /// promised more than came).
    pub fn finish(&self) -> Result<(), WireError> {
        let held = self.buffer.len();
        if held == 0 {
            return Ok(());
        }
        if held < PREFIX {
            return Err(WireError::new(format!(
                "the body ended {held} bytes into an envelope's 5-byte prefix"
            )));
        }
        let len = u32::from_be_bytes([
            self.buffer[1],
            self.buffer[2],
            self.buffer[3],
            self.buffer[4],
        ]);
        Err(WireError::new(format!(
            "the body ended {} bytes into a message whose envelope announced {len} bytes",
            held - PREFIX
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specs_examples() {
        // <flags: 0><length: 15>{"name": "Buf"}
        let first = encode(0, br#"{"name": "Buf"}"#).unwrap();
        assert_eq!(&first[..PREFIX], &[0, 0, 0, 0, 15]);
        // <flags: 2><length: 2>{}
        let end = encode(END_STREAM, b"{}").unwrap();
        assert_eq!(&end[..], b"\x02\x00\x00\x00\x02{}");

        let mut envelopes = Envelopes::new(1024);
        let body = [first, end].concat();
        // Byte by byte: every split of the body cuts the same envelopes.
        let mut cut = Vec::new();
        for byte in &body {
            envelopes.push(&[*byte]);
            while let Some(envelope) = envelopes.next_envelope().unwrap() {
                cut.push(envelope);
            }
        }
        envelopes.finish().unwrap();
        assert_eq!(cut.len(), 2);
        assert_eq!(&cut[0].message[..], br#"{"name": "Buf"}"#);
        assert!(!cut[0].is_end_stream() && !cut[0].is_compressed());
        assert!(cut[1].is_end_stream());
    }

    #[test]
    fn the_first_envelope_of_a_whole_body() {
        let body = encode(0, b"abc").unwrap();
        let envelope = first(&body).unwrap().unwrap();
        assert_eq!(&envelope.message[..], b"abc");
        assert_eq!(first(&Bytes::new()), Ok(None));
        assert!(
            first(&body.slice(..6))
                .unwrap_err()
                .0
                .contains("announced 3 bytes")
        );
        assert!(
            first(&body.slice(..2))
                .unwrap_err()
                .0
                .contains("5-byte prefix")
        );
    }

    #[test]
    fn messages_are_taken_whole_up_to_the_end_stream() {
        let body = [
            encode(0, b"one").unwrap(),
            encode(COMPRESSED, b"two").unwrap(),
            encode(END_STREAM, b"{}").unwrap(),
        ]
        .concat();
        let mut envelopes = Envelopes::new(16);
        envelopes.push(&body[..12]);
        // The first envelope is whole, the second not yet.
        assert_eq!(&envelopes.take_messages().unwrap()[..], &body[..8]);
        envelopes.push(&body[12..]);
        assert_eq!(&envelopes.take_messages().unwrap()[..], &body[8..16]);
        assert!(envelopes.take_messages().unwrap().is_empty());
        let end = envelopes.next_envelope().unwrap().unwrap();
        assert!(end.is_end_stream());
        envelopes.finish().unwrap();

        let mut envelopes = Envelopes::new(2);
        envelopes.push(&encode(0, b"one").unwrap());
        assert!(
            envelopes
                .take_messages()
                .unwrap_err()
                .0
                .contains("over the limit")
        );
    }

    #[test]
    fn an_empty_message_is_an_envelope() {
        let mut envelopes = Envelopes::new(0);
        envelopes.push(&[1, 0, 0, 0, 0]);
        let envelope = envelopes.next_envelope().unwrap().unwrap();
        assert!(envelope.is_compressed() && envelope.message.is_empty());
        assert_eq!(envelopes.next_envelope(), Ok(None));
    }

    #[test]
    fn a_lying_length_prefix_is_an_error_at_the_end() {
        let mut envelopes = Envelopes::new(1 << 20);
        envelopes.push(&[0, 0, 0, 3, 232, b'a', b'b']);
        assert_eq!(envelopes.next_envelope(), Ok(None));
        let err = envelopes.finish().unwrap_err();
        assert_eq!(
            err.0,
            "the body ended 2 bytes into a message whose envelope announced 1000 bytes"
        );

        let mut envelopes = Envelopes::new(1 << 20);
        envelopes.push(&[0, 0]);
        assert!(envelopes.finish().unwrap_err().0.contains("5-byte prefix"));
    }

    #[test]
    fn a_length_over_the_limit_is_refused_at_once() {
        let mut envelopes = Envelopes::new(10);
        envelopes.push(&[0, 0xff, 0xff, 0xff, 0xff]);
        let err = envelopes.next_envelope().unwrap_err();
        assert!(err.0.contains("4294967295 bytes"), "{err}");
    }
}

//! The messages of a gRPC body as it streams past: length-prefixed frames cut out of data
//! chunks of any size, and decompressed when their flag says so.

use std::io::Read as _;

use bytes::{Buf as _, Bytes, BytesMut};

/// The five bytes before each message: a compression flag and the length.
const PREFIX: usize = 5;

/// The messages of one direction of a call.
#[derive(Debug)]
pub struct Frames {
    pending: BytesMut,
    /// The `grpc-encoding` of this direction, for compressed frames.
    encoding: Option<String>,
}

impl Frames {
    pub fn new(encoding: Option<&http::HeaderValue>) -> Frames {
        Frames {
            pending: BytesMut::new(),
            encoding: encoding.and_then(|v| v.to_str().ok()).map(str::to_owned),
        }
    }

    /// Takes in one chunk of the body; returns the messages it completed, decompressed, or why
    /// one cannot be read.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Result<Bytes, String>> {
        self.pending.extend_from_slice(chunk);
        let mut messages = Vec::new();
        while self.pending.len() >= PREFIX {
            let length = u32::from_be_bytes([
                self.pending[1],
                self.pending[2],
                self.pending[3],
                self.pending[4],
            ]) as usize;
            if self.pending.len() < PREFIX + length {
                break;
            }
            let compressed = self.pending[0] & 1 == 1;
            self.pending.advance(PREFIX);
            let payload = self.pending.split_to(length).freeze();
            messages.push(if compressed {
                self.decompress(&payload)
            } else {
                Ok(payload)
            });
        }
        messages
    }

    /// Whether a message was cut off: bytes left over when the body ended.
    pub fn is_partial(&self) -> bool {
        !self.pending.is_empty()
    }

    fn decompress(&self, payload: &[u8]) -> Result<Bytes, String> {
        let mut out = Vec::new();
        match self.encoding.as_deref() {
            Some("gzip") => flate2::read::GzDecoder::new(payload)
                .read_to_end(&mut out)
                .map_err(|err| format!("a gzip message does not decompress: {err}"))?,
            Some("zstd") => zstd::stream::read::Decoder::new(payload)
                .and_then(|mut decoder| decoder.read_to_end(&mut out))
                .map_err(|err| format!("a zstd message does not decompress: {err}"))?,
            Some(other) => return Err(format!("messages compressed with '{other}'")),
            None => return Err("a compressed message without grpc-encoding".to_owned()),
        };
        Ok(Bytes::from(out))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    fn frame(flag: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![flag];
        out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    #[test]
    fn messages_split_across_chunks_come_out_whole() {
        let mut frames = Frames::new(None);
        let mut body = frame(0, b"hello");
        body.extend(frame(0, b""));
        body.extend(frame(0, b"world!"));
        let mut got = Vec::new();
        for chunk in body.chunks(3) {
            got.extend(frames.push(chunk).into_iter().map(Result::unwrap));
        }
        assert_eq!(got, [&b"hello"[..], b"", b"world!"]);
        assert!(!frames.is_partial());
        frames.push(&frame(0, b"cut")[..6]);
        assert!(frames.is_partial());
    }

    #[test]
    fn compressed_messages_are_decompressed() {
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gzip.write_all(b"zipped").unwrap();
        let value = http::HeaderValue::from_static("gzip");
        let mut frames = Frames::new(Some(&value));
        let got = frames.push(&frame(1, &gzip.finish().unwrap()));
        assert_eq!(got, [Ok(Bytes::from_static(b"zipped"))]);

        let zstd = zstd::encode_all(&b"squeezed"[..], 1).unwrap();
        let value = http::HeaderValue::from_static("zstd");
        let got = Frames::new(Some(&value)).push(&frame(1, &zstd));
        assert_eq!(got, [Ok(Bytes::from_static(b"squeezed"))]);

        let got = Frames::new(None).push(&frame(1, b"x"));
        assert!(got[0].is_err());
    }
}

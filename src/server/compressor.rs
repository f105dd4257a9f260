//! Compressing a reply piece by piece, with the settings tonic compresses a message with (gzip
//! at level 6, zstd at its default level), into chunks of a fixed size: only the compressed
//! bytes are held, and never moved to a larger buffer as they grow.

use std::io::{self, Write};

use flate2::{Compression, write::GzEncoder};

/// A compressor, whose output starts after a few bytes left for the caller.
pub enum Compressor {
    Gzip(GzEncoder<Chunks>),
    Zstd(zstd::stream::write::Encoder<'static, Chunks>),
}

impl Compressor {
    /// The compressor for `encoding` (a `grpc-encoding` value), with `room` zero bytes before
    /// its output and chunks of `chunk` bytes; `None` for an encoding it does not make.
    pub fn new(encoding: &[u8], room: usize, chunk: usize) -> Option<io::Result<Compressor>> {
        let out = Chunks {
            full: Vec::new(),
            current: vec![0; room],
            chunk: chunk.max(room + 1),
        };
        match encoding {
            b"gzip" => Some(Ok(Compressor::Gzip(GzEncoder::new(
                out,
                Compression::new(6),
            )))),
            b"zstd" => Some(
                zstd::stream::write::Encoder::new(out, zstd::DEFAULT_COMPRESSION_LEVEL)
                    .map(Compressor::Zstd),
            ),
            _ => None,
        }
    }

    /// Compresses `input`.
    pub fn write(&mut self, input: &[u8]) -> io::Result<()> {
        match self {
            Compressor::Gzip(gzip) => gzip.write_all(input),
            Compressor::Zstd(zstd) => zstd.write_all(input),
        }
    }

    /// Ends the compressed stream; returns the output chunks, the first starting with the room.
    pub fn finish(self) -> io::Result<Vec<Vec<u8>>> {
        let out = match self {
            Compressor::Gzip(gzip) => gzip.finish()?,
            Compressor::Zstd(zstd) => zstd.finish()?,
        };
        let mut chunks = out.full;
        chunks.push(out.current);
        Ok(chunks)
    }
}

/// Output kept in chunks of a fixed size.
pub struct Chunks {
    full: Vec<Vec<u8>>,
    current: Vec<u8>,
    chunk: usize,
}

impl Write for Chunks {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.current.len() == self.chunk {
            let next = Vec::with_capacity(self.chunk);
            self.full.push(std::mem::replace(&mut self.current, next));
        }
        let taken = buf.len().min(self.chunk - self.current.len());
        self.current.extend_from_slice(&buf[..taken]);
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    #[test]
    fn compresses_into_chunks_after_the_room() {
        let input: Vec<u8> = (0..100_000u32)
            .flat_map(|n| format!("name {n} ").into_bytes())
            .collect();
        for encoding in [&b"gzip"[..], b"zstd"] {
            let mut compressor = Compressor::new(encoding, 5, 1000).unwrap().unwrap();
            for piece in input.chunks(333) {
                compressor.write(piece).unwrap();
            }
            let chunks = compressor.finish().unwrap();
            assert!(chunks.len() > 2, "{}", chunks.len());
            let (last, full) = chunks.split_last().unwrap();
            assert!(full.iter().all(|chunk| chunk.len() == 1000));
            assert!((1..=1000).contains(&last.len()));
            assert_eq!(&chunks[0][..5], &[0; 5]);

            let out = chunks.concat();
            let mut back = Vec::new();
            match encoding {
                b"gzip" => flate2::read::GzDecoder::new(&out[5..])
                    .read_to_end(&mut back)
                    .unwrap(),
                _ => zstd::stream::read::Decoder::new(&out[5..])
                    .unwrap()
                    .read_to_end(&mut back)
                    .unwrap(),
            };
            assert!(back == input, "{encoding:?}");
        }
        assert!(Compressor::new(b"deflate", 5, 1000).is_none());
    }
}

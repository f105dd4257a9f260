//! Compression: which headers name it (`content-encoding` and `accept-encoding` for unary
//! calls, `connect-content-encoding` and `connect-accept-encoding` for streams), the encodings
//! apicli makes (gzip and zstd, as its gRPC does), and compressing and decompressing a message,
//! the latter with a limit, so that a small bomb cannot fill the memory.

use std::io::{Read as _, Write as _};

use http::{HeaderName, header};

use super::WireError;

/// The encodings apicli makes, in its order of preference.
pub const SUPPORTED: &[Encoding] = &[Encoding::Gzip, Encoding::Zstd];
/// What [`SUPPORTED`] is in an accept header.
pub const ACCEPTED: &str = "gzip, zstd";

/// A compression a message may be sent in; identity is no compression, `None` where an
/// `Option<Encoding>` is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gzip,
    Zstd,
}

/// The header names of a unary call's compression, or of a stream's.
pub struct Headers {
    pub content: HeaderName,
    pub accept: HeaderName,
}

/// The compression headers of a unary call (`streaming` false), or of a stream.
pub fn headers(streaming: bool) -> Headers {
    if streaming {
        Headers {
            content: HeaderName::from_static("connect-content-encoding"),
            accept: HeaderName::from_static("connect-accept-encoding"),
        }
    } else {
        Headers {
            content: header::CONTENT_ENCODING,
            accept: header::ACCEPT_ENCODING,
        }
    }
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
            Encoding::Zstd => "zstd",
        }
    }

    /// The encoding a content-encoding names: `Ok(None)` for identity (or no header), an
    /// error naming what is made for one apicli does not make.
    pub fn from_name(name: &[u8]) -> Result<Option<Encoding>, WireError> {
        match name {
            b"" | b"identity" => Ok(None),
            b"gzip" => Ok(Some(Encoding::Gzip)),
            b"zstd" => Ok(Some(Encoding::Zstd)),
            other => Err(WireError::new(format!(
                "the compression {:?} is not supported: use one of identity, {ACCEPTED}",
                String::from_utf8_lossy(other)
            ))),
        }
    }

    /// The first encoding of an accept header (an ordered list, most preferred first) that
    /// apicli makes; `None` for identity.
    pub fn pick(accept: &[u8]) -> Option<Encoding> {
        let accept = std::str::from_utf8(accept).ok()?;
        accept.split(',').find_map(|item| {
            // Quality values are allowed, and ignored: the order says the preference.
            let name = item.split(';').next()?.trim();
            Encoding::from_name(name.as_bytes()).ok().flatten()
        })
    }

    pub fn compress(self, message: &[u8]) -> Vec<u8> {
        let out = Vec::with_capacity(message.len() / 2 + 64);
        // Writing into a Vec cannot fail.
        match self {
            Encoding::Gzip => {
                let mut gzip = flate2::write::GzEncoder::new(out, flate2::Compression::new(6));
                let _ = gzip.write_all(message);
                gzip.finish().unwrap_or_default()
            }
            Encoding::Zstd => {
                zstd::bulk::compress(message, zstd::DEFAULT_COMPRESSION_LEVEL).unwrap_or_default()
            }
        }
    }

    /// `message` decompressed, or an error when it is not in this encoding or would be over
    /// `limit` bytes.
    pub fn decompress(self, message: &[u8], limit: usize) -> Result<Vec<u8>, WireError> {
        let mut out = Vec::new();
        let cap = limit as u64 + 1;
        let read = match self {
            Encoding::Gzip => flate2::read::GzDecoder::new(message)
                .take(cap)
                .read_to_end(&mut out),
            Encoding::Zstd => zstd::stream::read::Decoder::new(message)
                .and_then(|decoder| decoder.take(cap).read_to_end(&mut out)),
        };
        read.map_err(|err| {
            WireError::new(format!(
                "a message does not decompress with {}: {err}",
                self.name()
            ))
        })?;
        if out.len() > limit {
            return Err(WireError::new(format!(
                "a message decompresses to more than the limit of {limit} bytes"
            )));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unary_and_streams_name_compression_differently() {
        assert_eq!(headers(false).content, "content-encoding");
        assert_eq!(headers(false).accept, "accept-encoding");
        assert_eq!(headers(true).content, "connect-content-encoding");
        assert_eq!(headers(true).accept, "connect-accept-encoding");
    }

    #[test]
    fn names_and_preferences() {
        assert_eq!(Encoding::from_name(b"identity"), Ok(None));
        assert_eq!(Encoding::from_name(b"zstd"), Ok(Some(Encoding::Zstd)));
        let err = Encoding::from_name(b"br").unwrap_err();
        assert!(err.0.contains("\"br\" is not supported"), "{err}");
        // The spec's example: "Accept-Encoding: gzip, br".
        assert_eq!(Encoding::pick(b"gzip, br"), Some(Encoding::Gzip));
        assert_eq!(Encoding::pick(b"br,zstd"), Some(Encoding::Zstd));
        assert_eq!(Encoding::pick(b"zstd;q=0.5, gzip"), Some(Encoding::Zstd));
        assert_eq!(Encoding::pick(b"identity"), None);
        assert_eq!(Encoding::pick(b""), None);
    }

    #[test]
    fn round_trips_and_limits() {
        let message = b"name 1 name 2 name 3 ".repeat(1000);
        for &encoding in SUPPORTED {
            let compressed = encoding.compress(&message);
            assert!(compressed.len() < message.len());
            assert_eq!(
                encoding.decompress(&compressed, message.len()).unwrap(),
                message
            );
            let err = encoding.decompress(&compressed, 100).unwrap_err();
            assert!(err.0.contains("limit of 100 bytes"), "{err}");
            let err = encoding.decompress(b"not compressed", 100).unwrap_err();
            assert!(err.0.contains(encoding.name()), "{err}");
        }
    }
}

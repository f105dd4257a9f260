//! A latency histogram as text: HdrHistogram's V2 encoding, deflated, in base64 (`HISTF…`), the
//! form that HdrHistogram's own tools read (a histogram log's entries, HistogramLogAnalyzer).
//! Reports carry their histograms in it, so that runs on several machines add up to exact
//! percentiles (`bench merge`).
//!
//! hdrhistogram's serializer and deserializer do the encoding. Before a histogram from a file is
//! handed to the deserializer, its outer frame and header are checked here: the deserializer
//! would allocate whatever a tampered header asks for (a payload of 4 GiB, a histogram of any
//! bounds), and a report's histogram has the bounds of apicli's tallies, or it cannot be added.

use std::io::Read as _;

use base64::{Engine as _, engine::general_purpose::STANDARD};
use flate2::read::ZlibDecoder;
use hdrhistogram::{
    Histogram,
    serialization::{Deserializer, Serializer as _, V2DeflateSerializer},
};

use super::stats;

/// The first four bytes of HdrHistogram's V2 encoding, deflated (`HISTF` in base64), and plain.
const V2_DEFLATE_COOKIE: u32 = 0x1c84_9314;
const V2_COOKIE: u32 = 0x1c84_9313;
/// The plain encoding's header: cookie, payload length, normalizing offset, significant digits,
/// lowest and highest values, and the integer-to-double ratio.
const V2_HEADER: usize = 40;
/// The most a count takes in the payload (a LEB128 varint of 64 bits).
const MAX_VARINT: usize = 9;

/// The histogram's text form.
pub fn encode(histogram: &Histogram<u64>) -> String {
    let mut bytes = Vec::new();
    // Into memory, with counts that a u64 holds: nothing can fail.
    match V2DeflateSerializer::new().serialize(histogram, &mut bytes) {
        Ok(_) => STANDARD.encode(bytes),
        Err(_) => String::new(),
    }
}

/// A histogram from its text form, as [`encode`] writes it with apicli's bounds. The error says
/// what is wrong in a phrase, for the caller to say where.
pub fn decode(text: &str) -> Result<Histogram<u64>, String> {
    let bytes = STANDARD
        .decode(text)
        .map_err(|err| format!("not base64 ({err})"))?;
    let not_hdr = || "not an HdrHistogram V2 deflate encoding".to_owned();
    let (cookie, rest) = split_u32(&bytes).ok_or_else(not_hdr)?;
    if cookie != V2_DEFLATE_COOKIE {
        return Err(not_hdr());
    }
    let (length, deflated) = split_u32(rest).ok_or_else(not_hdr)?;
    if usize::try_from(length).ok() != Some(deflated.len()) {
        return Err(format!(
            "its length says {length} bytes, and {} follow: cut short or tampered with",
            deflated.len()
        ));
    }
    let ours = stats::histogram();
    // The longest plain encoding of a histogram of apicli's bounds: every count as long as it
    // can be. Inflating stops past it, whatever the deflated bytes say.
    let most = V2_HEADER + MAX_VARINT * ours.distinct_values();
    let mut plain = Vec::new();
    ZlibDecoder::new(deflated)
        .take(most as u64 + 1)
        .read_to_end(&mut plain)
        .map_err(|err| format!("does not inflate ({err})"))?;
    if plain.len() > most {
        return Err("inflates to more than a histogram of its bounds holds".to_owned());
    }
    let header = Header::read(&plain).ok_or_else(not_hdr)?;
    if header.cookie != V2_COOKIE {
        return Err(not_hdr());
    }
    if usize::try_from(header.payload).ok() != Some(plain.len() - V2_HEADER) {
        return Err(format!(
            "its payload says {} bytes, and {} follow: cut short or tampered with",
            header.payload,
            plain.len() - V2_HEADER
        ));
    }
    let bounds = (header.low, header.high, header.digits);
    if bounds != (ours.low(), ours.high(), u32::from(ours.sigfig())) {
        return Err(format!(
            "its histogram tracks {} to {} µs to {} significant digits, not {} to {} µs to {} as \
             apicli's do: it cannot be added to them",
            header.low,
            header.high,
            header.digits,
            ours.low(),
            ours.high(),
            ours.sigfig()
        ));
    }
    Deserializer::new()
        .deserialize(&mut plain.as_slice())
        .map_err(|err| format!("its histogram does not decode ({err})"))
}

/// The header fields checked before decoding.
struct Header {
    cookie: u32,
    payload: u32,
    digits: u32,
    low: u64,
    high: u64,
}

impl Header {
    fn read(plain: &[u8]) -> Option<Header> {
        let header = plain.get(..V2_HEADER)?;
        let u32_at = |at: usize| Some(u32::from_be_bytes(header[at..at + 4].try_into().ok()?));
        let u64_at = |at: usize| Some(u64::from_be_bytes(header[at..at + 8].try_into().ok()?));
        Some(Header {
            cookie: u32_at(0)?,
            payload: u32_at(4)?,
            digits: u32_at(12)?,
            low: u64_at(16)?,
            high: u64_at(24)?,
        })
    }
}

/// A big-endian u32 and the bytes after it.
fn split_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<4>()?;
    Some((u32::from_be_bytes(*head), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(values: impl IntoIterator<Item = u64>) -> Histogram<u64> {
        let mut histogram = stats::histogram();
        for value in values {
            histogram.saturating_record(value);
        }
        histogram
    }

    #[test]
    fn round_trips_as_hdrhistogram_text() {
        for histogram in [
            spread([]),
            spread([1]),
            spread((1..=100_000).map(|i| i * 37 % 250_000 + 80)),
            spread([5, 3_600_000_000, 3_600_000_000]),
        ] {
            let text = encode(&histogram);
            assert!(text.starts_with("HISTF"), "{text}");
            let back = decode(&text).unwrap();
            assert_eq!(back, histogram);
            assert_eq!(back.len(), histogram.len());
            assert_eq!(back.max(), histogram.max());
        }
    }

    #[test]
    fn what_is_not_such_a_histogram_says_why() {
        let text = encode(&spread([100, 200, 300]));
        let error = |text: &str| decode(text).unwrap_err();
        assert!(
            error("HISTF*").starts_with("not base64"),
            "{}",
            error("HISTF*")
        );
        assert_eq!(error(""), "not an HdrHistogram V2 deflate encoding");
        assert_eq!(error("aGVsbG8="), "not an HdrHistogram V2 deflate encoding");
        let cut = &text[..text.len() - 8];
        assert!(
            error(cut).contains("cut short or tampered with"),
            "{}",
            error(cut)
        );
        // The deflated bytes changed, their length kept.
        let mut bytes = STANDARD.decode(&text).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x55;
        let tampered = error(&STANDARD.encode(&bytes));
        assert!(
            tampered.starts_with("does not inflate")
                || tampered.starts_with("its histogram does not decode")
                || tampered.contains("tampered"),
            "{tampered}"
        );
        // A histogram of other bounds, as another tool might write.
        let mut other = Histogram::<u64>::new_with_max(60_000_000, 2).unwrap();
        other.record(100).unwrap();
        let mut bytes = Vec::new();
        V2DeflateSerializer::new()
            .serialize(&other, &mut bytes)
            .unwrap();
        assert_eq!(
            error(&STANDARD.encode(bytes)),
            "its histogram tracks 1 to 60000000 µs to 2 significant digits, not 1 to 3600000000 \
             µs to 3 as apicli's do: it cannot be added to them"
        );
    }
}

//! A latency histogram as text: HdrHistogram's V2 encoding, deflated, in base64 (`HISTF…`), the
//! form that HdrHistogram's own tools read (a histogram log's entries, HistogramLogAnalyzer).
//! Reports carry their histograms in it, so that runs on several machines can add up to exact
//! percentiles. hdrhistogram's serializer does the encoding.

use base64::{Engine as _, engine::general_purpose::STANDARD};
use hdrhistogram::{
    Histogram,
    serialization::{Serializer as _, V2DeflateSerializer},
};

/// The histogram's text form.
pub fn encode(histogram: &Histogram<u64>) -> String {
    let mut bytes = Vec::new();
    // Into memory, with counts that a u64 holds: nothing can fail.
    match V2DeflateSerializer::new().serialize(histogram, &mut bytes) {
        Ok(_) => STANDARD.encode(bytes),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use hdrhistogram::serialization::Deserializer;

    use super::*;
    use crate::bench::stats;

    #[test]
    fn hdrhistogram_reads_it_back() {
        let mut histogram = stats::histogram();
        for value in (1..=100_000).map(|i| i * 37 % 250_000 + 80) {
            histogram.saturating_record(value);
        }
        let text = encode(&histogram);
        assert!(text.starts_with("HISTF"), "{text}");
        let bytes = STANDARD.decode(text).unwrap();
        let back: Histogram<u64> = Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .unwrap();
        assert_eq!(back, histogram);
    }
}

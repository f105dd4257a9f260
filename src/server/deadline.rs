//! The deadline a client sent as `grpc-timeout`.
//!
//! tonic enforces it on the handler's future, which for a server stream ends as soon as the stream
//! is returned; the stream itself must watch the deadline, so it reads the header here.

use std::time::Duration;

use tokio::time::Instant;
use tonic::metadata::MetadataMap;

use crate::connect::timeout::parse_grpc;

/// When a call that starts now must end, if its request has a valid `grpc-timeout`.
pub fn deadline(metadata: &MetadataMap) -> Option<Instant> {
    timeout(metadata).map(|t| Instant::now() + t)
}

/// The `grpc-timeout` of a request, if it has a valid one.
pub fn timeout(metadata: &MetadataMap) -> Option<Duration> {
    parse_grpc(metadata.get("grpc-timeout")?.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_header() {
        let mut metadata = MetadataMap::new();
        assert_eq!(timeout(&metadata), None);
        metadata.insert("grpc-timeout", "250m".parse().unwrap());
        assert_eq!(timeout(&metadata), Some(Duration::from_millis(250)));
    }
}

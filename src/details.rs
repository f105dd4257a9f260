//! Placeholder: decoding `grpc-status-details-bin`, filled in by the error-details work.

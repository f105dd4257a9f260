//! The printers' formats: what `-o` chooses among, as the printers know it.

/// How response messages are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// The proto3 JSON mapping, one compact value per line.
    Json,
    /// The protobuf text format, as protoc writes it, messages apart as grpcurl sets them.
    Text,
}

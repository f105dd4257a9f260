//! The Connect protocol's wire rules, shared by the client's translator
//! (`transport/connect.rs`) and serve's layer (`server/connect.rs`): everything that is the
//! same on both ends of a Connect call, written against the protocol's specification, one rule
//! per file. Nothing here does I/O: these are values, encoders and parsers, and every parser
//! answers malformed input with a [`WireError`] that says what was wrong.

pub mod codes;
pub mod compression;
pub mod content_type;
pub mod end_stream;
pub mod envelope;
pub mod error;
pub mod get;
pub mod metadata;
pub mod rewrite;
pub mod timeout;
pub mod transcode;

pub use codes::{code_from_http, code_from_name, code_name, http_status};
pub use compression::Encoding;
pub use content_type::{Codec, ContentType};
pub use end_stream::EndStream;
pub use envelope::{Envelope, Envelopes};
pub use error::{ConnectError, Detail};
pub use rewrite::Rewritten;

/// `connect-protocol-version`: the header a unary Connect request carries, always `1`.
pub const PROTOCOL_VERSION: http::HeaderName =
    http::HeaderName::from_static("connect-protocol-version");

/// Connect input that breaks the protocol's rules: a length prefix that lies, an end-stream
/// that is not JSON, base64 that is not base64. The words say what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WireError(pub String);

impl WireError {
    pub fn new(words: impl Into<String>) -> WireError {
        WireError(words.into())
    }
}

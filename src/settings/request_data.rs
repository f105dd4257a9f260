//! Where `-d` takes the request messages from, as the command line says; reading them is the
//! call's job (`call::requests`).

use std::path::PathBuf;

/// Where `-d` takes the request messages from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestData {
    /// No `-d`.
    None,
    /// `-d JSON`.
    Inline(String),
    /// `-d @FILE`.
    File(PathBuf),
    /// `-d @-`.
    Stdin,
}

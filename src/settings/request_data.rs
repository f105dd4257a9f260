//! Where `-d` takes the request messages from, as the command line says; reading them is the
//! call's job (`call::requests`).

use std::path::PathBuf;

use crate::exit::UsageError;

/// `-d @` names no file: grpcurl reads stdin there, which apicli writes `-d @-`.
pub fn refuse_bare_at(arg: Option<&str>) -> Result<(), UsageError> {
    match arg {
        Some("@") => Err(UsageError(
            "-d @ names no file: for stdin write -d @- (grpcurl's '-d @'), for a file -d @FILE"
                .into(),
        )),
        _ => Ok(()),
    }
}

/// What a `-d` field that the request message does not have does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnknownFields {
    /// Exit 2, naming the field (the default).
    #[default]
    Refuse,
    /// Skip it (`--allow-unknown-fields`, grpcurl's `-allow-unknown-fields`).
    Skip,
}

impl UnknownFields {
    pub fn from_flag(allow: bool) -> UnknownFields {
        if allow {
            UnknownFields::Skip
        } else {
            UnknownFields::Refuse
        }
    }
}

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

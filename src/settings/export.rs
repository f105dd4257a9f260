//! `describe --protoset-out FILE` and `--proto-out DIR`: where the descriptors found go, checked
//! before anything is fetched.

use std::path::{Path, PathBuf};

use crate::exit::UsageError;

/// Where `describe` writes what it resolved; both empty when it only prints.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Export {
    /// A FileDescriptorSet, replaced whole if it exists.
    pub protoset: Option<PathBuf>,
    /// A folder of `.proto` files, made if it does not exist.
    pub protos: Option<PathBuf>,
}

impl Export {
    pub fn new(protoset: Option<PathBuf>, protos: Option<PathBuf>) -> Result<Export, UsageError> {
        if let Some(file) = &protoset {
            check_protoset(file)?;
        }
        if let Some(dir) = &protos
            && dir.exists()
            && !dir.is_dir()
        {
            return Err(UsageError(format!(
                "--proto-out {} is a file; give a folder (made if it does not exist)",
                dir.display()
            )));
        }
        Ok(Export { protoset, protos })
    }

    pub fn is_empty(&self) -> bool {
        self.protoset.is_none() && self.protos.is_none()
    }
}

fn check_protoset(file: &Path) -> Result<(), UsageError> {
    if file.is_dir() {
        return Err(UsageError(format!(
            "--protoset-out {} is a folder; give a file name",
            file.display()
        )));
    }
    let parent = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(UsageError(format!(
            "--protoset-out {}: no folder {}",
            file.display(),
            parent.display()
        )));
    }
    Ok(())
}

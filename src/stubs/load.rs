//! Reading stub files and folders, and stub text sent to the admin service.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use prost_reflect::DescriptorPool;

use super::{Stub, StubError, read::Source, stub};
use crate::spanned::{self, Node, Value};

/// The extensions of stub files in a folder; others are skipped.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// The largest stub file read.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// Every stub in `paths`, in order: a file as given, a folder's stub files recursively, sorted
/// by path. The first error stops the load.
pub fn load_paths(paths: &[PathBuf], pool: &DescriptorPool) -> Result<Vec<Stub>, StubError> {
    let mut stubs = Vec::new();
    for path in paths {
        let mut files = Vec::new();
        if path.is_dir() {
            walk(path, &mut files)?;
            files.sort();
        } else {
            files.push(path.clone());
        }
        for file in files {
            let name = file.display().to_string();
            let text = read(&file).map_err(|why| StubError {
                file: Arc::from(name.as_str()),
                line: 0,
                column: 0,
                message: why,
            })?;
            stubs.extend(load_text(&text, &name, pool)?);
        }
    }
    Ok(stubs)
}

fn read(file: &Path) -> Result<String, String> {
    let io = |err: std::io::Error| crate::exit::io_words(&err);
    let size = std::fs::metadata(file).map_err(io)?.len();
    if size > MAX_FILE {
        return Err(format!(
            "the file is larger than {} MiB",
            MAX_FILE / 1024 / 1024
        ));
    }
    let bytes = std::fs::read(file).map_err(io)?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())
}

fn walk(folder: &Path, files: &mut Vec<PathBuf>) -> Result<(), StubError> {
    let fail = |why: String| StubError {
        file: Arc::from(folder.display().to_string().as_str()),
        line: 0,
        column: 0,
        message: why,
    };
    let entries = std::fs::read_dir(folder).map_err(|err| fail(crate::exit::io_words(&err)))?;
    for entry in entries {
        let entry = entry.map_err(|err| fail(crate::exit::io_words(&err)))?;
        let path = entry.path();
        // Links to folders are not followed, so that a link cannot make a loop.
        let kind = entry
            .file_type()
            .map_err(|err| fail(crate::exit::io_words(&err)))?;
        if kind.is_dir() {
            walk(&path, files)?;
        } else if path.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// The stubs in `text` (YAML or JSON: one stub, or a list of them); `origin` names it in errors
/// and in each stub's origin (a file's path, or `AddStubs`).
pub fn load_text(text: &str, origin: &str, pool: &DescriptorPool) -> Result<Vec<Stub>, StubError> {
    let source = Source {
        file: Arc::from(origin),
        pool,
    };
    let root = spanned::parse(text).map_err(|err| StubError::from_span(&source.file, err))?;
    let entries: Vec<&Node> = match &root.value {
        Value::Null => Vec::new(),
        Value::Mapping(_) => vec![&root],
        Value::Sequence(items) => items.iter().collect(),
        _ => {
            return Err(source.error(
                root.at,
                format!(
                    "a stub file holds a stub (a mapping) or a list of stubs, not {}",
                    root.kind()
                ),
            ));
        }
    };
    entries
        .into_iter()
        .map(|node| stub::compile(&source, node))
        .collect()
}

//! `describe --protoset-out FILE` and `--proto-out DIR`: the files that define what was resolved,
//! with every file they import, written for `--protoset`, `--proto` and `-I`, protoc and grpcurl.

use std::{
    collections::HashSet,
    fs,
    path::{Component, Path, PathBuf},
};

use prost_reflect::FileDescriptor;

use super::proto_file;
use crate::{
    exit::{UsageError, io_words},
    whole_file::write_whole,
};

/// `roots` and every file they import, each once (by name: the first file of a name wins),
/// dependencies before the files that import them, as protoc's `--include_imports` orders them.
pub fn with_imports(roots: impl IntoIterator<Item = FileDescriptor>) -> Vec<FileDescriptor> {
    fn visit(file: FileDescriptor, seen: &mut HashSet<String>, out: &mut Vec<FileDescriptor>) {
        if !seen.insert(file.name().to_owned()) {
            return;
        }
        for dependency in file.dependencies() {
            visit(dependency, seen, out);
        }
        out.push(file);
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for root in roots {
        visit(root, &mut seen, &mut out);
    }
    out
}

/// The files as an encoded `google.protobuf.FileDescriptorSet`, custom options kept.
pub fn descriptor_set(files: &[FileDescriptor]) -> Vec<u8> {
    let mut set = Vec::new();
    for file in files {
        let encoded = file.encode_to_vec();
        // FileDescriptorSet.file, field 1, length-delimited.
        prost::encoding::encode_key(1, prost::encoding::WireType::LengthDelimited, &mut set);
        prost::encoding::encode_varint(encoded.len() as u64, &mut set);
        set.extend_from_slice(&encoded);
    }
    set
}

/// Writes `bytes` to `path` whole (see [`crate::whole_file`]): a failure leaves an existing
/// file as it was.
pub fn write_protoset(path: &Path, bytes: &[u8]) -> Result<(), UsageError> {
    write_whole(path, bytes).map_err(|why| {
        UsageError(format!(
            "cannot write --protoset-out {}: {why}",
            path.display()
        ))
    })
}

/// Writes each file as `.proto` source under `dir`, at its own name (`google/protobuf/empty.proto`
/// under `dir/google/protobuf/`). A name that would leave `dir` (`../x.proto`, `/x.proto`) is
/// refused before anything is written.
pub fn write_protos(dir: &Path, files: &[FileDescriptor]) -> Result<(), UsageError> {
    let mut targets: Vec<(PathBuf, &FileDescriptor)> = Vec::new();
    for file in files {
        let relative = Path::new(file.name());
        if relative.as_os_str().is_empty()
            || !relative
                .components()
                .all(|part| matches!(part, Component::Normal(_)))
        {
            return Err(UsageError(format!(
                "cannot write '{}' under --proto-out {}: the file name leaves the folder",
                file.name(),
                dir.display()
            )));
        }
        targets.push((dir.join(relative), file));
    }
    for (path, file) in targets {
        let written = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&path, proto_file(file)));
        if let Err(err) = written {
            return Err(UsageError(format!(
                "cannot write --proto-out {}: {}: {}",
                dir.display(),
                path.display(),
                io_words(&err)
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use prost_reflect::DescriptorPool;
    use prost_types::{FileDescriptorProto, FileDescriptorSet};

    use super::*;

    fn pool(files: &[(&str, &[&str])]) -> DescriptorPool {
        let file = files
            .iter()
            .map(|(name, imports)| FileDescriptorProto {
                name: Some((*name).to_owned()),
                dependency: imports.iter().map(|&i| i.to_owned()).collect(),
                syntax: Some("proto3".to_owned()),
                ..FileDescriptorProto::default()
            })
            .collect();
        DescriptorPool::from_file_descriptor_set(FileDescriptorSet { file }).unwrap()
    }

    #[test]
    fn imports_come_first_and_once() {
        let pool = pool(&[
            ("c.proto", &[]),
            ("b.proto", &["c.proto"]),
            ("a.proto", &["b.proto", "c.proto"]),
        ]);
        let roots = ["a.proto", "b.proto"].map(|name| pool.get_file_by_name(name).unwrap());
        let names: Vec<String> = with_imports(roots)
            .iter()
            .map(|file| file.name().to_owned())
            .collect();
        assert_eq!(names, ["c.proto", "b.proto", "a.proto"]);
    }

    #[test]
    fn a_name_that_leaves_the_folder_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("inside");
        for name in ["../escape.proto", "/abs.proto"] {
            let pool = pool(&[("ok.proto", &[]), (name, &[])]);
            let files: Vec<FileDescriptor> = pool.files().collect();
            let err = write_protos(&inside, &files).unwrap_err();
            assert!(err.0.contains("leaves the folder"), "{}", err.0);
        }
        assert!(!inside.exists());
        assert!(!dir.path().join("escape.proto").exists());
    }
}

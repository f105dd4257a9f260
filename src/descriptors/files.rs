//! Descriptors from the user's files: `.proto` sources compiled at run time (`--proto`, `-I`),
//! and serialized `FileDescriptorSet`s (`--protoset`).

use std::path::{Path, PathBuf};

use miette::Diagnostic as _;
use prost_reflect::DescriptorPool;

use super::encoded;
use crate::{exit::UsageError, settings::io_words};

/// Compiles `protos` (looked up under `import_paths`, or beside each file when there are none)
/// and adds every set in `protosets`, all into one pool. The well-known types
/// (`google/protobuf/*.proto`) always resolve.
pub fn load(
    protos: &[PathBuf],
    import_paths: &[PathBuf],
    protosets: &[PathBuf],
) -> Result<DescriptorPool, UsageError> {
    let mut pool = DescriptorPool::new();
    for path in protosets {
        add_protoset(&mut pool, path)?;
    }
    if !protos.is_empty() {
        let compiled = compile(protos, import_paths)?;
        // Encoded, not as prost-types: custom options would be lost.
        let files = encoded::decode_set(&compiled.encode_file_descriptor_set())
            .map_err(|err| UsageError(format!("--proto: {err}")))?;
        encoded::add_files(&mut pool, files)
            .map_err(|err| UsageError(format!("the --proto files clash with --protoset: {err}")))?;
    }
    Ok(pool)
}

fn compile(protos: &[PathBuf], import_paths: &[PathBuf]) -> Result<protox::Compiler, UsageError> {
    for dir in import_paths {
        if !dir.is_dir() {
            return Err(UsageError(format!("-I {}: not a directory", dir.display())));
        }
    }
    let mut includes: Vec<PathBuf> = import_paths.to_vec();
    if includes.is_empty() {
        for proto in protos {
            let dir = match proto.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
                _ => PathBuf::from("."),
            };
            if !includes.contains(&dir) {
                includes.push(dir);
            }
        }
    }
    for proto in protos {
        // A name as written, or relative to an import path (`--proto x.proto -I protos`).
        let found = proto.is_file() || includes.iter().any(|dir| dir.join(proto).is_file());
        if !found {
            return Err(UsageError(format!(
                "--proto {}: {}",
                proto.display(),
                if proto.exists() {
                    "not a file"
                } else if import_paths.is_empty() {
                    "no such file"
                } else {
                    "no such file, here or under the -I folders"
                }
            )));
        }
    }
    let mut compiler = protox::Compiler::new(&includes).map_err(|err| compile_error(&err))?;
    compiler.include_source_info(true).include_imports(true);
    for proto in protos {
        compiler
            .open_file(proto)
            .map_err(|err| compile_error(&err))?;
    }
    Ok(compiler)
}

/// `file:line:column: message`, as compilers print it, with the place where protox knows it.
fn compile_error(err: &protox::Error) -> UsageError {
    let mut place = err.file().unwrap_or_default().to_owned();
    let span = err.labels().and_then(|mut labels| labels.next());
    if let (Some(span), Some(source)) = (span, err.source_code())
        && let Ok(contents) = source.read_span(span.inner(), 0, 0)
    {
        if let Some(name) = contents.name() {
            place = name.to_owned();
        }
        place = format!("{place}:{}:{}", contents.line() + 1, contents.column() + 1);
    }
    let mut message = err.to_string();
    if let Some(help) = err.help() {
        message = format!("{message} ({help})");
    }
    if place.is_empty() {
        UsageError(format!("--proto: {message}"))
    } else {
        UsageError(format!("{place}: {message}"))
    }
}

fn add_protoset(pool: &mut DescriptorPool, path: &Path) -> Result<(), UsageError> {
    let shown = path.display();
    let bytes = std::fs::read(path)
        .map_err(|err| UsageError(format!("--protoset {shown}: {}", io_words(&err))))?;
    if bytes.is_empty() {
        return Err(UsageError(format!(
            "--protoset {shown}: the file is empty; expected a FileDescriptorSet \
             (protoc --descriptor_set_out --include_imports, or buf build -o)"
        )));
    }
    let not_a_set = |why: String| {
        UsageError(format!(
            "--protoset {shown}: not a FileDescriptorSet ({why}); write one with \
             protoc --descriptor_set_out --include_imports, or buf build -o"
        ))
    };
    let files = encoded::decode_set(&bytes).map_err(|err| not_a_set(err.to_string()))?;
    if files.is_empty() || files.iter().any(|f| f.proto.name().is_empty()) {
        return Err(not_a_set("it holds no named files".into()));
    }
    encoded::add_files(pool, files).map_err(|err| not_a_set(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn compiles_protos_with_well_known_types() {
        let dir = tempfile::tempdir().unwrap();
        let proto = write(
            dir.path(),
            "t.proto",
            "syntax = \"proto3\";\npackage t;\nimport \"google/protobuf/timestamp.proto\";\n\
             // A thing.\nmessage T { google.protobuf.Timestamp at = 1; }\n",
        );
        let pool = load(&[proto], &[], &[]).unwrap();
        let t = pool.get_message_by_name("t.T").unwrap();
        assert_eq!(t.fields().count(), 1);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let proto = write(
            dir.path(),
            "bad.proto",
            "syntax = \"proto3\";\nmessage T {\n  int32 x = ;\n}\n",
        );
        let err = load(&[proto], &[], &[]).unwrap_err().0;
        assert!(err.starts_with("bad.proto:3:13: "), "{err}");

        let missing = write(
            dir.path(),
            "imports.proto",
            "syntax = \"proto3\";\nimport \"nowhere/x.proto\";\n",
        );
        let err = load(&[missing], &[], &[]).unwrap_err().0;
        assert!(err.starts_with("imports.proto:2:1: "), "{err}");
        assert!(err.contains("nowhere/x.proto"), "{err}");

        let unknown_type = write(
            dir.path(),
            "types.proto",
            "syntax = \"proto3\";\nmessage T {\n  Nope x = 1;\n}\n",
        );
        let err = load(&[unknown_type], &[], &[]).unwrap_err().0;
        assert!(err.starts_with("types.proto:3:3: "), "{err}");
    }

    #[test]
    fn protosets_must_be_descriptor_sets() {
        let dir = tempfile::tempdir().unwrap();
        let empty = write(dir.path(), "empty.binpb", "");
        let err = load(&[], &[], &[empty]).unwrap_err().0;
        assert!(err.contains("the file is empty"), "{err}");

        let junk = write(dir.path(), "junk.binpb", "this is not protobuf");
        let err = load(&[], &[], &[junk]).unwrap_err().0;
        assert!(err.contains("not a FileDescriptorSet"), "{err}");

        let good = dir.path().join("api.binpb");
        std::fs::write(&good, crate::api::FILE_DESCRIPTOR_SET).unwrap();
        let pool = load(&[], &[], &[good]).unwrap();
        assert!(pool.get_service_by_name("api.Api").is_some());
    }
}

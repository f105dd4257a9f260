//! Descriptors from the user's files: `.proto` sources compiled at run time (`--proto`, `-I`),
//! and serialized `FileDescriptorSet`s (`--protoset`).

use std::path::{Component, Path, PathBuf};

use miette::Diagnostic as _;
use prost_reflect::DescriptorPool;

use protox::file::{ChainFileResolver, FileResolver, GoogleFileResolver, IncludeFileResolver};

use super::encoded;
use crate::{
    exit::UsageError,
    settings::{bound, named, read_file, read_text},
};

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
        // Imports resolve beside each file; a pipe has no folder to look in.
        for proto in protos.iter().filter(|proto| is_regular(proto)) {
            let dir = match proto.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
                _ => PathBuf::from("."),
            };
            if !includes.contains(&dir) {
                includes.push(dir);
            }
        }
    }
    // Each --proto is read here, once and with a bound: a pipe (`<(…)`) cannot be read twice,
    // and protox would read a device that never ends. The compiler then takes them from memory,
    // ahead of the import paths, so that a file importing one by name gets the same text.
    let mut given = Given::default();
    for proto in protos {
        let (at, name) = locate(proto, &includes, !import_paths.is_empty())?;
        let source = read_text("--proto", &at, bound::PROTO)?;
        given.files.push((proto.clone(), name, source));
    }
    let mut resolver = ChainFileResolver::new();
    resolver.add(given);
    for include in &includes {
        resolver.add(IncludeFileResolver::new(include.clone()));
    }
    resolver.add(GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_source_info(true).include_imports(true);
    for proto in protos {
        compiler
            .open_file(proto)
            .map_err(|err| compile_error(&err))?;
    }
    Ok(compiler)
}

/// Where a `--proto` is, and its name for `import`, as protox finds them: a path under an
/// import path (`--proto protos/x.proto -I protos`, named `x.proto`), or a name looked up in the
/// import paths (`--proto x.proto -I protos`). A pipe or a device is named by its path, as given.
fn locate(
    proto: &Path,
    includes: &[PathBuf],
    explicit: bool,
) -> Result<(PathBuf, String), UsageError> {
    if proto.exists() && !is_regular(proto) {
        return Ok((proto.to_owned(), proto.display().to_string()));
    }
    let under = includes
        .iter()
        .find_map(|include| IncludeFileResolver::new(include.clone()).resolve_path(proto));
    if let Some(name) = under
        && proto.exists()
    {
        return Ok((proto.to_owned(), name));
    }
    if let Some(name) = relative_name(proto)
        && let Some(at) = includes
            .iter()
            .map(|include| include.join(proto))
            .find(|at| at.exists())
    {
        return Ok((at, name));
    }
    let why = if proto.exists() {
        "not under any -I folder; add its folder with -I"
    } else if explicit {
        "no such file, here or under the -I folders"
    } else {
        "no such file"
    };
    Err(UsageError(format!("{}: {why}", named("--proto", proto))))
}

/// `a/b.proto` for a relative path of plain names; `None` for `/…`, `./…` or `../…`.
fn relative_name(path: &Path) -> Option<String> {
    let parts = path
        .components()
        .map(|part| match part {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Whether `path` is a regular file (following links), not a pipe, a device or a folder.
fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// The `--proto` files, read once: (path as written, name for imports, source).
#[derive(Default)]
struct Given {
    files: Vec<(PathBuf, String, String)>,
}

impl FileResolver for Given {
    fn resolve_path(&self, path: &Path) -> Option<String> {
        self.files
            .iter()
            .find(|(given, _, _)| given == path)
            .map(|(_, name, _)| name.clone())
    }

    fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
        match self.files.iter().find(|(_, given, _)| given == name) {
            Some((_, name, source)) => protox::file::File::from_source(name, source),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
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
    let shown = named("--protoset", path);
    let bytes = read_file("--protoset", path, bound::PROTOSET)?;
    if bytes.is_empty() {
        return Err(UsageError(format!(
            "{shown}: the file is empty; expected a FileDescriptorSet \
             (protoc --descriptor_set_out --include_imports, or buf build -o)"
        )));
    }
    let not_a_set = |why: String| {
        UsageError(format!(
            "{shown}: not a FileDescriptorSet ({why}); write one with \
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

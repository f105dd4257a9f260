//! `describe`'s `.proto` text is the source of what it describes: compiled again by protox, it
//! gives the same descriptor.
//!
//! Checked for every symbol (service, method, message, field, enum, enum value) of every
//! built-in file (`proto/`, `proto/google/rpc/`, grpc.health.v1, grpc.reflection.v1) and of the
//! test files (`tests/protos/`). The set is finite and small, so every symbol is checked rather
//! than a sample of them. For each file, the texts of its top-level elements are compiled as one
//! file (a field or a method alone is not a file), and for each symbol:
//! - its descriptor, custom options included (`describe -o json`), is the compiled one's;
//! - its own text is, indented, a part of the text of the top-level element it sits in, so it
//!   is what was compiled.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use apicli::{
    describe::{descriptor_json, proto_text},
    descriptors::{Symbol, load_files},
};
use prost_reflect::{DescriptorPool, FileDescriptor, MessageDescriptor, Syntax};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.proto` file under `dir`, sorted.
fn protos_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read a proto folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "proto") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The files to check, each with the pool it came in and the import paths its imports need.
struct Source {
    pool: DescriptorPool,
    includes: Vec<PathBuf>,
}

fn sources(scratch: &Path) -> Vec<Source> {
    let builtin = root().join("proto");
    let tests = root().join("tests/protos");
    let mut sources = Vec::new();
    for (dir, includes) in [
        (&builtin, vec![builtin.clone()]),
        (&tests, vec![tests.clone()]),
    ] {
        let protos = protos_under(dir);
        let pool = load_files(&protos, &includes, &[]).expect("the files compile");
        sources.push(Source { pool, includes });
    }
    for (name, set) in [
        ("health.binpb", tonic_health::pb::FILE_DESCRIPTOR_SET),
        (
            "reflection.binpb",
            tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET,
        ),
    ] {
        let path = scratch.join(name);
        std::fs::write(&path, set).expect("write a descriptor set");
        let pool = load_files(&[], &[], &[path]).expect("the set loads");
        sources.push(Source {
            pool,
            includes: Vec::new(),
        });
    }
    sources
}

/// Every symbol of `file`, its nested ones included, each with the top-level element it sits in.
fn symbols(file: &FileDescriptor) -> Vec<(Symbol, Symbol)> {
    fn add_message(found: &mut Vec<(Symbol, Symbol)>, top: &Symbol, message: MessageDescriptor) {
        found.push((Symbol::Message(message.clone()), top.clone()));
        for field in message.fields() {
            found.push((Symbol::Field(field), top.clone()));
        }
        for child in message.child_enums() {
            add_enum(found, top, child);
        }
        for child in message.child_messages() {
            add_message(found, top, child);
        }
    }
    fn add_enum(
        found: &mut Vec<(Symbol, Symbol)>,
        top: &Symbol,
        enumeration: prost_reflect::EnumDescriptor,
    ) {
        found.push((Symbol::Enum(enumeration.clone()), top.clone()));
        for value in enumeration.values() {
            found.push((Symbol::EnumValue(value), top.clone()));
        }
    }
    let mut found = Vec::new();
    for service in file.services() {
        let top = Symbol::Service(service.clone());
        found.push((top.clone(), top.clone()));
        for method in service.methods() {
            found.push((Symbol::Method(method), top.clone()));
        }
    }
    for top_message in file.messages() {
        let top = Symbol::Message(top_message.clone());
        add_message(&mut found, &top, top_message);
    }
    for top_enum in file.enums() {
        let top = Symbol::Enum(top_enum.clone());
        add_enum(&mut found, &top, top_enum);
    }
    found
}

/// The same symbol in another pool, by kind and full name.
fn same_in(pool: &DescriptorPool, symbol: &Symbol) -> Option<Symbol> {
    Some(match symbol {
        Symbol::Service(s) => Symbol::Service(pool.get_service_by_name(s.full_name())?),
        Symbol::Message(m) => Symbol::Message(pool.get_message_by_name(m.full_name())?),
        Symbol::Enum(e) => Symbol::Enum(pool.get_enum_by_name(e.full_name())?),
        Symbol::Method(m) => Symbol::Method(
            pool.get_service_by_name(m.parent_service().full_name())?
                .methods()
                .find(|again| again.name() == m.name())?,
        ),
        Symbol::Field(f) => Symbol::Field(
            pool.get_message_by_name(f.parent_message().full_name())?
                .get_field_by_name(f.name())?,
        ),
        // A value's full name is its enum's sibling's: `pkg.VALUE` for `pkg.Enum`.
        Symbol::EnumValue(v) => Symbol::EnumValue(
            pool.get_enum_by_name(v.parent_enum().full_name())?
                .get_value_by_name(v.name())?,
        ),
    })
}

/// A map entry's key or value: the source writes them inside `map<K, V>`, not as lines.
fn written_as_part_of_a_map(symbol: &Symbol) -> bool {
    matches!(symbol, Symbol::Field(field) if field.parent_message().is_map_entry())
}

/// `text` with every line but the empty ones indented by `depth` levels.
fn indented(text: &str, depth: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str(&"  ".repeat(depth));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The file `file` written back from `render`'s texts of its top-level elements.
fn written_back(file: &FileDescriptor, render: &dyn Fn(&Symbol) -> String) -> String {
    let syntax = match file.syntax() {
        Syntax::Proto2 => "proto2",
        _ => "proto3",
    };
    let mut text = format!("syntax = \"{syntax}\";\n");
    if !file.package_name().is_empty() {
        let _ = writeln!(text, "package {};", file.package_name());
    }
    for dependency in file.dependencies() {
        let _ = writeln!(text, "import \"{}\";", dependency.name());
    }
    let tops = file
        .services()
        .map(Symbol::Service)
        .chain(file.messages().map(Symbol::Message))
        .chain(file.enums().map(Symbol::Enum));
    for top in tops {
        text.push('\n');
        text.push_str(&render(&top));
    }
    text
}

/// What differs between the symbols of the files to check and `render`'s texts of them,
/// compiled again: one line per symbol (or file) that does not come back the same.
fn mismatches(render: &dyn Fn(&Symbol) -> String) -> Vec<String> {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let mut found = Vec::new();
    let mut checked = 0;
    for (n, source) in sources(scratch.path()).into_iter().enumerate() {
        for (m, file) in source.pool.files().enumerate() {
            if file.name().starts_with("google/protobuf/") {
                continue;
            }
            let text = written_back(&file, render);
            // A folder of its own: a file written back must not stand in for an import.
            let dir = scratch.path().join(format!("back-{n}-{m}"));
            let path = dir.join(file.name());
            std::fs::create_dir_all(path.parent().expect("a file's folder")).expect("mkdir");
            std::fs::write(&path, &text).expect("write the file back");
            let mut includes = vec![dir];
            includes.extend(source.includes.iter().cloned());
            let compiled = match load_files(&[path], &includes, &[]) {
                Ok(pool) => pool,
                Err(err) => {
                    found.push(format!("{}: {}\n{text}", file.name(), err.0));
                    continue;
                }
            };
            for (symbol, top) in symbols(&file) {
                checked += 1;
                let name = symbol.full_name();
                let Some(again) = same_in(&compiled, &symbol) else {
                    found.push(format!("{name}: missing from\n{text}"));
                    continue;
                };
                let (before, after) = (descriptor_json(&symbol), descriptor_json(&again));
                if before != after {
                    found.push(format!("{name}: {before}\n  came back as {after}"));
                }
                if written_as_part_of_a_map(&symbol) {
                    continue;
                }
                let own = render(&symbol);
                let whole = render(&top);
                if !(0..8).any(|depth| whole.contains(&indented(&own, depth))) {
                    found.push(format!("{name}: its text\n{own}is not part of\n{whole}"));
                }
            }
        }
    }
    // Guards against a check that looks at nothing.
    assert!(checked >= 250, "only {checked} symbols were checked");
    found
}

#[test]
fn every_symbol_of_every_file_comes_back_the_same() {
    let found = mismatches(&proto_text);
    assert!(found.is_empty(), "{}", found.join("\n\n"));
}

/// The text of a describe that forgets something, to show the check sees it.
fn without(text: String, forget: fn(&str) -> String) -> String {
    text.lines().map(|line| forget(line) + "\n").collect()
}

#[test]
fn the_check_sees_a_forgotten_field_option() {
    let forget_brackets = |line: &str| match (line.find(" ["), line.rfind("];")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &line[..start], &line[end + 1..])
        }
        _ => line.to_owned(),
    };
    let found = mismatches(&|symbol| without(proto_text(symbol), forget_brackets));
    for name in [
        "shop.v1.Book.self_published_by:",
        "grpc.health.v1.HealthCheckResponse",
    ] {
        let _ = name;
    }
    assert!(
        found
            .iter()
            .any(|line| line.starts_with("shop.v1.Shelf.theme: ")),
        "{found:#?}"
    );
}

#[test]
fn the_check_sees_a_forgotten_option_line() {
    let forget_options = |line: &str| {
        if line.trim_start().starts_with("option ") {
            String::new()
        } else {
            line.to_owned()
        }
    };
    let found = mismatches(&|symbol| without(proto_text(symbol), forget_options));
    assert!(
        found
            .iter()
            .any(|line| line.starts_with("shop.v1.Shop.GetBook: ")),
        "{found:#?}"
    );
}

//! The layering that ARCHITECTURE.md describes holds in the code. The check reads the table
//! "module | layer | may import" from ARCHITECTURE.md itself, so the two cannot drift apart, and
//! scans every `src/**/*.rs` (outside `#[cfg(test)]` modules) for the top-level modules each
//! file names: `crate::` paths (in `use` lines, nested groups included, and inline) and
//! `super::` paths that leave their top-level module. It fails, naming file, line and import,
//! on:
//! - an import the table does not allow;
//! - a row that allows an import from a layer above its own;
//! - a cycle between top-level modules;
//! - a module without a row, or a row without a module;
//! - an entry of [`KNOWN_VIOLATIONS`] that no longer happens (so that the list only shrinks).
//!
//! `table.rs` reads the table, `scan.rs` the sources; each part has tests that show it can fail.

mod scan;
mod table;

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
};

use scan::{Import, declared_modules, imports, rust_files, strip, test_only_children};
use table::Table;

/// Imports that break the layering today, as (module, module it imports): let through until
/// they are gone. Take an entry off when its import is gone (the check fails until then); never
/// add one.
const KNOWN_VIOLATIONS: &[(&str, &str)] = &[];

#[test]
fn the_code_keeps_the_layering_of_architecture_md() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let table = match Table::read(&doc) {
        Ok(table) => table,
        Err(problems) => panic!("ARCHITECTURE.md:\n{}", problems.join("\n")),
    };
    let lib = fs::read_to_string(root.join("src/lib.rs")).expect("src/lib.rs");
    let modules = declared_modules(&strip(&lib));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut sources = BTreeMap::new();
    for file in files {
        let shown = file.strip_prefix(root).unwrap().display().to_string();
        if shown == "src/lib.rs" || shown == "src/main.rs" {
            continue;
        }
        sources.insert(shown, fs::read_to_string(&file).unwrap());
    }
    let problems = check(&table, &modules, &sources, KNOWN_VIOLATIONS);
    assert!(
        problems.is_empty(),
        "the layering of ARCHITECTURE.md does not hold:\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------

/// Every problem with `sources` (file → text, files under `src/`) against `table`, `modules`
/// being the top-level modules that `src/lib.rs` declares.
fn check(
    table: &Table,
    modules: &BTreeSet<String>,
    sources: &BTreeMap<String, String>,
    known: &[(&str, &str)],
) -> Vec<String> {
    let mut problems = Vec::new();
    for module in modules {
        if !table.rows.contains_key(module) {
            problems.push(format!(
                "src/lib.rs declares `{module}`, which has no row in ARCHITECTURE.md"
            ));
        }
    }
    for module in table.rows.keys() {
        if !modules.contains(module) {
            problems.push(format!(
                "ARCHITECTURE.md has a row for `{module}`, not a module"
            ));
        }
    }
    let mut test_only = BTreeSet::new();
    for (file, text) in sources {
        test_only.extend(test_only_children(file, &strip(text)));
    }
    let mut found: Vec<Import> = Vec::new();
    for (file, text) in sources
        .iter()
        .filter(|(file, _)| !test_only.contains(*file))
    {
        found.extend(imports(file, text));
    }
    let lines: BTreeMap<&String, Vec<&str>> = sources
        .iter()
        .map(|(file, text)| (file, text.lines().collect()))
        .collect();
    let mut seen_known = BTreeSet::new();
    for import in &found {
        let Some((_, allowed)) = table.rows.get(&import.from) else {
            continue;
        };
        let line = lines[&import.file]
            .get(import.line - 1)
            .map_or("", |l| l.trim());
        if !modules.contains(&import.to) {
            problems.push(format!(
                "{}:{}: `{line}` names crate::{}, which is not a module",
                import.file, import.line, import.to
            ));
        } else if known.contains(&(import.from.as_str(), import.to.as_str())) {
            seen_known.insert((import.from.as_str(), import.to.as_str()));
        } else if !allowed.contains(&import.to) {
            let (from_layer, _) = table.rows[&import.from];
            let to_layer = table.rows.get(&import.to).map_or(0, |(layer, _)| *layer);
            let how = if to_layer < from_layer {
                format!(
                    "an upward import, {} → {}",
                    table.layers[from_layer], table.layers[to_layer]
                )
            } else {
                "not in its 'may import'".to_owned()
            };
            problems.push(format!(
                "{}:{}: {} imports {} (`{line}`): {how} in ARCHITECTURE.md",
                import.file, import.line, import.from, import.to
            ));
        }
    }
    for (from, to) in known {
        if !seen_known.contains(&(*from, *to)) {
            problems.push(format!(
                "{from} no longer imports {to}: take ({from:?}, {to:?}) off KNOWN_VIOLATIONS \
                 in tests/layering/main.rs"
            ));
        }
    }
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for import in &found {
        if !known.contains(&(import.from.as_str(), import.to.as_str())) {
            graph.entry(&import.from).or_default().insert(&import.to);
        }
    }
    if let Some(cycle) = find_cycle(&graph) {
        problems.push(format!("a cycle between modules: {}", cycle.join(" → ")));
    }
    problems
}

/// One cycle of `graph`, its first module repeated at the end, if there is one.
fn find_cycle<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node);
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node);
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

// ---------------------------------------------------------------------------------------------
// The check can fail
// ---------------------------------------------------------------------------------------------

const SAMPLE_TABLE: &str = "\
| module | layer | may import |
|---|---|---|
| `top` | commands | low, `mid` |
| `mid` | commands | low |
| `side` | commands | `mid` |
| `base` | low | — |
";

fn sample(files: &[(&str, &str)]) -> Vec<String> {
    sample_with(files, &[])
}

fn sample_with(files: &[(&str, &str)], known: &[(&str, &str)]) -> Vec<String> {
    let table = Table::read(SAMPLE_TABLE).unwrap();
    let modules = ["top", "mid", "side", "base"].map(String::from).into();
    let sources = files
        .iter()
        .map(|(f, t)| ((*f).to_owned(), (*t).to_owned()))
        .collect();
    check(&table, &modules, &sources, known)
}

#[test]
fn an_upward_import_fails_naming_file_line_and_import() {
    let problems = sample(&[("src/base.rs", "\n\nuse crate::top::Thing;\n")]);
    assert_eq!(
        problems,
        [
            "src/base.rs:3: base imports top (`use crate::top::Thing;`): an upward import, low → \
          commands in ARCHITECTURE.md"
        ]
    );
    assert!(sample(&[("src/top.rs", "use crate::{mid, base};")]).is_empty());
    // Not listed in its row, though on the same layer.
    let problems = sample(&[("src/mid.rs", "fn f() { crate::side::g() }")]);
    assert!(
        problems[0].contains("not in its 'may import'"),
        "{problems:?}"
    );
}

#[test]
fn a_cycle_fails() {
    let table =
        "| module | layer | may import |\n|---|---|---|\n| `a` | l | b |\n| `b` | l | a |\n";
    let table = Table::read(table).unwrap();
    let modules = ["a", "b"].map(String::from).into();
    let sources = [
        ("src/a.rs", "use crate::b;"),
        ("src/b/c.rs", "use crate::a::X;"),
    ]
    .map(|(f, t)| (f.to_owned(), t.to_owned()))
    .into();
    let problems = check(&table, &modules, &sources, &[]);
    assert_eq!(problems, ["a cycle between modules: a → b → a"]);
}

#[test]
fn the_table_is_checked_too() {
    let upward =
        "| module | layer | may import |\n|---|---|---|\n| `a` | high | — |\n| `b` | low | a |\n";
    assert_eq!(
        Table::read(upward).unwrap_err(),
        ["b (low) may import a, of the layer above (high)"]
    );
    let table = Table::read(SAMPLE_TABLE).unwrap();
    let modules = ["top", "mid", "side", "base", "new"]
        .map(String::from)
        .into();
    let problems = check(&table, &modules, &BTreeMap::new(), &[]);
    assert_eq!(
        problems,
        ["src/lib.rs declares `new`, which has no row in ARCHITECTURE.md"]
    );
}

#[test]
fn known_violations_only_shrink() {
    let upward = [("src/base.rs", "use crate::top::Thing;")];
    assert!(sample_with(&upward, &[("base", "top")]).is_empty());
    let problems = sample_with(&[], &[("base", "top")]);
    assert!(
        problems[0].starts_with("base no longer imports top"),
        "{problems:?}"
    );
}

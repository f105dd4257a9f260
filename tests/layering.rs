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

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// Imports that break the layering today, as (module, module it imports): let through until
/// they are gone. Take an entry off when its import is gone (the check fails until then); never
/// add one.
const KNOWN_VIOLATIONS: &[(&str, &str)] = &[
    // settings parses bench's --expect expressions and templates, and reads --compare reports.
    ("settings", "bench"),
];

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
// The table
// ---------------------------------------------------------------------------------------------

/// ARCHITECTURE.md's table: the layers top to bottom (in the order the rows name them), and for
/// each module its layer and the modules it may import.
#[derive(Debug)]
struct Table {
    layers: Vec<String>,
    /// module → (its layer's index, the modules it may import).
    rows: BTreeMap<String, (usize, BTreeSet<String>)>,
}

impl Table {
    /// The rows after the header `| module | layer | may import |`. A "may import" entry is a
    /// module, or a layer (every module of it); `—` is none.
    fn read(markdown: &str) -> Result<Table, Vec<String>> {
        let mut lines = markdown.lines().skip_while(|line| {
            cells(line).is_none_or(|cells| cells != ["module", "layer", "may import"])
        });
        if lines.next().is_none() {
            return Err(vec!["no table '| module | layer | may import |'".into()]);
        }
        let mut layers: Vec<String> = Vec::new();
        let mut raw = Vec::new();
        for line in lines.skip(1) {
            let Some(cells) = cells(line) else { break };
            let [module, layer, may] = cells.as_slice() else {
                return Err(vec![format!("a row without three cells: {line}")]);
            };
            if !layers.contains(layer) {
                layers.push(layer.clone());
            }
            let index = layers.iter().position(|l| l == layer).unwrap();
            raw.push((module.clone(), index, may.clone()));
        }
        let mut problems = Vec::new();
        let mut rows = BTreeMap::new();
        for (module, index, _) in &raw {
            if layers.contains(module) {
                problems.push(format!("'{module}' names both a module and a layer"));
            }
            if rows
                .insert(module.clone(), (*index, BTreeSet::new()))
                .is_some()
            {
                problems.push(format!("two rows for {module}"));
            }
        }
        for (module, index, may) in raw {
            let mut allowed = BTreeSet::new();
            for entry in may
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty() && *e != "—")
            {
                if let Some(layer) = layers.iter().position(|l| l == entry) {
                    let of_layer = rows.iter().filter(|(_, (l, _))| *l == layer);
                    allowed.extend(of_layer.map(|(name, _)| name.clone()));
                } else if rows.contains_key(entry) {
                    allowed.insert(entry.to_owned());
                } else {
                    problems.push(format!(
                        "{module} may import '{entry}': no such module or layer"
                    ));
                }
            }
            for other in &allowed {
                let (layer, _) = rows[other];
                if layer < index {
                    problems.push(format!(
                        "{module} ({}) may import {other}, of the layer above ({})",
                        layers[index], layers[layer]
                    ));
                }
            }
            rows.get_mut(&module).unwrap().1 = allowed;
        }
        if problems.is_empty() {
            Ok(Table { layers, rows })
        } else {
            Err(problems)
        }
    }
}

/// A table row's cells, without backticks; `None` for a line that is not a row.
fn cells(line: &str) -> Option<Vec<String>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    let cells: Vec<String> = inner
        .split('|')
        .map(|cell| cell.replace('`', "").trim().to_owned())
        .collect();
    Some(cells)
}

// ---------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------

/// One top-level module naming another.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Import {
    file: String,
    line: usize,
    from: String,
    to: String,
}

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
                 in tests/layering.rs"
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
// Reading the sources
// ---------------------------------------------------------------------------------------------

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/`: `src/a.rs` and `src/a/mod.rs` are `[a]`,
/// `src/a/b.rs` is `[a, b]`.
fn module_path(file: &str) -> Vec<String> {
    let rest = file.strip_prefix("src/").unwrap_or(file);
    let rest = rest.strip_suffix(".rs").unwrap_or(rest);
    let rest = rest.strip_suffix("/mod").unwrap_or(rest);
    rest.split('/').map(str::to_owned).collect()
}

/// The top-level modules `src/lib.rs` declares (`mod x;`, `pub mod x { … }`).
fn declared_modules(lib: &str) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    // Only the top level: not the modules inside inline ones.
    let mut depth = 0usize;
    for (i, c) in lib.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            'm' if depth == 0 && lib[i..].starts_with("mod ") && !lib[..i].ends_with(is_ident) => {
                let name = lib[i + 4..]
                    .trim_start()
                    .chars()
                    .take_while(|c| is_ident(*c));
                modules.insert(name.collect());
            }
            _ => {}
        }
    }
    modules
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The files of the modules `file` declares under `#[cfg(test)]` (`mod fixtures;`).
fn test_only_children(file: &str, stripped: &str) -> Vec<String> {
    let dir = match file.strip_suffix("/mod.rs") {
        Some(dir) => dir.to_owned(),
        None => file.strip_suffix(".rs").unwrap_or(file).to_owned(),
    };
    let mut children = Vec::new();
    for (at, _) in stripped.match_indices("#[cfg(test)]") {
        let after = stripped[at + "#[cfg(test)]".len()..].trim_start();
        let after = after.strip_prefix("pub ").unwrap_or(after).trim_start();
        if let Some(rest) = after.strip_prefix("mod ") {
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| is_ident(*c))
                .collect();
            let tail = rest.trim_start()[name.len()..].trim_start();
            if tail.starts_with(';') {
                children.push(format!("{dir}/{name}.rs"));
                children.push(format!("{dir}/{name}/mod.rs"));
            }
        }
    }
    children
}

/// The top-level modules that `text` (the file `file`) names outside its test modules.
fn imports(file: &str, text: &str) -> Vec<Import> {
    let code = without_test_modules(&strip(text));
    let path = module_path(file);
    let from = path[0].clone();
    let mut found = Vec::new();
    let mut record = |after: &str, at: usize| {
        let line = code[..at].matches('\n').count() + 1;
        for to in first_segments(after) {
            if to != from {
                found.push(Import {
                    file: file.to_owned(),
                    line,
                    from: from.clone(),
                    to,
                });
            }
        }
    };
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let mut advance = rest.chars().next().map_or(1, char::len_utf8);
        let starts_word = !code[..at].ends_with(|c: char| is_ident(c) || c == '$');
        if starts_word {
            if let Some(after) = path_after(rest, "crate") {
                record(after, at);
                advance = rest.len() - after.len();
            } else if let Some(mut tail) = path_after(rest, "super") {
                // `super::super::…` leaves the top-level module once every level is climbed.
                let mut levels = 1;
                while let Some(more) = path_after(tail, "super") {
                    levels += 1;
                    tail = more;
                }
                if levels >= path.len() {
                    record(tail, at);
                }
                advance = rest.len() - tail.len();
            }
        }
        at += advance;
    }
    found
}

/// What follows `word::` at the start of `text`, if `text` starts so.
fn path_after<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(word)?.trim_start().strip_prefix("::")?;
    Some(rest.trim_start())
}

/// The first segment of the path at the start of `text`: one name, or each item's first name
/// in a `{…}` group (`{a::{b, c}, d}` → a, d); `*` for a glob.
fn first_segments(text: &str) -> Vec<String> {
    let name = |s: &str| -> String {
        let s = s.trim_start();
        if s.starts_with('*') {
            return "*".into();
        }
        s.chars().take_while(|c| is_ident(*c)).collect()
    };
    let Some(group) = text.strip_prefix('{') else {
        return vec![name(text)];
    };
    let mut items = Vec::new();
    let mut depth = 0;
    let mut item_start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[item_start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[item_start..i]);
                item_start = i + 1;
            }
            _ => {}
        }
    }
    items
        .into_iter()
        .map(name)
        .filter(|n| !n.is_empty() && n != "self")
        .collect()
}

/// `code` with the blocks of `#[cfg(test)] mod x { … }` blanked (newlines kept).
fn without_test_modules(code: &str) -> String {
    let mut out = code.to_owned();
    for (at, _) in code.match_indices("#[cfg(test)]") {
        let after = &code[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let trimmed = trimmed.strip_prefix("pub ").unwrap_or(trimmed).trim_start();
        let Some(rest) = trimmed.strip_prefix("mod ") else {
            continue;
        };
        let Some(open) = rest.find(['{', ';']) else {
            continue;
        };
        if rest.as_bytes()[open] != b'{' {
            continue;
        }
        let start = code.len() - rest.len() + open;
        let mut depth = 0;
        let mut end = code.len();
        for (i, c) in code[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        blank(&mut out, at, end);
    }
    out
}

/// Replaces `text[from..to]` with spaces, keeping newlines (and so every line number).
fn blank(text: &mut String, from: usize, to: usize) {
    // As many bytes as before, so that every offset after `to` holds.
    let blanked: String = text[from..to]
        .chars()
        .flat_map(|c| std::iter::repeat_n(if c == '\n' { '\n' } else { ' ' }, c.len_utf8()))
        .collect();
    text.replace_range(from..to, &blanked);
}

/// `source` with comments, strings and character literals blanked, so that only code is read.
fn strip(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = source.to_owned();
    let mut spans = Vec::new();
    let mut i = 0;
    let ident_before = |i: usize| i > 0 && is_ident(bytes[i - 1] as char);
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"//") {
            let end = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
            spans.push((i, end));
            i = end;
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            let mut j = i;
            while j < bytes.len() {
                if bytes[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if bytes[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            spans.push((i, j));
            i = j;
        } else if (rest.starts_with(b"r\"") || rest.starts_with(b"r#"))
            && (!ident_before(i) || (bytes[i - 1] == b'b' && !ident_before(i - 1)))
        {
            let hashes = rest[1..].iter().take_while(|b| **b == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + 2 + hashes;
            let end = source[body..]
                .find(&close)
                .map_or(bytes.len(), |n| body + n + close.len());
            spans.push((i, end));
            i = end;
        } else if rest[0] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            spans.push((i, (j + 1).min(bytes.len())));
            i = j + 1;
        } else if rest[0] == b'\'' {
            // A character literal ('a', '\n', '…'), or a lifetime ('a), which is code.
            let end = if rest.get(1) == Some(&b'\\') {
                source[i + 2..].find('\'').map(|n| i + 2 + n + 1)
            } else {
                source[i + 1..]
                    .chars()
                    .next()
                    .map(|c| i + 1 + c.len_utf8())
                    .filter(|after| bytes.get(*after) == Some(&b'\''))
                    .map(|after| after + 1)
            };
            match end {
                Some(end) => {
                    spans.push((i, end));
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    for (from, to) in spans.into_iter().rev() {
        let to = to.min(out.len());
        blank(&mut out, from, to);
    }
    out
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
fn paths_are_found_in_groups_inline_and_through_super() {
    let text = "use crate::{\n    mid::{self, X},\n    base::Y,\n};\n\
                fn f() { crate::base::g(); }\n\
                use super::mid as m;\n";
    let found: Vec<(usize, String)> = imports("src/top.rs", text)
        .into_iter()
        .map(|i| (i.line, i.to))
        .collect();
    assert_eq!(
        found,
        [
            (1, "mid".into()),
            (1, "base".into()),
            (5, "base".into()),
            (6, "mid".into())
        ]
    );
    // super:: inside the module stays inside it; super::super:: from two levels down leaves it.
    assert!(imports("src/top/a.rs", "use super::b;").is_empty());
    let found = imports("src/top/a.rs", "use super::super::{base, mid::Z};");
    assert_eq!(found.len(), 2);
}

#[test]
fn comments_strings_and_test_modules_are_not_imports() {
    let text = "// crate::base\n/* crate::base */ const S: &str = \"crate::base\";\n\
                const R: &str = r#\"crate::base\"#; fn f<'a>(x: &'a str) -> char { '\"' }\n\
                #[cfg(test)]\nmod tests {\n    use crate::base;\n}\n";
    assert_eq!(imports("src/top.rs", text), []);
    assert_eq!(
        imports("src/top.rs", "fn f() { let _ = '{'; crate::base::g(); }").len(),
        1
    );
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

//! Reading the sources: the top-level modules each file of `src/` names, outside comments,
//! strings and test modules.

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

/// One top-level module naming another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub file: String,
    pub line: usize,
    pub from: String,
    pub to: String,
}

pub fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
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
pub fn declared_modules(lib: &str) -> BTreeSet<String> {
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
pub fn test_only_children(file: &str, stripped: &str) -> Vec<String> {
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
pub fn imports(file: &str, text: &str) -> Vec<Import> {
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
pub fn strip(source: &str) -> String {
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

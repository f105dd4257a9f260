//! Committed files that must be what the program makes now (help texts, man pages): each is
//! compared with what was made, and a difference fails the test with a diff of the lines. With
//! the update variable set, the files are written instead (and those nothing makes any more are
//! removed), to be reviewed and committed.

use std::{
    collections::BTreeSet,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
};

/// The files of one folder, checked one by one, then judged together by [`Snapshots::finish`].
pub struct Snapshots {
    dir: PathBuf,
    /// `dir` as given, relative to the crate's root.
    shown: &'static str,
    /// The environment variable that says to write the files instead.
    update_var: &'static str,
    /// How to regenerate them, for the failure message.
    command: &'static str,
    update: bool,
    checked: BTreeSet<String>,
    drifted: Vec<String>,
}

impl Snapshots {
    /// The snapshots in `dir` (relative to the crate's root), rewritten when `update_var` is set.
    pub fn new(shown: &'static str, update_var: &'static str, command: &'static str) -> Snapshots {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(shown);
        let update = std::env::var_os(update_var).is_some_and(|v| !v.is_empty() && v != "0");
        if update {
            fs::create_dir_all(&dir).unwrap();
        }
        Snapshots {
            dir,
            shown,
            update_var,
            command,
            update,
            checked: BTreeSet::new(),
            drifted: Vec::new(),
        }
    }

    /// Compares `actual` with the committed file `name`, or writes it.
    pub fn check(&mut self, name: &str, actual: &str) {
        assert!(self.checked.insert(name.to_owned()), "{name} made twice");
        let path = self.dir.join(name);
        if self.update {
            if fs::read(&path).ok().as_deref() != Some(actual.as_bytes()) {
                fs::write(&path, actual).unwrap();
            }
            return;
        }
        match fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => self
                .drifted
                .push(format!("{name} differs:\n{}", diff(&expected, actual))),
            Err(err) => self.drifted.push(format!("{name}: {err}")),
        }
    }

    /// Fails with every difference found, and names the committed files nothing made (or removes
    /// them when updating).
    pub fn finish(mut self) {
        let mut committed: Vec<String> = fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        committed.sort();
        for name in committed.iter().filter(|n| !self.checked.contains(*n)) {
            if self.update {
                fs::remove_file(self.dir.join(name)).unwrap();
            } else {
                self.drifted.push(format!(
                    "{name} is committed, but nothing makes it any more"
                ));
            }
        }
        assert!(
            self.drifted.is_empty(),
            "{}\n\n{} snapshot(s) in {} are stale. If the change is meant, regenerate them with \
             {}=1 {} and commit them.",
            self.drifted.join("\n\n"),
            self.drifted.len(),
            self.shown,
            self.update_var,
            self.command,
        );
    }
}

/// The lines that differ, `-` as committed and `+` as made now, with two lines of context.
pub fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.split_inclusive('\n').collect();
    let new: Vec<&str> = actual.split_inclusive('\n').collect();
    // lcs[i][j]: the longest common subsequence of old[i..] and new[j..].
    let mut lcs = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut lines: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            lines.push((' ', old[i]));
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(('-', old[i]));
            i += 1;
        } else {
            lines.push(('+', new[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 2;
    let near_change = |at: usize| {
        let from = at.saturating_sub(CONTEXT);
        let to = (at + CONTEXT + 1).min(lines.len());
        lines[from..to].iter().any(|(sign, _)| *sign != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (at, (sign, line)) in lines.iter().enumerate() {
        if !near_change(at) {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("   …\n");
            skipped = false;
        }
        let line = line.strip_suffix('\n').unwrap_or(line);
        let _ = writeln!(out, " {sign} {line}");
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("   (the last line's newline differs)\n");
    }
    out
}

//! The shell completions committed in `completions/` are what the binary prints now.
//! Regenerate them with `UPDATE_COMPLETIONS=1 cargo test --test completions`.

mod common;

use std::{fs, path::Path};

const SHELLS: &[(&str, &str)] = &[
    ("bash", "apicli.bash"),
    ("zsh", "_apicli"),
    ("fish", "apicli.fish"),
    ("powershell", "_apicli.ps1"),
    ("elvish", "apicli.elv"),
];

#[test]
fn committed_completions_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SHELLS {
        let output = common::apicli()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "apicli completions {shell} failed");
        assert!(!output.stdout.is_empty(), "no {shell} script");
        let path = dir.join(file);
        if update {
            fs::write(&path, &output.stdout).unwrap();
        } else if fs::read(&path).ok().as_deref() != Some(output.stdout.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale completions: {stale:?}; regenerate with UPDATE_COMPLETIONS=1 cargo test --test completions"
    );
}

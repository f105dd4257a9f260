//! The help texts and the `--version` line are what the snapshots committed in
//! `tests/snapshots/help/` say, so that a change to them is seen in review: `apicli --help`,
//! `apicli -h`, `apicli --version` and `apicli COMMAND --help` for every command, printed by the
//! binary 100 columns wide and without colour. Regenerate them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test help`.

mod common;

use clap::Command;
use common::{assert_exit, output_of, snapshot::Snapshots, stderr, stdout};

/// The snapshots' width: clap's widest (`max_term_width`), whatever the terminal.
const COLUMNS: &str = "100";

/// `apicli ARGS` as a person at a 100-column terminal without colour would see it.
fn printed(args: &[String]) -> String {
    let output = output_of(
        common::apicli()
            .args(args)
            .env("COLUMNS", COLUMNS)
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR"),
    );
    assert_exit(&output, 0);
    assert_eq!(stderr(&output), "", "apicli {args:?} wrote on stderr");
    stdout(&output)
}

/// Each snapshot's file and the arguments that print it.
fn cases() -> Vec<(String, Vec<String>)> {
    let args = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect();
    let mut cases = vec![
        ("apicli.txt".to_owned(), args(&["--help"])),
        ("apicli-short.txt".to_owned(), args(&["-h"])),
        ("version.txt".to_owned(), args(&["--version"])),
    ];
    add_commands(&apicli::app::command(), &[], &mut cases);
    cases
}

/// `COMMAND --help` for every subcommand of `cmd`, at any depth (`profiles show`), but clap's
/// `help`: `hello.txt`, `profiles-show.txt`.
fn add_commands(cmd: &Command, path: &[String], cases: &mut Vec<(String, Vec<String>)>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut path = path.to_vec();
        path.push(sub.get_name().to_owned());
        let mut args = path.clone();
        args.push("--help".to_owned());
        cases.push((format!("{}.txt", path.join("-")), args));
        add_commands(sub, &path, cases);
    }
}

#[test]
fn help_and_version_are_as_committed() {
    let mut snapshots = Snapshots::new(
        "tests/snapshots/help",
        "UPDATE_SNAPSHOTS",
        "cargo test --test help",
    );
    for (file, args) in cases() {
        snapshots.check(&file, &printed(&args));
    }
    snapshots.finish();
}

#[test]
fn the_top_level_help_lists_every_command_in_its_group() {
    let help = printed(&["--help".to_owned()]);
    for heading in ["Typed calls:", "General calls:", "Server:", "Tools:"] {
        assert!(
            help.contains(&format!("\n{heading}\n")),
            "{heading}\n{help}"
        );
    }
    assert!(!help.contains("Other commands:"), "{help}");
    for sub in apicli::app::command().get_subcommands() {
        let name = sub.get_name();
        assert!(
            help.contains(&format!("\n  {name} ")),
            "{name} missing:\n{help}"
        );
    }
}

#[test]
fn serve_and_the_clients_show_their_own_options() {
    let serve = printed(&["serve".to_owned(), "--help".to_owned()]);
    for absent in ["--timeout", "--authority", "--proxy", "--profile", "Client"] {
        assert!(
            !serve.contains(absent),
            "{absent} in serve's help:\n{serve}"
        );
    }
    for present in [
        "Where to listen",
        "Require 'authorization",
        "--tls-cert",
        // The client options that reach the live server of --record-from and --reflect-from.
        "--ca-cert",
        "--insecure",
        "With --record-from or --reflect-from: metadata for the live server",
    ] {
        assert!(serve.contains(present), "{present} not in serve's help");
    }
    for client in ["hello", "call", "bench"] {
        let help = printed(&[client.to_owned(), "--help".to_owned()]);
        for absent in ["for serve", "serve:", "--tls-cert", "Where to listen"] {
            assert!(
                !help.contains(absent),
                "{absent} in {client}'s help:\n{help}"
            );
        }
        assert!(help.contains("Client TLS options:\n      --ca-cert"));
    }
}

#[test]
fn a_drift_reads_as_a_diff_of_lines() {
    let committed = "a\nb\nc\nd\ne\nf\ng\nh\n";
    let now = "a\nB\nc\nd\ne\nf\ng\nH\n";
    assert_eq!(
        common::snapshot::diff(committed, now),
        "   a\n - b\n + B\n   c\n   d\n   …\n   f\n   g\n - h\n + H\n"
    );
}

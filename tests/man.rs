//! The man pages committed in `man/` are what clap_mangen makes of the command line's definition
//! now: `apicli.1`, and a page for every command (`apicli-hello.1`, …, `apicli-profiles-show.1`).
//! Regenerate them with `UPDATE_MAN=1 cargo test --test man`.

mod common;

use clap::Command;
use clap_mangen::Man;
use common::snapshot::Snapshots;

/// apicli's command, built: every subcommand with its copies of the global options.
fn built() -> Command {
    let mut cmd = apicli::app::command();
    cmd.build();
    cmd
}

/// The pages of `cmd` and of its subcommands, at any depth: (file name, roff). clap's `help`
/// subcommands get none, and are not listed: the pages are the help.
fn pages(cmd: &Command, out: &mut Vec<(String, String)>) {
    let cmd = cmd.clone().mut_subcommands(|sub| {
        if sub.get_name() == "help" {
            sub.hide(true)
        } else {
            sub
        }
    });
    let man = Man::new(cmd.clone())
        .source(format!("apicli {}", env!("CARGO_PKG_VERSION")))
        .manual("apicli manual");
    let mut page = Vec::new();
    man.render(&mut page).unwrap();
    out.push((man.get_filename(), String::from_utf8(page).unwrap()));
    for sub in cmd.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        pages(sub, out);
    }
}

#[test]
fn committed_man_pages_are_current() {
    let mut all = Vec::new();
    pages(&built(), &mut all);
    let mut snapshots = Snapshots::new("man", "UPDATE_MAN", "cargo test --test man");
    for (file, page) in &all {
        snapshots.check(file, page);
    }
    snapshots.finish();
}

#[test]
fn every_command_has_a_page_the_top_page_names() {
    let mut all = Vec::new();
    pages(&built(), &mut all);
    let files: Vec<&str> = all.iter().map(|(file, _)| file.as_str()).collect();
    for file in [
        "apicli.1",
        "apicli-hello.1",
        "apicli-serve.1",
        "apicli-profiles-show.1",
    ] {
        assert!(files.contains(&file), "{file} missing from {files:?}");
    }
    let top = &all[0].1;
    let cmd = built();
    for sub in cmd.get_subcommands().filter(|sub| sub.get_name() != "help") {
        let reference = format!("apicli\\-{}(1)", sub.get_name().replace('-', "\\-"));
        assert!(
            top.contains(&reference),
            "apicli.1 does not name {reference}"
        );
    }
}

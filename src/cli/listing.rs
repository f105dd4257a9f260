//! The top-level help's list of commands, in the groups of [`GROUPS`]. clap lists a command's
//! subcommands under one heading, so the list is clap's own (its alignment, wrapping and styles,
//! from the commands' names and abouts), cut into groups, each under its heading.

use std::fmt::Write as _;

use clap::{Command, builder::StyledStr};

use super::{GROUPS, MAX_TERM_WIDTH};

/// The heading of the commands in no group: listed all the same, never left out.
const OTHERS: &str = "Other commands";

/// `root` with its help listing the commands in groups, then its options. Left as clap makes it
/// if clap's list does not read as expected.
pub(super) fn grouped(root: Command) -> Command {
    let groups = groups(&root);
    let Some(listing) = listing(&root, &groups) else {
        return root;
    };
    let header = root.get_styles().get_header();
    let mut template = StyledStr::new();
    let _ = write!(
        template,
        "{{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n{{before-help}}\
         {header}Options:{header:#}\n{{options}}{{after-help}}"
    );
    root.before_help(listing).help_template(template)
}

/// The groups' headings, each with its commands' entries (a name and an about) in order; the
/// commands in no group last.
fn groups(root: &Command) -> Vec<(&'static str, Vec<Command>)> {
    let entry = |name: &'static str| match name {
        // clap's own, added when clap builds `root`.
        "help" if !root.is_disable_help_subcommand_set() => clap_help(),
        _ => root
            .get_subcommands()
            .find(|sub| sub.get_name() == name && !sub.is_hide_set())
            .map(|sub| about(Command::new(name), sub)),
    };
    let mut groups: Vec<(&'static str, Vec<Command>)> = GROUPS
        .iter()
        .map(|group| {
            let entries = group
                .commands
                .iter()
                .filter_map(|name| entry(name))
                .collect();
            (group.heading, entries)
        })
        .collect();
    let others = root
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .filter(|sub| !GROUPS.iter().any(|g| g.commands.contains(&sub.get_name())))
        .cloned()
        .collect();
    groups.push((OTHERS, others));
    groups.retain(|(_, entries)| !entries.is_empty());
    groups
}

/// `entry` with the about of `command`.
fn about(entry: Command, command: &Command) -> Command {
    match command.get_about() {
        Some(about) => entry.about(about.clone()),
        None => entry,
    }
}

/// The entry of clap's `help` subcommand, as clap makes it.
fn clap_help() -> Option<Command> {
    let mut probe = Command::new("apicli").subcommand(Command::new("command"));
    probe.build();
    let help = probe.find_subcommand("help")?;
    Some(about(Command::new("help"), help))
}

/// The entries as clap lists them, one group after another, each under its heading.
fn listing(root: &Command, groups: &[(&str, Vec<Command>)]) -> Option<StyledStr> {
    let entries = groups.iter().flat_map(|(_, entries)| entries);
    let mut list = Command::new("apicli")
        .help_template("{subcommands}")
        .styles(root.get_styles().clone())
        .max_term_width(MAX_TERM_WIDTH)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommands(
            entries
                .enumerate()
                .map(|(order, entry)| entry.clone().display_order(order)),
        );
    let rendered = list.render_help();
    // The same lines with and without styles: the plain ones say where each command starts.
    let plain = rendered.to_string();
    let styled = rendered.ansi().to_string();
    if plain.lines().count() != styled.lines().count() {
        return None;
    }
    let mut lines = plain.lines().zip(styled.lines()).peekable();
    let header = root.get_styles().get_header();
    let mut out = StyledStr::new();
    for (at, (heading, entries)) in groups.iter().enumerate() {
        if at > 0 {
            out.push_str("\n\n");
        }
        let _ = write!(out, "{header}{heading}:{header:#}");
        for entry in entries {
            match lines.next() {
                Some((plain, styled)) if starts(plain) == Some(entry.get_name()) => {
                    out.push_str("\n");
                    out.push_str(styled);
                }
                _ => return None,
            }
            // Its about, wrapped onto the lines after.
            while let Some((_, styled)) = lines.next_if(|(plain, _)| starts(plain).is_none()) {
                out.push_str("\n");
                out.push_str(styled);
            }
        }
    }
    lines.next().is_none().then_some(out)
}

/// The command whose entry `line` starts: clap indents a name by two spaces, its wrapped about
/// further.
fn starts(line: &str) -> Option<&str> {
    let name = line.strip_prefix("  ")?.split(' ').next()?;
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(groups: &[(&str, Vec<Command>)]) -> Vec<String> {
        let entries = groups.iter().flat_map(|(_, entries)| entries);
        entries.map(|entry| entry.get_name().to_owned()).collect()
    }

    #[test]
    fn every_command_is_in_a_group() {
        let mut root = crate::cli::command();
        root.build();
        let groups = groups(&root);
        assert!(
            groups.iter().all(|(heading, _)| *heading != OTHERS),
            "commands in no group: {:?}",
            names(&groups)
        );
        let mut listed = names(&groups);
        let mut commands: Vec<_> = root.get_subcommands().map(|s| s.get_name()).collect();
        listed.sort();
        commands.sort_unstable();
        assert_eq!(listed, commands);
    }

    #[test]
    fn groups_name_only_commands_that_exist() {
        let mut root = crate::cli::command();
        root.build();
        for group in GROUPS {
            for name in group.commands {
                assert!(
                    root.find_subcommand(name).is_some(),
                    "{} lists {name}, which does not exist",
                    group.heading
                );
            }
        }
    }

    #[test]
    fn the_listing_is_clap_s_cut_into_groups() {
        let root = crate::cli::command();
        let listing = listing(&root, &groups(&root))
            .expect("a listing")
            .to_string();
        assert!(listing.starts_with("Typed calls:\n  hello "), "{listing}");
        assert!(listing.contains("\n\nServer:\n  serve "), "{listing}");
        assert!(listing.contains("\n  help "), "{listing}");
        // serve's about is too long for 100 columns: clap wraps it, under its first line.
        let lines: Vec<&str> = listing.lines().collect();
        let serve = lines
            .iter()
            .position(|l| l.starts_with("  serve "))
            .unwrap();
        assert!(lines[serve + 1].starts_with("      "), "{listing}");
    }

    #[test]
    fn a_command_in_no_group_is_listed_last() {
        let root = crate::cli::command().subcommand(Command::new("new-thing").about("Brand new"));
        let groups = groups(&root);
        assert_eq!(groups.last().unwrap().0, OTHERS);
        let listing = listing(&root, &groups).expect("a listing").to_string();
        assert!(
            listing.ends_with("Other commands:\n  new-thing    Brand new"),
            "{listing}"
        );
    }

    #[test]
    fn starts_reads_only_an_entry_s_first_line() {
        assert_eq!(starts("  get-all  Call getAll"), Some("get-all"));
        assert_eq!(starts("  help"), Some("help"));
        assert_eq!(starts("           wrapped help"), None);
        assert_eq!(starts(""), None);
    }
}

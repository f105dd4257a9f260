//! The one `clap::Command` of apicli: the derive's definition, with each command's help showing
//! the options that command takes. Parsing, help, the completion scripts, dynamic completion and
//! the man pages all use it, so they cannot disagree.
//!
//! The global options stay global (accepted before or after the subcommand); only their help
//! changes per command: hidden where they do not apply, with another text where they mean
//! something else. Neither changes what is parsed. A command's help is prepared when clap builds
//! that command (`Command::defer`), which it does only for the command being run: a call does not
//! pay for the help of the others.

use std::ffi::OsString;

use clap::{
    Arg, ArgMatches, Args as _, Command, CommandFactory as _, FromArgMatches as _,
    parser::ValueSource,
};

use super::{
    Audience, CLIENT_HEADINGS, Cli, GROUPS, GlobalArgs, OWN_HELP, REFUSED, SERVE_UPSTREAM,
    SERVE_UPSTREAM_HEADING, SUBCOMMAND_AUDIENCES, listing,
};

/// The program's command, ready to parse, print help, complete and make man pages. Not built:
/// call `build()` before reading a subcommand's options.
pub fn command() -> Command {
    listing::grouped(plain())
}

/// [`command`] without the top-level help's groups, which take clap's rendering of the command
/// list: a third of a call's start-up, for a help few calls print.
fn plain() -> Command {
    Cli::command()
        .bin_name("apicli")
        .mut_args(|arg| shown(arg, "", Audience::Any))
        .mut_subcommands(|sub| sub.defer(own_options))
}

/// [`command`] as the completion scripts offer it: each command with the options its help shows,
/// and no others. clap's script generators offer hidden options too, so here a command holds
/// only the global options its help shows, as its own. The root keeps every global option:
/// each may come before the command, and the shells must know which take a value to find the
/// command after them.
pub fn scripts() -> Command {
    let mut shown = command();
    shown.build();
    Cli::command()
        .bin_name("apicli")
        .mut_args(|arg| arg.global(false))
        .mut_subcommands(|sub| match shown.find_subcommand(sub.get_name()) {
            Some(built) => offered(sub, built),
            None => sub,
        })
}

/// `cmd`, defined with its own options only, given the global options that `built` (the same
/// command in [`command`], built) shows, and the same for its subcommands.
fn offered(cmd: Command, built: &Command) -> Command {
    let globals: Vec<Arg> = built
        .get_arguments()
        .filter(|arg| arg.is_global_set() && !arg.is_hide_set())
        .filter(|arg| !matches!(arg.get_id().as_str(), "help" | "version"))
        .map(|arg| arg.clone().global(false))
        .collect();
    cmd.args(globals)
        .mut_subcommands(|sub| match built.find_subcommand(sub.get_name()) {
            Some(built) => offered(sub, built),
            None => sub,
        })
}

/// Parses the command line (the program's name first) as [`command`] defines it. A command line
/// that asks for help, or lacks its command, is parsed again with the whole [`command`], so that
/// the help printed is the same.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, clap::Error> {
    let args: Vec<OsString> = args.into_iter().collect();
    // The command that runs, alone under the root: what parses there parses the same way with
    // every command, and anything else (help, a usage error) is parsed again with all of them.
    if let Some(mut cmd) = named(&args).and_then(alone)
        && let Ok(mut matches) = cmd.try_get_matches_from_mut(&args)
        && let Ok(cli) = from_matches(&mut matches)
    {
        return Ok(cli);
    }
    let mut cmd = plain();
    let mut matches = match cmd.try_get_matches_from_mut(&args) {
        Ok(matches) => matches,
        Err(err) if shows_help(&err) => {
            cmd = command();
            cmd.try_get_matches_from_mut(&args)?
        }
        Err(err) => return Err(err),
    };
    from_matches(&mut matches).map_err(|err| err.format(&mut cmd))
}

/// The command line's values, and whether `--addr` came from the environment.
fn from_matches(matches: &mut ArgMatches) -> Result<Cli, clap::Error> {
    let from_env = matches.value_source("addr") == Some(ValueSource::EnvVariable);
    let mut cli = Cli::from_arg_matches_mut(matches)?;
    cli.global.addr_from_env = from_env;
    Ok(cli)
}

/// The first word of the command line that names a command, if one does.
fn named(args: &[OsString]) -> Option<&str> {
    args.iter()
        .skip(1)
        .filter_map(|arg| arg.to_str())
        .find(|word| {
            GROUPS
                .iter()
                .any(|group| group.commands.contains(word) && *word != "help")
        })
}

/// The root with `name` as its only command, built without the others: clap would copy the
/// ~30 global options into every command it holds as it builds (a fifth of a call's start-up),
/// and building every command's arguments costs a tenth more. Its help is never printed (a
/// command line that asks for help, or does not parse, is parsed again with [`plain`]), so the
/// options keep the derive's help: what each command's help shows changes nothing that is
/// parsed, and preparing it would cost every call.
fn alone(name: &str) -> Option<Command> {
    let sub = super::Command::alone(name)?;
    let root = Command::new("apicli")
        .bin_name("apicli")
        .subcommand_required(true)
        .subcommand(sub);
    Some(GlobalArgs::augment_args(root))
}

/// Whether clap answered with help (asked for, or for a missing command).
fn shows_help(err: &clap::Error) -> bool {
    use clap::error::ErrorKind::{
        DisplayHelp, DisplayHelpOnMissingArgumentOrSubcommand, MissingSubcommand,
    };
    matches!(
        err.kind(),
        DisplayHelp | DisplayHelpOnMissingArgumentOrSubcommand | MissingSubcommand
    )
}

/// A top-level command as clap builds it: by then it holds copies of the global options, and
/// their help is made its own. clap copies them on into its subcommands (`profiles show`) after
/// this, so they get this command's copies, already as shown here.
fn own_options(cmd: Command) -> Command {
    let name = cmd.get_name().to_owned();
    let audience = audience(&name);
    let cmd = cmd.mut_args(|arg| shown(arg, &name, audience));
    let globals: Vec<Arg> = cmd
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .cloned()
        .collect();
    cmd.mut_subcommands(|sub| {
        let missing: Vec<Arg> = globals
            .iter()
            .filter(|arg| sub.get_arguments().all(|own| own.get_id() != arg.get_id()))
            .cloned()
            .collect();
        let sub = sub.args(missing);
        // A subcommand for another audience shows the global options as that audience sees them.
        match SUBCOMMAND_AUDIENCES
            .iter()
            .find(|(command, subcommand, _)| *command == name && *subcommand == sub.get_name())
        {
            Some((_, subcommand, audience)) => {
                let path = format!("{name} {subcommand}");
                sub.mut_args(|arg| shown(arg, &path, *audience))
            }
            None => sub,
        }
    })
}

/// Whom the top-level command `name` is for, from its group.
pub(super) fn audience(name: &str) -> Audience {
    GROUPS
        .iter()
        .find(|group| group.commands.contains(&name))
        .map_or(Audience::Client, |group| group.audience)
}

/// A global option as the help of `command` shows it; any other option as it is. Whether it is
/// hidden is decided anew for each command: the top level's copy, which clap copies into the
/// subcommands, is hidden more than theirs.
fn shown(arg: Arg, command: &str, audience: Audience) -> Arg {
    if !arg.is_global_set() {
        return arg;
    }
    let arg = arg.hide(false);
    let id = arg.get_id().as_str();
    if REFUSED.contains(&(command, id)) {
        return arg.hide(true);
    }
    let own = OWN_HELP
        .iter()
        .find(|(cmd, option, _)| *cmd == command && *option == id)
        .map(|(_, _, text)| *text);
    let for_clients = arg
        .get_help_heading()
        .is_some_and(|heading| CLIENT_HEADINGS.contains(&heading));
    let differs = OWN_HELP.iter().any(|(_, option, _)| *option == id);
    match audience {
        Audience::Client => match own {
            Some(text) => retold(arg, text),
            None => arg,
        },
        // serve's meaning of a client option is one of its general options.
        Audience::Server => match (own, for_clients) {
            (Some(text), true) if let Some(at) = SERVE_UPSTREAM.iter().position(|o| *o == id) => {
                // After the test double's own options, in the list's order.
                retold(arg, text)
                    .help_heading(SERVE_UPSTREAM_HEADING)
                    .display_order(usize::from(u16::MAX) + at)
            }
            (Some(text), true) => retold(arg, text).help_heading(None::<&str>),
            (Some(text), false) => retold(arg, text),
            (None, true) => arg.hide(true),
            (None, false) => arg,
        },
        // Reports are read, not fetched: of the client options, only the output format applies,
        // among the command's own.
        Audience::Reports if id == "output" => arg.help_heading(None::<&str>),
        Audience::Any | Audience::Reports if for_clients || differs => arg.hide(true),
        Audience::Any | Audience::Reports => arg,
    }
}

/// `arg` with `text` for both `-h` and `--help`.
fn retold(arg: Arg, text: &'static str) -> Arg {
    arg.help(text).long_help(None::<&str>)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What parses with the command alone parses the same with every command.
    #[test]
    fn a_command_alone_parses_as_among_all() {
        let lines: &[&[&str]] = &[
            &["hello", "x"],
            &["--addr", "h:1", "hello", "x", "-o", "json", "-H", "a: b"],
            &["get-all", "--length", "3", "--timeout", "2s"],
            &[
                "call",
                "api.Api/sayHello",
                "-d",
                "{}",
                "--proto",
                "p.proto",
                "-I",
                "d",
            ],
            &[
                "-H",
                "x: y",
                "bench",
                "api.Api/sayHello",
                "-c",
                "3",
                "--addr",
                "a:1",
                "--addr",
                "b:2",
            ],
            &["serve", "--addr", "0.0.0.0:0", "-q"],
            &["profiles", "show", "staging"],
            &["--profile", "staging", "list", "routeguide.RouteGuide"],
            &["call", "h:1", "api.Api/sayHello", "-d", "{}"],
            &["call", "http://h:1/api.Api/sayHello"],
            &["list", "h:1"],
            &["list", "h:1", "api.Api"],
            &["describe", "h:1", "api.Api", "--template"],
            &["describe"],
            &["bench", "h:1", "api.Api/sayHello", "-n", "3"],
            &["bench", "merge", "a.json"],
        ];
        for line in lines {
            let args: Vec<OsString> = std::iter::once("apicli")
                .chain(line.iter().copied())
                .map(OsString::from)
                .collect();
            let mut alone = alone(named(&args).unwrap()).unwrap();
            let mut all = plain();
            let one = Cli::from_arg_matches(&alone.try_get_matches_from_mut(&args).unwrap());
            let every = Cli::from_arg_matches(&all.try_get_matches_from_mut(&args).unwrap());
            assert_eq!(format!("{one:?}"), format!("{every:?}"), "{line:?}");
        }
    }

    /// Each command built alone has the arguments the derive gives it among all: the same
    /// ids, spellings, positions and kinds, so that it parses the same.
    #[test]
    fn each_command_alone_is_the_derive_s() {
        let all = Cli::command();
        for sub in all.get_subcommands() {
            let name = sub.get_name();
            let alone = super::super::Command::alone(name)
                .unwrap_or_else(|| panic!("no Command::alone for {name}"));
            let shape = |cmd: &Command| {
                let mut args: Vec<String> = cmd
                    .get_arguments()
                    .map(|arg| {
                        format!(
                            "{} {:?} {:?} {:?} {:?} {:?} {}",
                            arg.get_id(),
                            arg.get_long(),
                            arg.get_short(),
                            arg.get_index(),
                            arg.get_action(),
                            arg.get_num_args(),
                            arg.is_required_set(),
                        )
                    })
                    .collect();
                args.sort();
                let subs: Vec<String> = cmd
                    .get_subcommands()
                    .map(|sub| sub.get_name().to_owned())
                    .collect();
                (args, subs, cmd.is_allow_missing_positional_set())
            };
            assert_eq!(shape(&alone), shape(sub), "{name}");
        }
        assert!(super::super::Command::alone("nope").is_none());
    }

    /// [`command`], built: every subcommand with its copies of the global options.
    fn built() -> Command {
        let mut cmd = command();
        cmd.build();
        cmd
    }

    #[test]
    fn no_global_option_is_hidden_in_the_definition() {
        // Each command decides anew whether to show a global option (see `shown`).
        for arg in Cli::command().get_arguments() {
            assert!(!arg.is_hide_set(), "--{} is hidden", arg.get_id());
        }
    }

    fn sub<'a>(cmd: &'a Command, name: &str) -> &'a Command {
        cmd.get_subcommands()
            .find(|s| s.get_name() == name)
            .unwrap_or_else(|| panic!("no subcommand {name}"))
    }

    fn visible(cmd: &Command) -> Vec<String> {
        cmd.get_arguments()
            .filter(|a| !a.is_hide_set())
            .map(|a| a.get_id().to_string())
            .collect()
    }

    #[test]
    fn every_global_heading_is_a_client_heading() {
        // A misspelt heading would show a client option in serve's help.
        let cmd = built();
        for arg in cmd.get_arguments().filter(|a| a.is_global_set()) {
            if let Some(heading) = arg.get_help_heading() {
                assert!(
                    CLIENT_HEADINGS.contains(&heading),
                    "--{} is under '{heading}', not a client heading",
                    arg.get_id()
                );
            }
        }
    }

    #[test]
    fn own_help_names_options_and_commands_that_exist() {
        let cmd = built();
        for (name, id, _) in OWN_HELP {
            let sub = sub(&cmd, name);
            assert!(
                sub.get_arguments().any(|a| a.get_id() == id),
                "{name} has no option {id}"
            );
        }
    }

    #[test]
    fn serve_shows_its_own_options_and_the_shared_ones() {
        let cmd = built();
        let serve = visible(sub(&cmd, "serve"));
        for id in [
            "addr",
            "token_file",
            "keepalive",
            "verbose",
            "quiet",
            "color",
        ] {
            assert!(serve.iter().any(|v| v == id), "serve hides {id}");
        }
        assert!(serve.iter().any(|v| v == "tls_cert"));
        for id in ["profile", "timeout", "authority", "proxy", "compress"] {
            assert!(!serve.iter().any(|v| v == id), "serve shows {id}");
        }
        // What reaches the live server of --record-from and --reflect-from.
        for id in SERVE_UPSTREAM {
            let arg = sub(&cmd, "serve")
                .get_arguments()
                .find(|a| a.get_id() == id)
                .unwrap();
            assert!(!arg.is_hide_set(), "serve hides {id}");
            assert_eq!(arg.get_help_heading(), Some(SERVE_UPSTREAM_HEADING), "{id}");
        }
        let addr = sub(&cmd, "serve")
            .get_arguments()
            .find(|a| a.get_id() == "addr")
            .unwrap();
        assert_eq!(addr.get_help_heading(), None);
        assert!(
            addr.get_help()
                .unwrap()
                .to_string()
                .starts_with("Where to listen")
        );
    }

    #[test]
    fn clients_show_every_global_option_they_take() {
        let cmd = built();
        let all: Vec<_> = cmd
            .get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().to_string())
            .collect();
        for name in ["hello", "call", "bench"] {
            let shown = visible(sub(&cmd, name));
            for id in &all {
                let refused = REFUSED.contains(&(name, id.as_str()));
                assert_eq!(shown.contains(id), !refused, "{name} and {id}");
            }
        }
        let hello_addr = sub(&cmd, "hello")
            .get_arguments()
            .find(|a| a.get_id() == "addr")
            .unwrap();
        assert_eq!(hello_addr.get_help_heading(), Some("Client options"));
    }

    #[test]
    fn the_top_level_and_tools_show_only_what_means_the_same_everywhere() {
        let cmd = built();
        for shown in [
            visible(&cmd),
            visible(sub(&cmd, "completions")),
            visible(sub(sub(&cmd, "profiles"), "show")),
        ] {
            assert!(shown.iter().any(|v| v == "color"), "{shown:?}");
            for id in ["addr", "verbose", "quiet", "timeout", "insecure"] {
                assert!(!shown.iter().any(|v| v == id), "{id} in {shown:?}");
            }
        }
    }

    #[test]
    fn hidden_options_are_still_accepted_before_and_after_the_command() {
        for args in [
            ["apicli", "--timeout", "1s", "serve"],
            ["apicli", "serve", "--timeout", "1s"],
            ["apicli", "--addr", "x:1", "completions"],
            ["apicli", "completions", "--addr", "x:1"],
        ] {
            let mut args = args.to_vec();
            if args.contains(&"completions") {
                args.push("bash");
            }
            assert!(parse(args.iter().map(OsString::from)).is_ok(), "{args:?}");
        }
        let cli = parse(["apicli", "hello", "you", "--addr", "x:1"].map(OsString::from)).unwrap();
        assert_eq!(cli.global.addr, ["x:1"]);
        assert!(!cli.global.addr_from_env);
    }

    /// The address may come first: `[ADDR] <METHOD>`, one word being the method.
    #[test]
    fn the_address_is_an_optional_first_argument() {
        use super::super::Command as Words;
        let words = |line: &[&str]| {
            let args = std::iter::once("apicli").chain(line.iter().copied());
            match parse(args.map(OsString::from)).unwrap().command {
                Words::Call(args) => (args.address, Some(args.method)),
                Words::Bench(args) => (args.address, args.method),
                Words::List(args) => (args.address, args.service),
                Words::Describe(args) => (args.address, args.symbol),
                other => panic!("{other:?}"),
            }
        };
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(words(&["call", "a.B/c"]), (None, some("a.B/c")));
        assert_eq!(
            words(&["call", "h:1", "a.B/c"]),
            (some("h:1"), some("a.B/c"))
        );
        assert_eq!(words(&["bench", "a.B/c", "-n", "1"]), (None, some("a.B/c")));
        assert_eq!(
            words(&["bench", "h:1", "a.B/c"]),
            (some("h:1"), some("a.B/c"))
        );
        // Both optional: one word is the name; settings tell an address from it.
        assert_eq!(words(&["list", "h:1"]), (None, some("h:1")));
        assert_eq!(words(&["list", "h:1", "a.B"]), (some("h:1"), some("a.B")));
        assert_eq!(
            words(&["describe", "a.B", "--template"]),
            (None, some("a.B"))
        );
        assert_eq!(words(&["describe"]), (None, None));
        assert!(parse(["apicli", "call", "h:1", "a.B/c", "x"].map(OsString::from)).is_err());
    }
}

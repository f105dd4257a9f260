//! The whole program behind `main`: parse the command line, do the job, and turn the outcome
//! into an exit code, printing an error once if there is one.

use std::{
    ffi::{OsStr, OsString},
    io::Write as _,
};

use clap::{
    Arg, Command,
    error::{ContextKind, ContextValue, ErrorKind},
};
use clap_complete::{ArgValueCompleter, engine::CompletionCandidate};

use crate::{
    bench, call, cli,
    cli::ErrorFormat,
    complete,
    exit::{self, Interrupted, StatusError, Unmet},
    explore, server,
    settings::{ColorChoice, Colors, Config, Job},
};

/// Offers the values that start as the word under the cursor does.
type Completer = fn(&OsStr) -> Vec<CompletionCandidate>;

/// The arguments that complete from names only the server or the user's files know, as
/// (command, argument id, completer).
const COMPLETERS: &[(&str, &str, Completer)] = &[
    ("call", "method", complete::methods),
    ("bench", "method", complete::methods),
    ("describe", "symbol", complete::symbols),
    // A word alone is the method or symbol, though the shell sees it in the address's place.
    ("call", "address", complete::methods),
    ("bench", "address", complete::methods),
    ("describe", "address", complete::symbols),
];

/// The program's command: `cli`'s definition, with the dynamic completers of `complete`
/// attached, here where both are known, so that `cli` stays a definition that imports nothing.
/// Parsing needs no completer (`cli::parse`); the shell's questions do.
pub fn command() -> Command {
    cli::command().mut_subcommands(|sub| {
        let name = sub.get_name().to_owned();
        sub.mut_args(|arg| completing(arg, &name))
    })
}

/// `arg` of the command `command`, with its completer if it has one.
fn completing(arg: Arg, command: &str) -> Arg {
    match COMPLETERS
        .iter()
        .find(|(cmd, id, _)| *cmd == command && arg.get_id() == *id)
    {
        Some((_, _, completer)) => arg.add(ArgValueCompleter::new(*completer)),
        None => arg,
    }
}

/// Runs apicli with these arguments (the first is the program name) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    quiet_panics();
    let args: Vec<OsString> = args.into_iter().collect();
    // `COMPLETE=SHELL apicli …`: the shell asking for completions (clap_complete's CompleteEnv).
    if let Some(code) = complete::answer_shell(&args, command) {
        return code;
    }
    let cli = match cli::parse(args.iter().cloned()) {
        Ok(cli) => cli,
        Err(err) => return clap_error(&err, &args),
    };
    let colors = Colors::resolve(cli.global.color);
    // The flag's or the environment's, or else the profile's once it is read.
    let mut error_format = cli.global.error_format;
    let job = Job::from_cli(cli, &mut error_format);
    let error_format = error_format.unwrap_or_default();
    match job.map_err(anyhow::Error::from).and_then(execute) {
        Ok(()) => exit::SUCCESS,
        Err(err) => report(&err, colors, error_format),
    }
}

fn execute(job: Job) -> anyhow::Result<()> {
    if let Job::Call(settings, _) | Job::Explore(settings, _) = &job
        && settings.verbose
        && let Some(profile) = &settings.profile
    {
        eprintln!("apicli: profile {profile}");
    }
    match job {
        Job::Call(settings, call) => {
            // One call needs one thread: a current-thread runtime starts fastest.
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(call::run(&settings, &call))
        }
        Job::Explore(settings, explore) => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(explore::run(&settings, &explore))
        }
        // The load chooses its runtime: as many threads as --threads says.
        Job::Bench(settings, bench) => bench::run(&settings, &bench),
        Job::BenchMerge(merge) => bench::merge::run(&merge),
        Job::Serve(settings) => server::serve(settings),
        Job::Profiles(config, name) => profiles(&config, name.as_deref()),
        Job::Completions(shell) => {
            let mut out = std::io::stdout().lock();
            // Each command with the options its help shows.
            clap_complete::generate(shell, &mut cli::scripts(), "apicli", &mut out);
            out.flush()?;
            Ok(())
        }
    }
}

/// `apicli profiles`: the names, the default marked; with a name, that profile as resolved.
fn profiles(config: &Config, name: Option<&str>) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match name {
        Some(name) => out.write_all(config.get(name)?.show().as_bytes())?,
        None => {
            for profile in config.names() {
                if config.default.as_deref() == Some(profile) {
                    writeln!(out, "{profile} (default)")?;
                } else {
                    writeln!(out, "{profile}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Prints the error once, on one line (a status's details on their own lines after it, in
/// text), and decides the exit code.
fn report(err: &anyhow::Error, colors: Colors, format: ErrorFormat) -> u8 {
    let verdict = exit::verdict(err);
    if !verdict.quiet && format == ErrorFormat::Json {
        eprintln!("{}", exit::error_json(err, verdict.code));
    } else if !verdict.quiet {
        // Whatever a message quotes (a server's status message, a flag's value), it prints on
        // one line.
        let message = exit::one_line(format!("{err:#}"));
        if let Some(interrupted) = err.downcast_ref::<Interrupted>() {
            eprintln!("apicli: {interrupted}");
        } else if let Some(unmet) = err.downcast_ref::<Unmet>() {
            // One line per condition not met.
            for line in &unmet.0 {
                eprintln!("apicli: {}{line}", error_prefix(colors));
            }
        } else {
            eprintln!("apicli: {}{message}", error_prefix(colors));
        }
        if let Some(status) = err.downcast_ref::<StatusError>() {
            for detail in &status.details {
                eprintln!("{detail}");
            }
        }
    }
    verdict.code
}

/// Help and version go to stdout with exit 0; a usage mistake is one line on stderr, exit 2.
fn clap_error(err: &clap::Error, args: &[OsString]) -> u8 {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            exit::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            exit::USAGE
        }
        _ => {
            let colors = Colors::resolve(ColorChoice::Auto);
            // A grpcurl habit (`-plaintext`, `-max-time 5`): one line with apicli's way.
            let offending = match err.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(arg)) => Some(arg.as_str()),
                _ => None,
            };
            let words = args.iter().skip(1).filter_map(|arg| arg.to_str());
            if let Some(line) = cli::grpcurl_flag(words.clone(), offending) {
                return usage_error(line, colors, args);
            }
            if err.kind() == ErrorKind::InvalidSubcommand
                && let Some(ContextValue::String(unknown)) = err.get(ContextKind::InvalidSubcommand)
                && let Some(line) = cli::grpcurl_order(words, unknown)
            {
                return usage_error(&line, colors, args);
            }
            // clap's first paragraph, on one line: "error: … provided:\n  --key <FILE>".
            let rendered = err.render().to_string();
            let paragraph: Vec<_> = rendered
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let paragraph = paragraph.join(" ");
            let message = paragraph.strip_prefix("error: ").unwrap_or(&paragraph);
            let command = match subcommand_named(args) {
                Some(name) => format!("apicli {name}"),
                None => "apicli".to_owned(),
            };
            usage_error(&format!("{message}; see '{command} --help'"), colors, args)
        }
    }
}

/// A command line that did not parse: its one line, as text or, when the command line or the
/// environment asks for it, as JSON.
fn usage_error(line: &str, colors: Colors, args: &[OsString]) -> u8 {
    if json_errors_asked(args) {
        let err = anyhow::Error::new(exit::UsageError(line.to_owned()));
        eprintln!("{}", exit::error_json(&err, exit::USAGE));
    } else {
        eprintln!("apicli: {}{line}", error_prefix(colors));
    }
    exit::USAGE
}

/// Whether `--error-format json` is among the words of a command line clap could not parse, or
/// in `APICLI_ERROR_FORMAT`.
fn json_errors_asked(args: &[OsString]) -> bool {
    let words: Vec<&str> = args.iter().filter_map(|arg| arg.to_str()).collect();
    let given = words.iter().enumerate().rev().find_map(|(i, word)| {
        match word.strip_prefix("--error-format") {
            Some(value) if let Some(value) = value.strip_prefix('=') => Some(value),
            Some("") => words.get(i + 1).copied(),
            _ => None,
        }
    });
    match given {
        Some(value) => value == "json",
        None => std::env::var("APICLI_ERROR_FORMAT").is_ok_and(|value| value == "json"),
    }
}

/// The first argument that names a subcommand, to point the user at its help; with the next,
/// when that names one of its own (`bench merge`).
fn subcommand_named(args: &[OsString]) -> Option<String> {
    let cli = cli::command();
    let words: Vec<&str> = args.iter().skip(1).filter_map(|arg| arg.to_str()).collect();
    words.iter().enumerate().find_map(|(i, word)| {
        let sub = cli.find_subcommand(word)?;
        Some(
            match words.get(i + 1).and_then(|next| sub.find_subcommand(next)) {
                Some(inner) => format!("{} {}", sub.get_name(), inner.get_name()),
                None => sub.get_name().to_owned(),
            },
        )
    })
}

fn error_prefix(colors: Colors) -> String {
    if colors.stderr {
        let red = anstyle::AnsiColor::Red.on_default().bold();
        format!("{}error:{} ", red.render(), red.render_reset())
    } else {
        "error: ".to_owned()
    }
}

/// A bug must still end in one line, never a backtrace, whatever RUST_BACKTRACE says.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("apicli: internal error{location}: {payload} (this is a bug; please report it)");
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_completer_is_attached() {
        let mut cmd = command();
        cmd.build();
        for (name, id, _) in COMPLETERS {
            let arg = cmd
                .find_subcommand(name)
                .and_then(|sub| sub.get_arguments().find(|arg| arg.get_id() == *id))
                .unwrap_or_else(|| panic!("no argument {id} in {name}"));
            assert!(arg.get::<ArgValueCompleter>().is_some(), "{name} {id}");
        }
    }
}

//! grpcurl's flags, which Go's flag package writes with one dash (`-plaintext`, `-max-time 5`),
//! and what each is in apicli. A command line that fails to parse is searched for one
//! ([`grpcurl_flag`]), so that a grpcurl user gets one line naming apicli's way instead of clap's
//! "unexpected argument '-p'". The search runs only after a failed parse: a command line that
//! parses pays nothing.
//!
//! None is accepted, even where the single-dash form could not be taken for a cluster of
//! apicli's short flags: a habit that works only with a warning breaks without one the day a
//! short flag is added, and scripts do not read warnings.

/// One grpcurl flag: its name without the dash, and the line that says what it is in apicli.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrpcurlFlag {
    pub name: &'static str,
    /// `-NAME` is also one of apicli's short options, with the same meaning: it is grpcurl's
    /// only when the failed parse points at it (`apicli list -d …`).
    pub shared: bool,
    /// It takes a value (`-d VALUE`, `-d=VALUE`); a shared flag that does accepts `-X=VALUE` in
    /// apicli too.
    pub takes_value: bool,
    pub line: &'static str,
}

const fn flag(name: &'static str, takes_value: bool, line: &'static str) -> GrpcurlFlag {
    GrpcurlFlag {
        name,
        shared: false,
        takes_value,
        line,
    }
}

const fn shared(name: &'static str, takes_value: bool, line: &'static str) -> GrpcurlFlag {
    GrpcurlFlag {
        name,
        shared: true,
        takes_value,
        line,
    }
}

/// Every flag of grpcurl's command line (its `cmd/grpcurl`), in its help's order.
#[rustfmt::skip]
pub const GRPCURL_FLAGS: &[GrpcurlFlag] = &[
    flag("help", false, "-help is -h or --help in apicli ('apicli COMMAND --help' for a command's options)"),
    flag("version", false, "-version is -V or --version in apicli"),
    flag("plaintext", false,
         "apicli speaks plaintext to host:port and http:// addresses; -plaintext is not needed (https:// addresses use TLS)"),
    flag("insecure", false,
         "-insecure is --insecure in apicli, with an https:// address (and a warning on every call)"),
    flag("cacert", true,
         "-cacert is --ca-cert in apicli, with an https:// address (trusted besides the system roots)"),
    flag("cert", true, "-cert is --cert in apicli, with --key and an https:// address"),
    flag("key", true, "-key is --key in apicli, with --cert and an https:// address"),
    flag("alts", false, "-alts has no equivalent: apicli has no ALTS; use TLS with an https:// address"),
    flag("alts-handshaker-service", true,
         "-alts-handshaker-service has no equivalent: apicli has no ALTS; use TLS with an https:// address"),
    flag("alts-target-service-account", true,
         "-alts-target-service-account has no equivalent: apicli has no ALTS; use TLS with an https:// address"),
    flag("expand-headers", false,
         "-expand-headers has no equivalent: let the shell expand (-H \"x-key: $KEY\"), or read headers from a file (-H @FILE) or a token (--token-file)"),
    flag("authority", true,
         "-authority is --authority in apicli (the :authority, and the TLS server name)"),
    flag("user-agent", true, "-user-agent has no flag in apicli; send -H 'user-agent: VALUE'"),
    shared("d", true,
           "-d is a flag of 'apicli call' and 'apicli bench': JSON request messages, @FILE for a file, and @- for stdin (grpcurl's '-d @')"),
    flag("format", true,
         "-format is -o in apicli, for what is printed only (-o text, -o json, -o table); requests (-d) are always JSON"),
    flag("allow-unknown-fields", false,
         "-allow-unknown-fields is --allow-unknown-fields in apicli ('apicli call' and 'apicli bench'); without it, a -d field the message lacks is refused, by name"),
    flag("connect-timeout", true,
         "-connect-timeout is --connect-timeout in apicli, a duration with its unit (--connect-timeout 5s; grpcurl's counts seconds)"),
    flag("format-error", false,
         "-format-error is --error-format json in apicli (a failed call's status as one JSON object on stderr)"),
    flag("keepalive-time", true,
         "-keepalive-time is --keepalive in apicli, a duration with its unit (--keepalive 30s; grpcurl's counts seconds)"),
    flag("max-time", true,
         "-max-time is --timeout in apicli (a deadline sent to the server as grpc-timeout; a duration with its unit: --timeout 10s)"),
    flag("max-msg-sz", true,
         "-max-msg-sz is --max-message-size in apicli (bytes, units optional: --max-message-size 64MiB)"),
    flag("emit-defaults", false,
         "-emit-defaults is --emit-defaults in apicli ('apicli call METHOD -o json --emit-defaults')"),
    flag("protoset-out", true,
         "-protoset-out is 'apicli describe [SYMBOL] --protoset-out FILE' in apicli"),
    flag("proto-out-dir", true, "-proto-out-dir is 'apicli describe [SYMBOL] --proto-out DIR' in apicli"),
    flag("msg-template", false,
         "-msg-template is 'apicli describe SYMBOL --template' in apicli (a JSON request skeleton)"),
    shared("v", false,
           "-v is -v in apicli too, without '=true': the metadata sent, the response headers and trailers, the status and the timing, on stderr"),
    flag("vv", false, "-vv is -v in apicli, whose -v shows the timing that grpcurl shows only with -vv"),
    flag("servername", true,
         "-servername is --authority in apicli, which sets the TLS server name and the :authority together"),
    shared("H", true,
           "-H is -H in apicli too, sent on calls and reflection alike: 'name: value', @FILE for a file of them, base64 for a name ending in -bin"),
    flag("rpc-header", true, "-rpc-header is --rpc-header in apicli (sent on the call only, not on reflection)"),
    flag("reflect-header", true,
         "-reflect-header is --reflect-header in apicli (sent on reflection requests only, not on the call)"),
    flag("protoset", true, "-protoset is --protoset in apicli (repeatable)"),
    flag("proto", true, "-proto is --proto in apicli (repeatable; imports are found through -I)"),
    flag("import-path", true, "-import-path is -I or --import-path in apicli"),
    flag("use-reflection", false,
         "-use-reflection has no flag in apicli: it uses reflection unless --proto or --protoset is given, and then only those files"),
    flag("unix", false, "-unix is part of the address in apicli: write unix:/path/to.sock"),
];

/// The grpcurl flag a command line that failed to parse holds, as the line that says what it is
/// in apicli. `args` are the words after the program's name; `offending` is the argument clap
/// names as unexpected, if it does (`-p` of `-plaintext`, `--plaintext`, `-d`).
///
/// A word counts when it is `-NAME` or `-NAME=VALUE` (and `--NAME` when clap names it: Go takes
/// two dashes too). A flag apicli shares counts only where apicli would not take the word itself:
/// when clap names it as unexpected, or, for one that takes no value, as `-v=true`.
pub fn grpcurl_flag<'a>(
    args: impl IntoIterator<Item = &'a str>,
    offending: Option<&str>,
) -> Option<&'static str> {
    let offending = offending.map(|arg| arg.split_once(' ').map_or(arg, |(first, _)| first));
    for word in args {
        if word == "--" {
            break;
        }
        let Some(rest) = word.strip_prefix('-') else {
            continue;
        };
        let (rest, double) = match rest.strip_prefix('-') {
            Some(rest) => (rest, true),
            None => (rest, false),
        };
        let (name, value) = match rest.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (rest, None),
        };
        let Some(found) = GRPCURL_FLAGS.iter().find(|f| f.name == name) else {
            continue;
        };
        // clap names the flag without its value: `-d` of `-d=x`.
        let named = offending == Some(word.split_once('=').map_or(word, |(flag, _)| flag));
        let counts = if double {
            // `--proto` and its kind are apicli's own: only one clap refuses is grpcurl's.
            named
        } else if found.shared {
            named || (value.is_some() && !found.takes_value)
        } else {
            true
        };
        if counts {
            return Some(found.line);
        }
    }
    None
}

/// The line for grpcurl's order, the address before the command (`grpcurl ADDR list`,
/// `grpcurl ADDR SERVICE/METHOD`), when clap took `unknown` for a command: apicli's command line
/// in apicli's order. `args` are the words after the program's name. `None` when `unknown` is no
/// address (an address holds `:` or `//`, and no command or name does).
pub fn grpcurl_order<'a>(args: impl IntoIterator<Item = &'a str>, unknown: &str) -> Option<String> {
    if !(unknown.contains(':') || unknown.contains("//")) {
        return None;
    }
    // buf curl's one URL, address and method: `http://host:port/SERVICE/METHOD`.
    if let Some((_, rest)) = unknown.split_once("://")
        && rest.trim_end_matches('/').contains('/')
    {
        return Some(format!(
            "the command comes first in apicli: apicli call {unknown}"
        ));
    }
    let mut words = args.into_iter().skip_while(|word| *word != unknown).skip(1);
    let line = match words.next() {
        Some(verb @ ("list" | "describe")) => {
            let rest: Vec<&str> = words.collect();
            let rest = if rest.is_empty() {
                String::new()
            } else {
                format!(" {}", rest.join(" "))
            };
            format!("the command comes first in apicli: apicli {verb} {unknown}{rest}")
        }
        Some(method) if !method.starts_with('-') => {
            format!("the command comes first in apicli: apicli call {unknown} {method}")
        }
        _ => format!(
            "'{unknown}' is an address; the command comes first in apicli: apicli list {unknown}, \
             apicli call {unknown} SERVICE/METHOD"
        ),
    };
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every flag the issue lists, besides the rest of grpcurl's.
    const LISTED: &[&str] = &[
        "plaintext",
        "d",
        "H",
        "rpc-header",
        "reflect-header",
        "proto",
        "import-path",
        "protoset",
        "max-time",
        "connect-timeout",
        "emit-defaults",
        "format",
        "insecure",
        "cacert",
        "cert",
        "key",
        "servername",
        "authority",
        "max-msg-sz",
        "unix",
        "v",
        "vv",
        "msg-template",
        "format-error",
        "protoset-out",
        "proto-out-dir",
        "keepalive-time",
        "expand-headers",
        "allow-unknown-fields",
        "use-reflection",
        "user-agent",
        "alts",
        "version",
        "help",
    ];

    #[test]
    fn grpcurls_order_is_put_in_apicli_order() {
        let order = |line: &str, unknown| grpcurl_order(line.split(' '), unknown);
        assert_eq!(
            order("localhost:50051 list", "localhost:50051").unwrap(),
            "the command comes first in apicli: apicli list localhost:50051"
        );
        assert_eq!(
            order("h:1 describe api.Api", "h:1").unwrap(),
            "the command comes first in apicli: apicli describe h:1 api.Api"
        );
        assert_eq!(
            order("-d {} h:1 api.Api/sayHello", "h:1").unwrap(),
            "the command comes first in apicli: apicli call h:1 api.Api/sayHello"
        );
        assert!(order("h:1", "h:1").unwrap().contains("apicli list h:1"));
        assert_eq!(
            order("http://h:1/api.Api/sayHello", "http://h:1/api.Api/sayHello").unwrap(),
            "the command comes first in apicli: apicli call http://h:1/api.Api/sayHello"
        );
        assert_eq!(order("lsit", "lsit"), None);
    }

    #[test]
    fn every_listed_flag_has_one_line_that_names_it() {
        for name in LISTED {
            let flag = GRPCURL_FLAGS
                .iter()
                .find(|f| f.name == *name)
                .unwrap_or_else(|| panic!("-{name} has no line"));
            assert!(!flag.line.contains('\n'), "-{name}: one line");
            assert!(
                flag.line.contains(&format!("-{name}")),
                "-{name}'s line names it"
            );
            assert!(flag.line.len() < 160, "-{name}'s line is short enough");
        }
        for flag in GRPCURL_FLAGS {
            assert_eq!(
                GRPCURL_FLAGS.iter().filter(|f| f.name == flag.name).count(),
                1,
                "-{} is listed once",
                flag.name
            );
        }
    }

    #[test]
    fn single_dash_forms_are_found_anywhere_before_a_double_dash() {
        let line = |args: &[&str], offending| grpcurl_flag(args.iter().copied(), offending);
        assert!(
            line(&["list", "-plaintext"], Some("-p"))
                .unwrap()
                .contains("not needed")
        );
        assert!(
            line(&["call", "-max-time=3", "m"], None)
                .unwrap()
                .contains("--timeout")
        );
        assert!(
            line(&["-vv", "call", "m"], None)
                .unwrap()
                .contains("-vv is -v")
        );
        assert_eq!(line(&["call", "--", "-plaintext"], None), None);
        assert_eq!(line(&["call", "-x"], Some("-x")), None);
    }

    #[test]
    fn shared_flags_count_only_where_apicli_refuses_them() {
        let line = |args: &[&str], offending| grpcurl_flag(args.iter().copied(), offending);
        // `call m -H` lacks a value: clap's own message says so.
        assert_eq!(
            line(&["call", "m", "-H"], Some("--header <NAME: VALUE>")),
            None
        );
        assert_eq!(line(&["call", "m", "-d=x", "--bad"], Some("--bad")), None);
        assert!(
            line(&["list", "-d", "{}"], Some("-d"))
                .unwrap()
                .starts_with("-d is")
        );
        assert!(
            line(&["list", "-v=true"], Some("-="))
                .unwrap()
                .starts_with("-v is")
        );
        assert!(
            line(&["list", "-H=x", "-d=3"], Some("-d"))
                .unwrap()
                .starts_with("-d is")
        );
        // Two dashes: grpcurl's only where clap refuses it.
        assert!(line(&["list", "--plaintext"], Some("--plaintext")).is_some());
        assert_eq!(
            line(&["list", "--proto", "x", "--bad"], Some("--bad")),
            None
        );
    }
}

//! Shell completion of what only run time knows: the methods `apicli call` can call and the
//! symbols `apicli describe` can describe. The shell asks through clap's own protocol
//! (`COMPLETE=bash apicli -- apicli call api.Api/sa`); every other word completes from the clap
//! definition, as the static scripts in `completions/` do.
//!
//! The names come from the `--proto` / `--protoset` files on the command line, or else from the
//! built-in files plus the server's reflection, which gets [`REFLECTION_BUDGET`] to connect and
//! answer. Nothing here prints or fails: whatever goes wrong, the shell is offered fewer names.

use std::{
    collections::BTreeMap,
    ffi::{OsStr, OsString},
    path::PathBuf,
    time::Duration,
};

use clap_complete::{CompleteEnv, engine::CompletionCandidate};
use prost_reflect::{DescriptorPool, MethodDescriptor};
use tonic::metadata::MetadataMap;

use crate::{
    client,
    descriptors::{Descriptors, Reflection, builtin_pool, load_files},
    exit,
    settings::{ClientSettings, DEFAULT_PORT, is_address, split_url},
};

/// The environment variable that tells apicli the shell is asking for completions.
const VAR: &str = "COMPLETE";

/// How long reflection may take, connecting included: a TAB must never feel stuck.
pub const REFLECTION_BUDGET: Duration = Duration::from_secs(1);

/// Answers the shell when it asks (`COMPLETE=SHELL apicli …`): the registration script, or the
/// candidates for the word under the cursor, from `program`'s command (with [`methods`] and
/// [`symbols`] attached). Returns the exit code then, `None` on a normal run.
pub fn answer_shell(args: &[OsString], program: fn() -> clap::Command) -> Option<u8> {
    let asked = std::env::var_os(VAR).is_some_and(|v| !v.is_empty() && v != "0");
    if !asked {
        return None;
    }
    // Text on the terminal would land in the middle of the user's command line: a failure or
    // even a bug here means no completions and nothing else.
    std::panic::set_hook(Box::new(|_| {}));
    let current_dir = std::env::current_dir().ok();
    let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        CompleteEnv::with_factory(program)
            .var(VAR)
            .try_complete(args.iter().cloned(), current_dir.as_deref())
    }));
    Some(match answered {
        Ok(Ok(_)) => exit::SUCCESS,
        _ => exit::FAILURE,
    })
}

/// `apicli call <TAB>`: `package.Service/Method` (with a leading `/` if the word has one).
pub fn methods(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    let mut line = CommandLine::from_env();
    // One URL, http://host:port/SERVICE/METHOD: the names of the server it names.
    let (before, current) = match split_url(current) {
        Some((address, path)) => {
            line.address = Some(address.to_owned());
            (address, path)
        }
        None => ("", current),
    };
    let names = Names::gather(&line);
    let (slash, prefix) = match current.strip_prefix('/') {
        Some(rest) => ("/", rest),
        None => ("", current),
    };
    candidates(&names.methods, prefix)
        .map(|(name, kind)| {
            CompletionCandidate::new(format!("{before}{slash}{name}")).help(Some(kind.into()))
        })
        .collect()
}

/// `apicli describe <TAB>`: services, `package.Service.Method`, messages and enums.
pub fn symbols(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    let names = Names::gather(&CommandLine::from_env());
    // The well-known types are in every pool that imports one: offered only when asked for.
    let well_known_too = current.starts_with("google");
    candidates(&names.symbols, current)
        .filter(|(name, _)| well_known_too || !name.starts_with("google.protobuf."))
        .map(|(name, kind)| CompletionCandidate::new(name).help(Some(kind.into())))
        .collect()
}

fn candidates<'a>(
    names: &'a BTreeMap<String, &'static str>,
    prefix: &'a str,
) -> impl Iterator<Item = (&'a String, &'static str)> + 'a {
    names
        .iter()
        .filter(move |(name, _)| name.starts_with(prefix))
        .map(|(name, kind)| (name, *kind))
}

/// What the rest of the command line says about where descriptors come from, and how to reach
/// the server. A completer is given only the word under the cursor, so the other words are read
/// from the process's arguments, as the shell passed them: `apicli -- apicli call --proto x.proto
/// api.A`.
#[derive(Debug, Default, PartialEq, Eq)]
struct CommandLine {
    protos: Vec<PathBuf>,
    import_paths: Vec<PathBuf>,
    protosets: Vec<PathBuf>,
    addr: Option<String>,
    /// The address given as the command's first argument (`call HOST:PORT …`).
    address: Option<String>,
    proxy: Option<String>,
    no_proxy: bool,
}

/// The commands that take the address as their first argument.
const ADDRESS_FIRST: &[&str] = &["call", "bench", "list", "describe"];

impl CommandLine {
    fn from_env() -> CommandLine {
        let args: Vec<OsString> = std::env::args_os().collect();
        // The words the shell passed follow the first `--`; the first of them is the program.
        let words = match args.iter().position(|a| a == "--") {
            Some(at) => &args[at + 1..],
            None => &args[..],
        };
        CommandLine::parse(words.iter().skip(1).cloned())
    }

    /// Picks `--proto`, `-I`/`--import-path`, `--protoset`, `--addr`, `--proxy` and `--no-proxy`
    /// out of `words` (the arguments after the program name), in any of the spellings clap
    /// accepts; and the address written as the command's first argument, if it is: the first
    /// word after the command's name that is neither an option nor what may be an option's value.
    fn parse(words: impl IntoIterator<Item = OsString>) -> CommandLine {
        let mut line = CommandLine::default();
        let mut words = words.into_iter();
        // Whether the command has been named, and its first argument not yet seen.
        let mut first_argument = false;
        let mut after_option = false;
        while let Some(word) = words.next() {
            let Some(word) = word.to_str() else {
                continue;
            };
            if word == "--" {
                break;
            }
            let an_option_s_value = std::mem::replace(
                &mut after_option,
                word.starts_with('-') && !word.contains('='),
            );
            if !word.starts_with('-') && !an_option_s_value {
                if first_argument && is_address(word) {
                    line.address = Some(word.to_owned());
                }
                first_argument =
                    line.address.is_none() && !first_argument && ADDRESS_FIRST.contains(&word);
                continue;
            }
            if word == "--no-proxy" {
                line.no_proxy = true;
                continue;
            }
            let (flag, attached) = match word.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
                _ => match word.strip_prefix("-I") {
                    Some(dir) if !dir.is_empty() => {
                        ("-I", Some(dir.strip_prefix('=').unwrap_or(dir).to_owned()))
                    }
                    _ => (word, None),
                },
            };
            if !matches!(
                flag,
                "--proto" | "--protoset" | "-I" | "--import-path" | "--addr" | "--proxy"
            ) {
                continue;
            }
            // The value is taken here: the next word is the line's own.
            after_option = false;
            let value = match attached {
                Some(value) => value,
                None => match words.next().and_then(|w| w.into_string().ok()) {
                    Some(value) => value,
                    None => break,
                },
            };
            match flag {
                "--proto" => line.protos.push(path(&value)),
                "--protoset" => line.protosets.push(path(&value)),
                "--addr" => line.addr = Some(value),
                "--proxy" => line.proxy = Some(value),
                _ => line.import_paths.push(path(&value)),
            }
        }
        line
    }

    fn files_given(&self) -> bool {
        !self.protos.is_empty() || !self.protosets.is_empty()
    }

    /// The server to ask: `--addr` or the command's first argument, else `APICLI_ADDR`, else
    /// the default.
    fn addr(&self) -> String {
        self.addr
            .clone()
            .or_else(|| self.address.clone())
            .or_else(|| std::env::var("APICLI_ADDR").ok().filter(|a| !a.is_empty()))
            .unwrap_or_else(|| format!("127.0.0.1:{DEFAULT_PORT}"))
    }
}

/// A path as typed: the shell has not expanded a leading `~/` in a word being completed.
fn path(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(typed),
    }
}

/// The names on offer, each with what it is (shown by shells that show descriptions).
#[derive(Debug, Default)]
struct Names {
    /// `package.Service/Method`.
    methods: BTreeMap<String, &'static str>,
    /// Services, `package.Service.Method`, messages and enums.
    symbols: BTreeMap<String, &'static str>,
}

impl Names {
    fn gather(line: &CommandLine) -> Names {
        let mut names = Names::default();
        if line.files_given()
            && let Ok(pool) = load_files(&line.protos, &line.import_paths, &line.protosets)
        {
            names.add(&pool);
            return names;
        }
        names.add(&builtin_pool());
        if !line.files_given() {
            names.add_reflected(line);
        }
        names
    }

    fn add(&mut self, pool: &DescriptorPool) {
        for service in pool.services() {
            self.symbols
                .insert(service.full_name().to_owned(), "service");
            for method in service.methods() {
                let call_name = format!("{}/{}", service.full_name(), method.name());
                self.methods.insert(call_name, method_kind(&method));
                self.symbols.insert(method.full_name().to_owned(), "method");
            }
        }
        for message in pool.all_messages().filter(|m| !m.is_map_entry()) {
            self.symbols
                .insert(message.full_name().to_owned(), "message");
        }
        for en in pool.all_enums() {
            self.symbols.insert(en.full_name().to_owned(), "enum");
        }
    }

    /// Adds what the server's reflection tells within [`REFLECTION_BUDGET`], connecting as a
    /// call would (through the proxy the line and the environment choose): on a plaintext
    /// address only (TLS would need every certificate flag read correctly).
    fn add_reflected(&mut self, line: &CommandLine) {
        let addr = line.addr();
        let Ok(settings) = ClientSettings::lookup(
            &addr,
            line.proxy.as_deref(),
            line.no_proxy,
            REFLECTION_BUDGET,
        ) else {
            return;
        };
        if settings.target.is_tls() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async {
            let deadline = tokio::time::Instant::now() + REFLECTION_BUDGET;
            let Ok(Ok(connection)) =
                tokio::time::timeout_at(deadline, client::connect(&settings)).await
            else {
                return;
            };
            let reflection = Reflection::new(connection.channel, MetadataMap::new());
            let mut descriptors = Descriptors::from_reflection(reflection, addr.clone());
            let mut listed = Vec::new();
            // What arrived before the deadline is kept, even if some services' files did not.
            let _ = tokio::time::timeout_at(deadline, async {
                let Ok(services) = descriptors.services().await else {
                    return;
                };
                listed.clone_from(&services);
                for service in &services {
                    let _ = descriptors.service(service).await;
                }
            })
            .await;
            self.add(descriptors.pool());
            for service in listed {
                self.symbols.entry(service).or_insert("service");
            }
        });
        // Do not wait for anything still in flight (a slow name lookup, say).
        runtime.shutdown_background();
    }
}

/// As `apicli list` names it.
fn method_kind(method: &MethodDescriptor) -> &'static str {
    match (method.is_client_streaming(), method.is_server_streaming()) {
        (false, false) => "unary",
        (false, true) => "server-streaming",
        (true, false) => "client-streaming",
        (true, true) => "bidi",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn reads_descriptor_flags_in_every_spelling() {
        let line = CommandLine::parse(words(
            "--addr=127.0.0.1:1 call --proto a.proto --proto=b.proto -I inc -Iinc2 -I=inc3 \
             --import-path deps --import-path=deps2 --protoset s.binpb --protoset=t.binpb \
             api.A -- --proto ignored.proto",
        ));
        assert_eq!(
            line,
            CommandLine {
                protos: vec!["a.proto".into(), "b.proto".into()],
                import_paths: ["inc", "inc2", "inc3", "deps", "deps2"]
                    .map(PathBuf::from)
                    .to_vec(),
                protosets: vec!["s.binpb".into(), "t.binpb".into()],
                addr: Some("127.0.0.1:1".into()),
                address: None,
                proxy: None,
                no_proxy: false,
            }
        );
        let line = CommandLine::parse(words("--addr unix:/tmp/s describe --proto"));
        assert_eq!(line.addr.as_deref(), Some("unix:/tmp/s"));
        assert!(line.protos.is_empty());
        let line = CommandLine::parse(words(
            "--proxy http://p:3128 call --no-proxy --proxy=http://q:1 api.A",
        ));
        assert_eq!(
            (line.proxy.as_deref(), line.no_proxy),
            (Some("http://q:1"), true)
        );
    }

    #[test]
    fn reads_the_address_written_as_the_command_s_first_argument() {
        let address = |line: &str| CommandLine::parse(words(line)).address;
        assert_eq!(
            address("call 127.0.0.1:1 api.A"),
            Some("127.0.0.1:1".into())
        );
        assert_eq!(
            address("-o json describe --proto a.proto unix:/tmp/s routeguide."),
            Some("unix:/tmp/s".into())
        );
        assert_eq!(address("list [::1]:7"), Some("[::1]:7".into()));
        // A method, an option's value, or a word before the command is no address.
        assert_eq!(address("call api.A h:1"), None);
        assert_eq!(address("call -H x:y api.A"), None);
        assert_eq!(address("h:1 call api.A"), None);
        assert_eq!(address("hello h:1"), None);
    }

    #[test]
    fn built_in_names_without_a_server() {
        let mut names = Names::default();
        names.add(&builtin_pool());
        let methods: Vec<_> = candidates(&names.methods, "api.Api/")
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(
            methods,
            ["api.Api/getAll", "api.Api/getStream", "api.Api/sayHello"]
        );
        assert_eq!(
            names.methods.get("routeguide.RouteGuide/RouteChat"),
            Some(&"bidi")
        );
        assert!(names.methods.contains_key("grpc.health.v1.Health/Check"));
        for symbol in [
            "api.Api",
            "api.Api.sayHello",
            "routeguide.Point",
            "grpc.health.v1.HealthCheckResponse.ServingStatus",
        ] {
            assert!(names.symbols.contains_key(symbol), "{symbol}");
        }
    }

    #[test]
    fn files_on_the_line_replace_the_built_in_names() {
        let dir = tempfile::tempdir().unwrap();
        let proto = dir.path().join("shop.proto");
        std::fs::write(
            &proto,
            "syntax = \"proto3\";\npackage shop;\nimport \"google/protobuf/empty.proto\";\n\
             service Till { rpc Open(google.protobuf.Empty) returns (Receipt); }\n\
             message Receipt { map<string, int32> lines = 1; }\n",
        )
        .unwrap();
        let line = CommandLine {
            protos: vec![proto],
            ..CommandLine::default()
        };
        let names = Names::gather(&line);
        assert_eq!(names.methods.keys().collect::<Vec<_>>(), ["shop.Till/Open"]);
        assert!(names.symbols.contains_key("shop.Receipt"));
        assert!(!names.symbols.contains_key("shop.Receipt.LinesEntry"));
        assert!(!names.symbols.contains_key("api.Api"));

        // A file that does not compile leaves the built-in names, and no reflection is tried.
        let broken = dir.path().join("broken.proto");
        std::fs::write(&broken, "syntax = \"proto3\";\nmessage {\n").unwrap();
        let line = CommandLine {
            protos: vec![broken],
            ..CommandLine::default()
        };
        let names = Names::gather(&line);
        assert!(names.methods.contains_key("api.Api/sayHello"));
    }
}

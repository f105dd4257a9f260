//! The shell completions committed in `completions/` are what the binary prints now.
//! Regenerate them with `UPDATE_COMPLETIONS=1 cargo test --test completions`.
//!
//! And the dynamic completion (`COMPLETE=bash apicli`): the binary asked as the shell asks it,
//! for method and symbol names from built-in files, `--proto` files and server reflection.

mod common;

use std::{
    collections::BTreeSet,
    fs,
    io::{Read as _, Write as _},
    net::{TcpListener, TcpStream},
    path::Path,
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use common::{Server, assert_exit, output_of, serve_in_background, stderr, stdout};
use prost::Message as _;

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

/// The long options `apicli ARGS --help` lists.
fn options_in_help(args: &[&str]) -> BTreeSet<String> {
    let output = output_of(common::apicli().args(args).arg("--help"));
    assert_exit(&output, 0);
    stdout(&output)
        .lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = match line.split_once(", ") {
                Some((short, rest)) if short.len() == 2 && short.starts_with('-') => rest,
                _ => line,
            };
            let name = line.strip_prefix("--")?.split([' ', '=']).next()?;
            Some(format!("--{name}"))
        })
        .collect()
}

#[test]
fn scripts_offer_each_command_the_options_its_help_shows() {
    let output = output_of(common::apicli().args(["completions", "bash"]));
    assert_exit(&output, 0);
    let script = stdout(&output);
    let commands = [
        (vec!["hello"], "apicli__subcmd__hello"),
        (vec!["get-all"], "apicli__subcmd__get__subcmd__all"),
        (vec!["call"], "apicli__subcmd__call"),
        (vec!["bench"], "apicli__subcmd__bench"),
        (vec!["serve"], "apicli__subcmd__serve"),
        (vec!["completions"], "apicli__subcmd__completions"),
        (
            vec!["profiles", "show"],
            "apicli__subcmd__profiles__subcmd__show",
        ),
    ];
    for (args, function) in commands {
        // bash's case for the command, then its `opts="…"` line.
        let case = format!("\n        {function})\n");
        let at = script
            .find(&case)
            .unwrap_or_else(|| panic!("no {function}"));
        let opts = script[at + case.len()..]
            .lines()
            .next()
            .and_then(|line| line.trim().strip_prefix("opts=\""))
            .unwrap_or_else(|| panic!("no opts for {function}"));
        let offered: BTreeSet<String> = opts
            .trim_end_matches('"')
            .split_whitespace()
            .filter(|word| word.starts_with("--"))
            .map(str::to_owned)
            .collect();
        assert_eq!(offered, options_in_help(&args), "apicli {args:?}");
    }
}

/// The completions of the last word of `line` (see [`common::completions`]), with the time
/// taken.
fn complete(line: &[&str]) -> (Vec<String>, Duration) {
    let started = Instant::now();
    let candidates = common::completions(line, &[]);
    (candidates, started.elapsed())
}

/// A port on 127.0.0.1 that nothing listens on.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

#[test]
fn complete_env_prints_a_registration_script() {
    let output = output_of(common::apicli().env("COMPLETE", "bash"));
    assert_exit(&output, 0);
    let script = stdout(&output);
    assert!(script.contains("_clap_complete_apicli()"), "{script}");
    assert!(
        script.contains("-F _clap_complete_apicli apicli"),
        "{script}"
    );
    assert_eq!(stderr(&output), "");

    // An unknown shell gets nothing: no error in the middle of a command line.
    let output = output_of(common::apicli().env("COMPLETE", "tcsh"));
    assert_ne!(output.status.code(), Some(0));
    assert_eq!(
        (stdout(&output), stderr(&output)),
        (String::new(), String::new())
    );
}

#[test]
fn methods_complete_from_built_in_files() {
    let addr = closed_port();
    let (candidates, _) = complete(&["apicli", "--addr", &addr, "call", "api.Api/sa"]);
    assert_eq!(candidates, ["api.Api/sayHello"]);
    let (candidates, _) = complete(&[
        "apicli",
        "call",
        "--addr",
        &addr,
        "/routeguide.RouteGuide/R",
    ]);
    assert_eq!(
        candidates,
        [
            "/routeguide.RouteGuide/RecordRoute",
            "/routeguide.RouteGuide/RouteChat"
        ]
    );
    let (candidates, _) = complete(&["apicli", "bench", "--addr", &addr, "api.Api/sa"]);
    assert_eq!(candidates, ["api.Api/sayHello"]);
    let (candidates, _) = complete(&["apicli", "describe", "--addr", &addr, "routeguide.Po"]);
    assert_eq!(candidates, ["routeguide.Point"]);
    let (candidates, _) = complete(&["apicli", "describe", "--addr", &addr, "api.Api."]);
    assert_eq!(
        candidates,
        ["api.Api.getAll", "api.Api.getStream", "api.Api.sayHello"]
    );
}

#[test]
fn methods_complete_from_proto_files_on_the_line() {
    let root = env!("CARGO_MANIFEST_DIR");
    let proto = format!("{root}/proto/route_guide.proto");
    let line = [
        "apicli",
        "call",
        "--proto",
        &proto,
        "routeguide.RouteGuide/Rec",
    ];
    assert_eq!(complete(&line).0, ["routeguide.RouteGuide/RecordRoute"]);
    // Only the files' names: the built-in services are not offered with --proto.
    assert!(
        complete(&["apicli", "call", "--proto", &proto, "api."])
            .0
            .is_empty()
    );

    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("deps")).unwrap();
    fs::write(
        dir.path().join("deps/money.proto"),
        "syntax = \"proto3\";\npackage money;\nmessage Amount { int64 cents = 1; }\n",
    )
    .unwrap();
    fs::write(dir.path().join("shop.proto"), SHOP_PROTO).unwrap();
    let shop = dir.path().join("shop.proto").display().to_string();
    let deps = dir.path().display().to_string();
    let line = [
        "apicli",
        "describe",
        &format!("--proto={shop}"),
        "-I",
        &deps,
        "money.",
    ];
    assert_eq!(complete(&line).0, ["money.Amount"]);
}

const SHOP_PROTO: &str = "syntax = \"proto3\";
package shop;
import \"deps/money.proto\";
service Till { rpc Open(Sale) returns (Sale); rpc Tally(stream Sale) returns (Sale); }
message Sale { money.Amount total = 1; }
";

#[test]
fn methods_complete_from_server_reflection() {
    // apicli serve: the same services as the built-in ones, reached by reflection.
    let server = Server::start(&[]);
    let (candidates, _) = complete(&[
        "apicli",
        "call",
        "--addr",
        &server.url(),
        "grpc.reflection.",
    ]);
    assert_eq!(
        candidates,
        ["grpc.reflection.v1.ServerReflection/ServerReflectionInfo"]
    );

    // A server whose only service apicli has never heard of, found through APICLI_ADDR too.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("deps")).unwrap();
    fs::write(
        dir.path().join("deps/money.proto"),
        "syntax = \"proto3\";\npackage money;\nmessage Amount { int64 cents = 1; }\n",
    )
    .unwrap();
    fs::write(dir.path().join("shop.proto"), SHOP_PROTO).unwrap();
    let set = protox::compile(["shop.proto"], [dir.path()]).unwrap();
    let encoded = set.encode_to_vec();
    let addr = serve_in_background(move || async move {
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(&encoded)
            .build_v1()
            .unwrap();
        tonic::transport::Server::builder().add_service(reflection)
    });
    let (candidates, elapsed) = complete(&["apicli", "call", "--addr", &addr, "shop."]);
    assert_eq!(candidates, ["shop.Till/Open", "shop.Till/Tally"]);
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");

    let output = output_of(
        common::apicli()
            .env("APICLI_ADDR", &addr)
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", "2")
            .env("_CLAP_IFS", "\n")
            .args(["--", "apicli", "describe", "m"]),
    );
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "money.Amount");
    // The built-in names stay on offer beside the server's.
    let (candidates, _) = complete(&["apicli", "--addr", &addr, "call", "api.Api/sa"]);
    assert_eq!(candidates, ["api.Api/sayHello"]);
}

#[test]
fn an_unreachable_server_leaves_the_built_in_names_quickly() {
    let closed = closed_port();
    let (candidates, elapsed) = complete(&["apicli", "call", "--addr", &closed, "api.Api/"]);
    assert_eq!(
        candidates,
        ["api.Api/getAll", "api.Api/getStream", "api.Api/sayHello"]
    );
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");

    // A server that accepts the connection and never answers: the time limit decides.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_addr = format!("--addr={}", silent.local_addr().unwrap());
    let (candidates, elapsed) = complete(&["apicli", &silent_addr, "call", "api.Api/g"]);
    assert_eq!(candidates, ["api.Api/getAll", "api.Api/getStream"]);
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");

    // Neither does a --proto file that does not compile print anything.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.proto");
    fs::write(&broken, "syntax = \"proto3\";\nmessage {\n").unwrap();
    let broken = broken.display().to_string();
    let (candidates, _) = complete(&["apicli", "call", "--proto", &broken, "api.Api/sa"]);
    assert_eq!(candidates, ["api.Api/sayHello"]);
}

/// A CONNECT proxy on 127.0.0.1 that tunnels every connection to `upstream`, whatever the
/// CONNECT line names, and keeps the targets it was asked for.
fn tunnel_proxy(upstream: String) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&asked);
    thread::spawn(move || {
        for client in listener.incoming().take(16) {
            let Ok(mut client) = client else { return };
            let mut head = Vec::new();
            let mut byte = [0; 1];
            while !head.ends_with(b"\r\n\r\n") && client.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let target = head
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            record.lock().unwrap().push(target);
            let Ok(mut server) = TcpStream::connect(&upstream) else {
                return;
            };
            let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
            let (mut client_in, mut server_out) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            thread::spawn(move || {
                let _ = std::io::copy(&mut client_in, &mut server_out);
                let _ = server_out.shutdown(std::net::Shutdown::Write);
            });
            thread::spawn(move || {
                let _ = std::io::copy(&mut server, &mut client);
                let _ = client.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    (url, asked)
}

#[test]
fn reflection_goes_through_the_proxy_a_call_would_use() {
    let set = protox::compile(
        ["route_guide.proto"],
        [concat!(env!("CARGO_MANIFEST_DIR"), "/proto")],
    )
    .unwrap();
    let encoded = set.encode_to_vec();
    let server = serve_in_background(move || async move {
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(&encoded)
            .build_v1()
            .unwrap();
        tonic::transport::Server::builder().add_service(reflection)
    });
    let (proxy, asked) = tunnel_proxy(server);
    // Nothing listens at the address: only the proxy's tunnel reaches a server.
    let closed = closed_port();
    let reflected = ["grpc.reflection.v1.ServerReflection/ServerReflectionInfo"];

    let line = [
        "apicli",
        "call",
        "--proxy",
        &proxy,
        "--addr",
        &closed,
        "grpc.reflection.",
    ];
    assert_eq!(common::completions(&line, &[]), reflected);
    assert_eq!(*asked.lock().unwrap(), [closed.as_str()]);

    // HTTP_PROXY serves an address that is not loopback as written (127.1 is 127.0.0.1).
    let short = format!("127.1:{}", closed.rsplit_once(':').unwrap().1);
    let line = ["apicli", "call", "--addr", &short, "grpc.reflection."];
    assert_eq!(
        common::completions(&line, &[("HTTP_PROXY", &proxy)]),
        reflected
    );
    assert_eq!(asked.lock().unwrap().len(), 2);

    // NO_PROXY and --no-proxy keep the lookup direct: to the closed port, so nothing is found.
    let exempt = [("HTTP_PROXY", proxy.as_str()), ("NO_PROXY", "127.1")];
    assert!(common::completions(&line, &exempt).is_empty());
    let line = [
        "apicli",
        "--no-proxy",
        "call",
        "--addr",
        &short,
        "grpc.reflection.",
    ];
    assert!(common::completions(&line, &[("HTTP_PROXY", &proxy)]).is_empty());
    assert_eq!(asked.lock().unwrap().len(), 2);
}

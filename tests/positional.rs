//! The address as the first argument of `call`, `bench`, `list` and `describe`, as grpcurl and
//! buf curl take it (`call HOST:PORT METHOD`, `call http://HOST:PORT/SERVICE/METHOD`): the real
//! binary against `apicli serve` on 127.0.0.1. Each form prints what `--addr` prints; an address
//! given twice, or one that does not parse, is exit 2 with one line.

mod common;

use std::process::Output;

use common::{
    Server, apicli, assert_exit, assert_one_error_line, json_lines, output_of, run,
    serve_in_background, stdout,
};
use prost::Message as _;
use serde_json::Value;

/// A port nothing listens on: a call there fails, so a test that reaches the server shows
/// that this address was not used.
const NOWHERE: &str = "127.0.0.1:1";

/// `apicli ARGS…`, asserting success.
fn ok(args: &[&str]) -> String {
    let output = run(args);
    assert_exit(&output, 0);
    stdout(&output)
}

/// `apicli ARGS…` with `APICLI_ADDR` set.
fn with_env_addr(addr: &str, args: &[&str]) -> Output {
    output_of(apicli().env("APICLI_ADDR", addr).args(args))
}

#[test]
fn call_takes_the_address_first_or_one_url_and_prints_the_same_bytes() {
    let server = Server::start(&[]);
    let addr = server.addr.as_str();
    let url = format!("{}/api.Api/sayHello", server.url());
    let data = r#"{"name":"Ada"}"#;
    for format in ["table", "json"] {
        let expected = ok(&[
            "call",
            "--addr",
            addr,
            "api.Api/sayHello",
            "-d",
            data,
            "-o",
            format,
        ]);
        assert!(expected.contains("Hello Ada"), "{expected}");
        for line in [
            &["call", addr, "api.Api/sayHello", "-d", data, "-o", format][..],
            &["call", &url, "-d", data, "-o", format],
            &["-o", format, "call", "-d", data, addr, "api.Api.sayHello"],
            &[
                "call",
                &server.url(),
                "/api.Api/sayHello",
                "-d",
                data,
                "-o",
                format,
            ],
        ] {
            assert_eq!(ok(line), expected, "{line:?}");
        }
    }
    // A stream, through the URL form.
    let url = format!("{}/api.Api/getStream", server.url());
    let streamed = ok(&["call", &url, "-d", r#"{"length":3}"#, "-o", "json"]);
    assert_eq!(json_lines(&streamed).len(), 3, "{streamed}");
}

#[test]
fn list_and_describe_take_the_address_first() {
    let server = Server::start(&[]);
    let addr = server.addr.as_str();
    let services = ok(&["list", "--addr", addr]);
    assert!(services.contains("routeguide.RouteGuide"), "{services}");
    assert_eq!(ok(&["list", addr]), services);
    assert_eq!(ok(&["list", &server.url()]), services);
    let methods = ok(&["list", "--addr", addr, "api.Api"]);
    assert!(methods.contains("sayHello"), "{methods}");
    assert_eq!(ok(&["list", addr, "api.Api"]), methods);
    // A name alone is still the service, the address coming from --addr.
    assert_eq!(ok(&["list", "api.Api", "--addr", addr]), methods);

    let described = ok(&["describe", "--addr", addr, "routeguide.Point"]);
    assert!(described.contains("\nmessage Point {"), "{described}");
    assert_eq!(ok(&["describe", addr, "routeguide.Point"]), described);
    assert_eq!(
        ok(&["describe", "routeguide.Point", "--addr", addr]),
        described
    );
    let template = ok(&["describe", "--template", addr, "api.Api.sayHello"]);
    assert_eq!(
        template,
        ok(&["describe", "--template", "--addr", addr, "api.Api.sayHello"])
    );

    // describe with an address and no symbol describes every service, as grpcurl does, one
    // after another with a blank line between two.
    let every = ok(&["describe", addr]);
    assert_eq!(every, ok(&["describe", "--addr", addr]));
    let services = [
        "api.Api",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "routeguide.RouteGuide",
    ];
    let one_by_one: Vec<String> = services
        .iter()
        .map(|service| ok(&["describe", addr, service]))
        .collect();
    assert_eq!(every, one_by_one.join("\n"));
    let as_json = json_lines(&ok(&["describe", addr, "-o", "json"]));
    assert_eq!(as_json.len(), services.len(), "{as_json:?}");
    // A template needs a message or a method.
    let output = run(&["describe", addr, "--template"]);
    assert_exit(&output, 2);
    assert_one_error_line(
        &output,
        "describe --template needs a SYMBOL: a message or a method (e.g. routeguide.Point)",
    );
}

/// The one report line of `bench -o json`.
fn report(args: &[&str]) -> Value {
    let printed = ok(args);
    let mut reports = json_lines(&printed);
    assert_eq!(reports.len(), 1, "{printed}");
    reports.remove(0)
}

#[test]
fn bench_takes_the_address_first_or_one_url_and_merge_still_works() {
    let server = Server::start(&[]);
    let addr = server.addr.as_str();
    let url = format!("{}/api.Api/sayHello", server.url());
    let small = ["-n", "6", "-c", "2", "-o", "json"];
    for (line, shown) in [
        (vec!["bench", addr, "api.Api/sayHello"], addr.to_owned()),
        (vec!["bench", &url], server.url()),
    ] {
        let report = report(&[&line[..], &small[..]].concat());
        assert_eq!(report["method"], "api.Api/sayHello", "{line:?}");
        assert_eq!(report["count"], 6, "{line:?}");
        assert_eq!(report["statuses"]["OK"], 6, "{line:?}");
        assert_eq!(report["endpoints"][0]["addr"], shown.as_str(), "{line:?}");
        assert_eq!(report["endpoints"].as_array().unwrap().len(), 1);
    }
    // `bench merge` is a command of its own, never a METHOD or an address.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("part.json");
    let part = ok(&[&["bench", addr, "api.Api/sayHello"][..], &small[..]].concat());
    std::fs::write(&file, part).unwrap();
    let merged = report(&["bench", "merge", file.to_str().unwrap(), "-o", "json"]);
    assert_eq!(merged["count"], 6, "{merged}");
}

#[test]
fn an_address_given_twice_is_refused() {
    let server = Server::start(&[]);
    let addr = server.addr.as_str();
    let url = format!("{}/api.Api/sayHello", server.url());
    for line in [
        &["call", addr, "api.Api/sayHello", "--addr", addr][..],
        &["--addr", addr, "call", addr, "api.Api/sayHello"],
        &["call", "--addr", addr, &url],
        &["call", addr, &url],
        &["list", addr, "--addr", addr],
        &["list", addr, "api.Api", "--addr", addr],
        &["describe", addr, "api.Api", "--addr", addr],
        &[
            "bench",
            addr,
            "api.Api/sayHello",
            "--addr",
            addr,
            "--addr",
            addr,
        ],
        &["bench", &url, "--addr", addr],
    ] {
        let output = run(line);
        assert_exit(&output, 2);
        assert_one_error_line(&output, "the address is given twice");
    }
    // --addr on the command line is given, whatever APICLI_ADDR says.
    let output = with_env_addr(addr, &["call", addr, "api.Api/sayHello", "--addr", addr]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "the address is given twice");
}

#[test]
fn the_address_first_beats_apicli_addr_and_a_profile() {
    let server = Server::start(&[]);
    let addr = server.addr.as_str();
    // APICLI_ADDR is used when no address is given...
    let output = with_env_addr(addr, &["call", "api.Api/sayHello"]);
    assert_exit(&output, 0);
    let expected = stdout(&output);
    let output = with_env_addr(NOWHERE, &["list"]);
    assert_exit(&output, 1);
    // ...and an address given first takes its place, as --addr would.
    let url = format!("{}/api.Api/sayHello", server.url());
    for line in [
        &["call", addr, "api.Api/sayHello"][..],
        &["call", &url],
        &["bench", addr, "api.Api/sayHello", "-n", "2", "-o", "json"],
    ] {
        let output = with_env_addr(NOWHERE, line);
        assert_exit(&output, 0);
        if line[0] == "call" {
            assert_eq!(stdout(&output), expected, "{line:?}");
        }
    }
    let output = with_env_addr(NOWHERE, &["list", addr, "api.Api"]);
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("sayHello"));

    // So does a profile's address.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("default = \"elsewhere\"\n[profiles.elsewhere]\naddr = \"{NOWHERE}\"\n"),
    )
    .unwrap();
    let profiled = |args: &[&str]| output_of(apicli().env("APICLI_CONFIG", &config).args(args));
    assert_exit(&profiled(&["call", "api.Api/sayHello"]), 1);
    let output = profiled(&["call", addr, "api.Api/sayHello"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), expected);
}

#[test]
fn an_address_that_does_not_parse_is_one_line_naming_it() {
    for (line, needle) in [
        (
            &["call", "localhost:99999", "api.Api/sayHello"][..],
            "bad address 'localhost:99999': expected host:port with a port from 1 to 65535",
        ),
        (
            &["call", "http://127.0.0.1:0/api.Api/sayHello"],
            "bad address 'http://127.0.0.1:0': port 0 cannot be connected to",
        ),
        (
            &["list", "unix:"],
            "bad address 'unix:': the socket path is missing",
        ),
        (
            &["describe", "ftp://h:1", "api.Api"],
            "bad address 'ftp://h:1': the scheme must be",
        ),
        (&["bench", "h:x", "api.Api/sayHello"], "bad address 'h:x'"),
        (&["call", "http://127.0.0.1:9/api"], "not a method name"),
        (
            &["call", "http://127.0.0.1:9/api.Api/sayHello?x=1"],
            "without a query",
        ),
    ] {
        let output = run(line);
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
    }
}

#[test]
fn names_and_addresses_are_told_apart_by_colon_and_double_slash() {
    for (line, needle) in [
        // An address alone is not a method.
        (
            &["call", "127.0.0.1:50051"][..],
            "'127.0.0.1:50051' is an address, not a method; give the method after it: \
             apicli call 127.0.0.1:50051 SERVICE/METHOD",
        ),
        (&["bench", "unix:/tmp/s"], "is an address, not a method"),
        // Of two words, the first is the address.
        (
            &["call", "api.Api/sayHello", "127.0.0.1:50051"],
            "'api.Api/sayHello' is not an address",
        ),
        (
            &["call", "api.Api", "sayHello"],
            "the address comes first: apicli call ADDR SERVICE/METHOD",
        ),
        (
            &["list", "api.Api", "127.0.0.1:50051"],
            "'api.Api' is not an address",
        ),
        (
            &["describe", "routeguide.Point", "routeguide.Feature"],
            "apicli describe ADDR SYMBOL",
        ),
        (
            &["list", "127.0.0.1:50051", "127.0.0.1:50052"],
            "'127.0.0.1:50052' is an address, not a SERVICE",
        ),
    ] {
        let output = run(line);
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
    }
    // A name alone never reaches for an address: these fail only at the closed port, as
    // they did before.
    for line in [
        &["call", "api.Api/sayHello", "--addr", NOWHERE][..],
        &["list", "api.Api", "--addr", NOWHERE],
        &["describe", "api.Api", "--addr", NOWHERE],
    ] {
        let output = run(line);
        assert_exit(&output, 1);
        assert_one_error_line(&output, NOWHERE);
    }
}

#[test]
fn help_shows_both_forms() {
    for (command, usage) in [
        ("call", "Usage: apicli call [OPTIONS] [ADDR] <METHOD>"),
        ("bench", "Usage: apicli bench [OPTIONS] [ADDR] <METHOD>"),
        ("list", "Usage: apicli list [OPTIONS] [ADDR] [SERVICE]"),
        (
            "describe",
            "Usage: apicli describe [OPTIONS] [ADDR] [SYMBOL]",
        ),
    ] {
        let help = ok(&[command, "--help"]);
        assert!(help.contains(usage), "{help}");
        assert!(
            help.contains("host:port, http(s)://host:port or unix:/path"),
            "{help}"
        );
        if matches!(command, "call" | "bench") {
            assert!(
                help.contains("http(s)://host:port/SERVICE/METHOD"),
                "{help}"
            );
        }
    }
}

fn complete(line: &[&str]) -> Vec<String> {
    common::completions(line, &[])
}

#[test]
fn names_complete_from_the_server_given_first() {
    // A server whose only service apicli has never heard of: its names come from reflection
    // at the address on the line, and from nowhere else.
    let set = protox::compile(["shop.proto"], [shop_dir().path()]).unwrap();
    let encoded = set.encode_to_vec();
    let addr = serve_in_background(move || async move {
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(&encoded)
            .build_v1()
            .unwrap();
        tonic::transport::Server::builder().add_service(reflection)
    });
    // A word alone is the method or the symbol, in the address's place.
    assert!(complete(&["apicli", "call", "shop."]).is_empty());
    assert_eq!(
        complete(&["apicli", "call", "api.Api/sa"]),
        ["api.Api/sayHello"]
    );
    assert_eq!(
        complete(&["apicli", "describe", "routeguide.Po"]),
        ["routeguide.Point"]
    );
    assert_eq!(
        complete(&["apicli", "call", &addr, "shop."]),
        ["shop.Till/Open", "shop.Till/Tally"]
    );
    assert_eq!(
        complete(&["apicli", "bench", "-n", "5", &addr, "shop.Till/T"]),
        ["shop.Till/Tally"]
    );
    assert_eq!(
        complete(&["apicli", "describe", &addr, "shop.S"]),
        ["shop.Sale"]
    );
    let url = format!("http://{addr}/");
    assert_eq!(
        complete(&["apicli", "call", &format!("{url}shop.Till/O")]),
        [format!("{url}shop.Till/Open")]
    );
}

/// A folder holding `shop.proto`, a service apicli does not know.
fn shop_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("shop.proto"),
        "syntax = \"proto3\";\npackage shop;\n\
         service Till { rpc Open(Sale) returns (Sale); rpc Tally(stream Sale) returns (Sale); }\n\
         message Sale { int64 cents = 1; }\n",
    )
    .unwrap();
    dir
}

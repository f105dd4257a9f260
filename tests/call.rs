//! `apicli list`, `describe` and `call`: the real binary against `apicli serve` and in-process
//! tonic servers on 127.0.0.1, with every descriptor source and every RPC kind.

mod common;

use std::{
    path::{Path, PathBuf},
    process::Output,
};

use common::{
    Server, apicli, assert_exit, assert_one_error_line, json_lines, route_guide::check_every_kind,
    run, run_with_input, run_with_input_in_parts, stderr, stdout,
};
use serde_json::{Value, json};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `apicli ARGS…` with `input` on its stdin, which is then closed.
fn run_with_stdin(args: &[&str], input: &str) -> Output {
    run_with_input(apicli().args(args), input)
}

/// The built-in descriptor set (proto/*.proto), written where `--protoset` can read it.
fn protoset(dir: &Path) -> String {
    let path = dir.join("builtin.binpb");
    std::fs::write(&path, apicli::api::FILE_DESCRIPTOR_SET).unwrap();
    path.display().to_string()
}

fn route_guide_proto() -> String {
    repo().join("proto/route_guide.proto").display().to_string()
}

// --- the typed commands and their general forms print the same bytes --------------------------

#[test]
fn call_prints_what_the_typed_commands_print() {
    let server = Server::start(&[]);
    let addr = server.url();
    let pairs: &[(&[&str], &[&str])] = &[
        (
            &["hello", "Gonzalo"],
            &["call", "api.Api/sayHello", "-d", r#"{"name":"Gonzalo"}"#],
        ),
        (
            &["get-all", "--length", "10"],
            &["call", "api.Api/getAll", "-d", r#"{"length":10}"#],
        ),
        (
            &["get-all", "--length", "0"],
            &["call", "api.Api.getAll", "-d", r#"{"length":0}"#],
        ),
        (
            &["get-all", "--length", "120"],
            &["call", "/api.Api/getAll", "-d", r#"{"length":120}"#],
        ),
        (
            &["stream", "--length", "5"],
            &["call", "api.Api/getStream", "-d", r#"{"length":5}"#],
        ),
        (
            &["stream", "--length", "42"],
            &["call", "api.Api/getStream", "-d", r#"{"length":"42"}"#],
        ),
    ];
    for (typed, general) in pairs {
        for output in ["json", "table"] {
            let common = ["--addr", addr.as_str(), "-o", output];
            let expected = run(&[*typed, &common[..]].concat());
            let got = run(&[*general, &common[..]].concat());
            assert_exit(&expected, 0);
            assert_exit(&got, 0);
            assert_eq!(
                stdout(&got),
                stdout(&expected),
                "{general:?} -o {output} differs from {typed:?}"
            );
            assert_eq!(stderr(&got), "");
        }
    }
}

// --- list and describe -------------------------------------------------------------------------

#[test]
fn list_shows_services_and_methods() {
    let server = Server::start(&[]);
    let services = run(&["list", "--addr", &server.url()]);
    assert_exit(&services, 0);
    let text = stdout(&services);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "service");
    let mut sorted = lines[1..].to_vec();
    sorted.sort();
    assert_eq!(lines[1..], sorted[..], "sorted");
    assert!(lines.contains(&"api.Api"), "{text}");
    assert!(lines.contains(&"routeguide.RouteGuide"), "{text}");

    let methods = run(&["list", "api.Api", "--addr", &server.url()]);
    assert_exit(&methods, 0);
    assert_eq!(
        stdout(&methods),
        "method     kind              request           response\n\
         sayHello   unary             api.HelloRequest  api.Hello\n\
         getAll     unary             api.ApiRequest    api.Items\n\
         getStream  server-streaming  api.ApiRequest    api.Item\n"
    );

    let json = run(&[
        "list",
        "routeguide.RouteGuide",
        "--addr",
        &server.url(),
        "-o",
        "json",
    ]);
    assert_exit(&json, 0);
    let kinds: Vec<Value> = json_lines(&stdout(&json))
        .into_iter()
        .map(|row| json!([row["method"], row["kind"]]))
        .collect();
    assert_eq!(
        kinds,
        [
            json!(["GetFeature", "unary"]),
            json!(["ListFeatures", "server-streaming"]),
            json!(["RecordRoute", "client-streaming"]),
            json!(["RouteChat", "bidi"]),
        ]
    );
    let first = &json_lines(&stdout(&json))[0];
    assert_eq!(first["service"], "routeguide.RouteGuide");
    assert_eq!(first["request"], "routeguide.Point");
    assert_eq!(first["response"], "routeguide.Feature");
}

#[test]
fn describe_prints_proto_syntax_json_and_templates() {
    let server = Server::start(&[]);
    let addr = server.url();
    let service = run(&["describe", "routeguide.RouteGuide", "--addr", &addr]);
    assert_exit(&service, 0);
    let text = stdout(&service);
    assert!(text.contains("service RouteGuide {"), "{text}");
    assert!(
        text.contains("// Interface exported by the server."),
        "{text}"
    );
    assert!(
        text.contains(
            "rpc RouteChat(stream routeguide.RouteNote) returns (stream routeguide.RouteNote);"
        ),
        "{text}"
    );

    let json = run(&[
        "describe",
        "routeguide.Point",
        "--addr",
        &addr,
        "-o",
        "json",
    ]);
    assert_exit(&json, 0);
    let descriptor = &json_lines(&stdout(&json))[0];
    assert_eq!(descriptor["name"], "Point");

    let template = run(&[
        "describe",
        "--template",
        "routeguide.RouteGuide/RouteChat",
        "--addr",
        &addr,
    ]);
    assert_exit(&template, 0);
    let skeleton: Value = serde_json::from_str(&stdout(&template)).unwrap();
    assert_eq!(
        skeleton,
        json!({"location": {"latitude": 0, "longitude": 0}, "message": ""})
    );
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), stdout(&template)).unwrap();
    let data = format!("@{}", file.path().display());
    let back = run(&[
        "call",
        "routeguide.RouteGuide/GetFeature",
        "--addr",
        &addr,
        "-d",
        "{}",
    ]);
    assert_exit(&back, 0);
    let sent = run(&[
        "call",
        "routeguide.RouteGuide/RouteChat",
        "--addr",
        &addr,
        "-d",
        &data,
    ]);
    assert_exit(&sent, 0);
}

// --- every descriptor source × every RPC kind --------------------------------------------------

/// The descriptor-source flags of one cell of the matrix, and what to call.
struct Source {
    name: &'static str,
    args: Vec<String>,
}

fn sources(dir: &Path) -> Vec<Source> {
    vec![
        Source {
            name: "reflection",
            args: vec![],
        },
        Source {
            name: "--proto",
            args: vec!["--proto".into(), route_guide_proto()],
        },
        Source {
            name: "--proto with -I",
            args: vec![
                "--proto".into(),
                "route_guide.proto".into(),
                "-I".into(),
                repo().join("proto").display().to_string(),
            ],
        },
        Source {
            name: "--protoset",
            args: vec!["--protoset".into(), protoset(dir)],
        },
    ]
}

#[test]
fn every_descriptor_source_reaches_every_rpc_kind_on_apicli_serve() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    for source in sources(dir.path()) {
        check_every_kind(&server.url(), &source.args, source.name);
    }
}

#[test]
fn a_server_without_reflection_needs_proto_files_except_for_built_in_services() {
    let server = Server::start(&["--no-reflection"]);
    let addr = server.url();
    let built_in = run(&[
        "call",
        "api.Api/sayHello",
        "-d",
        r#"{"name":"x"}"#,
        "--addr",
        &addr,
    ]);
    assert_exit(&built_in, 0);
    assert_eq!(stdout(&built_in), "message\nHello x!\n");

    for args in [
        &["list"][..],
        &["call", "other.Service/Method"][..],
        &["describe", "other.Message"][..],
    ] {
        let output = run(&[args, &["--addr", &addr]].concat());
        assert_exit(&output, 2);
        assert_one_error_line(&output, "does not offer reflection");
        assert_one_error_line(&output, "--proto");
        assert_one_error_line(&output, "--protoset");
    }
}

// --- bad input ---------------------------------------------------------------------------------

#[test]
fn bad_descriptor_files_exit_2_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &[u8]| -> String {
        let path: PathBuf = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let missing_import = write(
        "missing.proto",
        b"syntax = \"proto3\";\nimport \"not/there.proto\";\nmessage M {}\n",
    );
    let broken = write(
        "broken.proto",
        b"syntax = \"proto3\";\nmessage M {\n  int32 x = ;\n}\n",
    );
    let empty = write("empty.binpb", b"");
    let junk = write("junk.binpb", b"{\"this is\": \"json\"}");
    let cases: &[(&[&str], &str)] = &[
        (&["list", "--proto", &missing_import], "missing.proto:2:1: "),
        (&["list", "--proto", &missing_import], "not/there.proto"),
        (&["list", "--proto", &broken], "broken.proto:3:13: "),
        (&["list", "--protoset", &empty], "the file is empty"),
        (&["list", "--protoset", &junk], "not a FileDescriptorSet"),
        (&["list", "--proto", "/no/such/file.proto"], "no such file"),
        (&["list", "-I", "/tmp"], "give --proto too"),
    ];
    for (args, needle) in cases {
        let output = run(args);
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
    }
}

#[test]
fn bad_requests_exit_2_before_or_during_the_call() {
    let server = Server::start(&[]);
    let addr = server.url();
    let cases: &[(&[&str], &str)] = &[
        (
            &["call", "api.Api/sayHello", "-d", "{\"name\": "],
            "request message 1 (line 1, column 9): field name: the input ended inside the message",
        ),
        (
            &["call", "api.Api/sayHello", "-d", "{\"name\": x}"],
            "request message 1 (line 1, column 10)",
        ),
        (
            &["call", "api.Api/sayHello", "-d", "[{\"name\": \"x\"}]"],
            "a JSON array",
        ),
        (
            &["call", "api.Api/sayHello", "-d", "{\"nmae\": \"x\"}"],
            "nmae",
        ),
        (
            &["call", "api.Api/getAll", "-d", "{\"length\": \"ten\"}"],
            "field length",
        ),
        (
            &["call", "api.Api/sayHello", "-d", "{}\n{}"],
            "api.Api/sayHello takes one request message, and the input has more (message 2 at \
             line 2, column 1)",
        ),
        (
            &["call", "api.Api/sayHelo"],
            "api.Api has no method 'sayHelo'; did you mean sayHello?",
        ),
        (
            &["call", "api.Apj/sayHello"],
            "unknown service 'api.Apj'; did you mean api.Api?",
        ),
        (&["call", "sayHello"], "SERVICE/METHOD"),
        (
            &["call", "api.Api/sayHello", "-d", "@/no/such/request.json"],
            "-d @/no/such/request.json",
        ),
    ];
    for (args, needle) in cases {
        let output = run(&[args, &["--addr", addr.as_str()][..]].concat());
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
        assert_eq!(stdout(&output), "", "{args:?}");
    }

    // The first message goes out before the input breaks, so the call is under way.
    let cut = run_with_input_in_parts(
        apicli().args([
            "call",
            "routeguide.RouteGuide/RecordRoute",
            "-d",
            "@-",
            "--addr",
            &addr,
        ]),
        &["{\"latitude\": 1}\n", "{\"latitude\": 2, \"longi"],
        std::time::Duration::from_millis(300),
    );
    assert_exit(&cut, 2);
    assert_one_error_line(
        &cut,
        "request message 2 (line 2, column 22): the input ended inside the message",
    );
    // A half-sent input is cancelled, never taken as complete.
    let cancelled = |log: &str| {
        log.lines()
            .any(|l| l.contains("RecordRoute") && l.contains("status=CANCELLED"))
    };
    let start = std::time::Instant::now();
    while !cancelled(&server.log()) && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(cancelled(&server.log()), "{}", server.log());
}

#[test]
fn verbose_counts_the_messages_of_a_stream() {
    let server = Server::start(&[]);
    let output = run_with_stdin(
        &[
            "call",
            "routeguide.RouteGuide/RouteChat",
            "-d",
            "@-",
            "-v",
            "--addr",
            &server.url(),
        ],
        "{\"message\": \"a\"}\n{\"message\": \"b\"}\n",
    );
    assert_exit(&output, 0);
    let err = stderr(&output);
    assert!(err.contains("apicli: 2 messages sent, 1 received"), "{err}");
    assert!(err.contains("status OK after"), "{err}");
}

#[test]
fn built_in_services_are_called_even_when_reflection_wants_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "s3cret\n").unwrap();
    let token = token.display().to_string();
    let server = Server::start(&["--token-file", &token]);
    // The call itself, not reflection, tells what is wrong.
    let output = run(&["call", "api.Api/sayHello", "--addr", &server.url()]);
    assert_exit(&output, 64 + 16);
    assert_eq!(
        stderr(&output),
        "apicli: error: UNAUTHENTICATED: this server requires 'authorization: Bearer <token>'\n"
    );
    let output = run(&[
        "call",
        "api.Api/sayHello",
        "-d",
        r#"{"name":"x"}"#,
        "--addr",
        &server.url(),
        "--token-file",
        &token,
        "-o",
        "json",
    ]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "{\"message\":\"Hello x!\"}\n");
}

/// `--allow-unknown-fields` skips the `-d` fields the request lacks, in calls and in bench;
/// without it they are exit 2, naming the field.
#[test]
fn unknown_fields_are_refused_unless_allowed() {
    let server = Server::start(&[]);
    let data = r#"{"name":"Gonzalo","nickname":"G"}"#;
    let refused = run(&[
        "call",
        &server.addr,
        "api.Api/sayHello",
        "-d",
        data,
        "-o",
        "json",
    ]);
    assert_exit(&refused, 2);
    assert_one_error_line(&refused, "unrecognized field name 'nickname'");
    let allowed = run(&[
        "call",
        &server.addr,
        "api.Api/sayHello",
        "-d",
        data,
        "-o",
        "json",
        "--allow-unknown-fields",
    ]);
    assert_exit(&allowed, 0);
    assert_eq!(stdout(&allowed), "{\"message\":\"Hello Gonzalo!\"}\n");
    let streamed = run_with_stdin(
        &[
            "call",
            &server.addr,
            "routeguide.RouteGuide/RecordRoute",
            "-d",
            "@-",
            "-o",
            "json",
            "--allow-unknown-fields",
        ],
        "{\"latitude\":1,\"altitude\":9}\n{\"longitude\":2,\"extra\":[1]}\n",
    );
    assert_exit(&streamed, 0);
    assert_eq!(json_lines(&stdout(&streamed))[0]["pointCount"], 2);
    let bench = |allow: bool| {
        let mut args = vec![
            "bench",
            &server.addr,
            "api.Api/sayHello",
            "-n",
            "5",
            "-c",
            "1",
            "-q",
            "-d",
            data,
        ];
        if allow {
            args.push("--allow-unknown-fields");
        }
        run(&args)
    };
    assert_exit(&bench(false), 2);
    assert_exit(&bench(true), 0);
}

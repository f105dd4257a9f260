//! `-o text` prints messages exactly as protoc prints them (Any fields expanded, as grpcurl does):
//! checked against the fixtures in tests/protos/text/ always, and against protoc itself (and
//! protobuf's Python printer for the Any fields) when the interop venv is there.

mod common;

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use common::{
    Server, apicli, assert_exit, output_of,
    peers::{self, Peers, repo_root},
    stderr, stdout,
};
use prost_reflect::{DescriptorPool, DynamicMessage, SerializeOptions};

fn text_dir() -> PathBuf {
    repo_root().join("tests/protos/text")
}

fn fixture(name: &str) -> String {
    fs::read_to_string(text_dir().join(name)).unwrap()
}

fn pool() -> DescriptorPool {
    let protos = ["shapes.proto", "proto2_shapes.proto"].map(|name| text_dir().join(name));
    let files = protox::compile(protos, [text_dir()]).unwrap();
    DescriptorPool::from_file_descriptor_set(files).unwrap()
}

/// The fixture NAME.binpb (protoc's encoding of NAME.txtpb) read as a `message`.
fn encoded_fixture(pool: &DescriptorPool, message: &str, name: &str) -> DynamicMessage {
    let encoded = fs::read(text_dir().join(format!("{name}.binpb"))).unwrap();
    let descriptor = pool.get_message_by_name(message).unwrap();
    DynamicMessage::decode(descriptor, encoded.as_slice()).unwrap()
}

/// A `shapes.Everything` read from the text-format fixture NAME.txtpb.
fn everything(pool: &DescriptorPool, name: &str) -> DynamicMessage {
    let descriptor = pool.get_message_by_name("shapes.Everything").unwrap();
    DynamicMessage::parse_text_format(descriptor, &fixture(&format!("{name}.txtpb"))).unwrap()
}

#[test]
fn every_shape_prints_as_the_fixtures_protoc_made() {
    let pool = pool();
    assert_eq!(
        apicli::output::text_format(&everything(&pool, "everything")),
        fixture("everything.protoc.txt")
    );
    assert_eq!(
        apicli::output::text_format(&everything(&pool, "anys")),
        fixture("anys.expected.txt")
    );
    // protoc's own encoding of everything.txtpb, read as a shapes.Query, whose only field is the
    // first: every other field is unknown.
    let encoded = fs::read(text_dir().join("everything.binpb")).unwrap();
    let descriptor = pool.get_message_by_name("shapes.Everything").unwrap();
    let message = DynamicMessage::decode(descriptor, encoded.as_slice()).unwrap();
    assert_eq!(
        apicli::output::text_format(&message),
        fixture("everything.protoc.txt")
    );
    let query = pool.get_message_by_name("shapes.Query").unwrap();
    let as_query = DynamicMessage::decode(query, encoded.as_slice()).unwrap();
    assert_eq!(
        apicli::output::text_format(&as_query),
        fixture("everything.as_query.protoc.txt")
    );
    // proto2: groups, extensions (by number among the fields), a default value set.
    assert_eq!(
        apicli::output::text_format(&encoded_fixture(&pool, "shapes2.Old", "old")),
        fixture("old.protoc.txt")
    );
}

/// `python -m grpc_tools.protoc ARGS` with STDIN, from tests/protos/text: its stdout.
fn protoc(peers: &Peers, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut child = Command::new(&peers.python)
        .args(["-m", "grpc_tools.protoc", "-I", "."])
        .args(args)
        .current_dir(text_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "protoc {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// protobuf's Python printer of the encoded `shapes.Everything`, Any fields expanded.
fn python_text(peers: &Peers, dir: &Path, encoded: &[u8]) -> String {
    let out = dir.to_str().unwrap();
    protoc(
        peers,
        &[&format!("--python_out={out}"), "shapes.proto"],
        b"",
    );
    fs::write(dir.join("message.bin"), encoded).unwrap();
    let script = "import sys\nsys.path.insert(0, sys.argv[1])\nimport shapes_pb2\n\
                  from google.protobuf import text_format\nm = shapes_pb2.Everything()\n\
                  m.ParseFromString(open(sys.argv[2], 'rb').read())\n\
                  sys.stdout.write(text_format.MessageToString(m))\n";
    let output = Command::new(&peers.python)
        .args(["-c", script, out])
        .arg(dir.join("message.bin"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_shape_prints_as_protoc_prints_it() {
    let Some(peers) = peers::peers("the comparison with protoc") else {
        return;
    };
    let pool = pool();
    let descriptor = pool.get_message_by_name("shapes.Everything").unwrap();
    let decode = "--decode=shapes.Everything";
    let encode = "--encode=shapes.Everything";

    // protoc reads the fixture into bytes and prints them: that is the fixture's output, and ours.
    let encoded = protoc(
        peers,
        &[encode, "shapes.proto"],
        fixture("everything.txtpb").as_bytes(),
    );
    let binpb = fs::read(text_dir().join("everything.binpb")).unwrap();
    assert!(encoded == binpb, "everything.binpb is stale");
    let by_protoc = String::from_utf8(protoc(peers, &[decode, "shapes.proto"], &encoded)).unwrap();
    assert_eq!(
        by_protoc,
        fixture("everything.protoc.txt"),
        "the fixture is stale"
    );
    let message = DynamicMessage::decode(descriptor.clone(), encoded.as_slice()).unwrap();
    assert_eq!(apicli::output::text_format(&message), by_protoc);
    // The same bytes read as a shapes.Query: unknown fields, as protoc shows them.
    let query = pool.get_message_by_name("shapes.Query").unwrap();
    let by_protoc = protoc(peers, &["--decode=shapes.Query", "shapes.proto"], &encoded);
    let by_protoc = String::from_utf8(by_protoc).unwrap();
    let stale = "the fixture is stale";
    assert_eq!(
        by_protoc,
        fixture("everything.as_query.protoc.txt"),
        "{stale}"
    );
    let message = DynamicMessage::decode(query, encoded.as_slice()).unwrap();
    assert_eq!(apicli::output::text_format(&message), by_protoc);

    let encoded = protoc(
        peers,
        &["--encode=shapes2.Old", "proto2_shapes.proto"],
        fixture("old.txtpb").as_bytes(),
    );
    assert!(
        encoded == fs::read(text_dir().join("old.binpb")).unwrap(),
        "old.binpb is stale"
    );
    let by_protoc = protoc(
        peers,
        &["--decode=shapes2.Old", "proto2_shapes.proto"],
        &encoded,
    );
    let by_protoc = String::from_utf8(by_protoc).unwrap();
    assert_eq!(by_protoc, fixture("old.protoc.txt"), "the fixture is stale");
    assert_eq!(
        apicli::output::text_format(&encoded_fixture(&pool, "shapes2.Old", "old")),
        by_protoc
    );

    // protoc does not expand an Any; protobuf's Python printer does, as grpcurl does.
    let dir = tempfile::tempdir().unwrap();
    let encoded = protoc(
        peers,
        &[encode, "shapes.proto"],
        fixture("anys.txtpb").as_bytes(),
    );
    let by_python = python_text(peers, dir.path(), &encoded);
    assert_eq!(
        by_python,
        fixture("anys.expected.txt"),
        "the fixture is stale"
    );
    let message = DynamicMessage::decode(descriptor, encoded.as_slice()).unwrap();
    let ours = apicli::output::text_format(&message);
    assert_eq!(ours, by_python);
    // And protoc reads what we print back into the same bytes.
    assert_eq!(
        protoc(peers, &[encode, "shapes.proto"], ours.as_bytes()),
        encoded
    );
}

/// `apicli serve --proto shapes.proto` answering Get with MESSAGE and List with both.
fn shapes_server(dir: &Path, first: &DynamicMessage, second: &DynamicMessage) -> Server {
    let json = |message: &DynamicMessage| {
        let options = SerializeOptions::new();
        message
            .serialize_with_options(serde_json::value::Serializer, &options)
            .unwrap()
    };
    let stubs = serde_json::json!([
        {"method": "shapes.Shapes/Get", "reply": {"message": json(first)}},
        {"method": "shapes.Shapes/List", "reply": {"stream": [
            {"message": json(first)}, {"message": json(second)}, {"message": {}}
        ]}},
    ]);
    let path = dir.join("stubs.json");
    fs::write(&path, stubs.to_string()).unwrap();
    let proto = text_dir().join("shapes.proto");
    Server::start(&[
        "--proto",
        proto.to_str().unwrap(),
        "--stubs",
        path.to_str().unwrap(),
    ])
}

#[test]
fn call_prints_text_and_sets_streamed_messages_apart_as_grpcurl_does() {
    let pool = pool();
    let first = everything(&pool, "everything");
    // An Any of a type the server knows: one of an unknown type has no JSON for the stub file.
    let descriptor = pool.get_message_by_name("shapes.Everything").unwrap();
    let any = r#"any { [type.googleapis.com/shapes.Inner] { id: 9 } } small: -1"#;
    let second = DynamicMessage::parse_text_format(descriptor, any).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = shapes_server(dir.path(), &first, &second);
    let call = |method: &str| {
        output_of(apicli().args([
            "--addr",
            &server.addr,
            "-o",
            "text",
            "call",
            method,
            "-d",
            r#"{"name": "x"}"#,
        ]))
    };
    let output = call("shapes.Shapes/Get");
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), fixture("everything.protoc.txt"));
    let output = call("shapes.Shapes/List");
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output),
        format!(
            "{}\x1esmall: -1\nany {{\n  [type.googleapis.com/shapes.Inner] {{\n    id: 9\n  }}\n}}\n\x1e\n",
            fixture("everything.protoc.txt"),
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_typed_commands_print_text() {
    let server = Server::start(&[]);
    let run = |args: &[&str]| {
        let output = output_of(
            apicli()
                .args(["--addr", &server.addr, "-o", "text"])
                .args(args),
        );
        assert_exit(&output, 0);
        stdout(&output)
    };
    assert_eq!(run(&["hello", "Ada"]), "message: \"Hello Ada!\"\n");
    assert_eq!(
        run(&["get-all", "--length", "2"]),
        "items {\n  id: 1\n  name: \"name 1\"\n}\nitems {\n  id: 2\n  name: \"name 2\"\n}\n"
    );
    assert_eq!(
        run(&["stream", "--length", "2"]),
        "id: 1\nname: \"name 1\"\n\x1eid: 2\nname: \"name 2\"\n"
    );
    assert_eq!(run(&["health"]), "status: SERVING\n");
}

#[test]
fn bench_refuses_text() {
    let output = output_of(apicli().args(["-o", "text", "bench", "api.Api/sayHello"]));
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("-o text prints response messages"),
        "{}",
        stderr(&output)
    );
}

//! `describe --protoset-out FILE` and `--proto-out DIR`: what was resolved, written so that it
//! can be fed back to apicli (`--protoset`, `--proto` and `-I`), protoc and grpcurl. Checked
//! against grpc-go-style v1alpha reflection (the grpcio route-guide peer) and `apicli serve`.

mod common;

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use apicli::{
    describe::descriptor_json,
    descriptors::{Symbol, load_files},
};
use common::{
    Server, apicli, assert_exit, assert_one_error_line, output_of,
    peers::{self, Peers, PyServer, run},
    stderr, stdout,
};
use prost::Message as _;
use prost_types::FileDescriptorSet;

const POINT: &str = r#"{"latitude":409146138,"longitude":-746188906}"#;

/// `apicli --addr ADDR describe [SYMBOL] --protoset-out DIR/set.pb --proto-out DIR/protos`: the
/// two paths, after checking that stdout stayed empty and stderr said what was written.
fn export(addr: &str, symbol: Option<&str>, dir: &Path) -> (PathBuf, PathBuf) {
    let (set, protos) = (dir.join("set.pb"), dir.join("protos"));
    let mut cmd = apicli();
    cmd.args(["--addr", addr, "--timeout", "10s", "describe"]);
    cmd.args(symbol);
    cmd.arg("--protoset-out")
        .arg(&set)
        .arg("--proto-out")
        .arg(&protos);
    let output = output_of(&mut cmd);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "");
    assert!(stderr(&output).contains("wrote "), "{}", stderr(&output));
    (set, protos)
}

/// The names of the set's files, in order, after checking that each file comes after every
/// file it imports, and each once.
fn file_names(set: &Path) -> Vec<String> {
    let set = FileDescriptorSet::decode(fs::read(set).unwrap().as_slice()).unwrap();
    let mut seen: Vec<String> = Vec::new();
    for file in &set.file {
        for dependency in &file.dependency {
            assert!(
                seen.contains(dependency),
                "{} comes before its import {dependency}",
                file.name()
            );
        }
        assert!(
            !seen.contains(&file.name().to_owned()),
            "{} twice",
            file.name()
        );
        seen.push(file.name().to_owned());
    }
    seen
}

/// Every `.proto` file under `dir`, relative to it, sorted.
fn protos_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_owned()];
    while let Some(next) = dirs.pop() {
        for entry in fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_str().unwrap().to_owned());
            }
        }
    }
    found.sort();
    found
}

/// The written `.proto` files, compiled again, describe every message, enum and service exactly
/// as the exported set does.
fn assert_same_descriptors(set: &Path, protos: &Path) {
    let from_set = load_files(&[], &[], &[set.to_owned()]).unwrap();
    let files: Vec<PathBuf> = protos_under(protos)
        .iter()
        .map(|name| protos.join(name))
        .collect();
    let from_protos = load_files(&files, &[protos.to_owned()], &[]).unwrap();
    let mut checked = 0;
    for message in from_set.all_messages() {
        let again = from_protos.get_message_by_name(message.full_name());
        let again = again.unwrap_or_else(|| panic!("{} is missing", message.full_name()));
        assert_eq!(
            descriptor_json(&Symbol::Message(message)),
            descriptor_json(&Symbol::Message(again))
        );
        checked += 1;
    }
    for service in from_set.services() {
        let again = from_protos
            .get_service_by_name(service.full_name())
            .unwrap();
        assert_eq!(
            descriptor_json(&Symbol::Service(service)),
            descriptor_json(&Symbol::Service(again))
        );
        checked += 1;
    }
    for enumeration in from_set.all_enums() {
        let again = from_protos
            .get_enum_by_name(enumeration.full_name())
            .unwrap();
        assert_eq!(
            descriptor_json(&Symbol::Enum(enumeration)),
            descriptor_json(&Symbol::Enum(again))
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} descriptors were compared");
}

/// `apicli --addr ADDR call METHOD -d DATA -o json DESCRIPTOR_ARGS`: its one JSON line.
fn call_with(addr: &str, method: &str, data: &str, descriptor_args: &[&str]) -> serde_json::Value {
    let output = output_of(
        apicli()
            .args([
                "--addr",
                addr,
                "--timeout",
                "10s",
                "-o",
                "json",
                "call",
                method,
            ])
            .args(["-d", data])
            .args(descriptor_args),
    );
    assert_exit(&output, 0);
    serde_json::from_str(stdout(&output).trim()).unwrap()
}

/// `python -m grpc_tools.protoc ARGS` compiles.
fn protoc_compiles(peers: &Peers, args: &[&str]) {
    let ran = run(Command::new(&peers.python)
        .args(["-m", "grpc_tools.protoc"])
        .args(args));
    ran.assert_code(0);
}

fn grpcurl(peers: &Peers, args: &[&str]) -> String {
    let ran = run(Command::new(&peers.grpcurl).args(args));
    ran.assert_code(0);
    ran.stdout
}

#[test]
fn what_v1alpha_reflection_found_is_fed_back_to_apicli_protoc_and_grpcurl() {
    let Some(peers) = peers::peers("the export round trip against v1alpha reflection") else {
        return;
    };
    let server = PyServer::route_guide(peers, &["--reflection", "v1alpha"]);
    let dir = tempfile::tempdir().unwrap();
    let (set, protos) = export(&server.addr, None, dir.path());
    let names = file_names(&set);
    assert!(names.contains(&"route_guide.proto".to_owned()), "{names:?}");
    assert!(
        names.iter().any(|name| name.contains("reflection")),
        "every service, reflection's too: {names:?}"
    );
    assert_eq!(protos_under(&protos), {
        let mut sorted = names.clone();
        sorted.sort();
        sorted
    });
    assert_same_descriptors(&set, &protos);

    // apicli, with the set and with the written files.
    let feature = |args: &[&str]| {
        call_with(
            &server.addr,
            "routeguide.RouteGuide/GetFeature",
            POINT,
            args,
        )["name"]
            .clone()
    };
    let by_reflection = feature(&[]);
    assert!(by_reflection.as_str().is_some_and(|name| !name.is_empty()));
    assert_eq!(
        feature(&["--protoset", set.to_str().unwrap()]),
        by_reflection
    );
    let route_guide = protos.join("route_guide.proto");
    let (route_guide, include) = (route_guide.to_str().unwrap(), protos.to_str().unwrap());
    assert_eq!(
        feature(&["--proto", route_guide, "-I", include]),
        by_reflection
    );

    // protoc reads the set, and compiles the written files.
    let out = dir.path().join("again.pb");
    let out = format!("--descriptor_set_out={}", out.display());
    let set_in = format!("--descriptor_set_in={}", set.display());
    protoc_compiles(peers, &[&set_in, &out, "route_guide.proto"]);
    let mut args = vec!["-I".to_owned(), include.to_owned(), out.clone()];
    args.extend(protos_under(&protos));
    protoc_compiles(peers, &args.iter().map(String::as_str).collect::<Vec<_>>());

    // grpcurl lists, describes and calls with either.
    let set_arg = set.to_str().unwrap();
    let listed = grpcurl(peers, &["-protoset", set_arg, "list"]);
    assert!(
        listed.lines().any(|line| line == "routeguide.RouteGuide"),
        "{listed}"
    );
    let described = grpcurl(
        peers,
        &["-protoset", set_arg, "describe", "routeguide.Point"],
    );
    assert!(described.contains("int32 latitude = 1;"), "{described}");
    for descriptor_args in [
        vec!["-protoset", set_arg],
        vec!["-import-path", include, "-proto", "route_guide.proto"],
    ] {
        let mut args = descriptor_args.clone();
        args.extend(["-plaintext", "-d", POINT, &server.addr]);
        args.push("routeguide.RouteGuide/GetFeature");
        let reply: serde_json::Value = serde_json::from_str(&grpcurl(peers, &args)).unwrap();
        assert_eq!(reply["name"], by_reflection);
    }
}

#[test]
fn what_apicli_serve_describes_is_fed_back() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    // One service: its file and what it imports, no more.
    let (set, protos) = export(&server.addr, Some("api.Api"), dir.path());
    let names = file_names(&set);
    assert_eq!(
        names.last().map(String::as_str),
        Some("api.proto"),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|name| name.contains("route_guide")),
        "{names:?}"
    );
    assert_same_descriptors(&set, &protos);
    let hello =
        |args: &[&str]| call_with(&server.addr, "api.Api/sayHello", r#"{"name":"Ada"}"#, args);
    let expected = serde_json::json!({"message": "Hello Ada!"});
    assert_eq!(hello(&["--protoset", set.to_str().unwrap()]), expected);
    let api = protos.join("api.proto");
    let include = protos.to_str().unwrap();
    assert_eq!(
        hello(&["--proto", api.to_str().unwrap(), "-I", include]),
        expected
    );

    // Every service: the built-in ones, health and reflection among them.
    let all = tempfile::tempdir().unwrap();
    let (set, protos) = export(&server.addr, None, all.path());
    let names = file_names(&set);
    for expected in ["api.proto", "route_guide.proto"] {
        assert!(names.contains(&expected.to_owned()), "{names:?}");
    }
    assert!(
        names.iter().any(|name| name.contains("health")),
        "{names:?}"
    );
    assert_same_descriptors(&set, &protos);
    if let Some(peers) = peers::peers("compiling the exported files with protoc") {
        let mut args = vec!["-I".to_owned(), protos.to_str().unwrap().to_owned()];
        let out = all.path().join("again.pb");
        args.push(format!("--descriptor_set_out={}", out.display()));
        args.extend(protos_under(&protos));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        protoc_compiles(peers, &args);
        let listed = grpcurl(peers, &["-protoset", set.to_str().unwrap(), "list"]);
        assert!(listed.contains("api.Api"), "{listed}");
    }
}

#[test]
fn files_given_with_proto_are_exported_with_their_imports() {
    let dir = tempfile::tempdir().unwrap();
    let demo = common::peers::repo_root().join("tests/protos/describe/demo.proto");
    let set = dir.path().join("demo.pb");
    let protos = dir.path().join("out");
    let output = output_of(
        apicli()
            .args(["describe", "demo.Demo", "--proto"])
            .arg(&demo)
            .arg("--protoset-out")
            .arg(&set)
            .arg("--proto-out")
            .arg(&protos),
    );
    assert_exit(&output, 0);
    let names = file_names(&set);
    assert_eq!(
        names.last().map(String::as_str),
        Some("demo.proto"),
        "{names:?}"
    );
    // Its well-known imports are written too, so that -I DIR alone is enough.
    assert!(
        protos.join("google/protobuf/empty.proto").is_file(),
        "{names:?}"
    );
    assert_same_descriptors(&set, &protos);
    // Comments of the source come along.
    let written = fs::read_to_string(protos.join("demo.proto")).unwrap();
    assert!(written.contains("//"), "{written}");
}

#[test]
fn an_existing_protoset_is_replaced_whole_and_kept_when_the_export_fails() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.pb");
    fs::write(&set, b"old").unwrap();
    let describe = |symbol: &str| {
        output_of(
            apicli()
                .args(["--addr", &server.addr, "describe", symbol, "--protoset-out"])
                .arg(&set),
        )
    };
    let output = describe("api.Nope");
    assert_exit(&output, 2);
    assert_one_error_line(&output, "api.Nope");
    assert_eq!(fs::read(&set).unwrap(), b"old");
    let output = describe("api.Api");
    assert_exit(&output, 0);
    assert_eq!(
        file_names(&set).last().map(String::as_str),
        Some("api.proto")
    );
    let left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["set.pb"], "no temporary file is left behind");
}

#[test]
fn bad_export_destinations_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    let proto = common::peers::repo_root().join("proto/api.proto");
    let describe = |flag: &str, path: &Path| {
        output_of(
            apicli()
                .args(["describe", "api.Api", "--proto"])
                .arg(&proto)
                .arg(flag)
                .arg(path),
        )
    };
    let output = describe("--proto-out", &file);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "is a file");
    // A folder that cannot be made: its parent is a file.
    let output = describe("--proto-out", &file.join("protos"));
    assert_exit(&output, 2);
    assert_one_error_line(&output, "cannot write --proto-out");
    let output = describe("--protoset-out", dir.path());
    assert_exit(&output, 2);
    assert_one_error_line(&output, "is a folder");
    let output = describe("--protoset-out", &dir.path().join("no/such/set.pb"));
    assert_exit(&output, 2);
    assert_one_error_line(&output, "no folder");
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
    // Without a symbol and an export, describe prints every service.
    let output = output_of(apicli().args(["describe", "--proto"]).arg(&proto));
    assert_exit(&output, 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("service "));
}

/// Every file of every pool `--proto-out` could meet: the built-in ones, the test files, and
/// the well-known types written by the same printer.
fn every_source_file() -> Vec<prost_reflect::DescriptorPool> {
    let root = common::peers::repo_root();
    let mut pools = Vec::new();
    // tests/export_protos/ holds a file with what only whole files have (top-level extensions,
    // public imports, file options), which describe's per-symbol check cannot compile.
    for dir in [
        root.join("proto"),
        root.join("tests/protos"),
        root.join("tests/export_protos"),
    ] {
        let protos: Vec<PathBuf> = protos_under(&dir)
            .into_iter()
            .filter(|name| name.ends_with(".proto"))
            .map(|name| dir.join(name))
            .collect();
        pools.push(load_files(&protos, &[dir], &[]).unwrap());
    }
    pools
}

#[test]
fn every_file_written_whole_compiles_back_to_the_same_descriptors() {
    let mut checked = 0;
    for pool in every_source_file() {
        let dir = tempfile::tempdir().unwrap();
        let files = apicli::describe::with_imports(pool.files());
        apicli::describe::write_protos(dir.path(), &files).unwrap();
        let names: Vec<PathBuf> = files.iter().map(|f| dir.path().join(f.name())).collect();
        let again = load_files(&names, &[dir.path().to_owned()], &[])
            .unwrap_or_else(|err| panic!("{}", err.0));
        for file in &files {
            let written = fs::read_to_string(dir.path().join(file.name())).unwrap();
            let back = again
                .get_file_by_name(file.name())
                .unwrap_or_else(|| panic!("{} is missing", file.name()));
            let strip = |file: &prost_reflect::FileDescriptor| {
                let mut raw = file.file_descriptor_proto().clone();
                raw.source_code_info = None;
                raw
            };
            assert_eq!(strip(file), strip(&back), "{}:\n{written}", file.name());
            // Custom options are not in prost-types' view: compare the encoded files too.
            assert_eq!(
                without_source_info(&file.encode_to_vec()),
                without_source_info(&back.encode_to_vec()),
                "{}:\n{written}",
                file.name()
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} files were checked");
}

/// An encoded FileDescriptorProto without its source info (field 9), as a sorted list of its
/// top-level fields, so that two encodings of the same descriptor compare equal.
fn without_source_info(encoded: &[u8]) -> Vec<Vec<u8>> {
    let mut set = prost_reflect::DescriptorPool::global()
        .get_message_by_name("google.protobuf.FileDescriptorProto")
        .map(|descriptor| prost_reflect::DynamicMessage::decode(descriptor, encoded).unwrap())
        .unwrap();
    set.clear_field_by_number(9);
    let mut fields: Vec<Vec<u8>> = set
        .fields()
        .map(|(field, value)| format!("{}={value:?}", field.name()).into_bytes())
        .collect();
    fields.sort();
    fields
}

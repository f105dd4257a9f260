//! `apicli describe` keeps custom options (`google.api.http`, a file's own extensions of
//! `google.protobuf.*Options`) from `--proto` and `--protoset`, in the `.proto` text as protoc
//! writes them and in `-o json` as `"[full.name]"` keys.

mod common;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn protos() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/protos")
}

/// `apicli describe ARGS` with the shop test files, compiled from source.
fn describe(args: &[&str]) -> String {
    let protos = protos();
    let mut cmd = common::apicli();
    cmd.arg("describe")
        .args(args)
        .arg("--proto")
        .arg(protos.join("shop/shop.proto"))
        .arg("-I")
        .arg(&protos);
    let output = common::output_of(&mut cmd);
    common::assert_exit(&output, 0);
    common::stdout(&output)
}

#[test]
fn proto_text_shows_custom_options_as_protoc_writes_them() {
    assert_eq!(
        describe(&["shop.v1.Shop/GetBook"]),
        "\
// Gets one book.
rpc GetBook(shop.v1.GetBookRequest) returns (shop.v1.Book) {
  option (shop.options.access) = { roles: [\"reader\", \"admin\"] per_minute: 60 level: LEVEL_PUBLIC };
  option (google.api.http) = { get: \"/v1/{name=shelves/*/books/*}\" additional_bindings: [{ get: \"/v1/books/{name}\" }] };
}
"
    );
    let service = describe(&["shop.v1.Shop"]);
    for line in [
        "  option (shop.options.owner) = \"books-team\";",
        "    option (google.api.http) = { get: \"/v1/shelves\" };",
        "    option idempotency_level = IDEMPOTENT;",
        "    option (google.api.http) = { custom: { kind: \"HEAD\" path: \"/v1/watch\" } };",
    ] {
        assert!(service.lines().any(|l| l == line), "{line:?} in\n{service}");
    }
    let book = describe(&["shop.v1.Book"]);
    for line in [
        "  option (shop.options.table) = \"books\";",
        "    option (shop.options.closed_set) = true;",
        "    FORMAT_EBOOK = 2 [deprecated = true, (shop.options.label) = \"e-book\"];",
        "    option (shop.options.exclusive) = true;",
        "    string self_published_by = 8 [(shop.options.redact) = true];",
    ] {
        assert!(book.lines().any(|l| l == line), "{line:?} in\n{book}");
    }
    assert_eq!(
        describe(&["shop.v1.Shelf.theme"]),
        "string theme = 2 [(shop.options.tag) = \"searchable\", (shop.options.tag) = \"short\"];\n"
    );
}

#[test]
fn json_shows_custom_options_under_their_full_names() {
    let method: Value = serde_json::from_str(&describe(&["shop.v1.Shop/GetBook", "-o", "json"]))
        .expect("describe -o json prints JSON");
    assert_eq!(
        method["options"],
        json!({
            "[shop.options.access]": {
                "roles": ["reader", "admin"], "perMinute": 60, "level": "LEVEL_PUBLIC",
            },
            "[google.api.http]": {
                "get": "/v1/{name=shelves/*/books/*}",
                "additionalBindings": [{"get": "/v1/books/{name}"}],
            },
        })
    );
    let field: Value =
        serde_json::from_str(&describe(&["shop.v1.Book.self_published_by", "-o", "json"]))
            .expect("describe -o json prints JSON");
    assert_eq!(field["options"], json!({"[shop.options.redact]": true}));
}

#[test]
fn protosets_keep_custom_options() {
    let protos = protos();
    let mut compiler = protox::Compiler::new([&protos]).expect("an include path");
    compiler.include_imports(true);
    compiler
        .open_file("shop/shop.proto")
        .expect("the shop test file compiles");
    let dir = tempfile::tempdir().expect("temporary directory");
    let protoset = dir.path().join("shop.binpb");
    std::fs::write(&protoset, compiler.encode_file_descriptor_set()).expect("write the set");
    let output = common::output_of(
        common::apicli()
            .args(["describe", "shop.v1.Shop/ListShelves", "--protoset"])
            .arg(&protoset),
    );
    common::assert_exit(&output, 0);
    assert_eq!(
        common::stdout(&output),
        "\
rpc ListShelves(google.protobuf.Empty) returns (shop.v1.ListShelvesResponse) {
  option (google.api.http) = { get: \"/v1/shelves\" };
}
"
    );
}

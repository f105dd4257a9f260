//! The stub file format's public pieces agree: every example under `examples/routeguide/stubs`
//! meets the schema (`docs/stubs.schema.json`) and loads against RouteGuide's descriptors, and
//! the example's proto is the one apicli serves.

use std::path::{Path, PathBuf};

use apicli::{spanned, stubs};
use prost_reflect::DescriptorPool;
use serde_json::Value;

const SCHEMA: &str = include_str!("../docs/stubs.schema.json");

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/routeguide/stubs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the examples' folder")
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

fn descriptors() -> DescriptorPool {
    DescriptorPool::decode(apicli::api::FILE_DESCRIPTOR_SET).expect("the built-in descriptors")
}

/// Why `instance` does not meet the schema, one line per fault; empty when it does.
fn faults(instance: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|fault| format!("{}: {fault}", fault.instance_path()))
        .collect()
}

fn as_json(text: &str) -> Value {
    spanned::parse(text).expect("the example is YAML").to_json()
}

#[test]
fn the_schema_is_a_schema() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    if let Err(fault) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("{}: {fault}", fault.instance_path());
    }
}

#[test]
fn every_example_meets_the_schema() {
    let files = examples();
    assert!(files.len() >= 4, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            faults(&as_json(&text)),
            Vec::<String>::new(),
            "{}",
            file.display()
        );
    }
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    for text in [
        "method: routeguide.RouteGuide/GetFeature\nrepy: {}\n",
        "reply: {}\n",
        "method: routeguide.RouteGuide/GetFeature\nreply: {fault: {kind: explode}}\n",
        "method: routeguide.RouteGuide/GetFeature\ntimes: -1\n",
    ] {
        assert!(!faults(&as_json(text)).is_empty(), "{text}");
        assert!(
            stubs::load_text(text, "t.yaml", &descriptors()).is_err(),
            "{text}"
        );
    }
}

#[test]
fn every_example_loads_and_all_four_kinds_are_covered() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/routeguide/stubs");
    let loaded = stubs::load_paths(&[folder], &descriptors()).unwrap_or_else(|err| panic!("{err}"));
    let mut methods: Vec<&str> = loaded.iter().map(|stub| stub.method_name()).collect();
    methods.dedup();
    assert_eq!(
        methods,
        [
            "routeguide.RouteGuide/GetFeature",
            "routeguide.RouteGuide/ListFeatures",
            "routeguide.RouteGuide/RecordRoute",
            "routeguide.RouteGuide/RouteChat",
        ]
    );
    let with_details = loaded.iter().any(|stub| {
        stub.reply
            .status
            .as_ref()
            .is_some_and(|status| !status.details.is_empty())
    });
    let with_fault = loaded.iter().any(|stub| stub.reply.fault.is_some());
    let with_template = loaded.iter().any(|stub| {
        stub.reply
            .message
            .as_ref()
            .is_some_and(|message| message.constant_bytes().is_none())
    });
    assert!(with_details && with_fault && with_template);
}

#[test]
fn the_example_proto_is_the_served_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        std::fs::read_to_string(root.join("proto/route_guide.proto")).unwrap(),
        std::fs::read_to_string(root.join("proto/route_guide.proto")).unwrap()
    );
}

/// The stub files shown in the README and in `docs/stubs.md` (the YAML blocks that start with
/// `- method:`), and bench's, meet the schema and load: what the documentation shows works.
#[test]
fn the_documented_stubs_meet_the_schema_and_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut shown = Vec::new();
    for doc in ["README.md", "docs/stubs.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        let blocks = text.split("```yaml\n").skip(1);
        for block in blocks.map(|rest| rest.split("```").next().unwrap_or("")) {
            if block.trim_start().starts_with("- method:") {
                shown.push((doc.to_owned(), block.to_owned()));
            }
        }
    }
    assert!(
        shown.iter().any(|(doc, _)| doc == "README.md"),
        "the README shows a stub file"
    );
    for name in ["feature.yaml", "stream.yaml"] {
        let path = root.join("bench/stubs").join(name);
        shown.push((name.to_owned(), std::fs::read_to_string(path).unwrap()));
    }
    let pool = descriptors();
    for (doc, block) in shown {
        assert_eq!(
            faults(&as_json(&block)),
            Vec::<String>::new(),
            "{doc}:\n{block}"
        );
        if let Err(err) = stubs::load_text(&block, &doc, &pool) {
            panic!("{doc}: {err}\n{block}");
        }
    }
}

//! Test-only descriptors to describe: the built-in files, and files with every construct.

use prost_reflect::DescriptorPool;
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};

use crate::descriptors::Symbol;

/// A proto3 file: maps, oneofs, enums, proto3 optional, nested types, the well-known types,
/// options, reserved numbers, recursion.
const DEMO: &str = include_str!("../../tests/protos/describe/demo.proto");

/// A proto2 file: required and optional labels, defaults, groups, extension ranges, aliases.
const LEGACY: &str = include_str!("../../tests/protos/describe/legacy.proto");

/// A file that uses Any but does not import google.protobuf.Empty.
const HOLDER: &str = r#"syntax = "proto3";

package holder;

import "google/protobuf/any.proto";

message Holder {
  google.protobuf.Any thing = 1;
  repeated google.protobuf.Any things = 2;
}
"#;

/// Custom options, which only descriptors read with their extensions keep.
const OPTIONS: &str = r#"syntax = "proto3";

package opts;

import "google/protobuf/descriptor.proto";

message Rule {
  string path = 1;
  repeated int32 codes = 2;
  Level level = 3;
}

enum Level {
  LOW = 0;
  HIGH = 1;
}

extend google.protobuf.MethodOptions {
  Rule rule = 50001;
}

extend google.protobuf.FieldOptions {
  repeated string tag = 50002;
}

service Svc {
  rpc Get(Req) returns (Req) {
option (opts.rule) = { path: "/v1/x" codes: [1, 2] level: HIGH };
  }
}

message Req {
  string id = 1 [(opts.tag) = "a", (opts.tag) = "b"];
}
"#;

struct Sources;

impl FileResolver for Sources {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        match name {
            "demo.proto" => File::from_source(name, DEMO),
            "legacy.proto" => File::from_source(name, LEGACY),
            "holder.proto" => File::from_source(name, HOLDER),
            "options.proto" => File::from_source(name, OPTIONS),
            _ => Err(protox::Error::file_not_found(name)),
        }
    }
}

/// The test files, compiled with their source info.
pub(super) fn pool() -> DescriptorPool {
    compile(&["demo.proto", "legacy.proto"], true)
}

/// The test files, compiled without their comments.
pub(super) fn pool_without_source_info() -> DescriptorPool {
    compile(&["demo.proto", "legacy.proto"], false)
}

/// A pool with Any and without Empty.
pub(super) fn any_without_empty() -> DescriptorPool {
    compile(&["holder.proto"], true)
}

/// A pool read from encoded descriptors, so the options' extensions are kept.
pub(super) fn custom_options() -> DescriptorPool {
    let mut compiler = compiler(true);
    compiler.open_file("options.proto").unwrap();
    DescriptorPool::decode(compiler.encode_file_descriptor_set().as_slice()).unwrap()
}

fn compile(files: &[&str], source_info: bool) -> DescriptorPool {
    let mut compiler = compiler(source_info);
    compiler.open_files(files).unwrap();
    DescriptorPool::from_file_descriptor_set(compiler.file_descriptor_set()).unwrap()
}

fn compiler(source_info: bool) -> protox::Compiler {
    let mut resolver = ChainFileResolver::new();
    resolver.add(Sources);
    resolver.add(GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler
        .include_source_info(source_info)
        .include_imports(true);
    compiler
}

pub(super) fn symbol(pool: &DescriptorPool, name: &str) -> Symbol {
    Symbol::find(pool, name).unwrap_or_else(|| panic!("no symbol {name}"))
}

/// A symbol of the built-in files, as `apicli serve` offers them.
pub(super) fn builtin(name: &str) -> Symbol {
    symbol(&crate::descriptors::builtin_pool(), name)
}

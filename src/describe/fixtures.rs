//! Test-only descriptors to describe: the built-in files, and files with every construct.

use prost_reflect::DescriptorPool;
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};

use crate::descriptors::Symbol;

/// A proto3 file: maps, oneofs, enums, proto3 optional, nested types, the well-known types,
/// options, reserved numbers, recursion.
const DEMO: &str = r#"syntax = "proto3";

package demo;

import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

// Everything a template has to fill in.
message Everything {
  // A kind of thing.
  enum Kind {
KIND_UNSPECIFIED = 0;
KIND_BIG = 1 [deprecated = true]; // Too big.
reserved 5, 7 to 9;
  }

  message Inner {
string label = 1; // The label.
  }

  double d = 1;
  float f = 2;
  int32 i32 = 3;
  int64 i64 = 4;
  uint64 u64 = 5;
  sint32 s32 = 6;
  fixed64 f64 = 7;
  bool flag = 8;
  string text = 9;
  bytes data = 10;
  Kind kind = 11;
  Inner inner = 12;
  repeated string tags = 13;
  repeated int32 numbers = 14 [packed = false];
  map<string, int32> counts = 15;
  map<int64, Inner> by_id = 16;
  map<bool, Kind> flags = 17;
  optional int32 maybe = 18;
  // Who it is.
  oneof who {
// The name to use.
string name = 19;
int32 id = 20;
  }
  string renamed = 21 [json_name = "otherName", deprecated = true];
  google.protobuf.Timestamp at = 22;
  google.protobuf.Duration took = 23;
  google.protobuf.Int64Value big = 24;
  google.protobuf.StringValue note = 25;
  google.protobuf.Struct doc = 26;
  google.protobuf.Value any_value = 27;
  google.protobuf.ListValue list = 28;
  google.protobuf.FieldMask mask = 29;
  google.protobuf.Any extra = 30;
  google.protobuf.Empty nothing = 31;
  repeated Inner inners = 32;
  google.protobuf.NullValue null = 33;
  map<string, google.protobuf.Value> values = 34;
  repeated google.protobuf.Timestamp times = 35;

  reserved 40, 50 to 60, 1000 to max;
  reserved "gone", "lost";
}

// A tree, whose template stops where it recurs.
message Node {
  string name = 1;
  Node parent = 2;
  repeated Node children = 3;
  map<string, Node> named = 4;
  Leaf leaf = 5;
}

message Leaf { // The end of a branch.
  option deprecated = true;
  Node back = 1;
  int32 weight = 2;
}

// Old ways.
service Demo {
  option deprecated = true;

  // Gone soon.
  rpc Old(Node) returns (google.protobuf.Empty) {
option deprecated = true;
  }
  rpc Feed(Everything) returns (stream Everything);
}
"#;

/// A proto2 file: required and optional labels, defaults, groups, extension ranges, aliases.
const LEGACY: &str = r#"syntax = "proto2";

package legacy;

message Old {
  required string id = 1;
  optional int32 count = 2 [default = 7];
  optional string greeting = 3 [default = "hi \"there\""];
  repeated int64 values = 4 [packed = true];
  optional group Result = 5 {
optional string url = 6;
  }
  optional Color color = 7 [default = GREEN];
  optional bytes raw = 8 [default = "\001x"];
  optional double ratio = 9 [default = inf];

  extensions 100 to 199;
}

enum Color {
  option allow_alias = true;
  RED = 0;
  GREEN = 1;
  VERDE = 1;
}
"#;

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

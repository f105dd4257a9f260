//! Stub files, from text to the answers: errors with their positions, matching, choosing,
//! misses and templates.

mod errors;
mod matching;
mod properties;
mod templates;

use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};

use super::*;

const PROTO: &str = r#"
syntax = "proto3";
package shop;

service Shop {
  rpc Get(Order) returns (Order);
  rpc List(Order) returns (stream Order);
  rpc Upload(stream Order) returns (Order);
  rpc Chat(stream Order) returns (stream Order);
}

enum Color {
  COLOR_UNSPECIFIED = 0;
  RED = 1;
  GREEN = 2;
}

message Line {
  string sku = 1;
  int32 qty = 2;
}

message Order {
  string name = 1;
  int64 id = 2;
  repeated Line lines = 3;
  Line first = 4;
  Color color = 5;
  repeated string tags = 6;
  bool paid = 7;
  bytes blob = 8;
  map<string, string> labels = 9;
  int32 count = 10;
  string customer_name = 11;
}
"#;

/// The test service's descriptors, with RouteGuide's beside them.
pub(super) fn pool() -> DescriptorPool {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shop.proto"), PROTO).unwrap();
    let set = protox::compile([dir.path().join("shop.proto")], [dir.path()]).unwrap();
    let mut pool = DescriptorPool::decode(crate::api::FILE_DESCRIPTOR_SET).unwrap();
    pool.add_file_descriptor_set(set).unwrap();
    pool
}

pub(super) fn order_type(pool: &DescriptorPool) -> MessageDescriptor {
    pool.get_message_by_name("shop.Order").unwrap()
}

pub(super) fn order(pool: &DescriptorPool, json: serde_json::Value) -> DynamicMessage {
    DynamicMessage::deserialize(order_type(pool), json).unwrap()
}

pub(super) fn load(text: &str) -> Result<Vec<Stub>, String> {
    load_text(text, "stubs.yaml", &pool()).map_err(|err| err.to_string())
}

pub(super) fn set(text: &str) -> StubSet {
    StubSet::new(load(text).unwrap())
}

#[test]
fn stubs_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Stub>();
    shared::<StubSet>();
    shared::<RequestMatcher>();
    shared::<StubError>();
}

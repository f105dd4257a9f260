//! A node as JSON, for the proto3 JSON parser.

use super::{Node, Value};

pub fn to_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(value) => serde_json::Value::Bool(*value),
        Value::Number(number) => serde_json::Value::Number(number.clone()),
        Value::String(text) => serde_json::Value::String(text.clone()),
        Value::Sequence(items) => items.iter().map(to_json).collect(),
        Value::Mapping(entries) => entries
            .iter()
            .map(|(key, node)| (key.text.clone(), to_json(node)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

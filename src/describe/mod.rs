//! What `apicli describe` prints about a symbol: its definition in `.proto` syntax (the default),
//! its descriptor as JSON (`-o json`), or a JSON request skeleton (`--template`).

mod comments;
mod export;
#[cfg(test)]
mod fixtures;
mod options;
mod proto_text;
mod template;

use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, Value};

pub use export::{descriptor_set, with_imports, write_protos, write_protoset};
pub use proto_text::{proto_file, proto_text};
pub use template::template_text;

use crate::descriptors::Symbol;

/// The symbol's descriptor (a `google.protobuf.ServiceDescriptorProto`, `DescriptorProto`,
/// `FieldDescriptorProto`…) as proto3 JSON: `{"name":"Point","field":[{"name":"latitude",…}]}`.
/// Fields come in the descriptor's declaration order, custom options as `"[pkg.option]"` keys
/// in `options`. Source info is not part of it; `null` if the descriptor cannot be read back,
/// which does not happen with descriptors that came through a pool.
pub fn descriptor_json(symbol: &Symbol) -> String {
    // Written straight from the message, not through a serde_json::Value, whose maps would sort
    // the keys.
    with_custom_options(symbol)
        .or_else(|| plain(symbol))
        .and_then(|message| serde_json::to_string(&message).ok())
        .unwrap_or_else(|| "null".to_owned())
}

/// The descriptor read from its file as encoded in the pool, through the pool's own
/// `descriptor.proto`, so that the custom options the pool defines are read with it. `None`
/// when the pool lacks `descriptor.proto`, and so defines no custom option.
fn with_custom_options(symbol: &Symbol) -> Option<DynamicMessage> {
    let file = symbol.parent_file();
    let descriptor = file
        .parent_pool()
        .get_message_by_name("google.protobuf.FileDescriptorProto")?;
    let mut message = DynamicMessage::decode(descriptor, file.encode_to_vec().as_slice()).ok()?;
    for step in symbol.path().chunks(2) {
        let &[number, index] = step else { return None };
        let Value::List(items) = message
            .get_field_by_number(u32::try_from(number).ok()?)?
            .into_owned()
        else {
            return None;
        };
        let Some(Value::Message(item)) = items.into_iter().nth(usize::try_from(index).ok()?) else {
            return None;
        };
        message = item;
    }
    Some(message)
}

/// The descriptor as prost-types holds it, read through the global pool.
fn plain(symbol: &Symbol) -> Option<DynamicMessage> {
    let (type_name, encoded) = match symbol {
        Symbol::Service(service) => (
            "ServiceDescriptorProto",
            service.service_descriptor_proto().encode_to_vec(),
        ),
        Symbol::Method(method) => (
            "MethodDescriptorProto",
            method.method_descriptor_proto().encode_to_vec(),
        ),
        Symbol::Message(message) => (
            "DescriptorProto",
            message.descriptor_proto().encode_to_vec(),
        ),
        Symbol::Enum(enumeration) => (
            "EnumDescriptorProto",
            enumeration.enum_descriptor_proto().encode_to_vec(),
        ),
        Symbol::EnumValue(value) => (
            "EnumValueDescriptorProto",
            value.enum_value_descriptor_proto().encode_to_vec(),
        ),
        Symbol::Field(field) => (
            "FieldDescriptorProto",
            field.field_descriptor_proto().encode_to_vec(),
        ),
    };
    // The global pool always holds google/protobuf/descriptor.proto.
    let descriptor =
        DescriptorPool::global().get_message_by_name(&format!("google.protobuf.{type_name}"))?;
    DynamicMessage::decode(descriptor, encoded.as_slice()).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{fixtures::*, *};

    fn parsed(json: &str) -> serde_json::Value {
        serde_json::from_str(json).expect("descriptor JSON parses")
    }

    #[test]
    fn descriptor_fields_keep_their_declaration_order() {
        assert!(
            descriptor_json(&builtin("routeguide.Point"))
                .starts_with(r#"{"name":"Point","field":[{"name":"latitude","number":1,"#),
        );
    }

    #[test]
    fn descriptors_are_their_proto3_json() {
        assert_eq!(
            parsed(&descriptor_json(&builtin("routeguide.Point"))),
            json!({
                "name": "Point",
                "field": [
                    {"name": "latitude", "number": 1, "label": "LABEL_OPTIONAL",
                     "type": "TYPE_INT32", "jsonName": "latitude"},
                    {"name": "longitude", "number": 2, "label": "LABEL_OPTIONAL",
                     "type": "TYPE_INT32", "jsonName": "longitude"},
                ]
            })
        );
        assert_eq!(
            parsed(&descriptor_json(&builtin(
                "routeguide.RouteGuide.RouteChat"
            ))),
            json!({
                "name": "RouteChat",
                "inputType": ".routeguide.RouteNote",
                "outputType": ".routeguide.RouteNote",
                "clientStreaming": true,
                "serverStreaming": true,
            })
        );
        let pool = pool();
        let service = parsed(&descriptor_json(&symbol(&pool, "demo.Demo")));
        assert_eq!(service["name"], "Demo");
        assert_eq!(service["options"], json!({"deprecated": true}));
        assert_eq!(service["method"][1]["name"], "Feed");
        let field = parsed(&descriptor_json(&symbol(&pool, "demo.Everything.renamed")));
        assert_eq!(field["jsonName"], "otherName");
        assert_eq!(field["options"], json!({"deprecated": true}));
        let value = parsed(&descriptor_json(&symbol(
            &pool,
            "demo.Everything.Kind.KIND_BIG",
        )));
        assert_eq!(
            value,
            json!({"name": "KIND_BIG", "number": 1, "options": {"deprecated": true}})
        );
        let enumeration = parsed(&descriptor_json(&symbol(&pool, "legacy.Color")));
        assert_eq!(enumeration["options"], json!({"allowAlias": true}));
        assert_eq!(enumeration["value"].as_array().map(Vec::len), Some(3));
    }
}

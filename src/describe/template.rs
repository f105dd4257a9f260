//! `apicli describe --template`: a JSON skeleton of a request message, every field present
//! with a zero value, ready to be edited and sent back with `-d`.

use std::collections::HashSet;

use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor};
use serde::ser::{Serialize, SerializeMap as _, SerializeSeq as _, Serializer};

/// The skeleton of `message` as proto3 JSON, pretty-printed with two spaces, ending with a
/// newline. Fields come in declaration order under their JSON names:
///
/// - scalars are their zero (64-bit integers as `"0"`, as proto3 JSON writes them), enums the
///   name of their first value;
/// - messages are filled in, except one already being filled in further up, which is `{}`;
/// - lists hold one element, maps one entry under a zero key;
/// - of each oneof only the first field is present, as only one may be set;
/// - the well-known types take their JSON forms (`"1970-01-01T00:00:00Z"`, `"0s"`, …); an Any
///   holds a `google.protobuf.Empty`.
pub fn template_text(message: &MessageDescriptor) -> String {
    let mut filler = Filler {
        root: message.clone(),
        expanding: Vec::new(),
    };
    let skeleton = filler.message(message);
    let mut text = serde_json::to_string_pretty(&skeleton).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// A JSON value that keeps its keys in the order they were added.
enum Skeleton {
    Null,
    Bool(bool),
    Zero,
    Text(String),
    List(Vec<Skeleton>),
    Object(Vec<(String, Skeleton)>),
}

impl Serialize for Skeleton {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Skeleton::Null => serializer.serialize_unit(),
            Skeleton::Bool(b) => serializer.serialize_bool(*b),
            Skeleton::Zero => serializer.serialize_u8(0),
            Skeleton::Text(s) => serializer.serialize_str(s),
            Skeleton::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Skeleton::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// Fills in the skeleton of one template.
struct Filler {
    /// The message the template is for.
    root: MessageDescriptor,
    /// The messages being filled in on the way to the current field.
    expanding: Vec<String>,
}

impl Filler {
    fn message(&mut self, message: &MessageDescriptor) -> Skeleton {
        if message.full_name() == "google.protobuf.Any" {
            return self.any(message);
        }
        if let Some(skeleton) = well_known(message.full_name()) {
            return skeleton;
        }
        if self
            .expanding
            .iter()
            .any(|name| name == message.full_name())
        {
            return Skeleton::Object(Vec::new());
        }
        self.expanding.push(message.full_name().to_owned());
        let mut oneofs_seen = HashSet::new();
        let mut entries = Vec::new();
        // Declaration order: `fields()` sorts by number.
        for raw in &message.descriptor_proto().field {
            let Some(field) = message.get_field_by_name(raw.name()) else {
                continue;
            };
            if let Some(oneof) = field.containing_oneof().filter(|o| !o.is_synthetic())
                && !oneofs_seen.insert(oneof.name().to_owned())
            {
                continue;
            }
            entries.push((field.json_name().to_owned(), self.field(&field)));
        }
        self.expanding.pop();
        Skeleton::Object(entries)
    }

    fn field(&mut self, field: &FieldDescriptor) -> Skeleton {
        match field.kind() {
            Kind::Message(entry) if field.is_map() => {
                let key = map_key(&entry.map_entry_key_field().kind());
                let value = self.value(&entry.map_entry_value_field().kind());
                Skeleton::Object(vec![(key, value)])
            }
            kind if field.is_list() => Skeleton::List(vec![self.value(&kind)]),
            kind => self.value(&kind),
        }
    }

    /// One value of a field of this kind.
    fn value(&mut self, kind: &Kind) -> Skeleton {
        match kind {
            Kind::Double
            | Kind::Float
            | Kind::Int32
            | Kind::Sint32
            | Kind::Sfixed32
            | Kind::Uint32
            | Kind::Fixed32 => Skeleton::Zero,
            Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 | Kind::Uint64 | Kind::Fixed64 => {
                Skeleton::Text("0".to_owned())
            }
            Kind::Bool => Skeleton::Bool(false),
            Kind::String | Kind::Bytes => Skeleton::Text(String::new()),
            Kind::Enum(enumeration) if enumeration.full_name() == "google.protobuf.NullValue" => {
                Skeleton::Null
            }
            Kind::Enum(enumeration) => {
                Skeleton::Text(enumeration.default_value().name().to_owned())
            }
            Kind::Message(message) => self.message(message),
        }
    }

    /// An Any must name a type its reader knows: `google.protobuf.Empty` (with its JSON under
    /// "value", as for every well-known type) when the descriptors have it, as they usually do;
    /// else a message of the template's own files, with no fields set.
    fn any(&self, any: &MessageDescriptor) -> Skeleton {
        let type_url = |name: &str| Skeleton::Text(format!("type.googleapis.com/{name}"));
        let pool = any.parent_pool();
        if pool.get_message_by_name("google.protobuf.Empty").is_some() {
            return Skeleton::Object(vec![
                ("@type".to_owned(), type_url("google.protobuf.Empty")),
                ("value".to_owned(), Skeleton::Object(Vec::new())),
            ]);
        }
        let plain = |m: &MessageDescriptor| {
            !m.full_name().starts_with("google.protobuf.") && !m.is_map_entry()
        };
        let payload = std::iter::once(self.root.clone())
            .chain(pool.all_messages())
            .find(plain);
        match payload {
            Some(payload) => {
                Skeleton::Object(vec![("@type".to_owned(), type_url(payload.full_name()))])
            }
            None => Skeleton::Object(Vec::new()),
        }
    }
}

/// A map's zero key: JSON object keys are strings, whatever the key type.
fn map_key(kind: &Kind) -> String {
    match kind {
        Kind::String => String::new(),
        Kind::Bool => "false".to_owned(),
        _ => "0".to_owned(),
    }
}

/// The JSON form of a well-known type's zero value, for the types that have their own.
fn well_known(full_name: &str) -> Option<Skeleton> {
    let name = full_name.strip_prefix("google.protobuf.")?;
    Some(match name {
        "Timestamp" => Skeleton::Text("1970-01-01T00:00:00Z".to_owned()),
        "Duration" => Skeleton::Text("0s".to_owned()),
        "DoubleValue" | "FloatValue" | "Int32Value" | "UInt32Value" => Skeleton::Zero,
        "Int64Value" | "UInt64Value" => Skeleton::Text("0".to_owned()),
        "BoolValue" => Skeleton::Bool(false),
        "StringValue" | "BytesValue" | "FieldMask" => Skeleton::Text(String::new()),
        "Value" => Skeleton::Null,
        "ListValue" => Skeleton::List(Vec::new()),
        "Struct" | "Empty" => Skeleton::Object(Vec::new()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use prost_reflect::{DescriptorPool, DynamicMessage};
    use serde_json::{Value, json};

    use super::*;
    use crate::{
        describe::fixtures::{any_without_empty, builtin, pool},
        descriptors::Symbol,
    };

    fn message(pool: &DescriptorPool, name: &str) -> MessageDescriptor {
        pool.get_message_by_name(name)
            .unwrap_or_else(|| panic!("no message {name}"))
    }

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    /// The keys of the top-level object, in the order the text has them.
    fn top_level_keys(text: &str) -> Vec<&str> {
        text.lines()
            .filter_map(|line| line.strip_prefix("  \""))
            .filter_map(|line| line.split_once("\":").map(|(key, _)| key))
            .collect()
    }

    #[test]
    fn route_notes_are_a_point_and_a_message() {
        let Symbol::Message(note) = builtin("routeguide.RouteNote") else {
            panic!("RouteNote is a message");
        };
        let text = template_text(&note);
        assert_eq!(
            text,
            "{\n  \"location\": {\n    \"latitude\": 0,\n    \"longitude\": 0\n  },\n  \
             \"message\": \"\"\n}\n"
        );
        assert_eq!(
            parsed(&text),
            json!({"location": {"latitude": 0, "longitude": 0}, "message": ""})
        );
        let Symbol::Message(summary) = builtin("routeguide.RouteSummary") else {
            panic!("RouteSummary is a message");
        };
        let text = template_text(&summary);
        assert_eq!(
            top_level_keys(&text),
            ["pointCount", "featureCount", "distance", "elapsedTime"]
        );
    }

    #[test]
    fn every_field_has_its_zero_in_declaration_order() {
        let pool = pool();
        let text = template_text(&message(&pool, "demo.Everything"));
        assert_eq!(
            parsed(&text),
            json!({
                "d": 0, "f": 0, "i32": 0, "i64": "0", "u64": "0", "s32": 0, "f64": "0",
                "flag": false, "text": "", "data": "",
                "kind": "KIND_UNSPECIFIED",
                "inner": {"label": ""},
                "tags": [""],
                "numbers": [0],
                "counts": {"": 0},
                "byId": {"0": {"label": ""}},
                "flags": {"false": "KIND_UNSPECIFIED"},
                "maybe": 0,
                "name": "",
                "otherName": "",
                "at": "1970-01-01T00:00:00Z",
                "took": "0s",
                "big": "0",
                "note": "",
                "doc": {},
                "anyValue": null,
                "list": [],
                "mask": "",
                "extra": {"@type": "type.googleapis.com/google.protobuf.Empty", "value": {}},
                "nothing": {},
                "inners": [{"label": ""}],
                "null": null,
                "values": {"": null},
                "times": ["1970-01-01T00:00:00Z"],
            })
        );
        let keys = top_level_keys(&text);
        assert_eq!(keys[..4], ["d", "f", "i32", "i64"]);
        // Only the first field of a oneof: `id` would contradict `name`.
        assert!(!keys.contains(&"id"), "{text}");
        assert_eq!(keys.last(), Some(&"times"));

        let legacy = template_text(&message(&pool, "legacy.Old"));
        assert_eq!(
            parsed(&legacy),
            json!({
                "id": "", "count": 0, "greeting": "", "values": ["0"],
                "result": {"url": ""}, "color": "RED", "raw": "", "ratio": 0,
            })
        );
    }

    #[test]
    fn recursion_stops_at_a_message_already_being_filled_in() {
        let pool = pool();
        assert_eq!(
            parsed(&template_text(&message(&pool, "demo.Node"))),
            json!({
                "name": "",
                "parent": {},
                "children": [{}],
                "named": {"": {}},
                "leaf": {"back": {}, "weight": 0},
            })
        );
        assert_eq!(
            parsed(&template_text(&message(&pool, "demo.Leaf"))),
            json!({
                "back": {"name": "", "parent": {}, "children": [{}], "named": {"": {}}, "leaf": {}},
                "weight": 0,
            })
        );
    }

    #[test]
    fn an_any_names_a_type_its_reader_knows() {
        let pool = any_without_empty();
        assert!(pool.get_message_by_name("google.protobuf.Empty").is_none());
        let holder = json!({"@type": "type.googleapis.com/holder.Holder"});
        assert_eq!(
            parsed(&template_text(&message(&pool, "holder.Holder"))),
            json!({"thing": holder, "things": [holder]})
        );
        assert_eq!(
            parsed(&template_text(&message(&pool, "google.protobuf.Any"))),
            holder
        );
    }

    #[test]
    fn every_template_parses_back_as_its_message() {
        let pools = [
            pool(),
            any_without_empty(),
            crate::descriptors::builtin_pool(),
        ];
        for pool in &pools {
            for message in pool.all_messages() {
                let text = template_text(&message);
                let mut json = serde_json::Deserializer::from_str(&text);
                if let Err(err) = DynamicMessage::deserialize(message.clone(), &mut json) {
                    panic!("{}: {err}\n{text}", message.full_name());
                }
            }
        }
    }
}

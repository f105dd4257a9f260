//! A message written in a stub file, checked against its type with the position of each fault:
//! unknown fields (with the nearest name) and values of the wrong kind point at their key or
//! value. What the walk lets through, the proto3 JSON parser checks last.

use prost_reflect::{DynamicMessage, FieldDescriptor, Kind, MessageDescriptor};

use super::{StubError, read::Source, render::JsonStep};
use crate::{
    spanned::{Node, Value, nearest},
    template::Template,
};

/// A string leaf with placeholders, and where it sits in the message's JSON.
#[derive(Debug, Clone)]
pub(crate) struct TemplateLeaf {
    pub path: Vec<JsonStep>,
    /// Where the leaf was written.
    pub at: crate::spanned::Position,
    pub template: Template,
}

/// A checked message: its JSON with each template leaf set to null, and the leaves.
pub(crate) struct Checked {
    pub json: serde_json::Value,
    pub message: DynamicMessage,
    pub templates: Vec<TemplateLeaf>,
}

/// Whether string leaves holding `{{` are templates (replies) or text (matches).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leaves {
    Templates,
    Text,
}

/// Checks `node` as a `descriptor` in proto3 JSON.
pub(crate) fn check(
    source: &Source<'_>,
    node: &Node,
    descriptor: &MessageDescriptor,
    leaves: Leaves,
) -> Result<Checked, StubError> {
    let mut walk = Walk {
        source,
        leaves,
        templates: Vec::new(),
        path: Vec::new(),
    };
    let json = walk.message(node, descriptor)?;
    let message =
        DynamicMessage::deserialize(descriptor.clone(), without_nulls(&json)).map_err(|err| {
            source.error(
                node.at,
                format!(
                    "not a {}: {}",
                    descriptor.full_name(),
                    first_line(&err.to_string())
                ),
            )
        })?;
    Ok(Checked {
        json,
        message,
        templates: walk.templates,
    })
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

struct Walk<'s, 'p> {
    source: &'s Source<'p>,
    leaves: Leaves,
    templates: Vec<TemplateLeaf>,
    path: Vec<JsonStep>,
}

impl Walk<'_, '_> {
    fn message(
        &mut self,
        node: &Node,
        descriptor: &MessageDescriptor,
    ) -> Result<serde_json::Value, StubError> {
        // The well-known types have JSON forms of their own (a Timestamp is a string, a Struct
        // any object): the proto3 JSON parser checks them.
        if descriptor.full_name().starts_with("google.protobuf.") {
            return Ok(node.to_json());
        }
        let entries = match &node.value {
            Value::Mapping(entries) => entries,
            Value::Null => return Ok(serde_json::Value::Null),
            _ => {
                return Err(self.source.error(
                    node.at,
                    format!(
                        "a {} must be a mapping, not {}",
                        descriptor.full_name(),
                        node.kind()
                    ),
                ));
            }
        };
        let mut object = serde_json::Map::new();
        for (key, value) in entries {
            let field = descriptor
                .get_field_by_json_name(&key.text)
                .or_else(|| descriptor.get_field_by_name(&key.text))
                .ok_or_else(|| {
                    let names: Vec<String> =
                        descriptor.fields().map(|f| f.name().to_owned()).collect();
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    let message = match nearest(&key.text, &names) {
                        Some(near) => format!(
                            "unknown field '{}' in {}; did you mean '{near}'?",
                            key.text,
                            descriptor.full_name()
                        ),
                        None => format!(
                            "unknown field '{}' in {}; its fields are: {}",
                            key.text,
                            descriptor.full_name(),
                            names.join(", ")
                        ),
                    };
                    self.source.error(key.at, message)
                })?;
            self.path.push(JsonStep::Key(key.text.clone()));
            let json = self.field(value, &field)?;
            self.path.pop();
            object.insert(key.text.clone(), json);
        }
        Ok(object.into())
    }

    fn field(
        &mut self,
        node: &Node,
        field: &FieldDescriptor,
    ) -> Result<serde_json::Value, StubError> {
        if let Some(json) = self.template(node)? {
            return Ok(json);
        }
        if matches!(node.value, Value::Null) {
            return Ok(serde_json::Value::Null);
        }
        if field.is_map() {
            let Value::Mapping(entries) = &node.value else {
                return Err(self.wrong(node, field, "a mapping"));
            };
            let value_kind = match field.kind() {
                Kind::Message(entry) => entry.map_entry_value_field(),
                _ => return Ok(node.to_json()),
            };
            let mut object = serde_json::Map::new();
            for (key, value) in entries {
                self.path.push(JsonStep::Key(key.text.clone()));
                let json = self.single(value, &value_kind, field)?;
                self.path.pop();
                object.insert(key.text.clone(), json);
            }
            return Ok(object.into());
        }
        if field.is_list() {
            let Value::Sequence(items) = &node.value else {
                return Err(self.wrong(node, field, "a list"));
            };
            let mut list = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                self.path.push(JsonStep::Index(index));
                list.push(self.single(item, field, field)?);
                self.path.pop();
            }
            return Ok(list.into());
        }
        self.single(node, field, field)
    }

    /// One value of `kind_of`'s kind (a list's element, a map's value, or a singular field).
    fn single(
        &mut self,
        node: &Node,
        kind_of: &FieldDescriptor,
        field: &FieldDescriptor,
    ) -> Result<serde_json::Value, StubError> {
        if let Some(json) = self.template(node)? {
            return Ok(json);
        }
        let fits = match (kind_of.kind(), &node.value) {
            (_, Value::Null) => true,
            (Kind::Message(descriptor), _) => return self.message(node, &descriptor),
            (Kind::String | Kind::Bytes, value) => matches!(value, Value::String(_)),
            (Kind::Bool, value) => matches!(value, Value::Bool(_)),
            (Kind::Enum(_), value) => matches!(value, Value::String(_) | Value::Number(_)),
            (_, Value::String(text)) => {
                matches!(text.as_str(), "NaN" | "Infinity" | "-Infinity")
                    || text.parse::<f64>().is_ok()
            }
            (_, value) => matches!(value, Value::Number(_)),
        };
        if !fits {
            let want = match kind_of.kind() {
                Kind::String => "a string",
                Kind::Bytes => "a string (base64)",
                Kind::Bool => "true or false",
                Kind::Enum(_) => "an enum value's name",
                _ => "a number",
            };
            return Err(self.wrong(node, field, want));
        }
        Ok(node.to_json())
    }

    fn wrong(&self, node: &Node, field: &FieldDescriptor, want: &str) -> StubError {
        let mut message = format!(
            "field '{}' of {} must be {want}, not {}",
            field.name(),
            field.parent_message().full_name(),
            node.kind()
        );
        if want == "a string" && matches!(node.value, Value::Number(_) | Value::Bool(_)) {
            message.push_str(" (quote it)");
        }
        self.source.error(node.at, message)
    }

    /// A reply's string leaf with placeholders: recorded, and null in the JSON checked.
    fn template(&mut self, node: &Node) -> Result<Option<serde_json::Value>, StubError> {
        let Value::String(text) = &node.value else {
            return Ok(None);
        };
        if self.leaves == Leaves::Text || !text.contains("{{") {
            return Ok(None);
        }
        let template = Template::parse_reply(text)
            .map_err(|err| self.source.error(node.at, err.message("this value")))?;
        self.templates.push(TemplateLeaf {
            path: self.path.clone(),
            at: node.at,
            template,
        });
        Ok(Some(serde_json::Value::Null))
    }
}

/// `json` with nulls left out of lists and objects: a template leaf in a list is null while the
/// rest of the message is checked, and proto3 JSON allows no null there.
pub(crate) fn without_nulls(json: &serde_json::Value) -> serde_json::Value {
    match json {
        serde_json::Value::Array(items) => items
            .iter()
            .filter(|item| !item.is_null())
            .map(without_nulls)
            .collect(),
        serde_json::Value::Object(fields) => fields
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(key, value)| (key.clone(), without_nulls(value)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        other => other.clone(),
    }
}

//! Rendering a message known only by its descriptor: proto3 JSON through prost-reflect, and
//! table cells from its top-level fields.

use std::{borrow::Cow, io};

use base64::Engine as _;
use prost_reflect::{
    DynamicMessage, FieldDescriptor, Kind, MessageDescriptor, ReflectMessage as _,
    SerializeOptions, Value,
};

use super::render::{Cell, Layout, Render};

impl Render for DynamicMessage {
    fn write_json<W: io::Write>(&self, out: &mut W, emit_defaults: bool) -> io::Result<()> {
        let options = SerializeOptions::new().skip_default_fields(!emit_defaults);
        let mut serializer = serde_json::Serializer::new(out);
        self.serialize_with_options(&mut serializer, &options)
            .map_err(io::Error::from)
    }

    fn layout(&self) -> Layout {
        let descriptor = self.descriptor();
        match list_field(&descriptor) {
            Some((field, element)) => Layout {
                columns: column_names(&element),
                list: Some(field.name().to_owned()),
            },
            None => Layout {
                columns: column_names(&descriptor),
                list: None,
            },
        }
    }

    fn rows<F>(&self, mut row: F) -> io::Result<()>
    where
        F: FnMut(&[Cell<'_>]) -> io::Result<()>,
    {
        let descriptor = self.descriptor();
        let Some((field, _)) = list_field(&descriptor) else {
            return row(&cells(self));
        };
        if let Value::List(elements) = &*self.get_field(&field) {
            for element in elements {
                if let Value::Message(element) = element {
                    row(&cells(element))?;
                }
            }
        }
        Ok(())
    }
}

/// The field of a message whose only field is a repeated message, and that message's type.
fn list_field(message: &MessageDescriptor) -> Option<(FieldDescriptor, MessageDescriptor)> {
    let mut fields = message.fields();
    let field = fields.next()?;
    if fields.next().is_some() || !field.is_list() {
        return None;
    }
    match field.kind() {
        Kind::Message(element) => Some((field, element)),
        _ => None,
    }
}

fn column_names(message: &MessageDescriptor) -> Vec<String> {
    message.fields().map(|f| f.name().to_owned()).collect()
}

/// One cell per top-level field: scalars as themselves, everything else as compact JSON.
fn cells(message: &DynamicMessage) -> Vec<Cell<'static>> {
    message
        .descriptor()
        .fields()
        .map(|field| {
            if field.supports_presence() && !message.has_field(&field) {
                return Cell::Text(Cow::Borrowed(""));
            }
            cell(&field, &message.get_field(&field))
        })
        .collect()
}

fn cell(field: &FieldDescriptor, value: &Value) -> Cell<'static> {
    match value {
        Value::Bool(b) => Cell::Text(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::I32(n) => Cell::Int(i64::from(*n)),
        Value::I64(n) => Cell::Int(*n),
        Value::U32(n) => Cell::Int(i64::from(*n)),
        Value::U64(n) => Cell::Number(n.to_string()),
        Value::F32(n) => Cell::Number(n.to_string()),
        Value::F64(n) => Cell::Number(n.to_string()),
        Value::String(s) => Cell::Text(Cow::Owned(s.clone())),
        Value::Bytes(b) => Cell::Text(Cow::Owned(
            base64::engine::general_purpose::STANDARD.encode(b),
        )),
        Value::EnumNumber(n) => {
            let name = match field.kind() {
                Kind::Enum(e) => e.get_value(*n).map(|v| v.name().to_owned()),
                _ => None,
            };
            Cell::Text(Cow::Owned(name.unwrap_or_else(|| n.to_string())))
        }
        Value::Message(m) => Cell::Text(Cow::Owned(json_text(m))),
        Value::List(_) | Value::Map(_) => Cell::Text(Cow::Owned(list_json(field, value))),
    }
}

/// A nested message as compact proto3 JSON (well-known types in their JSON forms).
fn json_text(message: &DynamicMessage) -> String {
    let mut out = Vec::new();
    match message.write_json(&mut out, false) {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(err) => format!("<{err}>"),
    }
}

/// A list or map field as compact JSON: wrap it in a message of its own type, serialize that, and
/// take the field's value back out.
fn list_json(field: &FieldDescriptor, value: &Value) -> String {
    let mut holder = DynamicMessage::new(field.parent_message().clone());
    holder.set_field(field, value.clone());
    let text = json_text(&holder);
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(mut object)) => object
            .remove(field.json_name())
            .map_or_else(|| empty_of(value).to_owned(), |v| v.to_string()),
        _ => text,
    }
}

fn empty_of(value: &Value) -> &'static str {
    match value {
        Value::Map(_) => "{}",
        _ => "[]",
    }
}

//! Rendering a message known only by its descriptor: proto3 JSON through prost-reflect, and
//! table cells from its top-level fields.

use std::{borrow::Cow, io};

use base64::Engine as _;
use prost_reflect::{
    DynamicMessage, FieldDescriptor, Kind, MessageDescriptor, ReflectMessage as _,
    SerializeOptions, Value,
};

use super::{
    render::{Cell, Layout, Render},
    text_format::text_format,
};

impl Render for DynamicMessage {
    fn write_json<W: io::Write>(&self, out: &mut W, emit_defaults: bool) -> io::Result<()> {
        if emit_defaults {
            let options = SerializeOptions::new().skip_default_fields(false);
            return serialize(self, out, &options);
        }
        write_message(self, out)
    }

    fn text(&self) -> io::Result<String> {
        Ok(text_format(self))
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

/// prost-reflect's proto3 JSON serializer, the reference for every case.
fn serialize<W: io::Write>(
    message: &DynamicMessage,
    out: &mut W,
    options: &SerializeOptions,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::new(out);
    message
        .serialize_with_options(&mut serializer, options)
        .map_err(io::Error::from)
}

/// The proto3 JSON of a message without its default values, as prost-reflect writes it (fields in
/// number order), written directly: about twice as fast on a stream of small messages, which is
/// where it matters. Well-known types and extensions go to prost-reflect itself.
fn write_message<W: io::Write>(message: &DynamicMessage, out: &mut W) -> io::Result<()> {
    let descriptor = message.descriptor();
    // prost-reflect writes a NaN or infinite float wrapper as null, which reads back as unset.
    if let ("google.protobuf.DoubleValue" | "google.protobuf.FloatValue", Some(value)) =
        (descriptor.full_name(), descriptor.get_field(1))
    {
        return write_value(out, &value, &message.get_field(&value));
    }
    if descriptor.full_name().starts_with("google.protobuf.")
        || message.extensions().next().is_some()
    {
        return serialize(message, out, &SerializeOptions::new());
    }
    out.write_all(b"{")?;
    for (i, (field, value)) in message.fields().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_str(out, field.json_name())?;
        out.write_all(b":")?;
        write_value(out, &field, value)?;
    }
    out.write_all(b"}")
}

fn write_value<W: io::Write>(
    out: &mut W,
    field: &FieldDescriptor,
    value: &Value,
) -> io::Result<()> {
    match value {
        Value::Bool(b) => out.write_all(if *b { b"true" } else { b"false" }),
        Value::I32(n) => out.write_all(itoa::Buffer::new().format(*n).as_bytes()),
        Value::U32(n) => out.write_all(itoa::Buffer::new().format(*n).as_bytes()),
        // 64-bit integers are strings in proto3 JSON.
        Value::I64(n) => write_quoted(out, itoa::Buffer::new().format(*n)),
        Value::U64(n) => write_quoted(out, itoa::Buffer::new().format(*n)),
        Value::F32(n) if n.is_finite() => serde_json::to_writer(out, n).map_err(io::Error::from),
        Value::F64(n) if n.is_finite() => serde_json::to_writer(out, n).map_err(io::Error::from),
        Value::F32(n) => write_quoted(out, non_finite(f64::from(*n))),
        Value::F64(n) => write_quoted(out, non_finite(*n)),
        Value::String(s) => write_str(out, s),
        Value::Bytes(b) => write_quoted(out, &base64::engine::general_purpose::STANDARD.encode(b)),
        Value::EnumNumber(n) => match field.kind() {
            Kind::Enum(e) if e.full_name() == "google.protobuf.NullValue" => out.write_all(b"null"),
            Kind::Enum(e) => match e.get_value(*n) {
                Some(v) => write_str(out, v.name()),
                None => out.write_all(itoa::Buffer::new().format(*n).as_bytes()),
            },
            _ => out.write_all(itoa::Buffer::new().format(*n).as_bytes()),
        },
        Value::Message(m) => write_message(m, out),
        Value::List(values) => {
            out.write_all(b"[")?;
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write_value(out, field, value)?;
            }
            out.write_all(b"]")
        }
        // Maps are rare on hot paths: let prost-reflect write the field.
        Value::Map(_) => out.write_all(list_json(field, value).as_bytes()),
    }
}

fn non_finite(n: f64) -> &'static str {
    if n.is_nan() {
        "NaN"
    } else if n > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}

fn write_str<W: io::Write>(out: &mut W, s: &str) -> io::Result<()> {
    serde_json::to_writer(out, s).map_err(io::Error::from)
}

fn write_quoted<W: io::Write>(out: &mut W, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    out.write_all(s.as_bytes())?;
    out.write_all(b"\"")
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
    let mut out = Vec::new();
    if let Err(err) = serialize(&holder, &mut out, &SerializeOptions::new()) {
        return format!("<{err}>");
    }
    let text = String::from_utf8_lossy(&out);
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(mut object)) => object
            .remove(field.json_name())
            .map_or_else(|| empty_of(value).to_owned(), |v| v.to_string()),
        _ => text.into_owned(),
    }
}

fn empty_of(value: &Value) -> &'static str {
    match value {
        Value::Map(_) => "{}",
        _ => "[]",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost_reflect::DescriptorPool;

    const PROTO: &str = r#"
        syntax = "proto3";
        package t;
        import "google/protobuf/timestamp.proto";
        import "google/protobuf/struct.proto";
        import "google/protobuf/wrappers.proto";
        enum Colour { RED = 0; GREEN = 1; }
        message Inner { string text = 1; repeated int64 big = 2; }
        message All {
          int32 i32 = 1; int64 i64 = 2; uint32 u32 = 3; uint64 u64 = 4; sint32 s32 = 5;
          fixed64 f64 = 6; float fl = 7; double db = 8; bool yes = 9; string text = 10;
          bytes raw = 11; Colour colour = 12; Inner inner = 13; repeated Inner inners = 14;
          map<string, int32> counts = 15; google.protobuf.Timestamp at = 16;
          google.protobuf.Value any_value = 17; google.protobuf.NullValue nothing = 18;
          optional int32 maybe = 19; repeated Colour colours = 20;
          google.protobuf.Int64Value wrapped = 21; double nan = 22; float inf = 23;
          oneof choice { string name = 24; Inner detail = 25; }
        }
        message Items { repeated Inner items = 1; }
    "#;

    fn pool() -> DescriptorPool {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.proto"), PROTO).unwrap();
        protox::Compiler::new([dir.path()])
            .unwrap()
            .open_file("t.proto")
            .unwrap()
            .descriptor_pool()
    }

    fn message(pool: &DescriptorPool, name: &str, json: &str) -> DynamicMessage {
        let descriptor = pool.get_message_by_name(name).unwrap();
        let mut de = serde_json::Deserializer::from_str(json);
        DynamicMessage::deserialize(descriptor, &mut de).unwrap()
    }

    fn fast(message: &DynamicMessage) -> String {
        let mut out = Vec::new();
        message.write_json(&mut out, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn reference(message: &DynamicMessage) -> String {
        let mut out = Vec::new();
        serialize(message, &mut out, &SerializeOptions::new()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_direct_writer_matches_prost_reflect() {
        let pool = pool();
        let cases = [
            "{}",
            r#"{"i32": -5, "i64": "-9007199254740993", "u32": 7, "u64": "18446744073709551615",
                "s32": -1, "f64": "3", "fl": 1.5, "db": 0.1, "yes": true, "text": "a \"q\" \n é",
                "raw": "AAEC/w==", "colour": "GREEN", "inner": {"text": "x", "big": ["1", "-2"]},
                "inners": [{}, {"text": "y"}], "counts": {"a": 1},
                "at": "2024-01-02T03:04:05.500Z", "anyValue": {"k": [1, "two", null]},
                "nothing": null, "maybe": 0, "colours": ["RED", "GREEN", 7],
                "wrapped": "12", "nan": "NaN", "inf": "-Infinity", "detail": {"text": "d"}}"#,
            r#"{"name": "", "colour": 9, "db": 1e300, "fl": 3.4e38}"#,
        ];
        for json in cases {
            let m = message(&pool, "t.All", json);
            assert_eq!(fast(&m), reference(&m), "{json}");
        }
        let items = message(&pool, "t.Items", r#"{"items": [{"text": "a"}, {}]}"#);
        assert_eq!(fast(&items), reference(&items));
        // A map's entries come in no fixed order: compare the values.
        let map = message(&pool, "t.All", r#"{"counts": {"a": 1, "b": 2, "c": 3}}"#);
        let parse = |text: String| serde_json::from_str::<serde_json::Value>(&text).unwrap();
        assert_eq!(parse(fast(&map)), parse(reference(&map)));
    }

    #[test]
    fn tables_take_scalars_as_cells_and_the_rest_as_json() {
        let pool = pool();
        let m = message(
            &pool,
            "t.All",
            r#"{"i32": 3, "text": "hi", "inner": {"text": "x"}, "colours": ["GREEN"]}"#,
        );
        let layout = m.layout();
        assert_eq!(layout.list, None);
        assert_eq!(layout.columns[0], "i32");
        let mut rows = Vec::new();
        m.rows(|cells| {
            rows.push(cells.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>());
            Ok(())
        })
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][0], "Int(3)");
        assert_eq!(rows[0][9], "Text(\"hi\")");
        assert_eq!(rows[0][12], "Text(\"{\\\"text\\\":\\\"x\\\"}\")");
        assert_eq!(rows[0][19], "Text(\"[\\\"GREEN\\\"]\")");

        let items = message(&pool, "t.Items", r#"{"items": [{"text": "a"}, {}]}"#);
        assert_eq!(items.layout().list.as_deref(), Some("items"));
        let mut count = 0;
        items
            .rows(|_| {
                count += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(count, 2);
    }
}

//! One-line declarations in `.proto` text: a field (or a group, whose message it opens) and an
//! enum value, with the label, type name and bracketed options that make them.

use std::fmt::Write as _;

use prost_reflect::{Cardinality, EnumValueDescriptor, FieldDescriptor, Kind, Syntax};

use super::Printer;
use crate::describe::options::{quote_string, set_options};

impl Printer<'_> {
    pub(super) fn field(&mut self, depth: usize, field: &FieldDescriptor) {
        if field.is_group()
            && let Kind::Message(group) = field.kind()
        {
            let mut opening = label(field).map_or_else(String::new, |l| format!("{l} "));
            let _ = write!(
                opening,
                "group {} = {}{} {{",
                group.name(),
                field.number(),
                field_options(field)
            );
            self.commented(depth, field.path(), &opening, true);
            self.message_body(depth + 1, &group);
            self.line(depth, "}");
            return;
        }
        let mut text = label(field).map_or_else(String::new, |l| format!("{l} "));
        let _ = write!(
            text,
            "{} {} = {}{};",
            type_name(field, self.absolute),
            field.name(),
            field.number(),
            field_options(field)
        );
        self.commented(depth, field.path(), &text, false);
    }
    pub(super) fn enum_value(&mut self, depth: usize, value: &EnumValueDescriptor) {
        let text = format!(
            "{} = {}{};",
            value.name(),
            value.number(),
            bracketed(set_options(&value.options()))
        );
        self.commented(depth, value.path(), &text, false);
    }
}
/// `repeated`, `optional` (proto2, or proto3's explicit presence) or `required`; nothing for
/// maps, oneof members and plain proto3 fields.
pub(super) fn label(field: &FieldDescriptor) -> Option<&'static str> {
    if field.is_map() || field.containing_oneof().is_some_and(|o| !o.is_synthetic()) {
        return None;
    }
    match field.cardinality() {
        Cardinality::Repeated => Some("repeated"),
        Cardinality::Required => Some("required"),
        Cardinality::Optional => (field.parent_file().syntax() == Syntax::Proto2
            || field.field_descriptor_proto().proto3_optional())
        .then_some("optional"),
    }
}

/// The field's type: a scalar's keyword, a message or enum's full name, or `map<K, V>`.
/// `absolute`: a message or enum's name starts with a dot (`.pkg.Type`), which no scope can
/// shadow.
fn type_name(field: &FieldDescriptor, absolute: bool) -> String {
    match field.kind() {
        Kind::Message(entry) if field.is_map() => format!(
            "map<{}, {}>",
            kind_name(&entry.map_entry_key_field().kind(), absolute),
            kind_name(&entry.map_entry_value_field().kind(), absolute)
        ),
        kind => kind_name(&kind, absolute),
    }
}

pub(super) fn kind_name(kind: &Kind, absolute: bool) -> String {
    let dot = if absolute { "." } else { "" };
    match kind {
        Kind::Message(message) => format!("{dot}{}", message.full_name()),
        Kind::Enum(enumeration) => format!("{dot}{}", enumeration.full_name()),
        scalar => scalar_name(scalar).to_owned(),
    }
}

fn scalar_name(kind: &Kind) -> &str {
    match kind {
        Kind::Double => "double",
        Kind::Float => "float",
        Kind::Int32 => "int32",
        Kind::Int64 => "int64",
        Kind::Uint32 => "uint32",
        Kind::Uint64 => "uint64",
        Kind::Sint32 => "sint32",
        Kind::Sint64 => "sint64",
        Kind::Fixed32 => "fixed32",
        Kind::Fixed64 => "fixed64",
        Kind::Sfixed32 => "sfixed32",
        Kind::Sfixed64 => "sfixed64",
        Kind::Bool => "bool",
        Kind::String => "string",
        Kind::Bytes => "bytes",
        Kind::Message(message) => message.full_name(),
        Kind::Enum(enumeration) => enumeration.full_name(),
    }
}

/// ` [default = 7, json_name = "x", deprecated = true]`, or nothing.
fn field_options(field: &FieldDescriptor) -> String {
    raw_field_options(
        field.field_descriptor_proto(),
        &field.kind(),
        &field.options(),
    )
}

/// The bracketed options of a field or an extension, from its descriptor.
pub(super) fn raw_field_options(
    raw: &prost_types::FieldDescriptorProto,
    kind: &Kind,
    set: &prost_reflect::DynamicMessage,
) -> String {
    let name = raw.name();
    let mut options = Vec::new();
    if let Some(default) = &raw.default_value {
        let text = match kind {
            Kind::String => quote_string(default),
            // Descriptors keep a bytes default escaped already.
            Kind::Bytes => format!("\"{default}\""),
            _ => default.clone(),
        };
        options.push(("default".to_owned(), text));
    }
    if let Some(json_name) = &raw.json_name
        && *json_name != default_json_name(name)
    {
        options.push(("json_name".to_owned(), quote_string(json_name)));
    }
    options.extend(set_options(set));
    bracketed(options)
}

fn bracketed(options: Vec<(String, String)>) -> String {
    if options.is_empty() {
        return String::new();
    }
    let options: Vec<String> = options
        .into_iter()
        .map(|(name, value)| format!("{name} = {value}"))
        .collect();
    format!(" [{}]", options.join(", "))
}

/// The JSON name protoc gives a field unless told otherwise: `point_count` → `pointCount`.
fn default_json_name(name: &str) -> String {
    let mut json = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            json.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            json.push(c);
        }
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::describe::fixtures::{custom_options, pool, symbol};
    use crate::describe::proto_text::proto_text;

    #[test]
    fn single_lines_for_fields_values_and_map_entries() {
        let pool = pool();
        let text = |name: &str| proto_text(&symbol(&pool, name));
        assert_eq!(
            text("demo.Everything.maybe"),
            "optional int32 maybe = 18;\n"
        );
        assert_eq!(
            text("demo.Everything.name"),
            "// The name to use.\nstring name = 19;\n"
        );
        assert_eq!(
            text("demo.Everything.by_id"),
            "map<int64, demo.Everything.Inner> by_id = 16;\n"
        );
        // The entry type is not in the source: the map field that makes it is.
        assert_eq!(
            text("demo.Everything.CountsEntry"),
            "map<string, int32> counts = 15;\n"
        );
        assert_eq!(
            text("demo.Everything.Kind.KIND_BIG"),
            "KIND_BIG = 1 [deprecated = true]; // Too big.\n"
        );
        assert_eq!(
            text("demo.Everything.Kind"),
            "\
// A kind of thing.
enum Kind {
  KIND_UNSPECIFIED = 0;
  KIND_BIG = 1 [deprecated = true]; // Too big.
  reserved 5, 7 to 9;
}
"
        );
    }

    #[test]
    fn proto2_labels_defaults_groups_and_aliases() {
        let pool = pool();
        assert_eq!(
            proto_text(&symbol(&pool, "legacy.Old")),
            "\
message Old {
  required string id = 1;
  optional int32 count = 2 [default = 7];
  optional string greeting = 3 [default = \"hi \\\"there\\\"\"];
  repeated int64 values = 4 [packed = true];

  optional group Result = 5 {
    optional string url = 6;
  }

  optional legacy.Color color = 7 [default = GREEN];
  optional bytes raw = 8 [default = \"\\001x\"];
  optional double ratio = 9 [default = inf];
  extensions 100 to 199;
}
"
        );
        assert_eq!(
            proto_text(&symbol(&pool, "legacy.Old.Result")),
            "optional group Result = 5 {\n  optional string url = 6;\n}\n"
        );
        assert_eq!(
            proto_text(&symbol(&pool, "legacy.Color")),
            "\
enum Color {
  option allow_alias = true;
  RED = 0;
  GREEN = 1;
  VERDE = 1;
}
"
        );
    }
    #[test]
    fn custom_options_are_shown_when_the_descriptors_keep_them() {
        let pool = custom_options();
        assert_eq!(
            proto_text(&symbol(&pool, "opts.Svc")),
            "\
service Svc {
  rpc Get(opts.Req) returns (opts.Req) {
    option (opts.rule) = { path: \"/v1/x\" codes: [1, 2] level: HIGH };
  }
}
"
        );
        assert_eq!(
            proto_text(&symbol(&pool, "opts.Req.id")),
            "string id = 1 [(opts.tag) = \"a\", (opts.tag) = \"b\"];\n"
        );
    }

    #[test]
    fn json_names_are_custom_only_when_they_differ() {
        assert_eq!(default_json_name("point_count"), "pointCount");
        assert_eq!(default_json_name("a__b_"), "aB");
        assert_eq!(default_json_name("already"), "already");
    }
}

//! `apicli describe SYMBOL`: a service, method, message, enum, enum value or field written back
//! in `.proto` syntax, with the comments of its source when the descriptors carry them.
//!
//! Type names are fully qualified without the leading dot (`routeguide.Point`), so they read
//! the same whatever scope the symbol sits in. Members come in the order protoc's own printer
//! uses: options, nested messages, nested enums, fields (oneofs where their first field is),
//! extension ranges, reserved numbers and names.

use std::fmt::Write as _;

use prost_reflect::{
    Cardinality, DynamicMessage, EnumDescriptor, EnumValueDescriptor, FieldDescriptor, Kind,
    MessageDescriptor, MethodDescriptor, OneofDescriptor, ServiceDescriptor, Syntax,
};

use super::{
    comments::Comments,
    options::{quote_string, set_options},
};
use crate::descriptors::Symbol;

/// The largest field number, written `max` at the end of a range.
const MAX_FIELD_NUMBER: u32 = 536_870_911;

/// The symbol in `.proto` syntax, ending with a newline. A map's entry message or a group's
/// message is shown as the field that declares it, since that is how the source writes it.
pub fn proto_text(symbol: &Symbol) -> String {
    let file = symbol.parent_file();
    let mut printer = Printer {
        out: String::new(),
        comments: Comments::of(file.file_descriptor_proto()),
    };
    match symbol {
        Symbol::Service(service) => printer.service(service),
        Symbol::Method(method) => printer.method(0, method),
        Symbol::Message(message) => match declaring_field(message) {
            Some(field) => printer.field(0, &field),
            None => printer.message(0, message),
        },
        Symbol::Enum(enumeration) => printer.enumeration(0, enumeration),
        Symbol::EnumValue(value) => printer.enum_value(0, value),
        Symbol::Field(field) => printer.field(0, field),
    }
    printer.out
}

/// The map or group field whose type `message` was generated for, if it was.
fn declaring_field(message: &MessageDescriptor) -> Option<FieldDescriptor> {
    let parent = message.parent_message()?;
    parent.fields().find(|field| {
        (field.is_map() || field.is_group())
            && matches!(field.kind(), Kind::Message(m) if m.full_name() == message.full_name())
    })
}

/// Text being written, and the comments of the file it comes from.
struct Printer<'a> {
    out: String,
    comments: Comments<'a>,
}

/// What has been written in the current block so far, to set members apart: a blank line
/// comes before and after every nested block, and before every commented member.
#[derive(Default)]
struct Members {
    any: bool,
    after_block: bool,
}

impl Printer<'_> {
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// Starts a member of a block (a `block` itself when it has braces).
    fn gap(&mut self, members: &mut Members, path: &[i32], block: bool) {
        let commented = !self.comments.leading(path).is_empty();
        if members.any && (block || members.after_block || commented) {
            self.out.push('\n');
        }
        members.any = true;
        members.after_block = block;
    }

    /// `text` (a statement with its `;`, or a block's first line with its `{`) with the leading
    /// comments of the element at `path` above it and its trailing comment after it.
    fn commented(&mut self, depth: usize, path: &[i32], text: &str, opens_block: bool) {
        for line in self.comments.leading(path) {
            self.line(depth, &line);
        }
        match self.comments.trailing(path).as_slice() {
            [one] => self.line(depth, &format!("{text} {one}")),
            lines => {
                self.line(depth, text);
                let depth = if opens_block { depth + 1 } else { depth };
                for line in lines {
                    self.line(depth, line);
                }
            }
        }
    }

    /// `option NAME = VALUE;` lines for the options set on a service, message, enum or oneof.
    fn option_lines(&mut self, depth: usize, options: &DynamicMessage, members: &mut Members) {
        for (name, value) in set_options(options) {
            members.any = true;
            self.line(depth, &format!("option {name} = {value};"));
        }
    }

    fn service(&mut self, service: &ServiceDescriptor) {
        let opening = format!("service {} {{", service.name());
        self.commented(0, service.path(), &opening, true);
        let mut members = Members::default();
        self.option_lines(1, &service.options(), &mut members);
        for method in service.methods() {
            self.gap(&mut members, method.path(), false);
            self.method(1, &method);
        }
        self.line(0, "}");
    }

    fn method(&mut self, depth: usize, method: &MethodDescriptor) {
        let stream = |streaming: bool| if streaming { "stream " } else { "" };
        let signature = format!(
            "rpc {}({}{}) returns ({}{})",
            method.name(),
            stream(method.is_client_streaming()),
            method.input().full_name(),
            stream(method.is_server_streaming()),
            method.output().full_name(),
        );
        let options = set_options(&method.options());
        if options.is_empty() {
            self.commented(depth, method.path(), &format!("{signature};"), false);
            return;
        }
        self.commented(depth, method.path(), &format!("{signature} {{"), true);
        for (name, value) in options {
            self.line(depth + 1, &format!("option {name} = {value};"));
        }
        self.line(depth, "}");
    }

    fn message(&mut self, depth: usize, message: &MessageDescriptor) {
        let opening = format!("message {} {{", message.name());
        self.commented(depth, message.path(), &opening, true);
        self.message_body(depth + 1, message);
        self.line(depth, "}");
    }

    /// The inside of a message's (or a group's) braces.
    fn message_body(&mut self, depth: usize, message: &MessageDescriptor) {
        let mut members = Members::default();
        self.option_lines(depth, &message.options(), &mut members);
        let fields = fields_in_order(message);
        // Groups print their message inside the field, and maps write their entry type inline.
        let inline: Vec<String> = fields
            .iter()
            .filter(|field| field.is_group())
            .filter_map(|field| match field.kind() {
                Kind::Message(group) => Some(group.full_name().to_owned()),
                _ => None,
            })
            .collect();
        for child in message.child_messages() {
            if child.is_map_entry() || inline.iter().any(|name| name == child.full_name()) {
                continue;
            }
            self.gap(&mut members, child.path(), true);
            self.message(depth, &child);
        }
        for child in message.child_enums() {
            self.gap(&mut members, child.path(), true);
            self.enumeration(depth, &child);
        }
        let mut oneofs_done: Vec<String> = Vec::new();
        for field in &fields {
            match field
                .containing_oneof()
                .filter(|oneof| !oneof.is_synthetic())
            {
                Some(oneof) => {
                    if oneofs_done.iter().any(|name| name == oneof.name()) {
                        continue;
                    }
                    oneofs_done.push(oneof.name().to_owned());
                    self.gap(&mut members, oneof.path(), true);
                    self.oneof(depth, &oneof);
                }
                None => {
                    self.gap(&mut members, field.path(), field.is_group());
                    self.field(depth, field);
                }
            }
        }
        let extensions = ranges(
            message
                .extension_ranges()
                .map(|r| (r.start, r.end.saturating_sub(1))),
            MAX_FIELD_NUMBER,
        );
        if !extensions.is_empty() {
            self.gap(&mut members, &[], false);
            self.line(depth, &format!("extensions {extensions};"));
        }
        let reserved = ranges(
            message
                .reserved_ranges()
                .map(|r| (r.start, r.end.saturating_sub(1))),
            MAX_FIELD_NUMBER,
        );
        let names: Vec<String> = message.reserved_names().map(quote_string).collect();
        self.reserved(depth, &mut members, &reserved, &names);
    }

    fn reserved(&mut self, depth: usize, members: &mut Members, ranges: &str, names: &[String]) {
        if !ranges.is_empty() {
            self.gap(members, &[], false);
            self.line(depth, &format!("reserved {ranges};"));
        }
        if !names.is_empty() {
            self.gap(members, &[], false);
            self.line(depth, &format!("reserved {};", names.join(", ")));
        }
    }

    fn oneof(&mut self, depth: usize, oneof: &OneofDescriptor) {
        let opening = format!("oneof {} {{", oneof.name());
        self.commented(depth, oneof.path(), &opening, true);
        let mut members = Members::default();
        self.option_lines(depth + 1, &oneof.options(), &mut members);
        for field in oneof.fields() {
            self.gap(&mut members, field.path(), field.is_group());
            self.field(depth + 1, &field);
        }
        self.line(depth, "}");
    }

    fn field(&mut self, depth: usize, field: &FieldDescriptor) {
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
            type_name(field),
            field.name(),
            field.number(),
            field_options(field)
        );
        self.commented(depth, field.path(), &text, false);
    }

    fn enumeration(&mut self, depth: usize, enumeration: &EnumDescriptor) {
        let opening = format!("enum {} {{", enumeration.name());
        self.commented(depth, enumeration.path(), &opening, true);
        let mut members = Members::default();
        self.option_lines(depth + 1, &enumeration.options(), &mut members);
        // Declaration order: `values()` sorts by number.
        for raw in &enumeration.enum_descriptor_proto().value {
            if let Some(value) = enumeration.get_value_by_name(raw.name()) {
                self.gap(&mut members, value.path(), false);
                self.enum_value(depth + 1, &value);
            }
        }
        let reserved = ranges(
            enumeration
                .reserved_ranges()
                .map(|r| (i64::from(*r.start()), i64::from(*r.end()))),
            i64::from(i32::MAX),
        );
        let names: Vec<String> = enumeration.reserved_names().map(quote_string).collect();
        self.reserved(depth + 1, &mut members, &reserved, &names);
        self.line(depth, "}");
    }

    fn enum_value(&mut self, depth: usize, value: &EnumValueDescriptor) {
        let text = format!(
            "{} = {}{};",
            value.name(),
            value.number(),
            bracketed(set_options(&value.options()))
        );
        self.commented(depth, value.path(), &text, false);
    }
}

/// A message's fields as declared (`fields()` sorts them by number).
fn fields_in_order(message: &MessageDescriptor) -> Vec<FieldDescriptor> {
    let declared = &message.descriptor_proto().field;
    let mut fields: Vec<FieldDescriptor> = declared
        .iter()
        .filter_map(|raw| message.get_field_by_name(raw.name()))
        .collect();
    if fields.len() != message.fields().len() {
        fields = message.fields().collect();
    }
    fields
}

/// `repeated`, `optional` (proto2, or proto3's explicit presence) or `required`; nothing for
/// maps, oneof members and plain proto3 fields.
fn label(field: &FieldDescriptor) -> Option<&'static str> {
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
fn type_name(field: &FieldDescriptor) -> String {
    match field.kind() {
        Kind::Message(entry) if field.is_map() => format!(
            "map<{}, {}>",
            kind_name(&entry.map_entry_key_field().kind()),
            kind_name(&entry.map_entry_value_field().kind())
        ),
        kind => kind_name(&kind).to_owned(),
    }
}

fn kind_name(kind: &Kind) -> &str {
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
    let raw = field.field_descriptor_proto();
    let mut options = Vec::new();
    if let Some(default) = &raw.default_value {
        let text = match field.kind() {
            Kind::String => quote_string(default),
            // Descriptors keep a bytes default escaped already.
            Kind::Bytes => format!("\"{default}\""),
            _ => default.clone(),
        };
        options.push(("default".to_owned(), text));
    }
    if let Some(json_name) = &raw.json_name
        && *json_name != default_json_name(field.name())
    {
        options.push(("json_name".to_owned(), quote_string(json_name)));
    }
    options.extend(set_options(&field.options()));
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

/// `2, 9 to 11, 100 to max` from inclusive ranges.
fn ranges<N>(ranges: impl Iterator<Item = (N, N)>, max: N) -> String
where
    N: Copy + PartialEq + std::fmt::Display,
{
    let parts: Vec<String> = ranges
        .map(|(start, end)| {
            if start == end {
                start.to_string()
            } else if end == max {
                format!("{start} to max")
            } else {
                format!("{start} to {end}")
            }
        })
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::describe::fixtures::{
        builtin, custom_options, pool, pool_without_source_info, symbol,
    };

    #[test]
    fn services_carry_the_comments_of_the_built_in_files() {
        assert_eq!(
            proto_text(&builtin("routeguide.RouteGuide")),
            "\
// Interface exported by the server.
service RouteGuide {
  // A simple RPC.
  //
  // Obtains the feature at a given position.
  //
  // A feature with an empty name is returned if there's no feature at the given
  // position.
  rpc GetFeature(routeguide.Point) returns (routeguide.Feature);

  // A server-to-client streaming RPC.
  //
  // Obtains the Features available within the given Rectangle.  Results are
  // streamed rather than returned at once (e.g. in a response message with a
  // repeated field), as the rectangle may cover a large area and contain a
  // huge number of features.
  rpc ListFeatures(routeguide.Rectangle) returns (stream routeguide.Feature);

  // A client-to-server streaming RPC.
  //
  // Accepts a stream of Points on a route being traversed, returning a
  // RouteSummary when traversal is completed.
  rpc RecordRoute(stream routeguide.Point) returns (routeguide.RouteSummary);

  // A Bidirectional streaming RPC.
  //
  // Accepts a stream of RouteNotes sent while a route is being traversed,
  // while receiving other RouteNotes (e.g. from other users).
  rpc RouteChat(stream routeguide.RouteNote) returns (stream routeguide.RouteNote);
}
"
        );
        assert_eq!(
            proto_text(&builtin("routeguide.RouteGuide/RouteChat")),
            "\
// A Bidirectional streaming RPC.
//
// Accepts a stream of RouteNotes sent while a route is being traversed,
// while receiving other RouteNotes (e.g. from other users).
rpc RouteChat(stream routeguide.RouteNote) returns (stream routeguide.RouteNote);
"
        );
        assert_eq!(
            proto_text(&builtin("routeguide.Rectangle")),
            "\
// A latitude-longitude rectangle, represented as two diagonally opposite
// points \"lo\" and \"hi\".
message Rectangle {
  // One corner of the rectangle.
  routeguide.Point lo = 1;

  // The other corner of the rectangle.
  routeguide.Point hi = 2;
}
"
        );
        assert_eq!(
            proto_text(&builtin("routeguide.Point")),
            "\
// Points are represented as latitude-longitude pairs in the E7 representation
// (degrees multiplied by 10**7 and rounded to the nearest integer).
// Latitudes should be in the range +/- 90 degrees and longitude should be in
// the range +/- 180 degrees (inclusive).
message Point {
  int32 latitude = 1;
  int32 longitude = 2;
}
"
        );
        assert_eq!(
            proto_text(&builtin("routeguide.RouteNote.location")),
            "// The location from which the message is sent.\nrouteguide.Point location = 1;\n"
        );
    }

    #[test]
    fn messages_show_every_proto3_construct() {
        let pool = pool();
        assert_eq!(
            proto_text(&symbol(&pool, "demo.Everything")),
            "\
// Everything a template has to fill in.
message Everything {
  message Inner {
    string label = 1; // The label.
  }

  // A kind of thing.
  enum Kind {
    KIND_UNSPECIFIED = 0;
    KIND_BIG = 1 [deprecated = true]; // Too big.
    reserved 5, 7 to 9;
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
  demo.Everything.Kind kind = 11;
  demo.Everything.Inner inner = 12;
  repeated string tags = 13;
  repeated int32 numbers = 14 [packed = false];
  map<string, int32> counts = 15;
  map<int64, demo.Everything.Inner> by_id = 16;
  map<bool, demo.Everything.Kind> flags = 17;
  optional int32 maybe = 18;

  // Who it is.
  oneof who {
    // The name to use.
    string name = 19;
    int32 id = 20;
  }

  string renamed = 21 [json_name = \"otherName\", deprecated = true];
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
  repeated demo.Everything.Inner inners = 32;
  google.protobuf.NullValue null = 33;
  map<string, google.protobuf.Value> values = 34;
  repeated google.protobuf.Timestamp times = 35;
  reserved 40, 50 to 60, 1000 to max;
  reserved \"gone\", \"lost\";
}
"
        );
        assert_eq!(
            proto_text(&symbol(&pool, "demo.Demo")),
            "\
// Old ways.
service Demo {
  option deprecated = true;

  // Gone soon.
  rpc Old(demo.Node) returns (google.protobuf.Empty) {
    option deprecated = true;
  }
  rpc Feed(demo.Everything) returns (stream demo.Everything);
}
"
        );
    }

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
    fn without_source_info_there_are_no_comments() {
        let pool = pool_without_source_info();
        assert_eq!(
            proto_text(&symbol(&pool, "demo.Demo")),
            "\
service Demo {
  option deprecated = true;
  rpc Old(demo.Node) returns (google.protobuf.Empty) {
    option deprecated = true;
  }
  rpc Feed(demo.Everything) returns (stream demo.Everything);
}
"
        );
        let text = proto_text(&symbol(&pool, "demo.Everything"));
        assert!(!text.contains("//"), "{text}");
        assert!(
            text.starts_with("message Everything {\n  message Inner {\n"),
            "{text}"
        );
    }

    #[test]
    fn message_options_and_comments_after_a_brace() {
        assert_eq!(
            proto_text(&symbol(&pool(), "demo.Leaf")),
            "\
message Leaf { // The end of a branch.
  option deprecated = true;
  demo.Node back = 1;
  int32 weight = 2;
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

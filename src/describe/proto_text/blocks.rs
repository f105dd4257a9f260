//! The blocks of `.proto` text: services with their methods, messages with their members in
//! protoc's order, oneofs and enums, and the reserved and extension ranges that close them.

use prost_reflect::{
    EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor, MethodDescriptor, OneofDescriptor,
    ServiceDescriptor,
};

use super::{Members, Printer};
use crate::describe::options::{quote_string, set_options};

/// The largest field number, written `max` at the end of a range.
const MAX_FIELD_NUMBER: u32 = 536_870_911;
impl Printer<'_> {
    pub(super) fn service(&mut self, service: &ServiceDescriptor) {
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

    pub(super) fn method(&mut self, depth: usize, method: &MethodDescriptor) {
        let stream = |streaming: bool| if streaming { "stream " } else { "" };
        let dot = if self.absolute { "." } else { "" };
        let signature = format!(
            "rpc {}({}{dot}{}) returns ({}{dot}{})",
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

    pub(super) fn message(&mut self, depth: usize, message: &MessageDescriptor) {
        let opening = format!("message {} {{", message.name());
        self.commented(depth, message.path(), &opening, true);
        self.message_body(depth + 1, message);
        self.line(depth, "}");
    }

    /// The inside of a message's (or a group's) braces.
    pub(super) fn message_body(&mut self, depth: usize, message: &MessageDescriptor) {
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
        let extends_path = [message.path(), &[6]].concat();
        self.extends(
            depth,
            message.child_extensions(),
            &mut members,
            &extends_path,
        );
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
    pub(super) fn enumeration(&mut self, depth: usize, enumeration: &EnumDescriptor) {
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
    use crate::describe::fixtures::{builtin, pool, symbol};
    use crate::describe::proto_text::proto_text;

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
}

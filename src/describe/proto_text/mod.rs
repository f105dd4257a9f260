//! `apicli describe SYMBOL`: a service, method, message, enum, enum value or field written back
//! in `.proto` syntax, with the comments of its source when the descriptors carry them.
//!
//! Type names are fully qualified without the leading dot (`routeguide.Point`), so they read
//! the same whatever scope the symbol sits in. Members come in the order protoc's own printer
//! uses: options, nested messages, nested enums, fields (oneofs where their first field is),
//! extension ranges, reserved numbers and names.

mod blocks;
mod fields;
mod file;

use prost_reflect::{DynamicMessage, FieldDescriptor, Kind, MessageDescriptor};

use super::{comments::Comments, options::set_options};
use crate::descriptors::Symbol;

pub use file::proto_file;

/// The symbol in `.proto` syntax, ending with a newline. A map's entry message or a group's
/// message is shown as the field that declares it, since that is how the source writes it.
pub fn proto_text(symbol: &Symbol) -> String {
    let file = symbol.parent_file();
    let mut printer = Printer {
        out: String::new(),
        comments: Comments::of(file.file_descriptor_proto()),
        absolute: false,
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
    /// Type names with a leading dot (`.pkg.Type`), as a whole file needs them to resolve
    /// whatever its package; without it when one symbol is shown, for people.
    absolute: bool,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::describe::fixtures::{pool, pool_without_source_info, symbol};

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
}

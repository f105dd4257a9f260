//! A whole `.proto` file written back from its descriptor, for `describe --proto-out`: the
//! syntax, package, imports and file options, then the services, messages, enums and
//! extensions, in the order of the descriptor, with the comments of the source when known.
//! Type names start with a dot (`.pkg.Type`) so that they resolve from any package.

use std::fmt::Write as _;

use prost_reflect::{Cardinality, ExtensionDescriptor, FileDescriptor};

use super::{
    Members, Printer,
    fields::{kind_name, raw_field_options},
};
use crate::describe::{
    comments::Comments,
    options::{quote_string, set_options},
};

/// The file in `.proto` syntax, ending with a newline.
pub fn proto_file(file: &FileDescriptor) -> String {
    let raw = file.file_descriptor_proto();
    let mut printer = Printer {
        out: String::new(),
        comments: Comments::of(raw),
        absolute: true,
    };
    // Path numbers of FileDescriptorProto's fields: package 2, dependency 3, message_type 4,
    // enum_type 5, service 6, extension 7, options 8, syntax 12.
    // prost-reflect reads proto2 and proto3 files only.
    let syntax = if raw.syntax() == "proto3" {
        "proto3"
    } else {
        "proto2"
    };
    printer.commented(0, &[12], &format!("syntax = \"{syntax}\";"), false);
    if !raw.package().is_empty() {
        printer.out.push('\n');
        printer.commented(0, &[2], &format!("package {};", raw.package()), false);
    }
    if !raw.dependency.is_empty() {
        printer.out.push('\n');
    }
    for (index, name) in raw.dependency.iter().enumerate() {
        let index = i32::try_from(index).unwrap_or(i32::MAX);
        let modifier = if raw.public_dependency.contains(&index) {
            "public "
        } else if raw.weak_dependency.contains(&index) {
            "weak "
        } else {
            ""
        };
        let line = format!("import {modifier}{};", quote_string(name));
        printer.commented(0, &[3, index], &line, false);
    }
    let options = set_options(&file.options());
    if !options.is_empty() {
        printer.out.push('\n');
    }
    for (name, value) in options {
        printer.line(0, &format!("option {name} = {value};"));
    }
    // Every top-level block has a blank line above it.
    let mut members = Members {
        any: true,
        after_block: true,
    };
    for service in file.services() {
        printer.gap(&mut members, service.path(), true);
        printer.service(&service);
    }
    for message in file.messages() {
        printer.gap(&mut members, message.path(), true);
        printer.message(0, &message);
    }
    for enumeration in file.enums() {
        printer.gap(&mut members, enumeration.path(), true);
        printer.enumeration(0, &enumeration);
    }
    printer.extends(0, file.extensions(), &mut members, &[7]);
    printer.out
}

impl Printer<'_> {
    /// `extend pkg.Message { … }` blocks for `extensions`, one per extended message, in the
    /// order of their first extension. `path` is where the source info keeps the comments of
    /// the blocks: all share it, so only the first block (the first in the source) has its own.
    pub(super) fn extends(
        &mut self,
        depth: usize,
        extensions: impl Iterator<Item = ExtensionDescriptor>,
        members: &mut Members,
        path: &[i32],
    ) {
        let mut groups: Vec<(String, Vec<ExtensionDescriptor>)> = Vec::new();
        for extension in extensions {
            let extendee = extension.containing_message().full_name().to_owned();
            match groups.iter_mut().find(|(name, _)| *name == extendee) {
                Some((_, group)) => group.push(extension),
                None => groups.push((extendee, vec![extension])),
            }
        }
        let dot = if self.absolute { "." } else { "" };
        for (index, (extendee, group)) in groups.into_iter().enumerate() {
            let path = if index == 0 { path } else { &[] };
            self.gap(members, path, true);
            self.commented(depth, path, &format!("extend {dot}{extendee} {{"), true);
            for extension in group {
                self.extension(depth + 1, &extension);
            }
            self.line(depth, "}");
        }
    }

    fn extension(&mut self, depth: usize, extension: &ExtensionDescriptor) {
        let raw = extension.field_descriptor_proto();
        let proto2 = extension.parent_file().file_descriptor_proto().syntax() != "proto3";
        let label = match extension.cardinality() {
            Cardinality::Repeated => "repeated ",
            Cardinality::Required => "required ",
            Cardinality::Optional if proto2 || raw.proto3_optional() => "optional ",
            Cardinality::Optional => "",
        };
        let mut text = String::from(label);
        let _ = write!(
            text,
            "{} {} = {}{};",
            kind_name(&extension.kind(), self.absolute),
            extension.name(),
            extension.number(),
            raw_field_options(raw, &extension.kind(), &extension.options())
        );
        self.commented(depth, extension.path(), &text, false);
    }
}

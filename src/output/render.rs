//! What a printer needs of a response message, whatever its type: its proto3 JSON, and its
//! table rows. Generated types implement it by hand, dynamic messages through their descriptor
//! (`dynamic.rs`), so one printer per format serves every method.

use std::{borrow::Cow, io, sync::OnceLock};

use prost_reflect::{DescriptorPool, DynamicMessage};

use serde::Serialize;
use tonic_health::pb::HealthCheckResponse;

use super::text_format::text_format;
use crate::api::{Hello, Item, Items};

/// One cell of a table row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// An integer: right-aligned.
    Int(i64),
    /// Another number (unsigned 64-bit, floating point), already formatted: right-aligned.
    Number(String),
    /// Text: left-aligned, with control characters shown escaped.
    Text(Cow<'a, str>),
}

impl Cell<'_> {
    pub fn is_number(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// The table form of a message type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The column headers.
    pub columns: Vec<String>,
    /// For a message whose only field is a list of messages (like `api.Items`), that field's
    /// name: its rows are the list's elements, and a single response ends with a count.
    pub list: Option<String>,
}

/// A response message as the printers see it.
pub trait Render {
    /// Writes the message's proto3 JSON, compact, with no newline. `emit_defaults` includes
    /// fields that hold their default values.
    fn write_json<W: io::Write>(&self, out: &mut W, emit_defaults: bool) -> io::Result<()>;

    /// The message in the protobuf text format (`text_format.rs`), each line ending with a
    /// newline.
    fn text(&self) -> io::Result<String>;

    /// The columns of this message's rows.
    fn layout(&self) -> Layout;

    /// Calls `row` with the cells of each row, in column order: one row, or one per element
    /// of a list-shaped message.
    fn rows<F>(&self, row: F) -> io::Result<()>
    where
        F: FnMut(&[Cell<'_>]) -> io::Result<()>;
}

/// The text format of a generated message, read back through its descriptor.
fn generated_text<T: prost::Message>(message: &T, name: &str) -> io::Result<String> {
    let descriptor = generated_pool()
        .get_message_by_name(name)
        .ok_or_else(|| io::Error::other(format!("no descriptor of {name}")))?;
    let message = DynamicMessage::decode(descriptor, message.encode_to_vec().as_slice())
        .map_err(io::Error::other)?;
    Ok(text_format(&message))
}

/// The descriptors of the generated messages, read once, on the first `-o text`.
fn generated_pool() -> &'static DescriptorPool {
    static POOL: OnceLock<DescriptorPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut pool = DescriptorPool::new();
        // Both sets are built into the binary; a failure would be a build fault, and leaves the
        // pool without the message, which `generated_text` reports.
        let _ = pool.decode_file_descriptor_set(crate::api::FILE_DESCRIPTOR_SET);
        let _ = pool.decode_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET);
        pool
    })
}

/// The proto3 JSON of a generated message, through its pbjson `Serialize`.
fn serde_json_line<T: Serialize, W: io::Write>(message: &T, out: &mut W) -> io::Result<()> {
    serde_json::to_writer(out, message).map_err(io::Error::from)
}

fn columns(names: &[&str]) -> Vec<String> {
    names.iter().map(|&name| name.to_owned()).collect()
}

impl Render for Hello {
    fn write_json<W: io::Write>(&self, out: &mut W, _: bool) -> io::Result<()> {
        serde_json_line(self, out)
    }

    fn text(&self) -> io::Result<String> {
        generated_text(self, "api.Hello")
    }
    fn layout(&self) -> Layout {
        Layout {
            columns: columns(&["message"]),
            list: None,
        }
    }

    fn rows<F>(&self, mut row: F) -> io::Result<()>
    where
        F: FnMut(&[Cell<'_>]) -> io::Result<()>,
    {
        row(&[Cell::Text(Cow::Borrowed(&self.message))])
    }
}

impl Render for Item {
    fn write_json<W: io::Write>(&self, out: &mut W, _: bool) -> io::Result<()> {
        serde_json_line(self, out)
    }

    fn text(&self) -> io::Result<String> {
        generated_text(self, "api.Item")
    }
    fn layout(&self) -> Layout {
        Layout {
            columns: columns(&["id", "name"]),
            list: None,
        }
    }

    fn rows<F>(&self, mut row: F) -> io::Result<()>
    where
        F: FnMut(&[Cell<'_>]) -> io::Result<()>,
    {
        row(&[
            Cell::Int(i64::from(self.id)),
            Cell::Text(Cow::Borrowed(&self.name)),
        ])
    }
}

impl Render for Items {
    fn write_json<W: io::Write>(&self, out: &mut W, _: bool) -> io::Result<()> {
        serde_json_line(self, out)
    }

    fn text(&self) -> io::Result<String> {
        generated_text(self, "api.Items")
    }
    fn layout(&self) -> Layout {
        Layout {
            columns: columns(&["id", "name"]),
            list: Some("items".to_owned()),
        }
    }

    fn rows<F>(&self, mut row: F) -> io::Result<()>
    where
        F: FnMut(&[Cell<'_>]) -> io::Result<()>,
    {
        self.items.iter().try_for_each(|item| item.rows(&mut row))
    }
}

impl Render for HealthCheckResponse {
    fn write_json<W: io::Write>(&self, out: &mut W, _: bool) -> io::Result<()> {
        // The proto3 JSON mapping of grpc.health.v1.HealthCheckResponse.
        serde_json_line(
            &serde_json::json!({ "status": self.status().as_str_name() }),
            out,
        )
    }

    fn text(&self) -> io::Result<String> {
        generated_text(self, "grpc.health.v1.HealthCheckResponse")
    }
    fn layout(&self) -> Layout {
        Layout {
            columns: columns(&["status"]),
            list: None,
        }
    }

    fn rows<F>(&self, mut row: F) -> io::Result<()>
    where
        F: FnMut(&[Cell<'_>]) -> io::Result<()>,
    {
        row(&[Cell::Text(Cow::Borrowed(self.status().as_str_name()))])
    }
}

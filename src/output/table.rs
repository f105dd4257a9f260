//! `-o table` (the default): aligned columns for people.
//!
//! Streams print each row the moment it arrives, so column widths are fixed from the requested
//! length before the first row instead of being measured over all rows, as table crates do.

use std::io::{self, Write};

use super::Printer;
use crate::api::{Hello, Item, Items};

/// Space between columns.
const GAP: &str = "  ";

pub struct TablePrinter<W> {
    out: W,
    bold_header: bool,
    /// Width of the `id` column of the stream being printed.
    id_width: usize,
}

impl<W: Write> TablePrinter<W> {
    pub fn new(out: W, bold_header: bool) -> Self {
        TablePrinter {
            out,
            bold_header,
            id_width: 0,
        }
    }

    fn header(&mut self, text: &str) -> io::Result<()> {
        if self.bold_header {
            let bold = anstyle::Style::new().bold();
            writeln!(self.out, "{}{text}{}", bold.render(), bold.render_reset())
        } else {
            writeln!(self.out, "{text}")
        }
    }

    fn id_header(&mut self, id_width: usize) -> io::Result<()> {
        self.header(&format!("{:>id_width$}{GAP}name", "id"))
    }

    fn row(&mut self, item: &Item, id_width: usize) -> io::Result<()> {
        let mut digits = itoa::Buffer::new();
        let id = digits.format(item.id);
        for _ in id.len()..id_width {
            self.out.write_all(b" ")?;
        }
        self.out.write_all(id.as_bytes())?;
        self.out.write_all(GAP.as_bytes())?;
        write_cell(&mut self.out, &item.name)?;
        self.out.write_all(b"\n")
    }
}

impl<W: Write> Printer for TablePrinter<W> {
    fn hello(&mut self, hello: &Hello) -> io::Result<()> {
        self.header("message")?;
        write_cell(&mut self.out, &hello.message)?;
        self.out.write_all(b"\n")
    }

    fn items(&mut self, items: &Items) -> io::Result<()> {
        let widest = items.items.iter().map(|item| id_width(item.id)).max();
        let width = widest.unwrap_or(0).max("id".len());
        self.id_header(width)?;
        for item in &items.items {
            self.row(item, width)?;
        }
        let count = items.items.len();
        writeln!(
            self.out,
            "{count} item{}",
            if count == 1 { "" } else { "s" }
        )
    }

    fn stream_start(&mut self, expected: i32) -> io::Result<()> {
        self.id_width = id_width(expected).max("id".len());
        self.id_header(self.id_width)
    }

    fn stream_item(&mut self, item: &Item) -> io::Result<()> {
        self.row(item, self.id_width)
    }

    fn health(&mut self, status: &str) -> io::Result<()> {
        self.header("status")?;
        writeln!(self.out, "{status}")
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// How many characters `id` takes when printed.
fn id_width(id: i32) -> usize {
    itoa::Buffer::new().format(id).len()
}

/// Writes a cell's text on one line: control characters (newlines, tabs, escapes) from the
/// server are shown escaped, so they can neither break the table nor drive the terminal.
fn write_cell(out: &mut impl Write, text: &str) -> io::Result<()> {
    if !text.chars().any(char::is_control) {
        return out.write_all(text.as_bytes());
    }
    for c in text.chars() {
        if c.is_control() {
            write!(out, "{}", c.escape_default())?;
        } else {
            let mut utf8 = [0; 4];
            out.write_all(c.encode_utf8(&mut utf8).as_bytes())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(f: impl FnOnce(&mut TablePrinter<&mut Vec<u8>>) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut TablePrinter::new(&mut buf, false)).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn items(n: i32) -> Items {
        Items {
            items: (1..=n)
                .map(|id| Item {
                    id,
                    name: format!("name {id}"),
                })
                .collect(),
        }
    }

    #[test]
    fn hello_is_a_message_column() {
        let hello = Hello {
            message: "Hello Gonzalo!".into(),
        };
        assert_eq!(printed(|p| p.hello(&hello)), "message\nHello Gonzalo!\n");
    }

    #[test]
    fn items_are_aligned_with_a_count() {
        let table = printed(|p| p.items(&items(10)));
        let lines: Vec<_> = table.lines().collect();
        assert_eq!(lines[0], "id  name");
        assert_eq!(lines[1], " 1  name 1");
        assert_eq!(lines[10], "10  name 10");
        assert_eq!(lines[11], "10 items");
        assert_eq!(
            printed(|p| p.items(&items(1))).lines().last(),
            Some("1 item")
        );
        assert_eq!(printed(|p| p.items(&items(0))), "id  name\n0 items\n");
    }

    #[test]
    fn stream_rows_are_aligned_to_the_requested_length() {
        let table = printed(|p| {
            p.stream_start(1000)?;
            p.stream_item(&Item {
                id: 7,
                name: "name 7".into(),
            })?;
            p.stream_item(&Item {
                id: 1000,
                name: "name 1000".into(),
            })
        });
        assert_eq!(table, "  id  name\n   7  name 7\n1000  name 1000\n");
    }

    #[test]
    fn control_characters_are_escaped() {
        let hello = Hello {
            message: "two\nlines\x1b[31m".into(),
        };
        assert_eq!(
            printed(|p| p.hello(&hello)),
            "message\ntwo\\nlines\\u{1b}[31m\n"
        );
    }

    #[test]
    fn bold_header_when_coloured() {
        let mut buf = Vec::new();
        TablePrinter::new(&mut buf, true)
            .hello(&Hello {
                message: "hi".into(),
            })
            .unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\x1b[1mmessage\x1b[0m\nhi\n"
        );
    }
}

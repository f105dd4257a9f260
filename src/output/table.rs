//! `-o table` (the default): aligned columns for people, for any message type.
//!
//! The header and the column widths come from the first message, so a stream prints each row
//! the moment it arrives and all its rows share one header. A single list-shaped response
//! (like `api.Items`) is measured whole and ends with a count.

use std::io::{self, Write};

use super::render::{Cell, Render};

/// Space between columns.
const GAP: &str = "  ";

pub struct TablePrinter<W> {
    out: W,
    bold_header: bool,
    /// Widths the first columns take at least: the typed stream knows its ids' width in advance.
    min_widths: Vec<usize>,
    /// The widths of the columns, once the header is printed.
    widths: Option<Vec<usize>>,
}

impl<W: Write> TablePrinter<W> {
    pub fn new(out: W, bold_header: bool) -> Self {
        TablePrinter {
            out,
            bold_header,
            min_widths: Vec::new(),
            widths: None,
        }
    }

    /// The first columns are at least this wide.
    pub fn set_min_widths(&mut self, widths: Vec<usize>) {
        self.min_widths = widths;
    }

    /// Prints a response message's rows, after the header if it is the first. `single`: the
    /// call returns exactly this message (unary and client-streaming calls), so a list-shaped
    /// message ends with its count.
    pub fn message<M: Render>(&mut self, message: &M, single: bool) -> io::Result<()> {
        if let Some(widths) = self.widths.take() {
            let printed = self.rows(message, &widths);
            self.widths = Some(widths);
            return printed.map(|_| ());
        }
        let layout = message.layout();
        if layout.columns.is_empty() {
            return Ok(());
        }
        let mut widths: Vec<usize> = layout.columns.iter().map(|c| c.chars().count()).collect();
        for (width, min) in widths.iter_mut().zip(&self.min_widths) {
            *width = (*width).max(*min);
        }
        let mut numeric = vec![false; widths.len()];
        let mut first = true;
        let last = widths.len() - 1;
        message.rows(|cells| {
            for (i, cell) in cells.iter().enumerate().take(widths.len()) {
                if first {
                    numeric[i] = cell.is_number();
                }
                // The last column is not padded unless right-aligned, so its width rarely matters.
                if i < last || numeric[i] {
                    widths[i] = widths[i].max(cell_width(cell));
                }
            }
            first = false;
            Ok(())
        })?;
        self.header(&layout.columns, &widths, &numeric)?;
        let count = self.rows(message, &widths)?;
        self.widths = Some(widths);
        match layout.list {
            Some(noun) if single => {
                let noun = match noun.strip_suffix('s') {
                    Some(one) if count == 1 => one,
                    _ => &noun,
                };
                writeln!(self.out, "{count} {noun}")
            }
            _ => Ok(()),
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn header(&mut self, columns: &[String], widths: &[usize], numeric: &[bool]) -> io::Result<()> {
        let mut line = String::new();
        for (i, name) in columns.iter().enumerate() {
            if i > 0 {
                line.push_str(GAP);
            }
            let width = widths[i];
            let pad = width.saturating_sub(name.chars().count());
            let last = i + 1 == columns.len();
            if numeric[i] {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(name);
            } else {
                line.push_str(name);
                if !last {
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
        }
        if self.bold_header {
            let bold = anstyle::Style::new().bold();
            writeln!(self.out, "{}{line}{}", bold.render(), bold.render_reset())
        } else {
            writeln!(self.out, "{line}")
        }
    }

    /// Prints the message's rows at these widths; returns how many.
    fn rows<M: Render>(&mut self, message: &M, widths: &[usize]) -> io::Result<usize> {
        let mut count = 0;
        let out = &mut self.out;
        message.rows(|cells| {
            count += 1;
            let last = cells.len().min(widths.len()).saturating_sub(1);
            for (i, cell) in cells.iter().enumerate().take(widths.len()) {
                if i > 0 {
                    out.write_all(GAP.as_bytes())?;
                }
                write_cell(out, cell, widths[i], i == last)?;
            }
            out.write_all(b"\n")
        })?;
        Ok(count)
    }
}

/// Writes one cell padded to `width`: numbers on the right, text on the left (and the last
/// column's text unpadded).
fn write_cell(out: &mut impl Write, cell: &Cell<'_>, width: usize, last: bool) -> io::Result<()> {
    match cell {
        Cell::Int(n) => {
            let mut digits = itoa::Buffer::new();
            right(out, digits.format(*n), width)
        }
        Cell::Number(text) => right(out, text, width),
        Cell::Text(text) => {
            write_text(out, text)?;
            if !last {
                pad(out, width.saturating_sub(text_width(text)))?;
            }
            Ok(())
        }
    }
}

fn right(out: &mut impl Write, text: &str, width: usize) -> io::Result<()> {
    pad(out, width.saturating_sub(text.len()))?;
    out.write_all(text.as_bytes())
}

fn pad(out: &mut impl Write, n: usize) -> io::Result<()> {
    const SPACES: &[u8; 32] = b"                                ";
    let mut left = n;
    while left > 0 {
        let now = left.min(SPACES.len());
        out.write_all(&SPACES[..now])?;
        left -= now;
    }
    Ok(())
}

/// The characters a cell takes on screen.
fn cell_width(cell: &Cell<'_>) -> usize {
    match cell {
        Cell::Int(n) => itoa::Buffer::new().format(*n).len(),
        Cell::Number(text) => text.len(),
        Cell::Text(text) => text_width(text),
    }
}

fn text_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().count()
            } else {
                1
            }
        })
        .sum()
}

/// Writes a cell's text on one line: control characters (newlines, tabs, escapes) from the
/// server are shown escaped, so they can neither break the table nor drive the terminal.
fn write_text(out: &mut impl Write, text: &str) -> io::Result<()> {
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
    use crate::api::{Hello, Item, Items};

    fn printed(f: impl FnOnce(&mut TablePrinter<&mut Vec<u8>>) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut TablePrinter::new(&mut buf, false)).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn items(n: i32) -> Items {
        Items {
            items: (1..=n).map(item).collect(),
        }
    }

    fn item(id: i32) -> Item {
        Item {
            id,
            name: format!("name {id}"),
        }
    }

    #[test]
    fn hello_is_a_message_column() {
        let hello = Hello {
            message: "Hello Gonzalo!".into(),
        };
        assert_eq!(
            printed(|p| p.message(&hello, true)),
            "message\nHello Gonzalo!\n"
        );
    }

    #[test]
    fn items_are_aligned_with_a_count() {
        let table = printed(|p| p.message(&items(10), true));
        let lines: Vec<_> = table.lines().collect();
        assert_eq!(lines[0], "id  name");
        assert_eq!(lines[1], " 1  name 1");
        assert_eq!(lines[10], "10  name 10");
        assert_eq!(lines[11], "10 items");
        assert_eq!(
            printed(|p| p.message(&items(1), true)).lines().last(),
            Some("1 item")
        );
        assert_eq!(
            printed(|p| p.message(&items(0), true)),
            "id  name\n0 items\n"
        );
        let wide = printed(|p| p.message(&items(100), true));
        assert_eq!(wide.lines().next(), Some(" id  name"));
        assert_eq!(wide.lines().nth(1), Some("  1  name 1"));
    }

    #[test]
    fn stream_rows_share_one_header() {
        let mut buf = Vec::new();
        let mut printer = TablePrinter::new(&mut buf, false);
        printer.set_min_widths(vec![4]);
        printer.message(&item(7), false).unwrap();
        printer.message(&item(1000), false).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "  id  name\n   7  name 7\n1000  name 1000\n"
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        let hello = Hello {
            message: "two\nlines\x1b[31m".into(),
        };
        assert_eq!(
            printed(|p| p.message(&hello, true)),
            "message\ntwo\\nlines\\u{1b}[31m\n"
        );
    }

    #[test]
    fn bold_header_when_coloured() {
        let mut buf = Vec::new();
        let hello = Hello {
            message: "hi".into(),
        };
        TablePrinter::new(&mut buf, true)
            .message(&hello, true)
            .unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\x1b[1mmessage\x1b[0m\nhi\n"
        );
    }
}

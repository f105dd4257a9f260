//! `-o table` (the default): aligned columns for people, for any message type.
//!
//! A single response (like `api.Items`) is measured whole and, if list-shaped, ends with a count.
//! A stream's rows share one header. Its columns are sized from the rows that arrive in its
//! first [`WINDOW`] (at most [`WINDOW_ROWS`] of them), which are held until then; later rows
//! print as they arrive. On a terminal a longer value later is cut with `…` so that the columns
//! stay aligned; elsewhere (a pipe, a file) every value is printed whole.

use std::{
    io::{self, Write},
    time::{Duration, Instant},
};

use super::{
    cells::{cell_width, owned, text_width, write_cell},
    render::{Cell, Render},
};

/// Space between columns.
const GAP: &str = "  ";

/// How long a stream's first rows are held to size its columns: about the longest delay before
/// the first row that still reads as immediate, and long enough for a fast stream's first burst.
const WINDOW: Duration = Duration::from_millis(100);

/// At most this many rows are held: a fast stream sends them well within [`WINDOW`], and they
/// are several screens of values, while the rows held stay few.
const WINDOW_ROWS: usize = 1000;

pub struct TablePrinter<W> {
    out: W,
    bold_header: bool,
    /// Widths the first columns take at least: the typed stream knows its ids' width in advance.
    min_widths: Vec<usize>,
    /// The widths of the columns, once the header is printed.
    widths: Option<Vec<usize>>,
    /// A stream's columns are sized from its first rows (see [`TablePrinter::for_streams`]).
    window: Option<Window>,
    /// The rows held while the window is open.
    held: Option<Held>,
    /// Values wider than their column are cut (stdout is a terminal).
    cut: bool,
}

/// How long, and over how many rows, a stream's columns are sized.
#[derive(Debug, Clone, Copy)]
struct Window {
    time: Duration,
    rows: usize,
}

/// A stream's first rows, held until its window ends.
struct Held {
    columns: Vec<String>,
    /// The columns whose first value is a number, right-aligned (their header too).
    numeric: Vec<bool>,
    rows: Vec<Vec<Cell<'static>>>,
    ends: Instant,
}

impl<W: Write> TablePrinter<W> {
    pub fn new(out: W, bold_header: bool) -> Self {
        TablePrinter {
            out,
            bold_header,
            min_widths: Vec::new(),
            widths: None,
            window: None,
            held: None,
            cut: false,
        }
    }

    /// The first columns are at least this wide.
    pub fn set_min_widths(&mut self, widths: Vec<usize>) {
        self.min_widths = widths;
    }

    /// Size a stream's columns from its first rows; `terminal`: cut later values that are wider.
    pub fn for_streams(&mut self, terminal: bool) {
        self.set_window(WINDOW, WINDOW_ROWS, terminal);
    }

    fn set_window(&mut self, time: Duration, rows: usize, terminal: bool) {
        self.window = Some(Window { time, rows });
        self.cut = terminal;
    }

    /// When the rows held to size a stream's columns are to be shown, if any are held.
    pub fn window_end(&self) -> Option<Instant> {
        self.held.as_ref().map(|held| held.ends)
    }

    /// Prints a response message's rows, after the header if it is the first. `single`: the
    /// call returns exactly this message (unary and client-streaming calls), so a list-shaped
    /// message ends with its count.
    pub fn message<M: Render>(&mut self, message: &M, single: bool) -> io::Result<()> {
        if let Some(held) = &self.held
            && Instant::now() >= held.ends
        {
            self.show_held()?;
        }
        if let Some(held) = &mut self.held {
            hold(held, message)?;
            return self.show_held_if_full();
        }
        if let Some(widths) = self.widths.take() {
            let printed = self.rows(message, &widths);
            self.widths = Some(widths);
            return printed.map(|_| ());
        }
        let layout = message.layout();
        if layout.columns.is_empty() {
            return Ok(());
        }
        if !single && let Some(window) = self.window {
            let numeric = first_numeric(message, layout.columns.len())?;
            let last = numeric.len() - 1;
            // Columns of known width, and a last column of text (never padded), need no measuring:
            // so the typed stream prints every row at once, as it always has.
            let measured = (self.min_widths.len()..numeric.len()).any(|i| i < last || numeric[i]);
            if measured {
                let mut held = Held {
                    columns: layout.columns,
                    numeric,
                    rows: Vec::new(),
                    ends: Instant::now() + window.time,
                };
                hold(&mut held, message)?;
                self.held = Some(held);
                return self.show_held_if_full();
            }
        }
        let mut widths = self.start_widths(&layout.columns);
        let mut numeric = Vec::new();
        message.rows(|cells| {
            if numeric.is_empty() {
                numeric = numeric_cells(cells, widths.len());
            }
            measure(&mut widths, &numeric, cells);
            Ok(())
        })?;
        if numeric.is_empty() {
            numeric = vec![false; widths.len()];
        }
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

    /// Writes out what is printed, and the held rows once their window has ended.
    pub fn flush(&mut self) -> io::Result<()> {
        if let Some(held) = &self.held
            && Instant::now() >= held.ends
        {
            self.show_held()?;
        }
        self.out.flush()
    }

    /// Shows the held rows, whether or not their window has ended, and writes everything out:
    /// the stream ended or stopped.
    pub fn finish(&mut self) -> io::Result<()> {
        self.show_held()?;
        self.out.flush()
    }

    fn show_held_if_full(&mut self) -> io::Result<()> {
        match (&self.held, self.window) {
            (Some(held), Some(window)) if held.rows.len() >= window.rows => self.show_held(),
            _ => Ok(()),
        }
    }

    /// Ends the window: the header, at the widths of the held rows, then the rows.
    fn show_held(&mut self) -> io::Result<()> {
        let Some(held) = self.held.take() else {
            return Ok(());
        };
        let mut widths = self.start_widths(&held.columns);
        for cells in &held.rows {
            measure(&mut widths, &held.numeric, cells);
        }
        self.header(&held.columns, &widths, &held.numeric)?;
        for cells in &held.rows {
            write_row(&mut self.out, cells, &widths, false)?;
        }
        self.widths = Some(widths);
        Ok(())
    }

    /// The headers' widths, or the minimum widths where wider.
    fn start_widths(&self, columns: &[String]) -> Vec<usize> {
        let mut widths: Vec<usize> = columns.iter().map(|c| text_width(c)).collect();
        for (width, min) in widths.iter_mut().zip(&self.min_widths) {
            *width = (*width).max(*min);
        }
        widths
    }

    fn header(&mut self, columns: &[String], widths: &[usize], numeric: &[bool]) -> io::Result<()> {
        let mut line = String::new();
        for (i, name) in columns.iter().enumerate() {
            if i > 0 {
                line.push_str(GAP);
            }
            let width = widths[i];
            let pad = width.saturating_sub(text_width(name));
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
        let cut = self.cut;
        message.rows(|cells| {
            count += 1;
            write_row(out, cells, widths, cut)
        })?;
        Ok(count)
    }
}

/// Whether each of the first `columns` cells is a number.
fn numeric_cells(cells: &[Cell<'_>], columns: usize) -> Vec<bool> {
    (0..columns)
        .map(|i| cells.get(i).is_some_and(Cell::is_number))
        .collect()
}

/// Which columns of the message's first row are numbers (none if it has no rows).
fn first_numeric<M: Render>(message: &M, columns: usize) -> io::Result<Vec<bool>> {
    let mut numeric = None;
    message.rows(|cells| {
        numeric.get_or_insert_with(|| numeric_cells(cells, columns));
        Ok(())
    })?;
    Ok(numeric.unwrap_or_else(|| vec![false; columns]))
}

/// Widens the columns to fit a row. The last column is not padded unless right-aligned, so its
/// width rarely matters.
fn measure(widths: &mut [usize], numeric: &[bool], cells: &[Cell<'_>]) {
    let last = widths.len() - 1;
    for (i, cell) in cells.iter().enumerate().take(widths.len()) {
        if i < last || numeric[i] {
            widths[i] = widths[i].max(cell_width(cell));
        }
    }
}

/// Holds a message's rows, owned, until the window ends.
fn hold<M: Render>(held: &mut Held, message: &M) -> io::Result<()> {
    message.rows(|cells| {
        held.rows.push(cells.iter().map(owned).collect());
        Ok(())
    })
}

/// Writes one row at these widths. `cut`: a value wider than its column is cut to fit, except
/// in the last column, which has no column after it to push out of line.
fn write_row(
    out: &mut impl Write,
    cells: &[Cell<'_>],
    widths: &[usize],
    cut: bool,
) -> io::Result<()> {
    let last = cells.len().min(widths.len()).saturating_sub(1);
    for (i, cell) in cells.iter().enumerate().take(widths.len()) {
        if i > 0 {
            out.write_all(GAP.as_bytes())?;
        }
        write_cell(out, cell, widths[i], i == last, cut && i != last)?;
    }
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

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

    /// A message of one row: text, a number, text.
    struct Row(&'static str, i64, &'static str);

    impl Render for Row {
        fn write_json<W: Write>(&self, _: &mut W, _: bool) -> io::Result<()> {
            Ok(())
        }

        fn text(&self) -> io::Result<String> {
            Ok(String::new())
        }

        fn layout(&self) -> crate::output::Layout {
            crate::output::Layout {
                columns: ["name", "n", "note"].map(str::to_owned).to_vec(),
                list: None,
            }
        }

        fn rows<F>(&self, mut row: F) -> io::Result<()>
        where
            F: FnMut(&[Cell<'_>]) -> io::Result<()>,
        {
            row(&[
                Cell::Text(Cow::Borrowed(self.0)),
                Cell::Int(self.1),
                Cell::Text(Cow::Borrowed(self.2)),
            ])
        }
    }

    /// A stream's rows, growing wider after its window of two rows (which never ends in time).
    fn growing_stream(terminal: bool) -> String {
        let mut buf = Vec::new();
        let mut printer = TablePrinter::new(&mut buf, false);
        printer.set_window(Duration::from_secs(3600), 2, terminal);
        printer.message(&Row("ab", 1, "x"), false).unwrap();
        printer.message(&Row("abcdef", 22, "y"), false).unwrap();
        printer
            .message(&Row("abcdefghij", 12345, "a long note"), false)
            .unwrap();
        printer
            .message(&Row("日本語テキスト", 3, "z"), false)
            .unwrap();
        printer
            .message(&Row("e\u{301}t\u{e9}", 4, "w"), false)
            .unwrap();
        printer.finish().unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn a_stream_on_a_terminal_keeps_its_columns_and_cuts_longer_values() {
        assert_eq!(
            growing_stream(true),
            "name     n  note\n\
             ab       1  x\n\
             abcdef  22  y\n\
             abcde…  1…  a long note\n\
             日本 …   3  z\n\
             e\u{301}t\u{e9}      4  w\n"
        );
    }

    #[test]
    fn a_stream_off_a_terminal_prints_every_value_whole() {
        assert_eq!(
            growing_stream(false),
            "name     n  note\n\
             ab       1  x\n\
             abcdef  22  y\n\
             abcdefghij  12345  a long note\n\
             日本語テキスト   3  z\n\
             e\u{301}t\u{e9}      4  w\n"
        );
    }

    #[test]
    fn held_rows_show_when_the_window_ends_or_the_stream_does() {
        let mut buf = Vec::new();
        let mut printer = TablePrinter::new(&mut buf, false);
        printer.set_window(Duration::ZERO, 1000, true);
        printer.message(&Row("ab", 1, "x"), false).unwrap();
        assert!(printer.window_end().is_some());
        // The window has ended by the time the stream waits: its one row sizes the columns.
        printer.flush().unwrap();
        assert_eq!(printer.window_end(), None);
        printer.message(&Row("abcdef", 2, "y"), false).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "name  n  note\nab    1  x\nabc…  2  y\n"
        );

        let mut buf = Vec::new();
        let mut printer = TablePrinter::new(&mut buf, false);
        printer.set_window(Duration::from_secs(3600), 1000, true);
        printer.message(&Row("ab", 1, "x"), false).unwrap();
        printer.message(&Row("abcdef", 2, "y"), false).unwrap();
        printer.finish().unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "name    n  note\nab      1  x\nabcdef  2  y\n"
        );
    }

    #[test]
    fn a_single_table_pads_by_display_width() {
        struct Two(Vec<Row>);
        impl Render for Two {
            fn write_json<W: Write>(&self, _: &mut W, _: bool) -> io::Result<()> {
                Ok(())
            }
            fn text(&self) -> io::Result<String> {
                Ok(String::new())
            }
            fn layout(&self) -> crate::output::Layout {
                Row("", 0, "").layout()
            }
            fn rows<F>(&self, mut row: F) -> io::Result<()>
            where
                F: FnMut(&[Cell<'_>]) -> io::Result<()>,
            {
                self.0.iter().try_for_each(|r| r.rows(&mut row))
            }
        }
        let two = Two(vec![Row("日本語", 1, "x"), Row("ab", 2, "y")]);
        assert_eq!(
            printed(|p| p.message(&two, true)),
            "name    n  note\n日本語  1  x\nab      2  y\n"
        );
    }

    #[test]
    fn the_typed_stream_prints_each_row_at_once_and_as_before() {
        let mut buf = Vec::new();
        let mut printer = TablePrinter::new(&mut buf, false);
        printer.for_streams(true);
        printer.set_min_widths(vec![4]);
        printer.message(&item(7), false).unwrap();
        printer.message(&item(1000), false).unwrap();
        // Nothing held: no finish needed.
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

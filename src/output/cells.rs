//! Writing one table cell at a column's width: numbers right-aligned, text left-aligned with its
//! control characters escaped, widths in terminal columns (a CJK character takes two), and a
//! value cut to its width with `…` where asked.

use std::{
    borrow::Cow,
    io::{self, Write},
};

use unicode_width::UnicodeWidthChar as _;

use super::render::Cell;

/// Marks a value cut to fit its column.
const CUT: &str = "…";

/// The cell, owned: to hold a row past its message.
pub(super) fn owned(cell: &Cell<'_>) -> Cell<'static> {
    match cell {
        Cell::Int(n) => Cell::Int(*n),
        Cell::Number(text) => Cell::Number(text.clone()),
        Cell::Text(text) => Cell::Text(Cow::Owned(text.clone().into_owned())),
    }
}

/// Writes one cell padded to `width`: numbers on the right, text on the left (and the last
/// column's text unpadded). `cut`: a longer value is cut to `width`, ending in `…`.
pub(super) fn write_cell(
    out: &mut impl Write,
    cell: &Cell<'_>,
    width: usize,
    last: bool,
    cut: bool,
) -> io::Result<()> {
    match cell {
        Cell::Int(n) => {
            let mut digits = itoa::Buffer::new();
            right(out, digits.format(*n), width, cut)
        }
        Cell::Number(text) => right(out, text, width, cut),
        Cell::Text(text) if cut => {
            let text_width = text_width(text);
            if text_width > width {
                return write_cut(out, text, width);
            }
            write_text(out, text)?;
            pad(out, width - text_width)
        }
        Cell::Text(text) => {
            write_text(out, text)?;
            if !last {
                pad(out, width.saturating_sub(text_width(text)))?;
            }
            Ok(())
        }
    }
}

fn right(out: &mut impl Write, text: &str, width: usize, cut: bool) -> io::Result<()> {
    if cut && text.len() > width {
        return write_cut(out, text, width);
    }
    pad(out, width.saturating_sub(text.len()))?;
    out.write_all(text.as_bytes())
}

/// Writes as much of `text` as fits in `width` columns with `…` after it, padded to `width`.
fn write_cut(out: &mut impl Write, text: &str, width: usize) -> io::Result<()> {
    let room = width.saturating_sub(1);
    let mut used = 0;
    for c in text.chars() {
        let c_width = char_width(c);
        if used + c_width > room {
            break;
        }
        write_char(out, c)?;
        used += c_width;
    }
    // A wide character that did not fit leaves a column free.
    pad(out, room - used)?;
    out.write_all(CUT.as_bytes())
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

/// The columns a cell takes on screen.
pub(super) fn cell_width(cell: &Cell<'_>) -> usize {
    match cell {
        Cell::Int(n) => itoa::Buffer::new().format(*n).len(),
        Cell::Number(text) => text.len(),
        Cell::Text(text) => text_width(text),
    }
}

/// The columns text takes on screen, as `write_text` writes it: wide characters (CJK, most
/// emoji) take two, combining marks none, control characters their escapes.
pub(super) fn text_width(text: &str) -> usize {
    if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_control()) {
        return text.len();
    }
    text.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    if c.is_control() {
        c.escape_default().count()
    } else {
        c.width().unwrap_or(0)
    }
}

/// Writes a cell's text on one line: control characters (newlines, tabs, escapes) from the
/// server are shown escaped, so they can neither break the table nor drive the terminal.
fn write_text(out: &mut impl Write, text: &str) -> io::Result<()> {
    if !text.chars().any(char::is_control) {
        return out.write_all(text.as_bytes());
    }
    text.chars().try_for_each(|c| write_char(out, c))
}

fn write_char(out: &mut impl Write, c: char) -> io::Result<()> {
    if c.is_control() {
        write!(out, "{}", c.escape_default())
    } else {
        let mut utf8 = [0; 4];
        out.write_all(c.encode_utf8(&mut utf8).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, width: usize, cut: bool) -> String {
        let mut out = Vec::new();
        write_cell(
            &mut out,
            &Cell::Text(Cow::Borrowed(text)),
            width,
            false,
            cut,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn widths_are_terminal_columns() {
        assert_eq!(text_width("abc"), 3);
        assert_eq!(text_width("日本"), 4);
        assert_eq!(text_width("e\u{301}"), 1);
        assert_eq!(text_width("a\tb"), 4);
        assert_eq!(cell(" 日本", 7, false), " 日本  ");
    }

    #[test]
    fn a_cut_value_fills_its_width_exactly() {
        assert_eq!(cell("abcdef", 4, true), "abc…");
        assert_eq!(cell("abcd", 4, true), "abcd");
        // A wide character that does not fit leaves a space before the mark.
        assert_eq!(cell("a日本", 4, true), "a日…");
        assert_eq!(cell("日本語", 4, true), "日 …");
        // An escape is never split.
        assert_eq!(cell("a\nbcdef", 4, true), "a\\n…");
        assert_eq!(cell("ab\ncdef", 4, true), "ab …");
        assert_eq!(cell("abcdef", 4, false), "abcdef");
        let mut out = Vec::new();
        write_cell(&mut out, &Cell::Int(-12345), 4, false, true).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "-12…");
    }
}

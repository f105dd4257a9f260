//! A message in the protobuf text format, byte for byte as protoc's own printer writes it
//! (`protoc --decode`), with one difference taken from `grpcurl -format text`: a
//! `google.protobuf.Any` whose type is known is shown expanded, `[type.googleapis.com/pkg.T] {…}`.
//!
//! prost-reflect's text format (`DynamicMessage::to_text_format_with_options`) reads the same but
//! is written differently: repeated fields as one `[a, b]` list, map entries unsorted, floats in
//! Rust's shortest form (`1.0`, `100000000000000000000`), strings with non-ASCII left as is. Since
//! `-o text` promises protoc's output, this printer walks the message itself, and checks itself
//! against protoc in `tests/text_format.rs`.

use std::fmt::Write as _;

use prost_reflect::{DynamicMessage, Kind, MapKey, ReflectMessage as _, UnknownField, Value};

/// The message's fields, one a line, indented two spaces a level, each line ending with `\n`;
/// empty for a message with no field set.
pub fn text_format(message: &DynamicMessage) -> String {
    let mut out = String::new();
    TextWriter {
        out: &mut out,
        depth: 0,
    }
    .message(message);
    out
}

struct TextWriter<'a> {
    out: &'a mut String,
    depth: usize,
}

impl TextWriter<'_> {
    fn message(&mut self, message: &DynamicMessage) {
        if self.any(message) {
            return;
        }
        // protoc lists the known fields and extensions by number, then the unknown fields.
        let mut known: Vec<(u32, String, Kind, &Value)> = message
            .fields()
            .map(|(field, value)| {
                let name = if field.is_group() {
                    field
                        .kind()
                        .as_message()
                        .map_or_else(|| field.name().to_owned(), |group| group.name().to_owned())
                } else {
                    field.name().to_owned()
                };
                (field.number(), name, field.kind(), value)
            })
            .chain(message.extensions().map(|(extension, value)| {
                let name = format!("[{}]", extension.full_name());
                (extension.number(), name, extension.kind(), value)
            }))
            .collect();
        known.sort_by_key(|(number, ..)| *number);
        for (_, name, kind, value) in known {
            self.field(&name, &kind, value);
        }
        for unknown in message.unknown_fields() {
            self.unknown(unknown);
        }
    }

    /// An Any whose type the pool knows, expanded as `[TYPE_URL] { … }`; false when it is not one.
    fn any(&mut self, message: &DynamicMessage) -> bool {
        let descriptor = message.descriptor();
        if descriptor.full_name() != "google.protobuf.Any" {
            return false;
        }
        let (Some(type_url), Some(value)) = (
            message.get_field_by_number(1),
            message.get_field_by_number(2),
        ) else {
            return false;
        };
        let (Some(type_url), Some(value)) = (type_url.as_str(), value.as_bytes()) else {
            return false;
        };
        let Some((_, name)) = type_url.rsplit_once('/') else {
            return false;
        };
        let Some(body) = descriptor.parent_pool().get_message_by_name(name) else {
            return false;
        };
        let Ok(body) = DynamicMessage::decode(body, value.as_ref()) else {
            return false;
        };
        self.open(&format!("[{type_url}]"));
        self.message(&body);
        self.close();
        true
    }

    fn field(&mut self, name: &str, kind: &Kind, value: &Value) {
        match value {
            Value::List(values) => {
                for value in values {
                    self.single(name, kind, value);
                }
            }
            Value::Map(entries) => {
                let Some(entry) = kind.as_message() else {
                    return;
                };
                let value_kind = entry.map_entry_value_field().kind();
                let key_kind = entry.map_entry_key_field().kind();
                // protoc sorts a map's entries by key.
                let mut sorted: Vec<(&MapKey, &Value)> = entries.iter().collect();
                sorted.sort_by(|a, b| compare_keys(a.0, b.0));
                for (key, value) in sorted {
                    self.open(name);
                    self.single("key", &key_kind, &map_key_value(key));
                    self.single("value", &value_kind, value);
                    self.close();
                }
            }
            _ => self.single(name, kind, value),
        }
    }

    /// One value: `name: scalar` on a line, or `name {` … `}` for a message.
    fn single(&mut self, name: &str, kind: &Kind, value: &Value) {
        if let Value::Message(message) = value {
            self.open(name);
            self.message(message);
            self.close();
            return;
        }
        self.indent();
        self.out.push_str(name);
        self.out.push_str(": ");
        scalar(self.out, kind, value);
        self.out.push('\n');
    }

    fn unknown(&mut self, field: &UnknownField) {
        let mut encoded = Vec::new();
        field.encode(&mut encoded);
        let mut wire = Wire(&encoded);
        if let Some((number, value)) = wire.field() {
            self.wire_value(number, value);
        }
    }

    fn wire_value(&mut self, number: u32, value: WireValue<'_>) {
        match value {
            WireValue::Varint(n) => self.line(&format!("{number}: {n}")),
            WireValue::Fixed32(n) => self.line(&format!("{number}: 0x{n:08x}")),
            WireValue::Fixed64(n) => self.line(&format!("{number}: 0x{n:016x}")),
            WireValue::Bytes(bytes) => match Wire::fields(bytes) {
                // protoc shows bytes that parse as fields as a message of unknown fields.
                Some(fields) if !bytes.is_empty() => {
                    self.open(&number.to_string());
                    for (number, value) in fields {
                        self.wire_value(number, value);
                    }
                    self.close();
                }
                _ => {
                    let mut line = format!("{number}: \"");
                    escape(&mut line, bytes);
                    line.push('"');
                    self.line(&line);
                }
            },
            WireValue::Group(fields) => {
                self.open(&number.to_string());
                for (number, value) in fields {
                    self.wire_value(number, value);
                }
                self.close();
            }
        }
    }

    fn open(&mut self, name: &str) {
        self.indent();
        self.out.push_str(name);
        self.out.push_str(" {\n");
        self.depth += 1;
    }

    fn close(&mut self) {
        self.depth -= 1;
        self.line("}");
    }

    fn line(&mut self, text: &str) {
        self.indent();
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
}

fn map_key_value(key: &MapKey) -> Value {
    match key {
        MapKey::Bool(b) => Value::Bool(*b),
        MapKey::I32(n) => Value::I32(*n),
        MapKey::I64(n) => Value::I64(*n),
        MapKey::U32(n) => Value::U32(*n),
        MapKey::U64(n) => Value::U64(*n),
        MapKey::String(s) => Value::String(s.clone()),
    }
}

fn compare_keys(a: &MapKey, b: &MapKey) -> std::cmp::Ordering {
    match (a, b) {
        (MapKey::Bool(a), MapKey::Bool(b)) => a.cmp(b),
        (MapKey::I32(a), MapKey::I32(b)) => a.cmp(b),
        (MapKey::I64(a), MapKey::I64(b)) => a.cmp(b),
        (MapKey::U32(a), MapKey::U32(b)) => a.cmp(b),
        (MapKey::U64(a), MapKey::U64(b)) => a.cmp(b),
        (MapKey::String(a), MapKey::String(b)) => a.as_bytes().cmp(b.as_bytes()),
        _ => std::cmp::Ordering::Equal,
    }
}

fn scalar(out: &mut String, kind: &Kind, value: &Value) {
    match value {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::I32(n) => out.push_str(itoa::Buffer::new().format(*n)),
        Value::I64(n) => out.push_str(itoa::Buffer::new().format(*n)),
        Value::U32(n) => out.push_str(itoa::Buffer::new().format(*n)),
        Value::U64(n) => out.push_str(itoa::Buffer::new().format(*n)),
        Value::F32(n) => out.push_str(&float(*n)),
        Value::F64(n) => out.push_str(&double(*n)),
        Value::String(s) => quoted(out, s.as_bytes()),
        Value::Bytes(b) => quoted(out, b),
        Value::EnumNumber(n) => match kind.as_enum().and_then(|e| e.get_value(*n)) {
            Some(value) => out.push_str(value.name()),
            None => out.push_str(itoa::Buffer::new().format(*n)),
        },
        // Messages, lists and maps are taken apart before they get here.
        Value::Message(_) | Value::List(_) | Value::Map(_) => {}
    }
}

fn quoted(out: &mut String, bytes: &[u8]) {
    out.push('"');
    escape(out, bytes);
    out.push('"');
}

/// C-style escapes as protoc writes them: `\n \r \t \" \' \\`, and every other byte that is not
/// printable ASCII (UTF-8 included) as three octal digits.
pub fn escape(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        match b {
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'"' => out.push_str("\\\""),
            b'\'' => out.push_str("\\'"),
            b'\\' => out.push_str("\\\\"),
            0x20..0x7f => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
}

/// A double as protoc writes it: `%.15g` when that reads back as the same number, else `%.17g`.
pub fn double(n: f64) -> String {
    if let Some(special) = special(n) {
        return special.to_owned();
    }
    let short = printf_g(n, 15);
    if short.parse::<f64>().is_ok_and(|back| back == n) {
        short
    } else {
        printf_g(n, 17)
    }
}

/// A float as protoc writes it: `%.6g` when that reads back as the same number, else `%.9g`.
pub fn float(n: f32) -> String {
    if let Some(special) = special(f64::from(n)) {
        return special.to_owned();
    }
    let short = printf_g(f64::from(n), 6);
    if short.parse::<f32>().is_ok_and(|back| back == n) {
        short
    } else {
        printf_g(f64::from(n), 9)
    }
}

fn special(n: f64) -> Option<&'static str> {
    if n.is_nan() {
        Some("nan")
    } else if n == f64::INFINITY {
        Some("inf")
    } else if n == f64::NEG_INFINITY {
        Some("-inf")
    } else {
        None
    }
}

/// C's `printf("%.*g", precision, n)` for a finite `n`: `precision` significant digits, in
/// fixed notation when the exponent is from -4 to below the precision, else as `1.5e+20`;
/// trailing zeros removed either way.
fn printf_g(n: f64, precision: usize) -> String {
    if n == 0.0 {
        return if n.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let scientific = format!("{:.*e}", precision - 1, n);
    let Some((mantissa, exponent)) = scientific.split_once('e') else {
        return scientific;
    };
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let precision = i32::try_from(precision).unwrap_or(17);
    if exponent < -4 || exponent >= precision {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{}e{sign}{:02}",
            trim_zeros(mantissa),
            exponent.unsigned_abs()
        )
    } else {
        let decimals = usize::try_from(precision - 1 - exponent).unwrap_or(0);
        trim_zeros(&format!("{n:.decimals$}")).to_owned()
    }
}

fn trim_zeros(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

/// Protobuf's wire format, read just far enough to show unknown fields as protoc does.
struct Wire<'a>(&'a [u8]);

enum WireValue<'a> {
    Varint(u64),
    Fixed32(u32),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Group(Vec<(u32, WireValue<'a>)>),
}

impl<'a> Wire<'a> {
    /// Every field of `bytes`, or `None` if they are not a run of well-formed fields.
    fn fields(bytes: &'a [u8]) -> Option<Vec<(u32, WireValue<'a>)>> {
        let mut wire = Wire(bytes);
        let mut fields = Vec::new();
        while !wire.0.is_empty() {
            fields.push(wire.field()?);
        }
        Some(fields)
    }

    fn field(&mut self) -> Option<(u32, WireValue<'a>)> {
        let tag = self.varint()?;
        let number = u32::try_from(tag >> 3).ok().filter(|&n| n > 0)?;
        let value = match tag & 7 {
            0 => WireValue::Varint(self.varint()?),
            1 => WireValue::Fixed64(u64::from_le_bytes(self.take(8)?.try_into().ok()?)),
            2 => {
                let len = usize::try_from(self.varint()?).ok()?;
                WireValue::Bytes(self.take(len)?)
            }
            3 => {
                let mut fields = Vec::new();
                loop {
                    let save = self.0;
                    let tag = self.varint()?;
                    if tag & 7 == 4 {
                        if tag >> 3 != u64::from(number) {
                            return None;
                        }
                        break;
                    }
                    self.0 = save;
                    fields.push(self.field()?);
                }
                WireValue::Group(fields)
            }
            5 => WireValue::Fixed32(u32::from_le_bytes(self.take(4)?.try_into().ok()?)),
            _ => return None,
        };
        Some((number, value))
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.0.split_first()?;
            self.0 = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if self.0.len() < len {
            return None;
        }
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_as_protoc_writes_them() {
        let cases = [
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (100000.0, "100000"),
            (1e15, "1e+15"),
            (1e16, "1e+16"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (123456789.123, "123456789.123"),
            (std::f64::consts::PI, "3.1415926535897931"),
            (0.1, "0.1"),
            (-1e300, "-1e+300"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "4.94065645841247e-324"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for (n, text) in cases {
            assert_eq!(double(n), text, "{n:?}");
        }
    }

    #[test]
    fn floats_as_protoc_writes_them() {
        let cases = [
            (0.1f32, "0.1"),
            (1.0, "1"),
            (f32::MAX, "3.40282347e+38"),
            (1e-7, "1e-07"),
            (16777216.0, "16777216"),
            (1.0 / 3.0, "0.333333343"),
            (0.333_333_3, "0.333333313"),
        ];
        for (n, text) in cases {
            assert_eq!(float(n), text, "{n:?}");
        }
    }

    #[test]
    fn bytes_are_escaped_as_protoc_escapes_them() {
        let mut out = String::new();
        escape(&mut out, "a\"b'c\\\n\r\t\x07é\0\x7f~".as_bytes());
        assert_eq!(out, r#"a\"b\'c\\\n\r\t\007\303\251\000\177~"#);
    }
}

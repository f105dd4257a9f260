//! Option values and literals as `.proto` source writes them: `deprecated = true`,
//! `(my.ext) = { a: 1 }`, `"quoted \"text\""`.

use std::fmt::Write as _;

use prost_reflect::{DynamicMessage, Kind, MapKey, Value};

/// The options set on a descriptor, as `(name, value)` pairs in field-number order, extensions
/// last; a repeated option gives one pair per value. Options that only compilers use (editions
/// features, options left uninterpreted) are left out.
pub(super) fn set_options(options: &DynamicMessage) -> Vec<(String, String)> {
    let mut set = Vec::new();
    for (field, value) in options.fields() {
        if matches!(field.name(), "uninterpreted_option" | "features") {
            continue;
        }
        push_option(&mut set, field.name().to_owned(), value, &field.kind());
    }
    for (extension, value) in options.extensions() {
        let name = format!("({})", extension.full_name());
        push_option(&mut set, name, value, &extension.kind());
    }
    set
}

fn push_option(set: &mut Vec<(String, String)>, name: String, value: &Value, kind: &Kind) {
    match value {
        Value::List(values) => {
            for value in values {
                set.push((name.clone(), value_text(value, kind)));
            }
        }
        value => set.push((name, value_text(value, kind))),
    }
}

/// One value: a literal, an enum value's name, or a message in text format (`{ a: 1 b: "x" }`).
fn value_text(value: &Value, kind: &Kind) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::I32(n) => n.to_string(),
        Value::I64(n) => n.to_string(),
        Value::U32(n) => n.to_string(),
        Value::U64(n) => n.to_string(),
        Value::F32(x) => float_text(f64::from(*x)),
        Value::F64(x) => float_text(*x),
        Value::String(s) => quote_string(s),
        Value::Bytes(b) => quote_bytes(b),
        Value::EnumNumber(n) => match kind {
            Kind::Enum(e) => e
                .get_value(*n)
                .map_or_else(|| n.to_string(), |v| v.name().to_owned()),
            _ => n.to_string(),
        },
        Value::Message(message) => message_text(message),
        Value::List(values) => {
            let items: Vec<String> = values.iter().map(|v| value_text(v, kind)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Map(entries) => {
            let Kind::Message(entry) = kind else {
                return "[]".to_owned();
            };
            let value_kind = entry.map_entry_value_field().kind();
            let mut items: Vec<String> = entries
                .iter()
                .map(|(key, value)| {
                    format!(
                        "{{ key: {} value: {} }}",
                        map_key_text(key),
                        value_text(value, &value_kind)
                    )
                })
                .collect();
            items.sort();
            format!("[{}]", items.join(", "))
        }
    }
}

/// A message value in text format, its set fields in number order.
fn message_text(message: &DynamicMessage) -> String {
    let mut parts = Vec::new();
    for (field, value) in message.fields() {
        let name = if field.is_group() {
            match field.kind() {
                Kind::Message(group) => group.name().to_owned(),
                _ => field.name().to_owned(),
            }
        } else {
            field.name().to_owned()
        };
        parts.push(format!("{name}: {}", value_text(value, &field.kind())));
    }
    for (extension, value) in message.extensions() {
        let text = value_text(value, &extension.kind());
        parts.push(format!("[{}]: {text}", extension.full_name()));
    }
    if parts.is_empty() {
        return "{}".to_owned();
    }
    format!("{{ {} }}", parts.join(" "))
}

fn map_key_text(key: &MapKey) -> String {
    match key {
        MapKey::Bool(b) => b.to_string(),
        MapKey::I32(n) => n.to_string(),
        MapKey::I64(n) => n.to_string(),
        MapKey::U32(n) => n.to_string(),
        MapKey::U64(n) => n.to_string(),
        MapKey::String(s) => quote_string(s),
    }
}

/// A float as `.proto` source accepts it: `1.5`, `1e+300`, `inf`, `-inf`, `nan`.
pub(super) fn float_text(x: f64) -> String {
    if x.is_nan() {
        "nan".to_owned()
    } else {
        // `{:?}` keeps a `.0` or an exponent, and spells infinities `inf` and `-inf`.
        format!("{x:?}")
    }
}

/// A string literal: quoted, with quotes, backslashes and control characters escaped.
pub(super) fn quote_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let mut buf = [0; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "\\{byte:03o}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A bytes literal: quoted, with every byte that is not printable ASCII escaped in octal.
pub(super) fn quote_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &byte in bytes {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b' '..=b'~' => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_escaped_as_proto_source_writes_them() {
        assert_eq!(quote_string("say \"hi\"\n"), r#""say \"hi\"\n""#);
        assert_eq!(quote_string("a\\b\u{1}é"), r#""a\\b\001é""#);
        assert_eq!(quote_bytes(b"\x00ok\xff"), r#""\000ok\377""#);
        assert_eq!(float_text(1.0), "1.0");
        assert_eq!(float_text(1e300), "1e300");
        assert_eq!(float_text(f64::NEG_INFINITY), "-inf");
        assert_eq!(float_text(f64::NAN), "nan");
    }
}

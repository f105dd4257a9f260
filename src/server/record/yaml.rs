//! A small YAML writer for the stub files the recorder writes: block mappings and sequences,
//! every string quoted as a JSON string (which is also a YAML double-quoted scalar), so that
//! nothing a server sent is ever read back as another type, a comment or an anchor.
//!
//! The same document always gives the same bytes: entries keep the order they were given in.

use std::fmt::Write as _;

/// A YAML value: what a stub file is made of.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// A number as JSON writes it (YAML 1.2 reads JSON's numbers as numbers).
    Number(String),
    String(String),
    List(Vec<Node>),
    /// Entries in the order they are written.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// A mapping from `(key, value)` pairs.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Node)>) -> Node {
        Node::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A string.
    pub fn text(text: impl Into<String>) -> Node {
        Node::String(text.into())
    }

    /// A JSON value as it is (objects in the order `serde_json` holds their keys in); to keep
    /// the order of a JSON text, deserialize the text into a `Node` instead.
    #[cfg(test)]
    pub fn from_json(value: &serde_json::Value) -> Node {
        use serde_json::Value;
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.to_string()),
            Value::String(s) => Node::String(s.clone()),
            Value::Array(items) => Node::List(items.iter().map(Node::from_json).collect()),
            Value::Object(fields) => Node::Map(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), Node::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Whether a string in the node, or a key, contains `needle`.
    pub fn contains_text(&self, needle: &str) -> bool {
        match self {
            Node::String(s) => s.contains(needle),
            Node::List(items) => items.iter().any(|item| item.contains_text(needle)),
            Node::Map(entries) => entries
                .iter()
                .any(|(key, value)| key.contains(needle) || value.contains_text(needle)),
            Node::Null | Node::Bool(_) | Node::Number(_) => false,
        }
    }

    /// Whether the node is written on the line of its key or dash (a scalar, `[]` or `{}`).
    fn is_inline(&self) -> bool {
        match self {
            Node::List(items) => items.is_empty(),
            Node::Map(entries) => entries.is_empty(),
            _ => true,
        }
    }
}

/// JSON (or any self-describing format) read into a node, objects keeping their keys in the
/// order the text has them: a message's fields in field order, `"@type"` first in a detail.
impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
        Ok(Node::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Node, E> {
        Ok(Node::Number(n.to_string()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Node, E> {
        Ok(Node::Number(n.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Node, E> {
        serde_json::Number::from_f64(n)
            .map(|n| Node::Number(n.to_string()))
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_str<E>(self, s: &str) -> Result<Node, E> {
        Ok(Node::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Node, E> {
        Ok(Node::String(s))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Node>()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

/// The document `node`, ending in a newline.
pub fn to_string(node: &Node) -> String {
    let mut out = String::new();
    if node.is_inline() {
        inline(&mut out, node);
        out.push('\n');
    } else {
        block(&mut out, node, 0, false);
    }
    out
}

/// A scalar, `[]` or `{}`.
fn inline(out: &mut String, node: &Node) {
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Number(n) => out.push_str(n),
        Node::String(s) => quote(out, s),
        Node::List(_) => out.push_str("[]"),
        Node::Map(_) => out.push_str("{}"),
    }
}

/// A non-empty list or map at `indent`. With `continued`, its first line goes on the current
/// line (after a list's dash), unindented.
fn block(out: &mut String, node: &Node, indent: usize, continued: bool) {
    let mut first = true;
    let mut start = |out: &mut String| {
        if !(first && continued) {
            out.extend(std::iter::repeat_n(' ', indent));
        }
        first = false;
    };
    match node {
        Node::List(items) => {
            for item in items {
                start(out);
                out.push_str("- ");
                if item.is_inline() {
                    inline(out, item);
                    out.push('\n');
                } else {
                    block(out, item, indent + 2, true);
                }
            }
        }
        Node::Map(entries) => {
            for (key, value) in entries {
                start(out);
                write_key(out, key);
                if value.is_inline() {
                    out.push_str(": ");
                    inline(out, value);
                    out.push('\n');
                } else {
                    out.push_str(":\n");
                    block(out, value, indent + 2, false);
                }
            }
        }
        scalar => {
            start(out);
            inline(out, scalar);
            out.push('\n');
        }
    }
}

/// A key: plain when it is a simple name (letters, digits, `_` and `-`, not starting with a
/// digit or `-`) and not a word YAML 1.2 reads as something else, quoted otherwise. (`on`,
/// `yes` and the like are strings in YAML 1.2, which the stub loader reads.)
fn write_key(out: &mut String, key: &str) {
    let simple = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(key.to_ascii_lowercase().as_str(), "true" | "false" | "null");
    if simple {
        out.push_str(key);
    } else {
        quote(out, key);
    }
}

/// `text` as a JSON string. Beyond JSON's own escapes, the characters YAML does not allow
/// unescaped in a file (DEL, the C1 controls, U+FEFF, U+FFFE, U+FFFF) and the Unicode line
/// separators are written as `\uXXXX` too, which both read the same way.
fn quote(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use saphyr_parser::{Event, Parser, ScalarStyle};

    use super::*;

    /// Reads a document back as the stub loader's parser sees it: quoted scalars are strings,
    /// plain ones are resolved as YAML 1.2's core schema does.
    fn read_back(text: &str) -> Node {
        let mut events = Parser::new_from_str(text).map(|event| event.unwrap().0);
        let mut stack: Vec<Node> = Vec::new();
        let mut keys: Vec<Option<String>> = Vec::new();
        let mut done = None;
        for event in events.by_ref() {
            let node = match event {
                Event::SequenceStart(..) => {
                    stack.push(Node::List(Vec::new()));
                    continue;
                }
                Event::MappingStart(..) => {
                    stack.push(Node::Map(Vec::new()));
                    keys.push(None);
                    continue;
                }
                Event::SequenceEnd => stack.pop().unwrap(),
                Event::MappingEnd => {
                    keys.pop();
                    stack.pop().unwrap()
                }
                Event::Scalar(value, style, _, tag) => {
                    assert!(tag.is_none(), "no tags expected");
                    let at_key = matches!(stack.last(), Some(Node::Map(_)))
                        && keys.last().is_some_and(Option::is_none);
                    match (style, value.as_ref()) {
                        (_, key) if at_key => Node::String(key.to_owned()),
                        (ScalarStyle::Plain, "null") => Node::Null,
                        (ScalarStyle::Plain, "true") => Node::Bool(true),
                        (ScalarStyle::Plain, "false") => Node::Bool(false),
                        (ScalarStyle::Plain, n) if n.parse::<f64>().is_ok() => {
                            Node::Number(n.to_owned())
                        }
                        (ScalarStyle::DoubleQuoted, s) => Node::String(s.to_owned()),
                        (style, s) => panic!("unexpected scalar {s:?} ({style:?})"),
                    }
                }
                Event::StreamEnd => break,
                _ => continue,
            };
            match stack.last_mut() {
                Some(Node::List(items)) => items.push(node),
                Some(Node::Map(entries)) => {
                    let key = keys.last_mut().unwrap();
                    match key.take() {
                        None => match node {
                            Node::String(k) => *key = Some(k),
                            other => panic!("a key that is not a string: {other:?}"),
                        },
                        Some(k) => entries.push((k, node)),
                    }
                }
                _ => done = Some(node),
            }
        }
        done.expect("a document")
    }

    fn round_trip(node: Node) -> String {
        let text = to_string(&node);
        assert_eq!(read_back(&text), node, "read back from:\n{text}");
        text
    }

    #[test]
    fn plain_keys_and_quoted_strings() {
        let text = round_trip(Node::map([
            ("method", Node::text("routeguide.RouteGuide/GetFeature")),
            ("count", Node::Number("3".into())),
            ("on", Node::Bool(true)),
            ("null", Node::Bool(false)),
            ("@type", Node::Null),
            ("location.latitude", Node::text("^40")),
            ("x-user", Node::text("alice")),
        ]));
        assert_eq!(
            text,
            "method: \"routeguide.RouteGuide/GetFeature\"\n\
             count: 3\n\
             on: true\n\
             \"null\": false\n\
             \"@type\": null\n\
             \"location.latitude\": \"^40\"\n\
             x-user: \"alice\"\n"
        );
    }

    #[test]
    fn strings_that_look_like_other_things_stay_strings() {
        let tricky = [
            "",
            "true",
            "null",
            "~",
            "12",
            "0x1f",
            "1e3",
            "- a",
            "a: b",
            "#not a comment",
            "&anchor",
            "*alias",
            "!tag",
            "{{request.name}}",
            "[1, 2]",
            "{a: 1}",
            "'single'",
            "\"double\"",
            "back\\slash",
            "  padded  ",
            "tab\there",
            "two\nlines",
            "crlf\r\n",
            "---",
            "...",
            "%YAML",
            "@at",
            "`tick",
            "|",
            ">",
            "?",
            "yes",
            "NO",
            ".inf",
            "-.nan",
        ];
        let node = Node::List(tricky.iter().map(|s| Node::text(*s)).collect());
        round_trip(node);
    }

    #[test]
    fn unicode_is_kept_and_unsafe_characters_are_escaped() {
        let node = Node::map([
            ("text", Node::text("héllo, 世界 🌍")),
            ("controls", Node::text("\u{0}\u{7}\u{1b}\u{7f}\u{85}\u{9f}")),
            (
                "separators",
                Node::text("a\u{2028}b\u{2029}c\u{feff}d\u{fffe}"),
            ),
        ]);
        let text = round_trip(node);
        assert!(text.contains("héllo, 世界 🌍"), "{text}");
        assert!(
            text.contains(r#""\u0000\u0007\u001b\u007f\u0085\u009f""#),
            "{text}"
        );
        assert!(text.contains(r#""a\u2028b\u2029c\ufeffd\ufffe""#), "{text}");
    }

    #[test]
    fn nesting_and_empty_collections() {
        let node = Node::map([
            ("empty_map", Node::Map(Vec::new())),
            ("empty_list", Node::List(Vec::new())),
            (
                "stream",
                Node::List(vec![
                    Node::map([
                        ("message", Node::map([("name", Node::text("a"))])),
                        ("after", Node::text("10ms")),
                    ]),
                    Node::map([("message", Node::Map(Vec::new()))]),
                    Node::List(vec![Node::Number("1".into()), Node::List(Vec::new())]),
                    Node::List(vec![Node::map([("deep", Node::List(vec![Node::Null]))])]),
                ]),
            ),
        ]);
        let text = round_trip(node);
        assert_eq!(
            text,
            "empty_map: {}\n\
             empty_list: []\n\
             stream:\n  \
               - message:\n      \
                   name: \"a\"\n    \
                 after: \"10ms\"\n  \
               - message: {}\n  \
               - - 1\n    \
                 - []\n  \
               - - deep:\n        \
                     - null\n"
        );
    }

    #[test]
    fn text_is_found_in_strings_and_keys_only() {
        let node = Node::map([
            ("a", Node::List(vec![Node::text("x {{y}}")])),
            ("b{{", Node::Number("12".into())),
        ]);
        assert!(node.contains_text("{{y"));
        assert!(node.contains_text("b{{"));
        assert!(!node.contains_text("12"));
    }

    #[test]
    fn top_level_scalars_and_empties() {
        assert_eq!(round_trip(Node::Map(Vec::new())), "{}\n");
        assert_eq!(round_trip(Node::List(Vec::new())), "[]\n");
        assert_eq!(round_trip(Node::text("x")), "\"x\"\n");
    }

    #[test]
    fn json_text_keeps_its_key_order() {
        let node: Node =
            serde_json::from_str(r#"{"z": 1, "@type": "t", "a": [0.5, -2, 1e300, null]}"#).unwrap();
        assert_eq!(
            round_trip(node),
            "z: 1\n\"@type\": \"t\"\na:\n  - 0.5\n  - -2\n  - 1e+300\n  - null\n"
        );
    }

    #[test]
    fn json_keeps_its_numbers_and_structure() {
        let json = serde_json::json!({
            "latitude": -746188906,
            "ratio": 0.5,
            "big": "18446744073709551615",
            "tags": ["a", "b"],
            "nested": {"ok": false, "none": null},
        });
        round_trip(Node::from_json(&json));
    }
}

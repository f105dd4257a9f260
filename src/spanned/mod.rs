//! YAML 1.2 (and JSON, which is YAML) read into a tree whose every value knows where it was
//! written: line and column, from 1. Errors about a file's contents can then point at the key or
//! value at fault, as `line:column`.
//!
//! Only the text's structure: plain scalars are resolved by the YAML 1.2 core schema (null,
//! booleans, integers, floats; anything else, and every quoted scalar, is a string). Anchors and
//! aliases are expanded here, with a bound on the nodes an alias may add (alias bombs), and an
//! alias inside its own anchor (a loop) is an error. A mapping's keys are unique.

mod json;
mod parse;
mod resolve;

pub use parse::{MAX_NODES, parse};

/// A place in the text: line and column, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A value and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub at: Position,
    pub value: Value,
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// An integer or a float, as JSON holds it. YAML's `.inf` and `.nan` are strings instead
    /// (`"Infinity"`, `"-Infinity"`, `"NaN"`), the way proto3 JSON writes them.
    Number(serde_json::Number),
    String(String),
    Sequence(Vec<Node>),
    /// The entries in the order they were written.
    Mapping(Vec<(Key, Node)>),
}

/// A mapping's key: its text, and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub at: Position,
    pub text: String,
}

/// Text that is not well-formed YAML, or that this reader refuses (a loop, a bomb, a duplicate
/// key): where, and why, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanError {
    pub at: Position,
    pub message: String,
}

impl Node {
    /// The node's kind in words, for error messages: "a mapping", "a string"…
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Sequence(_) => "a list",
            Value::Mapping(_) => "a mapping",
        }
    }

    /// The node as JSON (positions dropped).
    pub fn to_json(&self) -> serde_json::Value {
        json::to_json(self)
    }

    /// The entry of a mapping with key `name`.
    pub fn get(&self, name: &str) -> Option<&Node> {
        match &self.value {
            Value::Mapping(entries) => entries
                .iter()
                .find(|(key, _)| key.text == name)
                .map(|(_, node)| node),
            _ => None,
        }
    }

    /// The string, if the node is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }
}

/// "unknown key 'x'" with, when one of `known` is close, "; did you mean 'y'?".
pub fn unknown_key(what: &str, unknown: &str, known: &[&str]) -> String {
    match nearest(unknown, known) {
        Some(near) => format!("unknown {what} '{unknown}'; did you mean '{near}'?"),
        None if known.len() <= 12 && !known.is_empty() => {
            format!(
                "unknown {what} '{unknown}'; expected one of: {}",
                known.join(", ")
            )
        }
        None => format!("unknown {what} '{unknown}'"),
    }
}

/// The one of `known` closest to `unknown`, if any is close enough to be a likely typo.
pub fn nearest<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
    // Jaro-Winkler finds long names with a slip; edits find short ones (`Gte` for `Get`).
    known
        .iter()
        .map(|candidate| (strsim::jaro_winkler(unknown, candidate), *candidate))
        .filter(|(score, candidate)| {
            *score >= 0.8 || (unknown.len() >= 3 && strsim::osa_distance(unknown, candidate) <= 2)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests;

//! Small readers for a stub file's values: a mapping with known keys, a whole number, a
//! duration, a regex. Each error points at the node at fault.

use std::{sync::Arc, time::Duration};

use prost_reflect::DescriptorPool;
use regex::Regex;

use super::StubError;
use crate::spanned::{Key, Node, Value, unknown_key};

/// What reading a file needs: its name (for errors) and the descriptors.
pub(crate) struct Source<'a> {
    pub file: Arc<str>,
    pub pool: &'a DescriptorPool,
}

impl Source<'_> {
    pub fn error(
        &self,
        node_at: crate::spanned::Position,
        message: impl Into<String>,
    ) -> StubError {
        StubError::at(&self.file, node_at, message)
    }

    /// The entries of a mapping whose keys are all among `known`; `what` names it in errors.
    pub fn mapping<'n>(
        &self,
        node: &'n Node,
        what: &str,
        known: &[&str],
    ) -> Result<&'n [(Key, Node)], StubError> {
        let Value::Mapping(entries) = &node.value else {
            return Err(self.error(
                node.at,
                format!("{what} must be a mapping, not {}", node.kind()),
            ));
        };
        for (key, _) in entries {
            if !known.contains(&key.text.as_str()) {
                return Err(self.error(key.at, unknown_key("key", &key.text, known)));
            }
        }
        Ok(entries)
    }

    /// The entries of a mapping whose keys are free (field paths, header names).
    pub fn entries<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [(Key, Node)], StubError> {
        match &node.value {
            Value::Mapping(entries) => Ok(entries),
            _ => Err(self.error(
                node.at,
                format!("{what} must be a mapping, not {}", node.kind()),
            )),
        }
    }

    pub fn string<'n>(&self, node: &'n Node, what: &str) -> Result<&'n str, StubError> {
        node.as_str().ok_or_else(|| {
            self.error(
                node.at,
                format!("{what} must be a string, not {}", node.kind()),
            )
        })
    }

    /// A whole number of at least 0.
    pub fn count(&self, node: &Node, what: &str) -> Result<u64, StubError> {
        match &node.value {
            Value::Number(number) if number.as_u64().is_some() => Ok(number.as_u64().unwrap_or(0)),
            _ => Err(self.error(
                node.at,
                format!(
                    "{what} must be a whole number of at least 0, not {}",
                    shown(node)
                ),
            )),
        }
    }

    pub fn integer(&self, node: &Node, what: &str) -> Result<i64, StubError> {
        match &node.value {
            Value::Number(number) if number.as_i64().is_some() => Ok(number.as_i64().unwrap_or(0)),
            _ => Err(self.error(
                node.at,
                format!("{what} must be a whole number, not {}", shown(node)),
            )),
        }
    }

    /// `50ms`, `2s`, `1m 30s`.
    pub fn duration(&self, node: &Node, what: &str) -> Result<Duration, StubError> {
        let bad = |why: String| {
            self.error(
                node.at,
                format!(
                    "bad {what} {}: {why}; write a duration such as 50ms or 2s",
                    shown(node)
                ),
            )
        };
        let text = node.as_str().ok_or_else(|| bad("not a duration".into()))?;
        humantime::parse_duration(text).map_err(|err| bad(err.to_string()))
    }

    pub fn regex(&self, node: &Node, what: &str) -> Result<Regex, StubError> {
        let text = self.string(node, what)?;
        Regex::new(text).map_err(|err| {
            let why = err.to_string();
            // The regex crate draws the pattern over several lines; its last one says why.
            let why = why
                .lines()
                .rev()
                .find(|line| !line.trim().is_empty())
                .unwrap_or("");
            let why = why.trim().trim_start_matches("error: ");
            self.error(node.at, format!("bad regex '{text}' in {what}: {why}"))
        })
    }
}

/// A scalar as it was written, for error messages: `'abc'`, `5`; or its kind.
pub(crate) fn shown(node: &Node) -> String {
    match &node.value {
        Value::String(text) => format!("'{text}'"),
        Value::Number(number) => number.to_string(),
        Value::Bool(value) => value.to_string(),
        _ => node.kind().to_owned(),
    }
}

//! When a stub answers a call: conditions on the request (`equals`, `contains`, `matches`), on
//! the headers (exact or regex), and on a client stream's messages (`count`, `any`, `all`,
//! `equals`). Compiled when the stub is loaded; checked for each call.

use std::sync::Arc;

use http::HeaderName;
use prost_reflect::{DynamicMessage, MessageDescriptor};
use regex::Regex;

use super::{
    CallView, StubError,
    compare::{self, Subset, Tally},
    message::{self, Leaves},
    paths::FieldPath,
    read::Source,
};
use crate::spanned::Node;

/// Conditions on one message: `equals`, `contains` and `matches`, all of which must hold.
#[derive(Debug, Clone)]
pub struct RequestMatcher {
    equals: Option<DynamicMessage>,
    contains: Option<Subset>,
    matches: Vec<(FieldPath, Regex)>,
    pub(crate) points: usize,
}

/// When a stub answers a call. An empty matcher matches every call of the method.
#[derive(Debug, Default)]
pub struct CallMatcher {
    request: Option<RequestMatcher>,
    headers: Vec<(HeaderName, HeaderCondition)>,
    messages: Option<super::messages::MessagesMatcher>,
    points: usize,
}

#[derive(Debug)]
enum HeaderCondition {
    Exact(String),
    Regex(Regex),
}

pub(crate) const REQUEST_KEYS: &[&str] = &["equals", "contains", "matches"];

impl RequestMatcher {
    /// A matcher written as JSON (`{"equals": …, "contains": …, "matches": …}`), for `descriptor`
    /// messages: the admin service's filters. The error is one line, without a position.
    pub fn from_json(
        json: &serde_json::Value,
        descriptor: &MessageDescriptor,
    ) -> Result<RequestMatcher, String> {
        let pool = descriptor.parent_pool();
        let source = Source {
            file: Arc::from("match"),
            pool,
        };
        RequestMatcher::compile(&source, &from_json(json), descriptor).map_err(|err| err.message)
    }

    /// Whether `message` meets every condition.
    pub fn matches(&self, message: &DynamicMessage) -> bool {
        let mut tally = Tally::quick();
        self.check(message, "request", &mut tally);
        tally.failed == 0
    }

    /// Conditions it has: one per leaf field of `equals` and `contains`, one per `matches`.
    pub fn specificity(&self) -> usize {
        self.points
    }

    pub(crate) fn compile(
        source: &Source<'_>,
        node: &Node,
        descriptor: &MessageDescriptor,
    ) -> Result<RequestMatcher, StubError> {
        let entries = source.mapping(node, "a request match", REQUEST_KEYS)?;
        let mut matcher = RequestMatcher {
            equals: None,
            contains: None,
            matches: Vec::new(),
            points: 0,
        };
        for (key, value) in entries {
            match key.text.as_str() {
                "equals" => {
                    let checked = message::check(source, value, descriptor, Leaves::Text)?;
                    matcher.points += compare::leaves(value);
                    matcher.equals = Some(checked.message);
                }
                "contains" => {
                    let checked = message::check(source, value, descriptor, Leaves::Text)?;
                    let subset = Subset::new(value, &checked.message);
                    matcher.points += subset.points();
                    matcher.contains = Some(subset);
                }
                _ => {
                    let paths = source.entries(value, "matches (field paths to regexes)")?;
                    for (path, regex) in paths {
                        let field_path = FieldPath::parse(&path.text, descriptor)
                            .map_err(|why| source.error(path.at, why))?;
                        let regex = source.regex(regex, &format!("matches '{}'", path.text))?;
                        matcher.matches.push((field_path, regex));
                        matcher.points += 1;
                    }
                }
            }
        }
        Ok(matcher)
    }

    pub(crate) fn check(&self, message: &DynamicMessage, path: &str, tally: &mut Tally) {
        if let Some(want) = &self.equals {
            compare::equals(want, message, path, tally);
        }
        if let Some(subset) = &self.contains {
            if tally.done() {
                return;
            }
            subset.check_message(message, path, tally);
        }
        for (field_path, regex) in &self.matches {
            if tally.done() {
                return;
            }
            let texts = field_path.texts(message);
            if !texts.iter().any(|text| regex.is_match(text)) {
                tally.fail(|| {
                    let got = match texts.as_slice() {
                        [] => "nothing".to_owned(),
                        [one] => serde_json::Value::String(one.clone()).to_string(),
                        many => format!("{} values, none matching", many.len()),
                    };
                    format!(
                        "{path}.{}: want a match of /{}/, got {got}",
                        field_path.text,
                        regex.as_str()
                    )
                });
            }
        }
    }
}

/// A JSON value as a node without positions.
fn from_json(json: &serde_json::Value) -> Node {
    use crate::spanned::{Key, Position, Value as V};
    let at = Position::default();
    let value = match json {
        serde_json::Value::Null => V::Null,
        serde_json::Value::Bool(b) => V::Bool(*b),
        serde_json::Value::Number(n) => V::Number(n.clone()),
        serde_json::Value::String(s) => V::String(s.clone()),
        serde_json::Value::Array(items) => V::Sequence(items.iter().map(from_json).collect()),
        serde_json::Value::Object(fields) => V::Mapping(
            fields
                .iter()
                .map(|(k, v)| {
                    (
                        Key {
                            at,
                            text: k.clone(),
                        },
                        from_json(v),
                    )
                })
                .collect(),
        ),
    };
    Node { at, value }
}

impl CallMatcher {
    /// Conditions it has: the stub's specificity.
    pub fn specificity(&self) -> usize {
        self.points
    }

    /// Whether the call meets every condition.
    pub fn matches(&self, call: &CallView<'_>) -> bool {
        let mut tally = Tally::quick();
        self.check(call, &mut tally);
        tally.failed == 0
    }

    /// The message wanted, if `request.equals` is the only condition: such stubs are found by
    /// the request's encoding.
    pub(crate) fn equals_only(&self) -> Option<&DynamicMessage> {
        match (&self.request, self.headers.is_empty(), &self.messages) {
            (Some(request), true, None)
                if request.contains.is_none() && request.matches.is_empty() =>
            {
                request.equals.as_ref()
            }
            _ => None,
        }
    }

    /// Bidi rules: whether one incoming message meets the request conditions.
    pub fn matches_message(&self, message: &DynamicMessage) -> bool {
        self.request
            .as_ref()
            .is_none_or(|request| request.matches(message))
    }

    /// A bidi rule's matcher: request conditions only.
    pub(crate) fn for_message(request: RequestMatcher) -> CallMatcher {
        CallMatcher {
            points: request.points,
            request: Some(request),
            ..CallMatcher::default()
        }
    }

    pub(crate) fn check(&self, call: &CallView<'_>, tally: &mut Tally) {
        for (name, condition) in &self.headers {
            if tally.done() {
                return;
            }
            let values = || {
                call.headers
                    .get_all(name)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
            };
            let holds = values().any(|value| match condition {
                HeaderCondition::Exact(want) => value == want,
                HeaderCondition::Regex(regex) => regex.is_match(value),
            });
            if !holds {
                tally.fail(|| {
                    let want = match condition {
                        HeaderCondition::Exact(want) => {
                            serde_json::Value::String(want.clone()).to_string()
                        }
                        HeaderCondition::Regex(regex) => format!("a match of /{}/", regex.as_str()),
                    };
                    let got = match values().next() {
                        Some(value) => serde_json::Value::String(value.to_owned()).to_string(),
                        None => "none".to_owned(),
                    };
                    format!("header {name}: want {want}, got {got}")
                });
            }
        }
        if let Some(request) = &self.request {
            match call.messages.first() {
                Some(message) => request.check(message, "request", tally),
                None => tally.fail(|| "request: want one, got none".to_owned()),
            }
        }
        if let Some(messages) = &self.messages {
            messages.check(call.messages, tally);
        }
    }

    pub(crate) fn compile(
        source: &Source<'_>,
        node: &Node,
        descriptor: &MessageDescriptor,
        kinds: super::stub::Kinds,
    ) -> Result<CallMatcher, StubError> {
        let entries = source.mapping(node, "match", &["request", "headers", "messages"])?;
        let mut matcher = CallMatcher::default();
        for (key, value) in entries {
            match key.text.as_str() {
                "request" => {
                    if kinds.client_streaming {
                        let instead = if kinds.server_streaming {
                            "react to messages with reply.on rules"
                        } else {
                            "use match.messages"
                        };
                        return Err(source.error(key.at, format!("match.request is for unary and server-stream methods; this is a {} method: {instead}", kinds.name())));
                    }
                    let request = RequestMatcher::compile(source, value, descriptor)?;
                    matcher.points += request.points;
                    matcher.request = Some(request);
                }
                "headers" => {
                    let headers = source.entries(value, "headers")?;
                    for (name, condition) in headers {
                        let header =
                            HeaderName::try_from(name.text.to_ascii_lowercase()).map_err(|_| {
                                source
                                    .error(name.at, format!("'{}' is not a header name", name.text))
                            })?;
                        let condition = match &condition.value {
                            crate::spanned::Value::Mapping(_) => {
                                let entries =
                                    source.mapping(condition, "a header match", &["matches"])?;
                                match entries.first() {
                                    Some((_, regex)) => HeaderCondition::Regex(
                                        source.regex(regex, &format!("header {}", name.text))?,
                                    ),
                                    None => {
                                        return Err(source.error(
                                            condition.at,
                                            "write a value, or {matches: REGEX}",
                                        ));
                                    }
                                }
                            }
                            crate::spanned::Value::String(text) => {
                                HeaderCondition::Exact(text.clone())
                            }
                            crate::spanned::Value::Number(number) => {
                                HeaderCondition::Exact(number.to_string())
                            }
                            crate::spanned::Value::Bool(value) => {
                                HeaderCondition::Exact(value.to_string())
                            }
                            _ => {
                                return Err(source.error(
                                    condition.at,
                                    format!(
                                        "header {} must be a value or {{matches: REGEX}}, not {}",
                                        name.text,
                                        condition.kind()
                                    ),
                                ));
                            }
                        };
                        matcher.headers.push((header, condition));
                        matcher.points += 1;
                    }
                }
                _ => {
                    if !kinds.client_streaming {
                        return Err(source.error(key.at, format!("match.messages is for client-stream methods; this is a {} method: use match.request", kinds.name())));
                    }
                    if kinds.server_streaming {
                        return Err(source.error(key.at, "match.messages is for client-stream methods: a bidi stub is chosen on its headers when the call starts, before any message; react to messages with reply.on rules"));
                    }
                    let messages =
                        super::messages::MessagesMatcher::compile(source, value, descriptor)?;
                    matcher.points += messages.points();
                    matcher.messages = Some(messages);
                }
            }
        }
        Ok(matcher)
    }
}

//! Text with placeholders, filled in anew for each use: `{{n}}` (a number the caller gives),
//! `{{uuid}}` (a random version-4 UUID) and `{{rand A B}}` (a random integer in [A, B]).
//!
//! A stub's reply (`apicli serve --stubs`) has three more, read from the call it answers:
//! `{{request.path.to.field}}` (lists by index: `{{request.points.0.x}}`), `{{header "name"}}`
//! and `{{now}}` (RFC 3339, UTC, milliseconds). [`Template::parse`] refuses them, since bench has
//! no call to read them from; [`Template::parse_reply`] takes them all.
//!
//! Only the text: where it comes from and what it becomes are the caller's business.

use std::{fmt::Write as _, time::SystemTime};

use crate::exit::one_line;

/// A text, split at its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    /// `{{n}}`: the number given to [`Template::render`].
    Number,
    /// `{{uuid}}`: a random version-4 UUID, new at each occurrence.
    Uuid,
    /// `{{rand A B}}`: an integer in [A, B], new at each occurrence.
    Rand(i64, i64),
    /// `{{request.a.b}}`: a field of the request, by its path (names and list indexes).
    Request(Vec<String>),
    /// `{{header "name"}}`: a request header's value, empty if absent.
    Header(http::HeaderName),
    /// `{{now}}`: the time, RFC 3339 in UTC with milliseconds.
    Now,
}

/// Which placeholders a text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// `{{n}}`, `{{uuid}}`, `{{rand A B}}`.
    Plain,
    /// Those, and the ones that read the call a stub answers.
    Reply,
}

/// What a reply's placeholders are filled in from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// `{{n}}`.
    pub n: u64,
    /// The request as proto3 JSON, for `{{request…}}`; None renders them empty.
    pub request: Option<&'a serde_json::Value>,
    /// For `{{header "name"}}`; None renders them empty.
    pub headers: Option<&'a http::HeaderMap>,
}

/// Why a text's placeholders cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `{{` without `}}`: the text from `{{`, at most 20 characters, and the placeholders the
    /// text may hold.
    Unclosed(String, &'static str),
    /// A placeholder, as written between its braces, and why it is wrong.
    Bad { inside: String, why: String },
}

impl TemplateError {
    /// The error in one line, naming where the text came from (`source`, e.g. a flag).
    pub fn message(&self, source: &str) -> String {
        one_line(match self {
            TemplateError::Unclosed(shown, syntax) => {
                format!("bad placeholder in {source}: '{shown}' has no closing '}}}}'; {syntax}")
            }
            TemplateError::Bad { inside, why } => {
                format!("bad placeholder '{{{{{inside}}}}}' in {source}: {why}")
            }
        })
    }
}

const SYNTAX: &str = "the placeholders are {{n}}, {{uuid}} and {{rand A B}}";

const REPLY_SYNTAX: &str = "the placeholders are {{n}}, {{uuid}}, {{rand A B}}, {{now}}, \
                            {{request.FIELD}} and {{header \"NAME\"}}";

impl Template {
    /// Splits `text` at its placeholders: `{{n}}`, `{{uuid}}` and `{{rand A B}}` only.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        Template::parse_as(text, Syntax::Plain)
    }

    /// Splits a stub reply's `text` at its placeholders, those that read the call included.
    pub fn parse_reply(text: &str) -> Result<Template, TemplateError> {
        Template::parse_as(text, Syntax::Reply)
    }

    fn parse_as(text: &str, syntax: Syntax) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let inside = &rest[open + 2..];
            let Some(close) = inside.find("}}") else {
                let shown: String = rest[open..].chars().take(20).collect();
                let syntax = match syntax {
                    Syntax::Plain => SYNTAX,
                    Syntax::Reply => REPLY_SYNTAX,
                };
                return Err(TemplateError::Unclosed(shown, syntax));
            };
            parts.push(placeholder(&inside[..close], syntax)?);
            rest = &inside[close + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Template { parts })
    }

    /// Whether the text has no placeholders, so that every rendering is the same.
    pub fn is_constant(&self) -> bool {
        self.parts.iter().all(|part| matches!(part, Part::Text(_)))
    }

    /// If the text is exactly one `{{request…}}` placeholder, its path: a stub puts the field's
    /// value there whatever its type, not its text.
    pub fn whole_request_path(&self) -> Option<&[String]> {
        match self.parts.as_slice() {
            [Part::Request(path)] => Some(path),
            _ => None,
        }
    }

    /// The paths of its `{{request…}}` placeholders, to be checked against the request's type.
    pub fn request_paths(&self) -> impl Iterator<Item = &[String]> {
        self.parts.iter().filter_map(|part| match part {
            Part::Request(path) => Some(path.as_slice()),
            _ => None,
        })
    }

    /// The JSON objects of a text that holds them one after another (NDJSON, or separated by
    /// any white space), each a template of its own. Braces and quotes are read in the text
    /// between the placeholders, and a placeholder is never cut: `{"a":{{n}}}` is one object.
    /// What stands outside the objects is kept with the one that follows it, for the JSON
    /// reader to refuse.
    pub fn split_objects(&self) -> Vec<Template> {
        let mut objects = Vec::new();
        let mut parts: Vec<Part> = Vec::new();
        let mut text = String::new();
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for part in &self.parts {
            let Part::Text(chunk) = part else {
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(part.clone());
                continue;
            };
            for c in chunk.chars() {
                let between = depth == 0 && !in_string && text.is_empty() && parts.is_empty();
                if between && c.is_whitespace() {
                    continue;
                }
                text.push(c);
                if in_string {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_string = true,
                    '{' | '[' => depth += 1,
                    '}' | ']' if depth > 0 => {
                        depth -= 1;
                        if depth == 0 {
                            parts.push(Part::Text(std::mem::take(&mut text)));
                            objects.push(Template {
                                parts: std::mem::take(&mut parts),
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        if !text.trim().is_empty() {
            parts.push(Part::Text(text));
        }
        if !parts.is_empty() {
            objects.push(Template { parts });
        }
        objects
    }

    /// Appends the text for number `n` to `out`.
    pub fn render(&self, n: u64, random: &mut Random, out: &mut String) {
        let context = Context {
            n,
            ..Context::default()
        };
        self.render_with(&context, random, out);
    }

    /// Appends the text for `context` to `out`.
    pub fn render_with(&self, context: &Context<'_>, random: &mut Random, out: &mut String) {
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Number => {
                    out.push_str(itoa::Buffer::new().format(context.n));
                }
                Part::Request(path) => {
                    if let Some(value) = context.request.and_then(|json| lookup(json, path)) {
                        push_json_text(value, out);
                    }
                }
                Part::Header(name) => {
                    let value = context.headers.and_then(|headers| headers.get(name));
                    if let Some(value) = value.and_then(|value| value.to_str().ok()) {
                        out.push_str(value);
                    }
                }
                Part::Now => out.push_str(&now_text(SystemTime::now())),
                Part::Uuid => {
                    let mut bytes = [0; 16];
                    bytes[..8].copy_from_slice(&random.next().to_le_bytes());
                    bytes[8..].copy_from_slice(&random.next().to_le_bytes());
                    let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
                    let _ = write!(out, "{}", uuid.hyphenated());
                }
                Part::Rand(low, high) => {
                    out.push_str(itoa::Buffer::new().format(random.between(*low, *high)));
                }
            }
        }
    }

    /// The text with each `{{rand A B}}` at one end of its range (A or B), `{{n}}` 0 and a
    /// fixed UUID.
    pub fn render_extreme(&self, extreme: Extreme, out: &mut String) {
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Number => out.push('0'),
                Part::Request(_) | Part::Header(_) => {}
                Part::Now => out.push_str("1970-01-01T00:00:00.000Z"),
                Part::Uuid => out.push_str("00000000-0000-4000-8000-000000000000"),
                Part::Rand(low, high) => {
                    let value = match extreme {
                        Extreme::Low => *low,
                        Extreme::High => *high,
                    };
                    out.push_str(itoa::Buffer::new().format(value));
                }
            }
        }
    }
}

/// One end of every `{{rand A B}}`'s range.
#[derive(Debug, Clone, Copy)]
pub enum Extreme {
    Low,
    High,
}

fn placeholder(inside: &str, syntax: Syntax) -> Result<Part, TemplateError> {
    let bad = |why: &str| TemplateError::Bad {
        inside: inside.to_owned(),
        why: why.to_owned(),
    };
    let words: Vec<&str> = inside.split_whitespace().collect();
    let reads_the_call = matches!(words.first(), Some(&("now" | "header")))
        || words
            .first()
            .is_some_and(|word| *word == "request" || word.starts_with("request."));
    if reads_the_call && syntax == Syntax::Plain {
        return Err(bad(&format!(
            "it reads the call a stub answers, and only a stub's reply has one; {SYNTAX}"
        )));
    }
    match words.as_slice() {
        ["now"] => Ok(Part::Now),
        ["header", ..] => {
            let quoted = inside.trim_start()["header".len()..].trim();
            let name = quoted
                .strip_prefix('"')
                .and_then(|rest| rest.strip_suffix('"'))
                .ok_or_else(|| bad("write {{header \"NAME\"}}, the name in double quotes"))?;
            http::HeaderName::try_from(name.to_ascii_lowercase())
                .map(Part::Header)
                .map_err(|_| bad(&format!("'{name}' is not a header name")))
        }
        [word] if word.starts_with("request.") => {
            let path: Vec<String> = word["request.".len()..]
                .split('.')
                .map(str::to_owned)
                .collect();
            if path.iter().any(String::is_empty) {
                return Err(bad(
                    "write {{request.FIELD}}, with a field path such as a.b.0.c",
                ));
            }
            Ok(Part::Request(path))
        }
        ["request", ..] => Err(bad(
            "write {{request.FIELD}}, with a field path such as a.b.0.c",
        )),
        ["n"] => Ok(Part::Number),
        ["uuid"] => Ok(Part::Uuid),
        ["rand", low, high] => {
            let number = |word: &str| {
                word.parse::<i64>()
                    .map_err(|_| bad(&format!("'{word}' is not a whole number")))
            };
            let (low, high) = (number(low)?, number(high)?);
            if low > high {
                return Err(bad("A must not be more than B in {{rand A B}}"));
            }
            Ok(Part::Rand(low, high))
        }
        ["rand", ..] => Err(bad("write {{rand A B}}, two whole numbers A ≤ B")),
        _ => Err(bad(match syntax {
            Syntax::Plain => SYNTAX,
            Syntax::Reply => REPLY_SYNTAX,
        })),
    }
}

/// The value at `path` in `json`: object keys (a proto field name also finds its lowerCamelCase
/// JSON name) and list indexes.
pub fn lookup<'v>(json: &'v serde_json::Value, path: &[String]) -> Option<&'v serde_json::Value> {
    path.iter().try_fold(json, |value, step| match value {
        serde_json::Value::Object(fields) => fields
            .get(step)
            .or_else(|| fields.get(&lower_camel_case(step))),
        serde_json::Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// `some_field` as proto3 JSON names it: `someField`.
fn lower_camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.push(c.to_ascii_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// A JSON value as text: strings as they are, null as nothing, the rest as compact JSON.
fn push_json_text(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::String(text) => out.push_str(text),
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// `time` as `{{now}}` writes it: RFC 3339, UTC, milliseconds (`2026-12-05T10:11:32.123Z`).
pub fn now_text(time: SystemTime) -> String {
    humantime::format_rfc3339_millis(time).to_string()
}

/// A small, fast random number generator (SplitMix64): placeholders need variety, not secrecy.
#[derive(Debug, Clone)]
pub struct Random(u64);

impl Random {
    /// Seeded from `seed` and the operating system's randomness.
    pub fn new(seed: u64) -> Random {
        let entropy = uuid::Uuid::new_v4().as_u64_pair().0;
        Random(entropy ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An integer in [low, high] (low ≤ high).
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        let span = high.wrapping_sub(low) as u64;
        let offset = match span.checked_add(1) {
            // The whole range of i64.
            None => self.next(),
            // Multiply-shift: unbiased enough for load, and no division.
            Some(size) => ((u128::from(self.next()) * u128::from(size)) >> 64) as u64,
        };
        low.wrapping_add(offset as i64)
    }
}

#[cfg(test)]
mod tests;

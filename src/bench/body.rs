//! The request messages of every call: `-d`'s text with its placeholders (`{{n}}`, `{{uuid}}`,
//! `{{rand A B}}`) filled in, parsed and encoded. A text without placeholders is encoded once,
//! and each call sends the same bytes.

use std::{fmt::Write as _, sync::Arc};

use bytes::Bytes;
use prost::Message as _;
use prost_reflect::{DynamicMessage, MessageDescriptor};

use crate::{
    call::{MessageReader, RequestData, read_one},
    exit::{UsageError, one_line},
    settings::{self, bound},
};

/// `-d`'s text, split at its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    /// `{{n}}`: the call's number, from 0 (warm-up calls included).
    Number,
    /// `{{uuid}}`: a random version-4 UUID, new at each occurrence.
    Uuid,
    /// `{{rand A B}}`: an integer in [A, B], new at each occurrence.
    Rand(i64, i64),
}

impl Template {
    /// Splits `text` at its placeholders; a malformed one is a usage error.
    pub fn parse(text: &str) -> Result<Template, UsageError> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let inside = &rest[open + 2..];
            let Some(close) = inside.find("}}") else {
                let shown: String = rest[open..].chars().take(20).collect();
                return Err(UsageError(one_line(format!(
                    "bad placeholder in -d: '{shown}' has no closing '}}}}'; {SYNTAX}"
                ))));
            };
            parts.push(placeholder(&inside[..close])?);
            rest = &inside[close + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Template { parts })
    }

    /// Whether the text has no placeholders, so that every call sends the same messages.
    pub fn is_constant(&self) -> bool {
        self.parts.iter().all(|part| matches!(part, Part::Text(_)))
    }

    /// Appends the text for call `n` to `out`.
    pub fn render(&self, n: u64, random: &mut Random, out: &mut String) {
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Number => {
                    out.push_str(itoa::Buffer::new().format(n));
                }
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
}

const SYNTAX: &str = "the placeholders are {{n}}, {{uuid}} and {{rand A B}}";

fn placeholder(inside: &str) -> Result<Part, UsageError> {
    let bad = |why: &str| {
        UsageError(one_line(format!(
            "bad placeholder '{{{{{inside}}}}}' in -d: {why}"
        )))
    };
    let words: Vec<&str> = inside.split_whitespace().collect();
    match words.as_slice() {
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
        _ => Err(bad(SYNTAX)),
    }
}

/// `-d`'s text (the file or stdin read whole), split at its placeholders.
pub fn read_template(data: &RequestData) -> Result<Option<Template>, UsageError> {
    let text = match data {
        RequestData::None => return Ok(None),
        RequestData::Inline(text) => text.clone(),
        RequestData::File(path) => settings::read_text("-d", path, bound::REQUEST_TEXT)?,
        RequestData::Stdin => {
            let bytes = settings::read_bounded(std::io::stdin(), bound::REQUEST_TEXT, None)
                .map_err(|why| UsageError(format!("-d @-: {why}")))?;
            String::from_utf8(bytes)
                .map_err(|_| UsageError(format!("-d @-: {}", settings::NOT_TEXT)))?
        }
    };
    Template::parse(&text).map(Some)
}

/// The encoded request messages of each call.
#[derive(Debug)]
pub struct Body {
    kind: BodyKind,
    /// Unary and server-streaming methods take exactly one message.
    one: bool,
    /// For messages: `package.Service/Method`.
    method: String,
}

#[derive(Debug)]
enum BodyKind {
    /// Encoded once.
    Fixed(Arc<[Bytes]>),
    /// Filled in, parsed and encoded for each call.
    Varying {
        template: Template,
        descriptor: MessageDescriptor,
    },
}

impl Body {
    /// The messages for a method whose requests are `descriptor`: `one` for unary and
    /// server-streaming methods. A template with placeholders is tried once, with the smallest
    /// numbers it can hold and then the largest, so that a message that cannot parse is a usage
    /// error before the first call.
    pub fn new(
        template: Option<&Template>,
        descriptor: &MessageDescriptor,
        one: bool,
        method: &str,
    ) -> Result<Body, UsageError> {
        let method = method.to_owned();
        let Some(template) = template else {
            let empty: Arc<[Bytes]> = if one {
                Arc::new([Bytes::new()])
            } else {
                Arc::new([])
            };
            return Ok(Body {
                kind: BodyKind::Fixed(empty),
                one,
                method,
            });
        };
        if template.is_constant() {
            let mut text = String::new();
            template.render(0, &mut Random::new(0), &mut text);
            let messages = encode(&text, descriptor, one, &method)?;
            return Ok(Body {
                kind: BodyKind::Fixed(messages.into()),
                one,
                method,
            });
        }
        let body = Body {
            kind: BodyKind::Varying {
                template: template.clone(),
                descriptor: descriptor.clone(),
            },
            one,
            method,
        };
        for extreme in [Extreme::Low, Extreme::High] {
            let mut text = String::new();
            template.render_extreme(extreme, &mut text);
            encode(&text, descriptor, one, &body.method).map_err(|err| {
                UsageError(format!("{} (with the placeholders filled in)", err.0))
            })?;
        }
        Ok(body)
    }

    /// Whether every call sends the same bytes.
    #[cfg(test)]
    fn is_fixed(&self) -> bool {
        matches!(self.kind, BodyKind::Fixed(_))
    }

    /// The message every call sends, when it is always the same one (unary and
    /// server-streaming methods without placeholders).
    pub fn constant_one(&self) -> Option<&Bytes> {
        match &self.kind {
            BodyKind::Fixed(messages) if self.one => messages.first(),
            _ => None,
        }
    }

    /// The one message of call `n` (unary and server-streaming methods).
    pub fn one(&self, n: u64, scratch: &mut Scratch) -> Result<Bytes, String> {
        match &self.kind {
            BodyKind::Fixed(messages) => Ok(messages.first().cloned().unwrap_or_default()),
            BodyKind::Varying { .. } => {
                let messages = self.varying(n, scratch)?;
                Ok(messages.into_iter().next().unwrap_or_default())
            }
        }
    }

    /// Every message of call `n` (client-streaming and bidi methods).
    pub fn all(&self, n: u64, scratch: &mut Scratch) -> Result<Arc<[Bytes]>, String> {
        match &self.kind {
            BodyKind::Fixed(messages) => Ok(Arc::clone(messages)),
            BodyKind::Varying { .. } => self.varying(n, scratch).map(Arc::from),
        }
    }

    fn varying(&self, n: u64, scratch: &mut Scratch) -> Result<Vec<Bytes>, String> {
        let BodyKind::Varying {
            template,
            descriptor,
        } = &self.kind
        else {
            return Ok(Vec::new());
        };
        scratch.text.clear();
        template.render(n, &mut scratch.random, &mut scratch.text);
        encode(&scratch.text, descriptor, self.one, &self.method).map_err(|err| err.0)
    }
}

/// What a caller keeps between calls to fill in placeholders: the text buffer and the random
/// numbers.
pub struct Scratch {
    text: String,
    random: Random,
}

impl Scratch {
    /// `seed` sets the random numbers apart from other callers'.
    pub fn new(seed: u64) -> Scratch {
        Scratch {
            text: String::new(),
            random: Random::new(seed),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Extreme {
    Low,
    High,
}

impl Template {
    /// The text with each `{{rand A B}}` at one end of its range (A or B), `{{n}}` 0 and a
    /// fixed UUID.
    fn render_extreme(&self, extreme: Extreme, out: &mut String) {
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Number => out.push('0'),
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

/// Parses `text` (one message when `one`, else any number) and encodes each message.
fn encode(
    text: &str,
    descriptor: &MessageDescriptor,
    one: bool,
    method: &str,
) -> Result<Vec<Bytes>, UsageError> {
    let messages: Vec<DynamicMessage> = if one {
        vec![read_one(
            &RequestData::Inline(text.to_owned()),
            descriptor,
            method,
        )?]
    } else {
        let mut reader = MessageReader::new(text.as_bytes(), descriptor.clone());
        let mut messages = Vec::new();
        while let Some(message) = reader.next_message()? {
            messages.push(message);
        }
        messages
    };
    Ok(messages
        .into_iter()
        .map(|message| Bytes::from(message.encode_to_vec()))
        .collect())
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

    pub fn next(&mut self) -> u64 {
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
mod tests {
    use super::*;
    use prost_reflect::DescriptorPool;

    fn message(name: &str) -> MessageDescriptor {
        let pool = DescriptorPool::decode(crate::api::FILE_DESCRIPTOR_SET).unwrap();
        pool.get_message_by_name(name).unwrap()
    }

    fn render(text: &str, n: u64) -> String {
        let mut out = String::new();
        Template::parse(text)
            .unwrap()
            .render(n, &mut Random::new(1), &mut out);
        out
    }

    #[test]
    fn placeholders_are_filled_in() {
        assert_eq!(
            render(r#"{"name":"user {{n}}"}"#, 42),
            r#"{"name":"user 42"}"#
        );
        assert_eq!(render("{{ n }}-{{n}}", 7), "7-7");
        let uuid = render("{{uuid}}", 0);
        let parsed = uuid::Uuid::parse_str(&uuid).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_ne!(render("{{uuid}}", 0), render("{{uuid}}", 0));
        for _ in 0..200 {
            let value: i64 = render("{{rand -3 3}}", 0).parse().unwrap();
            assert!((-3..=3).contains(&value), "{value}");
        }
        assert_eq!(render("{{rand 5 5}}", 0), "5");
        let text = r#"{"a":{"b":1}}"#;
        assert_eq!(render(text, 0), text, "'}}' alone is not a placeholder");
        assert!(Template::parse(text).unwrap().is_constant());
        assert!(!Template::parse("{{n}}").unwrap().is_constant());
    }

    #[test]
    fn random_covers_the_range() {
        let mut random = Random::new(3);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let value = random.between(10, 14);
            seen[(value - 10) as usize] = true;
        }
        assert_eq!(seen, [true; 5]);
        let full = random.between(i64::MIN, i64::MAX);
        let _ = full;
        assert_eq!(random.between(i64::MAX, i64::MAX), i64::MAX);
    }

    #[test]
    fn bad_placeholders_are_usage_errors() {
        for (text, why) in [
            ("{{rand 5}}", "{{rand A B}}"),
            ("{{rand 5 1}}", "A must not be more than B"),
            ("{{rand a 1}}", "'a' is not a whole number"),
            ("{{nn}}", "the placeholders are"),
            ("{{}}", "the placeholders are"),
            (r#"{"name":"{{n"}"#, "no closing"),
        ] {
            let err = Template::parse(text).expect_err(text);
            assert!(err.0.starts_with("bad placeholder"), "{text}: {}", err.0);
            assert!(err.0.contains(why), "{text}: {}", err.0);
        }
    }

    #[test]
    fn a_constant_body_is_encoded_once() {
        let hello = message("api.HelloRequest");
        let template = Template::parse(r#"{"name":"x"}"#).unwrap();
        let body = Body::new(Some(&template), &hello, true, "api.Api/sayHello").unwrap();
        assert!(body.is_fixed());
        let mut scratch = Scratch::new(0);
        let first = body.one(0, &mut scratch).unwrap();
        assert_eq!(&first[..], b"\x0a\x01x");
        // The same bytes, not a copy.
        assert_eq!(body.one(1, &mut scratch).unwrap().as_ptr(), first.as_ptr());

        let empty = Body::new(None, &hello, true, "api.Api/sayHello").unwrap();
        assert!(empty.one(0, &mut scratch).unwrap().is_empty());
        let none = Body::new(None, &hello, false, "m").unwrap();
        assert!(none.all(0, &mut scratch).unwrap().is_empty());
    }

    #[test]
    fn a_varying_body_is_encoded_per_call() {
        let hello = message("api.HelloRequest");
        let template = Template::parse(r#"{"name":"{{n}}"}"#).unwrap();
        let body = Body::new(Some(&template), &hello, true, "api.Api/sayHello").unwrap();
        assert!(!body.is_fixed());
        let mut scratch = Scratch::new(0);
        assert_eq!(&body.one(12, &mut scratch).unwrap()[..], b"\x0a\x0212");

        let point = message("routeguide.Point");
        let template =
            Template::parse("{\"latitude\":{{n}}}\n{\"longitude\":{{rand 1 1}}}").unwrap();
        let body = Body::new(Some(&template), &point, false, "m").unwrap();
        let messages = body.all(3, &mut scratch).unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(&messages[0][..], b"\x08\x03");
        assert_eq!(&messages[1][..], b"\x10\x01");
    }

    #[test]
    fn bodies_that_cannot_parse_fail_before_the_run() {
        let hello = message("api.HelloRequest");
        let request = message("api.ApiRequest");
        let err = |text: &str, descriptor: &MessageDescriptor| {
            let template = Template::parse(text).unwrap();
            Body::new(Some(&template), descriptor, true, "api.Api/x")
                .unwrap_err()
                .0
        };
        assert!(err(r#"{"nope":1}"#, &hello).contains("nope"));
        assert!(err("{}\n{}", &hello).contains("takes one request message"));
        // A placeholder whose values do not fit the field.
        let too_big = err(r#"{"length":{{rand 1 99999999999}}}"#, &request);
        assert!(too_big.contains("placeholders filled in"), "{too_big}");
        assert!(err(r#"{"length":"{{uuid}}"}"#, &request).contains("length"));
    }
}

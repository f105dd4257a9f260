//! Text with placeholders, filled in anew for each use: `{{n}}` (a number the caller gives),
//! `{{uuid}}` (a random version-4 UUID) and `{{rand A B}}` (a random integer in [A, B]).
//!
//! Only the text: where it comes from and what it becomes are the caller's business.

use std::fmt::Write as _;

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
}

/// Why a text's placeholders cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `{{` without `}}`: the text from `{{`, at most 20 characters.
    Unclosed(String),
    /// A placeholder, as written between its braces, and why it is wrong.
    Bad { inside: String, why: String },
}

impl TemplateError {
    /// The error in one line, naming where the text came from (`source`, e.g. a flag).
    pub fn message(&self, source: &str) -> String {
        one_line(match self {
            TemplateError::Unclosed(shown) => {
                format!("bad placeholder in {source}: '{shown}' has no closing '}}}}'; {SYNTAX}")
            }
            TemplateError::Bad { inside, why } => {
                format!("bad placeholder '{{{{{inside}}}}}' in {source}: {why}")
            }
        })
    }
}

const SYNTAX: &str = "the placeholders are {{n}}, {{uuid}} and {{rand A B}}";

impl Template {
    /// Splits `text` at its placeholders.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let inside = &rest[open + 2..];
            let Some(close) = inside.find("}}") else {
                let shown: String = rest[open..].chars().take(20).collect();
                return Err(TemplateError::Unclosed(shown));
            };
            parts.push(placeholder(&inside[..close])?);
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

    /// Appends the text for number `n` to `out`.
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

    /// The text with each `{{rand A B}}` at one end of its range (A or B), `{{n}}` 0 and a
    /// fixed UUID.
    pub fn render_extreme(&self, extreme: Extreme, out: &mut String) {
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

/// One end of every `{{rand A B}}`'s range.
#[derive(Debug, Clone, Copy)]
pub enum Extreme {
    Low,
    High,
}

fn placeholder(inside: &str) -> Result<Part, TemplateError> {
    let bad = |why: &str| TemplateError::Bad {
        inside: inside.to_owned(),
        why: why.to_owned(),
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
mod tests {
    use super::*;

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
    fn bad_placeholders_say_why_in_one_line() {
        for (text, why) in [
            ("{{rand 5}}", "{{rand A B}}"),
            ("{{rand 5 1}}", "A must not be more than B"),
            ("{{rand a 1}}", "'a' is not a whole number"),
            ("{{nn}}", "the placeholders are"),
            ("{{}}", "the placeholders are"),
            (r#"{"name":"{{n"}"#, "no closing"),
        ] {
            let err = Template::parse(text).expect_err(text).message("-d");
            assert!(err.starts_with("bad placeholder"), "{text}: {err}");
            assert!(err.contains(why), "{text}: {err}");
        }
        assert_eq!(
            Template::parse("{{rand\n1}}").unwrap_err().message("-d"),
            "bad placeholder '{{rand\\n1}}' in -d: write {{rand A B}}, two whole numbers A ≤ B"
        );
    }
}

//! The request messages of every call: `-d`'s text with its placeholders (`{{n}}`, `{{uuid}}`,
//! `{{rand A B}}`) filled in, parsed and encoded. A text without placeholders is encoded once,
//! and each call sends the same bytes.

use std::sync::Arc;

use bytes::Bytes;
use prost::Message as _;
use prost_reflect::{DynamicMessage, MessageDescriptor};

use crate::{
    call::{MessageReader, RequestData, read_one},
    exit::UsageError,
    template::{Extreme, Random, Template},
};

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

#[cfg(test)]
mod tests {
    use super::*;
    use prost_reflect::DescriptorPool;

    fn message(name: &str) -> MessageDescriptor {
        let pool = DescriptorPool::decode(crate::api::FILE_DESCRIPTOR_SET).unwrap();
        pool.get_message_by_name(name).unwrap()
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

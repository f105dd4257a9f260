//! The request messages of every call: `-d`'s text with its placeholders (`{{n}}`, `{{uuid}}`,
//! `{{rand A B}}`) filled in, parsed and encoded. A text without placeholders is encoded once,
//! and each call sends the same bytes. Several messages for a method that takes one are sent
//! one per call, in turn or at random (`--data-order`), each encoded once unless it has
//! placeholders.

use std::sync::Arc;

use bytes::Bytes;
use prost::Message as _;
use prost_reflect::{DynamicMessage, MessageDescriptor};

use crate::{
    call::{MessageReader, RequestData, read_one},
    exit::UsageError,
    settings::{DataOrder, UnknownFields},
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
    /// What a `-d` field that the request message lacks does.
    unknown: UnknownFields,
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
    /// One of several messages for each call (unary and server-streaming methods).
    EachCall {
        messages: Vec<Message>,
        order: DataOrder,
        descriptor: MessageDescriptor,
    },
}

/// One of the messages of [`BodyKind::EachCall`].
#[derive(Debug)]
enum Message {
    Fixed(Bytes),
    Varying(Template),
}

impl Body {
    /// The messages for a method whose requests are `descriptor`: `one` for unary and
    /// server-streaming methods. A template with placeholders is tried once, with the smallest
    /// numbers it can hold and then the largest, so that a message that cannot parse is a usage
    /// error before the first call. `order` (`--data-order`) is for several messages and a
    /// method that takes one.
    pub fn new(
        template: Option<&Template>,
        descriptor: &MessageDescriptor,
        one: bool,
        method: &str,
        order: Option<DataOrder>,
        unknown: UnknownFields,
    ) -> Result<Body, UsageError> {
        let method = method.to_owned();
        let encode =
            |text: &str, one: bool, method: &str| encode(text, descriptor, one, method, unknown);
        if order.is_some() && !one {
            return Err(UsageError(format!(
                "--data-order picks one -d message per call, and each call of {method} (a \
                 client or bidi stream) sends them all; leave --data-order out"
            )));
        }
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
                unknown,
            });
        };
        let order = order.unwrap_or_default();
        if template.is_constant() {
            let mut text = String::new();
            template.render(0, &mut Random::new(0), &mut text);
            // Read as a stream's messages are, so that an error says which message it is in.
            let messages = encode(&text, false, &method)?;
            let kind = match messages.len() {
                2.. if one => BodyKind::EachCall {
                    messages: messages.into_iter().map(Message::Fixed).collect(),
                    order,
                    descriptor: descriptor.clone(),
                },
                // One message (or none: an empty one).
                _ if one => BodyKind::Fixed(encode(&text, true, &method)?.into()),
                _ => BodyKind::Fixed(messages.into()),
            };
            return Ok(Body {
                kind,
                one,
                method,
                unknown,
            });
        }
        if one {
            let mut text = String::new();
            template.render_extreme(Extreme::Low, &mut text);
            let count = encode(&text, false, &method)
                .map_err(|err| UsageError(format!("{} (with the placeholders filled in)", err.0)))?
                .len();
            if count > 1 {
                return Body::each_call(template, descriptor, count, order, method, unknown);
            }
        }
        let body = Body {
            kind: BodyKind::Varying {
                template: template.clone(),
                descriptor: descriptor.clone(),
            },
            one,
            method,
            unknown,
        };
        for extreme in [Extreme::Low, Extreme::High] {
            let mut text = String::new();
            template.render_extreme(extreme, &mut text);
            encode(&text, one, &body.method).map_err(|err| {
                UsageError(format!("{} (with the placeholders filled in)", err.0))
            })?;
        }
        Ok(body)
    }

    /// Several messages with placeholders, `count` of them, for a method that takes one: each
    /// is split from the others, and encoded once unless it has placeholders of its own.
    fn each_call(
        template: &Template,
        descriptor: &MessageDescriptor,
        count: usize,
        order: DataOrder,
        method: String,
        unknown: UnknownFields,
    ) -> Result<Body, UsageError> {
        let objects = template.split_objects();
        if objects.len() != count {
            return Err(UsageError(format!(
                "-d holds {count} messages, and its placeholders leave them impossible to tell \
                 apart; write each message as a JSON object, one after another"
            )));
        }
        let mut messages = Vec::with_capacity(count);
        for (index, object) in objects.into_iter().enumerate() {
            let fails =
                |err: UsageError| UsageError(format!("-d message {}: {}", index + 1, err.0));
            if object.is_constant() {
                let mut text = String::new();
                object.render(0, &mut Random::new(0), &mut text);
                let mut encoded =
                    encode(&text, descriptor, true, &method, unknown).map_err(fails)?;
                messages.push(Message::Fixed(encoded.remove(0)));
                continue;
            }
            for extreme in [Extreme::Low, Extreme::High] {
                let mut text = String::new();
                object.render_extreme(extreme, &mut text);
                encode(&text, descriptor, true, &method, unknown).map_err(|err| {
                    fails(UsageError(format!(
                        "{} (with the placeholders filled in)",
                        err.0
                    )))
                })?;
            }
            messages.push(Message::Varying(object));
        }
        Ok(Body {
            kind: BodyKind::EachCall {
                messages,
                order,
                descriptor: descriptor.clone(),
            },
            one: true,
            method,
            unknown,
        })
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
            BodyKind::EachCall {
                messages,
                order,
                descriptor,
            } => {
                let index = match order {
                    DataOrder::Sequential => (n % messages.len() as u64) as usize,
                    DataOrder::Random => {
                        scratch.random.between(0, messages.len() as i64 - 1) as usize
                    }
                };
                match &messages[index] {
                    Message::Fixed(message) => Ok(message.clone()),
                    Message::Varying(template) => {
                        scratch.text.clear();
                        template.render(n, &mut scratch.random, &mut scratch.text);
                        let mut encoded =
                            encode(&scratch.text, descriptor, true, &self.method, self.unknown)
                                .map_err(|err| err.0)?;
                        Ok(encoded.pop().unwrap_or_default())
                    }
                }
            }
        }
    }

    /// Every message of call `n` (client-streaming and bidi methods).
    pub fn all(&self, n: u64, scratch: &mut Scratch) -> Result<Arc<[Bytes]>, String> {
        match &self.kind {
            BodyKind::Fixed(messages) => Ok(Arc::clone(messages)),
            BodyKind::Varying { .. } => self.varying(n, scratch).map(Arc::from),
            // Only methods that take one message get several to choose from.
            BodyKind::EachCall { .. } => self.one(n, scratch).map(|message| Arc::from([message])),
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
        encode(
            &scratch.text,
            descriptor,
            self.one,
            &self.method,
            self.unknown,
        )
        .map_err(|err| err.0)
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

    /// `template` filled in for call `n` (a header's value).
    pub fn fill(&mut self, template: &Template, n: u64) -> &str {
        self.text.clear();
        template.render(n, &mut self.random, &mut self.text);
        &self.text
    }
}

/// Parses `text` (one message when `one`, else any number) and encodes each message.
fn encode(
    text: &str,
    descriptor: &MessageDescriptor,
    one: bool,
    method: &str,
    unknown: UnknownFields,
) -> Result<Vec<Bytes>, UsageError> {
    let messages: Vec<DynamicMessage> = if one {
        vec![read_one(
            &RequestData::Inline(text.to_owned()),
            descriptor,
            method,
            unknown,
        )?]
    } else {
        let mut reader = MessageReader::new(text.as_bytes(), descriptor.clone(), unknown);
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
        let body = Body::new(
            Some(&template),
            &hello,
            true,
            "api.Api/sayHello",
            None,
            UnknownFields::Refuse,
        )
        .unwrap();
        assert!(body.is_fixed());
        let mut scratch = Scratch::new(0);
        let first = body.one(0, &mut scratch).unwrap();
        assert_eq!(&first[..], b"\x0a\x01x");
        // The same bytes, not a copy.
        assert_eq!(body.one(1, &mut scratch).unwrap().as_ptr(), first.as_ptr());

        let empty = Body::new(
            None,
            &hello,
            true,
            "api.Api/sayHello",
            None,
            UnknownFields::Refuse,
        )
        .unwrap();
        assert!(empty.one(0, &mut scratch).unwrap().is_empty());
        let none = Body::new(None, &hello, false, "m", None, UnknownFields::Refuse).unwrap();
        assert!(none.all(0, &mut scratch).unwrap().is_empty());

        // A stream's calls send every message, the same bytes each call.
        let point = message("routeguide.Point");
        let template = Template::parse("{\"latitude\":1}\n{\"latitude\":2}").unwrap();
        let stream = Body::new(
            Some(&template),
            &point,
            false,
            "m",
            None,
            UnknownFields::Refuse,
        )
        .unwrap();
        assert!(stream.is_fixed());
        assert_eq!(stream.all(0, &mut scratch).unwrap().len(), 2);
    }

    #[test]
    fn a_varying_body_is_encoded_per_call() {
        let hello = message("api.HelloRequest");
        let template = Template::parse(r#"{"name":"{{n}}"}"#).unwrap();
        let body = Body::new(
            Some(&template),
            &hello,
            true,
            "api.Api/sayHello",
            None,
            UnknownFields::Refuse,
        )
        .unwrap();
        assert!(!body.is_fixed());
        let mut scratch = Scratch::new(0);
        assert_eq!(&body.one(12, &mut scratch).unwrap()[..], b"\x0a\x0212");

        let point = message("routeguide.Point");
        let template =
            Template::parse("{\"latitude\":{{n}}}\n{\"longitude\":{{rand 1 1}}}").unwrap();
        let body = Body::new(
            Some(&template),
            &point,
            false,
            "m",
            None,
            UnknownFields::Refuse,
        )
        .unwrap();
        let messages = body.all(3, &mut scratch).unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(&messages[0][..], b"\x08\x03");
        assert_eq!(&messages[1][..], b"\x10\x01");
    }

    #[test]
    fn several_messages_for_a_method_that_takes_one_go_one_per_call() {
        let hello = message("api.HelloRequest");
        let names = |order, text: &str| -> Vec<String> {
            let template = Template::parse(text).unwrap();
            let body = Body::new(
                Some(&template),
                &hello,
                true,
                "api.Api/sayHello",
                order,
                UnknownFields::Refuse,
            )
            .unwrap();
            assert!(body.constant_one().is_none());
            let mut scratch = Scratch::new(0);
            (0..7)
                .map(|n| {
                    let bytes = body.one(n, &mut scratch).unwrap();
                    let decoded = DynamicMessage::decode(hello.clone(), bytes).unwrap();
                    decoded
                        .get_field_by_name("name")
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
                .collect()
        };
        let text = "{\"name\":\"a\"}\n{\"name\":\"b\"} {\"name\":\"c\"}";
        assert_eq!(names(None, text), ["a", "b", "c", "a", "b", "c", "a"]);
        let varying = "{\"name\":\"a\"}\n{\"name\":\"b{{n}}\"}";
        assert_eq!(
            names(Some(DataOrder::Sequential), varying),
            ["a", "b1", "a", "b3", "a", "b5", "a"]
        );
        let random = names(Some(DataOrder::Random), text);
        assert!(
            random
                .iter()
                .all(|name| ["a", "b", "c"].contains(&name.as_str()))
        );

        // A stream's calls send them all: no order to choose.
        let point = message("routeguide.Point");
        let template = Template::parse("{}\n{}").unwrap();
        let err = Body::new(
            Some(&template),
            &point,
            false,
            "m",
            Some(DataOrder::Random),
            UnknownFields::Refuse,
        );
        assert!(err.unwrap_err().0.contains("--data-order"));
    }

    #[test]
    fn bodies_that_cannot_parse_fail_before_the_run() {
        let hello = message("api.HelloRequest");
        let request = message("api.ApiRequest");
        let err = |text: &str, descriptor: &MessageDescriptor| {
            let template = Template::parse(text).unwrap();
            Body::new(
                Some(&template),
                descriptor,
                true,
                "api.Api/x",
                None,
                UnknownFields::Refuse,
            )
            .unwrap_err()
            .0
        };
        assert!(err(r#"{"nope":1}"#, &hello).contains("nope"));
        assert!(err("{}\n{\"nope\":1}", &hello).contains("request message 2"));
        // A placeholder whose values do not fit the field.
        let too_big = err(r#"{"length":{{rand 1 99999999999}}}"#, &request);
        assert!(too_big.contains("placeholders filled in"), "{too_big}");
        let second = err("{}\n{\"length\":{{rand 1 99999999999}}}", &request);
        assert!(second.starts_with("-d message 2: "), "{second}");
        assert!(second.contains("placeholders filled in"), "{second}");
        assert!(err(r#"{"length":"{{uuid}}"}"#, &request).contains("length"));
    }
}

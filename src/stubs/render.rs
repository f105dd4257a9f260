//! A reply message with placeholders, rendered for each call; or, without placeholders, encoded
//! once when it is loaded.

use std::cell::RefCell;

use bytes::Bytes;
use prost::Message as _;
use prost_reflect::{DynamicMessage, MessageDescriptor, ReflectMessage as _, SerializeOptions};

use super::message::{TemplateLeaf, without_nulls};
use crate::template::{self, Random, Template};

/// One step into a JSON value: an object's key or a list's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonStep {
    Key(String),
    Index(usize),
}

/// A reply message: encoded once when it has no placeholders, else a JSON skeleton whose
/// template leaves are filled in for each call.
#[derive(Debug, Clone)]
pub struct MessageTemplate {
    constant: Option<Bytes>,
    descriptor: MessageDescriptor,
    skeleton: serde_json::Value,
    leaves: Vec<TemplateLeaf>,
    /// Whether a leaf reads the request, which is then turned into JSON once per render.
    reads_request: bool,
    /// `file:line:column` of the message, for render errors.
    origin: String,
}

/// What placeholders are filled in from.
pub struct RenderContext<'a> {
    /// The request (unary, server stream), the last message (client stream) or the message a
    /// rule reacts to (bidi).
    pub request: Option<&'a DynamicMessage>,
    pub headers: &'a http::HeaderMap,
    /// This stub's call count: `{{n}}`.
    pub n: u64,
}

/// A reply whose placeholders made it invalid (e.g. text in a number field): the call ends with
/// INTERNAL and this message, which names the stub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError(pub String);

thread_local! {
    static RANDOM: RefCell<Random> = RefCell::new(Random::new(0));
}

impl MessageTemplate {
    /// A message without placeholders.
    pub fn constant(message: &DynamicMessage) -> MessageTemplate {
        MessageTemplate {
            constant: Some(Bytes::from(message.encode_to_vec())),
            descriptor: message.descriptor(),
            skeleton: serde_json::Value::Null,
            leaves: Vec::new(),
            reads_request: false,
            origin: String::new(),
        }
    }

    pub(crate) fn with_leaves(
        message: &DynamicMessage,
        skeleton: serde_json::Value,
        leaves: Vec<TemplateLeaf>,
        origin: String,
    ) -> MessageTemplate {
        if leaves.is_empty() {
            return MessageTemplate::constant(message);
        }
        let reads_request = leaves
            .iter()
            .any(|leaf| leaf.template.request_paths().next().is_some());
        MessageTemplate {
            constant: None,
            descriptor: message.descriptor(),
            skeleton,
            leaves,
            reads_request,
            origin,
        }
    }

    /// The encoded message, if it is the same for every call.
    pub fn constant_bytes(&self) -> Option<&Bytes> {
        self.constant.as_ref()
    }

    /// The message's type.
    pub fn descriptor(&self) -> &MessageDescriptor {
        &self.descriptor
    }

    /// The message for this call, encoded.
    pub fn render(&self, context: &RenderContext<'_>) -> Result<Bytes, RenderError> {
        if let Some(bytes) = &self.constant {
            return Ok(bytes.clone());
        }
        let request = match self.reads_request {
            true => context.request_json(),
            false => None,
        };
        let mut json = self.skeleton.clone();
        for leaf in &self.leaves {
            let value = match leaf.template.whole_request_path() {
                Some(path) => request
                    .as_ref()
                    .and_then(|request| template::lookup(request, path))
                    .cloned()
                    .unwrap_or(serde_json::Value::Null),
                None => {
                    serde_json::Value::String(context.render_with(&leaf.template, request.as_ref()))
                }
            };
            if let Some(slot) = slot(&mut json, &leaf.path) {
                *slot = value;
            }
        }
        let message = DynamicMessage::deserialize(self.descriptor.clone(), without_nulls(&json))
            .map_err(|err| {
                RenderError(crate::exit::one_line(format!(
                    "the reply of the stub at {} is not a {} once its placeholders are filled in: {err}",
                    self.origin,
                    self.descriptor.full_name()
                )))
            })?;
        Ok(Bytes::from(message.encode_to_vec()))
    }
}

fn slot<'v>(
    json: &'v mut serde_json::Value,
    path: &[JsonStep],
) -> Option<&'v mut serde_json::Value> {
    path.iter()
        .try_fold(json, |value, step| match (step, value) {
            (JsonStep::Key(key), serde_json::Value::Object(fields)) => fields.get_mut(key),
            (JsonStep::Index(index), serde_json::Value::Array(items)) => items.get_mut(*index),
            _ => None,
        })
}

impl RenderContext<'_> {
    /// The request as proto3 JSON, every field present (zeros included), for `{{request…}}`.
    pub fn request_json(&self) -> Option<serde_json::Value> {
        let options = SerializeOptions::new()
            .skip_default_fields(false)
            .stringify_64_bit_integers(false);
        self.request.and_then(|request| {
            request
                .serialize_with_options(serde_json::value::Serializer, &options)
                .ok()
        })
    }

    /// A header, trailer or status message's text for this call.
    pub fn render(&self, template: &Template) -> String {
        if template.is_constant() {
            return self.render_with(template, None);
        }
        let request = match template.request_paths().next() {
            Some(_) => self.request_json(),
            None => None,
        };
        self.render_with(template, request.as_ref())
    }

    fn render_with(&self, template: &Template, request: Option<&serde_json::Value>) -> String {
        let context = template::Context {
            n: self.n,
            request,
            headers: Some(self.headers),
        };
        let mut out = String::new();
        RANDOM.with(|random| template.render_with(&context, &mut random.borrow_mut(), &mut out));
        out
    }
}

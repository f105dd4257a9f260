//! A stub's reply: headers, a message or a script of them, bidi rules, trailers, the status and a
//! fault, each checked against the method's kind and types.

use http::HeaderName;
use prost_reflect::{MessageDescriptor, MethodDescriptor};

use super::{
    CallMatcher, HeaderTemplate, MessageTemplate, Reply, Rule, Step, StubError, Wait,
    matcher::{REQUEST_KEYS, RequestMatcher},
    message::{self, Leaves},
    paths,
    read::Source,
    status,
    stub::Kinds,
};
use crate::{
    spanned::{Node, Value},
    template::Template,
};

const REPLY_KEYS: &[&str] = &[
    "headers", "message", "stream", "on", "trailers", "status", "fault",
];

pub(crate) fn compile(
    source: &Source<'_>,
    node: &Node,
    method: &MethodDescriptor,
    kinds: Kinds,
) -> Result<Reply, StubError> {
    let entries = source.mapping(node, "reply", REPLY_KEYS)?;
    let input = method.input();
    let output = method.output();
    let mut reply = Reply::default();
    for (key, value) in entries {
        let only = |allowed: bool, what: &str| match allowed {
            true => Ok(()),
            false => Err(source.error(
                key.at,
                format!(
                    "reply.{} is for {what}; this is a {} method",
                    key.text,
                    kinds.name()
                ),
            )),
        };
        match key.text.as_str() {
            "headers" => reply.headers = headers(source, value, &input)?,
            "trailers" => reply.trailers = headers(source, value, &input)?,
            "message" => {
                only(
                    !kinds.server_streaming,
                    "unary and client-stream methods (streams use reply.stream)",
                )?;
                reply.message = Some(message_template(source, value, &output, &input)?);
            }
            "stream" => {
                only(
                    kinds.server_streaming,
                    "server-stream and bidi methods (use reply.message)",
                )?;
                let Value::Sequence(items) = &value.value else {
                    return Err(source.error(
                        value.at,
                        format!("reply.stream must be a list of steps, not {}", value.kind()),
                    ));
                };
                for item in items {
                    reply
                        .stream
                        .push(step(source, item, &output, &input, kinds.bidi())?);
                }
            }
            "on" => {
                only(kinds.bidi(), "bidi methods")?;
                let Value::Sequence(items) = &value.value else {
                    return Err(source.error(
                        value.at,
                        format!("reply.on must be a list of rules, not {}", value.kind()),
                    ));
                };
                for item in items {
                    reply.on.push(rule(source, item, &output, &input)?);
                }
            }
            "status" => reply.status = Some(status::compile(source, value, &input)?),
            _ => reply.fault = Some(status::fault(source, value)?),
        }
    }
    if let (Some(status), Some(_)) = (&reply.status, &reply.message)
        && status.code != tonic::Code::Ok
    {
        let at = node.get("message").map_or(node.at, |m| m.at);
        return Err(source.error(at, "reply.message cannot go with a status other than OK: gRPC carries no message with an error"));
    }
    Ok(reply)
}

/// Header names and template values.
fn headers(
    source: &Source<'_>,
    node: &Node,
    input: &MessageDescriptor,
) -> Result<Vec<HeaderTemplate>, StubError> {
    let mut out = Vec::new();
    for (name, value) in source.entries(node, "headers")? {
        let header = HeaderName::try_from(name.text.to_ascii_lowercase())
            .map_err(|_| source.error(name.at, format!("'{}' is not a header name", name.text)))?;
        if header.as_str().starts_with("grpc-") || header == http::header::CONTENT_TYPE {
            return Err(source.error(
                name.at,
                format!("the server writes the header '{header}' itself; use reply.status"),
            ));
        }
        let text = match &value.value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Bool(value) => value.to_string(),
            _ => {
                return Err(source.error(
                    value.at,
                    format!(
                        "header {} must be a string, not {}",
                        name.text,
                        value.kind()
                    ),
                ));
            }
        };
        out.push(HeaderTemplate {
            name: header,
            value: template(source, value, &text, input)?,
        });
    }
    Ok(out)
}

/// A text with reply placeholders, their request paths checked.
pub(crate) fn template(
    source: &Source<'_>,
    node: &Node,
    text: &str,
    input: &MessageDescriptor,
) -> Result<Template, StubError> {
    let template = Template::parse_reply(text)
        .map_err(|err| source.error(node.at, err.message("this value")))?;
    check_paths(source, node, &template, input)?;
    Ok(template)
}

fn check_paths(
    source: &Source<'_>,
    node: &Node,
    template: &Template,
    input: &MessageDescriptor,
) -> Result<(), StubError> {
    for path in template.request_paths() {
        paths::check_template_path(path, input).map_err(|why| source.error(node.at, why))?;
    }
    Ok(())
}

fn message_template(
    source: &Source<'_>,
    node: &Node,
    output: &MessageDescriptor,
    input: &MessageDescriptor,
) -> Result<MessageTemplate, StubError> {
    let checked = message::check(source, node, output, Leaves::Templates)?;
    for leaf in &checked.templates {
        for path in leaf.template.request_paths() {
            paths::check_template_path(path, input).map_err(|why| source.error(leaf.at, why))?;
        }
    }
    let origin = format!("{}:{}", source.file, node.at);
    Ok(MessageTemplate::with_leaves(
        &checked.message,
        checked.json,
        checked.templates,
        origin,
    ))
}

const STEP_KEYS: &[&str] = &["message", "after", "repeat", "wait"];

fn step(
    source: &Source<'_>,
    node: &Node,
    output: &MessageDescriptor,
    input: &MessageDescriptor,
    bidi: bool,
) -> Result<Step, StubError> {
    let entries = source.mapping(node, "a step", STEP_KEYS)?;
    if let Some((key, wait)) = entries.iter().find(|(key, _)| key.text == "wait") {
        if !bidi {
            return Err(source.error(key.at, "wait is only for a bidi method's reply.stream"));
        }
        if let Some((other, _)) = entries.iter().find(|(key, _)| key.text != "wait") {
            return Err(source.error(
                other.at,
                format!(
                    "a wait step has no '{}'; write it as a step of its own",
                    other.text
                ),
            ));
        }
        return Ok(Step::Wait(match &wait.value {
            Value::String(text) if text == "half-close" => Wait::HalfClose,
            Value::Mapping(_) => {
                let entries = source.mapping(wait, "wait", &["messages"])?;
                match entries.first() {
                    Some((_, count)) => Wait::Messages(source.count(count, "wait.messages")?),
                    None => {
                        return Err(
                            source.error(wait.at, "write wait: {messages: N} or wait: half-close")
                        );
                    }
                }
            }
            _ => return Err(source.error(wait.at, "write wait: {messages: N} or wait: half-close")),
        }));
    }
    let Some(message_node) = node.get("message") else {
        return Err(source.error(node.at, "a step needs a message (or, in bidi, a wait)"));
    };
    let message = message_template(source, message_node, output, input)?;
    let after = node
        .get("after")
        .map(|after| source.duration(after, "after"))
        .transpose()?;
    let repeat = match node.get("repeat") {
        None => None,
        Some(repeat) => Some(match &repeat.value {
            Value::Number(_) => {
                let count = source.count(repeat, "repeat")?;
                Template::parse_reply(&count.to_string())
                    .map_err(|err| source.error(repeat.at, err.message("repeat")))?
            }
            Value::String(text) if text.contains("{{") => template(source, repeat, text, input)?,
            _ => {
                return Err(source.error(
                    repeat.at,
                    "repeat must be a whole number or a placeholder such as \"{{request.length}}\"",
                ));
            }
        }),
    };
    Ok(Step::Send {
        message,
        after,
        repeat,
    })
}

fn rule(
    source: &Source<'_>,
    node: &Node,
    output: &MessageDescriptor,
    input: &MessageDescriptor,
) -> Result<Rule, StubError> {
    source.mapping(node, "a rule", &["match", "reply"])?;
    let when = match node.get("match") {
        Some(condition) => {
            source.mapping(condition, "a rule's match", REQUEST_KEYS)?;
            Some(CallMatcher::for_message(RequestMatcher::compile(
                source, condition, input,
            )?))
        }
        None => None,
    };
    let mut replies = Vec::new();
    match node.get("reply").map(|reply| &reply.value) {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(items)) => {
            for item in items {
                replies.push(step(source, item, output, input, false)?);
            }
        }
        Some(_) => {
            let reply = node.get("reply").unwrap_or(node);
            return Err(source.error(
                reply.at,
                format!(
                    "a rule's reply must be a list of messages, not {}",
                    reply.kind()
                ),
            ));
        }
    }
    Ok(Rule { when, replies })
}

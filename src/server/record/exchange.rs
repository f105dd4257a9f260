//! One recorded call: what went each way and when, and the stub that replays it.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, HeaderName};
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MethodDescriptor, SerializeOptions};
use tracing::warn;

use super::yaml::Node;
use crate::{details::RpcStatus, exit::code_name};

/// Headers never written to a file, whatever the options say: they carry credentials.
const CREDENTIALS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
];

/// Headers that describe the transport rather than the reply, which the replaying server makes
/// its own (`x-request-id` too: its call log gives each call one).
const TRANSPORT: &[&str] = &[
    "x-request-id",
    "content-type",
    "content-length",
    "date",
    "te",
    "trailer",
    "transfer-encoding",
    "connection",
    "keep-alive",
];

/// What happened in a call, in order.
#[derive(Debug, Clone)]
pub enum Event {
    /// A message from the client, decompressed.
    In(Bytes),
    /// A message from the server, decompressed.
    Out(Bytes),
    /// The client finished sending.
    HalfClose,
}

/// A call being recorded.
#[derive(Debug)]
pub struct Exchange {
    method: MethodDescriptor,
    started: Instant,
    events: Vec<(Instant, Event)>,
    /// The reply's headers and when they came; none for a trailers-only reply.
    headers: Option<(HeaderMap, Instant)>,
    /// Why a message could not be read; the call is then not written.
    unreadable: Option<String>,
}

/// What goes into a stub file beyond the exchange itself.
pub struct Writing<'a> {
    /// Header names that are never written, beside the credentials.
    pub redact: &'a [HeaderName],
    /// Whether each message gets the time since the one before (`after`), and the reply the
    /// time before its headers (`delay`).
    pub timing: bool,
    /// For the types of details beyond google.rpc's.
    pub pool: &'a DescriptorPool,
}

impl Exchange {
    pub fn new(method: MethodDescriptor, started: Instant) -> Exchange {
        Exchange {
            method,
            started,
            events: Vec::new(),
            headers: None,
            unreadable: None,
        }
    }

    /// `package.Service/Method`.
    pub fn method_name(&self) -> String {
        format!(
            "{}/{}",
            self.method.parent_service().full_name(),
            self.method.name()
        )
    }

    pub fn push(&mut self, event: Event, at: Instant) {
        self.events.push((at, event));
    }

    /// A message that cannot be read (compressed in an unknown way, say).
    pub fn unreadable(&mut self, why: String) {
        self.unreadable.get_or_insert(why);
    }

    pub fn headers(&mut self, headers: HeaderMap, at: Instant) {
        self.headers = Some((headers, at));
    }

    /// The stub that replays this call, which ended with `trailers` (the headers, for a
    /// trailers-only reply).
    pub fn stub(&self, trailers: &HeaderMap, writing: &Writing<'_>) -> Result<Node, String> {
        if let Some(why) = &self.unreadable {
            return Err(why.clone());
        }
        let status = tonic::Status::from_header_map(trailers)
            .unwrap_or_else(|| tonic::Status::unknown("the server sent no grpc-status"));
        let client_streaming = self.method.is_client_streaming();
        let server_streaming = self.method.is_server_streaming();
        let incoming: Vec<&Bytes> = self.events.iter().filter_map(incoming).collect();

        let mut stub = vec![("method".to_owned(), Node::text(self.method_name()))];
        if writing.timing {
            let asked = self.asked_at(client_streaming, server_streaming);
            let answered = self.headers.as_ref().map(|(_, at)| *at);
            if let Some(answered) = answered {
                stub.push((
                    "delay".into(),
                    duration(answered.saturating_duration_since(asked)),
                ));
            }
        }
        let input = self.method.input();
        let requests = || -> Result<Vec<Node>, String> {
            incoming
                .iter()
                .map(|bytes| message_json(&input, bytes))
                .collect()
        };
        let matching = match (client_streaming, server_streaming) {
            (false, _) => requests()?
                .into_iter()
                .next()
                .map(|request| Node::map([("request", Node::map([("equals", request)]))])),
            (true, false) => Some(Node::map([(
                "messages",
                Node::map([("equals", Node::List(requests()?))]),
            )])),
            (true, true) => None,
        };
        if let Some(matching) = matching {
            stub.push(("match".into(), matching));
        }

        let mut reply = Vec::new();
        if let Some((headers, _)) = &self.headers {
            let headers = written_headers(headers, writing.redact);
            if !headers.is_empty() {
                reply.push(("headers".to_owned(), Node::Map(headers)));
            }
        }
        let output = self.method.output();
        match (client_streaming, server_streaming) {
            (_, false) => {
                let message = self.events.iter().find_map(|(_, event)| match event {
                    Event::Out(bytes) => Some(bytes),
                    _ => None,
                });
                // gRPC has no reply message beside a failed status.
                if let (Some(message), tonic::Code::Ok) = (message, status.code()) {
                    reply.push(("message".into(), message_json(&output, message)?));
                }
            }
            (false, true) => {
                let steps = self.every_reply(writing.timing, &output)?;
                if !steps.is_empty() {
                    reply.push(("stream".into(), Node::List(steps)));
                }
            }
            (true, true) => reply.extend(self.bidi(writing.timing, &input, &output)?),
        }
        let trailers = written_headers(trailers, writing.redact);
        if !trailers.is_empty() {
            reply.push(("trailers".into(), Node::Map(trailers)));
        }
        if status.code() != tonic::Code::Ok {
            reply.push(("status".into(), status_node(&status, writing.pool)?));
        }
        if !reply.is_empty() {
            stub.push(("reply".into(), Node::Map(reply)));
        }
        Ok(Node::Map(stub))
    }

    /// When the reply's `delay` starts: the request (unary, server stream), the half-close
    /// (client stream) or the call's start (bidi), as a stub is matched.
    fn asked_at(&self, client_streaming: bool, server_streaming: bool) -> Instant {
        let found = match (client_streaming, server_streaming) {
            (false, _) => self
                .events
                .iter()
                .find(|(_, event)| matches!(event, Event::In(_))),
            (true, false) => self
                .events
                .iter()
                .find(|(_, event)| matches!(event, Event::HalfClose)),
            (true, true) => None,
        };
        found.map_or(self.started, |(at, _)| *at)
    }

    /// A bidi call's `stream` (what the server sent before the first message came, and after
    /// the client half-closed) and `on` (each incoming message, and the replies that followed
    /// it). When one message came twice and was answered differently, rules on the message
    /// cannot tell the two apart: the whole call is then a script that waits for each message
    /// by its count (`wait: {messages: N}`) before the replies that followed it.
    fn bidi(
        &self,
        timing: bool,
        input: &prost_reflect::MessageDescriptor,
        output: &prost_reflect::MessageDescriptor,
    ) -> Result<Vec<(String, Node)>, String> {
        let (first, mut next) = self.replies_after(0, timing, output)?;
        // What the client did, each with the replies that followed it.
        let mut turns: Vec<(Turn, Vec<Node>)> = Vec::new();
        while let Some((_, event)) = self.events.get(next) {
            next += 1;
            let turn = match event {
                Event::In(bytes) => Turn::Message(message_json(input, bytes)?),
                Event::HalfClose => Turn::HalfClose,
                Event::Out(_) => continue,
            };
            let (replies, after) = self.replies_after(next, timing, output)?;
            turns.push((turn, replies));
            next = after;
        }
        let by_count = turns.iter().enumerate().any(|(i, (turn, replies))| {
            turns[..i].iter().any(|(earlier, earlier_replies)| {
                matches!(turn, Turn::Message(_))
                    && earlier == turn
                    && !same_messages(earlier_replies, replies)
            })
        });
        let mut stream = first;
        let mut on = Vec::new();
        let mut count = 0;
        for (index, (turn, replies)) in turns.iter().enumerate() {
            match turn {
                Turn::Message(message) => {
                    count += 1;
                    if by_count {
                        if !replies.is_empty() {
                            let wait = Node::map([("messages", Node::Number(count.to_string()))]);
                            stream.push(Node::map([("wait", wait)]));
                            stream.extend(replies.iter().cloned());
                        }
                    } else if !turns[..index].iter().any(|(earlier, _)| earlier == turn) {
                        // A message seen before got the same replies then: its rule is there.
                        on.push(Node::map([
                            ("match", Node::map([("equals", message.clone())])),
                            ("reply", Node::List(replies.clone())),
                        ]));
                    }
                }
                Turn::HalfClose => {
                    if !replies.is_empty() {
                        stream.push(Node::map([("wait", Node::text("half-close"))]));
                        stream.extend(replies.iter().cloned());
                    }
                }
            }
        }
        let mut reply = Vec::new();
        if !stream.is_empty() {
            reply.push(("stream".to_owned(), Node::List(stream)));
        }
        if !on.is_empty() {
            reply.push(("on".to_owned(), Node::List(on)));
        }
        Ok(reply)
    }

    /// All the server's messages, as steps (`message`, and `after` with `timing`).
    fn every_reply(
        &self,
        timing: bool,
        output: &prost_reflect::MessageDescriptor,
    ) -> Result<Vec<Node>, String> {
        (self.events.iter().enumerate())
            .filter_map(|(index, (at, event))| match event {
                Event::Out(bytes) => Some(self.step(index, *at, bytes, timing, output)),
                _ => None,
            })
            .collect()
    }

    /// The server's messages from event `from` up to the next thing the client did, as steps
    /// (`message`, and `after` with `timing`); and the index of that next thing.
    fn replies_after(
        &self,
        from: usize,
        timing: bool,
        output: &prost_reflect::MessageDescriptor,
    ) -> Result<(Vec<Node>, usize), String> {
        let mut steps = Vec::new();
        let mut index = from;
        while let Some((at, Event::Out(bytes))) = self.events.get(index) {
            steps.push(self.step(index, *at, bytes, timing, output)?);
            index += 1;
        }
        Ok((steps, index))
    }

    /// Event `index`, the server's message `bytes` sent `at`, as a step.
    fn step(
        &self,
        index: usize,
        at: Instant,
        bytes: &[u8],
        timing: bool,
        output: &prost_reflect::MessageDescriptor,
    ) -> Result<Node, String> {
        let mut step = vec![("message", message_json(output, bytes)?)];
        if timing {
            let before = self.time_before(index);
            step.push(("after", duration(at.saturating_duration_since(before))));
        }
        Ok(Node::map(step))
    }

    /// When the event before event `index` happened: the one before it, or the reply's
    /// headers, or the start.
    fn time_before(&self, index: usize) -> Instant {
        let headers = self.headers.as_ref().map(|(_, at)| *at);
        let previous = index
            .checked_sub(1)
            .and_then(|i| self.events.get(i))
            .map(|(at, _)| *at);
        match (previous, headers) {
            (Some(previous), Some(headers)) => previous.max(headers),
            (Some(at), None) | (None, Some(at)) => at,
            (None, None) => self.started,
        }
    }
}

/// What the client did in a bidi call.
#[derive(Debug, PartialEq)]
enum Turn {
    /// It sent this message (its JSON).
    Message(Node),
    HalfClose,
}

/// Whether two lists of steps send the same messages, whatever their timing.
fn same_messages(a: &[Node], b: &[Node]) -> bool {
    let message = |step: &Node| match step {
        Node::Map(entries) => entries
            .iter()
            .find(|(key, _)| key == "message")
            .map(|(_, message)| message.clone()),
        _ => None,
    };
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| message(a) == message(b))
}

fn incoming((_, event): &(Instant, Event)) -> Option<&Bytes> {
    match event {
        Event::In(bytes) => Some(bytes),
        _ => None,
    }
}

/// A duration as the stub files write it: whole milliseconds.
fn duration(duration: Duration) -> Node {
    Node::text(format!("{}ms", duration.as_millis()))
}

/// A message's proto3 JSON.
fn message_json(
    descriptor: &prost_reflect::MessageDescriptor,
    bytes: &[u8],
) -> Result<Node, String> {
    let message = DynamicMessage::decode(descriptor.clone(), bytes)
        .map_err(|err| format!("a message is not a valid {}: {err}", descriptor.full_name()))?;
    let mut json = Vec::new();
    message
        .serialize_with_options(
            &mut serde_json::Serializer::new(&mut json),
            &SerializeOptions::new(),
        )
        .map_err(|err| format!("a {} has no JSON: {err}", descriptor.full_name()))?;
    serde_json::from_slice(&json)
        .map_err(|err| format!("a {} has no JSON: {err}", descriptor.full_name()))
}

/// The headers a stub file may hold: not the transport's, not gRPC's own, no credentials and
/// none of `redact`. A header sent more than once has its values joined with ", ".
fn written_headers(headers: &HeaderMap, redact: &[HeaderName]) -> Vec<(String, Node)> {
    headers
        .keys()
        .filter(|name| {
            let name = name.as_str();
            !name.starts_with("grpc-")
                && !TRANSPORT.contains(&name)
                && !CREDENTIALS.contains(&name)
                && !redact.iter().any(|r| r.as_str() == name)
        })
        .map(|name| {
            let values: Vec<String> = headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect();
            (name.as_str().to_owned(), Node::text(values.join(", ")))
        })
        .collect()
}

/// A failed status: its code's name, message and details, each detail as proto3 JSON with
/// `"@type"` first. A detail whose type neither google.rpc nor the descriptors know, or that
/// proto3 JSON does not write as the object of its fields (a well-known type), is left out
/// with a warning: a stub file can only hold details as the fields of a known message.
fn status_node(status: &tonic::Status, pool: &DescriptorPool) -> Result<Node, String> {
    let mut node = vec![("code", Node::text(code_name(status.code())))];
    if !status.message().is_empty() {
        node.push(("message", Node::text(status.message())));
    }
    let details = match status.details() {
        [] => Vec::new(),
        bytes => {
            RpcStatus::decode(bytes)
                .map_err(|err| format!("the status details are not a google.rpc.Status: {err}"))?
                .details
        }
    };
    let mut written = Vec::new();
    for any in &details {
        match detail_node(any, pool) {
            Ok(detail) => written.push(detail),
            Err(why) => warn!(
                "a detail of type {} is not written: {why}",
                any.type_url.rsplit('/').next().unwrap_or(&any.type_url)
            ),
        }
    }
    if !written.is_empty() {
        node.push(("details", Node::List(written)));
    }
    Ok(Node::map(node))
}

/// One detail: `"@type"`, then the fields of its message.
fn detail_node(any: &prost_types::Any, pool: &DescriptorPool) -> Result<Node, String> {
    let name = any.type_url.rsplit('/').next().unwrap_or(&any.type_url);
    if name.starts_with("google.protobuf.") {
        return Err("a well-known type, which a stub's details cannot hold".into());
    }
    let descriptor = (crate::details::rpc_descriptors())
        .and_then(|rpc| rpc.get_message_by_name(name))
        .or_else(|| pool.get_message_by_name(name))
        .ok_or(
            "its type is neither a google.rpc type nor in the descriptors (--proto can add it)",
        )?;
    match message_json(&descriptor, &any.value)? {
        Node::Map(fields) => {
            let mut detail = vec![("@type".to_owned(), Node::text(any.type_url.clone()))];
            detail.extend(fields);
            Ok(Node::Map(detail))
        }
        _ => Err("its JSON is not an object".into()),
    }
}

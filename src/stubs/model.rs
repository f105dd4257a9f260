//! A stub as it is served: checked, compiled, and ready for calls.

use std::{
    fmt,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use bytes::Bytes;
use http::HeaderName;
use prost_reflect::{DynamicMessage, MethodDescriptor};

/// Where a stub was written: a file and the line its entry starts on. Stubs added through the
/// admin service name `AddStubs` as their file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    pub file: Arc<str>,
    pub line: u32,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One stub.
#[derive(Debug)]
pub struct Stub {
    pub origin: Origin,
    pub method: MethodDescriptor,
    /// `package.Service/Method`.
    method_name: String,
    pub matcher: CallMatcher,
    /// Higher wins among equally specific matches.
    pub priority: i64,
    /// Matches at most this many calls.
    pub times: Option<u64>,
    /// Before the reply's headers are sent.
    pub delay: Option<Duration>,
    pub reply: Reply,
    /// Calls this stub answered.
    hits: AtomicU64,
}

impl Stub {
    pub fn new(
        origin: Origin,
        method: MethodDescriptor,
        matcher: CallMatcher,
        reply: Reply,
    ) -> Stub {
        let method_name = format!("{}/{}", method.parent_service().full_name(), method.name());
        Stub {
            origin,
            method,
            method_name,
            matcher,
            priority: 0,
            times: None,
            delay: None,
            reply,
            hits: AtomicU64::new(0),
        }
    }

    /// `package.Service/Method`.
    pub fn method_name(&self) -> &str {
        &self.method_name
    }

    /// Calls this stub has answered.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Counts one more call, and returns its number (1 for the first): `{{n}}`.
    pub fn count_hit(&self) -> u64 {
        self.hits.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Back to no calls (the admin service's `Reset`).
    pub fn reset_hits(&self) {
        self.hits.store(0, Ordering::Relaxed);
    }
}

/// When a stub answers a call: on its request, headers and (streams) messages. An empty matcher
/// matches every call of the method.
#[derive(Debug, Default)]
pub struct CallMatcher {
    // Filled in by the matching rules.
}

impl CallMatcher {
    /// Whether `call` fits every condition (a bidi rule sees one message as its call).
    pub fn matches(&self, _call: &super::CallView<'_>) -> bool {
        true
    }
}

/// What a stub answers.
#[derive(Debug, Default)]
pub struct Reply {
    /// Response headers, sent before the first message (or with the status).
    pub headers: Vec<HeaderTemplate>,
    /// Unary and client stream: the one reply message. None with a non-OK status.
    pub message: Option<MessageTemplate>,
    /// Server stream: the messages, in order. Bidi: what the server sends on its own timeline,
    /// whatever arrives.
    pub stream: Vec<Step>,
    /// Bidi (and client stream): for each incoming message, the first rule that matches it
    /// replies.
    pub on: Vec<Rule>,
    pub trailers: Vec<HeaderTemplate>,
    /// None is OK.
    pub status: Option<StatusReply>,
    pub fault: Option<Fault>,
}

/// A header or trailer whose value may hold placeholders.
#[derive(Debug, Clone)]
pub struct HeaderTemplate {
    pub name: HeaderName,
    pub value: crate::template::Template,
}

/// One step of a script.
#[derive(Debug)]
pub enum Step {
    /// Send `message` `repeat` times (a placeholder such as `{{request.length}}`, or a number),
    /// each after waiting `after`.
    Send {
        message: MessageTemplate,
        after: Option<Duration>,
        repeat: Option<crate::template::Template>,
    },
    /// Bidi: wait before the next step.
    Wait(Wait),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Until this many messages have arrived since the call began.
    Messages(u64),
    /// Until the client half-closes.
    HalfClose,
}

/// A bidi reaction: to each incoming message that `when` matches (every one if None), these
/// replies (which may be none).
#[derive(Debug)]
pub struct Rule {
    pub when: Option<CallMatcher>,
    pub replies: Vec<Step>,
}

/// The status a stub ends its call with.
#[derive(Debug, Clone)]
pub struct StatusReply {
    pub code: tonic::Code,
    pub message: crate::template::Template,
    /// An encoded `google.rpc.Status` with the details, ready for `grpc-status-details-bin`;
    /// empty without details. Its code and message are the ones above.
    pub details: Bytes,
}

/// A fault at the transport level, after the server has sent `after` messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    pub after: u64,
    pub kind: FaultKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// RST_STREAM with this HTTP/2 error code.
    Reset(u32),
    /// GOAWAY on the call's connection.
    GoAway,
    /// The TCP connection is dropped.
    Close,
    /// Nothing more is sent, and the stream stays open.
    Stall,
}

/// A reply message with placeholders, or one encoded once when it was loaded when it has none.
#[derive(Debug, Clone)]
pub struct MessageTemplate {
    constant: Option<Bytes>,
}

impl MessageTemplate {
    /// A message without placeholders.
    pub fn constant(message: &DynamicMessage) -> MessageTemplate {
        use prost::Message as _;
        MessageTemplate {
            constant: Some(Bytes::from(message.encode_to_vec())),
        }
    }

    /// The message for this call, encoded.
    pub fn render(&self, _context: &RenderContext<'_>) -> Result<Bytes, RenderError> {
        self.constant
            .clone()
            .ok_or_else(|| RenderError("not written yet".into()))
    }
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

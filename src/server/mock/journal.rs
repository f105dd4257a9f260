//! The call journal: every call the test double answered, kept once it ends, for the admin
//! service to list and verify.
//!
//! Pushing is on every call's path, so an entry is kept as it came: the request messages stay
//! encoded beside their descriptor and become JSON only when they are listed. The journal holds
//! at most `--journal-limit` entries, dropping the oldest, and a call keeps at most
//! [`MAX_MESSAGES`] request messages and [`MAX_MESSAGE_BYTES`] of them, so its memory stops
//! growing at the limit.

use std::{
    collections::VecDeque,
    net::SocketAddr,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant, SystemTime},
};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use prost_reflect::{DynamicMessage, MessageDescriptor};
use tonic::Code;

use super::Answer;
use crate::headers::is_secret;

/// The request messages one call keeps at most; those after are counted, not kept.
pub const MAX_MESSAGES: usize = 100;
/// The bytes of encoded request messages one call keeps at most.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// What the value of a credential header is kept as.
const REDACTED: HeaderValue = HeaderValue::from_static("[redacted]");

/// The calls that ended, oldest first, at most `limit` of them.
#[derive(Debug)]
pub struct Journal {
    limit: usize,
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    entries: VecDeque<Arc<Entry>>,
    /// Entries dropped to stay within the limit since the start or the last clear.
    dropped: u64,
}

impl Journal {
    /// A journal of at most `limit` calls; 0 keeps none.
    pub fn new(limit: usize) -> Journal {
        Journal {
            limit,
            kept: Mutex::new(Kept {
                // Grows as calls come, up to the limit, rather than taking it all at the start.
                entries: VecDeque::with_capacity(limit.min(1024)),
                dropped: 0,
            }),
        }
    }

    /// Keeps a call that ended, dropping the oldest if the journal is full.
    pub fn push(&self, entry: Entry) {
        if self.limit == 0 {
            return;
        }
        let entry = Arc::new(entry);
        let mut kept = self.lock();
        if kept.entries.len() >= self.limit {
            kept.entries.pop_front();
            kept.dropped += 1;
        }
        kept.entries.push_back(entry);
    }

    /// The entries as they are now, oldest first, and how many were dropped before them. The
    /// lock is held only to copy the pointers.
    pub fn snapshot(&self) -> (Vec<Arc<Entry>>, u64) {
        let kept = self.lock();
        (kept.entries.iter().cloned().collect(), kept.dropped)
    }

    /// Forgets every call (the admin service's Reset).
    pub fn clear(&self) {
        let mut kept = self.lock();
        kept.entries.clear();
        kept.dropped = 0;
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        // An entry is pushed whole or not at all, so a panic elsewhere leaves nothing half done.
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One call: begun when it arrives ([`Entry::begin`]), given its request messages and its
/// outcome as they come, and ended with its status ([`Entry::end`]) before it is pushed.
#[derive(Debug)]
pub struct Entry {
    method: Arc<str>,
    peer: Option<SocketAddr>,
    /// In the order they came, credentials redacted.
    headers: Box<[(HeaderName, HeaderValue)]>,
    /// The type of the request messages.
    input: MessageDescriptor,
    /// Encoded, as they arrived.
    messages: Vec<Bytes>,
    kept_bytes: usize,
    not_kept: u32,
    /// None until a stub is looked for (a client stream cancelled before it half-closed has none).
    answer: Option<Answer>,
    code: Code,
    message: String,
    started: SystemTime,
    clock: Instant,
    duration: Duration,
}

impl Entry {
    /// A call arriving now. `method` is `package.Service/Method` (a shared name costs nothing to
    /// copy), `input` its request type.
    pub fn begin(
        method: Arc<str>,
        input: MessageDescriptor,
        peer: Option<SocketAddr>,
        headers: &HeaderMap,
    ) -> Entry {
        // Copied rather than shared: a header read off the wire may share the buffer it was read
        // into, which a kept entry would then keep whole.
        let headers = headers
            .iter()
            .map(|(name, value)| {
                let value = if is_secret(name.as_str()) {
                    REDACTED
                } else {
                    HeaderValue::from_bytes(value.as_bytes()).unwrap_or_else(|_| value.clone())
                };
                // A standard name is a constant: only the others are copied.
                let name = HeaderName::from_bytes(name.as_str().as_bytes())
                    .unwrap_or_else(|_| name.clone());
                (name, value)
            })
            .collect();
        Entry {
            method,
            peer,
            headers,
            input,
            messages: Vec::new(),
            kept_bytes: 0,
            not_kept: 0,
            answer: None,
            code: Code::Unknown,
            message: String::new(),
            started: SystemTime::now(),
            clock: Instant::now(),
            duration: Duration::ZERO,
        }
    }

    /// Adds a request message as it arrived on the wire (encoded, of the `input` type). It is
    /// copied: the bytes a call reads share the buffer they were read into, which is larger.
    pub fn push_encoded(&mut self, encoded: &[u8]) {
        if self.messages.len() < MAX_MESSAGES
            && self.kept_bytes + encoded.len() <= MAX_MESSAGE_BYTES
        {
            self.kept_bytes += encoded.len();
            self.messages.push(Bytes::copy_from_slice(encoded));
        } else {
            self.not_kept = self.not_kept.saturating_add(1);
        }
    }

    /// The stub that answers the call, or why none does.
    pub fn answered(&mut self, answer: Answer) {
        self.answer = Some(answer);
    }

    /// The call ended with this status, now.
    pub fn end(mut self, code: Code, message: &str) -> Entry {
        self.code = code;
        message.clone_into(&mut self.message);
        self.duration = self.clock.elapsed();
        self
    }

    /// `package.Service/Method`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The client's address; None over a Unix socket.
    pub fn peer(&self) -> Option<SocketAddr> {
        self.peer
    }

    /// The request headers, credentials shown as `[redacted]`.
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    /// The type of the request messages.
    pub fn input(&self) -> &MessageDescriptor {
        &self.input
    }

    /// The request messages kept, decoded. One that does not decode (it could not have been
    /// answered) is left out.
    pub fn requests(&self) -> impl Iterator<Item = DynamicMessage> + '_ {
        self.messages
            .iter()
            .filter_map(|encoded| DynamicMessage::decode(self.input.clone(), encoded.clone()).ok())
    }

    /// The request messages kept, in proto3 JSON.
    pub fn requests_json(&self) -> Vec<serde_json::Value> {
        self.requests()
            .filter_map(|message| serde_json::to_value(&message).ok())
            .collect()
    }

    /// Request messages that arrived and were not kept.
    pub fn not_kept(&self) -> u32 {
        self.not_kept
    }

    /// The stub that answered or the miss; None if no stub was looked for.
    pub fn answer(&self) -> Option<&Answer> {
        self.answer.as_ref()
    }

    /// The status the call ended with.
    pub fn code(&self) -> Code {
        self.code
    }

    /// The status message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// When the call arrived, by the wall clock.
    pub fn started(&self) -> SystemTime {
        self.started
    }

    /// From arrival to status.
    pub fn duration(&self) -> Duration {
        self.duration
    }
}

#[cfg(test)]
mod tests {
    use prost::Message as _;
    use prost_reflect::DescriptorPool;

    use super::*;

    fn point() -> MessageDescriptor {
        DescriptorPool::decode(crate::api::FILE_DESCRIPTOR_SET)
            .unwrap()
            .get_message_by_name("routeguide.Point")
            .unwrap()
    }

    fn entry(n: i32) -> Entry {
        let mut headers = HeaderMap::new();
        headers.insert("x-n", n.to_string().parse().unwrap());
        let mut entry = Entry::begin(
            "routeguide.RouteGuide/GetFeature".into(),
            point(),
            None,
            &headers,
        );
        let mut request = DynamicMessage::new(point());
        request.set_field_by_name("latitude", prost_reflect::Value::I32(n));
        entry.push_encoded(&request.encode_to_vec());
        entry.end(Code::Ok, "")
    }

    #[test]
    fn stops_growing_at_its_limit_dropping_the_oldest() {
        let journal = Journal::new(50);
        for n in 0..100 {
            journal.push(entry(n));
            assert!(journal.snapshot().0.len() <= 50);
        }
        let (entries, dropped) = journal.snapshot();
        assert_eq!(entries.len(), 50);
        assert_eq!(dropped, 50);
        assert_eq!(
            entries[0].requests_json(),
            [serde_json::json!({"latitude": 50})],
            "the oldest went first"
        );
        assert_eq!(
            entries[49].requests_json(),
            [serde_json::json!({"latitude": 99})]
        );
        journal.clear();
        let (entries, dropped) = journal.snapshot();
        assert!(entries.is_empty());
        assert_eq!(dropped, 0);
    }

    #[test]
    fn a_limit_of_zero_keeps_nothing() {
        let journal = Journal::new(0);
        journal.push(entry(1));
        assert!(journal.snapshot().0.is_empty());
    }

    #[test]
    fn credentials_are_redacted_and_the_rest_kept() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("authorization", "Bearer s3cret"),
            ("cookie", "id=s3cret"),
            ("x-api-key", "s3cret"),
            ("proxy-authorization", "Basic s3cret"),
            ("x-user", "alice"),
        ] {
            headers.insert(name, value.parse().unwrap());
        }
        let entry = Entry::begin("a.B/C".into(), point(), None, &headers);
        let shown: Vec<_> = entry
            .headers()
            .iter()
            .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap()))
            .collect();
        assert!(!shown.concat().contains("s3cret"), "{shown:?}");
        assert!(shown.contains(&"x-user: alice".to_owned()), "{shown:?}");
        assert!(
            shown.contains(&"cookie: [redacted]".to_owned()),
            "{shown:?}"
        );
    }

    #[test]
    fn a_call_keeps_a_bounded_number_of_messages() {
        let mut entry = Entry::begin("a.B/C".into(), point(), None, &HeaderMap::new());
        for _ in 0..MAX_MESSAGES + 5 {
            entry.push_encoded(&[0x08, 0x01]);
        }
        entry.push_encoded(&vec![0; MAX_MESSAGE_BYTES]);
        assert_eq!(entry.requests().count(), MAX_MESSAGES);
        assert_eq!(entry.not_kept(), 6);

        let mut big = Entry::begin("a.B/C".into(), point(), None, &HeaderMap::new());
        big.push_encoded(&vec![0; MAX_MESSAGE_BYTES + 1]);
        assert_eq!((big.requests().count(), big.not_kept()), (0, 1));
    }

    #[test]
    fn an_entry_keeps_its_outcome_and_status() {
        let mut entry = Entry::begin("a.B/C".into(), point(), None, &HeaderMap::new());
        assert!(entry.answer().is_none());
        entry.answered(Answer::Miss("no stub for a.B/C".into()));
        let entry = entry.end(Code::Unimplemented, "no stub for a.B/C");
        assert!(
            matches!(entry.answer(), Some(Answer::Miss(miss)) if &**miss == "no stub for a.B/C")
        );
        assert_eq!(entry.code(), Code::Unimplemented);
        assert_eq!(entry.message(), "no stub for a.B/C");
        assert!(entry.started() <= SystemTime::now());
    }
}

//! Running a stub's reply once it has matched: the messages, on their timeline, then the trailers
//! and the status, or the fault.
//!
//! A unary or client-stream reply without a fault is a ready list of items, and a server
//! stream's script without a timeline is rendered as the response asks for each message.
//! Anything with a timeline (`after`, bidi's script and rules, a fault) runs on a task of its
//! own, which sends into the response stream and ends when the client has gone.

use std::{
    pin::{Pin, pin},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
};

use bytes::Bytes;
use futures_util::{Stream, stream};
use http::{HeaderMap, HeaderName, HeaderValue};
use prost_reflect::DynamicMessage;
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Status, Streaming, metadata::MetadataMap};

use super::{fault::FaultCell, recording::Recording};
use crate::{
    stubs::{Fault, FaultKind, HeaderTemplate, MessageTemplate, RenderContext, Step, Stub, Wait},
    template::Template,
};

/// The messages of a reply, then its end: an `Err` item is the status that ends the call.
pub type ReplyStream = Pin<Box<dyn Stream<Item = Result<Bytes, Status>> + Send>>;

/// What a reply's templates are filled in from, owned, so a reply's task can keep it.
pub struct CallData {
    pub stub: Arc<Stub>,
    pub headers: HeaderMap,
    /// This stub's call count: `{{n}}`.
    pub n: u64,
    /// The call came over HTTP/2: a GOAWAY can be sent (else the connection is closed).
    pub http2: bool,
    pub cell: Arc<FaultCell>,
    /// The call's journal entry: a bidi call's messages are added as they arrive.
    pub recording: Recording,
}

impl CallData {
    fn context<'a>(&'a self, request: Option<&'a DynamicMessage>) -> RenderContext<'a> {
        RenderContext {
            request,
            headers: &self.headers,
            n: self.n,
        }
    }
}

/// The reply's headers, rendered.
pub fn headers(
    templates: &[HeaderTemplate],
    context: &RenderContext<'_>,
) -> Result<MetadataMap, Status> {
    let mut headers = HeaderMap::with_capacity(templates.len());
    for header in templates {
        headers.append(
            header.name.clone(),
            header_value(&header.name, &header.value, context)?,
        );
    }
    Ok(MetadataMap::from_headers(headers))
}

fn header_value(
    name: &HeaderName,
    value: &Template,
    context: &RenderContext<'_>,
) -> Result<HeaderValue, Status> {
    HeaderValue::from_str(&text(value, context)).map_err(|_| {
        Status::internal(format!(
            "the stub's header {name} is not a valid header value once filled in"
        ))
    })
}

/// A template's text for this call.
pub fn text(template: &Template, context: &RenderContext<'_>) -> String {
    context.render(template)
}

fn render(message: &MessageTemplate, context: &RenderContext<'_>) -> Result<Bytes, Status> {
    message
        .render(context)
        .map_err(|err| Status::internal(err.0))
}

/// How the call ends when nothing went wrong: the stub's status (OK by default) with its
/// details and trailers. None: OK with no trailers, which tonic writes by itself.
fn end(call: &CallData, request: Option<&DynamicMessage>) -> Option<Status> {
    let reply = &call.stub.reply;
    if reply.status.is_none() && reply.trailers.is_empty() {
        return None;
    }
    let context = call.context(request);
    let trailers = match headers(&reply.trailers, &context) {
        Ok(trailers) => trailers,
        Err(status) => return Some(status),
    };
    Some(match &reply.status {
        Some(status) => {
            let message = text(&status.message, &context);
            let details = status.details_for(&message);
            Status::with_details_and_metadata(status.code, message, details, trailers)
        }
        None => Status::with_metadata(Code::Ok, "", trailers),
    })
}

/// The reply of a unary or client-stream call, to `request` (the last message of a client
/// stream).
pub fn single(call: CallData, request: Option<DynamicMessage>) -> Result<ReplyStream, Status> {
    if call.stub.reply.fault.is_some() {
        return Ok(on_task(call, move |out, call| async move {
            if let Some(message) = &call.stub.reply.message {
                let context = call.context(request.as_ref());
                match render(message, &context) {
                    Ok(bytes) => {
                        if !out.send(bytes).await {
                            return out.finish(None).await;
                        }
                    }
                    Err(status) => return out.fail(status).await,
                }
            }
            out.finish(end(&call, request.as_ref())).await;
        }));
    }
    let context = call.context(request.as_ref());
    let mut items = Vec::with_capacity(2);
    if let Some(message) = &call.stub.reply.message {
        items.push(Ok(render(message, &context)?));
    }
    if let Some(status) = end(&call, request.as_ref()) {
        items.push(Err(status));
    }
    Ok(Box::pin(stream::iter(items)))
}

/// The reply of a server-stream call: the script, on its timeline.
pub fn server_stream(call: CallData, request: DynamicMessage) -> ReplyStream {
    let reply = &call.stub.reply;
    let timed = (reply.stream.iter()).any(|step| !matches!(step, Step::Send { after: None, .. }));
    if reply.fault.is_none() && !timed {
        return untimed(call, request);
    }
    on_task(call, move |out, call| async move {
        let progress = watch::channel(Progress::default()).1;
        if run(
            &call.stub.reply.stream,
            &out,
            &call,
            Some(&request),
            &progress,
        )
        .await
        {
            out.finish(end(&call, Some(&request))).await;
        } else {
            out.finish(None).await;
        }
    })
}

/// A server stream's script without a timeline (no `after`, no fault): each message is rendered
/// when the response asks for the next, with no task and no channel in between, so that a long
/// `repeat` streams as fast as the connection takes it.
fn untimed(call: CallData, request: DynamicMessage) -> ReplyStream {
    struct Script {
        call: CallData,
        request: DynamicMessage,
        /// The step whose message is being sent, and how many more times.
        step: usize,
        left: u64,
        /// The step to begin next.
        next: usize,
        over: bool,
    }
    let script = Script {
        call,
        request,
        step: 0,
        left: 0,
        next: 0,
        over: false,
    };
    Box::pin(stream::unfold(script, |mut s| async move {
        let steps = &s.call.stub.reply.stream;
        while !s.over {
            let context = s.call.context(Some(&s.request));
            if s.left > 0 {
                s.left -= 1;
                let Step::Send { message, .. } = &steps[s.step] else {
                    unreachable!("an untimed script only sends");
                };
                let item = render(message, &context);
                s.over = item.is_err();
                return Some((item, s));
            }
            let Some(Step::Send { repeat, .. }) = steps.get(s.next) else {
                let status = end(&s.call, Some(&s.request));
                s.over = true;
                return status.map(|status| (Err(status), s));
            };
            match times(repeat.as_ref(), &context) {
                Ok(times) => (s.step, s.left, s.next) = (s.next, times, s.next + 1),
                Err(status) => {
                    s.over = true;
                    return Some((Err(status), s));
                }
            }
        }
        None
    }))
}

/// How many times a step sends its message: its `repeat`, rendered, or once.
fn times(repeat: Option<&Template>, context: &RenderContext<'_>) -> Result<u64, Status> {
    let Some(repeat) = repeat else {
        return Ok(1);
    };
    let shown = text(repeat, context);
    (shown.trim().parse::<u64>())
        .map_err(|_| Status::internal(format!("the stub's repeat is '{shown}', not a count")))
}

/// The reply of a bidi call: the script on its own timeline, and the rules answering each
/// incoming message, at once. It ends when both are done: the script has run, and the client
/// has half-closed.
pub fn bidi(call: CallData, mut incoming: Streaming<Bytes>) -> ReplyStream {
    on_task(call, move |out, call| async move {
        let (progress_tx, progress) = watch::channel(Progress::default());
        let input = call.stub.method.input();
        let script = run(&call.stub.reply.stream, &out, &call, None, &progress);
        let rules = async {
            loop {
                let bytes = match incoming.message().await {
                    Ok(Some(bytes)) => bytes,
                    Ok(None) => {
                        progress_tx.send_modify(|p| p.half_closed = true);
                        return true;
                    }
                    // The client has gone, or sent what cannot be read.
                    Err(_) => return false,
                };
                call.recording.request(&bytes);
                let message = match DynamicMessage::decode(input.clone(), bytes) {
                    Ok(message) => message,
                    Err(err) => {
                        out.fail(Status::invalid_argument(format!(
                            "a message is not a valid {}: {err}",
                            input.full_name()
                        )))
                        .await;
                        return false;
                    }
                };
                progress_tx.send_modify(|p| p.received += 1);
                let rule = (call.stub.reply.on.iter()).find(|rule| {
                    (rule.when.as_ref()).is_none_or(|when| when.matches_message(&message))
                });
                if let Some(rule) = rule
                    && !run(&rule.replies, &out, &call, Some(&message), &progress).await
                {
                    return false;
                }
            }
        };
        let (mut script, mut rules) = (pin!(script), pin!(rules));
        let (mut script_done, mut rules_done) = (false, false);
        while !(script_done && rules_done) {
            let going = tokio::select! {
                going = &mut script, if !script_done => { script_done = true; going }
                going = &mut rules, if !rules_done => { rules_done = true; going }
            };
            if !going {
                return out.finish(None).await;
            }
        }
        out.finish(end(&call, None)).await;
    })
}

/// What a bidi call has received so far.
#[derive(Debug, Default, Clone, Copy)]
struct Progress {
    received: u64,
    half_closed: bool,
}

/// Runs `steps`; false once the call is over (a fault, a failure, the client gone).
async fn run(
    steps: &[Step],
    out: &Out,
    call: &CallData,
    request: Option<&DynamicMessage>,
    progress: &watch::Receiver<Progress>,
) -> bool {
    for step in steps {
        match step {
            Step::Send {
                message,
                after,
                repeat,
            } => {
                let context = call.context(request);
                let times = match times(repeat.as_ref(), &context) {
                    Ok(times) => times,
                    Err(status) => {
                        out.fail(status).await;
                        return false;
                    }
                };
                for _ in 0..times {
                    if let Some(after) = after {
                        tokio::time::sleep(*after).await;
                    }
                    let bytes = match render(message, &context) {
                        Ok(bytes) => bytes,
                        Err(status) => {
                            out.fail(status).await;
                            return false;
                        }
                    };
                    if !out.send(bytes).await {
                        return false;
                    }
                }
            }
            Step::Wait(wait) => {
                let mut progress = progress.clone();
                let reached = progress
                    .wait_for(|p| match *wait {
                        Wait::Messages(n) => p.received >= n,
                        Wait::HalfClose => p.half_closed,
                    })
                    .await;
                if reached.is_err() {
                    // No more messages will come: the script waits no longer.
                    return !out.over();
                }
            }
        }
    }
    true
}

/// A reply run by `task` on a task of its own, sending into the response stream.
fn on_task<F, Fut>(call: CallData, task: F) -> ReplyStream
where
    F: FnOnce(Out, CallData) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(16);
    let out = Out {
        tx,
        fault: call.stub.reply.fault.map(|fault| Fault {
            // GOAWAY is HTTP/2's: over HTTP/1.1 the connection closes instead.
            kind: match fault.kind {
                FaultKind::GoAway if !call.http2 => FaultKind::Close,
                kind => kind,
            },
            after: fault.after,
        }),
        cell: Arc::clone(&call.cell),
        state: Arc::new(OutState::default()),
    };
    tokio::spawn(task(out, call));
    Box::pin(ReceiverStream::new(rx))
}

/// The sending end of a reply: counts the messages sent, and strikes the fault when its count
/// is reached.
#[derive(Clone)]
struct Out {
    tx: mpsc::Sender<Result<Bytes, Status>>,
    fault: Option<Fault>,
    cell: Arc<FaultCell>,
    state: Arc<OutState>,
}

#[derive(Default)]
struct OutState {
    sent: AtomicU64,
    /// The fault has struck, or the call has ended otherwise: nothing more is sent.
    over: AtomicBool,
    /// The fault has struck: the stream stays open until the client goes.
    struck: AtomicBool,
}

impl Out {
    fn over(&self) -> bool {
        self.state.over.load(Ordering::Acquire)
    }

    /// Strikes the fault if its count is reached; true if it has struck.
    fn strike_if_due(&self) -> bool {
        match self.fault {
            Some(fault) if self.state.sent.load(Ordering::Acquire) >= fault.after => {
                self.strike(fault.kind);
                true
            }
            _ => false,
        }
    }

    fn strike(&self, kind: FaultKind) {
        if !self.state.over.swap(true, Ordering::AcqRel) {
            self.state.struck.store(true, Ordering::Release);
            self.cell.arm(kind);
        }
    }

    /// Sends a message; false once the call is over.
    async fn send(&self, message: Bytes) -> bool {
        if self.over() || self.strike_if_due() {
            return false;
        }
        if self.tx.send(Ok(message)).await.is_err() {
            self.state.over.store(true, Ordering::Release);
            return false;
        }
        self.state.sent.fetch_add(1, Ordering::AcqRel);
        !self.strike_if_due()
    }

    /// Ends the call with `status` (None: OK), or with the fault if it has not struck yet; a
    /// fault that has struck keeps the stream open until the client goes (a reset or a closed
    /// connection makes it go), so that the reply never ends by itself.
    async fn finish(&self, status: Option<Status>) {
        if let Some(fault) = self.fault {
            self.strike(fault.kind);
        }
        if self.state.struck.load(Ordering::Acquire) {
            self.tx.closed().await;
            return;
        }
        if !self.state.over.swap(true, Ordering::AcqRel)
            && let Some(status) = status
        {
            let _ = self.tx.send(Err(status)).await;
        }
    }

    /// Ends the call with a failure (a reply that cannot be rendered, say).
    async fn fail(&self, status: Status) {
        if !self.state.over.swap(true, Ordering::AcqRel) {
            let _ = self.tx.send(Err(status)).await;
        }
    }
}

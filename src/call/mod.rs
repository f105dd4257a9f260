//! Running one client call: connect, send, print each message as it arrives, and turn however
//! the call ended into an error that says what happened and how much arrived.
//!
//! Every call goes through [`CallRun::invoke`], generic over the codec: the typed commands with
//! their generated messages, `apicli call` with messages known by their descriptors, in all four
//! RPC kinds.

mod codec;
mod ends;
mod events;
mod outgoing;
mod requests;

use std::{
    io::{self, BufWriter, Write},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use anyhow::Context as _;
use futures_util::{FutureExt as _, Stream, StreamExt as _};
use prost_reflect::DescriptorPool;
use tokio::sync::mpsc;
use tonic::{Status, Streaming, client::Grpc, codec::Codec, metadata::MetadataMap};
use tonic_health::pb::{
    HealthCheckRequest, HealthCheckResponse, health_check_response::ServingStatus,
};
use tonic_prost::ProstCodec;

pub use codec::DynamicCodec;
pub use requests::{MessageReader, RequestData, read_one};

use crate::{
    api::{ApiRequest, Hello, HelloRequest, Item, Items},
    client,
    descriptors::{Descriptors, Reflection, load_files},
    exit::{NotServing, UsageError},
    output::{Printer, Progress, Render},
    settings::{Call, ClientSettings},
    stop::{Stop, Stopped},
    transport::Channel,
};
use ends::both_ways;
use events::Events;
use outgoing::{InputFailure, Outgoing};

/// Makes the call and prints its responses to stdout.
pub async fn run(settings: &ClientSettings, call: &Call) -> anyhow::Result<()> {
    let stdout = io::stdout().lock();
    let out = BufWriter::with_capacity(64 * 1024, stdout);
    let emit_defaults = matches!(
        call,
        Call::Method {
            emit_defaults: true,
            ..
        }
    );
    let mut printer = Printer::new(settings.output, out, settings.color.stdout, emit_defaults);
    printer.for_streams(io::IsTerminal::is_terminal(&io::stdout()));
    let mut call_run = CallRun::new(settings)?;
    let result = call_run.call(call, &mut printer).await;
    // What arrived is printed whatever happened to the call.
    let flushed = printer.finish().context("writing to stdout");
    result.and(flushed)
}

/// The requests of a call.
pub enum Requests<T> {
    /// Unary and server-streaming calls: exactly one.
    One(T),
    /// Client-streaming and bidi calls: sent as they come. An error stops the call.
    Stream(mpsc::Receiver<Result<T, UsageError>>),
}

/// Which method, and what the user expects of it.
pub struct Invocation {
    pub path: http::uri::PathAndQuery,
    /// The server sends a stream of messages.
    pub server_streaming: bool,
    /// How many messages a typed stream asked for.
    pub expected: Option<i32>,
}

impl Invocation {
    fn typed(path: &'static str, server_streaming: bool, expected: Option<i32>) -> Invocation {
        Invocation {
            path: http::uri::PathAndQuery::from_static(path),
            server_streaming,
            expected,
        }
    }
}

/// One call (or, for `list` and `describe`, one conversation with the server): its settings,
/// its deadline and Ctrl-C, and what it reports as it goes.
pub struct CallRun<'a> {
    settings: &'a ClientSettings,
    stop: Stop,
    events: Events,
    /// The descriptors in use, to decode the types of error details.
    pool: Option<DescriptorPool>,
    /// What the server said first on the connection.
    heard: client::Heard,
}

impl<'a> CallRun<'a> {
    pub fn new(settings: &'a ClientSettings) -> anyhow::Result<CallRun<'a>> {
        Ok(CallRun {
            settings,
            stop: Stop::new(settings.timeout).context("listening for Ctrl-C")?,
            events: Events::new(settings.verbose, Instant::now()),
            pool: None,
            heard: client::Heard::default(),
        })
    }

    async fn call<W: Write>(
        &mut self,
        call: &Call,
        printer: &mut Printer<W>,
    ) -> anyhow::Result<()> {
        if let Call::Method { method, data, .. } = call {
            return self.dynamic(method, data, printer).await;
        }
        let channel = self.connect().await?;
        let mut grpc = self.grpc(channel);
        match call {
            Call::Hello { name } => {
                let request = HelloRequest { name: name.clone() };
                let codec = ProstCodec::<HelloRequest, Hello>::default();
                let path = Invocation::typed("/api.Api/sayHello", false, None);
                self.invoke(&mut grpc, &path, codec, Requests::One(request), printer)
                    .await?;
            }
            Call::GetAll { length } => {
                let request = ApiRequest { length: *length };
                let codec = ProstCodec::<ApiRequest, Items>::default();
                let path = Invocation::typed("/api.Api/getAll", false, None);
                self.invoke(&mut grpc, &path, codec, Requests::One(request), printer)
                    .await?;
            }
            Call::Stream { length } => {
                let request = ApiRequest { length: *length };
                let codec = ProstCodec::<ApiRequest, Item>::default();
                let path = Invocation::typed("/api.Api/getStream", true, Some(*length));
                self.invoke(&mut grpc, &path, codec, Requests::One(request), printer)
                    .await?;
            }
            Call::Health { service } => {
                let request = HealthCheckRequest {
                    service: service.clone(),
                };
                let codec = ProstCodec::<HealthCheckRequest, HealthCheckResponse>::default();
                let path = Invocation::typed("/grpc.health.v1.Health/Check", false, None);
                let answer = self
                    .invoke(&mut grpc, &path, codec, Requests::One(request), printer)
                    .await?;
                let status = answer.map_or(ServingStatus::Unknown, |a| a.status());
                if status != ServingStatus::Serving {
                    let service = match service.as_str() {
                        "" => "the server".to_owned(),
                        name => name.to_owned(),
                    };
                    let status = status.as_str_name().to_owned();
                    return Err(NotServing { service, status }.into());
                }
            }
            Call::Method { .. } => unreachable!("handled above"),
        }
        Ok(())
    }

    /// `apicli call`: resolve the method, read the requests, and call it with dynamic messages.
    async fn dynamic<W: Write>(
        &mut self,
        name: &str,
        data: &RequestData,
        printer: &mut Printer<W>,
    ) -> anyhow::Result<()> {
        let (mut descriptors, channel) = self.descriptors().await?;
        let method = match self.stop.race(descriptors.method(name)).await {
            Ok(method) => method.map_err(|err| self.reflection_failed(err))?,
            Err(stopped) => return Err(self.stopped(stopped, "")),
        };
        self.pool = Some(descriptors.pool().clone());
        // The method and its messages are known: the reflection session ends beside the call.
        tokio::spawn(descriptors.close_reflection());
        let shown = format!("{}/{}", method.parent_service().full_name(), method.name());
        let requests = if method.is_client_streaming() {
            Requests::Stream(requests::read_stream(data, &method.input())?)
        } else if matches!(data, RequestData::Stdin | RequestData::File(_)) {
            let reading = requests::read_one_in_background(data, &method.input(), &shown)?;
            match self.stop.race(reading).await {
                Ok(Ok(request)) => Requests::One(request?),
                Ok(Err(_)) => anyhow::bail!("reading the request stopped unexpectedly"),
                Err(stopped) => return Err(self.stopped(stopped, "")),
            }
        } else {
            Requests::One(requests::read_one(data, &method.input(), &shown)?)
        };
        let channel = match channel {
            Some(channel) => channel,
            None => self.connect().await?,
        };
        let path = Invocation {
            path: format!("/{shown}")
                .parse()
                .map_err(|_| UsageError(format!("'{shown}' cannot be a request path")))?,
            server_streaming: method.is_server_streaming(),
            expected: None,
        };
        let codec = DynamicCodec::new(method.output());
        let mut grpc = self.grpc(channel);
        self.invoke(&mut grpc, &path, codec, requests, printer)
            .await
            .map(|_| ())
    }

    /// The descriptor source the settings ask for: the user's files (no connection needed), or
    /// reflection on a new connection, which is returned for the call to use.
    pub async fn descriptors(&mut self) -> anyhow::Result<(Descriptors, Option<Channel>)> {
        let files = &self.settings.descriptor_files;
        if files.given() {
            let pool = load_files(&files.protos, &files.import_paths, &files.protosets)?;
            return Ok((Descriptors::from_files(pool), None));
        }
        let channel = self.connect().await?;
        let metadata = client::request(self.settings, (), None).into_parts().0;
        let reflection = Reflection::new(channel.clone(), metadata);
        let server = self.settings.target.display();
        Ok((
            Descriptors::from_reflection(reflection, server),
            Some(channel),
        ))
    }

    /// Runs `work` (a conversation with the server) until the deadline or Ctrl-C.
    pub async fn race<T>(
        &mut self,
        work: impl Future<Output = anyhow::Result<T>>,
    ) -> anyhow::Result<T> {
        match self.stop.race(work).await {
            Ok(result) => result.map_err(|err| self.reflection_failed(err)),
            Err(stopped) => Err(self.stopped(stopped, "")),
        }
    }

    /// Connects within `--connect-timeout`, or until the deadline or Ctrl-C.
    pub async fn connect(&mut self) -> anyhow::Result<Channel> {
        match self.stop.race(client::connect(self.settings)).await {
            Ok(connection) => {
                let connection = connection?;
                self.heard = connection.heard;
                Ok(connection.channel)
            }
            Err(stopped) => Err(self.stopped(stopped, "")),
        }
    }

    fn grpc(&self, channel: Channel) -> Grpc<Channel> {
        let mut grpc = Grpc::new(channel).max_decoding_message_size(self.settings.max_message_size);
        if let Some(encoding) = client::compression(self.settings) {
            grpc = grpc.send_compressed(encoding).accept_compressed(encoding);
        }
        grpc
    }

    /// Calls the method with `requests` and prints each response as it arrives; returns the
    /// response of a unary or client-streaming call.
    pub async fn invoke<C, W>(
        &mut self,
        grpc: &mut Grpc<Channel>,
        method: &Invocation,
        codec: C,
        requests: Requests<C::Encode>,
        printer: &mut Printer<W>,
    ) -> anyhow::Result<Option<C::Decode>>
    where
        C: Codec + Send + 'static,
        C::Encode: Send + Sync + 'static,
        C::Decode: Render + Send + Sync + 'static,
        W: Write,
    {
        match self.stop.race(grpc.ready()).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => {
                let status = Status::from_error(err);
                return Err(self.failed(&status, "", false));
            }
            Err(stopped) => return Err(self.stopped(stopped, "")),
        }
        let path = method.path.clone();
        match (requests, method.server_streaming) {
            (Requests::One(message), false) => {
                let request = self.request(tokio_stream::once(message));
                let message = self
                    .single(grpc, request, path, codec, None, &|| String::new())
                    .await?;
                self.events.finished_ok();
                printer
                    .message(&message, true)
                    .context("writing to stdout")?;
                Ok(Some(message))
            }
            (Requests::One(message), true) => {
                let request = self.request(message);
                let response = self
                    .stop
                    .race(grpc.server_streaming(request, path, codec))
                    .await;
                let stream = self.response(response, "")?.into_inner();
                self.stream(stream, method.expected, None, printer).await?;
                Ok(None)
            }
            (Requests::Stream(receiver), server_streaming) => {
                let progress = Progress::counting(
                    self.settings.progress,
                    if server_streaming { "received" } else { "sent" },
                );
                let outgoing = Outgoing::new(receiver, progress.bar(), !server_streaming);
                let sent = Arc::clone(&outgoing.sent);
                let failure = Arc::clone(&outgoing.failure);
                let request = self.request(outgoing.into_stream());
                if server_streaming {
                    drop(progress);
                    let call = grpc.streaming(request, path, codec);
                    let response = self.stop.race(failure.or(call)).await;
                    let response = self.input_or(response)?;
                    let stream = self
                        .response(response, &both_ways(sent.load(Ordering::Relaxed), 0))?
                        .into_inner();
                    self.stream(stream, None, Some((&failure, &sent)), printer)
                        .await?;
                    Ok(None)
                } else {
                    let so_far = || both_ways(sent.load(Ordering::Relaxed), 0);
                    let message = self
                        .single(grpc, request, path, codec, Some(&failure), &so_far)
                        .await;
                    drop(progress);
                    let message = message?;
                    self.events.counts(Some(sent.load(Ordering::Relaxed)), 1);
                    self.events.finished_ok();
                    printer
                        .message(&message, true)
                        .context("writing to stdout")?;
                    Ok(Some(message))
                }
            }
        }
    }

    /// A unary or client-streaming call: the response headers, then its one message and the
    /// trailers. This is tonic's `client_streaming`, kept here so that a status is known to have
    /// come before or after the headers: only after them can it be the client's own limit on
    /// the response's size. `input`: the requests' failure, which stops the call; `progress`:
    /// what was sent so far.
    async fn single<S, C>(
        &mut self,
        grpc: &mut Grpc<Channel>,
        request: tonic::Request<S>,
        path: http::uri::PathAndQuery,
        codec: C,
        input: Option<&InputFailure>,
        progress: &dyn Fn() -> String,
    ) -> anyhow::Result<C::Decode>
    where
        S: Stream<Item = C::Encode> + Send + 'static,
        C: Codec + Send + 'static,
        C::Encode: Send + Sync + 'static,
        C::Decode: Send + Sync + 'static,
    {
        let call = grpc.streaming(request, path, codec);
        let response = match input {
            Some(failure) => self.stop.race(failure.or(call)).await,
            None => self.stop.race(call).await.map(Ok),
        };
        let (headers, mut body, _) = match self.input_or(response)? {
            Ok(Ok(response)) => response.into_parts(),
            Ok(Err(status)) => return Err(self.failed(&status, &progress(), false)),
            Err(stopped) => return Err(self.stopped(stopped, &progress())),
        };
        let read = async {
            let message = body.message().await?;
            let trailers = body.trailers().await?;
            Ok::<_, Status>((message, trailers))
        };
        let outcome = match input {
            Some(failure) => self.stop.race(failure.or(read)).await,
            None => self.stop.race(read).await.map(Ok),
        };
        // tonic merges a unary call's trailers into its headers, and the headers into the
        // status of a call that failed after them.
        let merged = |first: MetadataMap, then: MetadataMap| {
            let mut all = first.into_headers();
            all.extend(then.into_headers());
            MetadataMap::from_headers(all)
        };
        match self.input_or(outcome)? {
            Ok(Ok((Some(message), trailers))) => {
                let metadata = match trailers {
                    Some(trailers) => merged(headers, trailers),
                    None => headers,
                };
                self.events
                    .headers("response headers and trailers", &metadata);
                Ok(message)
            }
            Ok(Ok((None, _))) => {
                let status = Status::internal("Missing response message.");
                Err(self.failed(&status, &progress(), true))
            }
            Ok(Err(mut status)) => {
                let trailers = std::mem::take(status.metadata_mut());
                *status.metadata_mut() = merged(trailers, headers);
                Err(self.failed(&status, &progress(), true))
            }
            Err(stopped) => Err(self.stopped(stopped, &progress())),
        }
    }

    /// The call's outcome, or the request input's error that stopped it first.
    fn input_or<T>(
        &self,
        outcome: Result<Result<T, UsageError>, Stopped>,
    ) -> anyhow::Result<Result<T, Stopped>> {
        match outcome {
            Ok(Ok(response)) => Ok(Ok(response)),
            Ok(Err(input)) => Err(input.into()),
            Err(stopped) => Ok(Err(stopped)),
        }
    }

    fn request<T>(&self, message: T) -> tonic::Request<T> {
        let request = client::request(self.settings, message, self.stop.time_left());
        self.events.request_metadata(request.metadata());
        request
    }

    /// Receives a stream's messages, printing each as it arrives and flushing whenever the
    /// stream has to wait for the next one. `input`: the requests of a bidi call, whose failure
    /// stops the call, and how many have been sent.
    async fn stream<T: Render, W: Write>(
        &mut self,
        mut stream: Streaming<T>,
        expected: Option<i32>,
        input: Option<(&InputFailure, &AtomicU64)>,
        printer: &mut Printer<W>,
    ) -> anyhow::Result<()> {
        let progress = match expected {
            Some(length) => Progress::new(self.settings.progress, length),
            None => Progress::counting(self.settings.progress, "received"),
        };
        if let Some(length) = expected {
            // The ids of a typed stream are as wide as its length at most.
            let width = itoa::Buffer::new().format(length).len();
            printer.set_min_widths(vec![width]);
        }
        let mut received: u64 = 0;
        let arrived = |received: u64| match (expected, input) {
            (_, Some((_, sent))) => both_ways(sent.load(Ordering::Relaxed), received),
            (Some(length), None) => format!("{received} of {length} items arrived"),
            (None, None) => format!(
                "{received} message{} arrived",
                if received == 1 { "" } else { "s" }
            ),
        };
        loop {
            let next = match stream.next().now_or_never() {
                Some(next) => self.stop.check().map(|()| Ok(next)),
                None => {
                    progress
                        .around(|| printer.flush())
                        .context("writing to stdout")?;
                    let next = async {
                        match input {
                            Some((failure, _)) => self.stop.race(failure.or(stream.next())).await,
                            None => self.stop.race(stream.next()).await.map(Ok),
                        }
                    };
                    printer
                        .wait(next, &progress)
                        .await
                        .context("writing to stdout")?
                }
            };
            let message = match next {
                Ok(Ok(Some(Ok(message)))) => message,
                Ok(Ok(None)) => break,
                Ok(Ok(Some(Err(status)))) => {
                    self.events.counts(sent_count(input), received);
                    return Err(self.failed(&status, &arrived(received), true));
                }
                Ok(Err(input_error)) => return Err(input_error.into()),
                Err(stopped) => return Err(self.stopped(stopped, &arrived(received))),
            };
            progress
                .around(|| {
                    printer.message(&message, false)?;
                    if progress.shares_terminal() {
                        printer.flush()?;
                    }
                    Ok::<_, io::Error>(())
                })
                .context("writing to stdout")?;
            progress.inc();
            received += 1;
        }
        progress
            .around(|| printer.finish())
            .context("writing to stdout")?;
        if self.settings.verbose {
            if let Ok(Some(trailers)) = stream.trailers().await {
                self.events.trailers(&trailers);
            }
            self.events.counts(sent_count(input), received);
            self.events.finished_ok();
        }
        Ok(())
    }
}

fn sent_count(input: Option<(&InputFailure, &AtomicU64)>) -> Option<u64> {
    input.map(|(_, sent)| sent.load(Ordering::Relaxed))
}

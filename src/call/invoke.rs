//! Sending a call's requests and receiving its responses, in the four RPC kinds: each
//! response printed as it arrives, and however the call ends caught with what went each way.

use std::{
    io::{self, Write},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use anyhow::Context as _;
use futures_util::{FutureExt as _, Stream, StreamExt as _};
use tonic::{Status, Streaming, client::Grpc, codec::Codec, metadata::MetadataMap};

use super::{
    CallRun, Invocation, Requests,
    outgoing::{InputFailure, Outgoing},
};
use crate::{
    client,
    exit::{Tally, UsageError},
    output::{Printer, Progress, Render},
    stop::Stopped,
    transport::{
        Channel,
        connect::{ConnectMethod, RpcKind},
    },
};

impl CallRun<'_> {
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
                return Err(self.failed(&status, &Tally::default(), false));
            }
            Err(stopped) => return Err(self.stopped(stopped, &Tally::default())),
        }
        let path = method.path.clone();
        match (requests, method.server_streaming) {
            (Requests::One(message), false) => {
                let request = self.request(tokio_stream::once(message), method, RpcKind::Unary);
                let message = self
                    .single(grpc, request, path, codec, None, &Tally::default)
                    .await?;
                self.events.finished_ok();
                printer
                    .message(&message, true)
                    .context("writing to stdout")?;
                Ok(Some(message))
            }
            (Requests::One(message), true) => {
                let request = self.request(message, method, RpcKind::ServerStreaming);
                let response = self
                    .stop
                    .race(grpc.server_streaming(request, path, codec))
                    .await;
                let stream = self.response(response, &Tally::default())?.into_inner();
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
                let kind = if server_streaming {
                    RpcKind::Bidi
                } else {
                    RpcKind::ClientStreaming
                };
                let request = self.request(outgoing.into_stream(), method, kind);
                if server_streaming {
                    drop(progress);
                    let call = grpc.streaming(request, path, codec);
                    let response = self.stop.race(failure.or(call)).await;
                    let response = self.input_or(response)?;
                    let stream = self
                        .response(response, &Tally::both_ways(sent.load(Ordering::Relaxed), 0))?
                        .into_inner();
                    self.stream(stream, None, Some((&failure, &sent)), printer)
                        .await?;
                    Ok(None)
                } else {
                    let so_far = || Tally::both_ways(sent.load(Ordering::Relaxed), 0);
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
        progress: &dyn Fn() -> Tally,
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
        let (headers, mut body, extensions) = match self.input_or(response)? {
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
        self.events.http_status(&extensions);
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

    /// The request of a call of `method`, marked with its kind for the transports that need it
    /// (Connect sends unary calls and streams differently).
    fn request<T>(&self, message: T, method: &Invocation, kind: RpcKind) -> tonic::Request<T> {
        let mut request = client::request(self.settings, message, self.stop.time_left());
        request.extensions_mut().insert(ConnectMethod {
            kind,
            descriptor: method.descriptor.clone(),
        });
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
        let arrived = |received: u64| match input {
            Some((_, sent)) => Tally::both_ways(sent.load(Ordering::Relaxed), received),
            None => Tally::received(received, expected),
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

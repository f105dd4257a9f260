//! One call of the load: on a connection (tonic's, or the fast path's), within `--timeout`,
//! for each RPC kind, with what it yielded (its status, its response messages, whether its
//! connection broke).

use std::{sync::Arc, time::Instant};

use bytes::Bytes;
use futures_util::Stream;
use http::{HeaderName, HeaderValue};
use tonic::{Request, Status, Streaming, client::Grpc, metadata::MetadataMap};

use super::{
    body::Scratch,
    codec::RawCodec,
    failure::connection_broke,
    link::Conn,
    load::{Calls, Kind},
    run::Outcome,
};
use crate::transport::{
    Channel,
    lane::{self, Failed, Head},
};

impl Calls {
    /// Makes call `n` on a connection to `endpoint`, started at `start`, within `--timeout`.
    pub(super) async fn call(
        &self,
        conn: &mut Conn,
        endpoint: usize,
        n: u64,
        start: Instant,
        scratch: &mut Scratch,
        frame: Option<&Bytes>,
    ) -> Outcome {
        let mut outcome = Outcome {
            streamed: self.kind.streams_responses(),
            ..Outcome::default()
        };
        let extra = match self.filled_headers(n, scratch) {
            Ok(extra) => extra,
            Err(status) => {
                outcome.result = Err(status);
                return outcome;
            }
        };
        let exchange = async {
            match conn {
                Conn::Tonic(grpc) => {
                    let call = self.exchange(grpc, n, start, scratch, &mut outcome, &extra);
                    let result = call.await;
                    outcome.broke = result.as_ref().is_err_and(connection_broke);
                    result
                }
                Conn::Lean(send) => {
                    let head = &self.lean[endpoint];
                    let addr = &self.addrs[endpoint];
                    let call = self.lean_exchange(head, send, n, scratch, frame, &extra);
                    match call.await {
                        Ok(()) => Ok(()),
                        Err(Failed::Status(status)) => Err(status),
                        Err(Failed::Connection(reason)) => {
                            outcome.broke = true;
                            Err(Status::unavailable(format!(
                                "the connection to {addr} failed: {reason}"
                            )))
                        }
                        Err(Failed::NotSent(reason)) => {
                            outcome.broke = true;
                            outcome.attempted = false;
                            Err(Status::unavailable(format!(
                                "not attempted: the connection to {addr} broke: {reason}"
                            )))
                        }
                    }
                }
            }
        };
        let result = match self.timeout {
            None => exchange.await,
            Some(timeout) => match tokio::time::timeout(timeout, exchange).await {
                Ok(result) => result,
                Err(_) => Err(Status::deadline_exceeded(format!(
                    "the {timeout:?} deadline (--timeout) passed"
                ))),
            },
        };
        outcome.result = result;
        outcome
    }

    /// The `-H` values with placeholders, filled in for call `n`; none without them.
    fn filled_headers(
        &self,
        n: u64,
        scratch: &mut Scratch,
    ) -> Result<Vec<(HeaderName, HeaderValue)>, Status> {
        (self.headers.iter())
            .map(
                |(name, template)| match HeaderValue::from_str(scratch.fill(template, n)) {
                    Ok(value) => Ok((name.clone(), value)),
                    Err(_) => Err(Status::invalid_argument(format!(
                        "request not sent: -H {name} is not a header value once filled in"
                    ))),
                },
            )
            .collect()
    }

    /// A unary call on the fast path.
    async fn lean_exchange(
        &self,
        head: &Head,
        send: &mut h2::client::SendRequest<Bytes>,
        n: u64,
        scratch: &mut Scratch,
        frame: Option<&Bytes>,
        extra: &[(HeaderName, HeaderValue)],
    ) -> Result<(), Failed> {
        let frame = match frame {
            Some(frame) => frame.clone(),
            None => {
                let message = self.body.one(n, scratch).map_err(|why| {
                    Failed::Status(Status::invalid_argument(format!("request not sent: {why}")))
                })?;
                lane::frame(&message)
            }
        };
        lane::unary(send, head, extra, frame).await
    }

    async fn exchange(
        &self,
        grpc: &mut Grpc<Channel>,
        n: u64,
        start: Instant,
        scratch: &mut Scratch,
        outcome: &mut Outcome,
        extra: &[(HeaderName, HeaderValue)],
    ) -> Result<(), Status> {
        grpc.ready().await.map_err(Status::from_error)?;
        let path = self.path.clone();
        let not_sent = |why: String| Status::invalid_argument(format!("request not sent: {why}"));
        match self.kind {
            Kind::Unary => {
                let message = self.body.one(n, scratch).map_err(not_sent)?;
                grpc.unary(self.request(message, extra), path, RawCodec)
                    .await
                    .map(drop)
            }
            Kind::ServerStreaming => {
                let message = self.body.one(n, scratch).map_err(not_sent)?;
                let response = grpc
                    .server_streaming(self.request(message, extra), path, RawCodec)
                    .await?;
                drain(response.into_inner(), start, outcome).await
            }
            Kind::ClientStreaming => {
                let messages = self.body.all(n, scratch).map_err(not_sent)?;
                grpc.client_streaming(self.request(stream_of(messages), extra), path, RawCodec)
                    .await
                    .map(drop)
            }
            Kind::Bidi => {
                let messages = self.body.all(n, scratch).map_err(not_sent)?;
                let response = grpc
                    .streaming(self.request(stream_of(messages), extra), path, RawCodec)
                    .await?;
                drain(response.into_inner(), start, outcome).await
            }
        }
    }

    /// A request with the run's metadata, and `extra`, the headers filled in for this call.
    fn request<T>(&self, message: T, extra: &[(HeaderName, HeaderValue)]) -> Request<T> {
        let mut request = Request::new(message);
        if !extra.is_empty() {
            let mut headers = self.metadata.clone().into_headers();
            for (name, value) in extra {
                headers.append(name.clone(), value.clone());
            }
            *request.metadata_mut() = MetadataMap::from_headers(headers);
        } else if !self.metadata.is_empty() {
            *request.metadata_mut() = self.metadata.clone();
        }
        if let Some(timeout) = self.timeout {
            request.set_timeout(timeout);
        }
        if let Some(mark) = &self.mark {
            request.extensions_mut().insert(mark.clone());
        }
        request
    }
}

/// The request messages of a client-streaming or bidi call, sent one after another.
fn stream_of(messages: Arc<[bytes::Bytes]>) -> impl Stream<Item = bytes::Bytes> + Send + 'static {
    futures_util::stream::iter((0..messages.len()).map(move |i| messages[i].clone()))
}

/// Receives a response stream to its end, counting its messages.
async fn drain(
    mut stream: Streaming<()>,
    start: Instant,
    outcome: &mut Outcome,
) -> Result<(), Status> {
    while stream.message().await?.is_some() {
        if outcome.messages == 0 {
            outcome.first = Some(start.elapsed());
        }
        outcome.messages += 1;
    }
    Ok(())
}

//! One call of the load: on a connection (tonic's, or the fast path's), within `--timeout`,
//! for each RPC kind, with what it yielded (its status, its response messages, whether its
//! connection broke).

use std::{sync::Arc, time::Instant};

use bytes::Bytes;
use futures_util::Stream;
use tonic::{Request, Status, Streaming, client::Grpc};

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
        let exchange = async {
            match conn {
                Conn::Tonic(grpc) => {
                    let result = self.exchange(grpc, n, start, scratch, &mut outcome).await;
                    outcome.broke = result.as_ref().is_err_and(connection_broke);
                    result
                }
                Conn::Lean(send) => {
                    let head = &self.lean[endpoint];
                    let addr = &self.addrs[endpoint];
                    match self.lean_exchange(head, send, n, scratch, frame).await {
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

    /// A unary call on the fast path.
    async fn lean_exchange(
        &self,
        head: &Head,
        send: &mut h2::client::SendRequest<Bytes>,
        n: u64,
        scratch: &mut Scratch,
        frame: Option<&Bytes>,
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
        lane::unary(send, head, frame).await
    }

    async fn exchange(
        &self,
        grpc: &mut Grpc<Channel>,
        n: u64,
        start: Instant,
        scratch: &mut Scratch,
        outcome: &mut Outcome,
    ) -> Result<(), Status> {
        grpc.ready().await.map_err(Status::from_error)?;
        let path = self.path.clone();
        let not_sent = |why: String| Status::invalid_argument(format!("request not sent: {why}"));
        match self.kind {
            Kind::Unary => {
                let message = self.body.one(n, scratch).map_err(not_sent)?;
                grpc.unary(self.request(message), path, RawCodec)
                    .await
                    .map(drop)
            }
            Kind::ServerStreaming => {
                let message = self.body.one(n, scratch).map_err(not_sent)?;
                let response = grpc
                    .server_streaming(self.request(message), path, RawCodec)
                    .await?;
                drain(response.into_inner(), start, outcome).await
            }
            Kind::ClientStreaming => {
                let messages = self.body.all(n, scratch).map_err(not_sent)?;
                grpc.client_streaming(self.request(stream_of(messages)), path, RawCodec)
                    .await
                    .map(drop)
            }
            Kind::Bidi => {
                let messages = self.body.all(n, scratch).map_err(not_sent)?;
                let response = grpc
                    .streaming(self.request(stream_of(messages)), path, RawCodec)
                    .await?;
                drain(response.into_inner(), start, outcome).await
            }
        }
    }

    fn request<T>(&self, message: T) -> Request<T> {
        let mut request = Request::new(message);
        if !self.metadata.is_empty() {
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

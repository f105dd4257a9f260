//! One call to the test double: its messages decoded with the method's input type, the stub
//! found (unary and server stream: on the request; client stream: at half-close, on every
//! message; bidi: at the start, on the headers), `delay`, the reply's headers, then the reply.

use std::{future::Future, pin::Pin, sync::Arc};

use bytes::Bytes;
use prost_reflect::{DynamicMessage, MethodDescriptor};
use tonic::{Request, Response, Status, Streaming, server::StreamingService};

use super::{
    Answer, Double,
    fault::FaultCell,
    recording::Recording,
    reply::{self, CallData, ReplyStream},
};
use crate::stubs::{CallView, RenderContext};

/// Answers one call through tonic's `Grpc`, which frames, compresses and limits its messages.
pub struct Handler {
    pub double: Arc<Double>,
    pub method: MethodDescriptor,
    /// `package.Service/Method`.
    pub name: Arc<str>,
    pub cell: Arc<FaultCell>,
    /// The call's journal entry: its requests and what answered, as soon as they are known.
    pub recording: Recording,
    pub http2: bool,
}

impl StreamingService<Bytes> for Handler {
    type Response = Bytes;
    type ResponseStream = ReplyStream;
    type Future =
        Pin<Box<dyn Future<Output = Result<Response<ReplyStream>, Status>> + Send + 'static>>;

    fn call(&mut self, request: Request<Streaming<Bytes>>) -> Self::Future {
        let handler = Handler {
            double: Arc::clone(&self.double),
            method: self.method.clone(),
            name: Arc::clone(&self.name),
            cell: Arc::clone(&self.cell),
            recording: self.recording.clone(),
            http2: self.http2,
        };
        Box::pin(handler.answer(request))
    }
}

impl Handler {
    async fn answer(
        self,
        request: Request<Streaming<Bytes>>,
    ) -> Result<Response<ReplyStream>, Status> {
        let (metadata, _, mut incoming) = request.into_parts();
        let headers = metadata.into_headers();
        let input = self.method.input();
        let decode = |bytes: Bytes| {
            self.recording.request(&bytes);
            DynamicMessage::decode(input.clone(), bytes).map_err(|err| {
                Status::invalid_argument(format!(
                    "the request is not a valid {}: {err}",
                    input.full_name()
                ))
            })
        };
        let client_streaming = self.method.is_client_streaming();
        let server_streaming = self.method.is_server_streaming();
        let mut messages = Vec::new();
        if !client_streaming {
            let Some(bytes) = incoming.message().await? else {
                return Err(Status::internal("the call has no request message"));
            };
            messages.push(decode(bytes)?);
        } else if !server_streaming {
            while let Some(bytes) = incoming.message().await? {
                messages.push(decode(bytes)?);
            }
        }
        let found = self.double.stubs.load().take(&CallView {
            method: &self.name,
            headers: &headers,
            messages: &messages,
        });
        let (stub, n) = match found {
            Ok(hit) => (hit.stub, hit.n),
            Err(miss) => {
                self.recording
                    .answered(Answer::Miss(Arc::from(miss.0.as_str())));
                return Err(Status::unimplemented(miss.0));
            }
        };
        self.recording.answered(Answer::Stub(stub.origin.clone()));
        if let Some(delay) = stub.delay {
            tokio::time::sleep(delay).await;
        }
        let request = messages.pop();
        let reply_headers = reply::headers(
            &stub.reply.headers,
            &RenderContext {
                request: request.as_ref(),
                headers: &headers,
                n,
            },
        )?;
        let call = CallData {
            stub,
            headers,
            n,
            http2: self.http2,
            cell: self.cell,
            recording: self.recording,
        };
        let stream = match (client_streaming, server_streaming) {
            (_, false) => reply::single(call, request)?,
            (false, true) => match request {
                Some(request) => reply::server_stream(call, request),
                None => return Err(Status::internal("the call has no request message")),
            },
            (true, true) => reply::bidi(call, incoming),
        };
        let mut response = Response::new(stream);
        *response.metadata_mut() = reply_headers;
        Ok(response)
    }
}

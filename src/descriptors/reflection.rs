//! The server reflection client: `grpc.reflection.v1` or `grpc.reflection.v1alpha`, whichever
//! the server answers. One reflection stream per process, opened on first use; each question is
//! one request and one response on it.
//!
//! The first question goes to both versions at once, on the same connection, and the first
//! real answer decides: a server that offers v1alpha only (grpc-go before 1.57, grpcio) costs
//! no extra round trip. The other stream is ended cleanly with the session.
//!
//! v1 and v1alpha are the same messages under two service names, so the v1 types serve both.

use std::pin::Pin;

use futures_util::future::{Either, select};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Request, Status, Streaming, client::Grpc, metadata::MetadataMap};
use tonic_prost::ProstCodec;

use crate::transport::Channel;
use tonic_reflection::pb::v1::{
    ServerReflectionRequest, ServerReflectionResponse, server_reflection_request::MessageRequest,
    server_reflection_response::MessageResponse,
};

use super::encoded::EncodedFile;

/// Why reflection could not answer.
#[derive(Debug, thiserror::Error)]
pub enum ReflectionError {
    /// Neither v1 nor v1alpha is served.
    #[error("the server does not offer reflection")]
    Unsupported,
    /// The server looked and does not know the symbol or file.
    #[error("{0}")]
    NotFound(String),
    /// The reflection call itself failed (connection, token, deadline).
    #[error("reflection failed: {}", .0.message())]
    Call(Status),
    /// The server answered with something that is not a descriptor or not what was asked.
    #[error("reflection answered badly: {0}")]
    Malformed(String),
}

const V1: &str = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
const V1ALPHA: &str = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

pub struct Reflection {
    channel: Channel,
    /// Sent with the stream: the user's headers and token.
    metadata: MetadataMap,
    /// The open stream, once a first question has been asked.
    stream: Option<Open>,
    /// Set once neither version is served, so the question is not asked twice.
    unsupported: bool,
    /// The version the server answered to, once known.
    path: Option<&'static str>,
    /// The version that lost the race of the first question, still open or opening: ended
    /// with the session rather than reset.
    loser: Option<Starting>,
}

/// A stream being opened, up to its first answer.
type Starting = Pin<Box<dyn Future<Output = Result<Started, Status>> + Send>>;

/// A stream opened with its first question, and how that question was answered.
struct Started {
    path: &'static str,
    open: Open,
    first: Result<Option<ServerReflectionResponse>, Status>,
}

impl Started {
    /// UNIMPLEMENTED: the server does not offer this version.
    fn unimplemented(outcome: &Result<Started, Status>) -> bool {
        let status = match outcome {
            Err(status) => status,
            Ok(started) => match &started.first {
                Err(status) => status,
                Ok(_) => return false,
            },
        };
        status.code() == Code::Unimplemented
    }
}

struct Open {
    requests: mpsc::Sender<ServerReflectionRequest>,
    responses: Streaming<ServerReflectionResponse>,
}

impl Reflection {
    pub fn new(channel: Channel, metadata: MetadataMap) -> Reflection {
        Reflection {
            channel,
            metadata,
            stream: None,
            unsupported: false,
            path: None,
            loser: None,
        }
    }

    /// The services the server lists, as it spells them.
    pub async fn list_services(&mut self) -> Result<Vec<String>, ReflectionError> {
        match self
            .ask(MessageRequest::ListServices(String::new()))
            .await?
        {
            MessageResponse::ListServicesResponse(list) => {
                Ok(list.service.into_iter().map(|s| s.name).collect())
            }
            other => Err(unexpected(&other)),
        }
    }

    /// The file that defines `symbol`, and maybe some of its dependencies.
    pub async fn file_containing_symbol(
        &mut self,
        symbol: &str,
    ) -> Result<Vec<EncodedFile>, ReflectionError> {
        let answer = self
            .ask(MessageRequest::FileContainingSymbol(symbol.to_owned()))
            .await?;
        files(answer)
    }

    /// The file of this name, and maybe some of its dependencies.
    pub async fn file_by_filename(
        &mut self,
        name: &str,
    ) -> Result<Vec<EncodedFile>, ReflectionError> {
        let answer = self
            .ask(MessageRequest::FileByFilename(name.to_owned()))
            .await?;
        files(answer)
    }

    /// Half-closes the stream and reads it to its end, so that the server sees the session end
    /// with OK rather than reset. Nothing to do when no stream is open.
    pub fn close(mut self) -> impl Future<Output = ()> + Send + 'static {
        let open = self.stream.take();
        let loser = self.loser.take();
        async move {
            let loser = async move {
                if let Some(loser) = loser
                    && let Ok(started) = loser.await
                {
                    started.open.close().await;
                }
            };
            let winner = async move {
                if let Some(open) = open {
                    open.close().await;
                }
            };
            futures_util::future::join(winner, loser).await;
        }
    }

    async fn ask(&mut self, question: MessageRequest) -> Result<MessageResponse, ReflectionError> {
        if self.unsupported {
            return Err(ReflectionError::Unsupported);
        }
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(question),
        };
        let answer = match &mut self.stream {
            Some(open) => {
                open.requests
                    .send(request)
                    .await
                    .map_err(|_| ReflectionError::Malformed("the stream closed".into()))?;
                open.responses.message().await
            }
            None => {
                let started = match self.path {
                    Some(path) => self.start(path, request).await,
                    None => self.start_either(request).await,
                };
                match started {
                    Ok(started) => {
                        self.path = Some(started.path);
                        self.stream = Some(started.open);
                        started.first
                    }
                    Err(status) if status.code() == Code::Unimplemented => {
                        self.unsupported = true;
                        return Err(ReflectionError::Unsupported);
                    }
                    Err(status) => return Err(ReflectionError::Call(status)),
                }
            }
        };
        if !matches!(answer, Ok(Some(_))) {
            // The stream is over; the next question opens another.
            self.stream = None;
        }
        let response = match answer {
            Ok(Some(response)) => response,
            Ok(None) => {
                return Err(ReflectionError::Malformed(
                    "the stream ended without an answer".into(),
                ));
            }
            Err(status) if status.code() == Code::Unimplemented => {
                self.unsupported = true;
                return Err(ReflectionError::Unsupported);
            }
            // Some servers (tonic's among them) end the stream with NOT_FOUND instead of
            // answering with an error response.
            Err(status) if status.code() == Code::NotFound => {
                return Err(ReflectionError::NotFound(status.message().to_owned()));
            }
            Err(status) => return Err(ReflectionError::Call(status)),
        };
        match response.message_response {
            Some(MessageResponse::ErrorResponse(error)) => {
                if error.error_code == Code::NotFound as i32 {
                    Err(ReflectionError::NotFound(error.error_message))
                } else {
                    let code = Code::from_i32(error.error_code);
                    Err(ReflectionError::Call(Status::new(
                        code,
                        error.error_message,
                    )))
                }
            }
            Some(answer) => Ok(answer),
            None => Err(ReflectionError::Malformed("an empty answer".into())),
        }
    }

    /// Asks `first` on v1 and v1alpha at once and keeps the first version that answers with
    /// anything but UNIMPLEMENTED; when both are UNIMPLEMENTED, that is the outcome.
    async fn start_either(&mut self, first: ServerReflectionRequest) -> Result<Started, Status> {
        let v1 = self.start(V1, first.clone());
        let v1alpha = self.start(V1ALPHA, first);
        let (done, other) = match select(v1, v1alpha).await {
            Either::Left(won) | Either::Right(won) => won,
        };
        if !Started::unimplemented(&done) {
            self.loser = Some(other);
            return done;
        }
        other.await
    }

    /// Opens the stream with `first` already queued, and waits for its answer: some servers
    /// send their response headers only with the first answer, so the question must go out
    /// before the headers are awaited.
    fn start(&self, path: &'static str, first: ServerReflectionRequest) -> Starting {
        let (requests, rx) = mpsc::channel(4);
        let _ = requests.try_send(first);
        let mut request = Request::new(ReceiverStream::new(rx));
        *request.metadata_mut() = self.metadata.clone();
        let mut grpc = Grpc::new(self.channel.clone());
        Box::pin(async move {
            grpc.ready()
                .await
                .map_err(|err| Status::unavailable(err.to_string()))?;
            let codec = ProstCodec::<ServerReflectionRequest, ServerReflectionResponse>::default();
            let mut responses = grpc
                .streaming(request, http::uri::PathAndQuery::from_static(path), codec)
                .await?
                .into_inner();
            let first = responses.message().await;
            Ok(Started {
                path,
                open: Open {
                    requests,
                    responses,
                },
                first,
            })
        })
    }
}

impl Open {
    /// Half-closes the stream and reads it to its end, so that the server sees the session end
    /// with OK rather than reset.
    async fn close(self) {
        let Open {
            requests,
            mut responses,
        } = self;
        drop(requests);
        while let Ok(Some(_)) = responses.message().await {}
    }
}

fn files(answer: MessageResponse) -> Result<Vec<EncodedFile>, ReflectionError> {
    let MessageResponse::FileDescriptorResponse(response) = answer else {
        return Err(unexpected(&answer));
    };
    response
        .file_descriptor_proto
        .into_iter()
        .map(|bytes| {
            EncodedFile::decode(bytes)
                .map_err(|err| ReflectionError::Malformed(format!("a file descriptor: {err}")))
        })
        .collect()
}

fn unexpected(answer: &MessageResponse) -> ReflectionError {
    let what = match answer {
        MessageResponse::FileDescriptorResponse(_) => "file descriptors",
        MessageResponse::AllExtensionNumbersResponse(_) => "extension numbers",
        MessageResponse::ListServicesResponse(_) => "a service list",
        MessageResponse::ErrorResponse(_) => "an error",
    };
    ReflectionError::Malformed(format!("got {what} instead of the answer asked for"))
}

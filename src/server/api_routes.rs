//! api.Api as `apicli serve` serves it: the generated `ApiServer` for sayHello and getStream,
//! and getAll on a route of its own, whose reply is encoded as it is made.
//!
//! The generated route of getAll takes a whole `Items` from the service and encodes it with
//! prost, so a reply of a million items was in memory twice: 60 MB of messages, then 19 MB of
//! encoding. This route runs the same tonic unary handler (request decoding and its size limit,
//! the choice of compression, statuses, headers) with a codec for a reply that is not made yet
//! (`items_reply.rs`). Then, before tonic's body is first polled, it is swapped for one that
//! makes the items as they are sent, uncompressed or compressed (`items_body.rs`), so the
//! reply never exists whole, uncompressed, in memory. Only for an encoding that body does not
//! make would tonic's body run, its encoder writing the items straight into tonic's buffer.
//!
//! The token check and the call log wrap this service as they wrap any other.

use std::{
    convert::Infallible,
    future::{Future, Ready},
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use http_body::Body;
use tonic::{
    Request, Response, Status,
    body::Body as ResponseBody,
    codec::CompressionEncoding,
    server::{Grpc, NamedService, UnaryService},
};
use tower::Service;

use super::{
    ApiService,
    items_body::ItemsBody,
    items_reply::{ItemsCodec, ItemsReply},
};
use crate::api::{
    ApiRequest,
    api_server::{self, ApiServer},
};

/// The path of getAll, which this service answers itself.
const GET_ALL: &str = "/api.Api/getAll";
/// The response header naming the reply's compression, when it is compressed.
const GRPC_ENCODING: &str = "grpc-encoding";

/// What every route answers with: the generated server's future, and getAll's.
type RouteFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<ResponseBody>, Infallible>> + Send>>;

/// api.Api with getAll's reply encoded as it is made.
#[derive(Clone)]
pub struct ApiRoutes {
    /// sayHello, getStream, and the answer to unknown methods.
    generated: ApiServer<ApiService>,
    /// The same service, for getAll.
    service: Arc<ApiService>,
    /// The largest request accepted.
    max_request_size: usize,
    /// The encodings accepted in requests and offered for replies, in order of preference.
    compression: &'static [CompressionEncoding],
}

impl ApiRoutes {
    /// `service`, taking requests of at most `max_request_size` bytes (decompressed), compressed
    /// or not with `compression`, and compressing replies with the first of them a client
    /// accepts.
    pub fn new(
        service: ApiService,
        max_request_size: usize,
        compression: &'static [CompressionEncoding],
    ) -> ApiRoutes {
        let service = Arc::new(service);
        let mut generated =
            ApiServer::from_arc(Arc::clone(&service)).max_decoding_message_size(max_request_size);
        for &encoding in compression {
            generated = generated
                .accept_compressed(encoding)
                .send_compressed(encoding);
        }
        ApiRoutes {
            generated,
            service,
            max_request_size,
            compression,
        }
    }

    /// The tonic handler of getAll, set up as the generated server sets up its routes.
    fn get_all_handler(&self) -> Grpc<ItemsCodec> {
        let mut grpc = Grpc::new(ItemsCodec).max_decoding_message_size(self.max_request_size);
        for &encoding in self.compression {
            grpc = grpc.accept_compressed(encoding).send_compressed(encoding);
        }
        grpc
    }
}

impl<B> Service<http::Request<B>> for ApiRoutes
where
    B: Body + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
{
    type Response = http::Response<ResponseBody>;
    type Error = Infallible;
    type Future = RouteFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Service::<http::Request<B>>::poll_ready(&mut self.generated, cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        if request.uri().path() != GET_ALL {
            return self.generated.call(request);
        }
        let mut grpc = self.get_all_handler();
        let get_all = GetAll(Arc::clone(&self.service));
        Box::pin(async move { Ok(stream_reply(grpc.unary(get_all, request).await)) })
    }
}

/// A getAll response with tonic's body (not yet polled, so nothing is encoded) swapped for an
/// [`ItemsBody`], plain or compressed as tonic chose. Errors (which have no reply) are left as
/// they are, and so is a reply in an encoding `ItemsBody` does not make (tonic's encoder then
/// writes it into tonic's buffer).
fn stream_reply(response: http::Response<ResponseBody>) -> http::Response<ResponseBody> {
    let (mut parts, body) = response.into_parts();
    let Some(reply) = parts.extensions.remove::<ItemsReply>() else {
        return http::Response::from_parts(parts, body);
    };
    let items = match parts.headers.get(GRPC_ENCODING) {
        None => Some(ItemsBody::plain(reply)),
        Some(encoding) => ItemsBody::compressed(reply, encoding.as_bytes()),
    };
    match items {
        Some(items) => http::Response::from_parts(parts, ResponseBody::new(items)),
        None => http::Response::from_parts(parts, body),
    }
}

impl NamedService for ApiRoutes {
    const NAME: &'static str = api_server::SERVICE_NAME;
}

/// getAll's handler: checks the length and hands tonic the reply, not yet made; a copy of it
/// rides in the response's extensions, for [`stream_reply`].
struct GetAll(Arc<ApiService>);

impl UnaryService<ApiRequest> for GetAll {
    type Response = ItemsReply;
    type Future = Ready<Result<Response<ItemsReply>, Status>>;

    fn call(&mut self, request: Request<ApiRequest>) -> Self::Future {
        std::future::ready(self.0.get_all_reply(request.get_ref()).map(|reply| {
            let mut response = Response::new(reply);
            response.extensions_mut().insert(reply);
            response
        }))
    }
}

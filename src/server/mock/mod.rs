//! serve as a test double: every method of every service in a descriptor pool, answered from
//! stubs, with the faults a stub may ask for; the journal of the calls, and the admin service that
//! inspects them and the stubs.
//!
//! [`MockService`] is one tower service for every path; the router sends it whatever no other
//! service (health, reflection) claims. It hands each call to tonic's `Grpc` with a codec of raw
//! bytes, so compression and `--max-request-size` apply as they do to the built-in services, and
//! decodes messages with the method's descriptors only to match them and fill in templates.

pub mod admin;
mod call;
mod codec;
pub mod connection;
mod fault;
pub mod filter;
pub mod journal;
pub mod json;
mod load;
mod reply;
pub mod served;
pub mod unused;
pub mod watch;

use std::{
    collections::HashMap,
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use arc_swap::ArcSwap;
use bytes::Bytes;
use prost_reflect::{DescriptorPool, MethodDescriptor};
use tonic::{Status, body::Body, server::Grpc};

pub use load::{descriptors, stubs};

use self::{call::Handler, codec::BytesCodec, connection::ConnInfo, fault::FaultBody};
use crate::stubs::{Origin, StubSet};

/// The services served as a test double, the stubs that answer them, and the limits of a call.
pub struct Double {
    /// Each method by its path, `/package.Service/Method`.
    methods: HashMap<String, MethodDescriptor>,
    /// Swapped whole when the stubs change.
    stubs: Arc<ArcSwap<StubSet>>,
    max_request_size: usize,
}

impl Double {
    /// Serves every service of `services` (full names, found in `pool`).
    pub fn new(
        pool: &DescriptorPool,
        services: &[String],
        stubs: Arc<ArcSwap<StubSet>>,
        max_request_size: usize,
    ) -> Double {
        let methods = (services.iter())
            .filter_map(|name| pool.get_service_by_name(name))
            .flat_map(|service| service.methods().collect::<Vec<_>>())
            .map(|method| {
                let path = format!("/{}/{}", method.parent_service().full_name(), method.name());
                (path, method)
            })
            .collect();
        Double {
            methods,
            stubs,
            max_request_size,
        }
    }
}

/// What answered a call, put in its response's extensions for the log line.
#[derive(Debug, Clone)]
pub enum Answer {
    Stub(Origin),
    /// No stub matched: why.
    Miss(String),
}

/// The tower service that answers every method of a [`Double`].
#[derive(Clone)]
pub struct MockService {
    double: Arc<Double>,
}

impl MockService {
    pub fn new(double: Double) -> MockService {
        MockService {
            double: Arc::new(double),
        }
    }
}

impl<B> tower::Service<http::Request<B>> for MockService
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<tonic::codegen::StdError>,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<http::Response<Body>, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let double = Arc::clone(&self.double);
        Box::pin(async move { Ok(answer(double, request.map(Body::new)).await) })
    }
}

async fn answer(double: Arc<Double>, request: http::Request<Body>) -> http::Response<Body> {
    let path = request.uri().path();
    let Some(method) = double.methods.get(path).cloned() else {
        let status = Status::unimplemented(format!("this server does not serve {path}"));
        return status.into_http();
    };
    let connection = (request.extensions().get::<ConnInfo>()).map(|info| Arc::clone(&info.control));
    let answer = Arc::new(Mutex::new(None));
    let cell = Arc::default();
    let handler = Handler {
        name: path[1..].to_owned(),
        double: Arc::clone(&double),
        method,
        cell: Arc::clone(&cell),
        answer: Arc::clone(&answer),
        http2: request.version() == http::Version::HTTP_2,
    };
    let mut grpc = Grpc::new(BytesCodec)
        .max_decoding_message_size(double.max_request_size)
        .max_encoding_message_size(usize::MAX);
    for &encoding in super::COMPRESSION {
        grpc = grpc.accept_compressed(encoding).send_compressed(encoding);
    }
    let response = grpc.streaming(handler, request).await;
    let (mut parts, body) = response.into_parts();
    if let Some(answer) = answer.lock().ok().and_then(|mut slot| slot.take()) {
        parts.extensions.insert(answer);
    }
    http::Response::from_parts(parts, Body::new(FaultBody::new(body, cell, connection)))
}

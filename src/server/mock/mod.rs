//! serve as a test double: every method of every service in a descriptor pool, answered from
//! stubs, with the faults a stub may ask for; the journal of the calls, and the admin service that
//! inspects them and the stubs.
//!
//! [`MockService`] is one tower service for every path; the router sends it whatever no other
//! service (health, reflection) claims. It hands each call to tonic's `Grpc` with a codec of raw
//! bytes, so compression and `--max-request-size` apply as they do to the built-in services, and
//! decodes messages with the method's descriptors only to match them and fill in templates.

mod admin;
mod call;
mod codec;
pub mod connection;
mod fault;
mod filter;
mod journal;
mod json;
mod load;
mod recording;
mod reply;
mod served;
mod unused;
mod watch;

use std::{
    collections::HashMap,
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use bytes::Bytes;
use prost_reflect::{DescriptorPool, MethodDescriptor};
use tonic::{Status, body::Body, server::Grpc};

pub use admin::MockAdmin;
pub use journal::Journal;
pub use load::{descriptors, stubs};
pub use served::ServedStubs;
pub use unused::report as report_unused;
pub use watch::StubWatch;

use self::{
    call::Handler,
    codec::BytesCodec,
    connection::ConnInfo,
    fault::FaultBody,
    recording::{JournalBody, Recording},
};
use crate::stubs::Origin;

/// The services served as a test double, the stubs that answer them, the journal of their calls,
/// and the limits of a call.
pub struct Double {
    /// Each method by its path, `/package.Service/Method`.
    methods: HashMap<String, Method>,
    stubs: Arc<ServedStubs>,
    journal: Arc<Journal>,
    max_request_size: usize,
}

/// A method served.
struct Method {
    /// `package.Service/Method`, shared by its calls' journal entries.
    name: Arc<str>,
    descriptor: MethodDescriptor,
}

impl Double {
    /// Serves every service of `services` (full names, found in `pool`).
    pub fn new(
        pool: &DescriptorPool,
        services: &[String],
        stubs: Arc<ServedStubs>,
        journal: Arc<Journal>,
        max_request_size: usize,
    ) -> Double {
        let methods = (services.iter())
            .filter_map(|name| pool.get_service_by_name(name))
            .flat_map(|service| service.methods().collect::<Vec<_>>())
            .map(|descriptor| {
                let name = format!(
                    "{}/{}",
                    descriptor.parent_service().full_name(),
                    descriptor.name()
                );
                let method = Method {
                    name: Arc::from(name.as_str()),
                    descriptor,
                };
                (format!("/{name}"), method)
            })
            .collect();
        Double {
            methods,
            stubs,
            journal,
            max_request_size,
        }
    }
}

/// What answered a call: kept in its journal entry, and put in its response's extensions for the
/// log line.
#[derive(Debug, Clone)]
pub enum Answer {
    Stub(Origin),
    /// No stub matched: why.
    Miss(Arc<str>),
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
    let Some(method) = double.methods.get(path) else {
        let status = Status::unimplemented(format!("this server does not serve {path}"));
        return status.into_http();
    };
    let connection = request.extensions().get::<ConnInfo>();
    let recording = Recording::begin(
        &double.journal,
        Arc::clone(&method.name),
        method.descriptor.input(),
        connection.and_then(|info| info.peer),
        request.headers(),
    );
    let connection = connection.map(|info| Arc::clone(&info.control));
    let cell = Arc::default();
    let handler = Handler {
        name: Arc::clone(&method.name),
        method: method.descriptor.clone(),
        double: Arc::clone(&double),
        cell: Arc::clone(&cell),
        recording: recording.clone(),
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
    if let Some(answer) = recording.answer() {
        parts.extensions.insert(answer);
    }
    // A trailers-only reply (an error before any message) ends here.
    if let Some(status) = Status::from_header_map(&parts.headers) {
        recording.end(status.code(), status.message());
    }
    let body = FaultBody::new(body, Arc::clone(&cell), connection);
    http::Response::from_parts(parts, Body::new(JournalBody::new(body, recording, cell)))
}

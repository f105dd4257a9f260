//! `apicli serve --record-from ADDR`: every call is forwarded to a live server, and each
//! exchange is written as a stub file that `apicli serve --stubs DIR` replays.
//!
//! The call goes through as HTTP: the request's headers (but the hop-by-hop ones) and frames,
//! then the reply's headers, frames and trailers, come back as the server sent them, compressed
//! or not, so the client sees the server's exact reply, status details included. Beside them,
//! the frames are cut into messages (`frames.rs`) as they pass (`tee.rs`), and when the
//! trailers come, the messages are decoded with the method's descriptors into the stub file
//! (`exchange.rs`, `yaml.rs`, `stub_dir.rs`), before the client sees the end of the call.
//!
//! Credentials are forwarded, never written: `authorization`, `cookie`, `set-cookie`,
//! `x-api-key` and the headers the options name.

mod exchange;
#[cfg(test)]
mod exchange_tests;
mod frames;
mod stub_dir;
mod tee;
mod yaml;

use std::{
    convert::Infallible,
    future::Future,
    path::Path,
    pin::Pin,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll},
    time::Instant,
};

use anyhow::Context as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use prost_reflect::{DescriptorPool, MethodDescriptor};
use tonic::{
    body::Body,
    metadata::MetadataMap,
    service::{Routes, interceptor::InterceptedService},
};
use tower::{Service, ServiceExt as _};
use tracing::{debug, info, warn};

use super::BearerAuth;
use crate::{
    client,
    exit::{UsageError, io_words},
    settings::Record,
    transport::{BoxError, Channel},
};
use exchange::{Event, Exchange, Writing};
use frames::Frames;
use stub_dir::StubDir;
use tee::{RequestTee, ResponseTee};

/// Services whose calls are forwarded but not written: the replaying server answers them itself.
const NOT_RECORDED: &[&str] = &[
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
];

/// Headers of one connection, not of the call: never forwarded.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "host",
];

/// How calls are recorded.
#[derive(Debug, Clone, Default)]
pub struct RecordOptions {
    /// Headers never written to a file, beside the credentials (`--redact-header`).
    pub redact: Vec<HeaderName>,
    /// Whether each message is written with the time since the one before it
    /// (`--record-timing`).
    pub timing: bool,
    /// Headers set on every forwarded call, replacing the caller's of the same name: the
    /// client's `-H` for the live server (each `Header::append_to` a `MetadataMap`, then
    /// `into_headers`).
    pub headers: HeaderMap,
}

/// A service that answers every call by forwarding it to the live server, and records it.
/// Cheap to clone: clones share the connection and the folder.
#[derive(Clone)]
pub struct RecordService {
    upstream: Channel,
    shared: Arc<Shared>,
}

/// What the calls of one recorder share.
struct Shared {
    /// Decodes the messages for the files.
    pool: DescriptorPool,
    dir: StubDir,
    options: RecordOptions,
}

impl RecordService {
    /// Forwards calls over `upstream` and writes them into `out_dir` (made if missing), with
    /// the messages decoded through `pool`. A method that `pool` does not know is forwarded
    /// and not written.
    pub fn new(
        upstream: Channel,
        pool: DescriptorPool,
        out_dir: &Path,
        options: RecordOptions,
    ) -> std::io::Result<RecordService> {
        Ok(RecordService {
            upstream,
            shared: Arc::new(Shared {
                pool,
                dir: StubDir::open(out_dir)?,
                options,
            }),
        })
    }

    /// A connection to the live server of `--record-from`: one that does not answer is an
    /// error before serve listens.
    pub async fn connect(record: &Record) -> anyhow::Result<Channel> {
        let upstream = &record.upstream;
        let connection = client::connect(upstream)
            .await
            .with_context(|| format!("--record-from {}", upstream.target.display()))?;
        Ok(connection.channel)
    }

    /// The recorder `--record-from` asks for, forwarding over `upstream` (see
    /// [`RecordService::connect`]) and writing into its folder (made if missing).
    pub fn with_settings(
        record: &Record,
        upstream: Channel,
        pool: DescriptorPool,
    ) -> Result<RecordService, UsageError> {
        let mut headers = MetadataMap::new();
        for header in &record.upstream.metadata {
            header.append_to(&mut headers);
        }
        let options = RecordOptions {
            redact: record.redact.clone(),
            timing: record.timing,
            headers: headers.into_headers(),
        };
        RecordService::new(upstream, pool, &record.dir, options).map_err(|err| {
            UsageError(format!(
                "--stubs '{}': cannot write stub files there: {}",
                record.dir.display(),
                io_words(&err)
            ))
        })
    }

    /// `routes` with this service answering every path they do not route (in place of tonic's
    /// UNIMPLEMENTED), behind the token check when there is one: health and reflection can be
    /// served locally and the rest recorded.
    pub fn routes(self, mut routes: Routes, auth: Option<&BearerAuth>) -> Routes {
        let router = std::mem::take(routes.axum_router_mut());
        *routes.axum_router_mut() = match auth {
            Some(auth) => router.fallback_service(InterceptedService::new(self, auth.clone())),
            None => router.fallback_service(self),
        };
        routes
    }

    /// The method of `path` (`/package.Service/Method`), when its calls are written.
    fn recorded_method(&self, path: &str) -> Option<MethodDescriptor> {
        let (service, method) = path.strip_prefix('/')?.split_once('/')?;
        if NOT_RECORDED.contains(&service) {
            return None;
        }
        let found = (self.shared.pool.get_service_by_name(service))
            .and_then(|s| s.methods().find(|m| m.name() == method));
        if found.is_none() {
            warn!("{service}/{method} is not in the descriptors: forwarded, not recorded");
        }
        found
    }
}

type ResponseFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<Body>, Infallible>> + Send>>;

impl<B> Service<http::Request<B>> for RecordService
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // The upstream's readiness is awaited in each call, on a clone of the channel.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> ResponseFuture {
        let started = Instant::now();
        let (parts, body) = request.into_parts();
        let recording = self
            .recorded_method(parts.uri.path())
            .map(|method| Arc::new(Recording::new(method, started, Arc::clone(&self.shared))));
        let mut headers = parts.headers;
        for name in HOP_BY_HOP {
            headers.remove(*name);
        }
        let extra = &self.shared.options.headers;
        for name in extra.keys() {
            headers.remove(name);
        }
        for (name, value) in extra {
            headers.append(name, value.clone());
        }
        // What gRPC servers require, which a call translated from Connect may lack.
        headers.insert(http::header::TE, HeaderValue::from_static("trailers"));
        let body = match &recording {
            Some(recording) => {
                let frames = Frames::new(headers.get("grpc-encoding"));
                Body::new(RequestTee::new(body, frames, Arc::clone(recording)))
            }
            None => Body::new(body),
        };
        let mut forwarded = http::Request::new(body);
        *forwarded.method_mut() = parts.method;
        // The channel puts the live server's scheme and authority in front.
        *forwarded.uri_mut() = http::Uri::from(
            (parts.uri.path_and_query().cloned())
                .unwrap_or_else(|| http::uri::PathAndQuery::from_static("/")),
        );
        *forwarded.version_mut() = http::Version::HTTP_2;
        *forwarded.headers_mut() = headers;

        let upstream = self.upstream.clone();
        Box::pin(async move {
            let response = match upstream.oneshot(forwarded).await {
                Ok(response) => response,
                Err(err) => {
                    warn!("the live server did not answer: {err}");
                    return Ok(unavailable(&err));
                }
            };
            let (mut parts, body) = response.into_parts();
            for name in HOP_BY_HOP {
                parts.headers.remove(*name);
            }
            let Some(recording) = recording else {
                return Ok(http::Response::from_parts(parts, body));
            };
            if parts.headers.contains_key("grpc-status") {
                // Trailers-only: the call ends in these headers.
                recording.finish(&parts.headers);
                return Ok(http::Response::from_parts(parts, body));
            }
            recording.headers(parts.headers.clone());
            let frames = Frames::new(parts.headers.get("grpc-encoding"));
            let body = Body::new(ResponseTee::new(body, frames, recording));
            Ok(http::Response::from_parts(parts, body))
        })
    }
}

/// The answer to a call the live server could not be reached for.
fn unavailable(err: &BoxError) -> http::Response<Body> {
    let status = tonic::Status::unavailable(format!("the recorded server did not answer: {err}"));
    let (parts, ()) = status.into_http::<()>().into_parts();
    http::Response::from_parts(parts, Body::empty())
}

/// One call being recorded, shared by its two bodies.
pub(crate) struct Recording {
    exchange: Mutex<Exchange>,
    shared: Arc<Shared>,
    finished: AtomicBool,
}

impl Recording {
    fn new(method: MethodDescriptor, started: Instant, shared: Arc<Shared>) -> Recording {
        Recording {
            exchange: Mutex::new(Exchange::new(method, started)),
            shared,
            finished: AtomicBool::new(false),
        }
    }

    fn with(&self, f: impl FnOnce(&mut Exchange)) {
        if let Ok(mut exchange) = self.exchange.lock() {
            f(&mut exchange);
        }
    }

    fn push(&self, event: Event, at: Instant) {
        self.with(|exchange| exchange.push(event, at));
    }

    fn unreadable(&self, why: String) {
        self.with(|exchange| exchange.unreadable(why));
    }

    fn headers(&self, headers: HeaderMap) {
        let now = Instant::now();
        self.with(|exchange| exchange.headers(headers, now));
    }

    /// The call ended with `trailers`: writes its stub file, once.
    fn finish(&self, trailers: &HeaderMap) {
        if self.finished.swap(true, Ordering::Relaxed) {
            return;
        }
        let Ok(exchange) = self.exchange.lock() else {
            return;
        };
        let method = exchange.method_name();
        let writing = Writing {
            redact: &self.shared.options.redact,
            timing: self.shared.options.timing,
            pool: &self.shared.pool,
        };
        let stub = match exchange.stub(trailers, &writing) {
            Ok(stub) => stub,
            Err(why) => return warn!("a call of {method} is not recorded: {why}"),
        };
        let text = yaml::to_string(&stub);
        match self.shared.dir.write(&method, &text) {
            Ok(path) if stub.contains_text("{{") => warn!(
                "recorded {method} in {}, whose text holds '{{{{': a replay reads it as a \
                 placeholder",
                path.display()
            ),
            Ok(path) => info!("recorded {method} in {}", path.display()),
            Err(err) => warn!("a call of {method} is not recorded: {err}"),
        }
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if !self.finished.load(Ordering::Relaxed) {
            debug!("a call ended before its trailers came: not recorded");
        }
    }
}

//! `apicli serve`: api.Api and routeguide.RouteGuide (or, as a test double, any service answered
//! from stubs) with health, reflection, TLS, bearer tokens and compression; one log line per
//! call; and on SIGINT/SIGTERM a drain that lets calls in flight finish.

mod api_routes;
mod auth;
mod call_log;
mod compressor;
mod connect;
mod cors;
mod deadline;
mod grpc_web;
mod items_body;
mod items_reply;
mod listen;
mod logging;
mod mock;
mod paced;
pub mod record;
mod request_limit;
mod route_guide;
mod service;
mod shards;
mod tls;

use std::{convert::Infallible, sync::Arc, time::Duration};

use anyhow::Context as _;
use prost_reflect::DescriptorPool;
use tokio::sync::watch;
use tonic::{
    body::Body, codec::CompressionEncoding, server::NamedService, service::Routes,
    transport::Server,
};
use tonic_health::ServingStatus;
use tracing::{info, warn};

pub use auth::BearerAuth;
pub use call_log::{CallLogLayer, Wire};
pub use route_guide::RouteGuideService;
pub use service::ApiService;

use crate::{
    api,
    mock::mock_server::MockServer,
    routeguide::route_guide_server::RouteGuideServer,
    settings::{Double, ServeSettings, io_words},
};
use api_routes::ApiRoutes;
use connect::ConnectLayer;
use listen::Listener;
use mock::{Journal, MockAdmin, MockService, ServedStubs, StubWatch};
use record::RecordService;
use request_limit::RequestLimitLayer;
use shards::{AppLayers, AppRouter, Shards, Signals};

/// How long a keepalive ping may go unanswered before the connection is closed.
const KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(20);
/// HTTP/2 streams a client may reset before they are accepted (the "rapid reset" attack).
const MAX_PENDING_RESETS: usize = 100;
/// The largest header block a client may send.
const MAX_HEADER_LIST_SIZE: u32 = 16 * 1024;
/// The encodings every service accepts in requests and offers for replies, in order of
/// preference.
const COMPRESSION: &[CompressionEncoding] = &[CompressionEncoding::Gzip, CompressionEncoding::Zstd];

/// Runs the server until it stops: an accepting thread, and `--threads` serving threads
/// (see `shards.rs`). The log outlives them all, so the lines of calls cancelled at the end
/// are written too.
pub fn serve(settings: ServeSettings) -> anyhow::Result<()> {
    let _log = logging::init(
        settings.log_format,
        settings.log_level,
        settings.color.stderr,
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(settings))
}

/// Serves until SIGINT or SIGTERM, then drains: health turns NOT_SERVING, the listener closes,
/// and calls in flight may finish for up to `--grace` before they are cancelled.
async fn run(settings: ServeSettings) -> anyhow::Result<()> {
    // The recorder's live server is reached before the port is taken, and before its
    // reflection is asked: one that does not answer is an error with nothing listening.
    let record = settings.double.as_ref().and_then(|d| d.record.as_ref());
    let upstream = match record {
        Some(record) => Some(RecordService::connect(record).await?),
        None => None,
    };
    // A double's descriptors and stubs are read before the port is taken: a bad file is exit 2
    // with nothing listening.
    let double = match &settings.double {
        Some(double) => Some(DoubleParts::load(double, settings.limits.max_request_size).await?),
        None => None,
    };
    let recorder = match (record, upstream, &double) {
        (Some(record), Some(upstream), Some(double)) => Some(RecordService::with_settings(
            record,
            upstream,
            double.pool.clone(),
        )?),
        _ => None,
    };
    let listener = Listener::bind(&settings.listen).await?;
    let local = listener.local_addr()?;

    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_service_status("", ServingStatus::Serving).await;
    let auth = settings.token.as_deref().map(BearerAuth::new);
    let limits = &settings.limits;
    let call_log = CallLogLayer::default();
    let (router, served) = match &double {
        None => {
            health.set_serving::<ApiRoutes>().await;
            health
                .set_serving::<RouteGuideServer<RouteGuideService>>()
                .await;
            let mut server = server(&settings, connect_layer(limits.max_request_size), &call_log);
            // Health stays open, so probes work without the token.
            let router = server.add_service(health_service);
            (
                builtin_router(router, &settings, auth.as_ref())?,
                Vec::new(),
            )
        }
        Some(double) => {
            for service in &double.services {
                health
                    .set_service_status(service, ServingStatus::Serving)
                    .await;
            }
            let connect = ConnectLayer::new(&double.descriptor_sets(), limits.max_request_size);
            let mut server = server(&settings, connect, &call_log);
            // Health stays open, so probes work without the token.
            let routes = Routes::new(health_service);
            let routes = match recorder {
                Some(recorder) => double.recorded(recorder, routes, &settings, auth.as_ref())?,
                None => double.routes(routes, &settings, auth.as_ref())?,
            };
            (server.add_routes(routes), double.services.clone())
        }
    };

    let (tls, trusted_ca) = match &settings.tls {
        Some(tls) => {
            let (config, made_ca) = tls::config(tls).context("the TLS certificate and key")?;
            (Some(config), made_ca)
        }
        None => (None, None),
    };

    info!("listening on {local}");
    if let Some(ca) = trusted_ca {
        info!(
            "clients trust this server with: apicli --addr https://{local} --ca-cert {} hello you",
            ca.display()
        );
    }

    let (draining, draining_rx) = watch::channel(false);
    let (stop, stop_rx) = watch::channel(false);
    let signals = Signals {
        draining: draining_rx,
        stop: stop_rx,
    };
    let mut shards = Shards::start(
        settings.threads,
        &router,
        listener.is_unix(),
        settings.double.is_some(),
        tls,
        limits.tcp_nodelay,
        &signals,
    )
    .context("starting the serving threads")?;

    let signal = shutdown_signal();
    tokio::pin!(signal);
    loop {
        tokio::select! {
            () = &mut signal => break,
            accepted = listener.accept() => match accepted {
                Ok(connection) => shards.deal(connection),
                Err(err) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    warn!("accepting a connection failed: {}", io_words(&err));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }

    // Drain: NOT_SERVING first, then no new connections, then calls in flight get the grace.
    health
        .set_service_status("", ServingStatus::NotServing)
        .await;
    if settings.double.is_some() {
        for service in &served {
            health
                .set_service_status(service, ServingStatus::NotServing)
                .await;
        }
    } else {
        health.set_not_serving::<ApiRoutes>().await;
        health
            .set_not_serving::<RouteGuideServer<RouteGuideService>>()
            .await;
    }
    drop(listener);
    shards.close();
    let _ = draining.send(true);
    let grace = settings.grace;
    if tokio::time::timeout(grace, shards.stopped()).await.is_err() {
        let running = call_log.in_flight();
        warn!("cancelling {running} call(s) still running after the {grace:?} grace");
        let _ = stop.send(true);
        shards.stopped().await;
    }
    shards.join();
    info!("stopped");
    match double {
        Some(double) => double.finish(),
        None => Ok(()),
    }
}

/// The server with its HTTP/2 settings and the layers every call goes through.
fn server(
    settings: &ServeSettings,
    connect: ConnectLayer,
    call_log: &CallLogLayer,
) -> Server<AppLayers> {
    let limits = &settings.limits;
    Server::builder()
        // gRPC-Web (and Connect) come over HTTP/1.1 too; HTTP/2 is told by its preface.
        .accept_http1(true)
        .max_concurrent_streams(limits.max_concurrent_streams)
        .http2_keepalive_interval(Some(limits.keepalive))
        .http2_keepalive_timeout(Some(KEEPALIVE_TIMEOUT))
        .http2_max_pending_accept_reset_streams(Some(MAX_PENDING_RESETS))
        .http2_max_header_list_size(MAX_HEADER_LIST_SIZE)
        // Outermost, so that a preflight is answered before anything else looks at it.
        .layer(tower::util::option_layer(cors::layer(
            &settings.cors_origins,
        )))
        // Outside the log, which then logs the gRPC call that a Connect or gRPC-Web request
        // became, and names the protocol it came in.
        .layer(connect)
        .layer(grpc_web::GrpcWebLayer)
        .layer(call_log.clone())
        // Inside the log, so that the log shows the status the client gets.
        .layer(RequestLimitLayer::new(limits.max_request_size))
}

/// The built-in services besides health: api.Api, routeguide.RouteGuide and reflection.
fn builtin_router(
    router: AppRouter,
    settings: &ServeSettings,
    auth: Option<&BearerAuth>,
) -> anyhow::Result<AppRouter> {
    let limits = &settings.limits;
    let api = ApiRoutes::new(
        ApiService::new(settings.stream_interval, settings.max_items),
        limits.max_request_size,
        COMPRESSION,
    );
    let mut route_guide = RouteGuideServer::new(RouteGuideService::new(settings.stream_interval))
        .max_decoding_message_size(limits.max_request_size);
    for &encoding in COMPRESSION {
        route_guide = route_guide
            .accept_compressed(encoding)
            .send_compressed(encoding);
    }
    let (reflection_v1, reflection_v1alpha) = if settings.reflection {
        let (v1, v1alpha) = reflection(&[
            api::FILE_DESCRIPTOR_SET,
            tonic_health::pb::FILE_DESCRIPTOR_SET,
        ])?;
        (Some(v1), Some(v1alpha))
    } else {
        (None, None)
    };
    let api = auth::behind(Some(api), auth);
    let route_guide = auth::behind(Some(route_guide), auth);
    let reflection_v1 = auth::behind(reflection_v1, auth);
    let reflection_v1alpha = auth::behind(reflection_v1alpha, auth);
    Ok(router
        // Without a token, calls skip the interceptor and its request conversions altogether.
        .add_optional_service(api.0)
        .add_optional_service(api.1)
        .add_optional_service(route_guide.0)
        .add_optional_service(route_guide.1)
        .add_optional_service(reflection_v1.0)
        .add_optional_service(reflection_v1.1)
        .add_optional_service(reflection_v1alpha.0)
        .add_optional_service(reflection_v1alpha.1))
}

/// Reflection v1 and v1alpha, describing the services of `sets`.
fn reflection(
    sets: &[&'static [u8]],
) -> anyhow::Result<(
    tonic_reflection::server::v1::ServerReflectionServer<
        impl tonic_reflection::server::v1::ServerReflection,
    >,
    tonic_reflection::server::v1alpha::ServerReflectionServer<
        impl tonic_reflection::server::v1alpha::ServerReflection,
    >,
)> {
    let builder = || {
        let mut builder = tonic_reflection::server::Builder::configure();
        for set in sets {
            builder = builder.register_encoded_file_descriptor_set(set);
        }
        builder
    };
    Ok((
        builder().build_v1().context("building reflection")?,
        builder().build_v1alpha().context("building reflection")?,
    ))
}

/// Connect for every service served, with the descriptors of their messages for JSON.
fn connect_layer(max_request_size: usize) -> ConnectLayer {
    ConnectLayer::new(
        &[
            api::FILE_DESCRIPTOR_SET,
            tonic_health::pb::FILE_DESCRIPTOR_SET,
            tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET,
            tonic_reflection::pb::v1alpha::FILE_DESCRIPTOR_SET,
        ],
        max_request_size,
    )
}

/// What a test double serves: its descriptors, its services, the stubs that answer them, and the
/// journal of their calls.
struct DoubleParts {
    pool: DescriptorPool,
    /// The pool, encoded once for reflection and Connect.
    encoded: &'static [u8],
    services: Vec<String>,
    /// Read by the stubbed services; changed by the admin service and the watch.
    stubs: Arc<ServedStubs>,
    journal: Arc<Journal>,
    /// Reloads the stub files when they change; None with `--no-watch`, or if they cannot be
    /// watched.
    watch: Option<StubWatch>,
    report_unused: bool,
    max_request_size: usize,
}

impl DoubleParts {
    async fn load(double: &Double, max_request_size: usize) -> anyhow::Result<DoubleParts> {
        let (pool, services) = mock::descriptors(&double.descriptors).await?;
        let stubs = Arc::new(ServedStubs::new(mock::stubs(&double.stubs, &pool)?));
        let watch = if double.watch && !double.stubs.is_empty() {
            StubWatch::start(&double.stubs, pool.clone(), Arc::clone(&stubs))
                .inspect_err(|why| warn!("{why}; the stubs will not be reloaded when they change"))
                .ok()
        } else {
            None
        };
        // Once per process, and kept for its whole life by reflection and Connect.
        let encoded: &'static [u8] = Box::leak(pool.encode_to_vec().into_boxed_slice());
        Ok(DoubleParts {
            pool,
            encoded,
            services,
            stubs,
            journal: Arc::new(Journal::new(double.journal_limit)),
            watch,
            report_unused: double.report_unused,
            max_request_size,
        })
    }

    /// The pool's descriptor set, the admin service's, and health's unless the pool has it. The
    /// first of two files with one name wins (in reflection and in Connect), so the pool's own
    /// come first.
    fn own_sets(&self) -> Vec<&'static [u8]> {
        let mut sets = vec![self.encoded, crate::mock::FILE_DESCRIPTOR_SET];
        if self
            .pool
            .get_service_by_name("grpc.health.v1.Health")
            .is_none()
        {
            sets.push(tonic_health::pb::FILE_DESCRIPTOR_SET);
        }
        sets
    }

    /// The descriptor sets Connect reads messages with: [`Self::own_sets`] and reflection's.
    fn descriptor_sets(&self) -> Vec<&'static [u8]> {
        let mut sets = self.own_sets();
        sets.push(tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET);
        sets.push(tonic_reflection::pb::v1alpha::FILE_DESCRIPTOR_SET);
        sets
    }

    /// Reflection (unless turned off) of the pool and the admin service, the admin service, and
    /// the double answering every other path, besides `routes` (health); all behind the token.
    fn routes(
        &self,
        mut routes: Routes,
        settings: &ServeSettings,
        auth: Option<&BearerAuth>,
    ) -> anyhow::Result<Routes> {
        routes = Self::with_reflection(routes, &self.own_sets(), settings, auth)?;
        let admin = MockAdmin::new(
            Arc::clone(&self.journal),
            Arc::clone(&self.stubs),
            self.pool.clone(),
        );
        let mut admin = MockServer::new(admin).max_decoding_message_size(self.max_request_size);
        for &encoding in COMPRESSION {
            admin = admin.accept_compressed(encoding).send_compressed(encoding);
        }
        routes = add_behind(routes, admin, auth);
        let double = mock::Double::new(
            &self.pool,
            &self.services,
            Arc::clone(&self.stubs),
            Arc::clone(&self.journal),
            self.max_request_size,
        );
        let service = MockService::new(double);
        let router = routes.into_axum_router();
        let router = match auth {
            Some(auth) => router.fallback_service(
                tonic::service::interceptor::InterceptedService::new(service, auth.clone()),
            ),
            None => router.fallback_service(service),
        };
        Ok(Routes::from(router))
    }

    /// Reflection (unless turned off) of the pool, and `recorder` forwarding every other call to
    /// the live server, besides `routes` (health): `--record-from`.
    fn recorded(
        &self,
        recorder: RecordService,
        routes: Routes,
        settings: &ServeSettings,
        auth: Option<&BearerAuth>,
    ) -> anyhow::Result<Routes> {
        if let Some(record) = settings.double.as_ref().and_then(|d| d.record.as_ref()) {
            info!(
                "recording the calls to {} into {}",
                record.upstream.target.display(),
                record.dir.display()
            );
        }
        // The admin service is not served while recording: reflection leaves it out.
        let sets: Vec<_> = (self.own_sets().into_iter())
            .filter(|set| !std::ptr::eq(*set, crate::mock::FILE_DESCRIPTOR_SET))
            .collect();
        let routes = Self::with_reflection(routes, &sets, settings, auth)?;
        Ok(recorder.routes(routes, auth))
    }

    /// `routes` with reflection v1 and v1alpha of `sets`, behind the token, unless
    /// `--no-reflection`.
    fn with_reflection(
        routes: Routes,
        sets: &[&'static [u8]],
        settings: &ServeSettings,
        auth: Option<&BearerAuth>,
    ) -> anyhow::Result<Routes> {
        if !settings.reflection {
            return Ok(routes);
        }
        let (v1, v1alpha) = reflection(sets)?;
        Ok(add_behind(add_behind(routes, v1, auth), v1alpha, auth))
    }

    /// Once the server has stopped: no more reloads, and with `--report-unused`, a warning for
    /// each stub no call matched, and exit 3 if there is any.
    fn finish(self) -> anyhow::Result<()> {
        if let Some(watch) = self.watch {
            watch.stop();
        }
        if self.report_unused {
            mock::report_unused(self.stubs.load().all())?;
        }
        Ok(())
    }
}

/// Adds `service` to `routes`, behind the token if there is one.
fn add_behind<S>(routes: Routes, service: S, auth: Option<&BearerAuth>) -> Routes
where
    S: tower::Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>
        + NamedService
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    match auth::behind(Some(service), auth) {
        (_, Some(guarded)) => routes.add_service(guarded),
        (Some(open), None) => routes.add_service(open),
        (None, None) => routes,
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            warn!("cannot listen for signals; stop the server by killing it");
            return std::future::pending().await;
        };
        tokio::select! {
            _ = int.recv() => info!("SIGINT: draining"),
            _ = term.recv() => info!("SIGTERM: draining"),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        info!("Ctrl-C: draining");
    }
}

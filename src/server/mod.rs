//! `apicli serve`: api.Api over HTTP/2, one log line per call, a clean stop on SIGINT/SIGTERM.

mod call_log;
mod deadline;
mod service;

use std::time::Duration;

use anyhow::Context as _;
use futures_util::FutureExt as _;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::Server;
use tracing::{info, warn};

pub use call_log::CallLogLayer;
pub use service::ApiService;

use crate::{api::api_server::ApiServer, settings::ServeSettings};

/// How long calls in flight may run on after a shutdown signal before they are cancelled.
const GRACE: Duration = Duration::from_secs(10);

/// Serves until SIGINT or SIGTERM, then lets calls in flight finish for up to [`GRACE`].
pub async fn run(settings: ServeSettings) -> anyhow::Result<()> {
    init_logging(settings.color.stderr);
    let listener = TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let local = listener.local_addr().context("reading the bound address")?;
    info!("listening on {local}");

    let service = ApiService::new(settings.stream_interval, settings.max_items);
    let signal = shutdown_signal().boxed().shared();
    let serve = Server::builder()
        .tcp_nodelay(true)
        .layer(CallLogLayer)
        .add_service(ApiServer::new(service))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), signal.clone());
    tokio::select! {
        served = serve => served.context("serving")?,
        () = signal.then(|()| tokio::time::sleep(GRACE)) => {
            warn!("calls still running after {GRACE:?}: cancelling them");
        }
    }
    info!("stopped");
    Ok(())
}

/// The server's log goes to stderr, one line per event.
fn init_logging(ansi: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .with_env_filter(filter)
        .try_init();
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
            _ = int.recv() => info!("SIGINT: shutting down"),
            _ = term.recv() => info!("SIGTERM: shutting down"),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        info!("Ctrl-C: shutting down");
    }
}

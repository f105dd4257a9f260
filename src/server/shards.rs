//! Serving on several threads, each with a single-threaded runtime of its own.
//!
//! One thread accepts connections and deals them out to the shards in turn; a connection then
//! lives on its shard's thread alone, so its calls never wait for another thread to wake up or
//! share a queue with it. tokio's work-stealing runtime spends measurable time on exactly that
//! when calls are many and small.

use std::{io, sync::Arc, thread};

use futures_util::StreamExt as _;
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::transport::server::Router;
use tower::{
    layer::util::{Identity, Stack},
    util::Either,
};
use tracing::{debug, error};

use super::{
    CallLogLayer, connect::ConnectLayer, cors::CorsFor, grpc_web::GrpcWebLayer,
    mock::connection::Controlled, request_limit::RequestLimitLayer, tls::HANDSHAKE_TIMEOUT,
};

/// The layers every call goes through: the request limit, the call log, gRPC-Web, Connect and
/// CORS.
pub type AppLayers = Stack<
    RequestLimitLayer,
    Stack<
        CallLogLayer,
        Stack<GrpcWebLayer, Stack<ConnectLayer, Stack<Either<CorsFor, Identity>, Identity>>>,
    >,
>;

/// The server's routes behind [`AppLayers`], ready to serve connections.
pub type AppRouter = Router<AppLayers>;

/// An accepted connection on its way to a shard: a std socket, tied to no runtime yet.
pub enum Accepted {
    Tcp(std::net::TcpStream),
    Unix(std::os::unix::net::UnixStream),
}

/// The shard threads, and what the accepting thread tells them.
pub struct Shards {
    queues: Vec<mpsc::UnboundedSender<Accepted>>,
    next: usize,
    threads: Vec<thread::JoinHandle<()>>,
    /// All shards have stopped when this yields `None`.
    done: mpsc::Receiver<()>,
}

/// What every shard watches: `draining` starts the graceful shutdown of its connections,
/// `stop` cancels what is left.
#[derive(Clone)]
pub struct Signals {
    pub draining: watch::Receiver<bool>,
    pub stop: watch::Receiver<bool>,
}

impl Shards {
    /// Starts `count` shard threads serving `router`. `controlled`: each connection can be
    /// ended by its calls (a test double's faults; see `mock/connection.rs`).
    pub fn start(
        count: usize,
        router: &AppRouter,
        unix: bool,
        controlled: bool,
        tls: Option<Arc<rustls::ServerConfig>>,
        nodelay: bool,
        signals: &Signals,
    ) -> io::Result<Shards> {
        let (done_tx, done) = mpsc::channel(1);
        let mut queues = Vec::with_capacity(count);
        let mut threads = Vec::with_capacity(count);
        for index in 0..count {
            let (queue, accepted) = mpsc::unbounded_channel();
            let (router, signals, done_tx) = (router.clone(), signals.clone(), done_tx.clone());
            let tls = tls.clone();
            let thread = thread::Builder::new()
                .name(format!("apicli-serve-{index}"))
                .spawn(move || {
                    let shard = Shard {
                        unix,
                        controlled,
                        tls,
                        nodelay,
                    };
                    run_shard(router, accepted, shard, signals);
                    drop(done_tx);
                })?;
            queues.push(queue);
            threads.push(thread);
        }
        Ok(Shards {
            queues,
            next: 0,
            threads,
            done,
        })
    }

    /// Hands a connection to the next shard.
    pub fn deal(&mut self, connection: Accepted) {
        let _ = self.queues[self.next].send(connection);
        self.next = (self.next + 1) % self.queues.len();
    }

    /// No more connections: the shards finish once their connections have.
    pub fn close(&mut self) {
        self.queues.clear();
    }

    /// Waits until every shard has stopped.
    pub async fn stopped(&mut self) {
        while self.done.recv().await.is_some() {}
    }

    pub fn join(self) {
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

/// How a shard serves its connections.
struct Shard {
    unix: bool,
    controlled: bool,
    tls: Option<Arc<rustls::ServerConfig>>,
    nodelay: bool,
}

fn run_shard(
    router: AppRouter,
    accepted: mpsc::UnboundedReceiver<Accepted>,
    shard: Shard,
    mut signals: Signals,
) {
    let Shard {
        unix,
        controlled,
        tls,
        nodelay,
    } = shard;
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return error!("cannot start a serving thread: {err}"),
    };
    runtime.block_on(async move {
        let mut draining = signals.draining.clone();
        let drained = async move {
            let _ = draining.wait_for(|draining| *draining).await;
        };
        let accepted = UnboundedReceiverStream::new(accepted);
        let served = async {
            if unix {
                let incoming = accepted.map(|connection| match connection {
                    Accepted::Unix(stream) => tokio::net::UnixStream::from_std(stream),
                    Accepted::Tcp(_) => Err(io::Error::other("a TCP connection on a unix server")),
                });
                if controlled {
                    let incoming =
                        incoming.map(|stream| Ok::<_, io::Error>(Controlled::new(stream?, None)));
                    return router.serve_with_incoming_shutdown(incoming, drained).await;
                }
                router.serve_with_incoming_shutdown(incoming, drained).await
            } else {
                let incoming = accepted.map(move |connection| match connection {
                    Accepted::Tcp(stream) => {
                        stream.set_nodelay(nodelay)?;
                        tokio::net::TcpStream::from_std(stream)
                    }
                    Accepted::Unix(_) => Err(io::Error::other("a unix connection on a TCP server")),
                });
                match tls {
                    Some(config) if controlled => {
                        let incoming = handshakes(incoming, config).map(|stream| {
                            let stream = stream?;
                            let peer = stream.get_ref().0.peer_addr().ok();
                            Ok::<_, io::Error>(Controlled::new(stream, peer))
                        });
                        router.serve_with_incoming_shutdown(incoming, drained).await
                    }
                    Some(config) => {
                        let incoming = handshakes(incoming, config);
                        router.serve_with_incoming_shutdown(incoming, drained).await
                    }
                    None if controlled => {
                        let incoming = incoming.map(|stream| {
                            let stream = stream?;
                            let peer = stream.peer_addr().ok();
                            Ok::<_, io::Error>(Controlled::new(stream, peer))
                        });
                        router.serve_with_incoming_shutdown(incoming, drained).await
                    }
                    None => router.serve_with_incoming_shutdown(incoming, drained).await,
                }
            }
        };
        tokio::select! {
            served = served => {
                if let Err(err) = served {
                    error!("serving failed: {err}");
                }
            }
            _ = signals.stop.wait_for(|stop| *stop) => {}
        }
    });
    // Dropping the runtime cancels the calls still running on this shard.
    drop(runtime);
}

/// The TLS connections of `incoming`, each handshake on a task of its own (within the
/// handshake time limit) so that a slow client holds up no other. A failed handshake is the
/// client's to report; the server logs it at debug level.
fn handshakes(
    incoming: impl futures_util::Stream<Item = io::Result<tokio::net::TcpStream>> + Send + 'static,
    config: Arc<rustls::ServerConfig>,
) -> UnboundedReceiverStream<io::Result<tokio_rustls::server::TlsStream<tokio::net::TcpStream>>> {
    let (done, handshaken) = mpsc::unbounded_channel();
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    tokio::spawn(async move {
        let mut incoming = std::pin::pin!(incoming);
        while let Some(connection) = incoming.next().await {
            let Ok(tcp) = connection else { continue };
            let (acceptor, done) = (acceptor.clone(), done.clone());
            tokio::spawn(async move {
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                    Ok(Ok(stream)) => {
                        let _ = done.send(Ok(stream));
                    }
                    Ok(Err(err)) => debug!("a TLS handshake failed: {err}"),
                    Err(_) => debug!("a TLS handshake took over {HANDSHAKE_TIMEOUT:?}"),
                }
            });
        }
    });
    UnboundedReceiverStream::new(handshaken)
}

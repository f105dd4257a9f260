//! The load's connections, each made again after it breaks, with gRPC's connection backoff
//! (`backoff.rs`), so that a server that went away is not hammered and the load does not spin.
//!
//! While a connection is down, its calls are not attempted: in an open loop each call that comes
//! due fails at once as UNAVAILABLE (as a gRPC client fails a call while its channel is in
//! TRANSIENT_FAILURE), and in a closed loop each caller waits for the next attempt to connect,
//! and counts its call as one UNAVAILABLE call when that attempt fails.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering::Relaxed},
    },
    time::Instant,
};

use bytes::Bytes;
use futures_util::{StreamExt as _, stream::FuturesUnordered};
use h2::client::SendRequest;
use tokio::sync::{mpsc, watch};
use tonic::client::Grpc;

use super::backoff::{Backoff, Policy};
use crate::{
    client,
    settings::{ClientSettings, Target, io_words},
    transport::{Channel, lane},
};

/// A way to make calls: a tonic channel, or a connection of the fast path (`transport::lane`).
#[derive(Clone)]
pub enum Conn {
    Tonic(Grpc<Channel>),
    Lean(SendRequest<Bytes>),
}

/// A caller's copy of its link's connection, and which connection that is.
#[derive(Clone)]
pub struct Held {
    generation: u64,
    pub conn: Conn,
}

impl Held {
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

#[derive(Clone)]
enum State {
    Up(Held),
    /// An attempt to connect is under way.
    Connecting,
    /// The last attempt failed, for this reason; the next one is due later.
    Down(Arc<str>),
}

/// How long a caller whose connection is down waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Until the next attempt to connect ends (closed loop).
    NextAttempt,
    /// Only while an attempt is under way (open loop).
    WhileConnecting,
}

/// One connection of the load, shared by its callers.
pub struct Link {
    pub endpoint: usize,
    target: Target,
    /// The fast path's connection (else tonic's).
    lean: bool,
    index: usize,
    /// The held generation that is current: even while up, odd while down.
    generation: AtomicU64,
    state: watch::Sender<State>,
    /// Where a broken connection is reported, with when it broke.
    broken: mpsc::UnboundedSender<(usize, Instant)>,
}

impl Link {
    /// Link `index` of the load, on a connection just made.
    pub fn new(
        index: usize,
        endpoint: usize,
        target: Target,
        conn: Conn,
        broken: mpsc::UnboundedSender<(usize, Instant)>,
    ) -> Link {
        let lean = matches!(conn, Conn::Lean(_));
        let held = Held {
            generation: 0,
            conn,
        };
        Link {
            endpoint,
            target,
            lean,
            index,
            generation: AtomicU64::new(0),
            state: watch::Sender::new(State::Up(held)),
            broken,
        }
    }

    /// The connection as it is now, when it is up.
    pub fn held(&self) -> Option<Held> {
        match &*self.state.borrow() {
            State::Up(held) => Some(held.clone()),
            _ => None,
        }
    }

    /// Whether `held` is still the link's connection: one atomic load, for every call.
    pub fn holds(&self, held: &Held) -> bool {
        self.generation.load(Relaxed) == held.generation
    }

    /// Puts a working connection in `held`; or says why there is none, after waiting as `wait`
    /// says.
    pub async fn ready(&self, held: &mut Held, wait: Wait) -> Result<(), Arc<str>> {
        if !self.holds(held) {
            *held = self.current(wait).await?;
        }
        Ok(())
    }

    /// A working connection; or why there is none, after waiting as `wait` says.
    pub async fn current(&self, wait: Wait) -> Result<Held, Arc<str>> {
        let mut watching = self.state.subscribe();
        let mut waited = false;
        loop {
            let now = match &*watching.borrow_and_update() {
                State::Up(current) => Some(Ok(current.clone())),
                State::Down(why) if waited || wait == Wait::WhileConnecting => {
                    Some(Err(Arc::clone(why)))
                }
                State::Down(_) | State::Connecting => None,
            };
            if let Some(now) = now {
                return now;
            }
            // The sender lives as long as the link.
            let _ = watching.changed().await;
            waited = true;
        }
    }

    /// Reports that the connection `generation` broke at `at`; the first report of each
    /// connection starts making it again.
    pub fn broke(&self, generation: u64, at: Instant) {
        if generation.is_multiple_of(2)
            && self
                .generation
                .compare_exchange(generation, generation + 1, Relaxed, Relaxed)
                .is_ok()
        {
            self.state.send_replace(State::Connecting);
            let _ = self.broken.send((self.index, at));
        }
    }

    fn up(&self, conn: Conn) {
        let generation = self.generation.load(Relaxed) + 1;
        self.state
            .send_replace(State::Up(Held { generation, conn }));
        self.generation.store(generation, Relaxed);
    }
}

/// What making a connection again needs, and where its outcomes are told.
pub struct Mender<'a> {
    pub settings: &'a ClientSettings,
    /// Makes a tonic channel into what callers use.
    pub grpc: &'a (dyn Fn(Channel) -> Grpc<Channel> + Sync),
    pub links: &'a [Arc<Link>],
    /// Told that an endpoint's connection broke, that an attempt failed (with when the
    /// connection broke), and that one was made.
    pub events: &'a (dyn Fn(usize, Event) + Sync),
}

/// What happened to an endpoint's connection.
#[derive(Debug, Clone, Copy)]
pub enum Event {
    Broke,
    AttemptFailed { broke_at: Instant },
    Reached,
}

impl Mender<'_> {
    /// Makes broken connections again, as they are reported, for as long as it is polled.
    pub async fn run(&self, mut broken: mpsc::UnboundedReceiver<(usize, Instant)>) {
        let mut mending = FuturesUnordered::new();
        loop {
            tokio::select! {
                report = broken.recv() => match report {
                    Some((index, at)) => mending.push(self.mend(&self.links[index], at)),
                    None => std::future::pending().await,
                },
                Some(()) = mending.next(), if !mending.is_empty() => {}
            }
        }
    }

    /// Attempts to connect until one attempt succeeds, each one starting the backoff's delay
    /// after the previous one started.
    async fn mend(&self, link: &Link, broke_at: Instant) {
        (self.events)(link.endpoint, Event::Broke);
        // --connect-timeout takes the place of MIN_CONNECT_TIMEOUT: it is the user's bound on
        // connecting.
        let policy = Policy {
            min_connect_timeout: self.settings.connect_timeout,
            ..Policy::GRPC
        };
        let mut backoff = Backoff::seeded(policy);
        loop {
            let began = Instant::now();
            let delay = backoff.next_delay();
            link.state.send_replace(State::Connecting);
            let attempt = self.connect(link, backoff.attempt_timeout(delay));
            match attempt.await {
                Ok(conn) => {
                    link.up(conn);
                    (self.events)(link.endpoint, Event::Reached);
                    return;
                }
                Err(why) => {
                    (self.events)(link.endpoint, Event::AttemptFailed { broke_at });
                    link.state.send_replace(State::Down(why.into()));
                    tokio::time::sleep_until((began + delay).into()).await;
                }
            }
        }
    }

    async fn connect(&self, link: &Link, timeout: std::time::Duration) -> Result<Conn, String> {
        let addr = link.target.display();
        if link.lean {
            return match lane::handshake(&link.target, timeout).await {
                Ok((send, driver)) => {
                    tokio::spawn(driver);
                    Ok(Conn::Lean(send))
                }
                Err(err) => Err(format!("cannot connect to {addr}: {}", io_words(&err))),
            };
        }
        match tokio::time::timeout(timeout, client::connect_to(self.settings, &link.target)).await {
            Ok(Ok(channel)) => Ok(Conn::Tonic((self.grpc)(channel))),
            Ok(Err(err)) => Err(err.to_string()),
            Err(_) => Err(format!("cannot connect to {addr} within {timeout:?}")),
        }
    }
}

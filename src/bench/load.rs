//! The load: the connections (made again when they break, `link.rs`), the callers that keep
//! `-c` calls in flight (closed loop) or the scheduler that starts calls at the `--rps` rate
//! (open loop), and the end (`-n` calls counted, `-z` passed, or Ctrl-C). Each call itself is
//! `exchange.rs`'s.
//!
//! Each call is recorded, as it ends, into the tally of its shard (one per runtime thread, so
//! that threads seldom wait for each other); which calls count, and the tallies, are `run.rs`'s.

use std::{
    sync::{Arc, atomic::Ordering::Relaxed},
    time::{Duration, Instant},
};

use bytes::Bytes;
use http::uri::PathAndQuery;
use prost_reflect::MethodDescriptor;
use tokio::{
    sync::{Semaphore, mpsc},
    task::JoinSet,
};
use tonic::{client::Grpc, codec::CompressionEncoding, metadata::MetadataMap};

use super::{
    body::{Body, Scratch},
    intervals,
    link::{Conn, Held, Link, Mender, Wait},
    report::Interval,
    run::{Outcome, Run},
    stats::Tally,
};
use crate::{
    client,
    exit::Interrupted,
    settings::{Bench, ClientSettings, Ramp},
    stop::Stop,
    template::Template,
    transport::{
        Channel,
        connect::ConnectMethod,
        lane::{self, Head},
    },
    whole_file::WholeFile,
};

/// The RPC kind of the method under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Unary,
    ServerStreaming,
    ClientStreaming,
    Bidi,
}

impl Kind {
    pub fn of(method: &MethodDescriptor) -> Kind {
        match (method.is_client_streaming(), method.is_server_streaming()) {
            (false, false) => Kind::Unary,
            (false, true) => Kind::ServerStreaming,
            (true, false) => Kind::ClientStreaming,
            (true, true) => Kind::Bidi,
        }
    }

    /// As the report names it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Unary => "unary",
            Kind::ServerStreaming => "server-streaming",
            Kind::ClientStreaming => "client-streaming",
            Kind::Bidi => "bidi",
        }
    }

    /// Whether the server answers with a stream, whose messages the report counts.
    pub fn streams_responses(self) -> bool {
        matches!(self, Kind::ServerStreaming | Kind::Bidi)
    }

    /// Whether each call takes exactly one request message.
    pub fn one_request(self) -> bool {
        matches!(self, Kind::Unary | Kind::ServerStreaming)
    }
}

/// What every call of the run is made of.
pub struct Calls {
    pub path: PathAndQuery,
    pub kind: Kind,
    pub body: Body,
    /// `-H` and `--token-file`, sent with every call.
    pub metadata: MetadataMap,
    /// The `-H` values with placeholders, filled in for each call.
    pub headers: Vec<(http::HeaderName, Template)>,
    /// `--timeout`, per call.
    pub timeout: Option<Duration>,
    pub max_message_size: usize,
    pub compression: Option<CompressionEncoding>,
    /// Each endpoint as error messages name it (`host:port`).
    pub addrs: Vec<String>,
    /// When the calls take the fast path (see `transport::lane`): what each one sends, by endpoint;
    /// empty otherwise.
    pub lean: Vec<Head>,
    /// The method's mark, which each request carries over Connect (see `transport::connect`).
    pub mark: Option<ConnectMethod>,
}

impl Calls {
    /// The request frame of the fast path, when every call sends the same one.
    fn constant_frame(&self) -> Option<Bytes> {
        if self.lean.is_empty() {
            return None;
        }
        self.body.constant_one().map(|message| lane::frame(message))
    }
}

/// What the run measured.
pub struct Measured {
    pub tally: Tally,
    /// The counted part of the run.
    pub duration: Duration,
    /// Ctrl-C ended it.
    pub interrupted: bool,
    /// How long each endpoint was unreachable during the counted part.
    pub unreachable: Vec<Duration>,
    /// With `--interval` (or `--hdr-log`): the counted part, interval by interval.
    pub intervals: Vec<Interval>,
}

/// A timer fires up to a tick late (tokio's is a millisecond): the scheduler wakes a tick
/// before a call is due, so that calls start at most a tick early rather than late.
const TICK: Duration = Duration::from_millis(1);

/// Connects, runs the load until it ends, and returns what it measured. Ctrl-C while
/// connecting is an [`Interrupted`] error; during the load it ends the load, and what completed
/// is measured.
pub async fn run(
    settings: &ClientSettings,
    bench: &Bench,
    calls: Calls,
    live: Option<super::live::Live>,
    hdr_log: Option<WholeFile>,
) -> anyhow::Result<Measured> {
    let mut stop = Stop::new(None)?;
    let connected = match stop.race(connect_all(settings, bench, &calls)).await {
        Ok(connected) => connected?,
        Err(_) => return Err(Interrupted(String::new()).into()),
    };
    // Connected: the load, its warm-up first, starts at --start-at.
    if let Some(at) = bench.start_at
        && stop
            .race(super::start::wait_until(at, live.as_ref()))
            .await
            .is_err()
    {
        return Err(Interrupted(String::new()).into());
    }
    let frame = calls.constant_frame();
    let calls = Arc::new(calls);
    let (broken, broken_reports) = mpsc::unbounded_channel();
    let mut drivers: Vec<Option<lane::Driver>> = Vec::new();
    let links: Vec<Arc<Link>> = connected
        .into_iter()
        .enumerate()
        .map(|(index, (conn, driver, endpoint))| {
            drivers.push(driver);
            let target = bench.endpoints[endpoint].1.clone();
            Arc::new(Link::new(index, endpoint, target, conn, broken.clone()))
        })
        .collect();
    let run = Arc::new(Run::new(bench, &links));
    let live = live.map(|live| tokio::spawn(live.show(Arc::clone(&run))));
    // An --hdr-log is made in the settings' intervals, as the run's shards record them.
    let every = bench.measured_interval();
    let (ended, end) = tokio::sync::oneshot::channel();
    let collector =
        every.map(|every| tokio::spawn(intervals::collect(Arc::clone(&run), every, hdr_log, end)));
    let make_grpc = |channel| grpc(channel, &calls);
    let events = |endpoint, event| run.outage_event(endpoint, event);
    let mender = Mender {
        settings,
        grpc: &make_grpc,
        links: &links,
        events: &events,
    };
    let mut tasks = JoinSet::new();
    let interrupted = {
        let work = async {
            match bench.rps {
                None => {
                    // The callers of one connection share a task with its driver: an answer
                    // is read, and the caller's next request written, in one turn of the task.
                    let mut groups: Vec<Vec<Caller>> =
                        (0..links.len()).map(|_| Vec::new()).collect();
                    for k in 0..bench.concurrency as usize {
                        let link = Arc::clone(&links[k % links.len()]);
                        let Some(held) = link.held() else { continue };
                        // A ramp's callers join as the concurrency reaches them.
                        let joins = bench.ramp.map(|ramp: Ramp| {
                            run.epoch + Duration::from_secs_f64(ramp.reaches(k as f64 + 1.0))
                        });
                        groups[k % links.len()].push(Caller {
                            joins,
                            run: Arc::clone(&run),
                            calls: Arc::clone(&calls),
                            link,
                            held,
                            shard: k % run.shards.len(),
                            scratch: Scratch::new(k as u64),
                            frame: frame.clone(),
                        });
                    }
                    for (callers, driver) in groups.into_iter().zip(drivers.drain(..)) {
                        tasks.spawn(closed_loops(callers, driver));
                    }
                    while tasks.join_next().await.is_some() {}
                }
                Some(rate) => {
                    // Apart from the calls, which the loop waits for: a driver runs as long as
                    // its connection, and goes when the load is over.
                    let mut io = JoinSet::new();
                    for driver in drivers.drain(..).flatten() {
                        io.spawn(driver);
                    }
                    let schedule = match bench.ramp {
                        Some(ramp) => Schedule::ramped(run.epoch, ramp),
                        None => Schedule::new(run.epoch, rate),
                    };
                    open_loop(
                        &run,
                        &calls,
                        &links,
                        frame.as_ref(),
                        schedule,
                        bench.concurrency,
                        &mut tasks,
                    )
                    .await;
                }
            }
        };
        let over = async {
            tokio::select! {
                () = work => {}
                () = run.deadline_passed() => {}
                () = mender.run(broken_reports) => {}
            }
        };
        stop.race(over).await.is_err()
    };
    // The calls still in flight (at -z's end, or Ctrl-C) are cancelled and not counted.
    tasks.shutdown().await;
    if let Some(live) = live {
        live.abort();
        let _ = live.await;
    }
    let now = Instant::now();
    let duration = run.duration(interrupted, now);
    let intervals = match collector {
        Some(collector) => {
            let _ = ended.send(duration);
            collector.await??
        }
        None => Vec::new(),
    };
    Ok(Measured {
        duration,
        tally: run.merged(),
        unreachable: run.unreachable(now),
        interrupted,
        intervals,
    })
}

/// The closed loops of one connection's callers, beside the connection's driver (on the fast
/// path). A connection that ends leaves its callers to connect again.
async fn closed_loops(callers: Vec<Caller>, driver: Option<lane::Driver>) {
    let all = futures_util::future::join_all(callers.into_iter().map(Caller::closed_loop));
    tokio::pin!(all);
    if let Some(driver) = driver {
        tokio::select! {
            _ = &mut all => return,
            () = driver => {}
        }
    }
    all.await;
}

/// `--connections` connections, spread over the endpoints round-robin, all made before the
/// first call; each comes with the driver of its I/O on the fast path, and the index of its
/// endpoint. Connections of the fast path when `calls` take it.
async fn connect_all(
    settings: &ClientSettings,
    bench: &Bench,
    calls: &Calls,
) -> anyhow::Result<Vec<(Conn, Option<lane::Driver>, usize)>> {
    let endpoints = &bench.endpoints;
    let lean = !calls.lean.is_empty();
    let connecting = (0..bench.connections as usize).map(|j| {
        let endpoint = j % endpoints.len();
        let target = &endpoints[endpoint].1;
        async move {
            if lean
                && let Ok((send, driver)) = lane::handshake(target, settings.connect_timeout).await
            {
                return Ok((Conn::Lean(send), Some(driver), endpoint));
            }
            // Through tonic; or when the fast path cannot connect, the same connection again,
            // for tonic's words on why.
            let channel = client::connect_to(settings, target).await?;
            Ok::<_, anyhow::Error>((Conn::Tonic(grpc(channel, calls)), None, endpoint))
        }
    });
    futures_util::future::try_join_all(connecting).await
}

fn grpc(channel: Channel, calls: &Calls) -> Grpc<Channel> {
    let mut grpc = Grpc::new(channel).max_decoding_message_size(calls.max_message_size);
    if let Some(encoding) = calls.compression {
        grpc = grpc.send_compressed(encoding).accept_compressed(encoding);
    }
    grpc
}

/// One of the `-c` callers of the closed loop, on its connection.
struct Caller {
    /// With `-c A:B --ramp`: when it starts calling.
    joins: Option<Instant>,
    run: Arc<Run>,
    calls: Arc<Calls>,
    link: Arc<Link>,
    held: Held,
    shard: usize,
    scratch: Scratch,
    /// The request frame of the fast path, when it is the same for every call.
    frame: Option<Bytes>,
}

impl Caller {
    /// Makes call after call until the run is over. While the connection is down, each call
    /// waits for the next attempt to connect, and counts as not attempted when it fails.
    async fn closed_loop(mut self) {
        if let Some(joins) = self.joins {
            tokio::time::sleep_until(joins.into()).await;
        }
        let endpoint = self.link.endpoint;
        loop {
            let ready = self.link.ready(&mut self.held, Wait::NextAttempt).await;
            let start = Instant::now();
            let n = self.run.next.fetch_add(1, Relaxed);
            let Some(claim) = self.run.claim(n, start) else {
                return;
            };
            let outcome = match ready {
                Ok(()) => {
                    let outcome = self
                        .calls
                        .call(
                            &mut self.held.conn,
                            endpoint,
                            claim.n,
                            start,
                            &mut self.scratch,
                            self.frame.as_ref(),
                        )
                        .await;
                    if outcome.broke {
                        self.link.broke(self.held.generation(), Instant::now());
                    }
                    outcome
                }
                Err(why) => Outcome::unattempted(&why),
            };
            if claim.counted {
                let end = Instant::now();
                self.run.record(
                    self.shard,
                    endpoint,
                    start,
                    end,
                    &outcome,
                    &self.calls.addrs,
                );
            }
        }
    }
}

/// Starts call after call on `schedule`, each on the next connection, as long as a slot of
/// `concurrency` is free; a call whose slot is not free when due waits for one and counts as
/// late. Its latency counts from when it was due (coordinated omission corrected), or from its
/// start if that was earlier (up to a timer tick early).
async fn open_loop(
    run: &Arc<Run>,
    calls: &Arc<Calls>,
    links: &[Arc<Link>],
    frame: Option<&Bytes>,
    schedule: Schedule,
    concurrency: u32,
    tasks: &mut JoinSet<()>,
) {
    let slots = Arc::new(Semaphore::new(concurrency as usize));
    let shards = run.shards.len();
    for i in 0.. {
        let due = schedule.at(i);
        if let Some(wake) = Schedule::wake(due, Instant::now()) {
            tokio::time::sleep_until(wake.into()).await;
        }
        let Some(claim) = run.claim(i, due) else {
            break;
        };
        let shard = (i % shards as u64) as usize;
        let slot = match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                if claim.counted {
                    run.record_late(shard);
                }
                match Arc::clone(&slots).acquire_owned().await {
                    Ok(slot) => slot,
                    Err(_) => break,
                }
            }
        };
        let start = Instant::now().min(due);
        let link = Arc::clone(&links[(i % links.len() as u64) as usize]);
        let (run, calls, frame) = (Arc::clone(run), Arc::clone(calls), frame.cloned());
        tasks.spawn(async move {
            let endpoint = link.endpoint;
            // A call due while its connection is down fails at once, unless an attempt to
            // connect is under way.
            let outcome = match link.current(Wait::WhileConnecting).await {
                Ok(mut held) => {
                    let mut scratch = Scratch::new(claim.n);
                    let outcome = calls
                        .call(
                            &mut held.conn,
                            endpoint,
                            claim.n,
                            start,
                            &mut scratch,
                            frame.as_ref(),
                        )
                        .await;
                    if outcome.broke {
                        link.broke(held.generation(), Instant::now());
                    }
                    outcome
                }
                Err(why) => Outcome::unattempted(&why),
            };
            drop(slot);
            if claim.counted {
                let end = Instant::now();
                run.record(shard, endpoint, start, end, &outcome, &calls.addrs);
            }
        });
        // Finished calls are let go as the loop goes, so that memory does not grow.
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
}

/// When each call of an open loop is due: `start + i / rate`, or on a ramp where the rate's
/// integral reaches `i`, by absolute time, so that a timer's lateness never adds up over the
/// run.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    start: Instant,
    rate: f64,
    ramp: Option<Ramp>,
}

impl Schedule {
    pub fn new(start: Instant, rate: f64) -> Schedule {
        Schedule {
            start,
            rate,
            ramp: None,
        }
    }

    /// The rate rises on `ramp`.
    pub fn ramped(start: Instant, ramp: Ramp) -> Schedule {
        Schedule {
            start,
            rate: ramp.to,
            ramp: Some(ramp),
        }
    }

    /// When call `i` (from 0) is due.
    pub fn at(&self, i: u64) -> Instant {
        let nanos = match self.ramp {
            None => (i as f64 * 1e9 / self.rate).round(),
            Some(ramp) => (ramp.due(i) * 1e9).round(),
        };
        self.start + Duration::from_nanos(nanos as u64)
    }

    /// When to wake for a call `due`, if it is not due within a timer tick of `now`.
    pub fn wake(due: Instant, now: Instant) -> Option<Instant> {
        due.checked_sub(TICK).filter(|wake| *wake > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_is_absolute() {
        let start = Instant::now();
        let schedule = Schedule::new(start, 2000.0);
        assert_eq!(schedule.at(0), start);
        assert_eq!(schedule.at(1), start + Duration::from_micros(500));
        assert_eq!(schedule.at(2000), start + Duration::from_secs(1));
        // Five seconds at 2000/s: exactly 10,000 calls due, the last half a millisecond before.
        let end = start + Duration::from_secs(5);
        let due = (0..).take_while(|i| schedule.at(*i) < end).count();
        assert_eq!(due, 10_000);
        // No drift after a long run at a rate that is no whole number of nanoseconds apart.
        let odd = Schedule::new(start, 3.0);
        assert_eq!(odd.at(3_000_000), start + Duration::from_secs(1_000_000));
        assert_eq!(odd.at(1), start + Duration::from_nanos(333_333_333));
        assert_eq!(odd.at(2), start + Duration::from_nanos(666_666_667));
        let slow = Schedule::new(start, 0.5);
        assert_eq!(slow.at(3), start + Duration::from_secs(6));
    }

    #[test]
    fn a_ramp_is_due_by_its_integral_from_the_start() {
        use crate::settings::Rise;
        let start = Instant::now();
        // From 0 to 100/s over 10 s: call i is due √(i/5) s in.
        let ramp = Ramp {
            from: 0.0,
            to: 100.0,
            rise: Rise::Linear(Duration::from_secs(10)),
        };
        let schedule = Schedule::ramped(start, ramp);
        assert_eq!(schedule.at(0), start);
        assert_eq!(schedule.at(5), start + Duration::from_secs(1));
        assert_eq!(schedule.at(45), start + Duration::from_secs(3));
        assert_eq!(schedule.at(500), start + Duration::from_secs(10));
        assert_eq!(schedule.at(501), start + Duration::from_millis(10_010));
        // The calls due in each second are the rate's mean over it: 5·(2k+1) in second k,
        // then 100.
        for k in 0..12u32 {
            let from = start + Duration::from_secs(k.into());
            let to = from + Duration::from_secs(1);
            let due = (0..2000)
                .filter(|i| (from..to).contains(&schedule.at(*i)))
                .count();
            let expected = if k < 10 {
                5 * (2 * k as usize + 1)
            } else {
                100
            };
            assert_eq!(due, expected, "second {k}");
        }
        // Steps: 100/s for 1 s, then 200/s.
        let steps = Schedule::ramped(
            start,
            Ramp {
                from: 100.0,
                to: 200.0,
                rise: Rise::Steps {
                    step: 100.0,
                    every: Duration::from_secs(1),
                },
            },
        );
        assert_eq!(steps.at(99), start + Duration::from_millis(990));
        assert_eq!(steps.at(100), start + Duration::from_secs(1));
        assert_eq!(steps.at(101), start + Duration::from_millis(1005));
        assert_eq!(steps.at(300), start + Duration::from_secs(2));
    }

    #[test]
    fn the_scheduler_wakes_a_tick_early() {
        let now = Instant::now();
        let due = now + Duration::from_millis(10);
        assert_eq!(Schedule::wake(due, now), Some(due - TICK));
        // Due within a tick, or overdue: start now.
        assert_eq!(Schedule::wake(now + Duration::from_micros(900), now), None);
        assert_eq!(Schedule::wake(now, now + Duration::from_secs(1)), None);
    }
}

//! What can end a call before the server does: its deadline, and Ctrl-C.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll, Waker},
    time::Duration,
};

use tokio::time::{Instant, Sleep};

/// Why a call was cut short on this side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The `--timeout` deadline passed: enforced here as well as by the server.
    Deadline,
    /// SIGINT (Ctrl-C).
    Interrupted,
}

pub struct Stop {
    deadline: Option<Pin<Box<Sleep>>>,
    interrupt: Interrupt,
}

impl Stop {
    /// Starts the clock on `timeout` and starts listening for Ctrl-C.
    pub fn new(timeout: Option<Duration>) -> std::io::Result<Stop> {
        Ok(Stop {
            deadline: timeout.map(|t| Box::pin(tokio::time::sleep(t))),
            interrupt: Interrupt::new()?,
        })
    }

    /// The time left before the deadline, to send as `grpc-timeout`.
    pub fn time_left(&self) -> Option<Duration> {
        self.deadline
            .as_ref()
            .map(|sleep| sleep.deadline().saturating_duration_since(Instant::now()))
    }

    /// Runs `work` until it finishes, the deadline passes or Ctrl-C is pressed.
    pub async fn race<F: Future>(&mut self, work: F) -> Result<F::Output, Stopped> {
        let mut work = std::pin::pin!(work);
        std::future::poll_fn(|cx| {
            if let Poll::Ready(output) = work.as_mut().poll(cx) {
                return Poll::Ready(Ok(output));
            }
            self.poll_stopped(cx).map(Err)
        })
        .await
    }

    /// Whether the call must stop now, without waiting: for the loop that drains a stream
    /// whose items are already there.
    pub fn check(&mut self) -> Result<(), Stopped> {
        let mut cx = Context::from_waker(Waker::noop());
        match self.poll_stopped(&mut cx) {
            Poll::Ready(stopped) => Err(stopped),
            Poll::Pending => Ok(()),
        }
    }

    fn poll_stopped(&mut self, cx: &mut Context<'_>) -> Poll<Stopped> {
        if self.interrupt.poll(cx).is_ready() {
            return Poll::Ready(Stopped::Interrupted);
        }
        if let Some(deadline) = &mut self.deadline
            && deadline.as_mut().poll(cx).is_ready()
        {
            return Poll::Ready(Stopped::Deadline);
        }
        Poll::Pending
    }
}

#[cfg(unix)]
struct Interrupt(tokio::signal::unix::Signal);

#[cfg(unix)]
impl Interrupt {
    fn new() -> std::io::Result<Interrupt> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Interrupt(signal(SignalKind::interrupt())?))
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.0.poll_recv(cx).map(|_| ())
    }
}

#[cfg(not(unix))]
struct Interrupt(Pin<Box<dyn Future<Output = std::io::Result<()>>>>);

#[cfg(not(unix))]
impl Interrupt {
    fn new() -> std::io::Result<Interrupt> {
        Ok(Interrupt(Box::pin(tokio::signal::ctrl_c())))
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.0.as_mut().poll(cx).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_deadline_stops_slow_work() {
        let mut stop = Stop::new(Some(Duration::from_secs(2))).unwrap();
        assert_eq!(stop.time_left(), Some(Duration::from_secs(2)));
        assert_eq!(stop.race(async { 7 }).await, Ok(7));
        let slow = tokio::time::sleep(Duration::from_secs(3));
        assert_eq!(stop.race(slow).await, Err(Stopped::Deadline));
        assert_eq!(stop.check(), Err(Stopped::Deadline));
        assert_eq!(stop.time_left(), Some(Duration::ZERO));
    }

    #[tokio::test(start_paused = true)]
    async fn no_deadline_without_a_timeout() {
        let mut stop = Stop::new(None).unwrap();
        assert_eq!(stop.time_left(), None);
        let slow = tokio::time::sleep(Duration::from_secs(3600));
        assert_eq!(stop.race(slow).await, Ok(()));
        assert_eq!(stop.check(), Ok(()));
    }
}

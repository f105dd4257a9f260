//! Server streams paced by `--stream-interval` that end at the call's deadline.
//!
//! tonic enforces a deadline on the handler's future, which for a server stream ends as soon as
//! the stream is returned; the stream itself must watch the deadline (see `deadline.rs`).

use std::time::Duration;

use futures_util::Stream;
use tokio::time::Instant;
use tonic::Status;

/// `messages`, made one at a time as the client takes them: nothing runs ahead of the client,
/// and dropping the stream (the client left) stops the work. Each message waits `interval`
/// first. When the deadline comes before the next message would, the stream ends at the
/// deadline with DEADLINE_EXCEEDED, whose message `late` makes from the count sent so far.
pub fn paced<I, F>(
    messages: I,
    interval: Duration,
    deadline: Option<Instant>,
    late: F,
) -> impl Stream<Item = Result<I::Item, Status>> + Send
where
    I: Iterator + Send,
    I::Item: Send,
    F: FnOnce(usize) -> String + Send,
{
    futures_util::stream::unfold(Some((messages, 0, late)), move |state| async move {
        let (mut messages, sent, late) = state?;
        let message = messages.next()?;
        if !interval.is_zero() {
            let wake = Instant::now() + interval;
            if let Some(deadline) = deadline.filter(|d| *d < wake) {
                tokio::time::sleep_until(deadline).await;
                return Some((Err(Status::deadline_exceeded(late(sent))), None));
            }
            tokio::time::sleep_until(wake).await;
        } else if deadline.is_some_and(|d| Instant::now() >= d) {
            return Some((Err(Status::deadline_exceeded(late(sent))), None));
        }
        Some((Ok(message), Some((messages, sent + 1, late))))
    })
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt as _;

    use super::*;

    fn late(sent: usize) -> String {
        format!("late after {sent}")
    }

    #[tokio::test]
    async fn unpaced_streams_every_message() {
        let all: Vec<_> = paced(["a", "b"].into_iter(), Duration::ZERO, None, late)
            .collect()
            .await;
        let got: Vec<_> = all.into_iter().map(Result::unwrap).collect();
        assert_eq!(got, ["a", "b"]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_passed_deadline_ends_an_unpaced_stream() {
        let deadline = Instant::now();
        let all: Vec<_> = paced(["a", "b"].into_iter(), Duration::ZERO, Some(deadline), late)
            .collect()
            .await;
        assert_eq!(all.len(), 1);
        let status = all[0].as_ref().unwrap_err();
        assert_eq!(status.code(), tonic::Code::DeadlineExceeded);
        assert_eq!(status.message(), "late after 0");
    }

    #[tokio::test(start_paused = true)]
    async fn paced_messages_wait_and_the_stream_ends_at_the_deadline() {
        let start = Instant::now();
        let deadline = start + Duration::from_millis(2500);
        let mut stream = Box::pin(paced(1..=5, Duration::from_secs(1), Some(deadline), late));
        assert_eq!(stream.next().await.unwrap().unwrap(), 1);
        assert_eq!(start.elapsed(), Duration::from_secs(1));
        assert_eq!(stream.next().await.unwrap().unwrap(), 2);
        let status = stream.next().await.unwrap().unwrap_err();
        assert_eq!(
            start.elapsed(),
            Duration::from_millis(2500),
            "at the deadline"
        );
        assert_eq!(status.message(), "late after 2");
        assert!(stream.next().await.is_none());
    }
}

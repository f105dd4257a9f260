//! The live figures on stderr while the load runs (when stderr is a terminal and `-q` is off):
//! calls done of the total (or the time left), the current rate and, on a schedule, its
//! target now (a rate, or calls in flight), p50 and p99 so far, and the errors so far,
//! redrawn a few times a second. Before, the time left to wait for
//! `--start-at`.

use std::{
    fmt::Write as _,
    sync::Arc,
    time::{Duration, Instant},
};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{goal::Goal, run::Run, stats};

/// How often the figures are redrawn.
const EVERY: Duration = Duration::from_millis(250);

/// The bar; it is cleared when dropped, before the report is printed.
pub struct Live {
    bar: ProgressBar,
}

impl Live {
    pub fn new() -> Live {
        let style = ProgressStyle::with_template("{bar:30.cyan/blue} {msg}")
            .expect("the template is valid")
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::stderr());
        bar.set_style(style);
        Live { bar }
    }

    /// Says that the load waits to start (`--start-at`), and how long for, until `until`.
    pub async fn wait_until(&self, until: Instant) {
        self.bar.set_length(1);
        self.bar.set_position(0);
        let mut ticks = tokio::time::interval(EVERY);
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            let seconds = left.as_secs_f64().ceil();
            self.bar
                .set_message(format!("connected; starting in {seconds:.0}s (--start-at)"));
            tokio::select! {
                _ = ticks.tick() => {}
                () = tokio::time::sleep_until(until.into()) => return,
            }
        }
    }

    /// Redraws the figures of `run` until the task is aborted.
    pub async fn show(self, run: Arc<Run>) {
        let mut latency = stats::histogram();
        let mut last: Option<(Instant, u64)> = None;
        let mut ticks = tokio::time::interval(EVERY);
        let mut message = String::new();
        loop {
            ticks.tick().await;
            let now = Instant::now();
            let (count, errors) = run.snapshot(&mut latency);
            let rate = match last {
                Some((then, before)) if now > then => {
                    count.saturating_sub(before) as f64 / (now - then).as_secs_f64()
                }
                _ => 0.0,
            };
            last = Some((now, count));
            message.clear();
            // A timed warm-up knows in advance when the counted part begins.
            let Some(begun) = run.begun().filter(|begun| *begun <= now) else {
                self.bar.set_length(1);
                self.bar.set_position(0);
                self.bar.set_message("warming up");
                continue;
            };
            match (run.total, run.length) {
                (Some(total), _) => {
                    self.bar.set_length(total);
                    self.bar.set_position(count);
                    let _ = write!(message, "{count}/{total} calls");
                }
                (None, Some(length)) => {
                    let elapsed = now.saturating_duration_since(begun).min(length);
                    self.bar.set_length(stats::micros(length));
                    self.bar.set_position(stats::micros(elapsed));
                    let left = (length - elapsed).as_secs_f64();
                    let _ = write!(message, "{count} calls, {left:.0}s left");
                }
                (None, None) => {}
            }
            let _ = write!(message, "  {rate:.0} req/s");
            // A schedule's target moves; a fixed --rps is the rate shown as before.
            if let Some(goal) = run.goal.filter(|goal| !matches!(goal, Goal::Rate(_))) {
                let target = goal.at(now.saturating_duration_since(run.epoch).as_secs_f64());
                let _ = write!(message, " (target {target:.0} {})", goal.unit());
            }
            if !latency.is_empty() {
                let _ = write!(
                    message,
                    "  p50 {}  p99 {}",
                    human(latency.value_at_quantile(0.5)),
                    human(latency.value_at_quantile(0.99))
                );
            }
            let _ = write!(
                message,
                "  {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
            self.bar.set_message(message.clone());
        }
    }
}

impl Default for Live {
    fn default() -> Live {
        Live::new()
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Microseconds for people: `850µs`, `12.3ms`, `2.05s`.
fn human(us: u64) -> String {
    match us {
        0..1_000 => format!("{us}µs"),
        1_000..1_000_000 => format!("{:.2}ms", us as f64 / 1e3),
        _ => format!("{:.2}s", us as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_for_people() {
        assert_eq!(human(850), "850µs");
        assert_eq!(human(12_345), "12.35ms");
        assert_eq!(human(2_050_000), "2.05s");
    }
}

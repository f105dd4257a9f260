//! The stream's progress bar on stderr: count (of N when the total is known), rate, elapsed.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A progress bar that exists only when enabled (stderr is a terminal and `--quiet` is off).
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Rows and bar share the terminal: hide the bar while a row is written.
    shares_terminal: bool,
}

impl Progress {
    pub fn new(enabled: bool, total: i32) -> Progress {
        let bar = enabled.then(|| {
            let style = ProgressStyle::with_template(
                "{bar:30.cyan/blue} {human_pos}/{human_len} items  {rate}  {elapsed}",
            )
            .expect("the template is valid")
            .with_key(
                "rate",
                |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                    let _ = write!(out, "{:.0}/s", state.per_sec());
                },
            );
            let bar = ProgressBar::with_draw_target(
                Some(u64::try_from(total).unwrap_or(0)),
                ProgressDrawTarget::stderr(),
            );
            bar.set_style(style.progress_chars("=> "));
            bar
        });
        Progress::with_bar(bar)
    }

    /// A counter for a stream of unknown length: `what` names the count ("received", "sent"),
    /// and the message (see [`Progress::bar`]) can add the other direction's count.
    pub fn counting(enabled: bool, what: &str) -> Progress {
        let bar = enabled.then(|| {
            let template =
                format!("{{spinner}} {{human_pos}} {what}{{msg}}  {{rate}}  {{elapsed}}");
            let style = ProgressStyle::with_template(&template)
                .expect("the template is valid")
                .with_key(
                    "rate",
                    |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                        let _ = write!(out, "{:.0}/s", state.per_sec());
                    },
                );
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(style);
            bar
        });
        Progress::with_bar(bar)
    }

    fn with_bar(bar: Option<ProgressBar>) -> Progress {
        Progress {
            shares_terminal: bar.is_some() && std::io::stdout().is_terminal(),
            bar,
        }
    }

    /// The bar itself, for the task that sends requests to count on.
    pub fn bar(&self) -> Option<ProgressBar> {
        self.bar.clone()
    }

    /// Runs `write` (which prints and flushes a row) so that the bar never garbles it.
    pub fn around<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if self.shares_terminal => bar.suspend(write),
            _ => write(),
        }
    }

    /// Whether every row must be flushed before the bar is drawn again.
    pub fn shares_terminal(&self) -> bool {
        self.shares_terminal
    }

    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}

impl Drop for Progress {
    /// The bar is cleared at the end, whether the stream finished or failed.
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

//! Owns the live status line the console shows on a terminal while a run
//! goes on: done/total, failed so far, elapsed, and what is running (each
//! marked `SLOW` past a threshold), redrawn twice a second on stderr by
//! indicatif; and a `SLOW` line, printed once, for each scenario that runs
//! past it, as nextest does.
//!
//! Must not decide what a result looks like (the console renders blocks)
//! nor run when the output is not a terminal: the app turns it on.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::clean::one_line;

/// How long a scenario runs before it is marked `SLOW`.
pub(crate) const SLOW_AFTER: Duration = Duration::from_secs(10);

/// How many running scenarios the line names.
const NAMED: usize = 2;

/// Holds what the line shows, shared with its redrawing thread.
#[derive(Debug, Default)]
struct State {
    done: usize,
    failed: usize,
    running: BTreeMap<usize, (String, Instant)>,
    /// Scenarios already announced as slow.
    slow: Vec<usize>,
    closed: bool,
}

/// Draws the status line and prints `SLOW` lines above it.
#[derive(Debug)]
pub(crate) struct LiveLine {
    bar: ProgressBar,
    state: Arc<Mutex<State>>,
}

impl LiveLine {
    /// Starts the line on stderr and its redrawing thread.
    pub(crate) fn start(total: usize) -> Self {
        Self::with_target(total, ProgressDrawTarget::stderr_with_hz(4))
    }

    fn with_target(total: usize, target: ProgressDrawTarget) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        bar.set_style(
            ProgressStyle::with_template("{prefix:.bold} {pos}/{len} {wide_msg} {elapsed:>4}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix("Running");
        let state = Arc::new(Mutex::new(State::default()));
        let line = Self { bar, state };
        line.spawn_redraw();
        line
    }

    /// Redraws the message twice a second, so running times and `SLOW`
    /// marks move while no event comes.
    fn spawn_redraw(&self) {
        let bar = self.bar.clone();
        let state = Arc::clone(&self.state);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(500));
                let mut state = lock(&state);
                if state.closed {
                    break;
                }
                let now = Instant::now();
                let crossed: Vec<usize> = state
                    .running
                    .iter()
                    .filter(|(index, (_, since))| now - *since >= SLOW_AFTER && !state.slow.contains(index))
                    .map(|(index, _)| *index)
                    .collect();
                for index in crossed {
                    let line = state
                        .running
                        .get(&index)
                        .map(|(name, since)| slow_line(name, now - *since));
                    state.slow.push(index);
                    if let Some(line) = line {
                        bar.println(line);
                    }
                }
                bar.set_message(message(&state, now));
            }
        });
    }

    /// Notes that scenario `index` started.
    pub(crate) fn started(&self, index: usize, name: &str) {
        let mut state = lock(&self.state);
        state.running.insert(index, (one_line(name), Instant::now()));
        self.bar.set_message(message(&state, Instant::now()));
    }

    /// Notes that scenario `index` finished, and whether it did not pass.
    pub(crate) fn finished(&self, index: usize, failed: bool) {
        let mut state = lock(&self.state);
        state.running.remove(&index);
        state.done += 1;
        state.failed += usize::from(failed);
        self.bar.set_position(state.done as u64);
        self.bar.set_message(message(&state, Instant::now()));
    }

    /// Writes `text` to `out` above the line, which is drawn again after it.
    pub(crate) fn above(&self, out: &mut dyn Write, text: &str) -> std::io::Result<()> {
        self.bar.suspend(|| {
            out.write_all(text.as_bytes())?;
            out.flush()
        })
    }

    /// Removes the line for good; what follows is the run's closing output.
    pub(crate) fn close(&self) {
        lock(&self.state).closed = true;
        self.bar.finish_and_clear();
    }
}

impl Drop for LiveLine {
    fn drop(&mut self) {
        self.close();
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Returns the line's message: failures so far, then what runs longest first.
fn message(state: &State, now: Instant) -> String {
    let mut parts = Vec::new();
    if state.failed > 0 {
        parts.push(format!("{} failed", state.failed));
    }
    let mut running: Vec<(&String, Duration)> = state
        .running
        .values()
        .map(|(name, since)| (name, now - *since))
        .collect();
    running.sort_by_key(|(_, took)| std::cmp::Reverse(*took));
    if !running.is_empty() {
        let named: Vec<String> = running
            .iter()
            .take(NAMED)
            .map(|(name, took)| {
                let slow = if *took >= SLOW_AFTER { " SLOW" } else { "" };
                format!("{name} ({}{slow})", humantime::format_duration(round_secs(*took)))
            })
            .collect();
        let more = running.len().saturating_sub(NAMED);
        let more = if more > 0 {
            format!(" +{more}")
        } else {
            String::new()
        };
        parts.push(format!("{} running: {}{more}", running.len(), named.join(", ")));
    }
    parts.join(" · ")
}

/// Returns the `SLOW` line for a scenario running for `took`.
fn slow_line(name: &str, took: Duration) -> String {
    format!(
        "SLOW   {name}  running for {}",
        humantime::format_duration(round_secs(took))
    )
}

fn round_secs(duration: Duration) -> Duration {
    Duration::from_secs(duration.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_failures_and_the_longest_running_first() {
        let now = Instant::now();
        let mut state = State {
            done: 4,
            failed: 1,
            ..State::default()
        };
        for (index, name, secs) in [
            (4, "Login", 2),
            (5, "Search", 12),
            (6, "Logout", 1),
            (7, "MFA", 3),
        ] {
            state
                .running
                .insert(index, (name.to_owned(), now - Duration::from_secs(secs)));
        }
        assert_eq!(
            message(&state, now),
            "1 failed · 4 running: Search (12s SLOW), MFA (3s) +2"
        );
        assert_eq!(message(&State::default(), now), "");
    }

    #[test]
    fn a_slow_scenario_gets_a_line_of_its_own() {
        assert_eq!(
            slow_line("Wait for the email", Duration::from_millis(10_400)),
            "SLOW   Wait for the email  running for 10s"
        );
    }

    #[test]
    fn text_written_above_a_hidden_line_reaches_the_output() {
        let line = LiveLine::with_target(2, ProgressDrawTarget::hidden());
        line.started(0, "A");
        let mut out = Vec::new();
        line.above(&mut out, "PASS   A  a.yaml  1ms\n").unwrap();
        line.finished(0, false);
        line.close();
        assert_eq!(String::from_utf8(out).unwrap(), "PASS   A  a.yaml  1ms\n");
    }
}

//! Waits before a step's request goes out when its TOTP code belongs to a
//! later window, and says so when it happens: an event the console prints at
//! once, and a note in the step's result, naming whose use of the current
//! window (this run's, or an earlier run's) made the wait necessary.
//!
//! Must not decide which window a code belongs to (templates do), nor touch
//! the terminal, clap, JUnit or axum.

use std::time::{Duration, SystemTime};

use super::attempt::interrupted;
use super::event::Event;
use super::result::{Phase, StepResult};
use super::scenario::ScenarioRun;

impl ScenarioRun<'_> {
    /// Waits until `not_before` (and any later window a render of this
    /// scenario asked for), telling why first. Returns `false` when Ctrl-C cut
    /// the wait short (never in `finally`).
    pub(super) async fn wait_to_send(
        &mut self,
        not_before: Option<SystemTime>,
        result: &mut StepResult,
    ) -> bool {
        let waits = std::mem::take(&mut self.waits);
        let until = waits.iter().map(|w| w.until).chain(not_before).max();
        let Some(until) = until else { return true };
        let Some(wait) = until
            .duration_since(SystemTime::now())
            .ok()
            .filter(|w| !w.is_zero())
        else {
            return true;
        };
        let why = if waits.iter().any(|w| w.earlier_run) {
            "an earlier run already used the current window's TOTP code, and the server would refuse it again"
        } else {
            "this run already used the current window's TOTP code"
        };
        let (seconds, at) = (whole_seconds(wait), clock_time(until));
        let reason = format!("waiting {seconds}s for the next TOTP window ({at} UTC): {why}");
        self.notify(Event::StepWaiting {
            index: self.index,
            scenario: self.loaded.scenario.name.value.clone(),
            step: result.name.clone(),
            wait,
            reason: self.redactor.redact(&reason).into_owned(),
        });
        result.notes.push(format!(
            "waited {seconds}s for the next TOTP window ({at} UTC): {why}"
        ));
        if result.phase == Phase::Finally {
            tokio::time::sleep(wait).await;
            return true;
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => true,
            () = interrupted(&self.engine.config.interrupt) => false,
        }
    }
}

/// Rounds a wait up to whole seconds, as people read it.
fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// Formats the time of day of `at` in UTC (`10:00:30`).
fn clock_time(at: SystemTime) -> String {
    let seconds = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = seconds % 86_400;
    format!("{:02}:{:02}:{:02}", day / 3600, day % 3600 / 60, day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_in_whole_seconds_and_utc_clock_time() {
        assert_eq!(whole_seconds(Duration::from_millis(16_200)), 17);
        assert_eq!(whole_seconds(Duration::from_secs(3)), 3);
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_111_111_140);
        assert_eq!(clock_time(at), "01:59:00");
    }
}

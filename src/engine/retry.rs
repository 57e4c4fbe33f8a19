//! Runs a request step under its retry policy: renders the request once,
//! waits for any not-before time, repeats attempts until one passes, the
//! attempts or deadline run out, or the run is interrupted, then settles the
//! pool values the request carried; owns [`RetryPolicy`].
//!
//! Must not judge an attempt itself (attempts do), nor touch the terminal,
//! clap, JUnit or axum.

use std::time::{Duration, Instant};

use crate::model::{Spanned, Step};

use super::pool::Carried;
use super::redact::learn_response_secrets;
use super::result::{Status, StepResult};
use super::scenario::ScenarioRun;
use super::scope::Scope;

impl ScenarioRun<'_> {
    /// Runs a request step: renders it once, repeats attempts as its retry
    /// policy allows, then settles the step from the last attempt.
    pub(super) async fn run_request(
        &mut self,
        step: &Spanned<Step>,
        scope: &mut Scope,
        result: &mut StepResult,
    ) {
        let spec = match self.build_request(&step.value, scope) {
            Ok((spec, not_before)) => {
                if !self.wait_to_send(not_before, result).await {
                    result.status = Status::Errored;
                    let message = "interrupted (Ctrl-C) while waiting for the next TOTP window";
                    result.error = Some(self.error("interrupted", message, result.location.clone()));
                    return;
                }
                spec
            }
            Err((message, location)) => {
                result.status = Status::Errored;
                result.error = Some(self.error("template", &message, location));
                return;
            }
        };
        let carried = self.carried_values(&spec);
        // The first 2xx answer, else the last answer: what settles carried pool values.
        let mut answered: Option<u16> = None;
        let policy = RetryPolicy::of(&step.value);
        let first_attempt = Instant::now();
        let mut wait = policy.interval;
        let mut outcome;
        loop {
            result.attempts += 1;
            outcome = self
                .attempt(&spec, &step.value, scope, result.phase, &result.location)
                .await;
            if let Ok(response) = &outcome.response {
                learn_response_secrets(&mut self.redactor, response);
                if !answered.is_some_and(|s| (200..300).contains(&s)) {
                    answered = Some(response.status);
                }
            }
            let done = outcome.passed()
                || result.attempts >= policy.attempts
                || self.engine.config.interrupt.is_set()
                || policy
                    .deadline
                    .is_some_and(|d| first_attempt.elapsed() + wait >= d);
            if done {
                break;
            }
            tokio::time::sleep(wait).await;
            wait = policy.next_wait(wait);
        }
        self.settle(&step.value, scope, &spec, outcome, result).await;
        if !carried.is_empty() {
            let how = answered.map_or(Carried::Unanswered, Carried::Answered);
            self.settle_carried(&carried, how, result);
        }
    }
}

/// Holds a step's retry settings with defaults applied.
#[derive(Debug, Clone, PartialEq)]
struct RetryPolicy {
    attempts: u32,
    interval: Duration,
    backoff: f64,
    max_interval: Option<Duration>,
    deadline: Option<Duration>,
}

impl RetryPolicy {
    /// Reads a step's `retry` settings; without them, one attempt.
    fn of(step: &Step) -> Self {
        let parse = |d: &Option<Spanned<String>>| {
            d.as_ref()
                .and_then(|d| humantime::parse_duration(d.value.trim()).ok())
        };
        match &step.retry {
            None => Self {
                attempts: 1,
                interval: Duration::ZERO,
                backoff: 1.0,
                max_interval: None,
                deadline: None,
            },
            Some(retry) => Self {
                attempts: retry.value.attempts.value.max(1),
                interval: parse(&retry.value.interval).unwrap_or(Duration::from_secs(1)),
                backoff: retry
                    .value
                    .backoff
                    .filter(|b| b.is_finite() && *b >= 1.0)
                    .unwrap_or(1.0),
                max_interval: parse(&retry.value.max_interval),
                deadline: parse(&retry.value.deadline),
            },
        }
    }

    /// Returns the pause after `wait`: grown by the backoff, capped at `max_interval`.
    fn next_wait(&self, wait: Duration) -> Duration {
        self.max_interval.map_or(wait.mul_f64(self.backoff), |cap| {
            wait.mul_f64(self.backoff).min(cap)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_defaults_to_one_attempt() {
        let policy = RetryPolicy::of(&Step::default());
        assert_eq!(policy.attempts, 1);
    }
}

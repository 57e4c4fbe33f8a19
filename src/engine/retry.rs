//! Runs a request step under its retry policy: renders the request and the
//! policy (whose numbers and durations may be templates) once, waits for any
//! not-before time, repeats attempts until one passes, the attempts or
//! deadline run out, or the run is interrupted, then settles the pool values
//! the request carried; owns [`RetryPolicy`].
//!
//! Must not judge an attempt itself (attempts do), nor touch the terminal,
//! clap, JUnit or axum.

use std::time::{Duration, Instant};

use crate::model::{Retry, SourceLocation, Spanned, Step, Templated};

use super::pool::Carried;
use super::redact::learn_response_secrets;
use super::request::BuildError;
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
        let built = self
            .build_request(&step.value, scope)
            .and_then(|(spec, not_before)| {
                let policy = self.retry_policy(&step.value, scope)?;
                Ok((spec, not_before, policy))
            });
        let (spec, policy) = match built {
            Ok((spec, not_before, policy)) => {
                if !self.wait_to_send(not_before, result).await {
                    result.status = Status::Errored;
                    let message = "interrupted (Ctrl-C) while waiting for the next TOTP window";
                    result.error = Some(self.error("interrupted", message, result.location.clone()));
                    return;
                }
                (spec, policy)
            }
            Err((message, location)) => {
                result.status = Status::Errored;
                result.error = Some(self.error("template", &message, location));
                return;
            }
        };
        let jar = self.jar_for(&step.value, scope);
        let carried = self.carried_values(&spec);
        // The first 2xx answer, else the last answer: what settles carried pool values.
        let mut answered: Option<u16> = None;
        let first_attempt = Instant::now();
        let mut wait = policy.interval;
        let outcome = loop {
            result.attempts += 1;
            let outcome = self
                .attempt(
                    &spec,
                    jar.as_ref(),
                    &step.value,
                    scope,
                    result.phase,
                    &result.location,
                )
                .await;
            if let Ok(response) = &outcome.response {
                learn_response_secrets(&mut self.redactor, response);
                if !answered.is_some_and(|s| (200..300).contains(&s)) {
                    answered = Some(response.status);
                }
            }
            let next = if outcome.passed() {
                Next::Stop(None)
            } else {
                after_failure(
                    &policy,
                    result.attempts,
                    first_attempt.elapsed(),
                    wait,
                    self.engine.config.interrupt.is_set(),
                )
            };
            if let Next::Stop(why) = next {
                result.notes.extend(why);
                break outcome;
            }
            // The body goes back to the run's budget before the wait and the next attempt.
            drop(outcome);
            tokio::time::sleep(wait).await;
            wait = policy.next_wait(wait);
        };
        let exchange = self.settle(&step.value, scope, &spec, outcome, result).await;
        if !carried.is_empty() {
            let how = answered.map_or(Carried::Unanswered, Carried::Answered);
            self.settle_carried(&carried, how, result);
        }
        self.record(&spec, exchange, result);
    }

    /// Renders a step's retry settings, whose numbers and durations may be
    /// templates; without `retry`, one attempt.
    fn retry_policy(&mut self, step: &Step, scope: &Scope) -> Result<RetryPolicy, BuildError> {
        let Some(retry) = &step.retry else {
            return Ok(RetryPolicy::once());
        };
        let r: &Retry = &retry.value;
        let mut not_before = None;
        let attempts: u32 = self.render_number("retry.attempts", &r.attempts, scope)?;
        let backoff = match &r.backoff {
            Some(node) => Some(self.render_number::<f64>("retry.backoff", node, scope)?),
            None => None,
        };
        let interval = self.render_duration("retry.interval", r.interval.as_ref(), scope, &mut not_before)?;
        let max_interval = self.render_duration(
            "retry.max_interval",
            r.max_interval.as_ref(),
            scope,
            &mut not_before,
        )?;
        let deadline = self.render_duration("retry.deadline", r.deadline.as_ref(), scope, &mut not_before)?;
        Ok(RetryPolicy {
            attempts: attempts.max(1),
            interval: interval.unwrap_or(Duration::from_secs(1)),
            backoff: backoff.filter(|b| b.is_finite() && *b >= 1.0).unwrap_or(1.0),
            max_interval,
            deadline,
        })
    }

    /// Returns a number as written, or rendered from its template.
    fn render_number<T: std::str::FromStr + Copy>(
        &mut self,
        key: &str,
        node: &Spanned<Templated<T>>,
        scope: &Scope,
    ) -> Result<T, BuildError> {
        let at = || SourceLocation::of(&scope.file, node);
        let text = match &node.value {
            Templated::Value(value) => return Ok(*value),
            Templated::Text(text) => text,
        };
        let rendered = self
            .render_text(text, scope, &mut None)
            .map_err(|e| (format!("in `{key}`: {e}"), at()))?;
        rendered
            .trim()
            .parse()
            .map_err(|_| (format!("`{key}` is `{rendered}`, which is not a number"), at()))
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
    /// Returns the policy of a step without `retry`: one attempt.
    fn once() -> Self {
        Self {
            attempts: 1,
            interval: Duration::ZERO,
            backoff: 1.0,
            max_interval: None,
            deadline: None,
        }
    }

    /// Returns the pause after `wait`: grown by the backoff, capped at `max_interval`.
    fn next_wait(&self, wait: Duration) -> Duration {
        self.max_interval.map_or(wait.mul_f64(self.backoff), |cap| {
            wait.mul_f64(self.backoff).min(cap)
        })
    }
}

/// Says what follows a failed attempt.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    /// Another attempt, after the wait.
    Again,
    /// None: this was the last, with a note saying why when the step has a retry policy.
    Stop(Option<String>),
}

/// Decides whether a failed attempt is the last: the attempts ran out, the
/// next one would start past the deadline, or the run was interrupted.
fn after_failure(
    policy: &RetryPolicy,
    attempts: u32,
    elapsed: Duration,
    wait: Duration,
    interrupted: bool,
) -> Next {
    if policy.attempts <= 1 {
        // A step without `retry` has one attempt and needs no note.
        return Next::Stop(None);
    }
    let plural = if attempts == 1 { "attempt" } else { "attempts" };
    if interrupted {
        return Next::Stop(Some(format!(
            "retry stopped after {attempts} {plural}: the run was interrupted"
        )));
    }
    if attempts >= policy.attempts {
        return Next::Stop(Some(format!("retry gave up: all {attempts} attempts failed")));
    }
    match policy.deadline {
        Some(deadline) if elapsed + wait >= deadline => Next::Stop(Some(format!(
            "retry stopped by its deadline ({}) after {attempts} {plural} of {} in {}: the next would start {} later, past it",
            humantime::format_duration(deadline),
            policy.attempts,
            humantime::format_duration(round_ms(elapsed)),
            humantime::format_duration(round_ms(wait)),
        ))),
        _ => Next::Again,
    }
}

/// Drops what is below a millisecond, which a note has no use for.
fn round_ms(duration: Duration) -> Duration {
    Duration::from_millis(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_defaults_to_one_attempt() {
        let policy = RetryPolicy::once();
        assert_eq!(policy.attempts, 1);
        assert_eq!(policy.next_wait(Duration::from_secs(1)), Duration::from_secs(1));
    }

    #[test]
    fn a_failed_attempt_says_why_it_was_the_last() {
        let policy = RetryPolicy {
            attempts: 5,
            deadline: Some(Duration::from_secs(2)),
            ..RetryPolicy::once()
        };
        let ms = Duration::from_millis;
        assert_eq!(after_failure(&policy, 2, ms(800), ms(500), false), Next::Again);
        assert_eq!(
            after_failure(&policy, 3, ms(1_604), ms(500), false),
            Next::Stop(Some(
                "retry stopped by its deadline (2s) after 3 attempts of 5 in 1s 604ms: the next would start 500ms later, past it"
                    .to_owned()
            ))
        );
        assert_eq!(
            after_failure(&policy, 5, ms(900), ms(500), false),
            Next::Stop(Some("retry gave up: all 5 attempts failed".to_owned()))
        );
        assert_eq!(
            after_failure(&policy, 1, ms(10), ms(500), true),
            Next::Stop(Some(
                "retry stopped after 1 attempt: the run was interrupted".to_owned()
            ))
        );
        assert_eq!(
            after_failure(&RetryPolicy::once(), 1, ms(10), ms(0), false),
            Next::Stop(None)
        );
    }
}

//! Runs one attempt of a request step and settles the step from the last
//! one: sends the request (cut short by an interrupt outside `finally`),
//! applies the default status check and the step's expectations, then
//! captures, snapshots and records what came back. A failed expectation is
//! the step's cause: a capture that then fails, or a body that is not JSON,
//! becomes a note under it.
//!
//! Must not decide whether to try again (the retry policy does), nor touch
//! the terminal, clap, JUnit or axum.

use std::time::Duration;

use serde_json::Value;

use crate::check::{self, Response};
use crate::http::{CookieJar, HttpError, HttpResponse, RequestSpec};
use crate::model::{CaptureSpec, SourceLocation, Step};

use super::config::ExchangeDetail;
use super::handle::Engine;
use super::hooks::Interrupt;
use super::redact::{Shown, VERBOSE_BODY_CHARS, excerpt, record_request, record_response};
use super::result::{Phase, SnapshotStatus, Status, StepResult};
use super::scenario::{ScenarioRun, step_name};
use super::scope::Scope;

impl ScenarioRun<'_> {
    /// Sends the step's request once and judges the response: the default
    /// status check, then the step's expectations over its would-be captures.
    pub(super) async fn attempt(
        &self,
        spec: &RequestSpec,
        jar: Option<&CookieJar>,
        step: &Step,
        scope: &Scope,
        phase: Phase,
        at: &SourceLocation,
    ) -> Attempt {
        let expect = step.expect.as_ref().map(|e| &e.value);
        // What the jar holds now, not what the response will set, is what
        // the request goes out with; a failed send reports these headers.
        let jar_cookie = jar.and_then(|j| j.header_for(&spec.url));
        let planned = spec.outgoing_headers(jar_cookie.as_deref());
        let send = async {
            let received = self.engine.http.send(spec, jar).await?;
            let held = received.held.clone();
            Ok((received_response(received), held))
        };
        // Ctrl-C cuts a regular step's request short; `finally` requests (log out) complete.
        let received = if phase == Phase::Finally {
            send.await
        } else {
            tokio::select! {
                response = send => response,
                () = interrupted(&self.engine.config.interrupt) => Err(HttpError::Transport("interrupted (Ctrl-C)".to_owned())),
            }
        };
        let (response, sent, held) = match received {
            Ok(((response, sent), held)) => (Ok(response), sent, held),
            Err(error) => (Err(error), planned, crate::http::HeldBody::default()),
        };
        let mut attempt = Attempt {
            response,
            assertions: Vec::new(),
            body_error: None,
            sent,
            printed: Vec::new(),
            _held: held,
        };
        let Ok(response) = &attempt.response else {
            return attempt;
        };
        if expect.is_none_or(|e| e.status.is_none()) {
            attempt.assertions.push(default_status_check(response.status, at));
        }
        let Some(expect) = expect else {
            return attempt;
        };
        let needs_json = !expect.body.is_empty() || expect.subset.is_some();
        if needs_json && let Err(reason) = response.json() {
            let content_type = response.header("content-type").unwrap_or("no content type");
            // The body's excerpt is added when the step is settled, once the
            // response's own secrets (cookies, token fields) are known.
            attempt.body_error = Some(format!("expected a JSON body ({content_type}): {reason}"));
        }
        // Expectations may read the step's own captures (`check` allows it), so
        // evaluate them over the variables as they will be after capturing.
        let context = eval_context(self.engine, &scope.file);
        let mut vars = std::borrow::Cow::Borrowed(&scope.vars);
        for (name, entry) in &step.capture {
            let value = rendered_capture(&self.engine.templates, &entry.value.0, &scope.vars).and_then(
                |(spec, _)| check::eval_capture(&spec, response, &context).map_err(|e| e.to_string()),
            );
            if let Ok(value) = value {
                vars.to_mut().insert(name.value.clone(), value);
            }
        }
        let templates = &self.engine.templates;
        let mut printed = Vec::new();
        let mut render = |value: &Value| -> Result<Value, String> {
            templates
                .render_value(value, &vars)
                .map(|r| {
                    printed.extend(r.printed);
                    r.value
                })
                .map_err(|e| e.message)
        };
        let lookup = |name: &str| vars.get(name).cloned();
        attempt.assertions = check::eval_expect(
            expect,
            response,
            &scope.file,
            &mut check::Evaluator {
                render: &mut render,
                context: &context,
            },
            &lookup,
        );
        attempt.printed = printed;
        if attempt.body_error.is_some() {
            // The step error already says the body is not JSON; per-path failures would only repeat it.
            attempt
                .assertions
                .retain(|a| !(a.subject.starts_with("body") || a.subject.starts_with("vars")));
        }
        attempt
    }

    /// Settles a request step from its last attempt: the curl line, captures,
    /// body error, snapshot, redacted records, assertions and status.
    pub(super) async fn settle(
        &mut self,
        step: &Step,
        scope: &mut Scope,
        spec: &RequestSpec,
        outcome: Attempt,
        result: &mut StepResult,
    ) -> Unrecorded {
        let sent = outcome.sent.clone();
        self.learn_sent_secrets(&sent);
        // A step that already failed will show its curl line: redacted now,
        // with what was known when it was sent, as reports always showed it.
        let curl = (!outcome.passed()).then(|| self.curl_line(spec, &sent));
        let response = match outcome.response {
            Err(error) => {
                let kind = if matches!(error, HttpError::Timeout(_)) {
                    "timeout"
                } else {
                    "transport"
                };
                let url = self.redactor.redact(spec.url.as_str()).into_owned();
                let message = format!("{} {url}: {error}", spec.method);
                result.status = Status::Errored;
                result.error = Some(self.error(kind, &message, result.location.clone()));
                None
            }
            Ok(response) => {
                // A failed expectation is the step's cause: what goes wrong
                // after it (a capture that cannot match, a body that is not
                // JSON) is reported as a note under it, not as the error.
                let failed = outcome.assertions.iter().any(|a| !a.passed);
                let mut problems = Vec::new();
                if let Some(message) = outcome.body_error {
                    // Redacted before it is cut, so a token is never half shown.
                    let start = excerpt(&self.redactor.redact(&response.text()), 120).0;
                    problems.push((
                        "body",
                        format!("{message}; the body starts with: {start}"),
                        result.location.clone(),
                    ));
                }
                problems.extend(self.capture(step, scope, &response, &mut result.captures));
                // After the captures are bound: an expected value may read one that is secret.
                self.learn_printed(&outcome.printed, scope);
                for (kind, message, at) in problems {
                    if failed {
                        let note = format!("{message} (at {at})");
                        result.notes.push(self.redactor.redact(&note).into_owned());
                    } else if result.error.is_none() {
                        result.error = Some(self.error(kind, &message, at));
                    }
                }
                if let Some(snapshot) = step.snapshot.as_ref().filter(|s| s.value.enabled) {
                    // Named by the step as written, so a name that renders
                    // variables still gives the same snapshot in every environment.
                    let label = step_name(step);
                    self.snapshot(&snapshot.value, &label, spec, &response, scope, result)
                        .await;
                }
                Some(response)
            }
        };
        result.assertions = outcome
            .assertions
            .into_iter()
            .map(|mut a| {
                a.expected = self.redactor.redact(&a.expected).into_owned();
                a.actual = self.redactor.redact(&a.actual).into_owned();
                a.message = a.message.map(|m| self.redactor.redact(&m).into_owned());
                for step in &mut a.chain {
                    step.value = self.redactor.redact(&step.value).into_owned();
                }
                a.expected_value = a.expected_value.map(|v| self.redactor.redact_json(&v));
                a.actual_value = a.actual_value.map(|v| self.redactor.redact_json(&v));
                a
            })
            .collect();
        result.status = if result.error.is_some() {
            Status::Errored
        } else if result.assertions.iter().any(|a| !a.passed)
            || result
                .snapshot
                .as_ref()
                .is_some_and(|s| matches!(s.status, SnapshotStatus::New | SnapshotStatus::Mismatched))
        {
            Status::Failed
        } else {
            Status::Passed
        };
        Unrecorded { sent, response, curl }
    }

    /// Records a settled step's exchange once its status is final (pool
    /// values it carried are settled after [`ScenarioRun::settle`] and may
    /// still fail it). Reporters show a passed step's request line only,
    /// at `-vvv`, so its curl line, headers and bodies are neither built
    /// nor redacted.
    pub(super) fn record(&self, spec: &RequestSpec, exchange: Unrecorded, result: &mut StepResult) {
        let Unrecorded { sent, response, curl } = exchange;
        let failed = result.status != Status::Passed;
        let detail = self.engine.config.exchanges;
        let shown = Shown {
            exchange: failed || detail == ExchangeDetail::AllInFull,
            verbose: detail == ExchangeDetail::AllInFull
                || (failed && detail == ExchangeDetail::FailedInFull),
        };
        if shown.exchange {
            let curl = curl.unwrap_or_else(|| self.curl_line(spec, &sent));
            result.curl = Some(excerpt(&curl, VERBOSE_BODY_CHARS).0);
        }
        result.response = response.map(|response| record_response(&self.redactor, &response, shown));
        result.request = Some(record_request(&self.redactor, spec, &sent, shown));
    }

    /// Returns the redacted curl line that replays `spec` with the headers
    /// `sent`, each secret read from a shell variable (`"$SECRET_TOKEN"`).
    fn curl_line(&self, spec: &RequestSpec, sent: &[(String, String)]) -> String {
        let redacted = self
            .redactor
            .redact(&crate::http::to_curl(spec, sent, &self.engine.config.http))
            .into_owned();
        crate::secret::replayable(&redacted)
    }

    /// Binds the step's captures from the response; returns the failures, in order.
    fn capture(
        &mut self,
        step: &Step,
        scope: &mut Scope,
        response: &Response,
        captures: &mut Vec<(String, String)>,
    ) -> Vec<(&'static str, String, SourceLocation)> {
        let context = eval_context(self.engine, &scope.file);
        let mut failures = Vec::new();
        for (name, entry) in &step.capture {
            let value = rendered_capture(&self.engine.templates, &entry.value.0, &scope.vars).and_then(
                |(spec, printed)| {
                    // A filter argument made from a secret is hidden in what the capture reports.
                    self.learn_printed(&printed, scope);
                    check::eval_capture(&spec, response, &context).map_err(|e| e.to_string())
                },
            );
            match value {
                Ok(value) => {
                    // Cookies are credentials: a captured one is secret like any token.
                    let secret = entry.value.0.secret || entry.value.0.cookie.is_some();
                    self.bind(scope, &name.value, value.clone(), secret);
                    let shown = self.redactor.redact(&compact(&value)).into_owned();
                    captures.push((name.value.clone(), shown));
                }
                Err(error) => {
                    let at = SourceLocation::of(&scope.file, entry);
                    failures.push(("capture", format!("capture `{}`: {error}", name.value), at));
                }
            }
        }
        failures
    }
}

/// Holds what a settled step sent and received, to record once its status is final.
pub(super) struct Unrecorded {
    sent: Vec<(String, String)>,
    response: Option<Response>,
    /// The curl line, when it was redacted before the step's captures.
    curl: Option<String>,
}

/// Holds what one attempt of a step came to.
pub(super) struct Attempt {
    pub(super) response: Result<Response, HttpError>,
    assertions: Vec<check::AssertionResult>,
    body_error: Option<String>,
    /// The headers the request went out with (`Cookie` and `Authorization` included).
    sent: Vec<(String, String)>,
    /// What the expectations' templates printed, so values derived from a
    /// secret are redacted in the results.
    printed: Vec<crate::template::Printed>,
    /// Keeps the body's share of the run's body budget until the step is settled.
    _held: crate::http::HeldBody,
}

impl Attempt {
    /// Tells whether the attempt got a response that met every expectation.
    pub(super) fn passed(&self) -> bool {
        self.response.is_ok() && self.body_error.is_none() && self.assertions.iter().all(|a| a.passed)
    }
}

/// Checks the status of a step that states none: an error status (400 and
/// up) fails it, so a broken endpoint never passes silently; `expect.status`
/// accepts anything else, e.g. a deliberate 401.
fn default_status_check(status: u16, at: &SourceLocation) -> check::AssertionResult {
    let passed = status < 400;
    check::AssertionResult {
        subject: "status".to_owned(),
        predicate: "is not an error".to_owned(),
        expected: "below 400 (no `expect.status` given)".to_owned(),
        actual: status.to_string(),
        passed,
        message: (!passed).then(|| "set `expect.status` to the status this step should get".to_owned()),
        location: at.clone(),
        chain: Vec::new(),
        expected_value: None,
        actual_value: None,
    }
}

/// Turns what the client received into the response evaluators read (with
/// its final URL, version and redirects), and the headers the request went out with.
fn received_response(received: HttpResponse) -> (Response, Vec<(String, String)>) {
    let mut response = Response::new(received.status, received.headers, received.body, received.elapsed);
    response.url = received.url.to_string();
    response.version = received.version;
    response.redirects = received
        .redirects
        .into_iter()
        .map(|hop| check::Hop {
            status: hop.status,
            url: hop.url.to_string(),
            location: hop.location,
        })
        .collect();
    (response, received.sent_headers)
}

/// Shows a captured value as reports print it: strings bare, the rest as JSON.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Returns a capture with the templates in its filter arguments rendered
/// (`{ replace: ["{{ old }}", new] }`), so captures take filters as
/// expectations do; the spec itself when it has none.
fn rendered_capture<'s>(
    templates: &crate::template::Templates,
    spec: &'s CaptureSpec,
    vars: &crate::template::Vars,
) -> Result<(std::borrow::Cow<'s, CaptureSpec>, Vec<crate::template::Printed>), String> {
    let Some(filters) = spec.filters.as_ref().filter(|f| holds_template(&f.value)) else {
        return Ok((std::borrow::Cow::Borrowed(spec), Vec::new()));
    };
    let rendered = templates
        .render_value(&filters.value, vars)
        .map_err(|e| format!("in the capture's filters: {}", e.message))?;
    let mut owned = spec.clone();
    let mut filters = filters.clone();
    filters.value = rendered.value;
    owned.filters = Some(filters);
    Ok((std::borrow::Cow::Owned(owned), rendered.printed))
}

/// Tells whether any string inside `value` holds a template.
fn holds_template(value: &Value) -> bool {
    match value {
        Value::String(text) => crate::template::contains_template(text),
        Value::Array(items) => items.iter().any(holds_template),
        Value::Object(map) => map.values().any(holds_template),
        _ => false,
    }
}

/// Builds the evaluation context of a step written in `file`: relative files
/// from its folder, none from outside the folder the run started in.
pub(super) fn eval_context(engine: &Engine, file: &std::path::Path) -> check::EvalContext {
    check::EvalContext::for_file(file, &engine.root)
}

/// Resolves once the run is interrupted; polled, since Ctrl-C only sets a flag.
pub(super) async fn interrupted(interrupt: &Interrupt) {
    while !interrupt.is_set() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    #[test]
    fn evaluators_get_the_final_url_the_version_and_every_hop() {
        let url = |text: &str| Url::parse(text).unwrap();
        let received = HttpResponse {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: b"{}".to_vec(),
            elapsed: Duration::from_millis(3),
            url: url("http://b.test/landing"),
            version: "HTTP/2".into(),
            redirects: vec![crate::http::Hop {
                status: 302,
                url: url("http://a.test/start"),
                location: "http://b.test/landing".into(),
            }],
            sent_headers: vec![("x-trace".into(), "1".into())],
            held: crate::http::HeldBody::default(),
        };
        let (response, sent) = received_response(received);
        assert_eq!(response.url, "http://b.test/landing");
        assert_eq!(response.version, "HTTP/2");
        assert_eq!(
            response.redirects,
            [check::Hop {
                status: 302,
                url: "http://a.test/start".into(),
                location: "http://b.test/landing".into(),
            }]
        );
        assert_eq!(sent, [("x-trace".to_owned(), "1".to_owned())]);
    }
}

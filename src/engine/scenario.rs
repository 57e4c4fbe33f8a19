//! Runs one scenario: variables, steps in order, `finally`, flows, retries.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;
use url::Url;

use crate::check::{self, Response};
use crate::http::{CookieJar, HttpError, RequestBody, RequestSpec};
use crate::model::load::LoadedScenario;
use crate::model::{Scenario, SourceLocation, Spanned, SpannedMap, Step};
use crate::secret::Redactor;
use crate::template::{Rendered, TemplateError, Vars};

use super::event::Event;
use super::result::{
    Phase, RequestRecord, ResponseRecord, ScenarioResult, SnapshotStatus, Status, StepError, StepResult,
};
use super::runner::Engine;

/// Caps a body excerpt in a failure report; `-v` shows more.
const EXCERPT_CHARS: usize = 600;
/// Caps a body in verbose results, so one huge response cannot flood a report.
const VERBOSE_BODY_CHARS: usize = 64 * 1024;
/// Caps nested `use` depth at run time; `check` reports cycles, this guards anyway.
const MAX_FLOW_DEPTH: usize = 16;

/// Returns true for names whose values are secret by default: tokens,
/// passwords, secrets and codes, so a forgotten `secrets:` entry leaks nothing.
#[must_use]
pub fn is_sensitive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "token",
        "password",
        "secret",
        "code",
        "apikey",
        "api_key",
        "authorization",
        "cookie",
    ]
    .iter()
    .any(|word| lower == *word || lower.ends_with(&format!("_{word}")) || lower.ends_with(word))
}

/// Carries the state of one scenario while it runs.
pub(super) struct ScenarioRun<'a> {
    engine: &'a Engine,
    index: usize,
    loaded: &'a LoadedScenario,
    events: UnboundedSender<Event>,
    redactor: Redactor,
    jar: CookieJar,
    /// Snapshot names taken so far, so two steps never write one file.
    snapshot_names: BTreeSet<String>,
}

/// Holds the variables of one scope: a scenario, or a flow it uses.
struct Scope {
    file: Arc<PathBuf>,
    vars: Vars,
    secret_names: BTreeSet<String>,
    depth: usize,
    /// Snapshot redactions the scenario (or flow) declares for all its steps.
    snapshot_redact: Vec<String>,
}

impl<'a> ScenarioRun<'a> {
    pub(super) fn new(
        engine: &'a Engine,
        index: usize,
        loaded: &'a LoadedScenario,
        events: UnboundedSender<Event>,
    ) -> Self {
        Self {
            engine,
            index,
            loaded,
            events,
            redactor: engine.base_redactor(),
            jar: CookieJar::new(),
            snapshot_names: BTreeSet::new(),
        }
    }

    pub(super) async fn run(mut self) {
        let started = Instant::now();
        let scenario = &self.loaded.scenario;
        // A send fails only when the receiver is gone, i.e. the run is over.
        let _ = self.events.send(Event::ScenarioStarted {
            index: self.index,
            name: scenario.name.value.clone(),
            file: self.loaded.file.as_ref().clone(),
        });
        if self.engine.config.interrupt.is_set() {
            // Never started: nothing to clean up, so not even `finally` runs.
            let result = ScenarioResult {
                name: scenario.name.value.clone(),
                file: self.loaded.file.as_ref().clone(),
                tags: scenario.tags.iter().map(|t| t.value.clone()).collect(),
                status: Status::Skipped,
                steps: Vec::new(),
                duration: started.elapsed(),
            };
            let _ = self.events.send(Event::ScenarioFinished {
                index: self.index,
                result: Box::new(result),
            });
            return;
        }
        let mut scope = Scope {
            file: Arc::clone(&self.loaded.file),
            vars: self.engine.config.vars.clone(),
            secret_names: self.engine.config.secret_vars.clone(),
            depth: 0,
            snapshot_redact: Vec::new(),
        };
        let steps = self.run_scenario_body(scenario, &mut scope, true).await;
        let status = steps.iter().map(|s| s.status).max().unwrap_or(Status::Passed);
        let status = if status == Status::Skipped {
            Status::Passed
        } else {
            status
        };
        let result = ScenarioResult {
            name: scenario.name.value.clone(),
            file: self.loaded.file.as_ref().clone(),
            tags: scenario.tags.iter().map(|t| t.value.clone()).collect(),
            status,
            steps,
            duration: started.elapsed(),
        };
        let _ = self.events.send(Event::ScenarioFinished {
            index: self.index,
            result: Box::new(result),
        });
    }

    /// Runs vars, steps and finally of `scenario` in `scope`; `top` emits events per step.
    async fn run_scenario_body(
        &mut self,
        scenario: &Scenario,
        scope: &mut Scope,
        top: bool,
    ) -> Vec<StepResult> {
        let mut results = Vec::new();
        for name in &scenario.secrets {
            scope.secret_names.insert(name.value.clone());
        }
        if let Some(defaults) = &scenario.snapshot {
            scope
                .snapshot_redact
                .extend(defaults.value.redact.iter().map(|r| r.value.clone()));
        }
        let mut blocked = self.declare_vars(scenario, scope).map(|failed| {
            self.finish(&mut results, failed, top);
            "a variable could not be rendered".to_owned()
        });
        for step in &scenario.steps {
            if blocked.is_none() && self.engine.config.interrupt.is_set() {
                blocked = Some("the run was interrupted".to_owned());
            }
            let result = match &blocked {
                Some(reason) => self.skipped(step, scope, Phase::Steps, reason),
                None => self.run_step(step, scope, Phase::Steps).await,
            };
            if blocked.is_none() && blocks_later_steps(&result) {
                blocked = Some(format!("step `{}` did not pass", result.name));
            }
            self.finish(&mut results, result, top);
        }
        for step in &scenario.finally {
            let result = self.run_step(step, scope, Phase::Finally).await;
            self.finish(&mut results, result, top);
        }
        results
    }

    fn finish(&self, results: &mut Vec<StepResult>, result: StepResult, top: bool) {
        if top {
            let _ = self.events.send(Event::StepFinished {
                index: self.index,
                step: Box::new(result.clone()),
            });
        }
        results.push(result);
    }

    /// Renders the scenario's `vars` in order; returns an errored result on failure.
    fn declare_vars(&mut self, scenario: &Scenario, scope: &mut Scope) -> Option<StepResult> {
        for (name, value) in &scenario.vars {
            match self.engine.templates.render_value(&value.value, &scope.vars) {
                Ok(rendered) => {
                    self.learn_secrets(&rendered);
                    self.bind(scope, &name.value, rendered.value, false);
                }
                Err(error) => {
                    let location = SourceLocation::of(&scope.file, value);
                    let mut result =
                        StepResult::new(format!("vars.{}", name.value), location.clone(), Phase::Steps);
                    result.status = Status::Errored;
                    result.error = Some(self.error(
                        "template",
                        &format!("in `vars.{}`: {error}", name.value),
                        location,
                    ));
                    return Some(result);
                }
            }
        }
        None
    }

    fn bind(&mut self, scope: &mut Scope, name: &str, value: Value, secret: bool) {
        if secret || scope.secret_names.contains(name) {
            // Declared secret: hidden whatever its length.
            self.redactor.add_declared_value(name, &value);
        } else if is_sensitive_name(name) {
            self.redactor.add_value(name, &value);
        }
        scope.vars.insert(name.to_owned(), value);
    }

    fn learn_secrets<T>(&mut self, rendered: &Rendered<T>) {
        for (label, value) in &rendered.secrets {
            self.redactor.add(label, value);
        }
    }

    fn error(&self, kind: &'static str, message: &str, location: SourceLocation) -> StepError {
        StepError {
            kind,
            message: self.redactor.redact(message).into_owned(),
            location: Some(location),
        }
    }

    fn skipped(&self, step: &Spanned<Step>, scope: &Scope, phase: Phase, reason: &str) -> StepResult {
        let mut result = StepResult::new(
            step_name(&step.value),
            SourceLocation::of(&scope.file, step),
            phase,
        );
        result.status = Status::Skipped;
        result.skip_reason = Some(reason.to_owned());
        result
    }

    /// Runs one step (a request or a `use`), retries included.
    async fn run_step(&mut self, step: &Spanned<Step>, scope: &mut Scope, phase: Phase) -> StepResult {
        let started = Instant::now();
        let location = SourceLocation::of(&scope.file, step);
        let mut result = StepResult::new(step_name(&step.value), location.clone(), phase);
        if let Some(condition) = &step.value.condition {
            match self
                .engine
                .templates
                .eval_condition(&condition.value, &scope.vars)
            {
                Ok(true) => {}
                Ok(false) => {
                    result.status = Status::Skipped;
                    result.skip_reason = Some(format!("condition `{}` is false", condition.value.trim()));
                    return result;
                }
                Err(error) => {
                    result.status = Status::Errored;
                    let at = SourceLocation::of(&scope.file, condition);
                    result.error = Some(self.error("template", &format!("in `if`: {error}"), at));
                    return result;
                }
            }
        }
        if let Some(use_path) = &step.value.use_flow {
            Box::pin(self.run_flow(step, use_path, scope, &mut result)).await;
        } else if let Some(ask) = &step.value.ask {
            self.run_ask(ask, scope, &mut result).await;
        } else {
            self.run_request(step, scope, &mut result).await;
        }
        result.duration = started.elapsed();
        result
    }

    async fn run_request(&mut self, step: &Spanned<Step>, scope: &mut Scope, result: &mut StepResult) {
        let spec = match self.build_request(&step.value, scope) {
            Ok((spec, not_before)) => {
                wait_until(not_before).await;
                spec
            }
            Err((message, location)) => {
                result.status = Status::Errored;
                result.error = Some(self.error("template", &message, location));
                return;
            }
        };
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
                self.learn_response_secrets(response);
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
            wait = policy.max_interval.map_or(wait.mul_f64(policy.backoff), |cap| {
                wait.mul_f64(policy.backoff).min(cap)
            });
        }
        let cookie = outcome.cookie.clone();
        result.curl = Some(
            self.redactor
                .redact(&crate::http::to_curl(&spec, cookie.as_deref()))
                .into_owned(),
        );
        match outcome.response {
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
            }
            Ok(response) => {
                self.capture(&step.value, scope, &response, result);
                if result.error.is_none() {
                    result.error = outcome
                        .body_error
                        .map(|m| self.error("body", &m, result.location.clone()));
                }
                if let Some(snapshot) = step.value.snapshot.as_ref().filter(|s| s.value.enabled) {
                    self.snapshot(&snapshot.value, &spec, &response, scope, result)
                        .await;
                }
                self.record_response(&response, result);
            }
        }
        result.assertions = outcome
            .assertions
            .into_iter()
            .map(|mut a| {
                a.expected = self.redactor.redact(&a.expected).into_owned();
                a.actual = self.redactor.redact(&a.actual).into_owned();
                a.message = a.message.map(|m| self.redactor.redact(&m).into_owned());
                a
            })
            .collect();
        result.request = Some(self.record_request(&spec, cookie.as_deref()));
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
    }

    async fn attempt(
        &self,
        spec: &RequestSpec,
        step: &Step,
        scope: &Scope,
        phase: Phase,
        at: &SourceLocation,
    ) -> Attempt {
        let expect = step.expect.as_ref().map(|e| &e.value);
        // What the jar sends now, not what the response will set, is what reports show.
        let cookie = self.jar.header_for(&spec.url);
        let send = async {
            let received = self.engine.http.send(spec, &self.jar).await?;
            Ok(Response::new(
                received.status,
                received.headers,
                received.body,
                received.elapsed,
            ))
        };
        // Ctrl-C cuts a regular step's request short; `finally` requests (log out) complete.
        let response = if phase == Phase::Finally {
            send.await
        } else {
            tokio::select! {
                response = send => response,
                () = interrupted(&self.engine.config.interrupt) => Err(HttpError::Transport("interrupted (Ctrl-C)".to_owned())),
            }
        };
        let mut attempt = Attempt {
            response,
            assertions: Vec::new(),
            body_error: None,
            cookie,
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
            attempt.body_error = Some(format!(
                "expected a JSON body ({content_type}): {reason}; the body starts with: {}",
                excerpt(&response.text(), 120).0
            ));
        }
        // Expectations may read the step's own captures (`check` allows it), so
        // evaluate them over the variables as they will be after capturing.
        let mut vars = std::borrow::Cow::Borrowed(&scope.vars);
        for (name, entry) in &step.capture {
            if let Ok(value) = check::eval_capture(&entry.value.0, response) {
                vars.to_mut().insert(name.value.clone(), value);
            }
        }
        let templates = &self.engine.templates;
        let mut render = |value: &Value| -> Result<Value, String> {
            templates
                .render_value(value, &vars)
                .map(|r| r.value)
                .map_err(|e| e.message)
        };
        attempt.assertions = check::eval_expect(expect, response, &scope.file, &mut render);
        if attempt.body_error.is_some() {
            // The step error already says the body is not JSON; per-path failures would only repeat it.
            attempt.assertions.retain(|a| !a.subject.starts_with("body"));
        }
        attempt
    }

    fn capture(&mut self, step: &Step, scope: &mut Scope, response: &Response, result: &mut StepResult) {
        for (name, entry) in &step.capture {
            match check::eval_capture(&entry.value.0, response) {
                Ok(value) => {
                    // Cookies are credentials: a captured one is secret like any token.
                    let secret = entry.value.0.secret || entry.value.0.cookie.is_some();
                    self.bind(scope, &name.value, value.clone(), secret);
                    let shown = self.redactor.redact(&compact(&value)).into_owned();
                    result.captures.push((name.value.clone(), shown));
                }
                Err(error) => {
                    let at = SourceLocation::of(&scope.file, entry);
                    let message = format!("capture `{}`: {error}", name.value);
                    result
                        .error
                        .get_or_insert_with(|| self.error("capture", &message, at));
                }
            }
        }
    }

    /// Compares the redacted response with the step's stored snapshot.
    async fn snapshot(
        &mut self,
        settings: &crate::model::SnapshotSpec,
        spec: &RequestSpec,
        response: &Response,
        scope: &Scope,
        result: &mut StepResult,
    ) {
        let Some(store) = self.engine.config.snapshots.clone() else {
            return;
        };
        let paths: Vec<&str> = self
            .engine
            .config
            .snapshot_redactions
            .iter()
            .chain(&scope.snapshot_redact)
            .map(String::as_str)
            .chain(settings.redact.iter().map(|r| r.value.as_str()))
            .collect();
        let body = match snapshot_body(response, &paths, settings, &self.redactor) {
            Ok(body) => body,
            Err(message) => {
                result
                    .error
                    .get_or_insert_with(|| self.error("snapshot", &message, result.location.clone()));
                return;
            }
        };
        let stem = snapshot_stem(&self.loaded.file);
        let mut name = crate::snapshot::snapshot_name(&stem, &result.name, self.step_number());
        let base = name.clone();
        let mut n = 2;
        while !self.snapshot_names.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        let source = relative_source(&self.engine.config.root, &self.loaded.file);
        let path = self.redactor.redact(spec.url.path()).into_owned();
        let record = crate::snapshot::SnapshotRecord {
            name,
            source,
            description: format!("{} / {}", self.loaded.scenario.name.value, result.name),
            info: crate::snapshot::request_info(&spec.method, &path, response.status),
            body,
        };
        // The store does blocking file I/O; keep it off the async workers.
        match tokio::task::spawn_blocking(move || store.check(&record)).await {
            Ok(Ok(report)) => result.snapshot = Some(report),
            Ok(Err(error)) => {
                result.error.get_or_insert_with(|| {
                    self.error("snapshot", &error.to_string(), result.location.clone())
                });
            }
            Err(error) => {
                result.error.get_or_insert_with(|| {
                    self.error("snapshot", &error.to_string(), result.location.clone())
                });
            }
        }
    }

    fn step_number(&self) -> usize {
        self.snapshot_names.len() + 1
    }

    fn record_request(&self, spec: &RequestSpec, cookie: Option<&str>) -> RequestRecord {
        let redact = |text: &str| self.redactor.redact(text).into_owned();
        let mut headers: Vec<(String, String)> = spec
            .effective_headers()
            .into_iter()
            .map(|(k, v)| (k, redact(&v)))
            .collect();
        if let Some(cookie) = cookie {
            headers.push(("cookie".to_owned(), redact(cookie)));
        }
        // Verbose output is read whole, so JSON is indented; otherwise it stays compact.
        let body = spec.body.as_ref().map(|body| match body {
            RequestBody::Json(json) if self.engine.config.verbose => {
                serde_json::to_string_pretty(json).unwrap_or_else(|_| body.to_text())
            }
            _ => body.to_text(),
        });
        RequestRecord {
            method: spec.method.clone(),
            url: redact(spec.url.as_str()),
            headers,
            body: body.map(|b| redact(&b)),
        }
    }

    fn record_response(&self, response: &Response, result: &mut StepResult) {
        let verbose = self.engine.config.verbose;
        let limit = if verbose {
            VERBOSE_BODY_CHARS
        } else {
            EXCERPT_CHARS
        };
        // Verbose output is read whole, so JSON is indented; an excerpt stays compact.
        let text = match response.json() {
            Ok(json) if verbose => {
                serde_json::to_string_pretty(&json).unwrap_or_else(|_| response.text().into_owned())
            }
            _ => response.text().into_owned(),
        };
        let text = self.redactor.redact(&text).into_owned();
        let (body, body_truncated) = excerpt(&text, limit);
        result.response = Some(ResponseRecord {
            status: response.status,
            headers: response
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), self.redactor.redact(v).into_owned()))
                .collect(),
            body,
            body_truncated,
        });
    }

    /// Renders a step's request; errors carry the location of the failing node.
    fn build_request(
        &mut self,
        step: &Step,
        scope: &Scope,
    ) -> Result<(RequestSpec, Option<SystemTime>), (String, SourceLocation)> {
        let Some((method, target)) = step.request_target() else {
            let at = scope.file.as_ref().clone();
            return Err((
                "the step has no request (get, post, ...) and no `use`".to_owned(),
                SourceLocation::file_only(&at),
            ));
        };
        let mut not_before = None;
        let file = Arc::clone(&scope.file);
        let path = self
            .render_text(&target.value, scope, &mut not_before)
            .map_err(|e| (format!("in the URL: {e}"), SourceLocation::of(&file, target)))?;
        let mut url = join_url(&self.engine.config.target, &path)
            .map_err(|e| (e, SourceLocation::of(&file, target)))?;
        for (name, value) in &step.query {
            let rendered = self.render(&value.value, scope, &mut not_before).map_err(|e| {
                (
                    format!("in query `{}`: {e}", name.value),
                    SourceLocation::of(&file, value),
                )
            })?;
            if is_sensitive_name(&name.value) {
                self.redactor.add_value(&name.value, &rendered);
            }
            for text in as_strings(&rendered) {
                url.query_pairs_mut().append_pair(&name.value, &text);
            }
        }
        let mut headers = Vec::new();
        for (name, value) in &step.headers {
            let rendered = self.render(&value.value, scope, &mut not_before).map_err(|e| {
                (
                    format!("in header `{}`: {e}", name.value),
                    SourceLocation::of(&file, value),
                )
            })?;
            if is_sensitive_name(&name.value) {
                self.redactor.add_value(&name.value, &rendered);
            }
            for text in as_strings(&rendered) {
                headers.push((name.value.clone(), text));
            }
        }
        let body = if let Some(json) = &step.json {
            let rendered = self
                .render(&json.value, scope, &mut not_before)
                .map_err(|e| (format!("in `json`: {e}"), SourceLocation::of(&file, json)))?;
            self.learn_sensitive_fields(&rendered);
            Some(RequestBody::Json(rendered))
        } else if let Some(form) = &step.form {
            Some(RequestBody::Form(self.render_pairs(
                form,
                scope,
                &mut not_before,
            )?))
        } else if let Some(raw) = &step.body {
            Some(RequestBody::Raw(
                self.render_text(&raw.value, scope, &mut not_before)
                    .map_err(|e| (format!("in `body`: {e}"), SourceLocation::of(&file, raw)))?,
            ))
        } else {
            None
        };
        let timeout = match &step.timeout {
            None => None,
            Some(node) => {
                let at = || SourceLocation::of(&file, node);
                let text = self
                    .render_text(&node.value, scope, &mut not_before)
                    .map_err(|e| (format!("in `timeout`: {e}"), at()))?;
                let duration = humantime::parse_duration(text.trim()).map_err(|e| {
                    (
                        format!(
                            "`timeout` is `{text}`, which is not a duration ({e}); write e.g. 5s or 750ms"
                        ),
                        at(),
                    )
                })?;
                Some(duration)
            }
        };
        let spec = RequestSpec {
            method: method.as_str().to_owned(),
            url,
            headers,
            body,
            timeout,
            follow_redirects: step.follow_redirects.unwrap_or(false),
        };
        Ok((spec, not_before))
    }

    fn render_pairs(
        &mut self,
        map: &SpannedMap<Value>,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Vec<(String, String)>, (String, SourceLocation)> {
        let mut pairs = Vec::new();
        for (name, value) in map {
            let rendered = self.render(&value.value, scope, not_before).map_err(|e| {
                (
                    format!("in form field `{}`: {e}", name.value),
                    SourceLocation::of(&scope.file, value),
                )
            })?;
            if is_sensitive_name(&name.value) {
                self.redactor.add_value(&name.value, &rendered);
            }
            pairs.extend(
                as_strings(&rendered)
                    .into_iter()
                    .map(|text| (name.value.clone(), text)),
            );
        }
        Ok(pairs)
    }

    /// Registers what a response reveals that must not be printed: every cookie
    /// value it sets (sessions, API keys), and JSON fields named like a token,
    /// password or code, even when no capture asks for them.
    fn learn_response_secrets(&mut self, response: &Response) {
        for (name, value) in &response.headers {
            if name.eq_ignore_ascii_case("set-cookie")
                && let Some((cookie, rest)) = value.split_once('=')
            {
                let cookie_value = rest
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .trim_matches('"');
                self.redactor.add(cookie.trim(), cookie_value);
            }
        }
        if let Ok(json) = response.json() {
            self.learn_sensitive_fields(json);
        }
    }

    /// Registers values of sensitive-looking JSON fields (`password`, `code`...) as secrets.
    fn learn_sensitive_fields(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    if is_sensitive_name(key) && !inner.is_object() && !inner.is_array() {
                        self.redactor.add_value(key, inner);
                    } else {
                        self.learn_sensitive_fields(inner);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.learn_sensitive_fields(v)),
            _ => {}
        }
    }

    fn render(
        &mut self,
        value: &Value,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Value, TemplateError> {
        let rendered = self.engine.templates.render_value(value, &scope.vars)?;
        self.learn_secrets(&rendered);
        *not_before = later(*not_before, rendered.not_before);
        Ok(rendered.value)
    }

    fn render_text(
        &mut self,
        text: &str,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<String, TemplateError> {
        let rendered = self.engine.templates.render_str(text, &scope.vars)?;
        self.learn_secrets(&rendered);
        *not_before = later(*not_before, rendered.not_before);
        Ok(rendered.value)
    }

    /// Sets a variable from an environment variable, else from the prompter.
    async fn run_ask(
        &mut self,
        ask: &Spanned<crate::model::Ask>,
        scope: &mut Scope,
        result: &mut StepResult,
    ) {
        let ask_spec = &ask.value;
        let var = ask_spec.var.value.clone();
        let mut not_before = None;
        let env_name = match &ask_spec.env {
            Some(name) => match self.render_text(&name.value, scope, &mut not_before) {
                Ok(rendered) => Some(rendered.trim().to_owned()).filter(|n| !n.is_empty()),
                Err(error) => {
                    result.status = Status::Errored;
                    let at = SourceLocation::of(&scope.file, name);
                    result.error = Some(self.error("template", &format!("in `env`: {error}"), at));
                    return;
                }
            },
            None => None,
        };
        let from_env = env_name
            .as_ref()
            .and_then(|name| self.engine.config.env.get(name))
            .filter(|value| !value.trim().is_empty())
            .map(|value| value.trim().to_owned());
        let answer = match from_env {
            Some(value) => Ok(value),
            None => {
                let prompt = match self.render_text(&ask_spec.prompt.value, scope, &mut not_before) {
                    Ok(prompt) => prompt,
                    Err(error) => {
                        result.status = Status::Errored;
                        let at = SourceLocation::of(&scope.file, &ask_spec.prompt);
                        result.error = Some(self.error("template", &format!("in `prompt`: {error}"), at));
                        return;
                    }
                };
                let prompter = std::sync::Arc::clone(&self.engine.config.prompter);
                let secret = ask_spec.secret;
                // Reading a terminal blocks; keep it off the async workers.
                match tokio::task::spawn_blocking(move || prompter.ask(&prompt, secret)).await {
                    Ok(answer) => answer.map(|a| a.trim().to_owned()),
                    Err(error) => Err(error.to_string()),
                }
            }
        };
        match answer {
            Ok(value) => {
                self.bind(scope, &var, Value::String(value.clone()), ask_spec.secret);
                result
                    .captures
                    .push((var, self.redactor.redact(&value).into_owned()));
            }
            Err(reason) => {
                result.status = Status::Errored;
                let hint = env_name.as_ref().map_or_else(
                    || "add `env:` naming an environment variable that can supply it".to_owned(),
                    |name| format!("set the environment variable `{name}`"),
                );
                let message =
                    format!("could not get a value for `{var}`: {reason}; for unattended runs, {hint}");
                result.error = Some(self.error("ask", &message, SourceLocation::of(&scope.file, ask)));
            }
        }
    }

    /// Runs a reusable flow in its own scope and brings its outputs back.
    async fn run_flow(
        &mut self,
        step: &Spanned<Step>,
        use_path: &Spanned<String>,
        scope: &mut Scope,
        result: &mut StepResult,
    ) {
        let at = SourceLocation::of(&scope.file, use_path);
        let flow = match self.engine.flow(&scope.file, &use_path.value) {
            Some(flow) if scope.depth < MAX_FLOW_DEPTH => flow,
            Some(_) => {
                result.status = Status::Errored;
                result.error =
                    Some(self.error("flow", "flows are nested too deeply (is there a cycle?)", at));
                return;
            }
            None => {
                result.status = Status::Errored;
                let message = format!(
                    "flow `{}` was not loaded; run `scenario check` for details",
                    use_path.value
                );
                result.error = Some(self.error("flow", &message, at));
                return;
            }
        };
        let mut inner = Scope {
            file: Arc::clone(&flow.file),
            vars: self.engine.config.vars.clone(),
            secret_names: self.engine.config.secret_vars.clone(),
            depth: scope.depth + 1,
            snapshot_redact: Vec::new(),
        };
        let inputs = flow.scenario.inputs.clone().unwrap_or_default();
        for (name, value) in &step.value.with {
            let mut not_before = None;
            match self.render(&value.value, scope, &mut not_before) {
                Ok(rendered) => {
                    let secret = scope.secret_names.contains(&name.value)
                        || inputs
                            .iter()
                            .any(|(k, v)| k.value == name.value && v.value.secret);
                    if secret {
                        inner.secret_names.insert(name.value.clone());
                    }
                    self.bind(&mut inner, &name.value, rendered, secret);
                }
                Err(error) => {
                    result.status = Status::Errored;
                    let message = format!("in `with.{}`: {error}", name.value);
                    result.error =
                        Some(self.error("template", &message, SourceLocation::of(&scope.file, value)));
                    return;
                }
            }
        }
        for (name, input) in &inputs {
            if inner.vars.contains_key(&name.value) && step.value.with.keys().any(|k| k.value == name.value) {
                continue;
            }
            match &input.value.default {
                Some(default) => {
                    let mut not_before = None;
                    match self.render(default, &inner, &mut not_before) {
                        Ok(value) => self.bind(&mut inner, &name.value, value, input.value.secret),
                        Err(error) => {
                            result.status = Status::Errored;
                            let message = format!("in the default of input `{}`: {error}", name.value);
                            result.error =
                                Some(self.error("template", &message, SourceLocation::of(&flow.file, input)));
                            return;
                        }
                    }
                }
                None => {
                    result.status = Status::Errored;
                    let message = format!(
                        "flow `{}` needs input `{}`; add it under `with:`",
                        use_path.value, name.value
                    );
                    result.error = Some(self.error("flow", &message, at.clone()));
                    return;
                }
            }
        }
        result.children = Box::pin(self.run_scenario_body(&flow.scenario, &mut inner, false)).await;
        let worst = result
            .children
            .iter()
            .map(|c| c.status)
            .max()
            .unwrap_or(Status::Passed);
        result.status = if worst == Status::Skipped {
            Status::Passed
        } else {
            worst
        };
        let wanted: Vec<&Spanned<String>> = match (&step.value.outputs, &flow.scenario.outputs) {
            (Some(selected), _) => selected.iter().collect(),
            (None, Some(all)) => all.iter().collect(),
            (None, None) => Vec::new(),
        };
        for name in wanted {
            match inner.vars.get(&name.value) {
                Some(value) => {
                    let secret = inner.secret_names.contains(&name.value);
                    if secret {
                        scope.secret_names.insert(name.value.clone());
                    }
                    self.bind(scope, &name.value, value.clone(), secret);
                }
                // A failed flow may not have produced its outputs: the failure already
                // explains why; a passed one that did not is a flow bug worth naming.
                None if result.status == Status::Passed => {
                    result.status = Status::Errored;
                    let message = format!("flow `{}` did not define output `{}`", use_path.value, name.value);
                    result.error = Some(self.error("flow", &message, SourceLocation::of(&scope.file, name)));
                }
                None => {}
            }
        }
    }
}

/// Tells whether a step's outcome must skip the steps after it. A snapshot
/// that is new or changed fails the step but does not stop the flow, so one
/// run records every snapshot of a scenario instead of one per run.
fn blocks_later_steps(result: &StepResult) -> bool {
    match result.status {
        Status::Passed | Status::Skipped => false,
        Status::Errored => true,
        Status::Failed if !result.children.is_empty() => result.children.iter().any(blocks_later_steps),
        Status::Failed => result.error.is_some() || result.assertions.iter().any(|a| !a.passed),
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
    }
}

/// Builds the text a snapshot stores: the JSON body (pretty, sorted keys) with
/// `paths` redacted and secrets removed, or the text body; with `include`,
/// the status and headers too.
fn snapshot_body(
    response: &Response,
    paths: &[&str],
    settings: &crate::model::SnapshotSpec,
    redactor: &Redactor,
) -> Result<String, String> {
    let queries = paths
        .iter()
        .map(|p| check::JsonPathQuery::parse(p).map_err(|e| format!("snapshot redaction: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let body = match response.json() {
        Ok(json) => {
            let mut json = json.clone();
            check::redact_paths(&mut json, &queries);
            redactor.redact_json(&json)
        }
        Err(_) => Value::String(redactor.redact(&response.text()).into_owned()),
    };
    let includes: BTreeSet<&str> = settings.include.iter().map(|i| i.value.as_str()).collect();
    if includes.is_empty() {
        return Ok(match body {
            Value::String(text) => text,
            json => crate::snapshot::format_json_body(&json),
        });
    }
    let mut document = serde_json::Map::new();
    if includes.contains("status") {
        document.insert("status".to_owned(), Value::from(response.status));
    }
    if includes.contains("headers") {
        // Dates and lengths change on every response; they would make every run a mismatch.
        let volatile = ["date", "content-length", "set-cookie"];
        let headers: serde_json::Map<String, Value> = response
            .headers
            .iter()
            .filter(|(k, _)| !volatile.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), Value::String(redactor.redact(v).into_owned())))
            .collect();
        document.insert("headers".to_owned(), Value::Object(headers));
    }
    document.insert("body".to_owned(), body);
    Ok(crate::snapshot::format_json_body(&Value::Object(document)))
}

/// Names a scenario file's snapshots: its stem, prefixed by the folders it sits
/// in below `scenarios/`, so `scenarios/a/x.yaml` and `scenarios/b/x.yaml`
/// never share a snapshot (`a-x__...`, `b-x__...`).
#[must_use]
pub fn snapshot_stem(file: &std::path::Path) -> String {
    let mut parts: Vec<String> = file
        .parent()
        .into_iter()
        .flat_map(std::path::Path::components)
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.first().is_some_and(|first| first == "scenarios") {
        parts.remove(0);
    }
    parts.extend(file.file_stem().map(|s| s.to_string_lossy().into_owned()));
    parts.join("-")
}

/// Returns `file` relative to `root` with forward slashes, for snapshot headers.
fn relative_source(root: &std::path::Path, file: &std::path::Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Holds what one attempt of a step came to.
struct Attempt {
    response: Result<Response, HttpError>,
    assertions: Vec<check::AssertionResult>,
    body_error: Option<String>,
    /// The `Cookie` header the request went out with.
    cookie: Option<String>,
}

impl Attempt {
    fn passed(&self) -> bool {
        self.response.is_ok() && self.body_error.is_none() && self.assertions.iter().all(|a| a.passed)
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
}

/// Names a step: its `name`, else its request line, else its `use`.
#[must_use]
pub fn step_name(step: &Step) -> String {
    if let Some(name) = &step.name {
        return name.value.clone();
    }
    if let Some((method, target)) = step.request_target() {
        return format!("{method} {}", target.value);
    }
    if let Some(ask) = &step.ask {
        return format!("ask {}", ask.value.var.value);
    }
    step.use_flow
        .as_ref()
        .map_or_else(|| "(unnamed step)".to_owned(), |u| format!("use {}", u.value))
}

/// Joins a step path to the target base, keeping the base's own path prefix
/// (`/api/v1` + `/login` is `/api/v1/login`, unlike `Url::join`).
fn join_url(base: &str, path: &str) -> Result<Url, String> {
    let path = path.trim();
    if path.starts_with("http://") || path.starts_with("https://") {
        return Url::parse(path).map_err(|e| format!("invalid URL `{path}`: {e}"));
    }
    if base.is_empty() {
        return Err(format!(
            "`{path}` is relative, but no target is set; use --target or --env"
        ));
    }
    let joined = format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'));
    Url::parse(&joined).map_err(|e| format!("invalid URL `{joined}`: {e}"))
}

/// Turns a rendered query/header/form value into the strings to send.
fn as_strings(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(as_strings).collect(),
        other => vec![other.to_string()],
    }
}

fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Cuts `text` to `limit` characters, never inside a character.
fn excerpt(text: &str, limit: usize) -> (String, bool) {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => (format!("{}...", &text[..cut]), true),
        None => (text.to_owned(), false),
    }
}

fn later(a: Option<SystemTime>, b: Option<SystemTime>) -> Option<SystemTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Resolves once the run is interrupted; polled, since Ctrl-C only sets a flag.
async fn interrupted(interrupt: &crate::engine::Interrupt) {
    while !interrupt.is_set() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_until(instant: Option<SystemTime>) {
    if let Some(wait) = instant.and_then(|i| i.duration_since(SystemTime::now()).ok()) {
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn joins_paths_under_the_base_prefix() {
        assert_eq!(
            join_url("http://h/api/v1", "/login").unwrap().as_str(),
            "http://h/api/v1/login"
        );
        assert_eq!(
            join_url("http://h/api/v1/", "login?x=1").unwrap().as_str(),
            "http://h/api/v1/login?x=1"
        );
        assert_eq!(
            join_url("http://h/api/v1", "https://o/x").unwrap().as_str(),
            "https://o/x"
        );
        assert!(join_url("", "/login").unwrap_err().contains("--target"));
    }

    #[test]
    fn sensitive_names_cover_tokens_passwords_and_codes() {
        for name in [
            "token",
            "sessionToken",
            "password",
            "totp_secret",
            "code",
            "recoveryCode",
            "mfa_code",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in ["name", "tenant", "from", "size", "factor"] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }

    #[test]
    fn values_become_strings_for_the_wire() {
        assert_eq!(as_strings(&json!(["a", 1, true])), vec!["a", "1", "true"]);
        assert!(as_strings(&Value::Null).is_empty());
    }

    #[test]
    fn excerpts_cut_on_character_boundaries() {
        assert_eq!(excerpt("žluťoučký", 3), ("žlu...".to_owned(), true));
        assert_eq!(excerpt("ab", 3), ("ab".to_owned(), false));
    }

    #[test]
    fn snapshot_stems_keep_folders_below_scenarios_apart() {
        use std::path::Path;
        assert_eq!(
            snapshot_stem(Path::new("scenarios/password-login.yaml")),
            "password-login"
        );
        assert_eq!(snapshot_stem(Path::new("scenarios/a/x.yaml")), "a-x");
        assert_eq!(snapshot_stem(Path::new("scenarios/b/x.yaml")), "b-x");
        assert_eq!(snapshot_stem(Path::new("./other/x.yml")), "other-x");
        assert_eq!(snapshot_stem(Path::new("x.yaml")), "x");
    }

    #[test]
    fn retry_defaults_to_one_attempt() {
        let policy = RetryPolicy::of(&Step::default());
        assert_eq!(policy.attempts, 1);
    }
}

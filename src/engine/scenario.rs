//! Runs one scenario: owns [`ScenarioRun`] (the state of one running
//! scenario), the step loop (vars, steps in order, skipping after a failure,
//! interruption, `finally`), a step's `if` and its rendered, redacted name,
//! and the primitives every step kind uses: binding a variable, rendering a
//! template, building a redacted error.
//!
//! Each kind of step (request, `ask`, `use`) and each part of a request step
//! (building, attempts, retries, snapshots) lives in its own file, which adds
//! methods to [`ScenarioRun`]; this file must not use those files. Must not
//! touch the terminal, clap, JUnit or axum.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::http::Sessions;
use crate::model::load::LoadedScenario;
use crate::model::{Scenario, SourceLocation, Spanned, Step};
use crate::secret::Redactor;
use crate::template::{Printed, Rendered, TemplateError, TotpWait};

use super::event::Event;
use super::handle::Engine;
use super::result::{Phase, ScenarioResult, Status, StepError, StepResult};
use super::scope::Scope;
use crate::secret::is_sensitive_name;

/// Carries the state of one scenario while it runs.
pub(super) struct ScenarioRun<'a> {
    pub(super) engine: &'a Engine,
    pub(super) index: usize,
    pub(super) loaded: &'a LoadedScenario,
    events: UnboundedSender<Event>,
    pub(super) redactor: Redactor,
    /// The cookie jars of the scenario's sessions.
    pub(super) sessions: Sessions,
    /// Snapshot names taken so far, so two steps never write one file.
    pub(super) snapshot_names: BTreeSet<String>,
    /// Pool values this scenario took, and whether each is settled yet.
    pub(super) taken: Vec<TakenValue>,
    /// Why the next request must wait (TOTP codes of later windows), until it does.
    pub(super) waits: Vec<TotpWait>,
}

/// Records a pool value a scenario took.
#[derive(Debug, Clone)]
pub(super) struct TakenValue {
    pub(super) pool: String,
    pub(super) value: String,
    /// Whether a request carried it and its use was recorded.
    pub(super) settled: bool,
}

impl<'a> ScenarioRun<'a> {
    /// Prepares scenario number `index` of the plan to run, sending events to `events`.
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
            sessions: Sessions::new(),
            snapshot_names: BTreeSet::new(),
            taken: Vec::new(),
            waits: Vec::new(),
        }
    }

    /// Runs the scenario and sends its start, its steps and its result.
    pub(super) async fn run(mut self) {
        let started = Instant::now();
        let scenario = &self.loaded.scenario;
        let id = self.loaded.id();
        // A send fails only when the receiver is gone, i.e. the run is over.
        let _ = self.events.send(Event::ScenarioStarted {
            index: self.index,
            name: id.clone(),
            file: self.loaded.file.as_ref().clone(),
        });
        if self.engine.config.interrupt.is_set() {
            // Never started: nothing to clean up, so not even `finally` runs.
            let result = ScenarioResult::not_started(
                id,
                self.loaded.file.as_ref().clone(),
                scenario.tags.iter().map(|t| t.value.clone()).collect(),
                super::hooks::Interrupt::NOT_STARTED.to_owned(),
            );
            let _ = self.events.send(Event::ScenarioFinished {
                index: self.index,
                result: Arc::new(result),
            });
            return;
        }
        let mut scope = Scope::new(Arc::clone(&self.loaded.file), &self.engine.config, 0);
        self.bind_case(scenario, &mut scope);
        let steps = self.run_scenario_body(scenario, &mut scope, true).await;
        self.return_unsent_values();
        let status = overall_status(&steps);
        let result = ScenarioResult {
            name: id,
            file: self.loaded.file.as_ref().clone(),
            tags: scenario.tags.iter().map(|t| t.value.clone()).collect(),
            status,
            steps,
            duration: started.elapsed(),
            ..ScenarioResult::default()
        };
        let _ = self.events.send(Event::ScenarioFinished {
            index: self.index,
            result: Arc::new(result),
        });
    }

    /// Runs vars, steps and finally of `scenario` in `scope`; `top` emits events per step.
    pub(super) async fn run_scenario_body(
        &mut self,
        scenario: &Scenario,
        scope: &mut Scope,
        top: bool,
    ) -> Vec<Arc<StepResult>> {
        let mut results = Vec::new();
        for name in &scenario.secrets {
            scope.secret_names.insert(name.value.clone());
        }
        if let Some(cookie_jar) = scenario.cookie_jar {
            scope.cookie_jar = cookie_jar;
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

    /// Sends an event about this scenario as it happens.
    pub(super) fn notify(&self, event: Event) {
        let _ = self.events.send(event);
    }

    /// Keeps a step's result, and with `top` reports it as finished.
    fn finish(&self, results: &mut Vec<Arc<StepResult>>, result: StepResult, top: bool) {
        // Shared with the event, not copied: reporters and the result hold one step.
        let result = Arc::new(result);
        if top {
            let _ = self.events.send(Event::StepFinished {
                index: self.index,
                step: Arc::clone(&result),
            });
        }
        results.push(result);
    }

    /// Gives the variables of the scenario's matrix combination their values,
    /// before its own `vars` (which may use them) and with its `secrets:`
    /// already known, so a secret column is redacted from the start.
    fn bind_case(&mut self, scenario: &Scenario, scope: &mut Scope) {
        let Some(case) = self.loaded.case.clone() else {
            return;
        };
        for name in &scenario.secrets {
            scope.secret_names.insert(name.value.clone());
        }
        for (name, value) in &case.vars {
            self.bind(scope, name, value.clone(), false);
        }
    }

    /// Renders the scenario's `vars` in order; returns an errored result on failure.
    fn declare_vars(&mut self, scenario: &Scenario, scope: &mut Scope) -> Option<StepResult> {
        for (name, value) in &scenario.vars {
            match self.engine.templates.render_value(&value.value, &scope.vars) {
                Ok(rendered) => {
                    self.learn_secrets(&rendered, scope);
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

    /// Sets a variable in `scope`, registering its value as secret when it is
    /// declared secret (`secret` or `secrets:`) or named like one.
    pub(super) fn bind(&mut self, scope: &mut Scope, name: &str, value: Value, secret: bool) {
        if secret || scope.secret_names.contains(name) {
            // Declared secret: hidden whatever its length.
            self.redactor.add_declared_value(name, &value);
        } else if is_sensitive_name(name) {
            self.redactor.add_value(name, &value);
        }
        scope.vars.insert(name.to_owned(), value);
    }

    /// Registers what a rendered template drew on: the secrets to redact,
    /// the pool values it took, and why the request must wait.
    ///
    /// What a template printed from a secret variable is secret too, through
    /// any filter (`upper`, `urlencode`, `base64_encode`, `'a' ~ password`),
    /// so no transform prints a secret in a form redaction does not know.
    fn learn_secrets<T>(&mut self, rendered: &Rendered<T>, scope: &Scope) {
        for (label, value) in &rendered.secrets {
            self.redactor.add(label, value);
        }
        self.learn_printed(&rendered.printed, scope);
        self.taken
            .extend(rendered.taken.iter().map(|(pool, value)| TakenValue {
                pool: pool.clone(),
                value: value.clone(),
                settled: false,
            }));
        self.waits.extend(rendered.waits.iter().copied());
    }

    /// Registers as secret what templates printed from a secret variable.
    ///
    /// A template that reads a secret may print plain values too (`Log in
    /// as {{ user }} with {{ password }}`): an output that is exactly the
    /// value of a plain variable it reads stays plain.
    pub(super) fn learn_printed(&mut self, printed: &[Printed], scope: &Scope) {
        for (name, value) in self.derived_secrets(printed, scope) {
            self.redactor.add(&name, &value);
        }
    }

    /// Returns what templates printed from a secret variable, each with the
    /// secret's name: every such output that is not plainly a plain value,
    /// and their concatenation when a secret was printed a few characters
    /// at a time (a loop over its letters).
    pub(super) fn derived_secrets(&self, printed: &[Printed], scope: &Scope) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for printed in printed {
            let (secret, plain): (Vec<&String>, Vec<&String>) = printed
                .reads
                .iter()
                .partition(|name| self.is_secret_var(scope, name));
            let Some(source) = secret.first().map(|name| (*name).clone()) else {
                continue;
            };
            let plain_texts: Vec<String> = plain
                .iter()
                .filter_map(|name| scope.vars.get(name.as_str()))
                .map(|value| match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect();
            let derived: Vec<&String> = printed
                .outputs
                .iter()
                .filter(|output| !plain_texts.contains(output) && !is_plain_word(output))
                .collect();
            if derived.iter().any(|output| output.chars().count() < 4) {
                let whole: String = derived.iter().map(|output| output.as_str()).collect();
                found.push((source.clone(), whole));
            }
            found.extend(derived.into_iter().map(|output| (source.clone(), output.clone())));
        }
        found
    }

    /// Tells whether the variable `name` holds a secret: declared, named like
    /// one, or holding a value already known to be secret.
    fn is_secret_var(&self, scope: &Scope, name: &str) -> bool {
        if scope.secret_names.contains(name) || is_sensitive_name(name) {
            return true;
        }
        scope.vars.get(name).is_some_and(|value| self.holds_secret(value))
    }

    /// Tells whether `value`, or any value inside it (a captured response's
    /// `login.token`), is a registered secret.
    fn holds_secret(&self, value: &Value) -> bool {
        match value {
            Value::String(text) => self.redactor.knows(text),
            Value::Number(number) => self.redactor.knows(&number.to_string()),
            Value::Array(items) => items.iter().any(|item| self.holds_secret(item)),
            Value::Object(map) => map.values().any(|item| self.holds_secret(item)),
            Value::Bool(_) | Value::Null => false,
        }
    }

    /// Builds a step error whose message is redacted.
    pub(super) fn error(&self, kind: &'static str, message: &str, location: SourceLocation) -> StepError {
        StepError {
            kind,
            message: self.redactor.redact(message).into_owned(),
            location: Some(location),
        }
    }

    /// Builds the result of a step that did not run, and why.
    fn skipped(&mut self, step: &Spanned<Step>, scope: &Scope, phase: Phase, reason: &str) -> StepResult {
        let name = self.display_name(&step.value, scope);
        let mut result = StepResult::new(name, SourceLocation::of(&scope.file, step), phase);
        result.status = Status::Skipped;
        result.skip_reason = Some(reason.to_owned());
        result
    }

    /// Runs one step (a request, an `ask` or a `use`), retries included.
    async fn run_step(&mut self, step: &Spanned<Step>, scope: &mut Scope, phase: Phase) -> StepResult {
        let started = Instant::now();
        let location = SourceLocation::of(&scope.file, step);
        let name = self.display_name(&step.value, scope);
        let mut result = StepResult::new(name, location.clone(), phase);
        if let Some(condition) = &step.value.condition {
            match self.judge_condition(&condition.value, scope) {
                Ok(None) => {}
                Ok(Some(reason)) => {
                    result.status = Status::Skipped;
                    result.skip_reason = Some(reason);
                    return result;
                }
                Err(message) => {
                    result.status = Status::Errored;
                    let at = SourceLocation::of(&scope.file, condition);
                    result.error = Some(self.error("template", &message, at));
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

    /// Names a step in reports: its `name` with templates rendered in `scope`
    /// and secrets redacted, or the name as written when it cannot be
    /// rendered yet (a skipped step whose variables were never set); steps
    /// without a name get their request line, `ask` or `use`.
    fn display_name(&mut self, step: &Step, scope: &Scope) -> String {
        let label = step_name(step);
        let Some(name) = step
            .name
            .as_ref()
            .filter(|n| n.value.contains("{{") || n.value.contains("{%"))
        else {
            return label;
        };
        match self.engine.templates.render_str(&name.value, &scope.vars) {
            Ok(rendered) => {
                self.learn_secrets(&rendered, scope);
                self.redactor.redact(&rendered.value).into_owned()
            }
            Err(_) => label,
        }
    }

    /// Renders a template value in `scope`, learning its secrets and the
    /// time before which the request must not go out.
    pub(super) fn render(
        &mut self,
        value: &Value,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Value, TemplateError> {
        let rendered = self.engine.templates.render_value(value, &scope.vars)?;
        self.learn_secrets(&rendered, scope);
        *not_before = later(*not_before, rendered.not_before);
        Ok(rendered.value)
    }

    /// Renders a template string in `scope`, learning its secrets and the
    /// time before which the request must not go out.
    pub(super) fn render_text(
        &mut self,
        text: &str,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<String, TemplateError> {
        let rendered = self.engine.templates.render_str(text, &scope.vars)?;
        self.learn_secrets(&rendered, scope);
        *not_before = later(*not_before, rendered.not_before);
        Ok(rendered.value)
    }
}

/// Tells whether a template's output is a word any template may print
/// (`true`, `none`), which a secret's test or default prints without
/// revealing anything: registering it would blank the word everywhere.
fn is_plain_word(output: &str) -> bool {
    ["true", "false", "null", "none", "None", "True", "False"].contains(&output)
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

/// Returns the status a run of steps comes to: the worst step's, but passed
/// when nothing worse than a skip happened (or no step ran).
pub(super) fn overall_status<S: std::borrow::Borrow<StepResult>>(steps: &[S]) -> Status {
    match steps.iter().map(|s| s.borrow().status).max() {
        None | Some(Status::Skipped) => Status::Passed,
        Some(worst) => worst,
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

/// Returns the later of two not-before times, either of which may be unset.
fn later(a: Option<SystemTime>, b: Option<SystemTime>) -> Option<SystemTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

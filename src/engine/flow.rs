//! Runs a `use` step: finds the flow, starts its own scope from `with`
//! inputs and input defaults (and the step's session and cookie jar
//! setting), runs its body, and binds its outputs back into the caller's
//! scope (secrets stay secret).
//!
//! Must not touch the terminal, clap, JUnit or axum.

use std::sync::Arc;

use crate::model::load::LoadedScenario;
use crate::model::{SourceLocation, Spanned, Step};

use super::result::{Status, StepError, StepResult};
use super::scenario::{ScenarioRun, overall_status};
use super::scope::Scope;

/// Caps nested `use` depth at run time; `check` reports cycles, this guards anyway.
pub(super) const MAX_FLOW_DEPTH: usize = 16;

impl ScenarioRun<'_> {
    /// Runs a reusable flow in its own scope and brings its outputs back.
    pub(super) async fn run_flow(
        &mut self,
        step: &Spanned<Step>,
        use_path: &Spanned<String>,
        scope: &mut Scope,
        result: &mut StepResult,
    ) {
        let (flow, mut inner) = match self.enter_flow(&step.value, use_path, scope) {
            Ok(entered) => entered,
            Err(error) => {
                result.status = Status::Errored;
                result.error = Some(error);
                return;
            }
        };
        let children = Box::pin(self.run_scenario_body(&flow.scenario, &mut inner, false)).await;
        // A flow's steps are reported inside the step that used it, never on
        // their own, so each is held once and unwraps without a copy.
        result.children = children
            .into_iter()
            .map(|child| Arc::try_unwrap(child).unwrap_or_else(|shared| StepResult::clone(&shared)))
            .collect();
        result.status = overall_status(&result.children);
        self.bring_outputs(&step.value, use_path, &flow, &inner, scope, result);
    }

    /// Finds the flow a `use` names and starts its scope: the step's `with`
    /// values, then the defaults of inputs it does not give.
    fn enter_flow(
        &mut self,
        step: &Step,
        use_path: &Spanned<String>,
        scope: &Scope,
    ) -> Result<(Arc<LoadedScenario>, Scope), StepError> {
        let at = SourceLocation::of(&scope.file, use_path);
        let flow = match self.engine.flow(&scope.file, &use_path.value) {
            Some(flow) if scope.depth < MAX_FLOW_DEPTH => flow,
            Some(_) => {
                return Err(self.error("flow", "flows are nested too deeply (is there a cycle?)", at));
            }
            None => {
                let message = format!(
                    "flow `{}` was not loaded; run `scenario check` for details",
                    use_path.value
                );
                return Err(self.error("flow", &message, at));
            }
        };
        let mut inner = Scope::new(Arc::clone(&flow.file), &self.engine.config, scope.depth + 1);
        // The flow's steps use the session (and jar setting) of the step that runs it.
        inner.session = step
            .session
            .as_ref()
            .map(|s| s.value.clone())
            .or_else(|| scope.session.clone());
        inner.cookie_jar = step.cookie_jar.unwrap_or(scope.cookie_jar);
        let inputs = flow.scenario.inputs.clone().unwrap_or_default();
        for (name, value) in &step.with {
            let mut not_before = None;
            let rendered = self
                .render(&value.value, scope, &mut not_before)
                .map_err(|error| {
                    let message = format!("in `with.{}`: {error}", name.value);
                    self.error("template", &message, SourceLocation::of(&scope.file, value))
                })?;
            let secret = scope.secret_names.contains(&name.value)
                || inputs
                    .iter()
                    .any(|(k, v)| k.value == name.value && v.value.secret);
            if secret {
                inner.secret_names.insert(name.value.clone());
            }
            self.bind(&mut inner, &name.value, rendered, secret);
        }
        for (name, input) in &inputs {
            if inner.vars.contains_key(&name.value) && step.with.keys().any(|k| k.value == name.value) {
                continue;
            }
            let Some(default) = &input.value.default else {
                let message = format!(
                    "flow `{}` needs input `{}`; add it under `with:`",
                    use_path.value, name.value
                );
                return Err(self.error("flow", &message, at));
            };
            let mut not_before = None;
            let value = self.render(default, &inner, &mut not_before).map_err(|error| {
                let message = format!("in the default of input `{}`: {error}", name.value);
                self.error("template", &message, SourceLocation::of(&flow.file, input))
            })?;
            self.bind(&mut inner, &name.value, value, input.value.secret);
        }
        Ok((flow, inner))
    }

    /// Binds the flow's outputs (those the step selects, else all it declares)
    /// into the caller's scope; an output that was secret stays secret.
    fn bring_outputs(
        &mut self,
        step: &Step,
        use_path: &Spanned<String>,
        flow: &LoadedScenario,
        inner: &Scope,
        scope: &mut Scope,
        result: &mut StepResult,
    ) {
        // Each output with the name it takes in the caller (renamed or not).
        let wanted: Vec<(&Spanned<String>, &Spanned<String>)> = match (&step.outputs, &flow.scenario.outputs)
        {
            (Some(selected), _) => selected.iter().map(|b| (&b.flow, &b.local)).collect(),
            (None, Some(all)) => all.iter().map(|name| (name, name)).collect(),
            (None, None) => Vec::new(),
        };
        for (name, local) in wanted {
            match inner.vars.get(&name.value) {
                Some(value) => {
                    let secret = inner.secret_names.contains(&name.value);
                    if secret {
                        scope.secret_names.insert(local.value.clone());
                    }
                    self.bind(scope, &local.value, value.clone(), secret);
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

//! Runs an `ask` step: takes the value from the named environment variable,
//! else asks the app's prompter (the question prefixed with the scenario's
//! name), and binds it (secret when the step says so).
//!
//! Must not touch the terminal itself (the prompter does, off the async
//! workers), nor clap, JUnit or axum.

use serde_json::Value;

use crate::model::{SourceLocation, Spanned};

use super::result::{Status, StepResult};
use super::scenario::ScenarioRun;
use super::scope::Scope;

impl ScenarioRun<'_> {
    /// Sets a variable from an environment variable, else from the prompter.
    pub(super) async fn run_ask(
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
                // Named after its scenario: several may ask at once, and the
                // person must know which login a code belongs to.
                let prompt = format!(
                    "[{}] {}",
                    self.loaded.scenario.name.value,
                    self.redactor.redact(&prompt)
                );
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
}

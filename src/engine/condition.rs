//! Decides whether a step runs: its `if:` expression through the template
//! engine, or its `if: { vars: ... }` expectations through the check layer's
//! evaluator (the one expectations and captures use).
//!
//! Must not run the step, touch the terminal, clap, JUnit or axum.

use serde_json::Value;

use crate::check;
use crate::model::Condition;

use super::attempt::eval_context;
use super::scenario::ScenarioRun;
use super::scope::Scope;

impl ScenarioRun<'_> {
    /// Evaluates `condition` over the scope's variables: `Ok(None)` runs the
    /// step, `Ok(Some(reason))` skips it, `Err` says why it could not be
    /// evaluated (a broken template).
    pub(super) fn judge_condition(
        &self,
        condition: &Condition,
        scope: &Scope,
    ) -> Result<Option<String>, String> {
        match condition {
            Condition::Expression(expression) => {
                match self.engine.templates.eval_condition(expression, &scope.vars) {
                    Ok(true) => Ok(None),
                    Ok(false) => Ok(Some(format!("condition `{}` is false", expression.trim()))),
                    Err(error) => Err(format!("in `if`: {error}")),
                }
            }
            Condition::Vars(condition) => {
                let context = eval_context(self.engine, &scope.file);
                let templates = &self.engine.templates;
                let mut printed = Vec::new();
                let mut render = |value: &Value| -> Result<Value, String> {
                    templates
                        .render_value(value, &scope.vars)
                        .map(|r| {
                            printed.extend(r.printed);
                            r.value
                        })
                        .map_err(|e| e.message)
                };
                let lookup = |name: &str| scope.vars.get(name).cloned();
                let mut evaluator = check::Evaluator {
                    render: &mut render,
                    context: &context,
                };
                let results = check::eval_vars(&condition.vars, &lookup, &scope.file, &mut evaluator);
                // An expected value printed from a secret is hidden like the secret.
                let derived: Vec<(String, String)> = self
                    .derived_secrets(&printed, scope)
                    .into_iter()
                    .filter(|(_, value)| value.chars().count() >= 4)
                    .collect();
                let unmet: Vec<String> = results
                    .iter()
                    .filter(|r| !r.passed)
                    .map(|r| {
                        let actual = if r.actual.is_empty() { "nothing" } else { &r.actual };
                        let mut text = format!("{} {} {} (is {actual})", r.subject, r.predicate, r.expected);
                        if let Some(message) = &r.message {
                            text.push_str(&format!(": {message}"));
                        }
                        let text = derived.iter().fold(text, |text, (name, value)| {
                            text.replace(value.as_str(), &format!("[secret:{name}]"))
                        });
                        self.redactor.redact(&text).into_owned()
                    })
                    .collect();
                Ok((!unmet.is_empty()).then(|| format!("condition not met: {}", unmet.join("; "))))
            }
        }
    }
}

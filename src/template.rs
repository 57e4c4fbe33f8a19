//! Renders `{{ ... }}` templates (minijinja, strict undefined) over the
//! variables in scope, and owns the template functions (env, totp, uuid...).
//!
//! Pure apart from reading the clock and randomness; must not touch HTTP, the
//! engine or the terminal.

use std::collections::{BTreeMap, BTreeSet};
use std::time::SystemTime;

use serde_json::Value;

/// Maps variable names to values in scope for a render.
pub type Vars = BTreeMap<String, Value>;

/// Explains why a template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    /// What went wrong, naming the variable or function involved.
    pub message: String,
}

/// Carries a rendered value and what rendering learned on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered<T> {
    /// The result.
    pub value: T,
    /// The request must not be sent before this instant (a TOTP code of the next window).
    pub not_before: Option<SystemTime>,
    /// Generated values that must be redacted: `(label, value)`, e.g. TOTP codes.
    pub secrets: Vec<(String, String)>,
}

/// Holds the template environment of one run.
#[derive(Debug)]
pub struct Templates {
    _env: BTreeMap<String, String>,
}

impl Templates {
    /// Creates the environment; `env` is what `env("NAME")` reads.
    #[must_use]
    pub fn new(env: BTreeMap<String, String>) -> Self {
        Self { _env: env }
    }

    /// Renders every string inside `value`; a string that is exactly
    /// `{{ expr }}` keeps the expression's JSON type.
    ///
    /// # Errors
    /// Returns [`TemplateError`] for syntax errors, undefined variables and failing functions.
    pub fn render_value(&self, value: &Value, vars: &Vars) -> Result<Rendered<Value>, TemplateError> {
        todo!("{value} {vars:?}")
    }

    /// Renders `text` to a string.
    ///
    /// # Errors
    /// Returns [`TemplateError`] as [`Templates::render_value`].
    pub fn render_str(&self, text: &str, vars: &Vars) -> Result<Rendered<String>, TemplateError> {
        todo!("{text} {vars:?}")
    }

    /// Evaluates a condition (`token is defined`, or `{{ ... }}` around it).
    ///
    /// # Errors
    /// Returns [`TemplateError`] when the expression does not parse or evaluate.
    pub fn eval_condition(&self, expr: &str, vars: &Vars) -> Result<bool, TemplateError> {
        todo!("{expr} {vars:?}")
    }
}

/// Lists the variables `text` reads (for `scenario check`), without rendering.
///
/// # Errors
/// Returns [`TemplateError`] when `text` is not a valid template.
pub fn referenced_variables(text: &str) -> Result<BTreeSet<String>, TemplateError> {
    todo!("{text}")
}

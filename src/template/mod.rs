//! Renders `{{ ... }}` templates (minijinja, strict undefined) over the
//! variables in scope, and owns the template functions (env, totp, uuid...).
//!
//! Pure apart from reading the clock and randomness; must not touch HTTP, the
//! engine or the terminal.
//!
//! # Rendering rules
//! - A string without `{{` or `{%` is returned as it is, without parsing.
//! - A string that is exactly one `{{ expr }}` (surrounding whitespace allowed)
//!   yields the expression's JSON value: `"{{ count }}"` is a number when
//!   `count` is. A silent undefined (`{{ x if false }}`) yields `null`.
//! - Anything else renders to a string, its trailing newline kept. Printed
//!   values read as in JSON: `true`, `false`, `null`, and compact JSON for
//!   lists and maps; numbers exactly as written, beyond 64 bits too.
//! - An undefined variable is an error naming it, never an empty string;
//!   `x is defined` and `x | default(...)` work as usual.
//!
//! # Functions
//! - `env("NAME")`, `env("NAME", default)`, `env.NAME`: the map given to
//!   [`Templates::new`], never the process environment directly.
//! - `uuid()`: a random (version 4) UUID.
//! - `now()`: the current UTC time in RFC 3339, to the second
//!   (`2026-11-23T10:00:00Z`); `now("rfc2822")`; `now("%Y-%m-%d")` takes a
//!   strftime format. `timestamp()`: Unix seconds, as an integer.
//! - `base64_encode(s)`, `base64_decode(s)` (standard alphabet when encoding;
//!   standard or URL-safe, padded or not, when decoding) and `urlencode(s)`;
//!   each is also a filter (`s | base64_encode`), and `b64encode`/`b64decode`
//!   are aliases of the base64 pair.
//! - `random_digits(n)`, `random_alphanumeric(n)`: from the OS CSPRNG.
//! - `totp(secret)`, `totp(secret, digits=6, period=30, algorithm="SHA1")`:
//!   RFC 6238 over a base32 secret (spaces, padding and lowercase tolerated;
//!   short secrets accepted). A code already handed out in this run is never
//!   handed out again: the next time step's code is returned instead, and
//!   [`Rendered::not_before`] says when it becomes valid. Every code is listed
//!   in [`Rendered::secrets`] under the label `totp`. A code counts as handed
//!   out once rendered: rendering cannot know whether the request was sent,
//!   and waiting for a fresh window is safer than risking a replay. With a
//!   [`TotpHistory`] hook, codes earlier runs handed out count too;
//!   [`Rendered::waits`] says whose use moved the code on.
//! - `take("pool")`: an unused value of one of the run's consumable pools
//!   (the [`PoolSource`] hook), listed in [`Rendered::secrets`] under the
//!   pool's name and in [`Rendered::taken`]. [`pool_takes`] finds the calls a
//!   template writes without rendering it.

mod convert;
mod diagnose;
mod functions;
mod hooks;
mod rendered;
mod scan;
mod take;
mod totp;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, LazyLock};
use std::time::SystemTime;

use minijinja::{Environment, UndefinedBehavior};
use serde_json::Value;

use functions::Shared;
pub use hooks::{PoolSource, TemplateHooks, TotpHistory};
use rendered::{Learned, RenderNotes};
pub use rendered::{MAX_RENDERED_BYTES, Printed, RENDER_FUEL, Rendered, TemplateError, TotpWait};
pub use scan::{CallableKind, UnknownCallable};
pub use take::{TakeCall, pool_takes};

/// Maps variable names to values in scope for a render.
pub type Vars = BTreeMap<String, Value>;

/// Holds the template environment of one run.
///
/// `Send + Sync`: share one instance (behind an `Arc`) across the run's tasks,
/// so the TOTP ledger sees every code handed out.
pub struct Templates {
    jinja: Environment<'static>,
    shared: Arc<Shared>,
    /// Names of global functions and objects (ours and minijinja's), which
    /// are never reported as variables.
    globals: BTreeSet<String>,
}

impl std::fmt::Debug for Templates {
    // The environment map may hold secrets: show its size only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("env_vars", &self.shared.env.len())
            .field("globals", &self.globals)
            .finish_non_exhaustive()
    }
}

impl Templates {
    /// Creates the environment; `env` is what `env("NAME")` reads.
    #[must_use]
    pub fn new(env: BTreeMap<String, String>) -> Self {
        Self::with_clock(env, SystemTime::now)
    }

    /// Creates the environment with `clock` as the time source of `now()`,
    /// `timestamp()` and `totp()`.
    #[must_use]
    pub fn with_clock(
        env: BTreeMap<String, String>,
        clock: impl Fn() -> SystemTime + Send + Sync + 'static,
    ) -> Self {
        Self::with_hooks(env, clock, TemplateHooks::default())
    }

    /// Creates the environment with `clock` and the run's `hooks` (the TOTP
    /// history of earlier runs, the pools `take()` draws from).
    #[must_use]
    pub fn with_hooks(
        env: BTreeMap<String, String>,
        clock: impl Fn() -> SystemTime + Send + Sync + 'static,
        hooks: TemplateHooks,
    ) -> Self {
        let shared = Arc::new(Shared {
            env,
            clock: Arc::new(clock),
            ledger: totp::Ledger::default(),
            hooks,
        });
        let mut jinja = Environment::new();
        jinja.set_undefined_behavior(UndefinedBehavior::Strict);
        // Debug mode is what makes errors name the undefined expression.
        jinja.set_debug(true);
        // `body: "bob,{{ age }}\n"` must send its newline; minijinja drops a
        // template's last one by default.
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
        {
            jinja.set_syntax(syntax);
        }
        jinja.set_fuel(Some(RENDER_FUEL));
        jinja.set_formatter(|out, state, value| {
            let text = convert::value_text(state, value)?;
            let notes = state.get_or_insert_extension_with(RenderNotes::default);
            notes.printed_bytes += text.len();
            if notes.printed_bytes > MAX_RENDERED_BYTES {
                return Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!(
                        "the template's output is larger than {} MiB",
                        MAX_RENDERED_BYTES / 1024 / 1024
                    ),
                ));
            }
            notes.printed = Some(value.clone());
            out.write_str(&text)?;
            notes.outputs.push(text);
            Ok(())
        });
        functions::register(&mut jinja, &shared);
        let globals = jinja.globals().map(|(name, _)| name.to_owned()).collect();
        Self {
            jinja,
            shared,
            globals,
        }
    }

    /// Renders every string inside `value`; a string that is exactly
    /// `{{ expr }}` keeps the expression's JSON type.
    ///
    /// # Errors
    /// Returns [`TemplateError`] for syntax errors, undefined variables and failing functions.
    pub fn render_value(&self, value: &Value, vars: &Vars) -> Result<Rendered<Value>, TemplateError> {
        let mut learned = Learned::default();
        let value = self.render_json(value, vars, &mut learned)?;
        Ok(learned.into_rendered(value))
    }

    /// Renders `text` to a string.
    ///
    /// # Errors
    /// Returns [`TemplateError`] as [`Templates::render_value`].
    pub fn render_str(&self, text: &str, vars: &Vars) -> Result<Rendered<String>, TemplateError> {
        if !contains_template(text) {
            return Ok(Rendered::plain(text.to_owned()));
        }
        let (output, notes) = self.render_template(text, vars)?;
        let mut learned = Learned::default();
        learned.absorb(notes);
        Ok(learned.into_rendered(output))
    }

    /// Evaluates a condition (`token is defined`, or `{{ ... }}` around it).
    ///
    /// # Errors
    /// Returns [`TemplateError`] when the expression does not parse or evaluate.
    pub fn eval_condition(&self, expr: &str, vars: &Vars) -> Result<bool, TemplateError> {
        let expr = self.condition_expression(expr)?;
        // Printing through the formatter applies the strict undefined checks
        // (and their messages) that a bare expression evaluation skips.
        let (_, notes) = self.render_template(&format!("{{{{ ({expr}) }}}}"), vars)?;
        Ok(notes.printed.is_some_and(|value| value.is_true()))
    }

    fn render_json(&self, value: &Value, vars: &Vars, learned: &mut Learned) -> Result<Value, TemplateError> {
        Ok(match value {
            Value::String(text) => self.render_string_value(text, vars, learned)?,
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.render_json(item, vars, learned))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => {
                let mut rendered = serde_json::Map::new();
                for (key, item) in map {
                    let key = if contains_template(key) {
                        let (key, notes) = self.render_template(key, vars)?;
                        learned.absorb(notes);
                        key
                    } else {
                        key.clone()
                    };
                    rendered.insert(key, self.render_json(item, vars, learned)?);
                }
                Value::Object(rendered)
            }
            other => other.clone(),
        })
    }

    fn render_string_value(
        &self,
        text: &str,
        vars: &Vars,
        learned: &mut Learned,
    ) -> Result<Value, TemplateError> {
        if !contains_template(text) {
            return Ok(Value::String(text.to_owned()));
        }
        let (output, mut notes) = self.render_template(text, vars)?;
        let printed = notes.printed.take();
        learned.absorb(notes);
        match printed {
            Some(printed) if self.is_single_expression(text) => {
                convert::to_json(&printed).map_err(|e| self.error(&e, vars))
            }
            _ => Ok(Value::String(output)),
        }
    }

    /// Tells whether `text` is one `{{ expr }}` and nothing else but whitespace.
    fn is_single_expression(&self, text: &str) -> bool {
        // `{{ a }}{{ b }}` also starts and ends with braces; only a single
        // expression parses once they are removed.
        single_expression_body(text).is_some_and(|body| self.jinja.compile_expression(body).is_ok())
    }

    /// Returns the bare expression of a condition, checked for syntax.
    fn condition_expression<'a>(&self, expr: &'a str) -> Result<&'a str, TemplateError> {
        let bare = single_expression_body(expr).unwrap_or(expr).trim();
        match self.jinja.compile_expression(bare) {
            Ok(_) => Ok(bare),
            Err(e) => Err(TemplateError {
                message: format!(
                    "invalid condition `{}`: {}",
                    expr.trim(),
                    self.describe(&e, &Vars::new())
                ),
            }),
        }
    }

    /// Renders `source` with only the variables it reads converted into the context.
    fn render_template(&self, source: &str, vars: &Vars) -> Result<(String, RenderNotes), TemplateError> {
        let template = self
            .jinja
            .template_from_str(source)
            .map_err(|e| self.error(&e, vars))?;
        let names = template.undeclared_variables(false);
        let context = minijinja::Value::from_pairs(
            names
                .iter()
                .filter_map(|name| vars.get_key_value(name.as_str()))
                .map(|(name, value)| (name.as_str(), convert::to_jinja(value))),
        );
        let captured = template
            .render_captured(context)
            .map_err(|e| self.error(&e, vars))?;
        let mut notes = captured
            .state()
            .get_extension::<RenderNotes>()
            .cloned()
            .unwrap_or_default();
        let output = captured.into_output();
        if output.len() > MAX_RENDERED_BYTES {
            return Err(TemplateError {
                message: format!(
                    "the template's output is larger than {} MiB",
                    MAX_RENDERED_BYTES / 1024 / 1024
                ),
            });
        }
        let mut reads: Vec<String> = names.into_iter().filter(|name| vars.contains_key(name)).collect();
        reads.sort_unstable();
        notes.reads = reads;
        Ok((output, notes))
    }

    fn referenced_in_template(&self, text: &str) -> Result<BTreeSet<String>, TemplateError> {
        let template = self
            .jinja
            .template_from_str(text)
            .map_err(|e| self.error(&e, &Vars::new()))?;
        Ok(self.with_scanned(template.undeclared_variables(false), text, false))
    }

    fn referenced_in_condition(&self, expr: &str) -> Result<BTreeSet<String>, TemplateError> {
        let bare = self.condition_expression(expr)?;
        let compiled = self
            .jinja
            .compile_expression(bare)
            .map_err(|e| self.error(&e, &Vars::new()))?;
        Ok(self.with_scanned(compiled.undeclared_variables(false), bare, true))
    }

    /// Completes the parser's name listing with what it misses (a name read
    /// only through a slice), and drops names only ever called: those are
    /// functions, known or not, never variables.
    fn with_scanned(&self, names: HashSet<String>, text: &str, in_expr: bool) -> BTreeSet<String> {
        let scanned = scan::scan(text, in_expr, &self.globals);
        let mut names = self.without_globals(names);
        names.extend(
            scanned
                .subscripted
                .into_iter()
                .filter(|name| !self.globals.contains(name)),
        );
        names.retain(|name| !scanned.called.contains(name));
        names
    }

    fn without_globals(&self, names: HashSet<String>) -> BTreeSet<String> {
        names
            .into_iter()
            .filter(|name| !self.globals.contains(name))
            .collect()
    }

    fn describe(&self, error: &minijinja::Error, vars: &Vars) -> String {
        diagnose::describe(error, vars, &self.globals)
    }

    fn error(&self, error: &minijinja::Error, vars: &Vars) -> TemplateError {
        TemplateError {
            message: self.describe(error, vars),
        }
    }
}

/// Tells whether `text` holds template syntax (`{{` or `{%`); text without it
/// is used as it is.
#[must_use]
pub fn contains_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Returns what lies between `{{` and `}}` when `text` (trimmed) starts and
/// ends with them, without whitespace-control markers.
fn single_expression_body(text: &str) -> Option<&str> {
    let body = text.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    let body = body.strip_prefix(['-', '+']).unwrap_or(body);
    Some(body.strip_suffix(['-', '+']).unwrap_or(body))
}

/// Parses templates for [`referenced_variables`], which needs the globals'
/// names but no environment of a run.
static PARSER: LazyLock<Templates> = LazyLock::new(|| Templates::new(BTreeMap::new()));

/// Lists the variables `text` reads (for `scenario check`), without rendering.
///
/// Global functions (`env`, `totp`, `range`...) are not variables and are left out.
///
/// # Errors
/// Returns [`TemplateError`] when `text` is not a valid template.
pub fn referenced_variables(text: &str) -> Result<BTreeSet<String>, TemplateError> {
    if !contains_template(text) {
        return Ok(BTreeSet::new());
    }
    PARSER.referenced_in_template(text)
}

/// Lists the variables a condition (`token is defined`, with or without
/// `{{ }}` around it) reads, without evaluating it.
///
/// # Errors
/// Returns [`TemplateError`] when `expr` is not a valid expression.
pub fn referenced_variables_in_condition(expr: &str) -> Result<BTreeSet<String>, TemplateError> {
    PARSER.referenced_in_condition(expr)
}

/// Lists the functions, filters and tests `text` uses that do not exist,
/// with the offset of each name and the nearest known one.
#[must_use]
pub fn unknown_callables(text: &str) -> Vec<UnknownCallable> {
    if !contains_template(text) {
        return Vec::new();
    }
    scan::scan(text, false, &PARSER.globals).unknown
}

/// Lists the unknown functions, filters and tests of a condition (with or
/// without `{{ }}` around it); offsets count in `expr` as written.
#[must_use]
pub fn unknown_callables_in_condition(expr: &str) -> Vec<UnknownCallable> {
    if contains_template(expr) {
        return unknown_callables(expr);
    }
    scan::scan(expr, true, &PARSER.globals).unknown
}

#[cfg(test)]
#[path = "secrecy_tests.rs"]
mod secrecy_tests;
#[cfg(test)]
mod tests;

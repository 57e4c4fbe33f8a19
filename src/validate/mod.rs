//! Owns `scenario check`: loads every file under the given PATHs (and the flow
//! files their `use:` steps pull in), then validates them together: undefined
//! variables, template syntax, JSONPath and regex syntax, `use:` flows (missing
//! files, cycles, inputs, outputs), `locks:`, `take(...)` calls, the files request bodies read, and literal
//! header names, header values and URLs HTTP would refuse; and expands each
//! scenario's `matrix:` into one planned scenario per combination (`matrix`,
//! reading rows files through `matrix_rows`). `run` goes through the same
//! [`check_paths`] before it sends anything.
//!
//! Sits one layer above [`crate::model`]: may use [`crate::template`] and
//! [`crate::check`] to parse (never to evaluate). Must not touch HTTP or the
//! terminal; every problem becomes a [`Diagnostic`] in the [`CheckReport`].

mod callables;
mod empty;
mod flows;
mod literals;
mod locks;
mod matrix;
mod matrix_rows;
mod parallel;
mod request;
mod scope;
mod syntax;
mod takes;

pub use takes::{PoolTake, pool_takes_of};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Case;
use crate::model::diag::{self, Diagnostic, RenderOptions, Sources};
use crate::model::load::{self, LoadedScenario};
use crate::secret::Redactor;

/// Holds everything `check` learned: the loaded scenarios and flows, the
/// sources to quote, and every problem of every file.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// How many files were read (scenario files found plus flow files pulled in by `use:`).
    pub files: usize,
    /// The runnable scenarios that parsed, in file order (reusable flows excluded).
    pub scenarios: Vec<LoadedScenario>,
    /// The reusable flows, and every file some `use:` step runs, keyed by
    /// resolved path (see [`crate::model::resolve_use_path`]).
    pub flows: BTreeMap<PathBuf, LoadedScenario>,
    /// Every problem found, errors and warnings, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, to quote in rendered diagnostics.
    pub sources: Sources,
    /// Hides secret values written literally in the files (a declared secret's value).
    pub redactor: Redactor,
}

impl CheckReport {
    /// Tells whether any diagnostic is an error (then nothing may run).
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Counts the errors.
    #[must_use]
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Counts the warnings.
    #[must_use]
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// Returns the flow a `use:` step runs, given the file that contains the
    /// step and the step's `use` value.
    #[must_use]
    pub fn flow_for(&self, using_file: &Path, target: &str) -> Option<&LoadedScenario> {
        self.flows
            .get(&crate::model::resolve_use_path(using_file, target))
    }

    /// Renders every diagnostic like rustc, quoting the source lines.
    #[must_use]
    pub fn render(&self, options: RenderOptions) -> String {
        diag::render_all(&self.diagnostics, &self.sources, &self.redactor, options)
    }

    /// Renders every diagnostic on one line each (`file:line:col: error: ...`).
    #[must_use]
    pub fn render_compact(&self) -> String {
        diag::render_compact(&self.diagnostics, &self.redactor)
    }
}

/// Loads and validates every scenario file under `paths` (files, or folders
/// searched recursively), plus the flows they use.
///
/// `extra_vars` names the variables the caller provides (`--var`, vars files,
/// environments): they are in scope everywhere. Never fails: every problem
/// is a diagnostic in the report.
#[must_use]
pub fn check_paths(paths: &[PathBuf], extra_vars: &BTreeSet<String>) -> CheckReport {
    let discovery = load::discover(paths);
    let mut diagnostics = discovery.diagnostics;
    let loads = flows::load_with_flows(&discovery.files);
    let files = loads.len();
    let index = flows::FlowIndex::new(&loads);

    diagnostics.extend(index.cycles());
    let entries: Vec<&load::FileLoad> = loads.values().collect();
    let per_file = parallel::map_in_order(&entries, |entry| {
        let mut found = entry.diagnostics.clone();
        let mut cases = Vec::new();
        if let Some(loaded) = &entry.loaded {
            // A matrix's variables are in scope everywhere in its scenario.
            let with_matrix;
            let extra_vars = match matrix::expand(loaded) {
                Some(expansion) => {
                    found.extend(expansion.diagnostics);
                    cases = expansion.cases;
                    with_matrix = extra_vars.iter().cloned().chain(expansion.names).collect();
                    &with_matrix
                }
                None => extra_vars,
            };
            found.extend(scope::check_file(loaded, extra_vars, &index));
            found.extend(syntax::check_file(loaded));
            found.extend(locks::check_file(loaded, extra_vars));
            found.extend(takes::check_file(loaded));
            found.extend(request::check_files(loaded));
            found.extend(literals::check_file(loaded));
            found.extend(empty::check_file(loaded));
        }
        (found, cases)
    });
    let mut cases_of = BTreeMap::new();
    for (entry, (found, cases)) in entries.iter().zip(per_file) {
        diagnostics.extend(found);
        if !cases.is_empty() {
            cases_of.insert(Arc::clone(&entry.file), cases);
        }
    }

    let order: BTreeMap<Arc<PathBuf>, usize> = loads
        .values()
        .enumerate()
        .map(|(i, entry)| (Arc::clone(&entry.file), i))
        .collect();
    // Problems that name no file (a missing PATH) come first, then each file in load order.
    diagnostics.sort_by_key(|d| {
        (
            order.get(&d.location.file).map_or(0, |i| i + 1),
            d.location.line,
            d.location.column,
        )
    });

    let mut report = CheckReport {
        files,
        diagnostics,
        ..CheckReport::default()
    };
    let used = index.used_flows();
    // Move the parsed files into the report rather than cloning them: a parsed
    // scenario is tens of kilobytes, and suites can hold thousands.
    for (key, entry) in loads {
        if let Some(source) = &entry.source {
            report.sources.insert(Arc::clone(&entry.file), Arc::clone(source));
        }
        let Some(loaded) = entry.loaded else { continue };
        add_literal_secrets(&mut report.redactor, &loaded);
        match (loaded.scenario.is_flow(), used.contains(&key)) {
            (true, _) => {
                report.flows.insert(key, loaded);
            }
            (false, true) => {
                report.flows.insert(key, loaded.clone());
                push_cases(&mut report.scenarios, loaded, cases_of.remove(&entry.file));
            }
            (false, false) => push_cases(&mut report.scenarios, loaded, cases_of.remove(&entry.file)),
        }
    }
    report
}

/// Adds a scenario to the plan once per combination of its matrix (once
/// when it has none, or when its matrix is in error).
fn push_cases(scenarios: &mut Vec<LoadedScenario>, loaded: LoadedScenario, cases: Option<Vec<Arc<Case>>>) {
    match cases {
        Some(cases) => scenarios.extend(cases.into_iter().map(|case| LoadedScenario {
            case: Some(case),
            ..loaded.clone()
        })),
        None => scenarios.push(loaded),
    }
}

/// Registers the values of declared secrets that are written literally in the
/// file (a var, or an input's default), so diagnostics never quote them.
fn add_literal_secrets(redactor: &mut Redactor, loaded: &LoadedScenario) {
    let scenario = &loaded.scenario;
    let mut secret_names: BTreeSet<&str> = scenario.secrets.iter().map(|s| s.value.as_str()).collect();
    if let Some(inputs) = &scenario.inputs {
        for (name, spec) in inputs {
            if spec.value.secret {
                secret_names.insert(name.value.as_str());
            }
        }
    }
    let literal = |value: &serde_json::Value| match value {
        serde_json::Value::String(s) if !s.contains("{{") => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    for (name, value) in &scenario.vars {
        if secret_names.contains(name.value.as_str())
            && let Some(text) = literal(&value.value)
        {
            redactor.add_declared(&name.value, &text);
        }
    }
    if let Some(inputs) = &scenario.inputs {
        for (name, spec) in inputs {
            if secret_names.contains(name.value.as_str())
                && let Some(text) = spec.value.default.as_ref().and_then(literal)
            {
                redactor.add_declared(&name.value, &text);
            }
        }
    }
}

/// Lists every variable name a scenario's templates and conditions read
/// (not those of the flows it uses), e.g. to tell which environment variables
/// a selection of scenarios needs.
#[must_use]
pub fn referenced_names(scenario: &crate::model::Scenario) -> BTreeSet<String> {
    fn walk(value: &serde_json::Value, out: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::String(text) if crate::template::contains_template(text) => {
                out.extend(crate::template::referenced_variables(text).unwrap_or_default());
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => {
                for (key, inner) in map {
                    walk(&serde_json::Value::String(key.clone()), out);
                    walk(inner, out);
                }
            }
            _ => {}
        }
    }
    let mut names = BTreeSet::new();
    // The model serializes back to its authored shape, so every templated string is reached.
    if let Ok(document) = serde_json::to_value(scenario) {
        walk(&document, &mut names);
    }
    for step in scenario.steps.iter().chain(&scenario.finally) {
        match step.value.condition.as_ref().map(|c| &c.value) {
            Some(crate::model::Condition::Expression(text)) => {
                names.extend(crate::template::referenced_variables_in_condition(text).unwrap_or_default());
            }
            Some(crate::model::Condition::Vars(vars)) => {
                names.extend(vars.vars.keys().map(|name| name.value.clone()));
            }
            None => {}
        }
    }
    names
}

//! Parses one scenario file into a [`Scenario`]: the syntax pre-pass, the
//! typed parse, and, when the typed parse refuses the file, every problem the
//! shape walk finds merged with serde's own; [`load_file`] chains reading,
//! parsing and the structural checks.
//!
//! Must not evaluate templates or JSONPath and must not print: every problem
//! is returned as a diagnostic.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_saphyr::Error as YamlError;

use super::messages::empty_file;
use super::read::read_text;
use super::shape_diag::shape_diagnostic;
use super::structure::structural_checks;
use super::yaml::{check_syntax, may_nest_deeply, options};
use super::yaml_diag::yaml_diagnostic;
use crate::model::diag::Diagnostic;
use crate::model::shape::{self, Problem, ShapeProblem};
use crate::model::{Case, Scenario, scenario_id};

/// Holds a parsed scenario with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The file, as found (relative to the working directory when given so).
    pub file: Arc<PathBuf>,
    /// The file's text, kept for diagnostics that quote it.
    pub source: Arc<str>,
    /// The parsed scenario.
    pub scenario: Scenario,
    /// The combination of the scenario's matrix this is, when it has one.
    pub case: Option<Arc<Case>>,
}

impl LoadedScenario {
    /// Returns the scenario's id: its name, with its matrix combination's
    /// label in brackets (`Login [account=sms]`).
    #[must_use]
    pub fn id(&self) -> String {
        scenario_id(&self.scenario.name.value, self.case.as_deref())
    }
}

/// Explains why a file could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct LoadError {
    /// The file.
    pub file: String,
    /// What went wrong.
    pub message: String,
}

/// Carries everything learned from one file: its text (for rendering), the
/// scenario when it parsed, and every problem found.
#[derive(Debug, Clone)]
pub struct FileLoad {
    /// The file, as displayed.
    pub file: Arc<PathBuf>,
    /// The text to quote in diagnostics (lossy for invalid UTF-8; none for binary files).
    pub source: Option<Arc<str>>,
    /// The scenario, when the file parsed.
    pub loaded: Option<LoadedScenario>,
    /// Problems found while reading, parsing and checking the structure.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one scenario from `source`.
///
/// # Errors
/// Returns a [`LoadError`] whose message is the one-line form of the diagnostic.
pub fn parse_scenario(file: &Path, source: &str) -> Result<Scenario, LoadError> {
    let shown = Arc::new(file.to_path_buf());
    parse_source(&shown, source).map_err(|d| LoadError {
        file: file.display().to_string(),
        message: d.one_line(),
    })
}

/// Parses one scenario from `source`: the typed parse, and when it fails a
/// syntax-only pass, so a broken line is reported where it is, not as a
/// confusing type error above it. A valid file is parsed once.
///
/// # Errors
/// Returns the first problem as a located [`Diagnostic`].
pub fn parse_source(file: &Arc<PathBuf>, source: &str) -> Result<Scenario, Box<Diagnostic>> {
    if is_blank(source) {
        return Err(Box::new(empty_file(file)));
    }
    let diagnose = |e: YamlError| Box::new(yaml_diagnostic(file, source, &e));
    if may_nest_deeply(source) {
        check_syntax(source).map_err(diagnose)?;
    }
    typed_parse(source).map_err(|typed| check_syntax(source).map_or_else(diagnose, |()| diagnose(typed)))
}

/// Parses one scenario from `source` like [`parse_source`], but when the
/// typed parse refuses the file, reports every unknown key and wrongly typed
/// node, not only the first one serde met.
///
/// # Errors
/// Returns every problem found, as located [`Diagnostic`]s in file order.
pub fn parse_source_all_problems(file: &Arc<PathBuf>, source: &str) -> Result<Scenario, Vec<Diagnostic>> {
    if is_blank(source) {
        return Err(vec![empty_file(file)]);
    }
    if may_nest_deeply(source)
        && let Err(e) = check_syntax(source)
    {
        return Err(vec![yaml_diagnostic(file, source, &e)]);
    }
    let error = match typed_parse(source) {
        Ok(scenario) => return Ok(scenario),
        Err(error) => error,
    };
    // Only now the syntax pass: a valid file is parsed once.
    if let Err(e) = check_syntax(source) {
        return Err(vec![yaml_diagnostic(file, source, &e)]);
    }
    let typed = yaml_diagnostic(file, source, &error);
    let Some(problems) = shape::find_problems(source, options) else {
        return Err(vec![typed]);
    };
    Err(merge_typed(file, source, typed, &error, &problems))
}

/// Parses `source` into a [`Scenario`], numbers read from their own text.
fn typed_parse(source: &str) -> Result<Scenario, YamlError> {
    crate::model::exact::with_source(source, || {
        serde_saphyr::from_str_with_options::<Scenario>(source, options())
    })
}

/// Words the walk's problems and adds the typed parse's diagnostic, once. A
/// problem serde reports too is shown in the typed wording, the established
/// one, when serde points at the same node or its key; a missing key, which
/// serde locates where the mapping ends, keeps the walk's place, its start.
fn merge_typed(
    file: &Arc<PathBuf>,
    source: &str,
    typed: Diagnostic,
    error: &YamlError,
    problems: &[ShapeProblem],
) -> Vec<Diagnostic> {
    let typed_at = (typed.location.line, typed.location.column);
    let missing_field = match error.without_snippet() {
        YamlError::SerdeMissingField { field, .. } => Some(*field),
        _ => None,
    };
    let mut typed = Some(typed);
    let mut out = Vec::with_capacity(problems.len() + 1);
    for found in problems {
        if typed.is_some() && ((found.line, found.column) == typed_at || found.key_at == Some(typed_at)) {
            out.extend(typed.take());
            continue;
        }
        if let (Some(field), Problem::MissingKey { key, .. }) = (missing_field, &found.problem)
            && key == field
        {
            typed = None;
        }
        out.extend(shape_diagnostic(file, source, found));
    }
    out.extend(typed);
    out.sort_by_key(|d| (d.location.line, d.location.column));
    out
}

/// Reads, parses and structurally checks one file; never panics on bad input.
#[must_use]
pub fn load_file(path: &Path) -> FileLoad {
    let file = Arc::new(path.to_path_buf());
    let mut load = FileLoad {
        file: Arc::clone(&file),
        source: None,
        loaded: None,
        diagnostics: Vec::new(),
    };
    let text = match read_text(&file) {
        Ok(text) => text,
        Err(failure) => {
            load.source = failure.lossy;
            load.diagnostics.push(*failure.diagnostic);
            return load;
        }
    };
    load.source = Some(Arc::clone(&text));
    match parse_source_all_problems(&file, &text) {
        Ok(scenario) => {
            load.diagnostics = structural_checks(&file, &scenario);
            load.loaded = Some(LoadedScenario {
                file,
                source: text,
                scenario,
                case: None,
            });
        }
        Err(diagnostics) => load.diagnostics = diagnostics,
    }
    load
}

/// Tells whether `source` holds nothing but blank lines, comments and
/// document markers.
fn is_blank(source: &str) -> bool {
    source.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{all_problems, file, lines_and_messages, parse_err};
    use super::*;

    #[test]
    fn keeps_locations_through_shorthands() {
        let src = "name: x\nsteps:\n  - name: a\n    post: /login\n    capture:\n      token: $.token\n      sid: { header: set-cookie, regex: 'a(b)' }\n    snapshot: { redact: [$.x] }\n    expect:\n      status: 200\n      body:\n        $.a: { type: string }\n";
        let s = parse_scenario(Path::new("t.yaml"), src).unwrap();
        let step = &s.steps[0];
        assert_eq!(step.referenced.line(), 3);
        let (k, v) = step.value.capture.get_index(1).unwrap();
        assert_eq!(k.value, "sid");
        assert_eq!(v.referenced.line(), 7);
        assert_eq!(v.value.0.header.as_ref().unwrap().referenced.line(), 7);
        let snap = step.value.snapshot.as_ref().unwrap();
        assert_eq!(snap.value.redact[0].referenced.line(), 8);
        let body = &step.value.expect.as_ref().unwrap().value.body;
        assert_eq!(body.get_index(0).unwrap().0.referenced.line(), 12);
        let (_, token) = step.value.capture.get_index(0).unwrap();
        assert_eq!(token.value.0.jsonpath.as_ref().unwrap().value, "$.token");
    }

    #[test]
    fn every_unknown_key_and_wrong_type_is_reported_alike() {
        let src = "name: x\nsteps:\n  - get: /a\n    captur: {}\n    retry: { attempts: many }\n  - get: /b\n    retry: { attempts: lots }\n    captur: {}\n";
        let found = all_problems(src);
        assert_eq!(
            lines_and_messages(&found),
            [
                (4, 5, "unknown key `captur` in a step"),
                (
                    5,
                    24,
                    "`attempts`: expected a whole number (0 or more), found `many`"
                ),
                (
                    7,
                    24,
                    "`attempts`: expected a whole number (0 or more), found `lots`"
                ),
                (8, 5, "unknown key `captur` in a step"),
            ]
        );
        // The first came from serde, the others from the walk: same words.
        assert_eq!(found[0].notes, found[3].notes);
        assert_eq!(found[0].help, found[3].help);
        assert_eq!(
            (found[1].span_len, &found[1].help),
            (found[2].span_len, &found[2].help)
        );
        assert_eq!(*parse_source(&file(), src).unwrap_err(), found[0]);
    }

    #[test]
    fn a_problem_serde_and_the_walk_both_find_is_reported_once() {
        let found = all_problems("name: x\nsteps:\n  - get: /a\n    retry: { interval: 1s }\n");
        assert_eq!(
            lines_and_messages(&found),
            [(4, 12, "`retry` is missing the key `attempts`")]
        );
        let found = all_problems("name: x\nsteps:\n  - get: /a\n    capture: { t: 12 }\n");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.contains("found integer `12`"),
            "{}",
            found[0].message
        );
        let found = all_problems("steps:\n  - get: /a\n    stauts: 200\n");
        assert_eq!(
            lines_and_messages(&found),
            [
                (1, 1, "the scenario has no `name`"),
                (3, 5, "unknown key `stauts` in a step")
            ]
        );
    }

    #[test]
    fn a_typed_error_the_walk_cannot_see_is_kept() {
        let found = all_problems(
            "name: x\nsteps:\n  - get: /a\n    retry: { attempts: 99999999999 }\n    captur: {}\n",
        );
        assert_eq!(
            lines_and_messages(&found),
            [
                (
                    4,
                    24,
                    "`attempts`: 99999999999 is too large; the largest accepted value is 4294967295"
                ),
                (5, 5, "unknown key `captur` in a step"),
            ]
        );
        let found = all_problems("name: x\nvars:\n  ? [a]\n  : 1\n");
        assert_eq!(found.len(), 1, "{found:#?}");
    }

    #[test]
    fn a_file_that_parses_has_no_problems_to_report() {
        assert!(parse_source_all_problems(&file(), "name: x\nsteps:\n  - get: /a\n    timeout: 5\n").is_ok());
        assert_eq!(all_problems("   \n").len(), 1);
        assert!(
            all_problems("name: x\n  bad: indent\n")[0]
                .message
                .starts_with("invalid YAML")
        );
    }

    #[test]
    fn syntax_errors_win_over_typed_errors() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n     name: b\n");
        assert_eq!(d.location.line, 4);
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
        assert!(d.help[0].contains("indentation"), "{:?}", d.help);
    }
}

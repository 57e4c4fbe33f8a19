//! Expands a scenario's `matrix:` (variables with lists of values, `rows`,
//! `exclude`) and `repeat:` into its cases: the cartesian product of its
//! axes, less the excluded combinations, each with a label that tells it
//! apart (`account=sms, tenant=a`), so every combination is its own test.
//!
//! Reads a rows file through `matrix_rows`, never anything else. Must not
//! evaluate templates, touch HTTP or the terminal; every problem becomes a
//! [`Diagnostic`] at the key it is about.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;

use super::matrix_rows::{Row, read_rows};
use crate::model::diag::{Diagnostic, did_you_mean, quote_list};
use crate::model::load::{LoadedScenario, variable_name_problem};
use crate::model::{Case, Spanned};
use crate::secret::is_sensitive_name;

/// Caps the combinations of one scenario, so a typo cannot start a million tests.
pub(super) const MAX_CASES: usize = 10_000;

/// Caps the characters of one value in a label.
const LABEL_VALUE_CHARS: usize = 40;

/// Holds what a scenario's matrix came to.
#[derive(Debug, Default)]
pub(super) struct Expansion {
    /// The combinations, in product order (first axis slowest).
    pub cases: Vec<Arc<Case>>,
    /// The variables every combination defines.
    pub names: BTreeSet<String>,
    /// Every problem found; when there is an error, `cases` is empty.
    pub diagnostics: Vec<Diagnostic>,
}

/// One axis of the product: the assignments it offers, one per combination.
struct Axis {
    /// Every name the axis assigns.
    names: Vec<String>,
    choices: Vec<Row>,
}

/// Expands `loaded`'s matrix and repeat; `None` when it has neither.
pub(super) fn expand(loaded: &LoadedScenario) -> Option<Expansion> {
    let scenario = &loaded.scenario;
    if scenario.matrix.is_none() && scenario.repeat.is_none() {
        return None;
    }
    let mut out = Expansion::default();
    let error = |message: String, node: &Spanned<String>| Diagnostic::error_at(message, &loaded.file, node);
    if scenario.is_flow() {
        out.diagnostics.push(
            error(
                "a reusable flow cannot have `matrix` or `repeat`".to_owned(),
                &scenario.name,
            )
            .with_help("put them on the scenarios that `use` this flow"),
        );
        return Some(out);
    }
    let mut axes = Vec::new();
    let mut excludes: Option<(&Spanned<String>, &Spanned<Value>)> = None;
    for (key, value) in scenario.matrix.iter().flatten() {
        match key.value.as_str() {
            "exclude" => excludes = Some((key, value)),
            "rows" => {
                let dir = loaded.file.parent().unwrap_or_else(|| std::path::Path::new(""));
                match read_rows(&value.value, dir).and_then(rows_axis) {
                    Ok(axis) => axes.push((key, axis)),
                    Err(message) => out.diagnostics.push(error(message, key)),
                }
            }
            name => match &value.value {
                Value::Array(values) if !values.is_empty() => axes.push((
                    key,
                    Axis {
                        names: vec![name.to_owned()],
                        choices: values
                            .iter()
                            .map(|v| vec![(name.to_owned(), v.clone())])
                            .collect(),
                    },
                )),
                _ => out.diagnostics.push(
                    error(format!("`matrix.{name}` must be a list of values"), key)
                        .with_help(format!("e.g. `{name}: [a, b]`; `rows:` gives whole combinations")),
                ),
            },
        }
    }
    if let Some(repeat) = &scenario.repeat {
        let count = usize::try_from(repeat.value).unwrap_or(usize::MAX);
        if count == 0 || count > MAX_CASES {
            out.diagnostics.push(Diagnostic::error_at(
                format!("`repeat` must be from 1 to {MAX_CASES}"),
                &loaded.file,
                repeat,
            ));
        } else {
            let choices = (1..=repeat.value)
                .map(|n| vec![("repeat".to_owned(), Value::from(n))])
                .collect();
            let names = vec!["repeat".to_owned()];
            axes.push((&scenario.name, Axis { names, choices }));
        }
    }
    if scenario
        .matrix
        .as_ref()
        .is_some_and(|m| m.keys().all(|k| k.value == "exclude"))
    {
        out.diagnostics.push(
            error("`matrix` names no variable".to_owned(), &scenario.name)
                .with_help("give a variable a list of values (`account: [sms, email]`) or `rows:`"),
        );
    }
    check_names(loaded, &axes, &mut out.diagnostics);
    if out.diagnostics.iter().any(Diagnostic::is_error) {
        return Some(out);
    }
    let size = axes
        .iter()
        .try_fold(1usize, |size, (_, axis)| size.checked_mul(axis.choices.len()))
        .filter(|size| *size <= MAX_CASES);
    let Some(_) = size else {
        out.diagnostics.push(
            error(
                format!("the matrix has more than {MAX_CASES} combinations"),
                axes.first().map_or(&scenario.name, |(key, _)| *key),
            )
            .with_help("use fewer values, or split the scenario"),
        );
        return Some(out);
    };
    let mut combinations = product(&axes);
    out.names = axes
        .iter()
        .flat_map(|(_, axis)| axis.names.iter().cloned())
        .collect();
    if let Some((key, value)) = excludes {
        match exclude(&mut combinations, value, &out.names) {
            Ok(unused) => {
                for n in unused {
                    out.diagnostics.push(Diagnostic::warning_at(
                        format!("`exclude` entry {n} matches no combination"),
                        &loaded.file,
                        key,
                    ));
                }
            }
            Err(message) => {
                out.diagnostics.push(error(message, key));
                return Some(out);
            }
        }
        if combinations.is_empty() {
            out.diagnostics
                .push(error("`exclude` drops every combination".to_owned(), key));
            return Some(out);
        }
    }
    let secret = |name: &str| is_sensitive_name(name) || scenario.secrets.iter().any(|s| s.value == name);
    let labels = labels(&combinations, secret);
    if let Some((first, second)) = first_duplicate(&labels) {
        out.diagnostics.push(
            error(
                format!(
                    "combinations {} and {} have the same id `{}`",
                    first + 1,
                    second + 1,
                    crate::model::scenario_id(
                        &scenario.name.value,
                        Some(&Case {
                            label: labels[first].clone(),
                            vars: Vec::new(),
                            position: first,
                        })
                    )
                ),
                axes.first().map_or(&scenario.name, |(key, _)| *key),
            )
            .with_help("make the rows differ in a value that is not secret, or drop the repeated one"),
        );
        return Some(out);
    }
    out.cases = combinations
        .into_iter()
        .zip(labels)
        .enumerate()
        .map(|(position, (vars, label))| {
            Arc::new(Case {
                label,
                vars,
                position,
            })
        })
        .collect();
    Some(out)
}

/// Makes rows one axis; every row must give the same variables.
fn rows_axis(rows: Vec<Row>) -> Result<Axis, String> {
    let names: Vec<String> = rows[0].iter().map(|(name, _)| name.clone()).collect();
    let expected: BTreeSet<&String> = names.iter().collect();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let got: BTreeSet<&String> = row.iter().map(|(name, _)| name).collect();
        if got != expected {
            let missing: Vec<&str> = expected.difference(&got).map(|s| s.as_str()).collect();
            let extra: Vec<&str> = got.difference(&expected).map(|s| s.as_str()).collect();
            let what = match (missing.is_empty(), extra.is_empty()) {
                (false, _) => format!("has no {}", quote_list(missing)),
                (true, _) => format!("also has {}", quote_list(extra)),
            };
            return Err(format!(
                "row {} {what}, unlike row 1: every row must give the same variables",
                i + 1
            ));
        }
    }
    Ok(Axis { names, choices: rows })
}

/// Reports names that are not variable names, that two axes both give, or
/// that the scenario's `vars:` also declares.
fn check_names(loaded: &LoadedScenario, axes: &[(&Spanned<String>, Axis)], out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for (key, axis) in axes {
        for name in &axis.names {
            let diagnostic = |message: String| Diagnostic::error_at(message, &loaded.file, *key);
            if let Some((problem, suggestion)) = variable_name_problem(name) {
                out.push(
                    diagnostic(format!("in `matrix`: {problem}"))
                        .with_help(format!("name it like `{suggestion}`")),
                );
            } else if !seen.insert(name.as_str()) {
                out.push(diagnostic(
                    if name == "repeat" && loaded.scenario.repeat.is_some() {
                        "`repeat:` sets the variable `repeat`, which the matrix gives too".to_owned()
                    } else {
                        format!("the matrix gives `{name}` twice")
                    },
                ));
            } else if loaded.scenario.vars.keys().any(|k| &k.value == name) {
                out.push(
                    diagnostic(format!("`{name}` is both a matrix variable and one of `vars`"))
                        .with_help("rename one of them"),
                );
            }
        }
    }
}

/// Returns every combination of the axes, the first axis varying slowest.
fn product(axes: &[(&Spanned<String>, Axis)]) -> Vec<Row> {
    let mut combinations: Vec<Row> = vec![Vec::new()];
    for (_, axis) in axes {
        combinations = combinations
            .iter()
            .flat_map(|prefix| {
                axis.choices.iter().map(move |choice| {
                    let mut combination = prefix.clone();
                    combination.extend(choice.iter().cloned());
                    combination
                })
            })
            .collect();
    }
    combinations
}

/// Drops the combinations that one of `exclude`'s mappings matches, and
/// returns the 1-based numbers of the entries that matched none.
fn exclude(
    combinations: &mut Vec<Row>,
    exclude: &Spanned<Value>,
    names: &BTreeSet<String>,
) -> Result<Vec<usize>, String> {
    let Value::Array(entries) = &exclude.value else {
        return Err("`exclude` must be a list of mappings, e.g. `- { account: sms }`".to_owned());
    };
    let mut patterns = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Value::Object(map) = entry else {
            return Err(format!(
                "`exclude` entry {} must be a mapping of variables to values",
                i + 1
            ));
        };
        if let Some(unknown) = map.keys().find(|k| !names.contains(*k)) {
            let hint = did_you_mean(unknown, names.iter().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "`exclude` entry {} names `{unknown}`, which the matrix does not give{hint}",
                i + 1
            ));
        }
        patterns.push(map);
    }
    let mut used = vec![false; patterns.len()];
    combinations.retain(|combination| {
        let mut keep = true;
        for (pattern, used) in patterns.iter().zip(used.iter_mut()) {
            let matches = pattern.iter().all(|(name, wanted)| {
                combination
                    .iter()
                    .any(|(n, value)| n == name && same_value(value, wanted))
            });
            if matches {
                *used = true;
                keep = false;
            }
        }
        keep
    });
    Ok(used
        .iter()
        .enumerate()
        .filter(|(_, used)| !**used)
        .map(|(i, _)| i + 1)
        .collect())
}

/// Compares two values the way a reader does: `1` matches `"1"` from a CSV.
fn same_value(a: &Value, b: &Value) -> bool {
    a == b || (is_scalar(a) && is_scalar(b) && value_text(a) == value_text(b))
}

fn is_scalar(value: &Value) -> bool {
    !value.is_array() && !value.is_object()
}

/// Writes a value as its text: strings bare, anything else as JSON.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Labels each combination by its values (`account=sms, tenant=a`), leaving
/// out secret variables; by its number when every variable is secret.
fn labels(combinations: &[Row], secret: impl Fn(&str) -> bool) -> Vec<String> {
    combinations
        .iter()
        .enumerate()
        .map(|(i, combination)| {
            let parts: Vec<String> = combination
                .iter()
                .filter(|(name, _)| !secret(name))
                .map(|(name, value)| format!("{name}={}", shorten(&value_text(value))))
                .collect();
            if parts.is_empty() {
                format!("#{}", i + 1)
            } else {
                parts.join(", ")
            }
        })
        .collect()
}

/// Cuts a long value, and shows line breaks and other control characters escaped.
fn shorten(text: &str) -> String {
    let escaped: String = text.chars().flat_map(char::escape_default).collect();
    let escaped = if text.chars().any(char::is_control) {
        escaped
    } else {
        text.to_owned()
    };
    if escaped.chars().count() <= LABEL_VALUE_CHARS {
        return escaped;
    }
    let cut: String = escaped.chars().take(LABEL_VALUE_CHARS - 1).collect();
    format!("{cut}…")
}

/// Finds the first two combinations whose labels are the same.
fn first_duplicate(labels: &[String]) -> Option<(usize, usize)> {
    let mut seen = std::collections::HashMap::new();
    for (i, label) in labels.iter().enumerate() {
        if let Some(first) = seen.insert(label.as_str(), i) {
            return Some((first, i));
        }
    }
    None
}

#[cfg(test)]
#[path = "matrix_tests.rs"]
mod tests;

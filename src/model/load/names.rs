//! Checks the names a scenario declares for templates to read (vars,
//! captures, flow inputs and outputs, `ask` variables): each must be a name
//! a template can read, so `my-id` is refused where it is declared rather
//! than read as `my - id`, a subtraction, where it is used.
//!
//! Must not evaluate templates; must not look at other files.

use std::path::PathBuf;
use std::sync::Arc;

use crate::model::diag::Diagnostic;
use crate::model::{Scenario, Spanned};

/// Returns why `name` cannot be a template variable, if it cannot: a name
/// starts with a letter or `_` and holds only letters, digits and `_`.
#[must_use]
pub fn variable_name_problem(name: &str) -> Option<(String, String)> {
    let mut chars = name.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    if starts_well && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let suggestion: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let suggestion = if suggestion.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{suggestion}")
    } else {
        suggestion
    };
    if name.contains('-') {
        Some((
            format!("the variable name `{name}` holds `-`"),
            format!(
                "in a template `{{{{ {name} }}}}` reads as a subtraction (`{}`); name it `{suggestion}`",
                name.replace('-', " - ")
            ),
        ))
    } else {
        Some((
            format!("`{name}` is not a name a template can read"),
            format!("a name starts with a letter or `_` and holds letters, digits and `_`: `{suggestion}`"),
        ))
    }
}

/// Returns a diagnostic for every declared name a template could not read.
pub(super) fn check_names(file: &Arc<PathBuf>, scenario: &Scenario) -> Vec<Diagnostic> {
    let mut names: Vec<&Spanned<String>> = scenario.vars.keys().collect();
    names.extend(scenario.inputs.iter().flat_map(|inputs| inputs.keys()));
    names.extend(scenario.outputs.iter().flatten());
    for step in scenario.steps.iter().chain(&scenario.finally) {
        names.extend(step.value.capture.keys());
        names.extend(step.value.ask.iter().map(|ask| &ask.value.var));
        names.extend(
            step.value
                .outputs
                .iter()
                .flat_map(|outputs| outputs.local_names()),
        );
    }
    names
        .into_iter()
        .filter(|name| !name.value.trim().is_empty())
        .filter_map(|name| {
            let (message, help) = variable_name_problem(&name.value)?;
            Some(Diagnostic::error_at(message, file, name).with_help(help))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::file;
    use super::super::parse_source;
    use super::*;

    #[test]
    fn hyphens_are_refused_with_a_hint() {
        let src = "name: x\nvars:\n  my-id: 1\n  ok_name: 2\nsteps:\n  - get: /a\n    capture: { 'user.id': $.id, réponse: $.r }\n";
        let scenario = parse_source(&file(), src).unwrap();
        let found = check_names(&file(), &scenario);
        let shown: Vec<(u64, &str, &str)> = found
            .iter()
            .map(|d| (d.location.line, d.message.as_str(), d.help[0].as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    3,
                    "the variable name `my-id` holds `-`",
                    "in a template `{{ my-id }}` reads as a subtraction (`my - id`); name it `my_id`"
                ),
                (
                    7,
                    "`user.id` is not a name a template can read",
                    "a name starts with a letter or `_` and holds letters, digits and `_`: `user_id`"
                ),
            ]
        );
    }
}

//! Evaluates `vars:` expectations: a variable or captured value (this step's
//! captures included) tested like any other value, so a check needs no
//! second request; and a step's `if: { vars: ... }` condition, with the same
//! evaluator. An undefined variable is absent.
//!
//! Must not read the response, render templates, or know other subjects.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{SourceLocation, Spanned, SpannedMap};

use super::actual::Actual;
use super::evaluate::Evaluator;
use super::evaluate::LookupVar;
use super::outcome::{AssertionResult, all_with_subject};

/// Evaluates expectations on variables (a step's `if: { vars: ... }`), in order.
#[must_use]
pub fn eval_vars(
    vars: &SpannedMap<Value>,
    lookup: &LookupVar<'_>,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    vars.iter()
        .flat_map(|(name, value)| eval_var(name, value, lookup, file, eval))
        .collect()
}

/// Evaluates the predicates written for variable `name`.
pub(super) fn eval_var(
    name: &Spanned<String>,
    value: &Spanned<Value>,
    vars: &LookupVar<'_>,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, name);
    let actual = Actual::from_option(vars(&name.value));
    all_with_subject(
        eval.expectation(&value.value, actual, None),
        &format!("var {}", name.value),
        &location,
    )
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::expect::{BODY, one, response, run};

    #[test]
    fn variables_are_checked_like_values() {
        let r = response(BODY);
        assert!(one("vars:\n  token: { length: 64 }", &r).passed);
        let short = one("vars:\n  token: { length: 10 }", &r);
        assert_eq!(
            (short.passed, short.subject.as_str(), short.actual.as_str()),
            (false, "var token", "64")
        );
        assert!(one("vars:\n  missing: { absent: true }", &r).passed);
        let count = run("vars:\n  count: { type: integer, '>': 1 }", &r);
        assert!(count.len() == 2 && count.iter().all(|a| a.passed), "{count:?}");
    }
}

//! Evaluates `status:`: a code (`200`), a class (`2xx`) or a list of those,
//! as one check; or a mapping of predicates on the code (`{ not_equals:
//! 200 }`, `{ one_of: [200, 3xx] }`, `{ not: 5xx }`, `{ matches: '^20[01]$' }`),
//! where a class stands for every code in it and text predicates read the
//! code as text.
//!
//! Must not render templates (operands arrive through the evaluator's
//! callback), nor know the other subjects.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{Predicate, SourceLocation, Spanned, StatusExpect};

use super::Response;
use super::actual::Actual;
use super::display::show;
use super::evaluate::Evaluator;
use super::outcome::{AssertionResult, all_with_subject, broken};
use super::prepare::render_failure;

/// Evaluates the status expectation: one result for a code, class or list,
/// one per predicate for a mapping.
pub(super) fn eval_status(
    status: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, status);
    let subject = "status";
    if status.value.is_object() {
        let code = response.status;
        let adapt = move |p: &Predicate, _: &Actual| Some(status_view(p, code));
        let judged = eval.expectation(&status.value, Actual::Json(Value::from(code)), Some(&adapt));
        return all_with_subject(judged, subject, &location);
    }
    let rendered = match (eval.render)(&status.value) {
        Ok(rendered) => rendered,
        Err(e) => {
            return vec![broken(
                subject,
                "equals",
                show(&status.value),
                render_failure(&e),
                &location,
            )];
        }
    };
    vec![match StatusExpect::parse(&rendered) {
        Ok(expected) => {
            let passed = expected.accepts(response.status);
            AssertionResult {
                subject: subject.to_owned(),
                predicate: "equals".to_owned(),
                expected: expected.to_string(),
                actual: response.status.to_string(),
                passed,
                message: None,
                location,
                chain: Vec::new(),
                expected_value: (!passed).then(|| rendered.clone()),
                actual_value: (!passed).then(|| Value::from(response.status)),
            }
        }
        Err(e) => broken(subject, "equals", show(&rendered), e.to_string(), &location),
    }]
}

/// Adapts a predicate to a status code: class operands (`2xx`) become the
/// code itself when it is in the class, and text predicates see the code as
/// text.
fn status_view(predicate: &Predicate, code: u16) -> (Predicate, Actual) {
    let predicate = with_classes(predicate, code);
    let textual = |p: &Predicate| {
        matches!(
            p,
            Predicate::Matches(_)
                | Predicate::StartsWith(_)
                | Predicate::EndsWith(_)
                | Predicate::Contains(_)
        )
    };
    let reads_text = match &predicate {
        Predicate::Not(inner) => inner.iter().all(textual),
        other => textual(other),
    };
    let actual = if reads_text {
        Actual::Json(Value::String(code.to_string()))
    } else {
        Actual::Json(Value::from(code))
    };
    (predicate, actual)
}

fn with_classes(predicate: &Predicate, code: u16) -> Predicate {
    let class = |v: &Value| match (v, StatusExpect::parse(v)) {
        (Value::String(_), Ok(expected @ StatusExpect::Class(_))) if expected.accepts(code) => {
            Value::from(code)
        }
        (Value::String(text), Ok(StatusExpect::Code(c))) if text.trim() == c.to_string() => Value::from(c),
        _ => v.clone(),
    };
    match predicate {
        // A list under `equals` or `not` means one of its codes, as `status: [200, 204]` does.
        Predicate::Equals(Value::Array(options)) => {
            Predicate::OneOf(Value::Array(options.iter().map(class).collect()))
        }
        Predicate::Equals(v) => Predicate::Equals(class(v)),
        Predicate::NotEquals(v) => Predicate::NotEquals(class(v)),
        Predicate::OneOf(Value::Array(options)) => {
            Predicate::OneOf(Value::Array(options.iter().map(class).collect()))
        }
        Predicate::Not(inner) => Predicate::Not(inner.iter().map(|p| with_classes(p, code)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::expect::{BODY, one, response, run};

    #[test]
    fn status_predicates_accept_classes_negation_and_patterns() {
        let r = response(BODY);
        assert!(one("status: { not_equals: 500 }", &r).passed);
        assert!(!one("status: { not_equals: 200 }", &r).passed);
        assert!(one("status: { one_of: [201, 2xx] }", &r).passed);
        assert!(!one("status: { one_of: [201, 3xx] }", &r).passed);
        assert!(one("status: { not: 5xx }", &r).passed);
        assert!(!one("status: { not: 2xx }", &r).passed);
        assert!(one("status: { matches: '^20[01]$' }", &r).passed);
        assert!(one("status: { not: { matches: '^5' } }", &r).passed);
        let range = run("status: { '>=': 200, '<': 300 }", &r);
        assert!(range.iter().all(|a| a.passed) && range.len() == 2, "{range:?}");
        let failed = one("status: { not: [200, 204] }", &r);
        assert_eq!(
            (failed.passed, failed.expected.as_str()),
            (false, "not one_of [200,204]")
        );
    }
}

//! Evaluates `headers:` expectations: each header's predicates over its text,
//! the header found case-insensitively, absent when the response lacks it.
//!
//! Must not render templates (operands arrive through the caller's callback),
//! nor know the other subjects.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Number, Value};

use crate::model::{Predicate, SourceLocation, Spanned};

use super::Response;
use super::outcome::{AssertionResult, with_subject};
use super::predicate::eval_predicate;
use super::prepare::{Prepared, RenderOperand, parse_and_render};

/// Evaluates the predicates written for header `name`, one result each.
pub(super) fn eval_header(
    name: &Spanned<String>,
    value: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    render: &mut RenderOperand<'_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, name);
    let subject = format!("header {}", name.value);
    let header = response.header(&name.value);
    parse_and_render(&value.value, render)
        .into_iter()
        .map(|prepared| {
            let outcome = match prepared {
                Prepared::Ready(predicate) => {
                    let (predicate, actual) = header_view(&predicate, header);
                    eval_predicate(&predicate, actual.as_ref())
                }
                Prepared::Unusable(outcome) => outcome,
            };
            with_subject(outcome, &subject, &location)
        })
        .collect()
}

/// Adapts a predicate to a header, whose value is always text: scalar
/// operands compare by their text (`content-length: 42`), and an ordering
/// against a number reads the header as a number.
fn header_view(predicate: &Predicate, header: Option<&str>) -> (Predicate, Option<Value>) {
    let text = header.map(|h| Value::String(h.to_owned()));
    let as_text = |v: &Value| match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        other => other.clone(),
    };
    match predicate {
        Predicate::Compare(_, Value::Number(_)) => {
            let number = header
                .and_then(|h| h.trim().parse::<Number>().ok())
                .map(Value::Number);
            (predicate.clone(), number.or(text))
        }
        Predicate::Equals(v) => (Predicate::Equals(as_text(v)), text),
        Predicate::NotEquals(v) => (Predicate::NotEquals(as_text(v)), text),
        Predicate::Contains(v) => (Predicate::Contains(as_text(v)), text),
        Predicate::NotContains(v) => (Predicate::NotContains(as_text(v)), text),
        Predicate::StartsWith(v) => (Predicate::StartsWith(as_text(v)), text),
        Predicate::EndsWith(v) => (Predicate::EndsWith(as_text(v)), text),
        Predicate::OneOf(Value::Array(items)) => (
            Predicate::OneOf(Value::Array(items.iter().map(as_text).collect())),
            text,
        ),
        other => (other.clone(), text),
    }
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::expect::{BODY, one, response};

    #[test]
    fn headers_compare_case_insensitively_as_text() {
        let r = response(BODY);
        assert!(one("headers:\n  Content-Type: application/json; charset=utf-8", &r).passed);
        let length = one("headers:\n  content-length: 42", &r);
        assert!(length.passed, "{length:?}");
        assert!(one("headers:\n  content-length: { '>': 10 }", &r).passed);
        assert!(one("headers:\n  content-length: { one_of: [41, 42] }", &r).passed);
        assert!(one("headers:\n  content-type: { starts_with: application/json }", &r).passed);
        assert!(one("headers:\n  x-request-id: { exists: false }", &r).passed);
        let missing = one("headers:\n  x-request-id: { matches: '^r-' }", &r);
        assert!(!missing.passed);
        assert_eq!(missing.actual, "(absent)");
        assert_eq!(missing.subject, "header x-request-id");
        let wrong = one("headers:\n  content-type: text/html", &r);
        assert!(!wrong.passed);
        assert_eq!(wrong.actual, "\"application/json; charset=utf-8\"");
    }
}

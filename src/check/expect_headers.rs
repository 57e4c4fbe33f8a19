//! Evaluates `headers:` expectations (each header's predicates over the text
//! of its first value, found case-insensitively, absent when the response
//! lacks it) and `header_values:` (over the list of every value). Header
//! names may be templates.
//!
//! Must not render templates (operands arrive through the caller's callback),
//! nor know the other subjects.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Number, Value};

use crate::model::{Predicate, SourceLocation, Spanned};

use super::Response;
use super::actual::Actual;
use super::evaluate::Evaluator;
use super::outcome::{AssertionResult, all_with_subject, subject_key};

/// Evaluates the predicates written for header `name`, one result each.
pub(super) fn eval_header(
    name: &Spanned<String>,
    value: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, name);
    let header_name = match subject_key(eval, &name.value, "header", "header", String::new(), &location) {
        Ok(rendered) => rendered,
        Err(broken) => return broken,
    };
    let subject = format!("header {header_name}");
    let header = response.header(&header_name).map(str::to_owned);
    let actual = Actual::from_option(header.clone().map(Value::String));
    let adapt = move |p: &Predicate, _: &Actual| {
        let (predicate, actual) = header_view(p, header.as_deref());
        Some((predicate, Actual::from_option(actual)))
    };
    all_with_subject(
        eval.expectation(&value.value, actual, Some(&adapt)),
        &subject,
        &location,
    )
}

/// Evaluates the predicates written for every value of header `name`: a
/// list in received order (empty when the response lacks the header).
pub(super) fn eval_header_values(
    name: &Spanned<String>,
    value: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, name);
    let header_name = match subject_key(
        eval,
        &name.value,
        "header values",
        "header",
        String::new(),
        &location,
    ) {
        Ok(rendered) => rendered,
        Err(broken) => return broken,
    };
    let subject = format!("header values {header_name}");
    let values: Vec<Value> = response
        .header_values(&header_name)
        .map(|v| Value::String(v.to_owned()))
        .collect();
    all_with_subject(
        eval.expectation(&value.value, Actual::Json(Value::Array(values)), None),
        &subject,
        &location,
    )
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
    fn every_value_of_a_repeated_header_is_a_list() {
        let mut r = response(BODY);
        r.headers.push(("Set-Cookie".into(), "a=1; Path=/".into()));
        r.headers.push(("set-cookie".into(), "b=2".into()));
        assert!(one("header_values:\n  set-cookie: { length: 2 }", &r).passed);
        assert!(one("header_values:\n  set-cookie: ['a=1; Path=/', b=2]", &r).passed);
        assert!(one("header_values:\n  set-cookie: { contains: b=2 }", &r).passed);
        assert!(one("header_values:\n  x-none: { empty: true }", &r).passed);
        let counted = one("header_values:\n  set-cookie: { filters: [count], '>': 2 }", &r);
        assert!(!counted.passed);
        assert_eq!(counted.chain.last().map(|s| s.value.as_str()), Some("2"));
    }

    #[test]
    fn templated_header_names_are_rendered() {
        let r = response(BODY);
        let rendered = one("headers:\n  '{{ header }}': { contains: json }", &r);
        assert!(rendered.passed, "{rendered:?}");
        assert_eq!(rendered.subject, "header content-type");
    }

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

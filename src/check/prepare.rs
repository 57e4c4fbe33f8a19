//! Prepares an authored expectation for evaluation: parses it into predicates,
//! then renders each predicate's operands through the caller's callback.
//!
//! A predicate that cannot be prepared becomes a failed outcome in its place.
//! Must not render templates itself (the callback does), evaluate predicates,
//! or know which subject the expectation is about.

use serde_json::Value;

use crate::model::{Predicate, parse_predicates};

use super::display::show;
use super::predicate::{PredicateOutcome, describe_expected};

/// Renders an operand (templates inside) before it is compared.
pub type RenderOperand<'a> = dyn FnMut(&Value) -> Result<Value, String> + 'a;

/// Words the failure of an operand that did not render.
pub(super) fn render_failure(message: &str) -> String {
    format!("could not render the expected value: {message}")
}

/// Holds a predicate ready to evaluate, or the failed outcome that replaces it.
pub(super) enum Prepared {
    Ready(Predicate),
    Unusable(PredicateOutcome),
}

fn unusable(predicate: &str, expected: String, message: String) -> Prepared {
    Prepared::Unusable(PredicateOutcome {
        predicate: predicate.to_owned(),
        expected,
        actual: String::new(),
        passed: false,
        message: Some(message),
    })
}

/// Parses an authored expectation, then renders each predicate's operands.
///
/// Parsing comes first so that a rendered value that happens to be a mapping
/// (`"{{ user }}"` -> `{"type": ...}`) is compared, not read as predicates.
pub(super) fn parse_and_render(value: &Value, render: &mut RenderOperand<'_>) -> Vec<Prepared> {
    let predicates = match parse_predicates(value) {
        Ok(predicates) => predicates,
        Err(e) => return vec![unusable("expect", show(value), e.to_string())],
    };
    predicates
        .iter()
        .map(|p| match p.try_map_operands(&mut |v: &Value| render(v)) {
            Ok(rendered) => Prepared::Ready(rendered),
            Err(e) => unusable(p.keyword(), describe_expected(p), render_failure(&e)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::expect::{BODY, one, response, run};

    #[test]
    fn a_rendered_mapping_is_compared_not_read_as_predicates() {
        let r = response(r#"{"user": {"type": "admin"}}"#);
        let result = one("body:\n  $.user: '{{ user }}'", &r);
        assert!(result.passed, "{result:?}");
        assert_eq!(result.predicate, "equals");
    }

    #[test]
    fn render_errors_fail_only_their_predicate() {
        let r = response(BODY);
        let results = run("body:\n  $.token: { type: string, equals: '{{ missing }}' }", &r);
        let by = |keyword: &str| results.iter().find(|a| a.predicate == keyword).unwrap();
        assert!(by("type").passed);
        assert!(!by("equals").passed);
        assert_eq!(
            by("equals").message.as_deref(),
            Some("could not render the expected value: undefined value: `missing`")
        );
        let status = one("status: '{{ nope }}'", &r);
        assert_eq!(
            status.message.as_deref(),
            Some("could not render the expected value: undefined value: `nope`")
        );
    }
}

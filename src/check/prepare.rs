//! Names the callback that renders operands (templates inside) before they
//! are compared, and words its failures; a predicate whose operand does not
//! render fails alone.
//!
//! Must not render templates itself (the callback does), evaluate predicates,
//! or know which subject the expectation is about.

use serde_json::Value;

/// Renders an operand (templates inside) before it is compared.
pub type RenderOperand<'a> = dyn FnMut(&Value) -> Result<Value, String> + 'a;

/// Words the failure of an operand that did not render.
pub(super) fn render_failure(message: &str) -> String {
    format!("could not render the expected value: {message}")
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

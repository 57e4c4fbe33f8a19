//! Evaluates `schema:` on a step: the JSON body validated against a JSON
//! Schema, inline or from a file, each violation named by instance path and
//! schema path (see the `schema` predicate, which does the validating).
//!
//! Must not parse the body (the caller does, once), render templates, or
//! know other subjects.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{SourceLocation, Spanned};

use super::display::show;
use super::evaluate::Evaluator;
use super::outcome::{AssertionResult, broken};
use super::predicate::validate_schema;

/// Validates the body against `schema`.
pub(super) fn eval_schema(
    schema: &Spanned<Value>,
    document: &Result<&Value, String>,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> AssertionResult {
    let location = SourceLocation::of(file, schema);
    let subject = "body (schema)";
    let expected = match &schema.value {
        Value::String(path) => format!("valid against {path}"),
        _ => "valid against the schema".to_owned(),
    };
    let document = match document {
        Ok(document) => document,
        Err(message) => return broken(subject, "schema", expected, message.clone(), &location),
    };
    match validate_schema(&schema.value, document, eval.context) {
        Ok(errors) => AssertionResult {
            subject: subject.to_owned(),
            predicate: "schema".to_owned(),
            expected,
            actual: show(document),
            passed: errors.is_empty(),
            message: (!errors.is_empty()).then(|| errors.join("\n")),
            location,
            chain: Vec::new(),
            expected_value: None,
            actual_value: None,
        },
        Err(message) => broken(subject, "schema", expected, message, &location),
    }
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::expect::{BODY, one, response};

    #[test]
    fn the_body_is_validated_with_paths_in_each_error() {
        let r = response(BODY);
        let passed = one(
            "schema: { type: object, required: [token, count], properties: { count: { type: integer } } }",
            &r,
        );
        assert!(passed.passed, "{passed:?}");
        let failed = one(
            "schema: { type: object, properties: { user: { type: object, properties: { id: { type: string } } } } }",
            &r,
        );
        assert!(!failed.passed);
        assert_eq!(
            failed.message.as_deref(),
            Some("at /user/id (schema /properties/user/properties/id/type): 7 is not of type \"string\"")
        );
        let draft7 = one(
            "schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: object, required: [nope] }",
            &r,
        );
        assert_eq!(
            draft7.message.as_deref(),
            Some("at (root) (schema /required): \"nope\" is a required property")
        );
        let on_value = one("body:\n  $.user: { schema: { required: [id, type] } }", &r);
        assert!(on_value.passed, "{on_value:?}");
    }
}

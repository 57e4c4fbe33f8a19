//! Evaluates `text:` (the body as text, whatever its content type; invalid
//! UTF-8 replaced) and `bytes:` (the body as raw bytes: `length`, `sha256`,
//! `md5`, `equals_base64`, `equals_hex`, `equals_file`, or filters first).
//!
//! Must not parse the body as JSON, render templates, or know other subjects.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{SourceLocation, Spanned};

use super::Response;
use super::actual::Actual;
use super::evaluate::Evaluator;
use super::outcome::{AssertionResult, all_with_subject};

/// Evaluates `text:` on the body's text.
pub(super) fn eval_text(
    text: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, text);
    let body = Actual::Json(Value::String(response.text().into_owned()));
    all_with_subject(eval.expectation(&text.value, body, None), "text", &location)
}

/// Evaluates `bytes:` on the body's bytes.
pub(super) fn eval_bytes(
    bytes: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, bytes);
    let body = Actual::Bytes(response.body.clone());
    all_with_subject(eval.expectation(&bytes.value, body, None), "bytes", &location)
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::expect::{one, response, run};

    #[test]
    fn text_predicates_read_any_body() {
        let r = response("order 12345 confirmed\n");
        assert!(one("text: { starts_with: order }", &r).passed);
        assert!(one("text: { ends_with: \"confirmed\\n\" }", &r).passed);
        assert!(one("text: { contains: '12345' }", &r).passed);
        assert!(one("text: { matches: 'order \\d{5}' }", &r).passed);
        assert!(one("text: { length: 22 }", &r).passed);
        assert!(one("text: \"order 12345 confirmed\\n\"", &r).passed);
        assert!(one("text: { not: { contains: error } }", &r).passed);
        let picked = one(
            "text: { filters: [{ regex: 'order (\\d+)' }, to_int], '>': 12000 }",
            &r,
        );
        assert!(picked.passed, "{picked:?}");
        assert_eq!(picked.subject, "text");
        let failed = one("text: { equals: 'order 1' }", &r);
        assert_eq!(failed.actual, "\"order 12345 confirmed\\n\"");
    }

    #[test]
    fn bytes_predicates_read_the_raw_body() {
        let r = response("hello");
        let results = run(
            "bytes: { length: 5, sha256: 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824, md5: 5d41402abc4b2a76b9719d911017c592, equals_base64: aGVsbG8=, equals_hex: 68656c6c6f }",
            &r,
        );
        assert_eq!(results.len(), 5);
        assert!(results.iter().all(|a| a.passed), "{results:#?}");
        let wrong = one("bytes: { length: 4 }", &r);
        assert_eq!((wrong.passed, wrong.actual.as_str()), (false, "5"));
        assert!(one("bytes: { filters: [base64_encode], equals: aGVsbG8= }", &r).passed);
    }
}

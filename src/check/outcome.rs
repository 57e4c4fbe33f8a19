//! Owns [`AssertionResult`], the outcome of one expectation tied to its
//! subject and to the place it is written, and the ways to build one.
//!
//! Plain data: must not evaluate predicates, render templates or redact.

use serde_json::Value;

use crate::model::SourceLocation;

use super::evaluate::{Evaluator, Judged};
use super::filter::ChainStep;

/// Records the outcome of one expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct AssertionResult {
    /// What was tested: `status`, `header content-type`, `body $.token`,
    /// `body (subset)`, `text`, `bytes`, `var token`, `response time`.
    pub subject: String,
    /// The predicate keyword: `equals`, `type`, `<`...
    pub predicate: String,
    /// The expected value, rendered for display.
    pub expected: String,
    /// The actual value, rendered for display (shortened).
    pub actual: String,
    /// Whether it held.
    pub passed: bool,
    /// Explains a failure beyond expected/actual (e.g. "body is not JSON").
    pub message: Option<String>,
    /// Where the expectation is written.
    pub location: SourceLocation,
    /// The filter chain, step by step (empty when the expectation has no filters).
    pub chain: Vec<ChainStep>,
    /// The expected side as a JSON value, for a failed expectation whose
    /// operand is one (`equals`, `contains`, `<`, `subset`...) and fits
    /// [`TYPED_LIMIT`](super::display::TYPED_LIMIT).
    pub expected_value: Option<Value>,
    /// The actual side as a JSON value, for a failed expectation on a value
    /// (not bytes, not absent) that fits [`TYPED_LIMIT`](super::display::TYPED_LIMIT).
    pub actual_value: Option<Value>,
}

/// Builds a result for an expectation that could not be evaluated at all.
pub(super) fn broken(
    subject: &str,
    predicate: &str,
    expected: String,
    message: String,
    location: &SourceLocation,
) -> AssertionResult {
    AssertionResult {
        subject: subject.to_owned(),
        predicate: predicate.to_owned(),
        expected,
        actual: String::new(),
        passed: false,
        message: Some(message),
        location: location.clone(),
        chain: Vec::new(),
        expected_value: None,
        actual_value: None,
    }
}

/// Ties a predicate's outcome (and its filter chain) to the subject it was
/// evaluated on and to its location.
pub(super) fn with_subject(judged: Judged, subject: &str, location: &SourceLocation) -> AssertionResult {
    let outcome = judged.outcome;
    AssertionResult {
        subject: subject.to_owned(),
        predicate: outcome.predicate,
        expected: outcome.expected,
        actual: outcome.actual,
        passed: outcome.passed,
        message: outcome.message,
        location: location.clone(),
        chain: judged.chain,
        expected_value: judged.expected_value,
        actual_value: judged.actual_value,
    }
}

/// Ties every outcome of one expectation to its subject and location.
pub(super) fn all_with_subject(
    judged: Vec<Judged>,
    subject: &str,
    location: &SourceLocation,
) -> Vec<AssertionResult> {
    judged
        .into_iter()
        .map(|j| with_subject(j, subject, location))
        .collect()
}

/// Renders the templated key of a subject (a header or cookie name, a
/// JSONPath, a markup query); the error is the one failed result that stands
/// for the whole subject.
pub(super) fn subject_key(
    eval: &mut Evaluator<'_, '_>,
    key: &str,
    subject: &str,
    predicate: &str,
    expected: String,
    location: &SourceLocation,
) -> Result<String, Vec<AssertionResult>> {
    eval.render_key(key).map_err(|e| {
        vec![broken(
            &format!("{subject} {key}"),
            predicate,
            expected,
            e,
            location,
        )]
    })
}

//! Evaluates expectations (status, headers, body predicates, subset, time).

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{Expect, Predicate, SourceLocation};

use super::Response;

/// Records the outcome of one expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct AssertionResult {
    /// What was tested: `status`, `header content-type`, `body $.token`,
    /// `body (subset)`, `response time`.
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
}

/// Renders an operand (templates inside) before it is compared.
pub type RenderOperand<'a> = dyn FnMut(&Value) -> Result<Value, String> + 'a;

/// Evaluates every expectation of `expect` over `response`.
#[must_use]
pub fn eval_expect(
    expect: &Expect,
    response: &Response,
    file: &Arc<PathBuf>,
    render: &mut RenderOperand<'_>,
) -> Vec<AssertionResult> {
    todo!(
        "{expect:?} {response:?} {file:?} {}",
        render(&Value::Null).is_ok()
    )
}

/// Evaluates `predicates` on `actual` (`None` when absent).
#[must_use]
pub fn eval_predicates(predicates: &[Predicate], actual: Option<&Value>) -> Vec<(String, bool, String)> {
    todo!("{predicates:?} {actual:?}")
}

//! Evaluates expectations (status, headers, body predicates, subset, time).

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::engine::AssertionResult;
use crate::model::{Expect, Predicate};

use super::Response;

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

//! Evaluates the ordering family: `<`, `<=`, `>`, `>=` between two numbers
//! (exactly, however many digits) or two strings (lexicographically, so
//! RFC 3339 timestamps order in time).
//!
//! Must not know subjects or locations, nor evaluate other predicates.

use std::cmp::Ordering;

use serde_json::Value;

use crate::model::{CmpOp, Predicate};

use super::super::compare::compare_numbers;
use super::super::display::{show, show_typed};
use super::{Judge, PredicateOutcome};

/// Evaluates a comparison on a present value.
pub(super) fn eval(judge: &Judge<'_>) -> PredicateOutcome {
    let (Predicate::Compare(op, bound), Some(value)) = (judge.predicate, judge.actual.json()) else {
        return judge.broken("ordering applies to numbers and strings, not bytes".to_owned());
    };
    judge.verdict(compare(value, bound).map(|ordering| match op {
        CmpOp::Lt => ordering == Ordering::Less,
        CmpOp::Le => ordering != Ordering::Greater,
        CmpOp::Gt => ordering == Ordering::Greater,
        CmpOp::Ge => ordering != Ordering::Less,
    }))
}

fn compare(value: &Value, bound: &Value) -> Result<Ordering, String> {
    match (value, bound) {
        (Value::Number(a), Value::Number(b)) => {
            compare_numbers(a, b).ok_or_else(|| format!("cannot order {} and {}", show(value), show(bound)))
        }
        (Value::String(a), Value::String(b)) => Ok(a.cmp(b)),
        _ => Err(format!(
            "cannot compare {} with {}; ordering needs two numbers or two strings",
            show_typed(value),
            show_typed(bound)
        )),
    }
}

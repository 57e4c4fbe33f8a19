//! Compares JSON values the way every check does: numbers by value, so `1`
//! equals `1.0`, exactly however many digits they have.
//!
//! Shared by predicates and subset matching. Must not word messages, nor know
//! what a predicate, a subject or a result is.

use std::cmp::Ordering;

use serde_json::Value;

pub(super) use super::number::compare_numbers;

/// Compares JSON values, numbers by value (`1 == 1.0`).
pub(super) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y) == Some(Ordering::Equal),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len() && xs.iter().all(|(k, x)| ys.get(k).is_some_and(|y| json_eq(x, y)))
        }
        _ => a == b,
    }
}

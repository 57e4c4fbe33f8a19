//! Evaluates the equality family: `equals`, `not_equals` and `one_of`,
//! numbers by value, with a hint when two values only look alike (`200` and
//! `"200"`).
//!
//! Must not know subjects or locations, nor evaluate other predicates.

use serde_json::Value;

use crate::model::{JsonType, Predicate};

use super::super::actual::Actual;
use super::super::compare::json_eq;
use super::super::display::show_typed;
use super::{Judge, PredicateOutcome};

/// Evaluates `equals`, `not_equals` or `one_of` on a present value.
pub(super) fn eval(judge: &Judge<'_>) -> PredicateOutcome {
    let Some(value) = judge.actual.json() else {
        return bytes_compared(judge);
    };
    match judge.predicate {
        Predicate::Equals(expected) => {
            let passed = json_eq(value, expected);
            judge.outcome(passed, (!passed).then(|| type_hint(value, expected)).flatten())
        }
        Predicate::NotEquals(expected) => judge.outcome(!json_eq(value, expected), None),
        Predicate::OneOf(Value::Array(options)) => {
            judge.outcome(options.iter().any(|o| json_eq(value, o)), None)
        }
        Predicate::OneOf(other) => judge.broken(format!("`one_of` needs a list, got {}", show_typed(other))),
        _ => judge.broken("not an equality predicate".to_owned()),
    }
}

/// Compares bytes with a string operand by the string's UTF-8.
fn bytes_compared(judge: &Judge<'_>) -> PredicateOutcome {
    let Actual::Bytes(bytes) = judge.actual else {
        return judge.outcome(false, None);
    };
    let same = |v: &Value| v.as_str().is_some_and(|s| s.as_bytes() == bytes.as_slice());
    match judge.predicate {
        Predicate::Equals(v) => judge.outcome(same(v), None),
        Predicate::NotEquals(v) => judge.outcome(!same(v), None),
        Predicate::OneOf(Value::Array(options)) => judge.outcome(options.iter().any(same), None),
        _ => judge.broken("`one_of` needs a list".to_owned()),
    }
}

/// Explains an `equals` failure between values of different types, where the
/// two may look alike in the report (`200` and `"200"`).
fn type_hint(actual: &Value, expected: &Value) -> Option<String> {
    let (a, e) = (JsonType::name_of(actual), JsonType::name_of(expected));
    (a != e && !(actual.is_number() && expected.is_number())).then(|| {
        format!(
            "the value is {} {a}, the expected value {} {e}",
            article(a),
            article(e)
        )
    })
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

//! Evaluates the shape family: `exists` / `absent`, `type`, `empty` and
//! `length` (string characters, array items, object keys, bytes), the
//! predicates that also speak about a value that is not there.
//!
//! Must not know subjects or locations; `length` hands its count to the
//! other families through the dispatcher.

use serde_json::Value;

use crate::model::Predicate;

use super::super::EvalContext;
use super::super::actual::Actual;
use super::super::display::show_typed;
use super::{Judge, PredicateOutcome, eval_predicate};

/// Evaluates `exists`, `type`, `empty` or `length`.
pub(super) fn eval(judge: &Judge<'_>, context: &EvalContext) -> PredicateOutcome {
    let actual = judge.actual;
    match (judge.predicate, actual) {
        (Predicate::Exists(present), _) => judge.outcome(*present == (*actual != Actual::Absent), None),
        (_, Actual::Absent) => judge.outcome(false, None),
        (Predicate::Type(t), Actual::Json(value)) => PredicateOutcome {
            actual: show_typed(value),
            ..judge.outcome(t.matches(value), None)
        },
        (Predicate::Type(_), Actual::Bytes(_)) => judge
            .broken("bytes have no JSON type; decode them first, e.g. `filters: [utf8_decode]`".to_owned()),
        (Predicate::Empty(empty), _) => match length(actual) {
            Some(n) => judge.outcome((n == 0) == *empty, None),
            None => judge.broken(format!(
                "`empty` applies to strings, arrays, objects and bytes; the value is {}",
                shown_type(actual)
            )),
        },
        (Predicate::Length(inner), _) => eval_length(judge, inner, context),
        _ => judge.broken("not a shape predicate".to_owned()),
    }
}

/// Counts string characters, array items, object keys or bytes.
fn length(actual: &Actual) -> Option<usize> {
    match actual {
        Actual::Json(Value::String(s)) => Some(s.chars().count()),
        Actual::Json(Value::Array(items)) => Some(items.len()),
        Actual::Json(Value::Object(map)) => Some(map.len()),
        Actual::Bytes(bytes) => Some(bytes.len()),
        _ => None,
    }
}

fn shown_type(actual: &Actual) -> String {
    match actual {
        Actual::Json(value) => show_typed(value),
        other => other.show(),
    }
}

fn eval_length(judge: &Judge<'_>, inner: &[Predicate], context: &EvalContext) -> PredicateOutcome {
    let Some(length) = length(judge.actual) else {
        return judge.broken(format!(
            "`length` applies to strings, arrays, objects and bytes; the value is {}",
            shown_type(judge.actual)
        ));
    };
    let count = Actual::Json(Value::from(length));
    let outcomes: Vec<PredicateOutcome> = inner.iter().map(|p| eval_predicate(p, &count, context)).collect();
    let messages: Vec<String> = outcomes.iter().filter_map(|o| o.message.clone()).collect();
    PredicateOutcome {
        actual: length.to_string(),
        passed: outcomes.iter().all(|o| o.passed),
        message: (!messages.is_empty()).then(|| messages.join("; ")),
        broken: outcomes.iter().any(|o| o.broken),
        ..judge.outcome(false, None)
    }
}

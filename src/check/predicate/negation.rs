//! Evaluates `not`: holds when the inner predicates do not all hold. A
//! predicate that could not be evaluated (a type error) fails `not` too, and
//! an absent value fails it unless the inner predicates speak of presence
//! (`not: { exists: true }`), as `not_equals` does.
//!
//! Must not know subjects or locations.

use crate::model::Predicate;

use super::super::EvalContext;
use super::super::actual::Actual;
use super::{Judge, PredicateOutcome, eval_predicate};

/// Evaluates `not` with `inner` on the judged value.
pub(super) fn eval(judge: &Judge<'_>, inner: &[Predicate], context: &EvalContext) -> PredicateOutcome {
    let about_presence = inner.iter().all(|p| matches!(p, Predicate::Exists(_)));
    if *judge.actual == Actual::Absent && !about_presence {
        return judge.outcome(false, None);
    }
    let outcomes: Vec<PredicateOutcome> = inner
        .iter()
        .map(|p| eval_predicate(p, judge.actual, context))
        .collect();
    if let Some(broken) = outcomes.iter().find(|o| o.broken) {
        return judge.broken(broken.message.clone().unwrap_or_default());
    }
    let held = outcomes.iter().all(|o| o.passed);
    let message = held.then(|| {
        let what: Vec<&str> = outcomes.iter().map(|o| o.predicate.as_str()).collect();
        format!("{} held, so `not` fails", what.join(" and "))
    });
    judge.outcome(!held, message)
}

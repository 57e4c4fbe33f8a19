//! Evaluates one predicate on one value into a [`PredicateOutcome`], and
//! describes a predicate's expected side for display. Each family lives in
//! its own room: `equality` (equals, not_equals, one_of), `text` (matches,
//! contains, starts_with, ends_with), `order` (`<`, `<=`, `>`, `>=`),
//! `shape` (exists, type, empty, length), `format`, `negation` (not),
//! `bytes` (sha256, md5, equals_base64, equals_hex), `file` (equals_file)
//! and `schema`.
//!
//! Failures are data: an absent value, a value of the wrong type or an
//! unusable operand becomes a failed outcome with a message (and marked
//! broken, so `not` never turns it into a pass). Must not know subjects
//! (status, header, body path) or source locations, read a response, or
//! render templates (operands arrive rendered).

mod bytes;
mod equality;
mod file;
mod format;
mod negation;
mod order;
mod schema;
mod shape;
#[cfg(test)]
mod tests;
mod text;

use serde_json::Value;

use crate::model::Predicate;

use super::EvalContext;
use super::actual::{ABSENT, Actual};
use super::display::show;

pub(crate) use bytes::{decode_base64, to_hex};
pub(crate) use schema::validate_schema;

/// Records what one predicate came to on one value, before it is tied to a
/// subject and a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredicateOutcome {
    /// The predicate keyword: `equals`, `type`, `<`...
    pub predicate: String,
    /// The expected side, rendered for display.
    pub expected: String,
    /// The actual value, rendered for display, or `(absent)`.
    pub actual: String,
    /// Whether it held.
    pub passed: bool,
    /// Explains a failure beyond expected/actual (wrong operand type, invalid regex).
    pub message: Option<String>,
    /// Whether the predicate could not be evaluated at all (a type error, a
    /// bad operand): then it fails, negated or not.
    pub broken: bool,
}

/// Evaluates `predicates` on `actual` (`None` when absent), one outcome each.
///
/// An absent value fails every predicate except `absent` (`exists: false`).
#[must_use]
pub fn eval_predicates(predicates: &[Predicate], actual: Option<&Value>) -> Vec<PredicateOutcome> {
    let actual = Actual::from_option(actual.cloned());
    let context = EvalContext::default();
    predicates
        .iter()
        .map(|p| eval_predicate(p, &actual, &context))
        .collect()
}

/// Describes the expected side of `predicate` for the `expected` column.
pub(super) fn describe_expected(predicate: &Predicate) -> String {
    match predicate {
        Predicate::EqualsFile(v) => format!(
            "the content of {}",
            v.as_str().map_or_else(|| show(v), str::to_owned)
        ),
        Predicate::Schema(Value::String(path)) => format!("valid against {path}"),
        Predicate::Schema(_) => "valid against the schema".to_owned(),
        Predicate::Exists(true) => "(present)".to_owned(),
        Predicate::Exists(false) => ABSENT.to_owned(),
        Predicate::Type(t) => t.to_string(),
        Predicate::Format(f) => f.to_string(),
        Predicate::Empty(true) => "(empty)".to_owned(),
        Predicate::Empty(false) => "(not empty)".to_owned(),
        Predicate::Length(inner) => describe_all(inner),
        Predicate::Not(inner) => format!("not {}", describe_all(inner)),
        // Every other predicate compares with its operand.
        _ => predicate.operand().map(show).unwrap_or_default(),
    }
}

/// Describes several predicates joined by `and`, a bare value for `equals`.
fn describe_all(inner: &[Predicate]) -> String {
    inner
        .iter()
        .map(|p| match p {
            Predicate::Equals(_) => describe_expected(p),
            other => format!("{} {}", other.keyword(), describe_expected(other)),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Builds outcomes for one predicate on one value.
pub(super) struct Judge<'a> {
    pub(super) predicate: &'a Predicate,
    pub(super) actual: &'a Actual,
}

impl Judge<'_> {
    /// Returns a held (or not) outcome, with an optional explanation.
    pub(super) fn outcome(&self, passed: bool, message: Option<String>) -> PredicateOutcome {
        PredicateOutcome {
            predicate: self.predicate.keyword().to_owned(),
            expected: describe_expected(self.predicate),
            actual: self.actual.show(),
            passed,
            message,
            broken: false,
        }
    }

    /// Returns a failed outcome for a predicate that could not be evaluated.
    pub(super) fn broken(&self, message: String) -> PredicateOutcome {
        PredicateOutcome {
            broken: true,
            ..self.outcome(false, Some(message))
        }
    }

    /// Turns a check that may not apply into an outcome.
    pub(super) fn verdict(&self, check: Result<bool, String>) -> PredicateOutcome {
        match check {
            Ok(passed) => self.outcome(passed, None),
            Err(message) => self.broken(message),
        }
    }
}

/// Evaluates `predicate` on `actual`.
pub(super) fn eval_predicate(
    predicate: &Predicate,
    actual: &Actual,
    context: &EvalContext,
) -> PredicateOutcome {
    let judge = Judge { predicate, actual };
    match predicate {
        Predicate::Exists(_) | Predicate::Type(_) | Predicate::Empty(_) | Predicate::Length(_) => {
            shape::eval(&judge, context)
        }
        Predicate::Not(inner) => negation::eval(&judge, inner, context),
        _ if *actual == Actual::Absent => judge.outcome(false, None),
        Predicate::Equals(_) | Predicate::NotEquals(_) | Predicate::OneOf(_) => equality::eval(&judge),
        Predicate::Matches(_)
        | Predicate::Contains(_)
        | Predicate::NotContains(_)
        | Predicate::StartsWith(_)
        | Predicate::EndsWith(_) => text::eval(&judge),
        Predicate::Compare(..) => order::eval(&judge),
        Predicate::Format(_) => format::eval(&judge),
        Predicate::Sha256(_) | Predicate::Md5(_) | Predicate::EqualsBase64(_) | Predicate::EqualsHex(_) => {
            bytes::eval(&judge)
        }
        Predicate::EqualsFile(_) => file::eval(&judge, context),
        Predicate::Schema(_) => schema::eval(&judge, context),
    }
}

//! Evaluates one authored expectation on one subject's value: parses it,
//! renders its operands, applies its filters (keeping the chain for the
//! failure view), then tests every predicate. The one evaluator every
//! subject (status, headers, body paths, text, bytes, variables, cookies,
//! redirects, markup queries) goes through.
//!
//! Must not know which subject it evaluates (a subject adapts predicates to
//! its value through the callback), render templates itself, or redact.

use serde_json::Value;

use crate::model::{Expectation, Predicate, parse_expectation};

use super::EvalContext;
use super::actual::Actual;
use super::display::{show, typed};
use super::filter::{ChainStep, apply_filters};
use super::predicate::{PredicateOutcome, describe_expected, eval_predicate};
use super::prepare::{RenderOperand, render_failure};

/// Holds what evaluation needs besides the value: the template callback and
/// the evaluation's surroundings.
pub struct Evaluator<'r, 'c> {
    /// Renders an operand before it is compared.
    pub render: &'r mut RenderOperand<'r>,
    /// Where files are read from, and the clock.
    pub context: &'c EvalContext,
}

impl std::fmt::Debug for Evaluator<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evaluator")
            .field("context", self.context)
            .finish_non_exhaustive()
    }
}

/// Records one predicate's outcome with the filter chain that led to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Judged {
    pub(crate) outcome: PredicateOutcome,
    pub(crate) chain: Vec<ChainStep>,
    /// The operand as a JSON value, kept for a failure only (see `typed`).
    pub(crate) expected_value: Option<Value>,
    /// The value tested, after filters, kept for a failure only.
    pub(crate) actual_value: Option<Value>,
}

impl Judged {
    /// Wraps an outcome that has no typed sides (it could not be evaluated).
    fn untyped(outcome: PredicateOutcome, chain: Vec<ChainStep>) -> Self {
        Self {
            outcome,
            chain,
            expected_value: None,
            actual_value: None,
        }
    }

    /// Wraps the outcome of `predicate` on `actual`, keeping both sides as
    /// values when it failed.
    fn evaluated(
        outcome: PredicateOutcome,
        chain: Vec<ChainStep>,
        predicate: &Predicate,
        actual: &Actual,
    ) -> Self {
        let failed = !outcome.passed;
        Self {
            outcome,
            chain,
            expected_value: predicate.operand().filter(|_| failed).and_then(typed),
            actual_value: actual.json().filter(|_| failed).and_then(typed),
        }
    }
}

/// Adapts a predicate and the value to a subject (a header compares as
/// text, a status accepts classes); called only when no filter ran.
pub(crate) type Adapt<'a> = dyn Fn(&Predicate, &Actual) -> Option<(Predicate, Actual)> + 'a;

/// Looks a variable up by name (`None` when it is not defined).
pub type LookupVar<'a> = dyn Fn(&str) -> Option<Value> + 'a;

impl Evaluator<'_, '_> {
    /// Renders a templated key (`$.{{ field }}`, a header named by a variable);
    /// the error is the failure message.
    pub(super) fn render_key(&mut self, key: &str) -> Result<String, String> {
        if !key.contains("{{") {
            return Ok(key.to_owned());
        }
        match (self.render)(&Value::String(key.to_owned())) {
            Ok(Value::String(rendered)) => Ok(rendered),
            Ok(other) => Ok(match other {
                Value::Number(n) => n.to_string(),
                other => other.to_string(),
            }),
            Err(e) => Err(format!("could not render the key `{key}`: {e}")),
        }
    }

    /// Parses `authored`, then evaluates it on `actual`: one result per predicate.
    pub(crate) fn expectation(
        &mut self,
        authored: &Value,
        actual: Actual,
        adapt: Option<&Adapt<'_>>,
    ) -> Vec<Judged> {
        match parse_expectation(authored) {
            Ok(expectation) => self.parsed(&expectation, actual, adapt),
            Err(e) => vec![Judged::untyped(
                unusable("expect", show(authored), e.to_string()),
                Vec::new(),
            )],
        }
    }

    /// Evaluates a parsed expectation on `actual`.
    pub(crate) fn parsed(
        &mut self,
        expectation: &Expectation,
        actual: Actual,
        adapt: Option<&Adapt<'_>>,
    ) -> Vec<Judged> {
        let render = &mut *self.render;
        let mut filters = Vec::new();
        for filter in &expectation.filters {
            match filter.try_map_operands(&mut |v: &Value| render(v)) {
                Ok(rendered) => filters.push(rendered),
                Err(e) => {
                    return expectation
                        .predicates
                        .iter()
                        .map(|p| {
                            Judged::untyped(
                                unusable(p.keyword(), describe_expected(p), render_failure(&e)),
                                Vec::new(),
                            )
                        })
                        .collect();
                }
            }
        }
        let (filtered, chain) = apply_filters(&filters, actual, self.context);
        expectation
            .predicates
            .iter()
            .map(
                |p| match (p.try_map_operands(&mut |v: &Value| render(v)), &filtered) {
                    (Err(e), _) => Judged::untyped(
                        unusable(p.keyword(), describe_expected(p), render_failure(&e)),
                        chain.clone(),
                    ),
                    (Ok(rendered), Err(failure)) => Judged::untyped(
                        PredicateOutcome {
                            actual: String::new(),
                            ..unusable(
                                rendered.keyword(),
                                describe_expected(&rendered),
                                failure.to_string(),
                            )
                        },
                        chain.clone(),
                    ),
                    (Ok(rendered), Ok(value)) => {
                        let adapted = adapt
                            .filter(|_| filters.is_empty())
                            .and_then(|a| a(&rendered, value));
                        let (predicate, value) = match &adapted {
                            Some((predicate, value)) => (predicate, value),
                            None => (&rendered, value),
                        };
                        let outcome = eval_predicate(predicate, value, self.context);
                        Judged::evaluated(outcome, chain.clone(), predicate, value)
                    }
                },
            )
            .collect()
    }
}

/// Builds the failed outcome that replaces a predicate that cannot be evaluated.
pub(super) fn unusable(predicate: &str, expected: String, message: String) -> PredicateOutcome {
    PredicateOutcome {
        predicate: predicate.to_owned(),
        expected,
        actual: String::new(),
        passed: false,
        message: Some(message),
        broken: true,
    }
}

//! Evaluates the text family: `matches` (an unanchored regex search),
//! `contains` / `not_contains` (substring, element or key), `starts_with`
//! and `ends_with`.
//!
//! Must not know subjects or locations, nor evaluate other predicates.

use serde_json::Value;

use crate::model::Predicate;

use super::super::cache::regex;
use super::super::compare::json_eq;
use super::super::display::show_typed;
use super::{Judge, PredicateOutcome};

/// Evaluates a text predicate on a present value.
pub(super) fn eval(judge: &Judge<'_>) -> PredicateOutcome {
    let Some(value) = judge.actual.json() else {
        return judge.broken(format!(
            "`{}` applies to text; read the body as text with `text:` (or decode the bytes with `filters: [utf8_decode]`)",
            judge.predicate.keyword()
        ));
    };
    match judge.predicate {
        Predicate::Matches(pattern) => judge.verdict(matches_regex(value, pattern)),
        Predicate::Contains(needle) => judge.verdict(contains(value, needle)),
        Predicate::NotContains(needle) => judge.verdict(contains(value, needle).map(|found| !found)),
        Predicate::StartsWith(affix) => {
            judge.verdict(text_pair("starts_with", value, affix).map(|(s, a)| s.starts_with(a)))
        }
        Predicate::EndsWith(affix) => {
            judge.verdict(text_pair("ends_with", value, affix).map(|(s, a)| s.ends_with(a)))
        }
        _ => judge.broken("not a text predicate".to_owned()),
    }
}

fn matches_regex(value: &Value, pattern: &Value) -> Result<bool, String> {
    let Value::String(pattern) = pattern else {
        return Err(format!(
            "`matches` needs a regex string, got {}",
            show_typed(pattern)
        ));
    };
    let regex = regex(pattern).map_err(|e| format!("invalid regex: {e}"))?;
    match value {
        Value::String(s) => Ok(regex.is_match(s)),
        other => Err(format!(
            "`matches` applies to strings; the value is {}",
            show_typed(other)
        )),
    }
}

/// Tells whether a string holds a substring, an array an element, or an object a key.
fn contains(value: &Value, needle: &Value) -> Result<bool, String> {
    match (value, needle) {
        (Value::String(s), Value::String(n)) => Ok(s.contains(n.as_str())),
        (Value::String(_), other) => Err(format!(
            "a string can only contain a string; the expected value is {}",
            show_typed(other)
        )),
        (Value::Array(items), needle) => Ok(items.iter().any(|item| json_eq(item, needle))),
        (Value::Object(map), Value::String(key)) => Ok(map.contains_key(key)),
        (Value::Object(_), other) => Err(format!(
            "an object contains keys, which are strings; the expected value is {}",
            show_typed(other)
        )),
        (other, _) => Err(format!(
            "`contains` applies to strings, arrays and objects; the value is {}",
            show_typed(other)
        )),
    }
}

fn text_pair<'a>(keyword: &str, value: &'a Value, affix: &'a Value) -> Result<(&'a str, &'a str), String> {
    match (value, affix) {
        (Value::String(s), Value::String(a)) => Ok((s, a)),
        (Value::String(_), other) => Err(format!("`{keyword}` needs a string, got {}", show_typed(other))),
        (other, _) => Err(format!(
            "`{keyword}` applies to strings; the value is {}",
            show_typed(other)
        )),
    }
}

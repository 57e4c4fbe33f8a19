//! Evaluates one predicate (`equals`, `type`, `matches`, `contains`, `<`,
//! `length`, `one_of`...) on one value into a [`PredicateOutcome`], and
//! describes a predicate's expected side for display.
//!
//! Failures are data: an absent value, a value of the wrong type or an
//! unusable operand becomes a failed outcome with a message. Must not know
//! subjects (status, header, body path) or source locations, read a response,
//! or render templates (operands arrive rendered).

use std::cmp::Ordering;

use regex::Regex;
use serde_json::Value;

use crate::model::{JsonType, Predicate};

use super::compare::{compare_numbers, json_eq};
use super::display::{show, show_typed};

/// Stands for a value that is not there, in the `actual` column.
const ABSENT: &str = "(absent)";

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
}

/// Evaluates `predicates` on `actual` (`None` when absent), one outcome each.
///
/// An absent value fails every predicate except `absent` (`exists: false`).
#[must_use]
pub fn eval_predicates(predicates: &[Predicate], actual: Option<&Value>) -> Vec<PredicateOutcome> {
    predicates.iter().map(|p| eval_predicate(p, actual)).collect()
}

/// Describes the expected side of `predicate` for the `expected` column.
pub(super) fn describe_expected(predicate: &Predicate) -> String {
    match predicate {
        Predicate::Equals(v)
        | Predicate::NotEquals(v)
        | Predicate::Matches(v)
        | Predicate::Contains(v)
        | Predicate::NotContains(v)
        | Predicate::StartsWith(v)
        | Predicate::EndsWith(v)
        | Predicate::Compare(_, v)
        | Predicate::OneOf(v) => show(v),
        Predicate::Exists(true) => "(present)".to_owned(),
        Predicate::Exists(false) => ABSENT.to_owned(),
        Predicate::Type(t) => t.to_string(),
        Predicate::Length(inner) => inner
            .iter()
            .map(|p| match p {
                Predicate::Equals(_) => describe_expected(p),
                other => format!("{} {}", other.keyword(), describe_expected(other)),
            })
            .collect::<Vec<_>>()
            .join(" and "),
    }
}

/// Evaluates `predicate` on `actual` (`None` when absent).
pub(super) fn eval_predicate(predicate: &Predicate, actual: Option<&Value>) -> PredicateOutcome {
    let outcome = |passed: bool, message: Option<String>| PredicateOutcome {
        predicate: predicate.keyword().to_owned(),
        expected: describe_expected(predicate),
        actual: actual.map_or_else(|| ABSENT.to_owned(), show),
        passed,
        message,
    };
    let Some(value) = actual else {
        return outcome(matches!(predicate, Predicate::Exists(false)), None);
    };
    let verdict = |check: Result<bool, String>| match check {
        Ok(passed) => outcome(passed, None),
        Err(message) => outcome(false, Some(message)),
    };
    match predicate {
        Predicate::Equals(expected) => {
            let passed = json_eq(value, expected);
            outcome(passed, (!passed).then(|| type_hint(value, expected)).flatten())
        }
        Predicate::NotEquals(expected) => outcome(!json_eq(value, expected), None),
        Predicate::Exists(present) => outcome(*present, None),
        Predicate::Type(t) => PredicateOutcome {
            actual: show_typed(value),
            ..outcome(t.matches(value), None)
        },
        Predicate::Matches(pattern) => verdict(matches_regex(value, pattern)),
        Predicate::Contains(needle) => verdict(contains(value, needle)),
        Predicate::NotContains(needle) => verdict(contains(value, needle).map(|found| !found)),
        Predicate::StartsWith(affix) => {
            verdict(text_pair("starts_with", value, affix).map(|(s, a)| s.starts_with(a)))
        }
        Predicate::EndsWith(affix) => {
            verdict(text_pair("ends_with", value, affix).map(|(s, a)| s.ends_with(a)))
        }
        Predicate::Compare(op, bound) => verdict(compare(value, bound).map(|ordering| match op {
            crate::model::CmpOp::Lt => ordering == Ordering::Less,
            crate::model::CmpOp::Le => ordering != Ordering::Greater,
            crate::model::CmpOp::Gt => ordering == Ordering::Greater,
            crate::model::CmpOp::Ge => ordering != Ordering::Less,
        })),
        Predicate::Length(inner) => eval_length(predicate, inner, value),
        Predicate::OneOf(Value::Array(options)) => outcome(options.iter().any(|o| json_eq(value, o)), None),
        Predicate::OneOf(other) => outcome(
            false,
            Some(format!("`one_of` needs a list, got {}", show_typed(other))),
        ),
    }
}

fn eval_length(predicate: &Predicate, inner: &[Predicate], value: &Value) -> PredicateOutcome {
    let length = match value {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(items) => Some(items.len()),
        Value::Object(map) => Some(map.len()),
        _ => None,
    };
    let Some(length) = length else {
        return PredicateOutcome {
            predicate: predicate.keyword().to_owned(),
            expected: describe_expected(predicate),
            actual: show(value),
            passed: false,
            message: Some(format!(
                "`length` applies to strings, arrays and objects; the value is {}",
                show_typed(value)
            )),
        };
    };
    let outcomes = eval_predicates(inner, Some(&Value::from(length)));
    let messages: Vec<String> = outcomes.iter().filter_map(|o| o.message.clone()).collect();
    PredicateOutcome {
        predicate: predicate.keyword().to_owned(),
        expected: describe_expected(predicate),
        actual: length.to_string(),
        passed: outcomes.iter().all(|o| o.passed),
        message: (!messages.is_empty()).then(|| messages.join("; ")),
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

fn matches_regex(value: &Value, pattern: &Value) -> Result<bool, String> {
    let Value::String(pattern) = pattern else {
        return Err(format!(
            "`matches` needs a regex string, got {}",
            show_typed(pattern)
        ));
    };
    let regex = Regex::new(pattern).map_err(|e| format!("invalid regex: {e}"))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CmpOp;
    use serde_json::json;

    fn outcome(predicate: Predicate, actual: Option<Value>) -> PredicateOutcome {
        eval_predicates(&[predicate], actual.as_ref()).remove(0)
    }

    #[test]
    fn equals_and_not_equals() {
        assert!(outcome(Predicate::Equals(json!(1)), Some(json!(1.0))).passed);
        assert!(
            outcome(
                Predicate::Equals(json!({"a": [1, 2.0]})),
                Some(json!({"a": [1.0, 2]}))
            )
            .passed
        );
        let failed = outcome(Predicate::Equals(json!(200)), Some(json!("200")));
        assert!(!failed.passed);
        assert_eq!(
            failed.message.as_deref(),
            Some("the value is a string, the expected value an integer")
        );
        assert!(outcome(Predicate::NotEquals(json!("a")), Some(json!("b"))).passed);
        assert!(!outcome(Predicate::NotEquals(json!(2)), Some(json!(2.0))).passed);
        assert!(
            !outcome(Predicate::NotEquals(json!(2)), None).passed,
            "absent fails everything but absent"
        );
    }

    #[test]
    fn exists_absent_and_type() {
        assert!(outcome(Predicate::Exists(true), Some(json!(null))).passed);
        assert!(!outcome(Predicate::Exists(true), None).passed);
        assert!(outcome(Predicate::Exists(false), None).passed);
        let present = outcome(Predicate::Exists(false), Some(json!(1)));
        assert_eq!((present.passed, present.expected.as_str()), (false, "(absent)"));
        assert!(outcome(Predicate::Type(JsonType::Integer), Some(json!(3))).passed);
        let wrong = outcome(Predicate::Type(JsonType::String), Some(json!(3)));
        assert_eq!(
            (wrong.passed, wrong.expected.as_str(), wrong.actual.as_str()),
            (false, "string", "integer 3")
        );
        let absent = outcome(Predicate::Type(JsonType::String), None);
        assert_eq!((absent.passed, absent.actual.as_str()), (false, "(absent)"));
    }

    #[test]
    fn matches_searches_strings_and_reports_bad_regexes() {
        assert!(
            outcome(Predicate::Matches(json!("[0-9]+")), Some(json!("abc123"))).passed,
            "unanchored"
        );
        assert!(!outcome(Predicate::Matches(json!("^[0-9]+$")), Some(json!("abc123"))).passed);
        let invalid = outcome(Predicate::Matches(json!("(")), Some(json!("x")));
        assert!(!invalid.passed);
        assert!(
            invalid
                .message
                .unwrap()
                .starts_with("invalid regex: regex parse error")
        );
        let number = outcome(Predicate::Matches(json!("1")), Some(json!(1)));
        assert_eq!(
            number.message.as_deref(),
            Some("`matches` applies to strings; the value is integer 1")
        );
    }

    #[test]
    fn contains_and_not_contains() {
        assert!(outcome(Predicate::Contains(json!("bc")), Some(json!("abc"))).passed);
        assert!(outcome(Predicate::Contains(json!(2.0)), Some(json!([1, 2]))).passed);
        assert!(outcome(Predicate::Contains(json!({"a": 1})), Some(json!([{"a": 1}]))).passed);
        assert!(outcome(Predicate::Contains(json!("k")), Some(json!({"k": 0}))).passed);
        assert!(!outcome(Predicate::Contains(json!("z")), Some(json!("abc"))).passed);
        assert!(outcome(Predicate::NotContains(json!("z")), Some(json!("abc"))).passed);
        assert!(!outcome(Predicate::NotContains(json!(1)), Some(json!([1]))).passed);
        let typed = outcome(Predicate::NotContains(json!(1)), Some(json!(5)));
        assert!(!typed.passed, "a type error never passes, even negated");
        assert_eq!(
            typed.message.as_deref(),
            Some("`contains` applies to strings, arrays and objects; the value is integer 5")
        );
        assert_eq!(
            outcome(Predicate::Contains(json!(1)), Some(json!("1")))
                .message
                .as_deref(),
            Some("a string can only contain a string; the expected value is integer 1")
        );
    }

    #[test]
    fn starts_with_and_ends_with() {
        assert!(outcome(Predicate::StartsWith(json!("Bearer ")), Some(json!("Bearer x"))).passed);
        assert!(!outcome(Predicate::StartsWith(json!("x")), Some(json!("Bearer x"))).passed);
        assert!(outcome(Predicate::EndsWith(json!("fie")), Some(json!("Žofie"))).passed);
        assert!(!outcome(Predicate::EndsWith(json!("Ž")), Some(json!("Žofie"))).passed);
        assert_eq!(
            outcome(Predicate::EndsWith(json!("1")), Some(json!(1)))
                .message
                .as_deref(),
            Some("`ends_with` applies to strings; the value is integer 1")
        );
    }

    #[test]
    fn comparisons_order_numbers_and_strings() {
        let cmp = |op, bound: Value, actual: Value| outcome(Predicate::Compare(op, bound), Some(actual));
        assert!(cmp(CmpOp::Lt, json!(3), json!(2.5)).passed);
        assert!(cmp(CmpOp::Le, json!(2), json!(2.0)).passed);
        assert!(cmp(CmpOp::Gt, json!(-1), json!(0)).passed);
        assert!(cmp(CmpOp::Ge, json!(u64::MAX), json!(u64::MAX)).passed);
        assert!(!cmp(CmpOp::Gt, json!(2), json!(2)).passed);
        assert!(cmp(CmpOp::Lt, json!("2026-02-01"), json!("2026-01-31")).passed);
        let mixed = cmp(CmpOp::Lt, json!(10), json!("9"));
        assert!(!mixed.passed);
        assert_eq!(mixed.predicate, "<");
        assert_eq!(
            mixed.message.as_deref(),
            Some("cannot compare string \"9\" with integer 10; ordering needs two numbers or two strings")
        );
    }

    #[test]
    fn length_counts_characters_elements_and_keys() {
        let length = |inner: Vec<Predicate>, actual: Value| outcome(Predicate::Length(inner), Some(actual));
        assert!(length(vec![Predicate::Equals(json!(5))], json!("Žofie")).passed);
        assert!(length(vec![Predicate::Equals(json!(2))], json!([1, 2])).passed);
        assert!(length(vec![Predicate::Equals(json!(1))], json!({"a": 1})).passed);
        let range = length(
            vec![
                Predicate::Compare(CmpOp::Gt, json!(10)),
                Predicate::Compare(CmpOp::Lt, json!(100)),
            ],
            json!("short"),
        );
        assert!(!range.passed);
        assert_eq!(
            (range.expected.as_str(), range.actual.as_str()),
            ("> 10 and < 100", "5")
        );
        let number = length(vec![Predicate::Equals(json!(1))], json!(7));
        assert_eq!(
            number.message.as_deref(),
            Some("`length` applies to strings, arrays and objects; the value is integer 7")
        );
    }

    #[test]
    fn one_of_lists_allowed_values() {
        assert!(outcome(Predicate::OneOf(json!(["a", 2])), Some(json!(2.0))).passed);
        assert!(!outcome(Predicate::OneOf(json!(["a", 2])), Some(json!("b"))).passed);
        assert_eq!(
            outcome(Predicate::OneOf(json!("a")), Some(json!("a")))
                .message
                .as_deref(),
            Some("`one_of` needs a list, got string \"a\"")
        );
    }

    #[test]
    fn long_values_are_shortened_for_display() {
        let long = json!("x".repeat(1000));
        let shown = outcome(Predicate::Equals(json!("y")), Some(long));
        assert!(shown.actual.ends_with("...") && shown.actual.chars().count() < 210);
    }
}

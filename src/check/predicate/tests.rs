//! Tests every predicate family through the dispatcher, with canned values.
//!
//! Test-only: must not be used outside unit tests.

use serde_json::{Value, json};

use crate::model::{CmpOp, JsonType, Predicate, TextFormat};

use super::super::EvalContext;
use super::super::actual::Actual;
use super::PredicateOutcome;
use super::eval_predicates;

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
        Some("`length` applies to strings, arrays, objects and bytes; the value is integer 7")
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

fn on(predicate: Predicate, actual: Actual) -> PredicateOutcome {
    super::eval_predicate(&predicate, &actual, &EvalContext::default())
}

fn exact(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn numbers_beyond_64_bits_compare_exactly() {
    let big = exact("18446744073709551617");
    assert!(
        !outcome(
            Predicate::Equals(big.clone()),
            Some(exact("18446744073709551616"))
        )
        .passed
    );
    assert!(
        outcome(
            Predicate::Equals(big.clone()),
            Some(exact("18446744073709551617"))
        )
        .passed
    );
    assert!(
        outcome(
            Predicate::Compare(CmpOp::Gt, exact("18446744073709551616")),
            Some(big)
        )
        .passed
    );
    let huge = exact("1000000000000000000000");
    assert!(outcome(Predicate::Type(JsonType::Integer), Some(huge.clone())).passed);
    assert!(outcome(Predicate::Equals(exact("1e21")), Some(huge)).passed);
}

#[test]
fn not_negates_and_never_turns_an_error_into_a_pass() {
    let not = |inner: Vec<Predicate>, actual: Option<Value>| outcome(Predicate::Not(inner), actual);
    assert!(not(vec![Predicate::Matches(json!("^x"))], Some(json!("abc"))).passed);
    let held = not(vec![Predicate::Type(JsonType::String)], Some(json!("abc")));
    assert!(!held.passed);
    assert_eq!(held.expected, "not type string");
    assert_eq!(held.message.as_deref(), Some("type held, so `not` fails"));
    let typed = not(vec![Predicate::Matches(json!("1"))], Some(json!(1)));
    assert!(!typed.passed && typed.broken, "a type error fails `not` too");
    assert!(
        !not(vec![Predicate::Equals(json!(1))], None).passed,
        "absent fails like not_equals"
    );
    assert!(
        not(vec![Predicate::Exists(true)], None).passed,
        "not exists = absent"
    );
    assert!(
        not(
            vec![Predicate::Equals(json!(1)), Predicate::Equals(json!(2))],
            Some(json!(1))
        )
        .passed
    );
}

#[test]
fn float_type_format_and_empty() {
    assert!(outcome(Predicate::Type(JsonType::Float), Some(json!(1.5))).passed);
    assert!(!outcome(Predicate::Type(JsonType::Float), Some(json!(2))).passed);
    assert!(
        outcome(
            Predicate::Format(TextFormat::Uuid),
            Some(json!("123e4567-e89b-12d3-a456-426614174000"))
        )
        .passed
    );
    let number = outcome(Predicate::Format(TextFormat::Email), Some(json!(5)));
    assert_eq!(
        number.message.as_deref(),
        Some("`format` applies to strings; the value is integer 5")
    );
    for empty in [json!(""), json!([]), json!({})] {
        assert!(outcome(Predicate::Empty(true), Some(empty)).passed);
    }
    assert!(outcome(Predicate::Empty(false), Some(json!([0]))).passed);
    assert!(!outcome(Predicate::Empty(true), None).passed);
    assert!(outcome(Predicate::Empty(true), Some(json!(0))).broken);
    assert!(on(Predicate::Empty(true), Actual::Bytes(Vec::new())).passed);
}

#[test]
fn bytes_are_measured_hashed_and_compared() {
    let bytes = Actual::Bytes(b"hello".to_vec());
    assert!(
        on(
            Predicate::Length(vec![Predicate::Equals(json!(5))]),
            bytes.clone()
        )
        .passed
    );
    let sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    assert!(on(Predicate::Sha256(json!(sha)), bytes.clone()).passed);
    assert!(on(Predicate::Sha256(json!(sha.to_uppercase())), bytes.clone()).passed);
    assert!(
        on(
            Predicate::Md5(json!("5d41402abc4b2a76b9719d911017c592")),
            bytes.clone()
        )
        .passed
    );
    assert!(on(Predicate::EqualsBase64(json!("aGVsbG8=")), bytes.clone()).passed);
    assert!(on(Predicate::EqualsHex(json!("68656c6c6f")), bytes.clone()).passed);
    let differs = on(Predicate::EqualsHex(json!("68656c6c70")), bytes.clone());
    assert_eq!(
        differs.message.as_deref(),
        Some("the bytes differ first at offset 4: 0x6f instead of 0x70")
    );
    assert!(
        on(Predicate::Sha256(json!(sha)), Actual::Json(json!("hello"))).passed,
        "a string hashes its UTF-8"
    );
    assert!(on(Predicate::Type(JsonType::String), bytes.clone()).broken);
    assert!(on(Predicate::Equals(json!("hello")), bytes).passed);
}

//! Tests the tag expression parser: precedence, grouping, matching and the
//! columns its errors name.
//!
//! Test-only. Must not hold anything the parser itself uses.

use super::*;

fn grouped(text: &str) -> String {
    TagExpr::parse(text).unwrap().to_string()
}

fn error(text: &str) -> String {
    TagExpr::parse(text).unwrap_err().to_string()
}

#[test]
fn not_binds_tighter_than_and_and_and_than_or() {
    assert_eq!(grouped("a or b and not c"), "(a or (b and (not c)))");
    assert_eq!(grouped("not a and b or c"), "(((not a) and b) or c)");
    assert_eq!(grouped("a and b and c"), "((a and b) and c)");
    assert_eq!(grouped("not not a"), "(not (not a))");
}

#[test]
fn parentheses_group_and_need_no_spaces() {
    assert_eq!(grouped("(a or b) and c"), "((a or b) and c)");
    assert_eq!(grouped("not(a or b)"), "(not (a or b))");
    assert_eq!(grouped("  smoke  "), "smoke");
    assert_eq!(grouped("mfa-email and v1.2:x"), "(mfa-email and v1.2:x)");
}

#[test]
fn expressions_match_the_tags_a_scenario_carries() {
    let tags = ["mfa", "email"];
    let has = |t: &str| tags.contains(&t);
    let holds = |text: &str| TagExpr::parse(text).unwrap().matches(&has);
    assert!(holds("mfa"));
    assert!(!holds("sms"));
    assert!(holds("mfa and not sms"));
    assert!(!holds("mfa and not email"));
    assert!(holds("sms or email"));
    assert!(holds("not (sms or totp)"));
    assert!(!holds("not mfa or sms"), "(not mfa) or sms");
}

#[test]
fn errors_name_the_column_and_what_was_expected() {
    assert_eq!(
        error("a and not"),
        "expected a tag after `not` at column 7, found the end"
    );
    assert_eq!(
        error("a and )"),
        "expected a tag after `and` at column 3, found `)` at column 7"
    );
    assert_eq!(
        error("or b"),
        "expected a tag at column 1, found `or` at column 1"
    );
    assert_eq!(
        error("a b"),
        "expected `and` or `or` before the tag `b` at column 3"
    );
    assert_eq!(
        error("(a or b"),
        "`(` at column 1 is never closed: expected `)` before the end"
    );
    assert_eq!(error("a)"), "`)` at column 2 closes no `(`");
    assert_eq!(
        error("(a b)"),
        "expected `and` or `or` before the tag `b` at column 4"
    );
    assert_eq!(error("   "), "the expression is empty: expected a tag");
    assert_eq!(
        error("()"),
        "expected a tag after `(` at column 1, found `)` at column 2"
    );
}

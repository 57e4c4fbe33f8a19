//! Tests the expansion of `matrix:` and `repeat:` into cases.
//!
//! Test-only. Must not hold anything the expansion itself uses.

use std::path::PathBuf;

use serde_json::json;

use super::*;
use crate::model::load::parse_source;

/// Expands `src` as a scenario file in `dir`.
fn expand_in(dir: &std::path::Path, src: &str) -> Expansion {
    let file = Arc::new(dir.join("t.yaml"));
    let loaded = LoadedScenario {
        scenario: parse_source(&file, src).unwrap_or_else(|d| panic!("{}", d.one_line())),
        case: None,
        source: Arc::from(src),
        file,
    };
    expand(&loaded).expect("the scenario has a matrix")
}

fn expand_src(src: &str) -> Expansion {
    expand_in(&PathBuf::from("."), src)
}

fn labels(expansion: &Expansion) -> Vec<&str> {
    expansion.cases.iter().map(|c| c.label.as_str()).collect()
}

fn errors(expansion: &Expansion) -> Vec<String> {
    expansion.diagnostics.iter().map(|d| d.message.clone()).collect()
}

const STEPS: &str = "steps:\n  - get: /x\n";

#[test]
fn axes_multiply_first_axis_slowest_and_exclude_drops_matches() {
    let e = expand_src(&format!(
        "name: a\nmatrix:\n  account: [sms, email]\n  tenant: [1, 2]\n  exclude:\n    - {{ account: sms, tenant: 2 }}\n{STEPS}"
    ));
    assert_eq!(errors(&e), Vec::<String>::new());
    assert_eq!(
        labels(&e),
        [
            "account=sms, tenant=1",
            "account=email, tenant=1",
            "account=email, tenant=2"
        ]
    );
    assert_eq!(e.cases[0].vars[1], ("tenant".to_owned(), json!(1)));
    assert_eq!(e.names.iter().collect::<Vec<_>>(), ["account", "tenant"]);
}

#[test]
fn rows_from_a_csv_file_and_repeat_are_axes_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rows.csv"), "user,tenant\nann,1\nbob,2\n").unwrap();
    let e = expand_in(
        dir.path(),
        &format!("name: a\nmatrix:\n  rows: rows.csv\nrepeat: 2\n{STEPS}"),
    );
    assert_eq!(errors(&e), Vec::<String>::new());
    assert_eq!(
        labels(&e),
        [
            "user=ann, tenant=1, repeat=1",
            "user=ann, tenant=1, repeat=2",
            "user=bob, tenant=2, repeat=1",
            "user=bob, tenant=2, repeat=2"
        ]
    );
    // A CSV value is text; `exclude` matches it by its text.
    assert_eq!(e.cases[0].vars[1].1, json!("1"));
}

#[test]
fn secret_variables_stay_out_of_labels() {
    let e = expand_src(&format!(
        "name: a\nsecrets: [pin_of]\nmatrix:\n  rows:\n    - {{ user: ann, password: p1, pin_of: x }}\n    - {{ user: bob, password: p2, pin_of: y }}\n{STEPS}"
    ));
    assert_eq!(labels(&e), ["user=ann", "user=bob"]);
    let e = expand_src(&format!("name: a\nmatrix:\n  password: [p1, p2]\n{STEPS}"));
    assert_eq!(labels(&e), ["#1", "#2"]);
}

#[test]
fn combinations_that_share_an_id_are_refused() {
    let e = expand_src(&format!(
        "name: a\nmatrix:\n  rows:\n    - {{ user: ann, password: p1 }}\n    - {{ user: ann, password: p2 }}\n{STEPS}"
    ));
    assert!(e.cases.is_empty());
    assert_eq!(
        errors(&e),
        ["combinations 1 and 2 have the same id `a [user=ann]`"]
    );
}

#[test]
fn mistakes_are_told_at_their_key() {
    let cases = [
        (
            "matrix:\n  account: sms\n",
            "`matrix.account` must be a list of values",
        ),
        (
            "matrix:\n  account: []\n",
            "`matrix.account` must be a list of values",
        ),
        ("matrix:\n  exclude: []\n", "`matrix` names no variable"),
        (
            "matrix:\n  first name: [a]\n",
            "in `matrix`: `first name` is not a name a template can read",
        ),
        (
            "vars: { account: x }\nmatrix:\n  account: [a]\n",
            "`account` is both a matrix variable and one of `vars`",
        ),
        (
            "matrix:\n  account: [a]\n  rows: [{ account: b }]\n",
            "the matrix gives `account` twice",
        ),
        (
            "matrix:\n  account: [a]\n  exclude: [{ acount: a }]\n",
            "`exclude` entry 1 names `acount`, which the matrix does not give (did you mean `account`?)",
        ),
        (
            "matrix:\n  account: [a]\n  exclude: [{ account: a }]\n",
            "`exclude` drops every combination",
        ),
        (
            "matrix:\n  rows: [{ a: 1 }, { b: 2 }]\n",
            "row 2 has no `a`, unlike row 1: every row must give the same variables",
        ),
        ("repeat: 0\n", "`repeat` must be from 1 to 10000"),
        (
            "repeat: 2\nmatrix:\n  repeat: [a]\n",
            "`repeat:` sets the variable `repeat`, which the matrix gives too",
        ),
        (
            "matrix:\n  a: [1,2,3,4,5,6,7,8,9,10]\n  b: [1,2,3,4,5,6,7,8,9,10]\n  c: [1,2,3,4,5,6,7,8,9,10]\n  d: [1,2,3,4,5,6,7,8,9,10]\n  e: [1,2]\n",
            "the matrix has more than 10000 combinations",
        ),
    ];
    for (yaml, expected) in cases {
        let e = expand_src(&format!("name: a\n{yaml}{STEPS}"));
        assert!(e.cases.is_empty(), "{yaml}");
        assert!(
            errors(&e).iter().any(|m| m == expected),
            "{yaml}: {:?}",
            errors(&e)
        );
    }
}

#[test]
fn an_exclude_entry_that_matches_nothing_is_a_warning() {
    let e = expand_src(&format!(
        "name: a\nmatrix:\n  account: [a, b]\n  exclude: [{{ account: c }}]\n{STEPS}"
    ));
    assert_eq!(e.cases.len(), 2);
    assert_eq!(errors(&e), ["`exclude` entry 1 matches no combination"]);
    assert!(!e.diagnostics[0].is_error());
}

#[test]
fn flows_cannot_have_a_matrix() {
    let e = expand_src(&format!("name: a\ninputs: {{ x: {{}} }}\nrepeat: 2\n{STEPS}"));
    assert_eq!(errors(&e), ["a reusable flow cannot have `matrix` or `repeat`"]);
}

#[test]
fn long_values_are_cut_and_line_breaks_escaped_in_labels() {
    let long = "x".repeat(60);
    let e = expand_src(&format!(
        "name: a\nmatrix:\n  v: [\"{long}\", \"a\\nb\"]\n{STEPS}"
    ));
    assert_eq!(labels(&e)[0].chars().count(), 2 + LABEL_VALUE_CHARS);
    assert!(labels(&e)[0].ends_with('…'));
    assert_eq!(labels(&e)[1], "v=a\\nb");
}

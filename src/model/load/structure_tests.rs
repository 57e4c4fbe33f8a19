//! Tests the structural checks of a parsed scenario.
//!
//! Test-only. Must not hold anything the checks themselves use.

use super::super::fixtures::file;
use super::super::parse_source;
use super::*;

fn checks(src: &str) -> Vec<Diagnostic> {
    let s = parse_source(&file(), src).unwrap();
    structural_checks(&file(), &s)
}

#[test]
fn valid_steps_pass_structural_checks() {
    let src = "name: x\nsteps:\n  - name: a\n    post: /login\n    json: { a: 1 }\n    timeout: 5s\n    retry: { attempts: 3, interval: 200ms }\n    expect: { status: 2xx, max_time: 1s, body: { $.a: { type: string } } }\n    capture:\n      t: $.t\n      c: { header: set-cookie, regex: 'sid=(\\w+)', group: 1 }\n    snapshot: { include: [status, headers] }\n  - use: flows/x.yaml\n    with: { a: 1 }\n    outputs: [b]\n";
    assert_eq!(checks(src), vec![]);
}

#[test]
fn structural_problems_are_all_reported_with_locations() {
    let src = "name: ' '\nsteps:\n  - name: a\n    get: /a\n    post: /b\n    json: {}\n    body: x\n    timeout: 5 parsecs\n    expect: { status: ok }\n    capture:\n      t: { jsonpath: $.a, header: x }\n      u: { jsonpath: $.a, regex: x }\n      v: { header: x, group: 1 }\n    snapshot: { include: [stauts] }\n    retry: { attempts: 0 }\n    with: { a: 1 }\n  - name: a\n    use: f.yaml\n    expect: { status: 200 }\n  - name: b\n";
    let found = checks(src);
    let messages: Vec<String> = found
        .iter()
        .map(|d| format!("{}: {}", d.location.line, d.message))
        .collect();
    let expected = [
        "1: the scenario name is empty",
        "5: this step has two request methods, `get` and `post`",
        "7: `json` and `body` both set the request body",
        "16: `with` only applies to a step that runs a flow (`use:`)",
        "8: `timeout`: invalid duration `5 parsecs`",
        "9: invalid status",
        "15: `attempts` must be at least 1",
        "11: capture `t` names several sources: `jsonpath`, `header`",
        "12: capture `u`: `regex` applies only",
        "13: capture `v`: `group` needs a `regex`",
        "14: unknown snapshot part `stauts`",
        "18: `expect` cannot be used on a step that runs a flow",
        "20: this step has no request",
        "17: two steps are named `a`",
    ];
    assert_eq!(found.len(), expected.len(), "{messages:#?}");
    for (got, want) in messages.iter().zip(expected) {
        assert!(got.starts_with(want), "{got} !~ {want}\n{messages:#?}");
    }
    let dup = found.last().unwrap();
    assert_eq!(dup.severity, crate::model::diag::Severity::Warning);
}

#[test]
fn zero_timeouts_and_deadlines_and_negative_lengths_are_refused() {
    let found = checks(
        "name: x\nsteps:\n  - get: /a\n    timeout: 0s\n    retry: { attempts: 2, interval: 0s, deadline: 0ms }\n    expect:\n      body:\n        $.a: { length: -1 }\n",
    );
    let messages: Vec<(u64, u64, &str)> = found
        .iter()
        .map(|d| (d.location.line, d.location.column, d.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (4, 14, "`timeout: 0s` is zero: no request can complete in no time"),
            (
                8,
                14,
                "body expectation `$.a`: `length` expects a whole number, 0 or more (a length is never negative or fractional), found -1"
            ),
            (5, 51, "`deadline: 0ms` is zero: no retry fits in no time"),
        ]
    );
    assert!(
        found[0].help[0].contains("remove `timeout`"),
        "{:?}",
        found[0].help
    );
    assert!(
        found[1].help[0].contains("a length counts"),
        "{:?}",
        found[1].help
    );
}

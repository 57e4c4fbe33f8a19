//! Tests the scope checks: undefined variables, order of definition, flows.
//!
//! Test-only. Must not hold anything the checks themselves use.

use indexmap::IndexMap;

use super::*;
use crate::model::load::parse_source;

/// Returns `(line, message)` of every diagnostic for a lone file.
fn problems(src: &str, extra: &[&str]) -> Vec<(u64, String)> {
    let file = Arc::new(PathBuf::from("t.yaml"));
    let loaded = LoadedScenario {
        scenario: parse_source(&file, src).unwrap_or_else(|d| panic!("{}", d.one_line())),
        case: None,
        source: Arc::from(src),
        file,
    };
    let loads = IndexMap::new();
    let extra: BTreeSet<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    check_file(&loaded, &extra, &FlowIndex::new(&loads))
        .into_iter()
        .map(|d| (d.location.line, d.message))
        .collect()
}

#[test]
fn scope_grows_in_run_order() {
    let src = "name: x\nvars:\n  a: \"{{ b }}\"\n  b: 1\n  c: \"{{ b }} {{ from_cli }}\"\nsteps:\n  - get: \"/{{ t }}\"\n  - get: /a\n    capture: { t: $.t }\n    expect: { body: { $.x: \"{{ t }}\" } }\n  - get: \"/{{ t }}/{{ c }}\"\n";
    assert_eq!(
        problems(src, &["from_cli"]),
        [
            (3, "undefined variable `b`".to_owned()),
            (7, "undefined variable `t`".to_owned())
        ]
    );
}

#[test]
fn finally_sees_every_capture_of_steps() {
    let src = "name: x\nsteps:\n  - get: /a\n    capture: { token: $.t }\nfinally:\n  - get: /logout\n    if: token is defined\n    query: { token: \"{{ token }}\", x: \"{{ late }}\" }\n  - get: /b\n    capture: { late: $.l }\n";
    assert_eq!(problems(src, &[]), [(8, "undefined variable `late`".to_owned())]);
}

#[test]
fn missing_flows_do_not_cascade_into_undefined_outputs() {
    let src = "name: x\nsteps:\n  - use: nowhere.yaml\n    outputs: [token]\n  - get: \"/{{ token }}\"\n";
    let found = problems(src, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.starts_with("flow file `nowhere.yaml` not found"),
        "{found:?}"
    );
}

#[test]
fn flow_outputs_must_be_defined_by_the_flow() {
    let src = "name: f\ninputs: { a: {} }\noutputs: [a, token, tokn]\nsteps:\n  - get: /a\n    capture: { token: $.t }\n";
    assert_eq!(
        problems(src, &[]),
        [(3, "output `tokn` is never defined in this flow".to_owned())]
    );
}

#[test]
fn template_syntax_errors_are_reported_once() {
    let src = "name: x\nsteps:\n  - get: \"/{{ a \"\n";
    let found = problems(src, &["a"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.starts_with("invalid template"), "{found:?}");
}

#[test]
fn recognises_definedness_tests() {
    assert!(only_tested_for_definedness("{{ token is defined }}", "token"));
    assert!(only_tested_for_definedness(
        "{{ token is not defined or token2 }}",
        "token"
    ));
    assert!(!only_tested_for_definedness(
        "{{ token is defined and token == 'a' }}",
        "token"
    ));
    assert!(!only_tested_for_definedness("{{ token }}", "token"));
}

#[test]
fn a_condition_on_variables_warns_about_a_name_never_defined_there() {
    let src = "name: x\nsteps:\n  - get: /a\n    capture: { status_code: { status: true } }\n  - get: /b\n    if: { vars: { status_code: 200, stauts_code: { exists: true }, other: \"{{ nope }}\" } }\n";
    assert_eq!(
        problems(src, &[]),
        [
            (
                6,
                "variable `stauts_code` is not defined at this point, so this test always gives the same answer"
                    .to_owned()
            ),
            (6, "undefined variable `nope`".to_owned()),
            (
                6,
                "variable `other` is not defined at this point, so this test always gives the same answer"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn names_read_through_a_slice_must_be_defined() {
    let src = "name: x\nsteps:\n  - get: \"/{{ plain[0:4] }}\"\n    headers: { X-A: \"{{ other[:2] }}\" }\n";
    assert_eq!(
        problems(src, &["other"]),
        [(3, "undefined variable `plain`".to_owned())]
    );
}

#[test]
fn unknown_functions_filters_and_tests_are_errors_with_a_suggestion() {
    let src = "name: x\nsteps:\n  - get: \"/{{ uuidd() }}\"\n    if: t is defnied\n    query: { a: \"{{ t | base64_encod }}\" }\n";
    assert_eq!(
        problems(src, &["t"]),
        [
            (4, "unknown test `defnied`; did you mean `defined`?".to_owned()),
            (3, "unknown function `uuidd`; did you mean `uuid`?".to_owned()),
            (
                5,
                "unknown filter `base64_encod`; did you mean `base64_encode`?".to_owned()
            ),
        ]
    );
}

#[test]
fn using_a_scenario_instead_of_a_flow_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("other.yaml"),
        "name: other\nsteps:\n  - get: /a\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.yaml"),
        "name: main\nsteps:\n  - use: other.yaml\n",
    )
    .unwrap();
    let report = crate::validate::check_paths(&[dir.path().join("main.yaml")], &BTreeSet::new());
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.is_error(), d.location.line, d.message.as_str()))
        .collect();
    assert_eq!(found, [(false, 3, "`other.yaml` is a scenario, not a flow")]);
}

//! Tests the shape walk as a whole: what it finds, where, and that it agrees
//! with the typed parse on every file the parse accepts or refuses.
//!
//! Must not reach into the walk's internals: it calls `find_problems` as
//! the loader does.

use std::path::Path;

use serde_saphyr::Options;

use super::{Found, Kind, Problem, find_problems};
use crate::model::load::{MAX_DEPTH, parse_source};

pub(super) fn options() -> Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH },
    }
}

fn problems(source: &str) -> Vec<(u64, u64, Problem)> {
    find_problems(source, options)
        .unwrap_or_else(|| panic!("no tree for:\n{source}"))
        .into_iter()
        .map(|p| (p.line, p.column, p.problem))
        .collect()
}

fn unknown(key: &str) -> impl Fn(&Problem) -> bool + '_ {
    move |p| matches!(p, Problem::UnknownKey { key: k, .. } if k == key)
}

fn wrong(key: &str, expected: &[Kind], found: Found) -> Problem {
    Problem::WrongKind {
        key: Some(key.to_owned()),
        expected: expected.to_vec(),
        found,
    }
}

#[test]
fn nesting_as_deep_as_the_budget_allows_fits_a_small_stack() {
    let depth = MAX_DEPTH - 4;
    let mut source = String::from("name: x\nsteps:\n  - get: /a\n    stauts: 1\n    json:\n");
    for level in 0..depth {
        source.push_str(&" ".repeat(6 + 2 * level));
        source.push_str("a:\n");
    }
    let found = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || problems(&source))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(unknown("stauts")(&found[0].2));
}

#[test]
fn unknown_keys_are_found_at_every_level_with_the_declared_keys() {
    let source = "name: x\nstep: []\nsnapshot: { redacted: [] }\ninputs: { a: { defualt: 1 } }\nsteps:\n  - get: /a\n    captur: {}\n    expect: { stats: 200 }\n    capture: { t: { jsonpth: $.t } }\n    snapshot: { redcat: [] }\n    retry: { attempts: 2, wait: 1s }\n  - ask: { var: a, prompt: b, envv: C }\nfinally:\n  - get: /b\n    hedaers: {}\n";
    let found = problems(source);
    let keys: Vec<(u64, &str)> = found
        .iter()
        .map(|(line, _, p)| match p {
            Problem::UnknownKey { key, .. } => (*line, key.as_str()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        keys,
        [
            (2, "step"),
            (3, "redacted"),
            (4, "defualt"),
            (7, "captur"),
            (8, "stats"),
            (9, "jsonpth"),
            (10, "redcat"),
            (11, "wait"),
            (12, "envv"),
            (15, "hedaers"),
        ]
    );
    let Problem::UnknownKey { valid, .. } = &found[3].2 else {
        unreachable!()
    };
    assert_eq!(valid[..4], ["name", "if", "get", "post"]);
    let Problem::UnknownKey { valid, .. } = &found[4].2 else {
        unreachable!()
    };
    assert_eq!(
        valid,
        &[
            "status",
            "headers",
            "body",
            "subset",
            "max_time",
            "text",
            "bytes",
            "schema",
            "header_values",
            "cookies",
            "redirects",
            "url",
            "version",
            "xpath",
            "css",
            "vars"
        ]
    );
}

/// Returns the place the typed parse reports its (first) error at.
fn typed_error_at(source: &str) -> (u64, u64) {
    let file = std::sync::Arc::new(std::path::PathBuf::from("t.yaml"));
    let d = parse_source(&file, source).expect_err(source);
    (d.location.line, d.location.column)
}

#[test]
fn wrong_kinds_are_found_where_serde_refuses_them() {
    let unsigned = Kind::Integer { unsigned: true };
    let step = |rest: &str| format!("name: x\nsteps:\n  - get: /a\n    {rest}\n");
    let cases = [
        (
            "name: { a: 1 }\n".to_owned(),
            wrong("name", &[Kind::String], Found::Mapping),
        ),
        (
            "name: x\ntags: x\n".to_owned(),
            wrong("tags", &[Kind::List], Found::Scalar),
        ),
        (
            "name: x\nsteps:\n  - get: [/a]\n".to_owned(),
            wrong("get", &[Kind::String, Kind::Null], Found::List),
        ),
        (
            step("follow_redirects: yes"),
            wrong("follow_redirects", &[Kind::Boolean, Kind::Mapping], Found::Scalar),
        ),
        (
            step("retry: { attempts: three }"),
            wrong("attempts", &[unsigned], Found::Scalar),
        ),
        (
            step("retry: { attempts: -1 }"),
            wrong("attempts", &[unsigned], Found::Scalar),
        ),
        (
            step("retry: { attempts: 2, backoff: fast }"),
            wrong("backoff", &[Kind::Number, Kind::Null], Found::Scalar),
        ),
        (
            step("capture: { t: 12 }"),
            wrong("t", &[Kind::String, Kind::Mapping], Found::Scalar),
        ),
        (
            step("snapshot: maybe"),
            wrong("snapshot", &[Kind::Boolean, Kind::Mapping], Found::Scalar),
        ),
        (
            step("expect: [200]"),
            wrong("expect", &[Kind::Mapping], Found::List),
        ),
    ];
    for (source, problem) in cases {
        let found = find_problems(&source, options).unwrap();
        assert_eq!(found.len(), 1, "{source}");
        assert_eq!(found[0].problem, problem, "{source}");
        let typed = typed_error_at(&source);
        let place = (found[0].line, found[0].column);
        // Serde points at the value, or for some shorthands at its key.
        assert!(
            typed == place || Some(typed) == found[0].key_at,
            "{source}: {typed:?} vs {:?}",
            found[0]
        );
    }
}

#[test]
fn one_run_finds_what_serde_finds_one_at_a_time() {
    let source = "name: { a: 1 }\ntags: x\nsteps:\n  - get: /a\n    follow_redirects: yes\n    retry: { attempts: three, backoff: fast }\n    capture: { t: 12 }\n    snapshot: maybe\n";
    let places: Vec<(u64, u64)> = problems(source).iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(
        places,
        [(1, 7), (2, 7), (5, 23), (6, 24), (6, 40), (7, 19), (8, 15)]
    );
}

#[test]
fn scalars_serde_converts_are_accepted() {
    let source = "name: 12\ndescription: true\nsteps:\n  - get: 5\n    follow_redirects: \"true\"\n    retry: { attempts: \"3\", backoff: \"1.5\", interval: 5s }\n    capture: { t: { group: \"2\", status: true } }\n";
    let file = std::sync::Arc::new(std::path::PathBuf::from("t.yaml"));
    assert!(parse_source(&file, source).is_ok());
    assert_eq!(problems(source), []);
}

#[test]
fn numbers_where_a_duration_string_is_expected_are_found() {
    let source = "name: x\nsteps:\n  - get: /a\n    timeout: 5\n    expect: { max_time: 1.5 }\n    retry: { attempts: 2, interval: true, deadline: 10s }\n";
    let found: Vec<(u64, Problem)> = problems(source).into_iter().map(|(l, _, p)| (l, p)).collect();
    let duration = |key: &str| Problem::NotADurationString { key: key.to_owned() };
    assert_eq!(
        found,
        [
            (4, duration("timeout")),
            (5, duration("max_time")),
            (6, duration("interval"))
        ]
    );
}

#[test]
fn empty_values_are_left_to_serde_unless_a_value_is_required() {
    let source =
        "name:\nsecrets:\nsteps:\n  - get:\n    timeout:\n    retry: { attempts: }\n    capture: { t: }\n";
    let found = problems(source);
    let no_value = |key: &str, expected: &[Kind]| Problem::NoValue {
        key: Some(key.to_owned()),
        expected: expected.to_vec(),
    };
    assert_eq!(
        found,
        [
            (1, 5, no_value("name", &[Kind::String])),
            (6, 22, no_value("attempts", &[Kind::Integer { unsigned: true }])),
        ]
    );
}

#[test]
fn missing_required_keys_are_found_where_the_mapping_starts() {
    let found = problems("steps:\n  - get: /a\n    retry: { interval: 1s }\n  - ask:\n      var: a\n");
    let missing = |key: &str, parent: Option<&str>, at_root: bool| Problem::MissingKey {
        key: key.to_owned(),
        parent: parent.map(str::to_owned),
        at_root,
    };
    assert_eq!(
        found,
        [
            (1, 1, missing("name", None, true)),
            (3, 12, missing("attempts", Some("retry"), false)),
            (5, 7, missing("prompt", Some("ask"), false)),
        ]
    );
}

#[test]
fn free_json_values_are_not_looked_into() {
    let source = "name: x\nvars: { a: { b: [1, { c: d }] } }\nsteps:\n  - post: /a\n    json: { stauts: [1, { x: y }] }\n    headers: { X-A: [1, 2] }\n    expect:\n      status: 2xx\n      subset: { any: thing }\n      body:\n        $.a: { exists: yes please, lenght: 2 }\n        $.b: { name: x, role: [admin] }\n    capture: { t: { jsonpath: $.t, default: { any: [thing] } } }\n";
    assert_eq!(problems(source), []);
}

#[test]
fn a_tree_that_is_not_string_keyed_is_left_to_the_typed_parse() {
    assert_eq!(find_problems("name: x\nvars:\n  ? [a]\n  : 1\n", options), None);
}

#[test]
fn the_shipped_scenarios_and_loading_fixtures_have_no_shape_problems() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for folder in ["scenarios", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(root.join(folder)) {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let Ok(source) = String::from_utf8(std::fs::read(&path).unwrap()) else {
                continue;
            };
            let file = std::sync::Arc::new(path.clone());
            if parse_source(&file, &source).is_err() {
                continue;
            }
            let found = find_problems(&source, options);
            assert_eq!(found, Some(Vec::new()), "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} files checked");
}

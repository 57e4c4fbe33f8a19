//! Tests reading JSON reports back and merging them: a report read back
//! writes the same JSON and JUnit again, shards merge into what one run
//! writes, and what is not ours (or of another format or version) is refused.
//!
//! Test-only. Must not hold anything the merge itself uses.

use std::path::Path;

use super::*;
use crate::engine::{ScenarioResult, Status};
use crate::report::read::{ReadError, read_report};
use crate::report::{JsonReporter, JunitReporter, Reporter, fixtures};

/// Returns the results of a run covering every kind of outcome.
fn every_outcome() -> Vec<ScenarioResult> {
    let mut never = ScenarioResult::not_started(
        "Later".to_owned(),
        "scenarios/zz-later.yaml".into(),
        vec!["slow".to_owned()],
        "not started: --fail-fast after `Search` errored".to_owned(),
    );
    never.notes.push("a note".to_owned());
    vec![
        fixtures::passed("Login with password", "a-login.yaml"),
        fixtures::failed_assertion(),
        fixtures::transport_error(),
        fixtures::snapshot_mismatch(),
        fixtures::failure_then_finally(),
        fixtures::skipped_scenario(),
        fixtures::hostile_body(),
        fixtures::retried(true),
        never,
    ]
}

/// Sorts results as an unsharded run gives them: by file, then position.
fn in_file_order(mut results: Vec<ScenarioResult>) -> Vec<ScenarioResult> {
    results.sort_by(|a, b| a.file.cmp(&b.file).then(a.position.cmp(&b.position)));
    results
}

/// Writes the JSON and JUnit reports of `events` into `dir` as `name`.json/.xml.
fn write_reports(dir: &Path, name: &str, events: &[crate::engine::Event]) -> (String, String) {
    let json = dir.join(format!("{name}.json"));
    let xml = dir.join(format!("{name}.xml"));
    let mut reporters: Vec<Box<dyn Reporter>> = vec![
        Box::new(JsonReporter::new(&json)),
        Box::new(JunitReporter::new(&xml)),
    ];
    for reporter in &mut reporters {
        fixtures::feed(reporter.as_mut(), events);
        reporter.finish().unwrap();
    }
    (
        std::fs::read_to_string(json).unwrap(),
        std::fs::read_to_string(xml).unwrap(),
    )
}

fn merged(dir: &Path, inputs: &[&str]) -> (Merged, String, String) {
    let reports = inputs
        .iter()
        .map(|name| read_report(&dir.join(format!("{name}.json"))).unwrap())
        .collect();
    let outputs = ReportFiles {
        junit: Some(dir.join("merged.xml")),
        json: Some(dir.join("merged.json")),
        tap: None,
        html: Some(dir.join("merged.html")),
    };
    let merged = merge(reports, &outputs).unwrap();
    let page = std::fs::read_to_string(dir.join("merged.html")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("merged.json")).unwrap()).unwrap();
    let total = format!(
        "<span class=\"count\" data-status=\"total\">{}</span>",
        json["summary"]["total"]
    );
    assert!(
        page.contains(&total),
        "the merged page counts what the merged JSON counts"
    );
    (
        merged,
        std::fs::read_to_string(dir.join("merged.json")).unwrap(),
        std::fs::read_to_string(dir.join("merged.xml")).unwrap(),
    )
}

/// Blanks what differs between a run and its shards: run-wide times.
fn without_run_times(text: &str) -> String {
    let text = regex::Regex::new(r#"(<testsuites?\b[^>]*) time="[^"]*""#)
        .unwrap()
        .replace_all(text, "$1");
    let text = regex::Regex::new(r#""summary": \{([^}]*)"duration_ms": \d+"#)
        .unwrap()
        .replace_all(&text, r#""summary": {${1}"duration_ms": 0"#);
    text.into_owned()
}

#[test]
fn a_report_read_back_writes_the_same_reports_again() {
    let dir = tempfile::tempdir().unwrap();
    let results = in_file_order(every_outcome());
    let (json, xml) = write_reports(dir.path(), "run", &fixtures::run_of(results));
    let (merged, json_again, xml_again) = merged(dir.path(), &["run"]);
    assert_eq!(json_again, json);
    assert_eq!(xml_again, xml);
    assert!(merged.complete && merged.replaced.is_empty());
    assert_eq!(merged.summary.flaky, 1);
}

#[test]
fn shards_merge_into_what_one_run_writes() {
    let dir = tempfile::tempdir().unwrap();
    let results = in_file_order(every_outcome());
    let (json, xml) = write_reports(dir.path(), "whole", &fixtures::run_of(results.clone()));
    // Every other scenario to each shard, the second shard given first.
    let (odd, even): (Vec<_>, Vec<_>) = results.into_iter().enumerate().partition(|(i, _)| i % 2 == 1);
    let shard = |part: Vec<(usize, ScenarioResult)>| part.into_iter().map(|(_, r)| r).collect::<Vec<_>>();
    write_reports(dir.path(), "odd", &fixtures::run_of(shard(odd)));
    write_reports(dir.path(), "even", &fixtures::run_of(shard(even)));
    let (merged, merged_json, merged_xml) = merged(dir.path(), &["odd", "even"]);
    assert_eq!(without_run_times(&merged_json), without_run_times(&json));
    assert_eq!(without_run_times(&merged_xml), without_run_times(&xml));
    assert_eq!(merged.summary.total, 9);
    assert_eq!(merged.summary.duration, std::time::Duration::from_millis(3000));
}

#[test]
fn matrix_combinations_keep_their_place_in_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = |position: usize| ScenarioResult {
        name: format!("Login [n={position}]"),
        file: "scenarios/login.yaml".into(),
        position,
        status: Status::Passed,
        ..ScenarioResult::default()
    };
    write_reports(dir.path(), "one", &fixtures::run_of(vec![case(2), case(0)]));
    write_reports(dir.path(), "two", &fixtures::run_of(vec![case(1)]));
    let (_, json, _) = merged(dir.path(), &["one", "two"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = value["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Login [n=0]", "Login [n=1]", "Login [n=2]"]);
}

#[test]
fn a_scenario_in_two_reports_keeps_the_last_ones_result() {
    let dir = tempfile::tempdir().unwrap();
    let first = fixtures::failed_assertion();
    let rerun = ScenarioResult {
        status: Status::Passed,
        steps: Vec::new(),
        ..first.clone()
    };
    write_reports(dir.path(), "first", &fixtures::run_of(vec![first]));
    write_reports(dir.path(), "rerun", &fixtures::run_of(vec![rerun]));
    let (merged, _, _) = merged(dir.path(), &["first", "rerun"]);
    assert!(merged.summary.all_passed(), "{:?}", merged.summary);
    assert_eq!(merged.replaced.len(), 1);
    assert!(
        merged.replaced[0].ends_with("rerun.json is kept"),
        "{}",
        merged.replaced[0]
    );
}

#[test]
fn an_interrupted_shard_makes_the_merge_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    write_reports(dir.path(), "stopped", &fixtures::interrupted());
    write_reports(dir.path(), "done", &fixtures::all_passed());
    let (merged, json, xml) = merged(dir.path(), &["stopped", "done"]);
    assert!(!merged.complete);
    assert!(json.contains(r#""complete": false"#) && json.contains(r#""status": "incomplete""#));
    assert!(xml.contains(r#"type="incomplete""#), "{xml}");
}

#[test]
fn what_is_not_our_report_is_refused_with_why() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let err = read_report(&write("junit.json", "<testsuites/>")).unwrap_err();
    assert!(matches!(err, ReadError::NotOurs { .. }), "{err}");
    let err = read_report(&write("other.json", r#"{"tests": []}"#)).unwrap_err();
    assert!(err.to_string().contains("it has no `format` field"), "{err}");
    let err = read_report(&write("old.json", r#"{"format": 1, "scenarios": []}"#)).unwrap_err();
    assert!(matches!(err, ReadError::Format { found: 1, .. }), "{err}");
    assert!(err.to_string().contains("reads format 2 only"), "{err}");
    let err = read_report(&write(
        "cut.json",
        r#"{"format": 2, "version": "0.1.0", "scenarios": ["#,
    ))
    .unwrap_err();
    assert!(matches!(err, ReadError::NotOurs { .. }), "{err}");
    let err = read_report(&dir.path().join("missing.json")).unwrap_err();
    assert!(matches!(err, ReadError::Io { .. }), "{err}");
}

#[test]
fn reports_of_two_versions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (json, _) = write_reports(dir.path(), "now", &fixtures::all_passed());
    let older = json.replacen(
        &format!(r#""version": "{}""#, crate::report::json_shape::VERSION),
        r#""version": "0.0.1""#,
        1,
    );
    std::fs::write(dir.path().join("older.json"), older).unwrap();
    let reports = ["now", "older"]
        .iter()
        .map(|name| read_report(&dir.path().join(format!("{name}.json"))).unwrap())
        .collect();
    let err = merge(reports, &ReportFiles::default()).unwrap_err();
    assert!(matches!(err, MergeError::Versions { .. }), "{err}");
    assert!(err.to_string().contains("by 0.0.1"), "{err}");
    assert!(matches!(
        merge(Vec::new(), &ReportFiles::default()),
        Err(MergeError::NoInput)
    ));
}

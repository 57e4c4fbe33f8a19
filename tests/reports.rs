//! Drives the report files of whole runs: `scenario report merge` of two
//! shards (disjoint file lists) writes the JUnit and JSON reports the
//! unsharded run writes, timings apart; what is not a JSON report of ours,
//! or of another version, is refused with exit code 2; and a run stopped
//! by invalid files still writes both reports, one error per invalid file.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};

use support::serve::{Served, serve};
use support::{RunToEnd, scenario};

/// Serves fixed answers, counting every request.
fn server() -> (Served, Arc<AtomicUsize>, String) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = |calls: &Arc<AtomicUsize>| {
        let calls = Arc::clone(calls);
        move || {
            calls.fetch_add(1, Ordering::SeqCst);
        }
    };
    let (items, broken) = (counted(&calls), counted(&calls));
    let app = Router::new()
        .route(
            "/api/items",
            get(move || async move {
                items();
                axum::Json(json!({"items": [1, 2, 3], "next": null}))
            }),
        )
        .route(
            "/api/broken",
            get(move || async move {
                broken();
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    axum::Json(json!({"error": "boom"})),
                )
            }),
        );
    let served = serve(app, 1);
    let url = format!("http://{}/api", served.addr);
    (served, calls, url)
}

const FILES: &[(&str, &str)] = &[
    (
        "a-list.yaml",
        "name: List items\ntags: [smoke]\nsteps:\n  - name: List\n    get: /items\n    \
         expect: { status: 200, body: { \"$.items[0]\": 1 } }\n    capture: { first: \"$.items[0]\" }\n",
    ),
    (
        "b-broken.yaml",
        "name: Broken endpoint\nsteps:\n  - name: Call it\n    get: /broken\n    expect: { status: 200 }\n  \
         - name: Never reached\n    get: /items\nfinally:\n  - name: Clean up\n    get: /items\n",
    ),
    (
        "c-matrix.yaml",
        "name: Items by kind\nmatrix:\n  kind: [x, y, z]\nsteps:\n  - name: List {{ kind }}\n    \
         get: /items\n    query: { kind: \"{{ kind }}\" }\n    expect: { status: 200 }\n",
    ),
    (
        "d-skipped.yaml",
        "name: Only sometimes\nsteps:\n  - name: Maybe\n    if: \"false\"\n    get: /items\n",
    ),
];

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    for (name, text) in FILES {
        std::fs::write(dir.path().join("scenarios").join(name), text).unwrap();
    }
    dir
}

/// Runs `paths` against `url`, writing `NAME.xml` and `NAME.json`; the run
/// exits with `code`.
fn run_into(dir: &Path, url: &str, name: &str, paths: &[&str], code: i32) {
    scenario(dir)
        .arg("run")
        .args(paths)
        .args(["--target", url])
        .args([
            "--junit",
            &format!("{name}.xml"),
            "--report-json",
            &format!("{name}.json"),
        ])
        .ran()
        .assert_code(code);
}

/// Blanks what two runs of one suite never share: when they started and
/// how long things took.
fn without_timings(text: &str) -> String {
    let text = regex::Regex::new(r#"(timestamp="|"started_at": ")[0-9T:Z-]+""#)
        .unwrap()
        .replace_all(text, r#"${1}S""#);
    let text = regex::Regex::new(r#"time="[0-9.]+""#)
        .unwrap()
        .replace_all(&text, r#"time="T""#);
    let text = regex::Regex::new(r#""duration_ms": \d+"#)
        .unwrap()
        .replace_all(&text, r#""duration_ms": 0"#);
    let text = regex::Regex::new(r"\b\d+(\.\d+)?(ms|s)\b")
        .unwrap()
        .replace_all(&text, "[duration]");
    text.into_owned()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn merged_shards_write_the_reports_of_the_unsharded_run() {
    let (_served, _calls, url) = server();
    let dir = project();
    run_into(dir.path(), &url, "whole", &["scenarios"], 1);
    let one = ["scenarios/a-list.yaml", "scenarios/c-matrix.yaml"];
    run_into(dir.path(), &url, "one", &one, 0);
    let two = ["scenarios/b-broken.yaml", "scenarios/d-skipped.yaml"];
    run_into(dir.path(), &url, "two", &two, 1);
    let output = scenario(dir.path())
        .args(["report", "merge", "two.json", "one.json"])
        .args(["--junit", "merged.xml", "--report-json", "merged.json"])
        .ran();
    // The exit code is the unsharded run's: a scenario failed.
    output.assert_code(1);
    assert!(
        output
            .stdout
            .starts_with("Merged 2 reports: 5 passed, 1 failed, 0 errored (6 scenarios) in "),
        "{}",
        output.stdout
    );
    let whole_json = read(dir.path(), "whole.json");
    assert_eq!(
        without_timings(&read(dir.path(), "merged.json")),
        without_timings(&whole_json)
    );
    assert_eq!(
        without_timings(&read(dir.path(), "merged.xml")),
        without_timings(&read(dir.path(), "whole.xml"))
    );
    // The merged suite started when its first shard did, on the shards' host.
    let started = |name: &str| {
        let report: Value = serde_json::from_str(&read(dir.path(), name)).unwrap();
        (
            report["started_at"].as_str().unwrap().to_owned(),
            report["hostname"].clone(),
        )
    };
    let (one_start, host) = started("one.json");
    let (merged_start, merged_host) = started("merged.json");
    assert_eq!(merged_start, one_start.min(started("two.json").0));
    assert_eq!(merged_host, host);
    assert!(
        read(dir.path(), "merged.xml").contains(&format!(r#"timestamp="{merged_start}""#)),
        "every suite is stamped with the suite's start"
    );
    let report: Value = serde_json::from_str(&whole_json).unwrap();
    let names: Vec<&str> = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "List items",
            "Broken endpoint",
            "Items by kind [kind=x]",
            "Items by kind [kind=y]",
            "Items by kind [kind=z]",
            "Only sometimes"
        ]
    );
}

#[test]
fn merged_partitions_of_expanded_cases_write_the_reports_of_the_whole_run() {
    let (_served, _calls, url) = server();
    let dir = project();
    run_into(dir.path(), &url, "whole", &["scenarios"], 1);
    // Round robin over the six cases: the matrix's cases land on both shards.
    let first = ["scenarios", "--partition", "count:1/2"];
    run_into(dir.path(), &url, "first", &first, 0);
    let second = ["scenarios", "--partition", "count:2/2"];
    run_into(dir.path(), &url, "second", &second, 1);
    let names = |name: &str| -> Vec<String> {
        let report: Value = serde_json::from_str(&read(dir.path(), name)).unwrap();
        report["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names("first.json"),
        ["List items", "Items by kind [kind=x]", "Items by kind [kind=z]"]
    );
    assert_eq!(
        names("second.json"),
        ["Broken endpoint", "Items by kind [kind=y]", "Only sometimes"]
    );
    scenario(dir.path())
        .args(["report", "merge", "first.json", "second.json"])
        .args(["--junit", "merged.xml", "--report-json", "merged.json"])
        .ran()
        .assert_code(1);
    assert_eq!(
        without_timings(&read(dir.path(), "merged.json")),
        without_timings(&read(dir.path(), "whole.json"))
    );
    assert_eq!(
        without_timings(&read(dir.path(), "merged.xml")),
        without_timings(&read(dir.path(), "whole.xml"))
    );
}

#[test]
fn merge_refuses_what_is_not_one_of_our_json_reports() {
    let (_served, _calls, url) = server();
    let dir = project();
    run_into(dir.path(), &url, "one", &["scenarios/b-broken.yaml"], 1);
    let output = scenario(dir.path()).args(["report", "merge", "one.xml"]).ran();
    output.assert_code(2);
    assert!(
        output
            .stderr
            .contains("error: one.xml is not a JSON report of `scenario run --report-json`"),
        "{}",
        output.stderr
    );
    let report = read(dir.path(), "one.json");
    let version = format!(r#""version": "{}""#, env!("CARGO_PKG_VERSION"));
    std::fs::write(
        dir.path().join("older.json"),
        report.replacen(&version, r#""version": "0.0.1""#, 1),
    )
    .unwrap();
    let output = scenario(dir.path())
        .args(["report", "merge", "one.json", "older.json", "--junit", "m.xml"])
        .ran();
    output.assert_code(2);
    assert!(
        output
            .stderr
            .contains("and older.json by 0.0.1; merge reports of one version"),
        "{}",
        output.stderr
    );
    assert!(
        !dir.path().join("m.xml").exists(),
        "nothing is written when refused"
    );
    std::fs::write(
        dir.path().join("format1.json"),
        report.replacen(r#""format": 2"#, r#""format": 1"#, 1),
    )
    .unwrap();
    let output = scenario(dir.path())
        .args(["report", "merge", "format1.json"])
        .ran();
    output.assert_code(2);
    assert!(output.stderr.contains("reads format 2 only"), "{}", output.stderr);
    let output = scenario(dir.path())
        .args(["report", "merge", "missing.json"])
        .ran();
    output.assert_code(2);
    assert!(
        output.stderr.contains("cannot read missing.json"),
        "{}",
        output.stderr
    );
}

#[test]
fn invalid_files_still_get_both_reports_with_one_error_each() {
    let (_served, calls, url) = server();
    let dir = project();
    let scenarios = dir.path().join("scenarios");
    std::fs::write(
        scenarios.join("e-typo.yaml"),
        "name: Typo\nsteps:\n  - name: List\n    gett: /items\n",
    )
    .unwrap();
    std::fs::write(
        scenarios.join("f-two.yaml"),
        "name: Two problems\nsteps:\n  - name: List\n    get: /items\n    expect: { status: 2000 }\n    \
         capture: { x: \"$[\" }\n",
    )
    .unwrap();
    let output = scenario(dir.path())
        .args(["run", "scenarios", "--target", &url])
        .args(["--junit", "junit.xml", "--report-json", "report.json"])
        .ran();
    output.assert_code(2);
    assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing was sent");
    let report: Value = serde_json::from_str(&read(dir.path(), "report.json")).unwrap();
    assert_eq!(report["summary"]["errored"], 2);
    assert_eq!(report["summary"]["total"], 2);
    let cases = report["scenarios"].as_array().unwrap();
    let first_error = output
        .stderr
        .lines()
        .find(|line| line.starts_with("error"))
        .unwrap()
        .trim_start_matches("error: ");
    for (case, file) in cases
        .iter()
        .zip(["scenarios/e-typo.yaml", "scenarios/f-two.yaml"])
    {
        assert_eq!(case["name"], file);
        assert_eq!(case["file"], file);
        assert_eq!(case["status"], "errored");
        let message = case["invalid"]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("{file}:")), "{message}");
        let details = case["invalid"]["details"].as_str().unwrap();
        assert!(details.contains(&format!("--> {file}:")), "{details}");
        assert!(!details.contains('\u{1b}'), "no colour: {details}");
    }
    assert!(
        cases[0]["invalid"]["message"]
            .as_str()
            .unwrap()
            .contains(first_error),
        "the first diagnostic, on one line: {first_error}"
    );
    let two_problems = cases[1]["invalid"]["details"].as_str().unwrap();
    assert_eq!(
        two_problems.matches("error").count(),
        2,
        "every diagnostic: {two_problems}"
    );
    let xml = read(dir.path(), "junit.xml");
    assert!(
        xml.contains(r#"<testsuites name="scenario" tests="2" failures="0" errors="2""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testcase name="scenarios/e-typo.yaml" classname="scenarios/e-typo""#),
        "{xml}"
    );
    assert_eq!(xml.matches(r#"type="invalid""#).count(), 2, "{xml}");
    assert_eq!(xml.matches("<system-out>").count(), 2, "{xml}");
}

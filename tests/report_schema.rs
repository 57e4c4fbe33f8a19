//! Checks the JSON report's schema: the committed `scenario-report.schema.json`
//! is what the report types generate, `scenario schema --report` prints it,
//! and the reports of real runs (every kind of result, retries, an invalid
//! file, a merge of shards, Ctrl-C) validate against the committed file.

mod support;

use std::path::Path;

use serde_json::Value;

use support::mixed::{project, server};
use support::{RunToEnd, read_json, root, scenario};

fn committed() -> Value {
    let text = std::fs::read_to_string(root().join(scenario::report::REPORT_SCHEMA_FILE)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Asserts that the report at `path` is valid against the committed schema.
fn assert_valid(path: &Path) {
    let schema = committed();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let report = read_json(path);
    let problems: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("at `{}`: {e}", e.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{}:\n{}",
        path.display(),
        problems.join("\n")
    );
}

#[test]
fn the_committed_report_schema_is_what_the_code_generates() {
    let committed =
        std::fs::read_to_string(root().join(scenario::report::REPORT_SCHEMA_FILE)).unwrap_or_default();
    assert!(
        committed == scenario::report::render_report_schema(),
        "scenario-report.schema.json differs from what the report types generate; \
         run `cargo run -- schema --report > scenario-report.schema.json` and commit it"
    );
    let output = scenario(&root()).args(["schema", "--report"]).ran();
    output.assert_code(0);
    assert_eq!(output.stdout, committed);
}

#[test]
fn reports_of_real_runs_are_valid() {
    let (_served, url) = server();
    let dir = project();
    let run = |paths: &[&str], name: &str, code: i32| {
        scenario(dir.path())
            .arg("run")
            .args(paths)
            .args(["--target", &url, "--retries", "1", "--report-json", name])
            .ran()
            .assert_code(code);
    };
    run(&[], "all.json", 1);
    run(&["scenarios/a-pass.yaml", "scenarios/b-fail.yaml"], "one.json", 1);
    run(
        &["scenarios/e-flaky.yaml", "scenarios/g.v2.matrix.yaml"],
        "two.json",
        0,
    );
    scenario(dir.path())
        .args([
            "report",
            "merge",
            "one.json",
            "two.json",
            "--report-json",
            "merged.json",
        ])
        .ran()
        .assert_code(1);
    std::fs::write(
        dir.path().join("scenarios/z-invalid.yaml"),
        "name: Broken\nsteps:\n  - name: x\n    gett: /ok\n",
    )
    .unwrap();
    run(&[], "invalid.json", 2);
    for name in ["all.json", "one.json", "two.json", "merged.json", "invalid.json"] {
        assert_valid(&dir.path().join(name));
    }
    let mut all = read_json(&dir.path().join("all.json"));
    assert_eq!(
        (&all["complete"], &all["interrupted"]),
        (&Value::Bool(true), &Value::Bool(false))
    );
    // The schema is no formality: a report with a wrong type fails it.
    all["scenarios"][0]["attempts"] = Value::from("two");
    let schema = committed();
    assert!(!jsonschema::draft7::new(&schema).unwrap().is_valid(&all));
}

#[test]
fn an_interrupted_run_says_so_and_stays_valid() {
    let (_served, url) = server();
    let dir = project();
    std::fs::write(
        dir.path().join("scenarios/0-slow.yaml"),
        "name: Slow\nsteps:\n  - name: Wait\n    get: /ok\n    retry: { attempts: 1000, interval: 50ms }\n    expect: { status: 201 }\n",
    )
    .unwrap();
    let child = support::spawn_scenario(
        dir.path(),
        &[
            "run",
            "--target",
            &url,
            "--jobs",
            "1",
            "--report-json",
            "stopped.json",
        ],
    );
    std::thread::sleep(std::time::Duration::from_millis(400));
    support::interrupt(child.id());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let path = dir.path().join("stopped.json");
    assert_valid(&path);
    let report = read_json(&path);
    assert_eq!(report["interrupted"], true, "{report:#}");
    let skipped = report["scenarios"][1]["skip_reason"].as_str().unwrap();
    assert_eq!(skipped, "not started: the run was interrupted");
}

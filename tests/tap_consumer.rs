//! Reads the TAP reports of real runs with tap-parser, the TAP 14 reference
//! parser, in strict mode: it must find no error, count what the run
//! counted, and read each failure's YAML block back (file, message,
//! problems); a name with `#` stays whole; an interrupted run bails out.
//!
//! Needs Node.js and `npm ci` in tests/consumers, which `bash
//! .ci/report-consumers` does before it runs this test; so it is ignored by
//! a plain `cargo test`.

mod support;

use std::path::Path;

use serde_json::Value;

use support::mixed::{project, server};
use support::{RunToEnd, scenario};

/// Returns what tap-parser read from the TAP file at `path`.
fn parsed(path: &Path) -> Value {
    support::consumer("tap-check.mjs", "tap-parser", &[path])
}

#[test]
#[ignore = "needs Node.js and tap-parser: run `bash .ci/report-consumers`"]
fn tap_parser_reads_every_kind_of_result() {
    let (_served, url) = server();
    let dir = project();
    std::fs::write(
        dir.path().join("scenarios/h-hash.yaml"),
        "name: \"Issue #12 \\\\ fixed # SKIP\"\nsteps:\n  - name: List\n    get: /ok\n",
    )
    .unwrap();
    scenario(dir.path())
        .args([
            "run",
            "--target",
            &url,
            "--retries",
            "1",
            "--report-tap",
            "run.tap",
        ])
        .ran()
        .assert_code(1);
    let read = parsed(&dir.path().join("run.tap"));
    assert_eq!(read["errors"], Value::Array(Vec::new()), "{read}");
    let summary = &read["summary"];
    // a-pass, d-skip (its one step skipped), e-flaky, both matrix cases and h-hash pass.
    let counts = ["count", "plan", "pass", "fail"].map(|key| summary[key].as_u64().unwrap());
    assert_eq!(counts, [9, 9, 6, 3], "{read}");
    let points = read["points"].as_array().unwrap();
    let named = |name: &str| {
        points
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {read}"))
    };
    let failed = named("Fails an expectation");
    assert_eq!(failed["ok"], false);
    assert_eq!(failed["diag"]["file"], "scenarios/b-fail.yaml");
    assert_eq!(failed["diag"]["severity"], "fail");
    assert!(
        failed["diag"]["message"]
            .as_str()
            .unwrap()
            .contains("expected 201, actual 200"),
        "{failed}"
    );
    assert!(
        failed["diag"]["problems"][0].as_str().unwrap().contains("\n"),
        "{failed}"
    );
    assert_eq!(named("Cannot connect")["diag"]["severity"], "error");
    assert_eq!(named("Passes the second time")["diag"]["flaky"], true);
    assert_eq!(named("Only sometimes")["ok"], true);
    assert_eq!(named("Issue #12 \\ fixed # SKIP")["skip"], false);
    // tap-parser takes `duration_ms` as the point's time, not as a diagnostic.
    assert_eq!(failed["diag"]["attempts"], 2);
}

#[test]
#[ignore = "needs Node.js and tap-parser: run `bash .ci/report-consumers`"]
fn scenarios_never_started_are_skip_points_with_why() {
    let (_served, url) = server();
    let dir = project();
    scenario(dir.path())
        .args([
            "run",
            "--target",
            &url,
            "--fail-fast",
            "--jobs",
            "1",
            "--report-tap",
            "fast.tap",
        ])
        .ran()
        .assert_code(1);
    let read = parsed(&dir.path().join("fast.tap"));
    assert_eq!(read["errors"], Value::Array(Vec::new()), "{read}");
    assert_eq!(read["summary"]["skip"], 6, "{read}");
    let skipped = &read["points"][3];
    assert_eq!(skipped["ok"], true, "{read}");
    assert_eq!(
        skipped["skip"], "not started: --fail-fast after `Fails an expectation` failed",
        "{read}"
    );
}

#[test]
#[ignore = "needs Node.js and tap-parser: run `bash .ci/report-consumers`"]
fn an_invalid_file_is_a_failed_point_that_tap_parser_reads() {
    let (_served, url) = server();
    let dir = project();
    std::fs::write(
        dir.path().join("scenarios/z-invalid.yaml"),
        "name: Broken\nsteps:\n  - name: x\n    get: [\n",
    )
    .unwrap();
    scenario(dir.path())
        .args(["run", "--target", &url, "--report-tap", "invalid.tap"])
        .ran()
        .assert_code(2);
    let read = parsed(&dir.path().join("invalid.tap"));
    assert_eq!(read["errors"], Value::Array(Vec::new()), "{read}");
    assert_eq!(read["summary"]["fail"], 1, "{read}");
    let point = &read["points"][0];
    assert_eq!(point["name"], "scenarios/z-invalid.yaml");
    assert!(
        point["diag"]["message"]
            .as_str()
            .unwrap()
            .contains("z-invalid.yaml:4:"),
        "{point}"
    );
}

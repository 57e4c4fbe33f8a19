//! Opens the HTML report of a real run in headless Chromium (Debian's,
//! driven by playwright-core through tests/consumers/html-check.mjs): the
//! page must fetch nothing, raise no script error, count what the JSON
//! report of the same run counts, filter by status and tag (one holding a
//! space), and show the first failure's JSON diff once its summary is
//! clicked; the timeline's bars must have a width. It saves a screenshot (to
//! `$SCENARIO_HTML_SCREENSHOT` when set: that is how docs/html-report.png
//! is made).
//!
//! Needs Node.js, `npm ci` in tests/consumers and /usr/bin/chromium, which
//! `bash .ci/report-consumers` installs before it runs this test; so it is
//! ignored by a plain `cargo test`.

mod support;

use std::path::PathBuf;

use support::mixed::{project, server};
use support::{RunToEnd, read_json, scenario};

const JSON_FAILURE: &str = "name: Reads the user\ntags: [api users]\nsteps:\n  - name: Get the user\n    get: /user\n    expect:\n      body:\n        $: { equals: { id: 8, name: Ann, roles: [reader] } }\n";

#[test]
#[ignore = "needs Chromium and playwright-core: run `bash .ci/report-consumers`"]
fn chromium_shows_the_report_of_a_real_run() {
    let (_served, url) = server();
    let dir = project();
    std::fs::write(dir.path().join("scenarios/a-json-fail.yaml"), JSON_FAILURE).unwrap();
    scenario(dir.path())
        .args(["run", "--target", &url, "--retries", "1"])
        .args(["--report-html", "run.html", "--report-json", "run.json"])
        .ran()
        .assert_code(1);
    let report = read_json(&dir.path().join("run.json"));
    let screenshot = std::env::var_os("SCENARIO_HTML_SCREENSHOT")
        .map_or_else(|| dir.path().join("run.png"), PathBuf::from);
    let seen = support::consumer(
        "html-check.mjs",
        "playwright-core",
        &[&dir.path().join("run.html"), &screenshot],
    );

    assert_eq!(
        seen["requests"],
        serde_json::json!([]),
        "the page fetched something"
    );
    assert_eq!(seen["errors"], serde_json::json!([]), "the page's script failed");
    let summary = &report["summary"];
    for key in ["passed", "failed", "errored", "skipped", "flaky", "total"] {
        assert_eq!(seen["counts"][key], summary[key], "{key}: {seen}");
    }
    assert_eq!(seen["scenarios"], summary["total"]);
    assert_eq!(seen["visible"]["all"], summary["total"]);
    for status in ["passed", "failed", "errored", "skipped"] {
        assert_eq!(
            seen["visible"][status], summary[status],
            "filter {status}: {seen}"
        );
    }
    // The first tag holds a space: the filter must not split it.
    assert_eq!(seen["tags"], serde_json::json!(["api users", "smoke"]));
    let tagged = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["tags"].as_array().unwrap().iter().any(|t| t == "api users"))
        .count();
    assert_eq!(tagged, 1);
    assert_eq!(seen["visible_by_tag"], tagged, "{seen}");

    let failure = &seen["failure"];
    assert_eq!(failure["opened"], true, "{seen}");
    assert_eq!(failure["diff_visible"], true, "{seen}");
    let diff = failure["diff_text"].as_str().unwrap();
    assert!(
        diff.contains("-  \"id\": 8,") && diff.contains("+  \"id\": 7,"),
        "{diff}"
    );
    assert_eq!(
        (failure["deleted"].as_u64(), failure["inserted"].as_u64()),
        (Some(1), Some(1)),
        "{diff}"
    );
    let bars = seen["timeline"]["bars"].as_u64().unwrap();
    assert!(bars >= 1, "{seen}");
    assert_eq!(seen["timeline"]["bars_with_width"], bars, "every bar has a width");

    let png = std::fs::read(&screenshot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "a screenshot of the page"
    );
}

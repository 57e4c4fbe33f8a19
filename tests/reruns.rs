//! Drives `scenario run --retries` and `--fail-fast` against a loopback
//! server that fails on demand and counts what it is sent: a scenario that
//! passes on a retry is flaky (and passes), one that never does fails with
//! every attempt reported, scenarios taking single-use values and scenarios
//! interrupted by Ctrl-C are not retried, and `--fail-fast` starts nothing
//! new yet leaves no `finally` step unrun.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::routing::get;

use support::serve::{Served, serve};
use support::{RunToEnd, read_json, scenario, statuses};

/// Counts the calls of each path the scenarios make.
#[derive(Debug, Default)]
struct Counts(Mutex<HashMap<String, usize>>);

impl Counts {
    /// Counts one more call of `key` and returns how many there were.
    fn hit(&self, key: &str) -> usize {
        let mut counts = self.0.lock().unwrap();
        let count = counts.entry(key.to_owned()).or_default();
        *count += 1;
        *count
    }

    fn of(&self, key: &str) -> usize {
        self.0.lock().unwrap().get(key).copied().unwrap_or(0)
    }
}

/// Serves `/api/flaky/KEY?fail=N` (500 for its first N calls, then 200),
/// `/api/fail/KEY` (always 500), `/api/count/KEY` (200) and
/// `/api/slow/KEY?ms=N` (200 after N ms), counting every call by KEY.
fn server() -> (Served, Arc<Counts>, String) {
    let counts = Arc::new(Counts::default());
    let app = Router::new()
        .route(
            "/api/flaky/{key}",
            get(
                |State(counts): State<Arc<Counts>>,
                 UrlPath(key): UrlPath<String>,
                 Query(query): Query<HashMap<String, usize>>| async move {
                    let failing = query.get("fail").copied().unwrap_or(1);
                    if counts.hit(&key) <= failing {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::OK
                    }
                },
            ),
        )
        .route(
            "/api/fail/{key}",
            get(
                |State(counts): State<Arc<Counts>>, UrlPath(key): UrlPath<String>| async move {
                    counts.hit(&key);
                    StatusCode::INTERNAL_SERVER_ERROR
                },
            ),
        )
        .route(
            "/api/count/{key}",
            get(
                |State(counts): State<Arc<Counts>>, UrlPath(key): UrlPath<String>| async move {
                    counts.hit(&key);
                    StatusCode::OK
                },
            ),
        )
        .route(
            "/api/slow/{key}",
            get(
                |State(counts): State<Arc<Counts>>,
                 UrlPath(key): UrlPath<String>,
                 Query(query): Query<HashMap<String, u64>>| async move {
                    counts.hit(&key);
                    tokio::time::sleep(Duration::from_millis(query.get("ms").copied().unwrap_or(0))).await;
                    StatusCode::OK
                },
            ),
        )
        .with_state(Arc::clone(&counts));
    let served = serve(app, 2);
    let url = format!("http://{}/api", served.addr);
    (served, counts, url)
}

/// Writes `files` (name, YAML) into `dir/scenarios/`.
fn write_scenarios(dir: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join("scenarios").join(name), text).unwrap();
    }
}

/// Returns a scenario that GETs `path` expecting 200, with a `finally` step
/// counting itself as `NAME-finally`.
fn scenario_getting(name: &str, path: &str) -> String {
    format!(
        "name: {name}\nsteps:\n  - name: Get\n    get: {path}\n    expect: {{ status: 200 }}\n\
         finally:\n  - name: Clean up\n    get: /count/{name}-finally\n"
    )
}

#[test]
fn a_scenario_that_passes_on_a_retry_is_flaky_and_passes() {
    let (_served, counts, url) = server();
    let dir = tempfile::tempdir().unwrap();
    write_scenarios(
        dir.path(),
        &[
            ("flaky.yaml", &scenario_getting("flaky", "/flaky/flaky?fail=1")),
            ("steady.yaml", &scenario_getting("steady", "/count/steady")),
        ],
    );
    let output = scenario(dir.path())
        .args(["run", "scenarios", "--target", &url, "--retries", "2"])
        .args(["--junit", "junit.xml", "--report-json", "report.json"])
        .ran();
    output.assert_code(0);
    assert!(
        output.stdout.contains("FLAKY  flaky  scenarios/flaky.yaml"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("(passed on attempt 2)"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("2 passed (1 flaky), 0 failed"),
        "{}",
        output.stdout
    );
    assert_eq!(counts.of("flaky"), 2, "one failed attempt, one that passed");
    assert_eq!(counts.of("flaky-finally"), 2, "each attempt ran its finally step");
    assert_eq!(counts.of("steady"), 1, "a passed scenario is not run again");
    let report = read_json(&dir.path().join("report.json"));
    let flaky = &report["scenarios"][0];
    assert_eq!(flaky["attempts"], 2);
    assert_eq!(flaky["flaky"], true);
    assert_eq!(flaky["earlier_attempts"][0]["status"], "failed");
    assert_eq!(
        flaky["earlier_attempts"][0]["message"],
        "Get: status equals: expected 200, actual 500"
    );
    assert_eq!(report["summary"]["flaky"], 1);
    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert_eq!(xml.matches("<flakyFailure").count(), 1, "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
}

#[test]
fn a_scenario_that_fails_every_attempt_reports_each_of_them() {
    let (_served, counts, url) = server();
    let dir = tempfile::tempdir().unwrap();
    write_scenarios(
        dir.path(),
        &[("broken.yaml", &scenario_getting("broken", "/fail/broken"))],
    );
    let output = scenario(dir.path())
        .args(["run", "scenarios", "--target", &url, "--retries", "2", "-v"])
        .args(["--junit", "junit.xml", "--report-json", "report.json"])
        .ran();
    output.assert_code(1);
    assert_eq!(counts.of("broken"), 3);
    assert!(
        output
            .stdout
            .contains("broken failed on attempt 1 of 3; running it again"),
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("(3 attempts)"), "{}", output.stdout);
    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert_eq!(xml.matches("<failure").count(), 1, "{xml}");
    assert_eq!(xml.matches("<rerunFailure").count(), 2, "{xml}");
    let report = read_json(&dir.path().join("report.json"));
    assert_eq!(report["scenarios"][0]["attempts"], 3);
    assert_eq!(report["scenarios"][0]["flaky"], false);
}

#[test]
fn a_scenario_taking_single_use_values_is_not_retried() {
    let (_served, counts, url) = server();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("scenario.yaml"),
        format!(
            "default_env: test\nenvironments:\n  test:\n    base_url: {url}\n    persist_state: false\n    \
             pools:\n      codes:\n        values: [c1, c2, c3]\n"
        ),
    )
    .unwrap();
    write_scenarios(
        dir.path(),
        &[(
            "code.yaml",
            "name: Use a code\nsteps:\n  - name: Send it\n    get: /fail/code\n    \
             query: { code: \"{{ take('codes') }}\" }\n    expect: { status: 200 }\n",
        )],
    );
    let output = scenario(dir.path())
        .args(["run", "--retries", "2", "--report-json", "report.json"])
        .ran();
    output.assert_code(1);
    assert_eq!(
        counts.of("code"),
        1,
        "a retry would take a value the run did not reserve"
    );
    let note = "not retried: it takes single-use values from `codes`, and the run reserved them for one attempt only";
    assert!(output.stdout.contains(note), "{}", output.stdout);
    let report = read_json(&dir.path().join("report.json"));
    assert_eq!(report["scenarios"][0]["notes"][0], note);
    assert_eq!(report["scenarios"][0]["attempts"], 1);
}

#[test]
fn fail_fast_starts_nothing_new_and_leaves_no_finally_step_unrun() {
    let (_served, counts, url) = server();
    let dir = tempfile::tempdir().unwrap();
    write_scenarios(
        dir.path(),
        &[
            ("a-fails.yaml", &scenario_getting("fails", "/fail/fails")),
            // Running when the first fails: it finishes, its finally included.
            ("b-slow.yaml", &scenario_getting("slow", "/slow/slow?ms=600")),
            ("c-later.yaml", &scenario_getting("later", "/count/later")),
            ("d-last.yaml", &scenario_getting("last", "/count/last")),
        ],
    );
    let output = scenario(dir.path())
        .args(["run", "scenarios", "--target", &url, "--jobs", "2", "--fail-fast"])
        .args(["--junit", "junit.xml", "--report-json", "report.json"])
        .ran();
    output.assert_code(1);
    assert_eq!(counts.of("fails-finally"), 1, "the failed scenario's finally ran");
    assert_eq!(counts.of("slow"), 1);
    assert_eq!(
        counts.of("slow-finally"),
        1,
        "the running scenario finished, finally included"
    );
    assert_eq!(
        counts.of("later") + counts.of("last"),
        0,
        "nothing started after the failure"
    );
    assert_eq!(counts.of("later-finally") + counts.of("last-finally"), 0);
    let reason = "not started: --fail-fast after `fails` failed";
    assert!(
        output
            .stdout
            .contains(&format!("SKIP   later  scenarios/c-later.yaml  ({reason})")),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("1 passed, 1 failed, 0 errored, 2 skipped"),
        "{}",
        output.stdout
    );
    let report = read_json(&dir.path().join("report.json"));
    assert_eq!(
        statuses(&report),
        [
            ("fails", "failed"),
            ("slow", "passed"),
            ("later", "skipped"),
            ("last", "skipped")
        ]
    );
    assert_eq!(report["scenarios"][3]["skip_reason"], reason);
    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert_eq!(
        xml.matches(&format!(r#"<skipped message="{reason}"/>"#)).count(),
        2,
        "{xml}"
    );
}

/// Waits, at most 30 s, until the server was called for `key`.
fn wait_for_call(counts: &Counts, key: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while counts.of(key) == 0 {
        assert!(Instant::now() < deadline, "`{key}` was never called");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_scenario_interrupted_by_ctrl_c_is_not_retried() {
    let (_served, counts, url) = server();
    let dir = tempfile::tempdir().unwrap();
    write_scenarios(
        dir.path(),
        &[("slow.yaml", &scenario_getting("slow", "/slow/slow?ms=20000"))],
    );
    let child = support::spawn_scenario(
        dir.path(),
        &[
            "run",
            "scenarios",
            "--target",
            &url,
            "--retries",
            "3",
            "--report-json",
            "report.json",
        ],
    );
    wait_for_call(&counts, "slow");
    support::interrupt(child.id());
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert_eq!(counts.of("slow"), 1, "not run again after Ctrl-C");
    assert_eq!(counts.of("slow-finally"), 1, "its finally step still ran");
    let report = read_json(&dir.path().join("report.json"));
    assert_eq!(report["scenarios"][0]["attempts"], 1);
    assert_eq!(
        report["scenarios"][0]["notes"][0],
        "not retried: the run was interrupted"
    );
}

#[test]
fn ctrl_c_says_in_one_line_how_many_scenarios_never_started() {
    let (_served, counts, url) = server();
    let dir = tempfile::tempdir().unwrap();
    let slow = scenario_getting("slow", "/slow/slow?ms=20000");
    let later: Vec<(String, String)> = (1..=5)
        .map(|n| {
            (
                format!("later-{n}.yaml"),
                scenario_getting(&format!("later{n}"), "/count/later"),
            )
        })
        .collect();
    let mut files: Vec<(&str, &str)> = vec![("a-slow.yaml", slow.as_str())];
    files.extend(later.iter().map(|(name, text)| (name.as_str(), text.as_str())));
    write_scenarios(dir.path(), &files);
    let child = support::spawn_scenario(dir.path(), &["run", "scenarios", "--target", &url, "--jobs", "1"]);
    wait_for_call(&counts, "slow");
    support::interrupt(child.id());
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert_eq!(counts.of("later"), 0, "{stdout}");
    let skips: Vec<&str> = stdout.lines().filter(|l| l.starts_with("SKIP")).collect();
    assert_eq!(
        skips,
        ["SKIP   5 scenarios not started: the run was interrupted"],
        "{stdout}"
    );
}

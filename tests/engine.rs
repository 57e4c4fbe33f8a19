//! Drives the binary against a local test server: every capture kind, every
//! predicate, typed templating, finally after a failure, and step errors.

mod support;

use std::sync::atomic::Ordering;

use support::server::TestServer;
use support::{root, scenario, stable};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/engine/{name}")
}

#[test]
fn every_feature_passes_against_the_test_server() {
    let server = TestServer::start();
    let output = scenario(&root())
        .args([
            "run",
            &fixture("all-features.yaml"),
            "--target",
            &format!("{}/api", server.url),
            "-v",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert_eq!(
        server.calls.logouts.load(Ordering::SeqCst),
        1,
        "finally logged out once"
    );
    assert!(
        server.calls.counter.load(Ordering::SeqCst) >= 3,
        "retried until the counter reached 3"
    );
    assert!(
        !stdout.contains("s3cret-pass") && !stdout.contains("tok-ABCDEFGHIJKLMNOP"),
        "{stdout}"
    );
}

#[test]
fn a_broken_copy_fails_with_readable_messages_and_still_runs_finally() {
    let server = TestServer::start();
    let output = scenario(&root())
        .args([
            "run",
            &fixture("failing.yaml"),
            "--target",
            &format!("{}/api", server.url),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert_eq!(
        server.calls.logouts.load(Ordering::SeqCst),
        1,
        "finally ran after the failure"
    );
    assert!(!stdout.contains("s3cret-pass"), "password leaked:\n{stdout}");
    assert!(
        !stdout.contains("tok-ABCDEFGHIJKLMNOP"),
        "token leaked:\n{stdout}"
    );
    insta::assert_snapshot!("broken_copy_output", stable(&stdout));
}

#[test]
fn step_errors_are_reported_and_other_scenarios_still_run() {
    let server = TestServer::start();
    let output = scenario(&root())
        .args([
            "run",
            &fixture("errors.yaml"),
            &fixture("timeout.yaml"),
            &fixture("not-json.yaml"),
            &fixture("all-features.yaml"),
            "--target",
            &format!("{}/api", server.url),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert_eq!(
        server.calls.logouts.load(Ordering::SeqCst),
        1,
        "the passing scenario still ran"
    );
    insta::assert_snapshot!("step_errors_output", stable(&stdout));
}

#[test]
fn an_unreachable_target_is_a_step_error_not_a_crash() {
    // Port 1 on loopback refuses connections; no network is involved.
    let output = scenario(&root())
        .args([
            "run",
            &fixture("errors.yaml"),
            "--target",
            "http://127.0.0.1:1/api",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("could not connect"), "{stdout}");
}

#[test]
fn junit_and_json_reports_are_written() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let json = dir.path().join("report.json");
    let output = scenario(&root())
        .args([
            "run",
            &fixture("failing.yaml"),
            &fixture("all-features.yaml"),
            "--target",
            &format!("{}/api", server.url),
        ])
        .arg("--junit")
        .arg(&junit)
        .arg("--report-json")
        .arg(&json)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<testcase") && xml.contains("<failure"), "{xml}");
    assert!(!xml.contains("s3cret-pass"), "{xml}");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(report.is_object(), "{report}");
}

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
    assert!(
        !stdout.contains("cookie-value-9"),
        "a Set-Cookie value is a secret:\n{stdout}"
    );
    assert!(stdout.contains("[secret:sid]"), "{stdout}");
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

#[test]
fn ctrl_c_still_runs_finally_and_writes_the_reports() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_scenario"))
        .current_dir(root())
        .env_remove("CI")
        .args([
            "--color",
            "never",
            "run",
            &fixture("interrupt.yaml"),
            "--target",
            &format!("{}/api", server.url),
        ])
        .arg("--junit")
        .arg(&junit)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the run is inside the slow step, then press Ctrl-C (SIGINT).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while server.calls.slow.load(Ordering::SeqCst) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the slow step never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(3),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(
        server.calls.logouts.load(Ordering::SeqCst),
        1,
        "finally ran after Ctrl-C"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("Interrupted while waiting"), "{xml}");
}

#[test]
fn error_statuses_and_bad_timeouts_never_pass_silently() {
    let server = TestServer::start();
    let output = scenario(&root())
        .args([
            "run",
            &fixture("defaults.yaml"),
            "--target",
            &format!("{}/api", server.url),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("status is not an error"), "{stdout}");
    assert!(stdout.contains("set `expect.status`"), "{stdout}");
    assert!(
        stdout.contains("`timeout` is `soon`, which is not a duration"),
        "{stdout}"
    );
}

#[test]
fn every_new_snapshot_of_a_scenario_is_recorded_in_one_run() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let output = scenario(&root())
        .args([
            "run",
            &fixture("two-snapshots.yaml"),
            "--target",
            &format!("{}/api", server.url),
        ])
        .arg("--snapshot-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "new snapshots fail the run");
    let mut pending: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pending.sort();
    assert_eq!(
        pending,
        [
            "tests-fixtures-engine-two-snapshots__first-echo.snap.new",
            "tests-fixtures-engine-two-snapshots__second-echo.snap.new"
        ]
    );
}

#[test]
fn invalid_invocations_exit_2_and_say_why() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["run", "--target", "localhost:8080/api"],
            "is not an http or https URL",
        ),
        (
            &["run", "--vars-file", "no-such-vars.yaml"],
            "cannot read the vars file",
        ),
        (
            &["run", "--junit", "r.xml", "--report-json", "r.xml"],
            "give each report its own file",
        ),
        (&["run", "scenarios/flows"], "holds only reusable flows"),
    ];
    for (args, expected) in cases {
        let output = scenario(&root()).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn short_declared_secrets_and_target_passwords_are_never_printed() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let target = server.url.replace("http://", "http://qa:hunter2pw@") + "/api";
    let output = scenario(&root())
        .args(["run", &fixture("short-secret.yaml"), "-v", "--target", &target])
        .arg("--junit")
        .arg(&junit)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    for text in [&*stdout, &xml] {
        assert!(!text.contains("pin=abc") && !text.contains("\"abc\""), "{text}");
        assert!(!text.contains("hunter2pw"), "{text}");
    }
    assert!(stdout.contains("pin=[secret:pin]"), "{stdout}");
}

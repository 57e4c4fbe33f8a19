//! Drives the binary against a local test server: every capture kind, every
//! predicate, typed templating, finally after a failure, step errors, and
//! the warnings `check` gives, printed by `run` before it runs; a step retry
//! says what stopped it.

mod support;

use std::sync::atomic::Ordering;

use support::server::TestServer;
use support::{RunToEnd, interrupt, root, scenario, sorted_names, stable};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/engine/{name}")
}

/// Returns `scenario run` over the engine fixtures `names`, aimed at
/// `target`; callers add the options they test.
fn run_fixtures(target: &str, names: &[&str]) -> assert_cmd::Command {
    let mut command = scenario(&root());
    command
        .arg("run")
        .args(names.iter().map(|name| fixture(name)))
        .args(["--target", target]);
    command
}

#[test]
fn every_feature_passes_against_the_test_server() {
    let server = TestServer::start();
    let output = run_fixtures(&server.api_url(), &["all-features.yaml"])
        .arg("-v")
        .ran();
    let (stdout, stderr) = (&output.stdout, &output.stderr);
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
    let output = run_fixtures(&server.api_url(), &["failing.yaml"]).ran();
    let stdout = output.stdout;
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
    let fixtures = [
        "errors.yaml",
        "timeout.yaml",
        "not-json.yaml",
        "all-features.yaml",
    ];
    let output = run_fixtures(&server.api_url(), &fixtures).ran();
    let stdout = output.stdout;
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
    let output = run_fixtures("http://127.0.0.1:1/api", &["errors.yaml"]).ran();
    let stdout = &output.stdout;
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("could not connect"), "{stdout}");
}

#[test]
fn junit_and_json_reports_are_written() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let json = dir.path().join("report.json");
    let output = run_fixtures(&server.api_url(), &["failing.yaml", "all-features.yaml"])
        .arg("--junit")
        .arg(&junit)
        .arg("--report-json")
        .arg(&json)
        .ran();
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
            &server.api_url(),
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
    interrupt(child.id());
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
fn a_second_ctrl_c_stops_at_once_with_exit_code_130() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("slow.yaml"),
        "name: slow finally\nsteps:\n  - get: /slow\n    timeout: 20s\nfinally:\n  - get: /slow\n    timeout: 20s\n",
    )
    .unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_scenario"))
        .current_dir(dir.path())
        .env_remove("CI")
        .args([
            "--color",
            "never",
            "run",
            "slow.yaml",
            "--target",
            &server.api_url(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let wait_for_slow_calls = |count: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while server.calls.slow.load(Ordering::SeqCst) < count {
            assert!(
                std::time::Instant::now() < deadline,
                "call {count} to /slow never came"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    wait_for_slow_calls(1);
    interrupt(child.id());
    // The finally step is running (and slow): a second Ctrl-C stops it.
    wait_for_slow_calls(2);
    interrupt(child.id());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn error_statuses_and_bad_timeouts_never_pass_silently() {
    let server = TestServer::start();
    let output = run_fixtures(&server.api_url(), &["defaults.yaml"]).ran();
    let stdout = &output.stdout;
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
    let output = run_fixtures(&server.api_url(), &["two-snapshots.yaml"])
        .arg("--snapshot-dir")
        .arg(dir.path())
        .ran();
    assert_eq!(output.status.code(), Some(1), "new snapshots fail the run");
    let pending = sorted_names(dir.path());
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
        let output = scenario(&root()).args(args).ran();
        let stderr = &output.stderr;
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
    let output = run_fixtures(&target, &["short-secret.yaml"])
        .arg("-v")
        .arg("--junit")
        .arg(&junit)
        .ran();
    let stdout = &output.stdout;
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    for text in [&**stdout, &xml] {
        assert!(!text.contains("pin=abc") && !text.contains("\"abc\""), "{text}");
        assert!(!text.contains("hunter2pw"), "{text}");
    }
    assert!(stdout.contains("pin=[secret:pin]"), "{stdout}");
}

#[test]
fn run_warns_as_check_does_and_runs_all_the_same() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    std::fs::write(
        dir.path().join("scenarios/typo.yaml"),
        "name: Typo\nsteps:\n  - name: Get\n    get: /status\n    expect:\n      body:\n        \"$.x\": { equls: 1 }\n",
    )
    .unwrap();
    let output = scenario(dir.path())
        .args(["run", "--target", &server.api_url()])
        .ran();
    assert!(
        output.stderr.starts_with(
            "warning: `equls` under `$.x` looks like the predicate `equals`\n --> scenarios/typo.yaml:7:18"
        ),
        "{}",
        output.stderr
    );
    assert!(
        output.stdout.contains("Typo  scenarios/typo.yaml"),
        "it ran: {}",
        output.stdout
    );
}

#[test]
fn a_retry_that_stops_says_whether_the_deadline_or_the_attempts_stopped_it() {
    let (_served, url) = support::mixed::server();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    let step = |name: &str, retry: &str| {
        format!("  - name: {name}\n    get: /fail\n    retry: {retry}\n    expect: {{ status: 200 }}\n")
    };
    std::fs::write(
        dir.path().join("scenarios/polls.yaml"),
        format!(
            "name: Polls\nsteps:\n{}finally:\n{}",
            step(
                "Until the deadline",
                "{ attempts: 50, interval: 100ms, deadline: 250ms }"
            ),
            step("Until the attempts", "{ attempts: 2, interval: 10ms }")
        ),
    )
    .unwrap();
    let output = scenario(dir.path()).args(["run", "--target", &url]).ran();
    output.assert_code(1);
    let deadline = regex::Regex::new(
        r"note: +retry stopped by its deadline \(250ms\) after [23] attempts of 50 in \d+ms: the next would start 100ms later, past it",
    )
    .unwrap();
    assert!(deadline.is_match(&output.stdout), "{}", output.stdout);
    assert!(
        regex::Regex::new(r"note: +retry gave up: all 2 attempts failed")
            .unwrap()
            .is_match(&output.stdout),
        "{}",
        output.stdout
    );
}

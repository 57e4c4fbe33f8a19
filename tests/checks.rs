//! Drives the binary against a local server (port 0) answering every kind of
//! response: text, bytes, HTML, XML, JSON with numbers beyond 64 bits,
//! cookies and repeated headers. Every kind of check passes on the passing
//! scenario; the broken copy fails with snapshot-tested messages, the filter
//! chain shown step by step, and a failed expectation reported as the cause.

mod support;

use support::responses::ResponsesServer;
use support::{RunToEnd, root, scenario, stable};

fn run(server: &ResponsesServer, fixtures: &[&str]) -> support::Ran {
    scenario(&root())
        .arg("run")
        .args(fixtures.iter().map(|f| format!("tests/fixtures/checks/{f}")))
        .args(["--target", &server.url, "--jobs", "1"])
        .ran()
}

#[test]
fn every_kind_of_check_passes_against_the_local_server() {
    let server = ResponsesServer::start();
    let output = run(&server, &["passing.yaml"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        output.stdout,
        output.stderr
    );
}

#[test]
fn broken_checks_fail_with_the_chain_and_the_cause_shown() {
    let server = ResponsesServer::start();
    let output = run(&server, &["failing.yaml", "root-cause.yaml"]);
    assert_eq!(output.status.code(), Some(1), "{}", output.stdout);
    assert!(
        !output.stdout.contains("ERROR"),
        "a failed expectation is a failure, not an error:\n{}",
        output.stdout
    );
    assert!(
        !output.stdout.contains("error (capture)"),
        "the failed status is the cause:\n{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("note:"),
        "the capture failure is a note:\n{}",
        output.stdout
    );
    insta::assert_snapshot!("failing_checks_output", stable(&output.stdout));
}

#[test]
fn the_checks_validate_offline() {
    let output = scenario(&root()).args(["check", "tests/fixtures/checks/"]).ran();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        output.stdout,
        output.stderr
    );
}

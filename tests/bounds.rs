//! Tests the run's bounds on hostile input: a template that would print
//! hundreds of megabytes, and response bodies past the run's memory budget,
//! are located step errors with a bounded report, never a hang.
//!
//! Must not reach the network: loopback servers on port 0 only.

mod support;

use support::wire::{Reply, WireServer};
use support::{RunToEnd, scenario};

#[test]
fn a_huge_rendered_template_is_a_located_step_error_with_a_small_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("huge.yaml"),
        "name: huge\nsteps:\n  - name: send a huge query\n    get: /x\n    query: { a: \"{{ 'x' * 100000000 }}\" }\n",
    )
    .unwrap();
    let json = dir.path().join("report.json");
    let output = scenario(dir.path())
        .args([
            "run",
            "huge.yaml",
            "--target",
            "http://127.0.0.1:9",
            "-vvv",
            "--report-json",
        ])
        .arg(&json)
        .ran();
    output.assert_code(1);
    assert!(
        output.stdout.contains("larger than 16 MiB") && output.stdout.contains("huge.yaml:5:17"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.len() < 10_000,
        "{} bytes of console",
        output.stdout.len()
    );
    assert!(std::fs::metadata(&json).unwrap().len() < 20_000);
}

#[test]
fn bodies_past_the_run_budget_are_a_step_error_and_smaller_ones_pass() {
    let server = WireServer::start(|request| match request.path() {
        "/big" => Reply::status(200).body(vec![b'a'; 3 * 1024 * 1024]),
        _ => Reply::status(200).body("small"),
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("big.yaml"),
        "name: big\nsteps:\n  - get: /small\n  - name: fetch a big body\n    get: /big\n  - get: /big\n  - get: /big\n",
    )
    .unwrap();
    let run = |budget: &str| {
        scenario(dir.path())
            .args([
                "run",
                "big.yaml",
                "--target",
                &server.url,
                "--max-body-memory",
                budget,
            ])
            .ran()
    };
    let over = run("2");
    over.assert_code(1);
    assert!(
        over.stdout.contains("would hold more than 2 MiB") && over.stdout.contains("fetch a big body"),
        "{}",
        over.stdout
    );
    // Three big bodies one after the other fit a budget for two: each step
    // gives its body back when it is settled.
    let within = run("8");
    within.assert_code(0);
}

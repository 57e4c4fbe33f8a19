//! Drives the binary against a recording server to prove the lock manager:
//! two scenarios holding one lock never overlap while the others run at the
//! same time (measured from the server's own timestamps), lock waits show in
//! verbose output, and a lock that cannot be rendered stops the run before
//! anything is sent.

mod support;

use std::path::Path;
use std::time::Duration;

use support::recorder::{Recorder, Seen};
use support::{RunToEnd, scenario};

/// Writes a scenario that holds `locks` and makes three slow requests as `who`.
fn write_scenario(dir: &Path, who: &str, locks: &str) {
    let steps: String = (1..=3)
        .map(|n| format!("  - name: hold {n}\n    get: /hold\n    query: {{ who: {who}, ms: 120 }}\n"))
        .collect();
    let text = format!("name: scenario {who}\nlocks: {locks}\nsteps:\n{steps}");
    std::fs::write(dir.join(format!("{who}.yaml")), text).unwrap();
}

/// Returns the span from the first request of `who` arriving to its last answer.
fn span(seen: &[Seen], who: &str) -> (Duration, Duration) {
    let mine: Vec<&Seen> = seen.iter().filter(|s| s.label == who).collect();
    assert_eq!(mine.len(), 3, "{who} sent its three requests: {seen:?}");
    let start = mine.iter().map(|s| s.start).min().unwrap();
    let end = mine.iter().map(|s| s.end).max().unwrap();
    (start, end)
}

fn overlap(a: (Duration, Duration), b: (Duration, Duration)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

#[test]
fn two_scenarios_holding_one_lock_never_overlap_while_the_others_do() {
    let server = Recorder::start();
    let dir = tempfile::tempdir().unwrap();
    write_scenario(dir.path(), "alpha", r#"["{{ account }}"]"#);
    write_scenario(dir.path(), "beta", r#"["{{ account }}", other-inbox]"#);
    write_scenario(dir.path(), "gamma", "[]");
    write_scenario(dir.path(), "delta", "[other-account]");
    let output = scenario(dir.path())
        .args([
            "run",
            ".",
            "-v",
            "--jobs",
            "4",
            "--var",
            "account=shared@example.com",
        ])
        .args(["--target", &server.api_url])
        .ran();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        output.stdout,
        output.stderr
    );
    let seen = server.seen();
    let (alpha, beta, gamma, delta) = (
        span(&seen, "alpha"),
        span(&seen, "beta"),
        span(&seen, "gamma"),
        span(&seen, "delta"),
    );
    assert!(
        !overlap(alpha, beta),
        "alpha {alpha:?} and beta {beta:?} hold one lock and overlapped"
    );
    assert!(
        overlap(gamma, delta) && overlap(gamma, alpha) && overlap(delta, alpha),
        "scenarios without a shared lock ran together: alpha {alpha:?}, gamma {gamma:?}, delta {delta:?}"
    );
    assert!(
        output
            .stdout
            .contains(r#"scenario beta waits for lock shared@example.com (taken by "scenario alpha")"#),
        "{}",
        output.stdout
    );
}

#[test]
fn lock_waits_stay_out_of_the_quiet_console() {
    let server = Recorder::start();
    let dir = tempfile::tempdir().unwrap();
    write_scenario(dir.path(), "alpha", "[inbox]");
    write_scenario(dir.path(), "beta", "[inbox]");
    let output = scenario(dir.path())
        .args(["run", ".", "--target", &server.api_url])
        .ran();
    assert_eq!(output.status.code(), Some(0), "{}", output.stdout);
    assert!(!output.stdout.contains("waits for lock"), "{}", output.stdout);
}

#[test]
fn a_lock_that_cannot_be_rendered_stops_the_run_before_anything_is_sent() {
    let server = Recorder::start();
    let dir = tempfile::tempdir().unwrap();
    write_scenario(dir.path(), "alpha", r#"["{{ acount }}"]"#);
    let output = scenario(dir.path())
        .args(["run", ".", "--var", "account=a", "--target", &server.api_url])
        .ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output.stderr.contains("alpha.yaml:2:")
            && output.stderr.contains("lock reads `acount`")
            && output.stderr.contains("did you mean `account`?"),
        "{}",
        output.stderr
    );
    assert!(server.seen().is_empty(), "nothing was sent: {:?}", server.seen());
}

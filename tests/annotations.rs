//! Drives GitHub Actions annotations through the binary: with
//! `GITHUB_ACTIONS=true` (or `--annotations github`) each problem of a
//! failed or errored scenario is an `::error` at its file and line, a flaky
//! one a `::warning`, an invalid file an `::error` at its first diagnostic;
//! without either (or with `--annotations none`) no command is printed.

mod support;

use support::mixed::{project, server};
use support::{RunToEnd, scenario};

fn commands(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|line| line.starts_with("::")).collect()
}

#[test]
fn a_github_job_gets_an_annotation_per_problem() {
    let (_served, url) = server();
    let dir = project();
    let ran = scenario(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .args(["run", "--target", &url, "--retries", "1"])
        .ran();
    ran.assert_code(1);
    let found = commands(&ran.stdout);
    assert_eq!(found.len(), 4, "{}", ran.stdout);
    assert!(
        found[0].starts_with(
            "::error file=scenarios/b-fail.yaml,line=5,col=23,title=Fails an expectation (scenarios/b-fail.yaml)::step \"Wrong status\""
        ),
        "{found:?}"
    );
    assert!(
        found[0].contains("%0A  expected: 201%0A  actual:   200"),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("::error file=scenarios/c-error.yaml,line=3,col=5,"),
        "{found:?}"
    );
    assert!(
        found[2].starts_with("::warning file=scenarios/e-flaky.yaml,title=Passes the second time")
            && found[2].ends_with("::flaky: passed on attempt 2, after 1 failed (--retries)"),
        "{found:?}"
    );
    assert!(
        found[3].starts_with("::error file=scenarios/f-always.yaml,line=5,"),
        "{found:?}"
    );
}

#[test]
fn annotations_follow_the_flag_over_the_environment() {
    let (_served, url) = server();
    let dir = project();
    let plain = scenario(dir.path()).args(["run", "--target", &url]).ran();
    assert!(commands(&plain.stdout).is_empty(), "{}", plain.stdout);
    let off = scenario(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .args(["run", "--target", &url, "--annotations", "none"])
        .ran();
    assert!(commands(&off.stdout).is_empty(), "{}", off.stdout);
    let on = scenario(dir.path())
        .args(["run", "--target", &url, "--annotations", "github"])
        .ran();
    assert_eq!(commands(&on.stdout).len(), 3, "{}", on.stdout);
}

#[test]
fn an_invalid_file_is_annotated_at_its_first_diagnostic() {
    let dir = project();
    std::fs::write(
        dir.path().join("scenarios/z-typo.yaml"),
        "name: Typo\nsteps:\n  - name: List\n    gett: /ok\n",
    )
    .unwrap();
    let ran = scenario(dir.path())
        .args(["run", "--annotations", "github"])
        .ran();
    ran.assert_code(2);
    // Beside the diagnostics, on stderr, which the Actions runner reads too.
    let found = commands(&ran.stderr);
    assert_eq!(found.len(), 1, "{}\n{}", ran.stdout, ran.stderr);
    assert!(
        found[0].starts_with("::error file=scenarios/z-typo.yaml,line=4,col=5,title=scenarios/z-typo.yaml::error: unknown key `gett`"),
        "{found:?}"
    );
}

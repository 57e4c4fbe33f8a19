//! Drives `scenario run --rerun-failed` against the built-in mock: every run
//! keeps the record of what did not pass in the state folder (even a mock
//! run, which keeps nothing else there), a re-run runs exactly that (with
//! the other selection flags narrowing it), and with no record or nothing
//! failed it says so and exits 0.

mod support;

use std::path::{Path, PathBuf};

use support::{RunToEnd, fresh_state_dir, scenario};

/// Writes a scenario whose one request expects `status` from the mock (which answers 200).
fn write(dir: &Path, file: &str, name: &str, extra: &str, status: u16) {
    let text = format!(
        "name: {name}\n{extra}steps:\n  - name: Ask the session\n    get: /login\n    expect: {{ status: {status} }}\n"
    );
    std::fs::write(dir.join("scenarios").join(file), text).unwrap();
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("scenario.yaml"),
        "default_env: local\nenvironments:\n  local:\n    mock: true\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    write(dir.path(), "passes.yaml", "Passes", "", 200);
    write(dir.path(), "fails.yaml", "Fails", "", 418);
    // The combination asking for a path the mock does not serve fails.
    std::fs::write(
        dir.path().join("scenarios/matrix.yaml"),
        "name: Sometimes\nmatrix:\n  at: [login, nosuch]\nsteps:\n  - get: \"/{{ at }}\"\n    expect: { status: 200 }\n",
    )
    .unwrap();
    dir
}

/// Runs `run` with `args` from `dir`, keeping state in `state`.
fn run(dir: &Path, state: &PathBuf, args: &[&str]) -> support::Ran {
    scenario(dir)
        .env("SCENARIO_STATE_DIR", state)
        .arg("run")
        .args(args)
        .ran()
}

/// Returns the scenarios a run's console output says ran, from its PASS and FAIL lines.
fn ran_ids(stdout: &str) -> Vec<String> {
    let mut ids: Vec<String> = stdout
        .lines()
        .take_while(|l| !l.starts_with("not passed:"))
        .filter_map(|l| l.strip_prefix("PASS   ").or_else(|| l.strip_prefix("FAIL   ")))
        .map(|l| l.split("  ").next().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_rerun_runs_only_what_failed_last_time() {
    let dir = project();
    let state = fresh_state_dir();
    let first = run(dir.path(), &state, &[]);
    first.assert_code(1);
    assert_eq!(
        ran_ids(&first.stdout),
        ["Fails", "Passes", "Sometimes [at=login]", "Sometimes [at=nosuch]"]
    );
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(state.join("last-run.json")).unwrap()).unwrap();
    assert_eq!(record["scenarios"], 4);
    assert_eq!(
        record["failed"],
        serde_json::json!([
            { "id": "Fails", "file": "scenarios/fails.yaml", "status": "failed" },
            { "id": "Sometimes [at=nosuch]", "file": "scenarios/matrix.yaml", "status": "failed" },
        ])
    );
    assert!(
        !state.join("state.json").exists(),
        "a mock run keeps no other state"
    );

    // From a subfolder, the record's project-relative files still match.
    let again = scenario(&dir.path().join("scenarios"))
        .env("SCENARIO_STATE_DIR", &state)
        .args(["run", "--rerun-failed"])
        .ran();
    again.assert_code(1);
    assert!(
        again.stdout.starts_with("Running 2 scenarios"),
        "{}",
        again.stdout
    );
    assert_eq!(ran_ids(&again.stdout), ["Fails", "Sometimes [at=nosuch]"]);

    // Other flags narrow what is re-run; list shows it first.
    let listed = scenario(dir.path())
        .env("SCENARIO_STATE_DIR", &state)
        .args(["list", "--rerun-failed", "--filter", "^Fails$"])
        .ran();
    listed.assert_code(0);
    assert!(
        listed.stdout.starts_with("Fails  (scenarios/fails.yaml)\n"),
        "{}",
        listed.stdout
    );

    write(dir.path(), "fails.yaml", "Fails", "", 200);
    let fixed = run(dir.path(), &state, &["--rerun-failed", "--filter", "^Fails$"]);
    fixed.assert_code(0);
    assert_eq!(ran_ids(&fixed.stdout), ["Fails"]);

    let nothing = run(dir.path(), &state, &["--rerun-failed"]);
    nothing.assert_code(0);
    assert!(
        nothing
            .stdout
            .starts_with("Nothing to re-run: all 1 scenario(s) of the last run"),
        "{}",
        nothing.stdout
    );
}

#[test]
fn without_a_record_there_is_nothing_to_rerun() {
    let dir = project();
    let state = fresh_state_dir();
    let ran = run(dir.path(), &state, &["--rerun-failed"]);
    ran.assert_code(0);
    assert!(
        ran.stdout
            .starts_with("Nothing to re-run: no earlier run is recorded in "),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("last-run.json"), "{}", ran.stdout);
}

#[test]
fn a_record_in_another_format_is_a_usage_error_with_the_way_out() {
    let dir = project();
    let state = fresh_state_dir();
    std::fs::create_dir_all(&state).unwrap();
    std::fs::write(state.join("last-run.json"), "{not json").unwrap();
    let ran = run(dir.path(), &state, &["--rerun-failed"]);
    ran.assert_code(2);
    assert!(
        ran.stderr
            .contains("last-run.json is not a record this version can read")
            && ran
                .stderr
                .contains("a run without --rerun-failed writes a new one"),
        "{}",
        ran.stderr
    );
}

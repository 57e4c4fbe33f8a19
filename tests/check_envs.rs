//! Drives `scenario check` against environments: by default the one `run`
//! uses, `--env NAME`, or each one with `--all-envs`; a variable another
//! environment defines, or one `run` could not set, is an error as `run`
//! refuses it.

mod support;

use support::{RunToEnd, scenario};

const CONFIG: &str = r#"default_env: local
environments:
  local:
    mock: true
    vars:
      user: mary
  sandbox:
    base_url: https://sandbox.example/api/v1
    vars:
      user: "{{ env('SCENARIO_CHECK_ENVS_UNSET_USER') }}"
      region: eu
"#;

const SCENARIO: &str =
    "name: Uses both\nsteps:\n  - get: \"/users/{{ user }}\"\n    query: { region: \"{{ region }}\" }\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scenario.yaml"), CONFIG).unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    std::fs::write(dir.path().join("scenarios/both.yaml"), SCENARIO).unwrap();
    dir
}

#[test]
fn check_uses_the_default_environment_as_run_does() {
    let dir = project();
    let output = scenario(dir.path()).arg("check").ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output.stderr.contains("error: undefined variable `region`"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("both.yaml:4:"), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("`region` is a variable of environment `sandbox` but not of `local`"),
        "{}",
        output.stderr
    );
    // `run` refuses the same file for the same reason, before sending anything.
    let run = scenario(dir.path()).arg("run").ran();
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("undefined variable `region`"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_with_env_reports_a_variable_run_could_not_set() {
    let dir = project();
    let output = scenario(dir.path())
        .args(["check", "--env", "sandbox"])
        .env_remove("SCENARIO_CHECK_ENVS_UNSET_USER")
        .ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output.stderr.contains(
            "error: variable `user` of environment `sandbox` cannot be set, and the scenarios use it"
        ),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("scenario.yaml:10:13"), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("environment variable `SCENARIO_CHECK_ENVS_UNSET_USER` is not set"),
        "{}",
        output.stderr
    );
    let set = scenario(dir.path())
        .args(["check", "--env", "sandbox"])
        .env("SCENARIO_CHECK_ENVS_UNSET_USER", "bob")
        .ran();
    assert_eq!(set.status.code(), Some(0), "{}", set.stderr);
    assert!(
        set.stdout.contains("against environment `sandbox`"),
        "{}",
        set.stdout
    );
}

#[test]
fn check_all_envs_says_which_environment_each_problem_is_in() {
    let dir = project();
    let output = scenario(dir.path())
        .args(["check", "--all-envs"])
        .env_remove("SCENARIO_CHECK_ENVS_UNSET_USER")
        .ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    let stderr = &output.stderr;
    assert!(stderr.contains("undefined variable `region`"), "{stderr}");
    assert!(stderr.contains("note: in environment `local`"), "{stderr}");
    assert!(
        stderr.contains("variable `user` of environment `sandbox`"),
        "{stderr}"
    );
    assert!(stderr.contains("note: in environment `sandbox`"), "{stderr}");
    assert!(stderr.contains("2 problem(s)"), "{stderr}");
}

#[test]
fn an_unset_environment_variable_in_scenario_vars_is_a_check_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vars.yaml"),
        "name: Reads the environment\nvars:\n  key: \"{{ env('SCENARIO_CHECK_ENVS_NEVER_SET') }}\"\n  other: \"{{ env('SCENARIO_CHECK_ENVS_NEVER_SET', 'fallback') }}\"\nsteps:\n  - get: \"/k/{{ key }}/{{ other }}\"\n",
    )
    .unwrap();
    let output = scenario(dir.path()).args(["check", "vars.yaml"]).ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output.stderr.contains(
            "`vars.key` reads the environment variable `SCENARIO_CHECK_ENVS_NEVER_SET`, which is not set"
        ),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("vars.yaml:3:"), "{}", output.stderr);
    assert!(!output.stderr.contains("vars.other"), "{}", output.stderr);
    let set = scenario(dir.path())
        .args(["check", "vars.yaml"])
        .env("SCENARIO_CHECK_ENVS_NEVER_SET", "k1")
        .ran();
    assert_eq!(set.status.code(), Some(0), "{}", set.stderr);
}

#[test]
fn a_required_environment_variable_that_is_unset_is_a_check_error_as_in_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("scenario.yaml"),
        "default_env: e\nenvironments:\n  e:\n    base_url: http://127.0.0.1:9\n    require_env: [SCENARIO_CHECK_ENVS_REQUIRED]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("r.yaml"), "name: r\nsteps:\n  - get: /x\n").unwrap();
    let check = scenario(dir.path()).args(["check", "r.yaml"]).ran();
    assert_eq!(check.status.code(), Some(2), "{}", check.stderr);
    assert!(
        check.stderr.contains("SCENARIO_CHECK_ENVS_REQUIRED") && check.stderr.contains("scenario.yaml:5:19"),
        "{}",
        check.stderr
    );
    let run = scenario(dir.path()).args(["run", "r.yaml"]).ran();
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
}

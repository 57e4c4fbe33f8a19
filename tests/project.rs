//! Drives the binary from inside a project, as cargo is used: `scenario.yaml`
//! is found by walking up from the current folder, the folders and files it
//! implies (`scenarios/`, `snapshots/`, `.scenario.local.yaml`, a mock seed)
//! are relative to it, and the run's header names the configuration and
//! environment. Also step names that render templates, secrets redacted.

mod support;

use std::path::Path;

use support::{RunToEnd, scenario};

const CONFIG: &str = r##"default_env: local
environments:
  local:
    mock: true
    vars:
      user: mary.griffin@circularo.com
      password: "#32Password1!"
  seeded:
    mock: { seed: seeds/qa.yaml }
    snapshots: false
    vars:
      user: qa@example.com
      password: "Seeded#Pass1"
"##;

const SEED: &str = "accounts:\n  - name: qa@example.com\n    password: \"Seeded#Pass1\"\n";

const LOGIN: &str = r#"name: Log in
steps:
  - name: "Log in as {{ user }} with {{ password }}"
    post: /login
    json: { name: "{{ user }}", password: "{{ password }}" }
    expect: { status: 200 }
    capture: { token: $.token }
    snapshot: true
  - name: "Check the session of {{ user }}"
    get: /login
    query: { token: "{{ token }}" }
    expect: { body: { $.logged: true } }
"#;

/// Writes a project: `scenario.yaml`, a seed, one scenario, an empty
/// `scenarios/deep/` to run from.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let at = |p: &str| dir.path().join(p);
    std::fs::write(at("scenario.yaml"), CONFIG).unwrap();
    std::fs::create_dir_all(at("seeds")).unwrap();
    std::fs::write(at("seeds/qa.yaml"), SEED).unwrap();
    std::fs::create_dir_all(at("scenarios/deep")).unwrap();
    std::fs::write(at("scenarios/login.yaml"), LOGIN).unwrap();
    dir
}

fn snapshots_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_run_from_a_subfolder_uses_the_projects_file_folders_and_header() {
    let dir = project();
    let deep = dir.path().join("scenarios/deep");
    let output = scenario(&deep).args(["run", "-v", "--snapshots", "update"]).ran();
    let stdout = &output.stdout;
    assert_eq!(output.status.code(), Some(0), "{stdout}{}", output.stderr);
    let mut lines = stdout.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Running 1 scenario against http://127.0.0.1:")
    );
    assert_eq!(
        lines.next().unwrap(),
        "Using ../../scenario.yaml, environment `local`: the built-in mock, default switches"
    );
    assert!(stdout.contains("../../scenarios/login.yaml"), "{stdout}");
    // Step names render their variables; secrets stay hidden.
    assert!(
        stdout.contains("Log in as mary.griffin@circularo.com with [secret:password]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Check the session of mary.griffin@circularo.com"),
        "{stdout}"
    );
    assert!(!stdout.contains("#32Password1!"), "{stdout}");
    // Snapshots go to the project's snapshots/, named after the name as written.
    assert!(snapshots_in(&deep.join("snapshots")).is_empty());
    let stored = snapshots_in(&dir.path().join("snapshots"));
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert!(
        stored[0].starts_with("login__log-in-as-user-with-password"),
        "{stored:?}"
    );
    let text = std::fs::read_to_string(dir.path().join("snapshots").join(&stored[0])).unwrap();
    assert!(text.contains("source: scenarios/login.yaml"), "{text}");
    assert!(!text.contains("#32Password1!"), "{text}");
}

#[test]
fn a_seed_named_in_scenario_yaml_is_found_beside_it_from_anywhere() {
    let dir = project();
    let output = scenario(&dir.path().join("scenarios"))
        .args(["run", "-v", "--env", "seeded"])
        .ran();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        output.stdout,
        output.stderr
    );
    assert!(
        output.stdout.contains(
            "Using ../scenario.yaml, environment `seeded`: the built-in mock, default switches, accounts from seeds/qa.yaml"
        ),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("Log in as qa@example.com"),
        "{}",
        output.stdout
    );
}

#[test]
fn local_overrides_beside_the_project_file_apply_from_a_subfolder() {
    let dir = project();
    std::fs::write(
        dir.path().join(".scenario.local.yaml"),
        "environments:\n  local:\n    vars: { password: not-the-password }\n",
    )
    .unwrap();
    let output = scenario(&dir.path().join("scenarios/deep"))
        .args(["run", "--snapshots", "no"])
        .ran();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the override was read:\n{}",
        output.stdout
    );
    assert!(output.stdout.contains("-> 401"), "{}", output.stdout);
    assert!(!output.stdout.contains("not-the-password"), "{}", output.stdout);
}

#[test]
fn check_and_list_find_the_project_too_and_check_names_their_variables() {
    let dir = project();
    let deep = dir.path().join("scenarios/deep");
    let output = scenario(&deep).arg("check").ran();
    assert_eq!(output.status.code(), Some(0), "{}", output.stderr);
    assert!(output.stdout.contains("checked 1 file(s)"), "{}", output.stdout);
    let output = scenario(&deep).arg("list").ran();
    assert!(
        output.stdout.contains("Log in as {{ user }} with {{ password }}"),
        "{}",
        output.stdout
    );

    std::fs::write(
        dir.path().join("scenarios/typo.yaml"),
        "name: Typo\nsteps:\n  - name: \"Log in as {{ usr }}\"\n    get: /login\n",
    )
    .unwrap();
    let output = scenario(&deep).arg("check").ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output.stderr.contains("undefined variable `usr`"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("typo.yaml:3:"), "{}", output.stderr);
}

#[test]
fn without_a_project_file_anywhere_above_the_run_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let output = scenario(dir.path()).args(["run", "--env", "local"]).ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("none was found in the current folder or above it"),
        "{}",
        output.stderr
    );
}

#[test]
fn the_reports_name_the_configuration_and_environment_too() {
    let dir = project();
    let reports = tempfile::tempdir().unwrap();
    let json = reports.path().join("report.json");
    let junit = reports.path().join("junit.xml");
    let output = scenario(&dir.path().join("scenarios"))
        .args(["run", "--env", "seeded"])
        .arg("--report-json")
        .arg(&json)
        .arg("--junit")
        .arg(&junit)
        .ran();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        output.stdout,
        output.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["config"], "../scenario.yaml");
    assert_eq!(report["environment"], "seeded");
    assert_eq!(
        report["served_by"],
        "the built-in mock, default switches, accounts from seeds/qa.yaml"
    );
    assert_eq!(
        report["scenarios"][0]["steps"][0]["name"],
        "Log in as qa@example.com with [secret:password]"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains(r#"name="environment" value="seeded""#), "{xml}");
    assert!(xml.contains(r#"name="config" value="../scenario.yaml""#), "{xml}");
    assert!(!xml.contains("Seeded#Pass1"), "{xml}");
}

#[test]
fn check_reports_a_missing_mock_seed_before_any_run() {
    let dir = project();
    std::fs::remove_file(dir.path().join("seeds/qa.yaml")).unwrap();
    let output = scenario(&dir.path().join("scenarios")).arg("check").ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output.stderr.contains("../scenario.yaml:9:19: `mock.seed`"),
        "{}",
        output.stderr
    );
}

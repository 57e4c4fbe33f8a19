//! Runs the documented Circularo flows in `scenarios/` through the binary:
//! against the built-in mock, with every output checked for secrets, and the
//! `circularo-sandbox` environment pointed at a mock to prove that only
//! settings differ between the two.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use scenario::mock::MockServer;
use support::{RunToEnd, root, run_blocking, scenario};

/// Every secret value the built-in mock's accounts use in `scenario.yaml`.
const LOCAL_SECRETS: &[&str] = &[
    "#32Password1!",
    "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "40718623",
    "59302714",
];

#[test]
fn every_flow_passes_against_the_built_in_mock() {
    let output = scenario(&root()).args(["run", "--snapshots", "no"]).ran();
    let (stdout, stderr) = (&output.stdout, &output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.contains("11 passed, 0 failed, 0 errored (11 scenarios)"),
        "{stdout}"
    );
}

#[test]
fn check_and_list_accept_the_shipped_scenarios() {
    let output = scenario(&root()).arg("check").ran();
    assert_eq!(output.status.code(), Some(0), "{}", output.stderr);
    let output = scenario(&root()).arg("list").ran();
    assert_eq!(output.status.code(), Some(0), "{}", output.stderr);
    let listing = &output.stdout;
    assert!(
        listing.contains("MFA login by authenticator app (TOTP) [mfa, totp]"),
        "{listing}"
    );
    assert!(listing.contains("flow Log in with a password"), "{listing}");
    let output = scenario(&root()).args(["snapshots", "unused"]).ran();
    let unused = &output.stdout;
    assert_eq!(output.status.code(), Some(0), "{unused}{}", output.stderr);
    assert!(unused.contains("0 snapshot(s) unused"), "{unused}");
}

/// Returns every file below `dir`, recursively.
fn files_below(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn no_secret_appears_in_any_output_of_a_verbose_run() {
    let dir = tempfile::tempdir().unwrap();
    let snapshots = dir.path().join("snapshots");
    let output = scenario(&root())
        .args(["run", "-vvv", "--snapshots", "update"])
        .arg("--snapshot-dir")
        .arg(&snapshots)
        .arg("--junit")
        .arg(dir.path().join("junit.xml"))
        .arg("--report-json")
        .arg(dir.path().join("report.json"))
        .ran();
    assert_eq!(output.status.code(), Some(0), "{}", output.stdout);
    let mut outputs = vec![
        ("stdout".to_owned(), output.stdout),
        ("stderr".to_owned(), output.stderr),
    ];
    let written = files_below(dir.path());
    assert!(
        written.len() >= 5,
        "reports and snapshots were written: {written:?}"
    );
    for file in written {
        outputs.push((
            file.display().to_string(),
            std::fs::read_to_string(&file).unwrap(),
        ));
    }
    // Session tokens are 64 random alphanumerics; codes are 6 digits sent as
    // `password` (unlock) or read as `code` (outbox).
    let token = regex::Regex::new(r"[A-Za-z0-9]{64}").unwrap();
    let code = regex::Regex::new(r#""(password|code)"\s*:\s*"\d{6}""#).unwrap();
    for (name, text) in &outputs {
        for secret in LOCAL_SECRETS {
            assert!(!text.contains(secret), "{name} shows the secret {secret}");
        }
        assert!(
            !token.is_match(text),
            "{name} shows a session token: {:?}",
            token.find(text)
        );
        assert!(
            !code.is_match(text),
            "{name} shows an MFA code: {:?}",
            code.find(text)
        );
    }
    let stdout = &outputs[0].1;
    assert!(
        stdout.contains("[secret:token]") && stdout.contains("[secret:password]"),
        "{stdout}"
    );
}

/// Returns the environment variables a QA engineer would set for the
/// sandbox, pointing at the accounts of `tests/fixtures/circularo/sandbox-seed.yaml`.
fn sandbox_variables() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("CIRCULARO_USER", "qa.basic@example.com"),
        ("CIRCULARO_PASSWORD", "Sandbox#Pass1"),
        ("CIRCULARO_NO_SEARCH_USER", "qa.nosearch@example.com"),
        ("CIRCULARO_EMAIL_USER", "qa.email@example.com"),
        ("CIRCULARO_SMS_USER", "qa.sms@example.com"),
        ("CIRCULARO_TOTP_USER", "qa.totp@example.com"),
        ("CIRCULARO_TOTP_SECRET", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
        ("CIRCULARO_RECOVERY_USER", "qa.recovery@example.com"),
        ("CIRCULARO_RECOVERY_CODES", "11223344, 55667788"),
        ("CIRCULARO_WRONG_CODE_USER", "qa.wrongcode@example.com"),
        ("CIRCULARO_MFA_PASSWORD", "Sandbox#Mfa1"),
        ("CIRCULARO_EMAIL_CODE", "271008"),
        ("CIRCULARO_SMS_CODE", "510429"),
    ])
}

async fn sandbox_mock() -> MockServer {
    support::mock::start_with_seed(&root().join("tests/fixtures/circularo/sandbox-seed.yaml")).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_environment_runs_the_same_files_against_a_mock() {
    let mock = sandbox_mock().await;
    let mut command = scenario(&root());
    command
        .args(["run", "--env", "circularo-sandbox", "--target", &mock.base_url()])
        .envs(sandbox_variables());
    let output = run_blocking(command).await;
    mock.shutdown().await;
    let (stdout, stderr) = (&output.stdout, &output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("11 passed"), "{stdout}");
    for (name, value) in sandbox_variables() {
        if name.contains("PASSWORD") || name.contains("SECRET") || name.contains("CODE") {
            for one in value.split(", ") {
                assert!(!stdout.contains(one), "{name} leaked:\n{stdout}");
            }
        }
    }
}

#[test]
fn a_missing_sandbox_variable_is_named_before_anything_is_sent() {
    // Port 1 refuses connections: if anything were sent, the run would fail differently.
    let output = scenario(&root())
        .args([
            "run",
            "--env",
            "circularo-sandbox",
            "--target",
            "http://127.0.0.1:1/api/v1",
            "--tag",
            "totp",
        ])
        .env_remove("CIRCULARO_TOTP_USER")
        .env_remove("CIRCULARO_TOTP_SECRET")
        .env_remove("CIRCULARO_MFA_PASSWORD")
        .ran();
    let stderr = &output.stderr;
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nothing was sent"), "{stderr}");
    for variable in [
        "CIRCULARO_TOTP_USER",
        "CIRCULARO_TOTP_SECRET",
        "CIRCULARO_MFA_PASSWORD",
    ] {
        assert!(stderr.contains(variable), "{variable} not named:\n{stderr}");
    }
    // Variables only other scenarios use are not asked for.
    assert!(!stderr.contains("CIRCULARO_EMAIL_USER"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_terminal_or_variable_the_code_step_says_what_to_set() {
    let mock = sandbox_mock().await;
    let mut command = scenario(&root());
    command
        .args([
            "run",
            "scenarios/mfa-email.yaml",
            "--env",
            "circularo-sandbox",
            "--target",
            &mock.base_url(),
        ])
        .envs(sandbox_variables())
        .env_remove("CIRCULARO_EMAIL_CODE");
    let output = run_blocking(command).await;
    mock.shutdown().await;
    let stdout = &output.stdout;
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("there is no terminal to ask at"), "{stdout}");
    assert!(
        stdout.contains("set the environment variable `CIRCULARO_EMAIL_CODE`"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn recovery_codes_come_from_a_pool_and_an_empty_pool_stops_before_sending() {
    // The sandbox seed gives the account three codes; each run of the file takes two.
    let mock = sandbox_mock().await;
    let state = tempfile::tempdir().unwrap();
    let run = |codes: &str| {
        let mut command = scenario(&root());
        command
            .args([
                "run",
                "scenarios/recovery-code.yaml",
                "--env",
                "circularo-sandbox",
                "--target",
                &mock.base_url(),
            ])
            .envs(sandbox_variables())
            .env("CIRCULARO_RECOVERY_CODES", codes)
            .env("SCENARIO_STATE_DIR", state.path());
        command
    };
    let first = run_blocking(run("11223344 55667788 99001122")).await;
    assert_eq!(first.status.code(), Some(0), "{}{}", first.stdout, first.stderr);
    let second = run_blocking(run("11223344 55667788 99001122")).await;
    let remaining =
        support::mock::json_of(support::client().get(format!("{}/__mock/accounts", mock.root_url()))).await;
    mock.shutdown().await;
    assert_eq!(
        second.status.code(),
        Some(2),
        "{}{}",
        second.stdout,
        second.stderr
    );
    assert!(
        second
            .stderr
            .contains("pool `recovery_codes` is empty: 2 needed, 1 of its 3 value(s) unused: 2 used")
            && second.stderr.contains("set `CIRCULARO_RECOVERY_CODES`")
            && second.stderr.contains(".scenario-recovery-codes"),
        "{}",
        second.stderr
    );
    let account = remaining["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "qa.recovery@example.com")
        .unwrap();
    assert_eq!(
        account["recoveryCodesLeft"], 1,
        "the second run sent nothing: {account}"
    );
}

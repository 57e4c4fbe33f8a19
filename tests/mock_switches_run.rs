//! Sets each switch of the built-in mock in a project's `scenario.yaml`
//! (`mock: { key: value }`) and runs, through the binary, a scenario that
//! passes only when the mock behaves as switched: it must pass in the
//! switched environment and fail in a `mock: true` one. Also drives the
//! `scenario mock` flags for every switch at once.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use scenario::mock::SWITCHES;
use support::{RunToEnd, interrupt, scenario};

/// The variables every environment of the test project gets.
const VARS: &str = r##"
    vars:
      user: mary.griffin@circularo.com
      password: "#32Password1!"
      email_user: mfa.email@circularo.com
      wrong_code_user: mfa.wrongcode@circularo.com
      both_user: mfa.both@circularo.com
"##;

/// Logs `name` in and keeps its token as `token`.
fn login(name: &str) -> String {
    format!(
        "  - name: Log in {name}\n    post: /login\n    json: {{ name: \"{{{{ {name} }}}}\", password: \"{{{{ password }}}}\" }}\n    capture: {{ token: $.token }}\n"
    )
}

/// Describes one switched behaviour: the environment that sets it and a
/// scenario that passes only under it.
struct Case {
    env: &'static str,
    key: &'static str,
    value: &'static str,
    steps: String,
}

fn cases() -> Vec<Case> {
    let wrong_password = "  - post: /login\n    json: { name: \"{{ user }}\", password: wrong }\n";
    vec![
        Case {
            env: "invalid-401",
            key: "invalid_token",
            value: "status-401",
            steps: "  - get: /login\n    query: { token: not-a-token, returnToken: true }\n    expect: { status: 401, body: { $.type: \"AUTH:TOKEN_INVALID\" } }\n".to_owned(),
        },
        Case {
            env: "cookie-wins",
            key: "token_precedence",
            value: "cookie",
            steps: "  - post: /login\n    json: { name: \"{{ user }}\", password: \"{{ password }}\" }\n    capture: { first_token: $.token }\n  - post: /login\n    json: { name: \"{{ user }}\", password: \"{{ password }}\" }\n    capture: { second_token: $.token }\n  - name: The cookie of the second login wins over the first token in the query\n    get: /login\n    query: { token: \"{{ first_token }}\", returnToken: true }\n    expect: { body: { $.token: \"{{ second_token }}\" } }\n".to_owned(),
        },
        Case {
            env: "uuid-ids",
            key: "request_id",
            value: "uuid",
            steps: format!(
                "{wrong_password}    expect:\n      status: 401\n      body:\n        $.requestId: {{ matches: \"^[0-9a-f]{{8}}-[0-9a-f]{{4}}-4[0-9a-f]{{3}}-[89ab][0-9a-f]{{3}}-[0-9a-f]{{12}}$\" }}\n"
            ),
        },
        Case {
            env: "fixed-codes",
            key: "mfa_codes",
            value: "fixed",
            steps: format!(
                "{}  - post: /login/unlock\n    query: {{ token: \"{{{{ token }}}}\" }}\n    json: {{ factors: [{{ factor: email, password: \"271008\" }}] }}\n    expect: {{ status: 200, body: {{ $.isUnlocked: true }} }}\n",
                login("email_user")
            ),
        },
        Case {
            env: "wrong-code-401",
            key: "wrong_mfa_code",
            value: "status-401",
            steps: format!(
                "{}  - post: /login/unlock\n    query: {{ token: \"{{{{ token }}}}\" }}\n    json: {{ factors: [{{ factor: sms, password: \"000000\" }}] }}\n    expect: {{ status: 401, body: {{ $.type: \"AUTH:MFA_CODE_INVALID\" }} }}\n",
                login("wrong_code_user")
            ),
        },
        Case {
            env: "locked-403",
            key: "locked_token",
            value: "status-403",
            steps: format!(
                "{}  - post: /search\n    query: {{ token: \"{{{{ token }}}}\" }}\n    json: {{}}\n    expect: {{ status: 403, body: {{ $.message: Access token is locked }} }}\n",
                login("email_user")
            ),
        },
        Case {
            env: "hex-tokens",
            key: "token_format",
            value: "hex-64",
            steps: "  - post: /login\n    json: { name: \"{{ user }}\", password: \"{{ password }}\" }\n    expect: { body: { $.token: { matches: \"^[0-9a-f]{64}$\" } } }\n".to_owned(),
        },
        Case {
            env: "url-tokens",
            key: "token_format",
            value: "base64url-43",
            steps: "  - post: /login\n    json: { name: \"{{ user }}\", password: \"{{ password }}\" }\n    expect: { body: { $.token: { matches: \"^[A-Za-z0-9_-]{43}$\" } } }\n".to_owned(),
        },
        Case {
            env: "no-details",
            key: "error_details",
            value: "omit-empty",
            steps: format!("{wrong_password}    expect: {{ status: 401, body: {{ $.details: {{ absent: true }} }} }}\n"),
        },
        Case {
            env: "token-unasked",
            key: "status_token",
            value: "by-default",
            steps: format!(
                "{}  - get: /login\n    query: {{ token: \"{{{{ token }}}}\" }}\n    expect: {{ body: {{ $.token: {{ exists: true }} }} }}\n",
                login("user")
            ),
        },
        Case {
            env: "wrapped-hits",
            key: "search_results",
            value: "wrapped",
            steps: format!(
                "{}  - post: /search\n    query: {{ token: \"{{{{ token }}}}\" }}\n    json: {{ size: 1 }}\n    expect: {{ body: {{ \"$.results[0].document.documentId\": {{ type: string }} }} }}\n",
                login("user")
            ),
        },
        Case {
            env: "any-factor",
            key: "mfa_policy",
            value: "any",
            steps: format!(
                "{}  - get: \"{{{{ mock_url }}}}/__mock/outbox\"\n    query: {{ token: \"{{{{ token }}}}\", factor: email }}\n    capture: {{ code: \"$.messages[0].code\" }}\n  - post: /login/unlock\n    query: {{ token: \"{{{{ token }}}}\" }}\n    json: {{ factors: [{{ factor: email, password: \"{{{{ code }}}}\" }}] }}\n    expect: {{ body: {{ $.isUnlocked: true }} }}\n",
                login("both_user")
            ),
        },
    ]
}

/// Writes a project with a `local` environment (`mock: true`) and one
/// switched environment per case, each with its scenario.
fn project(cases: &[Case]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut config = format!("environments:\n  local:\n    mock: true\n{VARS}");
    for case in cases {
        config.push_str(&format!(
            "  {}:\n    mock: {{ {}: {} }}\n{VARS}",
            case.env, case.key, case.value
        ));
    }
    std::fs::write(dir.path().join("scenario.yaml"), config).unwrap();
    std::fs::create_dir(dir.path().join("scenarios")).unwrap();
    for case in cases {
        let text = format!("name: {} {}\nsteps:\n{}", case.key, case.value, case.steps);
        std::fs::write(dir.path().join(format!("scenarios/{}.yaml", case.env)), text).unwrap();
    }
    dir
}

#[test]
fn every_switch_set_in_scenario_yaml_changes_what_a_run_sees() {
    let cases = cases();
    let covered: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.key).collect();
    let registered: std::collections::BTreeSet<&str> = SWITCHES.iter().map(|s| s.key).collect();
    assert_eq!(covered, registered, "every switch has an end-to-end case");
    let dir = project(&cases);
    for case in &cases {
        let file = format!("scenarios/{}.yaml", case.env);
        let switched = scenario(dir.path()).args(["run", &file, "--env", case.env]).ran();
        assert_eq!(
            switched.status.code(),
            Some(0),
            "{} = {} should pass:\n{}{}",
            case.key,
            case.value,
            switched.stdout,
            switched.stderr
        );
        let header = format!(
            "Using scenario.yaml, environment `{}`: the built-in mock, switches {}={}",
            case.env, case.key, case.value
        );
        assert!(switched.stdout.contains(&header), "{}", switched.stdout);
        let plain = scenario(dir.path()).args(["run", &file, "--env", "local"]).ran();
        assert_eq!(
            plain.status.code(),
            Some(1),
            "{} = {} must matter: with default switches the scenario fails:\n{}",
            case.key,
            case.value,
            plain.stdout
        );
        assert!(
            plain
                .stdout
                .contains("Using scenario.yaml, environment `local`: the built-in mock, default switches"),
            "{}",
            plain.stdout
        );
    }
}

#[test]
fn a_misspelt_switch_in_scenario_yaml_stops_the_run_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("scenario.yaml"),
        "environments:\n  local:\n    mock:\n      invalid_tokn: status-401\n",
    )
    .unwrap();
    let output = scenario(dir.path()).arg("run").ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(output.stderr.contains("scenario.yaml:4:7"), "{}", output.stderr);
    assert!(
        output.stderr.contains("did you mean `invalid_token`?"),
        "{}",
        output.stderr
    );
    std::fs::write(
        dir.path().join("scenario.yaml"),
        "environments:\n  local:\n    mock: { locked_token: status-402 }\n",
    )
    .unwrap();
    let output = scenario(dir.path()).arg("run").ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output.stderr.contains("status-402") && output.stderr.contains("status-403"),
        "{}",
        output.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scenario_mock_takes_a_flag_per_switch_and_says_what_it_serves() {
    let mut args = vec!["mock".to_owned(), "--port".to_owned(), "0".to_owned()];
    let mut expected = Vec::new();
    for info in SWITCHES {
        let value = info.values[info.values.len() - 1];
        args.push(format!("--{}", info.flag));
        args.push(value.to_owned());
        expected.push((info.key, value));
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_scenario"))
        .args(&args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first.rsplit(' ').next().unwrap().to_owned();
    let serving = lines.next().unwrap().unwrap();
    let root = base.trim_end_matches("/api/v1").to_owned();

    let body: serde_json::Value = support::client()
        .get(format!("{root}/__mock/switches"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let client = support::client();
    let status = client
        .get(format!("{base}/login?token=nope"))
        .send()
        .await
        .unwrap()
        .status();
    interrupt(child.id());
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the mock did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }

    for (key, value) in &expected {
        assert_eq!(body["switches"][key], *value, "{key}: {body}");
        assert!(serving.contains(&format!("{key}={value}")), "{serving}");
    }
    assert_eq!(status, 401, "--invalid-token status-401 took effect");
}

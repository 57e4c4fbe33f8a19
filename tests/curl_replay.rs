//! Replays a failed step's curl line with the real curl: the line the JSON
//! report holds reads its secrets from shell variables (`"$SECRET_TOKEN"`), prints
//! none, and, once they are set, sends what the step sent (the system's
//! curl and sh, as the wire tests use them).

mod support;

use serde_json::Value;

use support::server::TestServer;
use support::{RunToEnd, read_json, scenario};

#[test]
fn a_replay_line_sends_what_the_step_sent_once_its_variables_are_set() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    std::fs::write(
        dir.path().join("scenarios/echo.yaml"),
        "name: Echo\nsteps:\n  - name: Echo the token\n    get: /echo\n    \
         query: { token: \"{{ token }}\", plain: \"it's a \\\"$HOME\\\"\" }\n    \
         headers: { x-trace: \"t-{{ token }}\" }\n    expect: { status: 201 }\n",
    )
    .unwrap();
    let secret = "s3cr3t-t0ken-value";
    let ran = scenario(dir.path())
        .args([
            "run",
            "--target",
            &server.api_url(),
            "--var",
            &format!("token={secret}"),
        ])
        .args(["--report-json", "report.json"])
        .ran();
    ran.assert_code(1);
    assert!(!ran.stdout.contains(secret), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("replay (set $SECRET_TOKEN first): curl"),
        "{}",
        ran.stdout
    );
    let report = read_json(&dir.path().join("report.json"));
    let line = report["scenarios"][0]["steps"][0]["curl"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        !line.contains(secret) && line.contains("\"$SECRET_TOKEN\""),
        "{line}"
    );
    let replayed = std::process::Command::new("sh")
        .args(["-c", &format!("{line} --silent")])
        .env("SECRET_TOKEN", secret)
        .output()
        .unwrap();
    assert!(
        replayed.status.success(),
        "{}",
        String::from_utf8_lossy(&replayed.stderr)
    );
    let echoed: Value = serde_json::from_slice(&replayed.stdout).unwrap();
    assert_eq!(echoed["query"]["token"], secret);
    assert_eq!(
        echoed["query"]["plain"], "it's a \"$HOME\"",
        "a literal `$` stays literal"
    );
    assert_eq!(echoed["trace"], format!("t-{secret}"));
}

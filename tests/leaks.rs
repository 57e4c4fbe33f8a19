//! Scans every output of failing and passing runs for secrets: the console
//! at `-vvv`, JUnit, the JSON, TAP and HTML reports and snapshot files must hold no secret,
//! no 8-character piece of one, and no transform of one.
//!
//! Must not reach the network: the shipped suite runs against the built-in
//! mock, the failing variants against a loopback recording server.

mod support;

use std::path::Path;

use base64::Engine as _;
use serde_json::json;

use support::wire::{Reply, WireServer};
use support::{RunToEnd, root, scenario};

/// The password every variant sends (declared secret, or secret by its name).
const PASSWORD: &str = "#32Password1!";
/// A session token as long as real ones, returned by the login.
const TOKEN: &str = "tQ9xV2mK7pL4nR8sW3yZ6bC1dF5gH0jA9eU2iO7kM4qT8vX3wY6zB1cD5fG0hJ2k";

/// Returns every 8-character window of `secret` (the whole of a shorter one).
fn windows(secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() <= 8 {
        return vec![secret.to_owned()];
    }
    chars.windows(8).map(|w| w.iter().collect()).collect()
}

/// Returns the forms a secret may leak in: as written, URL-encoded once and
/// twice, base64, and the transforms the variants apply.
fn leak_forms(secret: &str) -> Vec<String> {
    let url = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    vec![
        secret.to_owned(),
        url(secret),
        url(&url(secret)),
        b64(secret),
        b64(&b64(secret)),
        b64(&format!("a{secret}")),
        secret.to_uppercase(),
        secret.to_lowercase(),
        secret.chars().rev().collect(),
        secret.chars().map(String::from).collect::<Vec<_>>().join("-"),
    ]
}

/// Fails naming the file and the piece when any window of any form of a
/// secret appears in `text`; a window that is also a piece of what the
/// scenarios themselves say (`written`: "Password login") is no leak.
fn assert_no_leak(source: &str, text: &str, secrets: &[&str], written: &str) {
    for secret in secrets {
        for form in leak_forms(secret) {
            for window in windows(&form) {
                assert!(
                    written.contains(&window) || !text.contains(&window),
                    "{source} shows `{window}`, a piece of a secret (form `{form}`):\n{}",
                    excerpt_around(text, &window)
                );
            }
        }
    }
}

fn excerpt_around(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    text.char_indices()
        .skip_while(|(i, _)| *i + 200 < at)
        .take_while(|(i, _)| *i < at + 200)
        .map(|(_, c)| c)
        .collect()
}

/// Reads every file under `dir` (reports, snapshots), as `(path, text)`.
fn files_under(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
            found.push((entry.path().display().to_string(), text));
        }
    }
    found
}

/// Answers like a login service that leaks everything back: the token in
/// JSON and in text, and every request echoed (password included).
fn leaky_server() -> WireServer {
    WireServer::start(|request| match request.path() {
        // Padded so that the token straddles the cuts of excerpts: 200
        // characters for a shown value, 120 for a body's first characters.
        "/login" => Reply::json(&json!({"a_padding": "p".repeat(150), "token": TOKEN, "user": "ann"})),
        "/text" => Reply::status(200)
            .header("content-type", "text/plain")
            .body(format!(
                "{}session={TOKEN}; the rest of a long answer",
                "p".repeat(90)
            )),
        _ => Reply::status(401)
            .header("content-type", "application/json")
            .body(
                json!({
                    "target": request.target,
                    "body": String::from_utf8_lossy(&request.body),
                })
                .to_string(),
            ),
    })
}

const VARIANTS: &[(&str, &str)] = &[
    (
        "capture-after-login.yaml",
        "name: failed capture after login\nsecrets: [password]\nsteps:\n  - name: log in\n    post: /login\n    json: { user: ann, password: \"{{ password }}\" }\n    capture: { token: $.token }\n    snapshot: true\n  - name: capture what is not there\n    post: /login\n    query: { token: \"{{ token }}\" }\n    capture: { missing: $.nope }\n",
    ),
    (
        "capture-from-text.yaml",
        "name: failed capture on a text body\nsecrets: [password]\nsteps:\n  - post: /login\n    json: { user: ann, password: \"{{ password }}\" }\n    capture: { token: $.token }\n  - get: /text\n    headers: { authorization: \"Bearer {{ token }}\" }\n    capture: { missing: $.nope }\n",
    ),
    (
        "login-fails.yaml",
        "name: login failing with the password in the body\nsteps:\n  - post: /denied\n    json: { user: ann, pwd: \"{{ pwd }}\" }\n    expect: { status: 200, body: { $.body: \"{{ pwd | upper }}\" } }\n",
    ),
    (
        "transforms.yaml",
        "name: every transform of a secret\nsecrets: [password]\nsteps:\n  - get: /echo\n    query:\n      upper: \"{{ password | upper }}\"\n      lower: \"{{ password | lower }}\"\n      reversed: \"{{ password | reverse }}\"\n      joined: \"{{ password | list | join('-') }}\"\n      twice: \"{{ password | base64_encode | base64_encode }}\"\n      prefixed: \"{{ ('a' ~ password) | base64_encode }}\"\n      encoded: \"{{ password | urlencode }}\"\n    form: { encoded: \"{{ password | urlencode }}\" }\n",
    ),
    (
        "typed-sides.yaml",
        "name: a failed expectation keeps its sides as values\nsecrets: [password]\nsteps:\n  - post: /login\n    json: { user: ann, password: \"{{ password }}\" }\n    capture: { token: $.token }\n    expect:\n      body:\n        $: { equals: { user: \"{{ password }}\" } }\n        $.token: { equals: \"{{ password }}\" }\n",
    ),
    (
        "decode-error.yaml",
        "name: a function failing on a secret\nsecrets: [password]\nsteps:\n  - post: /echo\n    body: \"{{ base64_decode(password) }}\"\n",
    ),
];

#[test]
fn failing_variants_print_no_secret_in_any_output() {
    let server = leaky_server();
    let dir = tempfile::tempdir().unwrap();
    for (file, text) in VARIANTS {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let output = scenario(dir.path())
        .args([
            "run",
            ".",
            "-vvv",
            "--target",
            &server.url,
            "--snapshots",
            "update",
        ])
        .args([
            "--var",
            &format!("password={PASSWORD}"),
            "--var",
            &format!("pwd={PASSWORD}"),
        ])
        .arg("--junit")
        .arg(out.join("junit.xml"))
        .arg("--report-json")
        .arg(out.join("report.json"))
        .arg("--report-html")
        .arg(out.join("report.html"))
        .arg("--report-tap")
        .arg(out.join("report.tap"))
        .arg("--snapshot-dir")
        .arg(out.join("snapshots"))
        .ran();
    output.assert_code(1);
    // Each variant did what it exists for: the secrets were within reach.
    for shown in [
        "capture what is not there",
        "failed capture on a text body",
        "[secret:",
        "base64_decode",
    ] {
        assert!(output.stdout.contains(shown), "{shown}:\n{}", output.stdout);
    }
    let secrets = [PASSWORD, TOKEN];
    let written: String = VARIANTS.iter().map(|(_, text)| *text).collect();
    // Replay lines read secrets from shell variables named after the
    // variables the files name, upper-cased (`$SECRET_PASSWORD`): names, not values.
    let written = format!("{written}{}", written.to_uppercase());
    assert_no_leak("stdout", &output.stdout, &secrets, &written);
    assert_no_leak("stderr", &output.stderr, &secrets, &written);
    let files = files_under(&out);
    assert!(files.len() >= 5, "reports and a snapshot: {files:?}");
    let report = std::fs::read_to_string(out.join("report.json")).unwrap();
    assert!(
        report.contains("\"actual_value\""),
        "the typed sides were written, redacted"
    );
    for (path, text) in files {
        assert_no_leak(&path, &text, &secrets, &written);
    }
}

#[test]
fn the_shipped_suite_prints_no_configured_secret_in_any_output() {
    let out = tempfile::tempdir().unwrap();
    let output = scenario(&root())
        .args(["run", "-vvv", "--snapshots", "update"])
        .arg("--junit")
        .arg(out.path().join("junit.xml"))
        .arg("--report-json")
        .arg(out.path().join("report.json"))
        .arg("--report-html")
        .arg(out.path().join("report.html"))
        .arg("--snapshot-dir")
        .arg(out.path().join("snapshots"))
        .ran();
    output.assert_code(0);
    let config = std::fs::read_to_string(root().join("scenario.yaml")).unwrap();
    let recovery: Vec<&str> = config
        .split(['"', ' ', ',', '[', ']'])
        .filter(|word| word.len() == 8 && word.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    assert_eq!(recovery.len(), 10, "the pool's recovery codes");
    let mut secrets = vec![PASSWORD, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"];
    secrets.extend(recovery);
    let written: String = files_under(&root().join("scenarios"))
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    // The HTML report shows every step's replay line: `$SECRET_MFA_PASSWORD` is a name.
    let written = format!("{written}{}", written.to_uppercase());
    assert_no_leak("stdout", &output.stdout, &secrets, &written);
    assert_no_leak("stderr", &output.stderr, &secrets, &written);
    for (path, text) in files_under(out.path()) {
        assert_no_leak(&path, &text, &secrets, &written);
    }
}

//! Drives the binary against a server that records the exact bytes of each
//! request, to prove what goes on the wire: authentication (`Basic`, `Bearer`,
//! `Digest` answered), multipart and file bodies, a `null` body, numbers as
//! written, templated settings, a templated body's trailing newline; and
//! that the failure view, its curl line (replayed with curl) and `-v` show
//! what was sent and never a secret.

mod support;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use md5::Md5;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::wire::{Recorded, Reply, WireServer};
use support::{RunToEnd, root, scenario, stable};

fn run(server: &WireServer, fixture: &str) -> support::Ran {
    scenario(&root())
        .args(["run", &format!("tests/fixtures/wire/{fixture}")])
        .args(["--target", &format!("{}/api", server.url), "-vvv"])
        .ran()
}

fn fixture_file(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/wire/files").join(name)).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads `name="value"` and `name=value` pairs of a `Digest` header.
fn digest_params(header: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = header.trim_start_matches("Digest").trim();
    while let Some((name, after)) = rest.split_once('=') {
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"').unwrap_or(quoted.len());
                (&quoted[..end], quoted.get(end + 1..).unwrap_or(""))
            }
            None => after.split_once(',').unwrap_or((after, "")),
        };
        out.push((
            name.trim().trim_start_matches(',').trim().to_owned(),
            value.to_owned(),
        ));
        rest = next.trim_start_matches([',', ' ']);
    }
    out
}

/// Checks a `Digest` answer the way RFC 7616 says a server does.
fn digest_ok(request: &Recorded, algorithm: &str, password: &str) -> bool {
    let Some(header) = request.header("authorization") else {
        return false;
    };
    let params = digest_params(header);
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let hash = |s: String| match algorithm {
        "MD5" => hex(&Md5::digest(s.as_bytes())),
        _ => hex(&Sha256::digest(s.as_bytes())),
    };
    let ha1 = hash(format!("{}:wire@test:{password}", get("username")));
    let ha2 = hash(format!("{}:{}", request.method, get("uri")));
    let expected = hash(format!(
        "{ha1}:n-{algorithm}:{}:{}:auth:{ha2}",
        get("nc"),
        get("cnonce")
    ));
    get("uri") == request.target
        && get("qop") == "auth"
        && get("opaque") == "op-7"
        && get("response") == expected
}

/// Answers `/api/basic`, `/api/bearer` and `/api/digest/<algorithm>` only to
/// the right credentials, and everything else with a JSON echo.
fn auth_server() -> WireServer {
    WireServer::start(|request| {
        let authorization = request.header("authorization");
        let ok = match request.path() {
            "/api/basic" => authorization == Some("Basic cWEudXNlcjpwdy1CYXNpYy0wMDQy"),
            "/api/bearer" => authorization == Some("Bearer tok-bearer-0042"),
            path => match path.strip_prefix("/api/digest/") {
                Some(algorithm) if authorization.is_none() => {
                    let challenge = format!(
                        "Digest realm=\"wire@test\", qop=\"auth, auth-int\", algorithm={algorithm}, nonce=\"n-{algorithm}\", opaque=\"op-7\""
                    );
                    return Reply::status(401).header("www-authenticate", &challenge);
                }
                Some(algorithm) => digest_ok(request, algorithm, "pw-Digest-0042"),
                None => true,
            },
        };
        if ok {
            Reply::json(&json!({"ok": true}))
        } else {
            Reply::status(401)
        }
    })
}

#[test]
fn authentication_helpers_send_the_right_credentials_and_never_print_them() {
    let server = auth_server();
    let output = run(&server, "auth.yaml");
    output.assert_code(0);
    let digest: Vec<Recorded> = server
        .requests()
        .into_iter()
        .filter(|r| r.path().starts_with("/api/digest/"))
        .collect();
    // Each Digest step: the challenge, then the answer (with its body again).
    assert_eq!(digest.len(), 4, "{digest:#?}");
    assert_eq!(digest[0].header("authorization"), None);
    assert!(
        digest[1]
            .header("authorization")
            .unwrap()
            .contains("algorithm=SHA-256")
    );
    assert_eq!(digest[3].body, b"{\"a\":1}");
    let response = digest_params(digest[1].header("authorization").unwrap())
        .into_iter()
        .find(|(k, _)| k == "response")
        .unwrap()
        .1;
    for secret in [
        "pw-Basic-0042",
        "cWEudXNlcjpwdy1CYXNpYy0wMDQy",
        "tok-bearer-0042",
        "pw-Digest-0042",
        &response,
    ] {
        assert!(
            !output.stdout.contains(secret),
            "{secret} printed:\n{}",
            output.stdout
        );
    }
    assert!(
        output.stdout.contains("> authorization: Basic [secret:"),
        "{}",
        output.stdout
    );
}

#[test]
fn the_test_server_s_digest_check_accepts_curl() {
    // curl's own Digest answer passing the same check shows the check is RFC 7616's.
    let server = auth_server();
    for algorithm in ["MD5", "SHA-256"] {
        let out = Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--digest",
                "-u",
                "qa.user:pw-Digest-0042",
            ])
            .arg(format!("{}/api/digest/{algorithm}?page=1", server.url))
            .output()
            .expect("curl runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "200", "{algorithm}");
    }
}

/// Parses a multipart body with Python's email package (not this runner's
/// code) into `[name, filename, content type, sha256 of the content]`.
fn python_parts(content_type: &str, body: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body");
    let message = [format!("Content-Type: {content_type}\r\n\r\n").as_bytes(), body].concat();
    std::fs::write(&file, message).unwrap();
    let script = "import sys, json, email, hashlib\n\
        m = email.message_from_bytes(open(sys.argv[1], 'rb').read())\n\
        print(json.dumps([[p.get_param('name', header='content-disposition'), p.get_filename(), \
        p.get_content_type(), hashlib.sha256(p.get_payload(decode=True)).hexdigest()] for p in m.get_payload()]))";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sha(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn echo_server() -> WireServer {
    WireServer::start(|request| Reply::json(&json!({"received": request.body.len()})))
}

#[test]
fn bodies_go_out_byte_for_byte() {
    let server = echo_server();
    let output = run(&server, "bodies.yaml");
    output.assert_code(0);
    let requests = server.requests();
    let [upload, file, json_file, null, numbers, csv, secret] = requests.as_slice() else {
        panic!("{requests:#?}")
    };
    let content_type = upload.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let pdf = fixture_file("report.pdf");
    let notes = fixture_file("notes.txt");
    let expected = [
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ3 report\r\n").into_bytes(),
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n18446744073709551617\r\n").into_bytes(),
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"report.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes(),
        pdf.clone(),
        format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\": 1}}\r\n").into_bytes(),
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"notes\"; filename=\"renamed.txt\"\r\nContent-Type: text/plain\r\n\r\n").into_bytes(),
        notes.clone(),
        format!("\r\n--{boundary}--\r\n").into_bytes(),
    ]
    .concat();
    assert_eq!(upload.body, expected);
    assert_eq!(
        upload.header("content-length"),
        Some(expected.len().to_string().as_str())
    );
    assert_eq!(
        python_parts(content_type, &upload.body),
        json!([
            ["title", null, "text/plain", sha(b"Q3 report")],
            ["size", null, "text/plain", sha(b"18446744073709551617")],
            ["doc", "report.pdf", "application/pdf", sha(&pdf)],
            ["meta", null, "application/json", sha(b"{\"k\": 1}")],
            ["notes", "renamed.txt", "text/plain", sha(&notes)],
        ])
    );
    assert_eq!(file.body, fixture_file("blob.bin"));
    assert_eq!(file.header("content-type"), None);
    assert_eq!(json_file.body, fixture_file("payload.json"));
    assert_eq!(json_file.header("content-type"), Some("application/json"));
    assert_eq!(
        (null.body.as_slice(), null.header("content-type")),
        (&b"null"[..], Some("application/json"))
    );
    assert_eq!(
        String::from_utf8_lossy(&numbers.body),
        r#"{"big":18446744073709551617,"huge":1e400,"neg":-99999999999999999999999,"sum":18446744073709551618,"tiny":1e-400,"via_template":18446744073709551617}"#
    );
    assert_eq!(csv.body, b"bob,10\n");
    assert_eq!(secret.body, fixture_file("secret.txt"));
    assert_eq!(secret.header("content-type"), Some("text/plain"));
    for hidden in ["s3cr3t-file-contents", "pw-in-json-file"] {
        assert!(
            !output.stdout.contains(hidden),
            "{hidden} printed:\n{}",
            output.stdout
        );
    }
}

#[test]
fn the_failure_view_shows_what_was_sent_and_its_curl_line_replays_it() {
    let server = echo_server();
    let output = scenario(&root())
        .args(["run", "tests/fixtures/wire/failing.yaml"])
        .args(["--target", &format!("{}/api", server.url)])
        .ran();
    output.assert_code(1);
    let view = regex::Regex::new(r"-{24}[0-9a-f]{24}")
        .unwrap()
        .replace_all(&stable(&output.stdout), "[boundary]")
        .into_owned();
    insta::assert_snapshot!("failure_view", view);
    let verbose = scenario(&root())
        .args(["run", "tests/fixtures/wire/failing.yaml", "-vvv"])
        .args(["--target", &format!("{}/api", server.url)])
        .ran();
    let verbose = regex::Regex::new(r"-{24}[0-9a-f]{24}")
        .unwrap()
        .replace_all(&stable(&verbose.stdout), "[boundary]")
        .into_owned();
    insta::assert_snapshot!("verbose_view", verbose);
    // Replay the file body's curl line (nothing secret in it) with curl itself.
    let replay = output
        .stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("replay: "))
        .find(|l| l.contains("--data-binary"))
        .unwrap()
        .to_owned();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{replay} -s -o /dev/null"))
        .current_dir(root())
        .status()
        .unwrap();
    assert!(status.success(), "{replay}");
    let received: Vec<Vec<u8>> = server
        .requests_to("/api/raw")
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(
        received,
        [
            fixture_file("blob.bin"),
            fixture_file("blob.bin"),
            fixture_file("blob.bin")
        ]
    );
}

#[test]
fn the_multipart_curl_line_replays_the_same_parts() {
    let server = echo_server();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("upload.yaml");
    std::fs::copy(
        root().join("tests/fixtures/wire/files/report.pdf"),
        dir.path().join("report.pdf"),
    )
    .unwrap();
    std::fs::write(
        &file,
        "name: u\nsteps:\n  - post: /upload\n    multipart:\n      title: 'Q3; \"final\" @report'\n      meta: { value: '{\"k\": \"a;b\"}', type: application/json }\n      doc: { file: report.pdf, type: application/pdf, filename: q3.pdf }\n    expect: { status: 201 }\n",
    )
    .unwrap();
    let output = scenario(Path::new(dir.path()))
        .args(["run", "upload.yaml", "--target", &format!("{}/api", server.url)])
        .ran();
    let replay = output
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("replay: "))
        .unwrap_or_else(|| panic!("{}", output.stdout))
        .to_owned();
    assert!(
        replay.contains("--form-string") && replay.contains("-F 'doc=@"),
        "{replay}"
    );
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{replay} -s -o /dev/null"))
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "{replay}");
    let [ours, curls] = server.requests_to("/api/upload").try_into().unwrap();
    let parts = |r: &Recorded| python_parts(r.header("content-type").unwrap(), &r.body);
    assert_eq!(parts(&ours), parts(&curls));
    assert_eq!(parts(&ours)[0][3], json!(sha(b"Q3; \"final\" @report")));
    assert_eq!(
        parts(&ours)[1],
        json!(["meta", null, "application/json", sha(b"{\"k\": \"a;b\"}")])
    );
}

#[test]
fn numbers_and_durations_may_come_from_templates() {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let server = WireServer::start(move |request| {
        if request.path() == "/api/slow" {
            std::thread::sleep(Duration::from_secs(2));
        }
        Reply::json(&json!({"count": seen.fetch_add(1, Ordering::SeqCst) + 1}))
    });
    let output = run(&server, "settings.yaml");
    output.assert_code(1);
    assert!(output.stdout.contains("(3 attempts)"), "{}", output.stdout);
    assert!(
        output.stdout.contains("no response within 300ms"),
        "{}",
        output.stdout
    );
    assert_eq!(server.requests_to("/api/count").len(), 3);
}

#[test]
fn variable_names_with_hyphens_are_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("h.yaml"),
        "name: h\nvars:\n  my-id: 7\nsteps:\n  - get: \"http://127.0.0.1:1/{{ my-id }}\"\n",
    )
    .unwrap();
    let output = scenario(dir.path()).args(["check", "h.yaml"]).ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stdout);
    let all = format!("{}{}", output.stdout, output.stderr);
    assert!(all.contains("the variable name `my-id` holds `-`"), "{all}");
    assert!(
        all.contains("reads as a subtraction (`my - id`); name it `my_id`"),
        "{all}"
    );
    let output = scenario(dir.path())
        .args(["run", "h.yaml", "--var", "other-id=1"])
        .ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output.stderr.contains(
            "the variable name `other-id` holds `-`; in a template `{{ other-id }}` reads as a subtraction"
        ),
        "{}",
        output.stderr
    );
}

#[test]
fn a_missing_file_is_a_check_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.yaml"),
        "name: m\nsteps:\n  - post: /a\n    multipart: { doc: { file: nowhere.pdf } }\n",
    )
    .unwrap();
    let output = scenario(dir.path()).args(["check", "m.yaml"]).ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stdout);
    let all = format!("{}{}", output.stdout, output.stderr);
    assert!(all.contains("m.yaml:4:23"), "{all}");
    assert!(
        all.contains("multipart field `doc`: the file `nowhere.pdf` is not found"),
        "{all}"
    );
}

#[test]
fn a_step_picks_its_http_version_and_the_response_s_is_recorded() {
    let server = support::server::TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("v.yaml"),
        "name: v\nsteps:\n  - name: default\n    get: /version\n    expect: { body: { $.version: HTTP/1.1 } }\n  - name: one\n    get: /version\n    http_version: 1.1\n    expect: { body: { $.version: HTTP/1.1 } }\n  - name: two\n    get: /version\n    http_version: 2\n    expect: { body: { $.version: HTTP/2.0 } }\n",
    )
    .unwrap();
    let output = scenario(dir.path())
        .args(["run", "v.yaml", "-v", "--target", &server.api_url()])
        .ran();
    output.assert_code(0);
    let lines: Vec<&str> = output
        .stdout
        .lines()
        .filter(|l| l.contains("/api/version ->"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", output.stdout);
    assert!(
        lines[0].ends_with("-> 200") && lines[1].ends_with("-> 200"),
        "{lines:?}"
    );
    assert!(lines[2].ends_with("-> 200 (HTTP/2)"), "{lines:?}");
}

#[test]
fn templated_names_are_sent_as_the_names_they_stand_for() {
    let server = WireServer::start(|_| Reply::json(&json!({"ok": true})));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("k.yaml"),
        "name: k\nvars:\n  field: color\n  header: x-trace\nsteps:\n  - post: /api/keys\n    query: { \"{{ field }}\": red }\n    headers: { \"{{ header }}\": t1 }\n    form: { \"{{ field }}_name\": blue }\n",
    )
    .unwrap();
    let output = scenario(dir.path())
        .args(["run", "k.yaml", "--target", &server.url])
        .ran();
    output.assert_code(0);
    let sent = server.requests_to("/api/keys");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].query("color").as_deref(),
        Some("red"),
        "{}",
        sent[0].target
    );
    assert!(!sent[0].target.contains("%7B"), "{}", sent[0].target);
    assert_eq!(sent[0].header("x-trace"), Some("t1"));
    assert_eq!(String::from_utf8_lossy(&sent[0].body), "color_name=blue");
}

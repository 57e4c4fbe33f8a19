//! Drives the binary against two recording servers on two loopback ports to
//! prove what crosses a redirect: every credential stays behind when the
//! origin changes (unless the host is trusted), stays when it does not, the
//! limit holds, and each hop is reported.

mod support;

use serde_json::json;
use support::wire::{Recorded, Reply, WireServer};
use support::{RunToEnd, root, scenario, stable};

/// Starts the other origin (`/landing`) and the target (`/api/...`), which
/// redirects to it, to itself, or along a chain of `/api/hop/N`.
fn servers() -> (WireServer, WireServer) {
    let other = WireServer::start(|_| Reply::json(&json!({"landed": true})));
    let other_url = other.url.clone();
    let target = WireServer::start(move |request| match request.path() {
        "/api/cross" => Reply::redirect(302, &format!("{other_url}/landing")),
        "/api/same" => Reply::redirect(307, "/api/landing"),
        path => match path.strip_prefix("/api/hop/").and_then(|n| n.parse::<u32>().ok()) {
            Some(0) => Reply::json(&json!({"hops_left": 0})),
            Some(n) => Reply::redirect(302, &format!("/api/hop/{}", n - 1)),
            None => Reply::json(&json!({})),
        },
    });
    (target, other)
}

fn run(target: &WireServer, other: &WireServer, fixture: &str) -> support::Ran {
    scenario(&root())
        .arg("run")
        .arg(format!("tests/fixtures/wire/{fixture}"))
        .args(["--target", &format!("{}/api", target.url)])
        .args(["--var", &format!("other_port={}", other.port())])
        .arg("-v")
        .ran()
}

const CREDENTIALS: [&str; 4] = ["authorization", "x-api-key", "proxy-authorization", "cookie"];

fn credential_headers(request: &Recorded) -> Vec<&str> {
    CREDENTIALS
        .iter()
        .copied()
        .filter(|h| request.header(h).is_some())
        .collect()
}

#[test]
fn credentials_stay_behind_when_a_redirect_leaves_the_origin() {
    let (target, other) = servers();
    let output = run(&target, &other, "redirects.yaml");
    output.assert_code(0);
    let landed = other.requests_to("/landing");
    assert_eq!(landed.len(), 3, "{landed:#?}");
    assert_eq!(credential_headers(&landed[0]), Vec::<&str>::new(), "{landed:#?}");
    assert_eq!(landed[0].header("x-trace"), Some("kept-everywhere"));
    let raw = String::from_utf8_lossy(&landed[0].raw);
    for secret in ["tok-cross-origin-1", "key-4f9a2c81", "cookie-cross-1", "cHJveHk6"] {
        assert!(
            !raw.contains(secret),
            "{secret} crossed to the other origin:\n{raw}"
        );
    }
    assert_eq!(
        credential_headers(&landed[2]),
        Vec::<&str>::new(),
        "basic auth crossed: {landed:#?}"
    );

    let same = target.requests_to("/api/landing");
    assert_eq!(same.len(), 1);
    assert_eq!(credential_headers(&same[0]), CREDENTIALS, "{same:#?}");
    assert_eq!(same[0].header("cookie"), Some("sid=cookie-cross-1"));
    assert_eq!(same[0].header("x-api-key"), Some("key-4f9a2c81"));

    let trusted = &landed[1];
    assert_eq!(trusted.header("authorization"), Some("Bearer tok-cross-origin-1"));
    assert_eq!(trusted.header("x-api-key"), Some("key-4f9a2c81"));
    assert_eq!(trusted.header("cookie"), Some("sid=cookie-cross-1"));

    let stdout = &output.stdout;
    assert!(
        stdout.contains(&format!(
            "redirected: 302 {}/api/cross -> {}/landing",
            target.url, other.url
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "redirected: 307 {}/api/same -> /api/landing",
            target.url
        )),
        "{stdout}"
    );
    for secret in [
        "tok-cross-origin-1",
        "key-4f9a2c81",
        "cookie-cross-1",
        "pw-basic-77",
        "cXE6cHctYmFzaWMtNzc=",
    ] {
        assert!(!stdout.contains(secret), "{secret} printed:\n{stdout}");
    }
}

#[test]
fn redirect_chains_follow_the_limit_and_report_each_hop() {
    let (target, other) = servers();
    let output = run(&target, &other, "redirect-limits.yaml");
    output.assert_code(0);
    let hops = output.stdout.matches("redirected: 302").count();
    assert_eq!(hops, 22, "10 and 12 hops:\n{}", output.stdout);

    let output = run(&target, &other, "redirect-too-many.yaml");
    assert_eq!(output.status.code(), Some(1), "{}", output.stdout);
    assert!(
        output.stdout.contains("more than 10 redirects"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("more than 2 redirects"),
        "{}",
        output.stdout
    );
    // The lowered limit stopped after the third request: /hop/3, /hop/2, /hop/1.
    let targets: Vec<String> = target.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets[targets.len() - 3..],
        ["/api/hop/3", "/api/hop/2", "/api/hop/1"]
    );
    // The default limit sent the request and its ten redirects: eleven, before /hop/0.
    assert_eq!(
        targets.iter().filter(|t| *t == "/api/hop/0").count(),
        2,
        "{targets:?}"
    );
    insta::assert_snapshot!("too_many_redirects", stable(&output.stdout));
}

//! Drives the binary to prove that sessions keep their cookies apart: named
//! sessions never see each other's cookies, a jar turned off (per step,
//! scenario or environment) sends and stores nothing, explicit cookies join
//! the jar's; and that the shipped Circularo flows send each session only its
//! own credentials, against a server where the cookie beats the query token.

mod support;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use serde_json::{Value, json};
use support::wire::{Reply, WireServer};
use support::{RunToEnd, root, run_blocking, scenario};

/// Starts a server whose `/api/login` sets `sid=<user>` and whose
/// `/api/whoami` answers with the `Cookie` header it got.
fn cookie_server() -> WireServer {
    WireServer::start(|request| match request.path() {
        "/api/login" => {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
            let user = body["user"].as_str().unwrap_or("nobody").to_owned();
            Reply::json(&json!({"user": user})).header("set-cookie", &format!("sid={user}; Path=/"))
        }
        _ => Reply::json(&json!({"cookie": request.header("cookie")})),
    })
}

fn run_fixture(server: &WireServer, fixture: &str) -> support::Ran {
    scenario(&root())
        .args(["run", &format!("tests/fixtures/wire/{fixture}")])
        .args(["--target", &format!("{}/api", server.url), "-vvv"])
        .ran()
}

#[test]
fn named_sessions_never_see_each_other_s_cookies() {
    let server = cookie_server();
    let output = run_fixture(&server, "sessions.yaml");
    output.assert_code(0);
    let cookies: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("cookie").map(str::to_owned))
        .collect();
    let expected = [
        None,                        // Ann logs in
        None,                        // Bob logs in, in his own session
        Some("sid=ann"),             // main session
        Some("sid=bob"),             // Bob's session
        None,                        // jar off
        None,                        // jar off: eve's cookie is not stored
        Some("sid=ann"),             // still Ann's
        Some("sid=ann; theme=dark"), // explicit cookie joins
        Some("sid=override"),        // same name: explicit wins
        Some("own=1"),               // the step's own header replaces the jar's
        None,                        // cleared
        Some("sid=bob"),             // Bob's session untouched
    ];
    assert_eq!(cookies, expected.map(|c| c.map(str::to_owned)));
    // `-v` shows the Cookie header that went out (a header named `cookie` is
    // secret by its name), not the jar's `sid=...`.
    let own = output.stdout.split("A step's own Cookie header").nth(1).unwrap();
    let own = own.split("Clearing the jar").next().unwrap();
    let sent: Vec<&str> = own
        .lines()
        .filter(|l| l.trim_start().starts_with("> cookie:"))
        .collect();
    assert_eq!(sent, ["      > cookie: [secret:cookie]"], "{own}");
}

#[test]
fn a_use_step_runs_its_flow_in_its_session() {
    let server = cookie_server();
    let output = run_fixture(&server, "flow-session.yaml");
    output.assert_code(0);
}

#[test]
fn a_scenario_or_an_environment_can_turn_the_jar_off() {
    let server = cookie_server();
    let output = run_fixture(&server, "no-jar.yaml");
    output.assert_code(0);
    let cookies: Vec<Option<&str>> = server
        .requests()
        .iter()
        .map(|r| r.header("cookie"))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|c| c.map(|_| "sent"))
        .collect();
    assert_eq!(cookies, [None, None, None, Some("sent")]);

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("scenario.yaml");
    std::fs::write(
        &config,
        "environments:\n  nojar:\n    base_url: http://127.0.0.1:1/api\n    cookie_jar: false\n",
    )
    .unwrap();
    let server = cookie_server();
    let output = scenario(&root())
        .args(["run", "tests/fixtures/wire/jar-default.yaml", "--env", "nojar"])
        .args(["--target", &format!("{}/api", server.url)])
        .arg("--config")
        .arg(&config)
        .ran();
    output.assert_code(0);
    let whoami = server.requests_to("/api/whoami");
    assert_eq!(whoami[0].header("cookie"), None, "{whoami:#?}");
}

/// Holds where the cookie-first server forwards to.
#[derive(Clone)]
struct Upstream {
    client: reqwest::Client,
    root: String,
}

/// Forwards a request to the mock, but lets a `token` cookie beat the
/// `token` query parameter, as a server that reads the cookie first would.
async fn cookie_first(State(upstream): State<Arc<Upstream>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let from_cookie = parts
        .headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix("token="))
        .find(|t| !t.is_empty())
        .map(str::to_owned);
    let mut url = url::Url::parse(&format!("{}{}", upstream.root, parts.uri)).unwrap();
    if let Some(token) = from_cookie {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "token")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .chain([("token".to_owned(), token)])
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let mut headers = parts.headers.clone();
    headers.remove("host");
    let answer = upstream
        .client
        .request(parts.method, url)
        .headers(headers)
        .body(body)
        .send()
        .await
        .expect("the mock answers");
    let mut response = Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        response = response.header(name, value);
    }
    response
        .body(Body::from(answer.bytes().await.unwrap_or_default()))
        .unwrap()
}

/// The two flows as they were shipped before sessions: every request shared
/// one jar, so the latest login's cookie went with every later request.
const OLD_LOGOUT_ONE_SESSION: &str = "name: Logout ends only that session (one jar)\nsteps:\n  - post: /login\n    json: { name: \"{{ user }}\", password: \"{{ password }}\", returnToken: true }\n    capture: { first_token: $.token }\n  - post: /login\n    json: { name: \"{{ user }}\", password: \"{{ password }}\", returnToken: true }\n    capture: { second_token: $.token }\n  - get: /logout\n    query: { token: \"{{ first_token }}\" }\n  - post: /search\n    query: { token: \"{{ first_token }}\" }\n    json: { from: 0, size: 1 }\n    expect: { status: 401 }\n";
const OLD_SESSION_STATUS: &str = "name: Session status check (one jar)\nsteps:\n  - post: /login\n    json: { name: \"{{ email_user }}\", password: \"{{ mfa_password }}\", returnToken: true }\n    capture: { locked_token: $.token }\n  - get: /login\n    query: { token: \"{{ random_alphanumeric(64) }}\", returnToken: true }\n    expect: { body: { $.logged: false } }\nfinally:\n  - get: /logout\n    query: { token: \"{{ locked_token }}\" }\n";

#[tokio::test(flavor = "multi_thread")]
async fn the_shipped_flows_send_each_session_only_its_own_credentials() {
    let mock = support::mock::start_builtin().await;
    let upstream = Arc::new(Upstream {
        client: support::client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        root: mock.root_url(),
    });
    let app = axum::Router::new().fallback(cookie_first).with_state(upstream);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let shim = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let target = format!("{shim}/api/v1");

    let mut command = scenario(&root());
    command
        .args([
            "run",
            "scenarios/logout-one-session.yaml",
            "scenarios/session-status.yaml",
        ])
        .args(["--target", &target, "--snapshots", "no"]);
    let output = run_blocking(command).await;
    output.assert_code(0);

    // The same checks with one shared jar fail there: the proof the server tells them apart.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old-logout.yaml"), OLD_LOGOUT_ONE_SESSION).unwrap();
    std::fs::write(dir.path().join("old-status.yaml"), OLD_SESSION_STATUS).unwrap();
    for old in ["old-logout.yaml", "old-status.yaml"] {
        let mut command = scenario(&root());
        command
            .arg("run")
            .arg(dir.path().join(old))
            .args(["--target", &target, "--snapshots", "no"]);
        let output = run_blocking(command).await;
        assert_eq!(output.status.code(), Some(1), "{old} passed:\n{}", output.stdout);
    }
    server.abort();
    mock.shutdown().await;
}

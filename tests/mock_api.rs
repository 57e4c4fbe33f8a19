//! Drives the Circularo mock through its router (tower `oneshot`): every
//! endpoint, every documented answer and refusal, token expiry via the mock
//! clock, the control endpoints, and the concurrency guarantees.

use std::collections::HashSet;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use scenario::mock::{InvalidTokenStatus, MfaPolicy, MockConfig, SearchResults, Seed, app};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tower::ServiceExt;

const PASSWORD: &str = "#32Password1!";
const MARY: &str = "mary.griffin@circularo.com";
const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const RECOVERY_CODES: [&str; 10] = [
    "40718623", "59302714", "82146039", "13579246", "97531864", "24680135", "61820473", "35074918",
    "78293056", "06482719",
];

/// Holds one answer of the mock.
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Reply {
    /// Asserts the documented error shape and returns the body.
    #[track_caller]
    fn assert_error(&self, status: u16, kind: &str) -> &Value {
        assert_eq!(self.status.as_u16(), status, "{:#}", self.body);
        assert_eq!(self.headers[header::CONTENT_TYPE], "application/json");
        assert_eq!(self.body["status"], status, "{:#}", self.body);
        assert_eq!(self.body["type"], kind, "{:#}", self.body);
        assert!(self.body["message"].as_str().is_some_and(|m| !m.is_empty()));
        let id = self.body["requestId"].as_str().unwrap_or_default();
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "requestId {id:?}"
        );
        assert!(
            self.body.get("details").is_some(),
            "details must be present (null or data)"
        );
        &self.body
    }

    #[track_caller]
    fn assert_ok(&self) -> &Value {
        assert_eq!(self.status, StatusCode::OK, "{:#}", self.body);
        assert_eq!(self.headers[header::CONTENT_TYPE], "application/json");
        &self.body
    }

    fn set_cookie(&self) -> Option<&str> {
        self.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok())
    }
}

/// Wraps a router built from the built-in seed (or another seed/config).
#[derive(Clone)]
struct Mock {
    router: Router,
}

impl Mock {
    fn new() -> Self {
        Self::with(MockConfig::default(), Seed::builtin())
    }

    fn with(config: MockConfig, seed: Seed) -> Self {
        Self {
            router: app(config, seed).expect("the mock builds"),
        }
    }

    async fn send(&self, method: Method, uri: &str, body: Option<&str>, cookie: Option<&str>) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let request = request
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, uri: &str) -> Reply {
        self.send(Method::GET, uri, None, None).await
    }

    async fn post(&self, uri: &str, body: Value) -> Reply {
        self.send(Method::POST, uri, Some(&body.to_string()), None).await
    }

    async fn post_raw(&self, uri: &str, body: &str) -> Reply {
        self.send(Method::POST, uri, Some(body), None).await
    }

    async fn login_reply(&self, name: &str) -> Reply {
        self.post(
            "/api/v1/login",
            json!({"name": name, "password": PASSWORD, "returnToken": true}),
        )
        .await
    }

    /// Logs in and returns the (possibly locked) token.
    async fn login(&self, name: &str) -> String {
        let reply = self.login_reply(name).await;
        reply.assert_ok()["token"].as_str().expect("token").to_owned()
    }

    /// Returns the newest code sent for `token` by `factor`.
    async fn code(&self, token: &str, factor: &str) -> String {
        let reply = self
            .get(&format!("/__mock/outbox?token={token}&factor={factor}"))
            .await;
        reply.assert_ok()["messages"][0]["code"]
            .as_str()
            .expect("a sent code")
            .to_owned()
    }

    async fn now(&self) -> OffsetDateTime {
        let reply = self.get("/__mock/clock").await;
        OffsetDateTime::parse(reply.assert_ok()["now"].as_str().unwrap(), &Rfc3339).unwrap()
    }

    async fn advance(&self, seconds: u64) {
        self.post("/__mock/clock", json!({"advanceSeconds": seconds}))
            .await
            .assert_ok();
    }

    async fn unlock(&self, token: &str, factors: Value) -> Reply {
        self.post(
            &format!("/api/v1/login/unlock?token={token}"),
            json!({"factors": factors}),
        )
        .await
    }

    async fn recover(&self, token: &str, code: &str) -> Reply {
        self.post(
            &format!("/api/v1/login/recovery?token={token}"),
            json!({"recoveryCode": code}),
        )
        .await
    }

    async fn search(&self, token: &str, body: Value) -> Reply {
        self.post(&format!("/api/v1/search?token={token}"), body).await
    }

    async fn status(&self, token: &str) -> Reply {
        self.get(&format!("/api/v1/login?token={token}&returnToken=true"))
            .await
    }

    /// Returns the TOTP code of the built-in TOTP account at the mock's time.
    async fn totp_now(&self) -> String {
        totp_at(self.now().await)
    }
}

fn totp_at(at: OffsetDateTime) -> String {
    let secret = totp_rs::Secret::try_from_base32(TOTP_SECRET).unwrap();
    let totp = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    totp.generate(u64::try_from(at.unix_timestamp()).unwrap())
        .to_string()
}

fn wrong_code(right: &str) -> String {
    if right == "000000" {
        "111111".to_owned()
    } else {
        "000000".to_owned()
    }
}

fn date(value: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(value.as_str().expect("a date string"), &Rfc3339).expect("RFC 3339")
}

// ---------------------------------------------------------------- POST /login

#[tokio::test]
async fn login_returns_the_documented_fields_and_a_cookie() {
    let mock = Mock::new();
    let reply = mock.login_reply(MARY).await;
    let body = reply.assert_ok();
    assert_eq!(body["logged"], true);
    assert_eq!(body["isUnlocked"], true);
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(body["tenant"], "default");
    assert_eq!(body["hasPassword"], true);
    assert_eq!(body["user"]["name"], MARY);
    assert_eq!(body["user"]["fullname"], "Mary Griffin");
    assert!(body["user"].get("password").is_none());
    assert_eq!(body["settings"]["type"], "user");
    assert!(
        body["rights"]
            .as_array()
            .unwrap()
            .contains(&json!("use_document_management"))
    );
    assert_eq!(body["validForMilliseconds"], 2_592_000_000_i64);
    assert!(date(&body["lastUsed"]) <= mock.now().await);
    assert!(body.get("authentication").is_none(), "no MFA pending");
    let cookie = reply.set_cookie().unwrap();
    assert!(cookie.starts_with(&format!("token={token};")), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
}

#[tokio::test]
async fn login_without_return_token_still_sets_the_cookie() {
    let mock = Mock::new();
    let reply = mock
        .post(
            "/api/v1/login",
            json!({"name": MARY, "password": PASSWORD, "returnToken": false}),
        )
        .await;
    assert!(reply.assert_ok().get("token").is_none());
    let cookie = reply.set_cookie().unwrap().split(';').next().unwrap().to_owned();
    let status = mock
        .send(Method::GET, "/api/v1/login?returnToken=true", None, Some(&cookie))
        .await;
    let body = status.assert_ok();
    assert_eq!(body["logged"], true);
    assert_eq!(format!("token={}", body["token"].as_str().unwrap()), cookie);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let mock = Mock::new();
    let wrong = mock
        .post("/api/v1/login", json!({"name": MARY, "password": "nope"}))
        .await;
    let unknown = mock
        .post(
            "/api/v1/login",
            json!({"name": "nobody@circularo.com", "password": PASSWORD}),
        )
        .await;
    for reply in [&wrong, &unknown] {
        let body = reply.assert_error(401, "AUTH:INVALID_CREDENTIALS");
        assert_eq!(body["message"], "Invalid credentials.");
        assert!(reply.set_cookie().is_none());
    }
    assert_ne!(
        wrong.body["requestId"], unknown.body["requestId"],
        "request ids are fresh"
    );
}

#[tokio::test]
async fn malformed_login_bodies_are_refused_with_400() {
    let mock = Mock::new();
    for body in [
        "not json",
        "[]",
        r#"{"password": "x"}"#,
        r#"{"name": "mary griffin", "password": "x"}"#,
        r#"{"name": "a", "password": 5}"#,
        r#"{"name": "a", "password": "x", "returnToken": "yes"}"#,
        r#"{"name": "a", "password": "x", "tenant": "Default"}"#,
    ] {
        let reply = mock.post_raw("/api/v1/login", body).await;
        let err = reply.assert_error(400, "VALIDATION:INPUT_INVALID");
        assert_eq!(err["message"], "Invalid request format.", "{body}");
        assert!(err["details"].is_array(), "{body}: per-field details");
    }
    let unknown_tenant = mock
        .post(
            "/api/v1/login",
            json!({"name": MARY, "password": PASSWORD, "tenant": "nope"}),
        )
        .await;
    unknown_tenant.assert_error(400, "VALIDATION:INPUT_INVALID");
}

#[tokio::test]
async fn tenants_keep_their_accounts_apart_and_names_ignore_case() {
    let mock = Mock::new();
    let jane = mock
        .post(
            "/api/v1/login",
            json!({"name": "jane.doe@acme.example", "password": PASSWORD, "tenant": "acme"}),
        )
        .await;
    assert_eq!(jane.assert_ok()["tenant"], "acme");
    let jane_default = mock
        .post(
            "/api/v1/login",
            json!({"name": "jane.doe@acme.example", "password": PASSWORD}),
        )
        .await;
    jane_default.assert_error(401, "AUTH:INVALID_CREDENTIALS");
    let mary_acme = mock
        .post(
            "/api/v1/login",
            json!({"name": MARY, "password": PASSWORD, "tenant": "acme"}),
        )
        .await;
    mary_acme.assert_error(401, "AUTH:INVALID_CREDENTIALS");
    let shouting = mock
        .post(
            "/api/v1/login",
            json!({"name": "Mary.Griffin@Circularo.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(shouting.assert_ok()["user"]["name"], MARY);
}

#[tokio::test]
async fn suspended_accounts_get_428_after_a_right_password() {
    let mock = Mock::new();
    let reply = mock.login_reply("suspended.user@circularo.com").await;
    assert_eq!(
        reply.assert_error(428, "AUTH:ACCOUNT_INACTIVE")["message"],
        "Account is not active."
    );
    let wrong = mock
        .post(
            "/api/v1/login",
            json!({"name": "suspended.user@circularo.com", "password": "x"}),
        )
        .await;
    wrong.assert_error(401, "AUTH:INVALID_CREDENTIALS");
}

// ---------------------------------------------------------------- GET /login

#[tokio::test]
async fn status_reports_a_valid_token() {
    let mock = Mock::new();
    let token = mock.login(MARY).await;
    let body = mock.status(&token).await.assert_ok().clone();
    assert_eq!(body["logged"], true);
    assert_eq!(body["isUnlocked"], true);
    assert_eq!(body["token"], token.as_str());
    assert_eq!(body["user"]["mail"], MARY);
    assert!(body["rights"].is_array() && body["settings"].is_object());
    let without = mock.get(&format!("/api/v1/login?token={token}")).await;
    assert!(
        without.assert_ok().get("token").is_none(),
        "returnToken defaults to false on GET"
    );
    let bad_flag = mock
        .get(&format!("/api/v1/login?token={token}&returnToken=maybe"))
        .await;
    bad_flag.assert_error(400, "VALIDATION:INPUT_INVALID");
}

#[tokio::test]
async fn status_of_an_invalid_token_is_logged_false_by_default() {
    let mock = Mock::new();
    for uri in ["/api/v1/login?token=nope&returnToken=true", "/api/v1/login"] {
        assert_eq!(
            *mock.get(uri).await.assert_ok(),
            json!({"logged": false, "isUnlocked": false})
        );
    }
}

#[tokio::test]
async fn status_of_an_invalid_token_can_be_401() {
    let mock = Mock::with(
        MockConfig {
            invalid_token: InvalidTokenStatus::Status401,
            ..MockConfig::default()
        },
        Seed::builtin(),
    );
    mock.get("/api/v1/login?token=nope")
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
    let token = mock.login(MARY).await;
    assert_eq!(mock.status(&token).await.assert_ok()["logged"], true);
}

#[tokio::test]
async fn status_of_a_locked_token_lists_pending_factors() {
    let mock = Mock::new();
    let token = mock.login("mfa.sms@circularo.com").await;
    let body = mock.status(&token).await.assert_ok().clone();
    assert_eq!(body["logged"], true);
    assert_eq!(body["isUnlocked"], false);
    assert_eq!(body["authentication"][0]["factor"], "sms");
}

// ---------------------------------------------------------------- MFA

#[tokio::test]
async fn email_mfa_flow_locks_then_unlocks_the_token() {
    let mock = Mock::new();
    let before = mock.now().await;
    let reply = mock.login_reply("mfa.email@circularo.com").await;
    let body = reply.assert_ok();
    assert_eq!(body["logged"], true);
    assert_eq!(body["isUnlocked"], false);
    let factor = &body["authentication"][0];
    assert_eq!(factor["factor"], "email");
    assert_eq!(factor["address"], "m*****@circularo.com");
    assert_eq!(factor["attemptsLeft"], 3);
    assert_eq!(factor["unlocked"], false);
    let valid_until = date(&factor["validUntil"]);
    assert!(valid_until >= before + time::Duration::minutes(10));
    assert!(valid_until <= mock.now().await + time::Duration::minutes(10));
    let token = body["token"].as_str().unwrap().to_owned();

    let locked = mock.search(&token, json!({"from": 0, "size": 10})).await;
    assert_eq!(
        locked.assert_error(401, "AUTH:TOKEN_LOCKED")["message"],
        "Access token is locked"
    );

    let code = mock.code(&token, "email").await;
    assert_eq!(code.len(), 6);
    let unlocked = mock
        .unlock(&token, json!([{"factor": "email", "password": code}]))
        .await;
    let body = unlocked.assert_ok();
    assert_eq!(body["isUnlocked"], true);
    assert_eq!(body["factors"][0]["factor"], "email");
    assert_eq!(body["factors"][0]["unlocked"], true);

    mock.search(&token, json!({"from": 0, "size": 10}))
        .await
        .assert_ok();
    let status = mock.status(&token).await;
    assert_eq!(status.assert_ok()["isUnlocked"], true);
    assert!(status.body.get("authentication").is_none());
}

#[tokio::test]
async fn sms_codes_go_to_the_phone_and_unlock() {
    let mock = Mock::new();
    let reply = mock.login_reply("mfa.sms@circularo.com").await;
    assert_eq!(reply.assert_ok()["authentication"][0]["address"], "*****01");
    let token = reply.body["token"].as_str().unwrap().to_owned();
    let outbox = mock.get(&format!("/__mock/outbox?token={token}")).await;
    let message = &outbox.assert_ok()["messages"][0];
    assert_eq!(message["address"], "+420777100201");
    assert_eq!(message["factor"], "sms");
    assert_eq!(message["name"], "mfa.sms@circularo.com");
    let code = message["code"].as_str().unwrap().to_owned();
    let body = mock
        .unlock(&token, json!([{"factor": "sms", "password": code}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(body["isUnlocked"], true);
}

#[tokio::test]
async fn totp_codes_unlock_once_and_cannot_be_replayed() {
    let mock = Mock::new();
    let first = mock.login("mfa.totp@circularo.com").await;
    assert!(
        mock.get(&format!("/__mock/outbox?token={first}")).await.body["messages"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let code = mock.totp_now().await;
    let body = mock
        .unlock(&first, json!([{"factor": "totp", "password": code}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(body["isUnlocked"], true);
    assert!(body["factors"][0]["address"].is_null());

    let second = mock.login("mfa.totp@circularo.com").await;
    let replay = mock
        .unlock(&second, json!([{"factor": "totp", "password": code}]))
        .await;
    let body = replay.assert_ok();
    assert_eq!(body["isUnlocked"], false, "the same time step is refused");
    assert_eq!(body["factors"][0]["attemptsLeft"], 2);

    mock.advance(30).await;
    let fresh = mock.totp_now().await;
    let body = mock
        .unlock(&second, json!([{"factor": "totp", "password": fresh}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(body["isUnlocked"], true, "the next step is accepted");
}

#[tokio::test]
async fn totp_accepts_one_step_of_skew_but_not_two() {
    let mock = Mock::new();
    let token = mock.login("mfa.totp@circularo.com").await;
    let now = mock.now().await;
    let stale = totp_at(now - time::Duration::seconds(90));
    let window = [-30, 0, 30].map(|s| totp_at(now + time::Duration::seconds(s)));
    let reply = mock
        .unlock(&token, json!([{"factor": "totp", "password": stale}]))
        .await;
    if !window.contains(&stale) {
        assert_eq!(
            reply.assert_ok()["isUnlocked"],
            false,
            "three steps back is too old"
        );
    }
    // The next step's code stays inside the window even if a step boundary
    // passes before the mock checks it.
    let next = totp_at(mock.now().await + time::Duration::seconds(30));
    let body = mock
        .unlock(&token, json!([{"factor": "totp", "password": next}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(body["isUnlocked"], true);
}

#[tokio::test]
async fn wrong_codes_use_up_attempts_then_are_refused() {
    let mock = Mock::new();
    let token = mock.login("mfa.wrongcode@circularo.com").await;
    let right = mock.code(&token, "sms").await;
    let wrong = wrong_code(&right);
    for left in [2, 1, 0] {
        let body = mock
            .unlock(&token, json!([{"factor": "sms", "password": wrong}]))
            .await
            .assert_ok()
            .clone();
        assert_eq!(body["isUnlocked"], false);
        assert_eq!(body["factors"][0]["unlocked"], false);
        assert_eq!(body["factors"][0]["attemptsLeft"], left);
    }
    let exhausted = mock
        .unlock(&token, json!([{"factor": "sms", "password": right}]))
        .await;
    let body = exhausted.assert_error(401, "AUTH:MFA_CODE_INVALID");
    assert_eq!(body["details"]["reason"], "attempts_exhausted");
    assert_eq!(body["details"]["factor"], "sms");
}

#[tokio::test]
async fn expired_codes_are_refused() {
    let mock = Mock::new();
    let token = mock.login("mfa.wrongcode@circularo.com").await;
    let code = mock.code(&token, "sms").await;
    mock.advance(10 * 60 + 1).await;
    let reply = mock
        .unlock(&token, json!([{"factor": "sms", "password": code}]))
        .await;
    assert_eq!(
        reply.assert_error(401, "AUTH:MFA_CODE_INVALID")["details"]["reason"],
        "expired"
    );
}

#[tokio::test]
async fn unlock_refuses_bad_requests_and_bad_tokens() {
    let mock = Mock::new();
    let token = mock.login("mfa.email@circularo.com").await;
    for factors in [
        json!([]),
        json!([{"factor": "fax", "password": "123456"}]),
        json!([{"factor": "totp", "password": "123456"}]),
        json!([{"factor": "email"}]),
    ] {
        let reply = mock.unlock(&token, factors.clone()).await;
        let body = reply.assert_error(400, "VALIDATION:INPUT_INVALID");
        assert_eq!(
            body["message"], "Incorrect request properties were specified.",
            "{factors}"
        );
    }
    let code = mock.code(&token, "email").await;
    let no_token = mock
        .post(
            "/api/v1/login/unlock",
            json!({"factors": [{"factor": "email", "password": code}]}),
        )
        .await;
    no_token.assert_error(401, "AUTH:TOKEN_INVALID");
    mock.unlock("nope", json!([{"factor": "email", "password": code}]))
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
    let body = mock
        .unlock(&token, json!([{"factor": "email", "password": code}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(
        body["factors"][0]["attemptsLeft"], 3,
        "a refused request costs no attempt"
    );
}

#[tokio::test]
async fn two_factors_both_required_by_default() {
    let mock = Mock::new();
    let token = mock.login("mfa.both@circularo.com").await;
    let email = mock.code(&token, "email").await;
    let sms = mock.code(&token, "sms").await;
    let half = mock
        .unlock(&token, json!([{"factor": "email", "password": email}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(half["isUnlocked"], false);
    assert_eq!(half["factors"].as_array().unwrap().len(), 2);
    mock.search(&token, json!({}))
        .await
        .assert_error(401, "AUTH:TOKEN_LOCKED");
    let full = mock
        .unlock(&token, json!([{"factor": "sms", "password": sms}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(full["isUnlocked"], true);

    let other = mock.login("mfa.both@circularo.com").await;
    let email = mock.code(&other, "email").await;
    let sms = mock.code(&other, "sms").await;
    let both = mock
        .unlock(
            &other,
            json!([{"factor": "email", "password": email}, {"factor": "sms", "password": sms}]),
        )
        .await;
    assert_eq!(both.assert_ok()["isUnlocked"], true);
}

#[tokio::test]
async fn any_policy_unlocks_with_one_factor() {
    let mock = Mock::with(
        MockConfig {
            mfa_policy: MfaPolicy::Any,
            ..MockConfig::default()
        },
        Seed::builtin(),
    );
    let token = mock.login("mfa.both@circularo.com").await;
    let email = mock.code(&token, "email").await;
    let body = mock
        .unlock(&token, json!([{"factor": "email", "password": email}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(body["isUnlocked"], true);
    mock.search(&token, json!({})).await.assert_ok();
}

#[tokio::test]
async fn unlocking_an_unlocked_token_is_idempotent() {
    let mock = Mock::new();
    let token = mock.login(MARY).await;
    let body = mock
        .unlock(&token, json!([{"factor": "email", "password": "123456"}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(body, json!({"isUnlocked": true, "factors": []}));
}

// ---------------------------------------------------------------- recovery codes

#[tokio::test]
async fn recovery_code_unlocks_everything_once() {
    let mock = Mock::new();
    let token = mock.login("mfa.recovery@circularo.com").await;
    let body = mock.recover(&token, RECOVERY_CODES[0]).await.assert_ok().clone();
    assert_eq!(
        body,
        json!({"remainingRecoveryCodes": 9, "codesCreatedOn": "2025-01-15T09:30:00Z"})
    );
    assert_eq!(mock.status(&token).await.body["isUnlocked"], true);
    mock.search(&token, json!({})).await.assert_ok();
    let again = mock.recover(&token, RECOVERY_CODES[1]).await;
    again.assert_error(400, "VALIDATION:INPUT_INVALID");

    let other = mock.login("mfa.recovery@circularo.com").await;
    let reused = mock.recover(&other, RECOVERY_CODES[0]).await;
    assert_eq!(
        reused.assert_error(401, "AUTH:RECOVERY_CODE_INVALID")["message"],
        "Authentication failed."
    );
    let leading_zero = mock.recover(&other, "06482719").await.assert_ok().clone();
    assert_eq!(leading_zero["remainingRecoveryCodes"], 8);
}

#[tokio::test]
async fn recovery_refuses_bad_requests() {
    let mock = Mock::new();
    mock.recover("nope", RECOVERY_CODES[0])
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
    let no_token = mock
        .post(
            "/api/v1/login/recovery",
            json!({"recoveryCode": RECOVERY_CODES[0]}),
        )
        .await;
    no_token.assert_error(401, "AUTH:TOKEN_INVALID");
    let token = mock.login("mfa.recovery@circularo.com").await;
    for body in [
        json!({}),
        json!({"recoveryCode": ""}),
        json!({"recoveryCode": 40718623}),
    ] {
        let reply = mock
            .post(&format!("/api/v1/login/recovery?token={token}"), body)
            .await;
        assert_eq!(
            reply.assert_error(400, "VALIDATION:INPUT_INVALID")["message"],
            "Invalid request."
        );
    }
    let unlocked = mock.login(MARY).await;
    mock.recover(&unlocked, RECOVERY_CODES[0])
        .await
        .assert_error(400, "VALIDATION:INPUT_INVALID");
    let no_codes = mock.login("mfa.email@circularo.com").await;
    mock.recover(&no_codes, RECOVERY_CODES[0])
        .await
        .assert_error(401, "AUTH:RECOVERY_CODE_INVALID");
}

#[tokio::test]
async fn five_recovery_failures_bring_429_with_retry_after() {
    let mock = Mock::new();
    let token = mock.login("mfa.recovery@circularo.com").await;
    for _ in 0..5 {
        mock.recover(&token, "00000000")
            .await
            .assert_error(401, "AUTH:RECOVERY_CODE_INVALID");
    }
    let limited = mock.recover(&token, RECOVERY_CODES[2]).await;
    let body = limited.assert_error(429, "AUTH:TOO_MANY_ATTEMPTS");
    assert_eq!(
        body["message"],
        "Too many recovery attempts. Please try again later."
    );
    let retry: u64 = limited.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "Retry-After {retry}");

    let other = mock.login("mfa.recovery@circularo.com").await;
    mock.recover(&other, RECOVERY_CODES[2]).await.assert_ok();

    mock.advance(retry).await;
    let body = mock.recover(&token, RECOVERY_CODES[3]).await.assert_ok().clone();
    assert_eq!(body["remainingRecoveryCodes"], 8);
}

// ---------------------------------------------------------------- search

#[tokio::test]
async fn search_pages_through_stable_documents() {
    let mock = Mock::new();
    let token = mock.login(MARY).await;
    let first = mock
        .search(&token, json!({"from": 0, "size": 10}))
        .await
        .assert_ok()
        .clone();
    assert_eq!(first["from"], 0);
    assert_eq!(first["total"], 24);
    let results = first["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    let item = &results[0];
    for field in [
        "documentId",
        "documentTitle",
        "documentType",
        "definition",
        "type",
        "date",
        "_version",
    ] {
        assert!(!item[field].is_null(), "{field} missing in {item:#}");
    }
    assert_eq!(item["pdfFile"]["mimetype"], "application/pdf");
    for field in ["content", "name", "pages", "size"] {
        assert!(!item["pdfFile"][field].is_null(), "pdfFile.{field}");
    }
    assert_eq!(item["user"], json!({"name": MARY, "type": "user"}));
    assert!(item["workflow"]["shareStateName"].is_string());
    assert!(uuid::Uuid::parse_str(item["documentId"].as_str().unwrap()).is_ok());
    assert_eq!(
        first["users"][MARY],
        json!({"fullname": "Mary Griffin", "mail": MARY, "recordType": "internal", "role": "admin"})
    );
    let dates: Vec<_> = results.iter().map(|r| date(&r["date"])).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let last = mock
        .search(&token, json!({"from": 20, "size": 10}))
        .await
        .assert_ok()
        .clone();
    assert_eq!(last["results"].as_array().unwrap().len(), 4);
    assert_eq!(last["from"], 20);
    let beyond = mock.search(&token, json!({"from": 30})).await.assert_ok().clone();
    assert_eq!(beyond["results"], json!([]));
    assert_eq!(beyond["users"], json!({}));
    assert_eq!(beyond["total"], 24);
    let default_size = mock.search(&token, json!({})).await.assert_ok().clone();
    assert_eq!(default_size["results"].as_array().unwrap().len(), 10);
    let empty_body = mock
        .send(Method::POST, &format!("/api/v1/search?token={token}"), None, None)
        .await;
    assert_eq!(empty_body.assert_ok()["results"].as_array().unwrap().len(), 10);

    let all = mock
        .search(&token, json!({"size": 100}))
        .await
        .assert_ok()
        .clone();
    let ids: HashSet<_> = all["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["documentId"].clone())
        .collect();
    assert_eq!(ids.len(), 24, "ids are unique");

    let restarted = Mock::new();
    let token = restarted.login(MARY).await;
    let again = restarted
        .search(&token, json!({"from": 0, "size": 10}))
        .await
        .assert_ok()
        .clone();
    assert_eq!(
        again["results"], first["results"],
        "same ids and titles on every start"
    );
}

#[tokio::test]
async fn search_refuses_bad_paging() {
    let mock = Mock::new();
    let token = mock.login(MARY).await;
    for body in [
        json!({"size": 101}),
        json!({"size": -1}),
        json!({"from": -1}),
        json!({"from": "zero"}),
    ] {
        mock.search(&token, body.clone())
            .await
            .assert_error(400, "VALIDATION:INPUT_INVALID");
    }
    mock.search(&token, json!({"size": 100})).await.assert_ok();
    mock.search(&token, json!({"size": 0})).await.assert_ok();
    mock.post_raw(&format!("/api/v1/search?token={token}"), "{oops")
        .await
        .assert_error(400, "VALIDATION:INPUT_INVALID");
}

#[tokio::test]
async fn search_needs_a_valid_token_and_the_right() {
    let mock = Mock::new();
    mock.post("/api/v1/search", json!({}))
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
    mock.search("nope", json!({}))
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
    let token = mock.login("no.search@circularo.com").await;
    mock.search(&token, json!({}))
        .await
        .assert_error(403, "AUTH:ACCESS_DENIED");
}

#[tokio::test]
async fn each_tenant_and_user_sees_its_own_documents() {
    let mock = Mock::new();
    let jane_login = mock
        .post(
            "/api/v1/login",
            json!({"name": "jane.doe@acme.example", "password": PASSWORD, "tenant": "acme"}),
        )
        .await;
    let jane = jane_login.assert_ok()["token"].as_str().unwrap().to_owned();
    let acme = mock.search(&jane, json!({"size": 100})).await.assert_ok().clone();
    assert_eq!(acme["total"], 5);
    assert!(
        acme["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["documentTitle"].as_str().unwrap().starts_with("ACME"))
    );
    let mary = mock.login(MARY).await;
    let mary_docs = mock.search(&mary, json!({"size": 100})).await.assert_ok().clone();
    let mary_ids: HashSet<_> = mary_docs["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["documentId"].clone())
        .collect();
    assert!(
        acme["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| !mary_ids.contains(&r["documentId"]))
    );
}

#[tokio::test]
async fn search_results_can_be_wrapped_as_the_schema_reads() {
    let mock = Mock::with(
        MockConfig {
            search_results: SearchResults::Wrapped,
            ..MockConfig::default()
        },
        Seed::builtin(),
    );
    let token = mock.login(MARY).await;
    let body = mock.search(&token, json!({"size": 1})).await.assert_ok().clone();
    assert!(body["results"][0]["document"]["documentId"].is_string());
}

// ---------------------------------------------------------------- logout and expiry

#[tokio::test]
async fn logout_ends_only_that_session() {
    let mock = Mock::new();
    let first = mock.login(MARY).await;
    let second = mock.login(MARY).await;
    let reply = mock.get(&format!("/api/v1/logout?token={first}")).await;
    assert_eq!(*reply.assert_ok(), json!({}));
    assert!(reply.set_cookie().unwrap().contains("Max-Age=0"));
    assert_eq!(
        mock.status(&first).await.body,
        json!({"logged": false, "isUnlocked": false})
    );
    mock.search(&first, json!({}))
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
    mock.get(&format!("/api/v1/logout?token={first}"))
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
    assert_eq!(mock.status(&second).await.body["logged"], true);
    mock.get("/api/v1/logout")
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
    let by_cookie = mock
        .send(
            Method::GET,
            "/api/v1/logout",
            None,
            Some(&format!("token={second}")),
        )
        .await;
    by_cookie.assert_ok();
    assert_eq!(mock.status(&second).await.body["logged"], false);
}

#[tokio::test]
async fn tokens_expire_thirty_days_after_last_use() {
    let mock = Mock::new();
    let token = mock.login(MARY).await;
    let idle = mock.login(MARY).await;
    let almost = 30 * 24 * 60 * 60 - 60;
    mock.advance(almost).await;
    assert_eq!(
        mock.status(&token).await.body["logged"],
        true,
        "still valid, and now refreshed"
    );
    mock.advance(almost).await;
    assert_eq!(mock.status(&token).await.body["logged"], true, "sliding expiry");
    assert_eq!(
        mock.status(&idle).await.body["logged"],
        false,
        "unused token expired"
    );
    mock.advance(30 * 24 * 60 * 60).await;
    assert_eq!(mock.status(&token).await.body["logged"], false);
    mock.search(&token, json!({}))
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
    mock.get(&format!("/api/v1/logout?token={token}"))
        .await
        .assert_error(401, "AUTH:TOKEN_INVALID");
}

// ---------------------------------------------------------------- routing

#[tokio::test]
async fn unknown_routes_and_methods_are_404_in_the_error_shape() {
    let mock = Mock::new();
    for (method, uri) in [
        (Method::GET, "/api/v1/nothing"),
        (Method::GET, "/api/v1/search"),
        (Method::DELETE, "/api/v1/login"),
        (Method::POST, "/api/v1/logout"),
        (Method::GET, "/api/v1/login/unlock"),
        (Method::GET, "/api/v1/__mock/outbox"),
        (Method::GET, "/api/v1/__mock/clock"),
        (Method::POST, "/api/v1/__mock/reset"),
        (Method::DELETE, "/__mock/clock"),
        (Method::GET, "/"),
    ] {
        let reply = mock.send(method.clone(), uri, None, None).await;
        let body = reply.assert_error(404, "RESOURCE:NOT_FOUND");
        assert!(body["details"].is_null(), "{method} {uri}");
    }
}

// ---------------------------------------------------------------- control endpoints

#[tokio::test]
async fn outbox_filters_and_orders_newest_first() {
    let mock = Mock::new();
    let first = mock.login("mfa.email@circularo.com").await;
    let second = mock.login("mfa.email@circularo.com").await;
    let both = mock.login("mfa.both@circularo.com").await;
    let all = mock.get("/__mock/outbox").await.assert_ok()["messages"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(all.len(), 4);
    assert_eq!(all[2]["token"], second.as_str());
    assert_eq!(all[3]["token"], first.as_str());
    let by_name = mock.get("/__mock/outbox?name=mfa.email@circularo.com").await;
    assert_eq!(by_name.body["messages"].as_array().unwrap().len(), 2);
    let by_address = mock.get("/__mock/outbox?address=%2B420777100203").await;
    assert_eq!(by_address.body["messages"][0]["token"], both.as_str());
    let by_factor = mock.get("/__mock/outbox?factor=sms").await;
    assert_eq!(by_factor.body["messages"].as_array().unwrap().len(), 1);
    let by_token = mock
        .get(&format!("/__mock/outbox?token={first}&factor=email"))
        .await;
    let messages = by_token.body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    for field in ["name", "factor", "address", "code", "token", "sentAt"] {
        assert!(messages[0][field].is_string(), "{field}");
    }
    mock.get("/__mock/outbox?colour=blue")
        .await
        .assert_error(400, "VALIDATION:INPUT_INVALID");
}

#[tokio::test]
async fn clock_moves_forward_only_on_request() {
    let mock = Mock::new();
    let before = mock.now().await;
    mock.advance(3600).await;
    let after = mock.now().await;
    assert!(after - before >= time::Duration::hours(1));
    for body in [
        json!({"advanceSeconds": -5}),
        json!({"advanceSeconds": "5"}),
        json!({}),
        json!({"advanceSeconds": 1, "x": 1}),
    ] {
        mock.post("/__mock/clock", body)
            .await
            .assert_error(400, "VALIDATION:INPUT_INVALID");
    }
    mock.post("/__mock/clock", json!({"advanceSeconds": u64::MAX}))
        .await
        .assert_error(400, "VALIDATION:INPUT_INVALID");
}

#[tokio::test]
async fn reset_returns_to_the_seed_state() {
    let mock = Mock::new();
    let session = mock.login(MARY).await;
    let locked = mock.login("mfa.recovery@circularo.com").await;
    mock.recover(&locked, RECOVERY_CODES[4]).await.assert_ok();
    let totp = mock.login("mfa.totp@circularo.com").await;
    let code = mock.totp_now().await;
    mock.unlock(&totp, json!([{"factor": "totp", "password": code}]))
        .await
        .assert_ok();
    mock.advance(86_400).await;

    assert_eq!(
        *mock.post("/__mock/reset", json!({})).await.assert_ok(),
        json!({"status": "SUCCESS"})
    );

    assert_eq!(
        mock.status(&session).await.body["logged"],
        false,
        "sessions are gone"
    );
    assert!(
        mock.get("/__mock/outbox").await.body["messages"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        mock.now().await - OffsetDateTime::now_utc() < time::Duration::hours(1),
        "clock offset cleared"
    );
    let again = mock.login("mfa.recovery@circularo.com").await;
    assert_eq!(
        mock.recover(&again, RECOVERY_CODES[4]).await.assert_ok()["remainingRecoveryCodes"],
        9
    );
    let totp = mock.login("mfa.totp@circularo.com").await;
    let code = mock.totp_now().await;
    let body = mock
        .unlock(&totp, json!([{"factor": "totp", "password": code}]))
        .await
        .assert_ok()
        .clone();
    assert_eq!(body["isUnlocked"], true, "used TOTP steps are forgotten");
}

#[tokio::test]
async fn accounts_lists_names_tenants_and_factors_without_secrets() {
    let mock = Mock::new();
    let reply = mock.get("/__mock/accounts").await;
    let accounts = reply.assert_ok()["accounts"].as_array().unwrap().clone();
    let find = |name: &str| accounts.iter().find(|a| a["name"] == name).cloned().unwrap();
    assert_eq!(find("mfa.both@circularo.com")["factors"], json!(["email", "sms"]));
    assert_eq!(find("jane.doe@acme.example")["tenant"], "acme");
    assert_eq!(find("no.search@circularo.com")["canSearch"], false);
    assert_eq!(find("mfa.recovery@circularo.com")["recoveryCodesLeft"], 10);
    let text = reply.body.to_string();
    for secret in [PASSWORD, TOTP_SECRET, RECOVERY_CODES[0], "argon2"] {
        assert!(!text.contains(secret), "leaks {secret}");
    }
}

// ---------------------------------------------------------------- seed files

#[tokio::test]
async fn a_yaml_seed_replaces_the_builtin_accounts() {
    let seed = Seed::from_yaml(
        r#"
accounts:
  - name: tester@example.com
    password: "pa55word"
    factors: [email]
    recovery_codes: ["11112222"]
    documents:
      - id: 7d1f0c3e-2b8a-4c55-9e61-0a4b5c6d7e8f
        title: Test contract
        state: rejected
        date: 2025-06-01T12:00:00Z
        pages: 2
"#,
    )
    .unwrap();
    let mock = Mock::with(MockConfig::default(), seed);
    mock.login_reply(MARY)
        .await
        .assert_error(401, "AUTH:INVALID_CREDENTIALS");
    let login = mock
        .post(
            "/api/v1/login",
            json!({"name": "tester@example.com", "password": "pa55word"}),
        )
        .await;
    let token = login.assert_ok()["token"].as_str().unwrap().to_owned();
    mock.recover(&token, "11112222").await.assert_ok();
    let body = mock.search(&token, json!({})).await.assert_ok().clone();
    assert_eq!(
        body["results"][0]["documentId"],
        "7d1f0c3e-2b8a-4c55-9e61-0a4b5c6d7e8f"
    );
    assert_eq!(body["results"][0]["workflow"]["shareStateName"], "rejected");
    assert_eq!(body["results"][0]["pdfFile"]["pages"], 2);
}

#[tokio::test]
async fn the_seed_example_in_the_docs_is_valid() {
    let docs = include_str!("../docs/mock.md");
    let section = docs
        .split("## Seed file format")
        .nth(1)
        .expect("the docs have a seed section");
    let yaml = section
        .split("```yaml")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a yaml block");
    let mock = Mock::with(
        MockConfig::default(),
        Seed::from_yaml(yaml).expect("the documented example parses"),
    );
    let login = mock
        .post(
            "/api/v1/login",
            json!({"name": "alice@example.com", "password": "s3cret!"}),
        )
        .await;
    let factors: Vec<_> = login.assert_ok()["authentication"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["factor"].clone())
        .collect();
    assert_eq!(factors, [json!("email"), json!("totp")]);
}

#[tokio::test]
async fn a_seed_may_give_ready_password_hashes() {
    use argon2::PasswordHasher;
    let params = argon2::Params::new(64, 1, 1, None).unwrap();
    let hasher = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let phc = hasher.hash_password(b"hashed!").unwrap().to_string();
    let seed = Seed::from_yaml(&format!("accounts:\n  - name: h\n    password_hash: '{phc}'\n")).unwrap();
    let mock = Mock::with(MockConfig::default(), seed);
    mock.post("/api/v1/login", json!({"name": "h", "password": "hashed!"}))
        .await
        .assert_ok();
    mock.post("/api/v1/login", json!({"name": "h", "password": "hashed?"}))
        .await
        .assert_error(401, "AUTH:INVALID_CREDENTIALS");
}

// ---------------------------------------------------------------- concurrency

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_recovery_code_used_fifty_times_at_once_succeeds_once() {
    let mock = Mock::new();
    let mut tokens = Vec::new();
    for _ in 0..50 {
        tokens.push(mock.login("mfa.recovery@circularo.com").await);
    }
    let tasks: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let mock = mock.clone();
            tokio::spawn(async move { mock.recover(&token, RECOVERY_CODES[5]).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count(),
        49,
        "{statuses:?}"
    );
    let summary = mock.get("/__mock/accounts").await;
    let accounts = summary.body["accounts"].as_array().unwrap();
    let recovery = accounts
        .iter()
        .find(|a| a["name"] == "mfa.recovery@circularo.com")
        .unwrap();
    assert_eq!(recovery["recoveryCodesLeft"], 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_wrong_codes_get_only_the_allowed_attempts() {
    let mock = Mock::new();
    let token = mock.login("mfa.wrongcode@circularo.com").await;
    let wrong = wrong_code(&mock.code(&token, "sms").await);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (mock, token, wrong) = (mock.clone(), token.clone(), wrong.clone());
            tokio::spawn(async move {
                mock.unlock(&token, json!([{"factor": "sms", "password": wrong}]))
                    .await
            })
        })
        .collect();
    let mut left = Vec::new();
    let mut refused = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            StatusCode::OK => left.push(reply.body["factors"][0]["attemptsLeft"].as_u64().unwrap()),
            StatusCode::UNAUTHORIZED => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    left.sort_unstable();
    assert_eq!(left, [0, 1, 2]);
    assert_eq!(refused, 47);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_uses_of_one_totp_code_unlock_once() {
    let mock = Mock::new();
    let mut tokens = Vec::new();
    for _ in 0..50 {
        tokens.push(mock.login("mfa.totp@circularo.com").await);
    }
    let code = mock.totp_now().await;
    let tasks: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let (mock, code) = (mock.clone(), code.clone());
            tokio::spawn(async move {
                let reply = mock
                    .unlock(&token, json!([{"factor": "totp", "password": code}]))
                    .await;
                reply.body["isUnlocked"] == true
            })
        })
        .collect();
    let mut unlocked = 0;
    for task in tasks {
        unlocked += usize::from(task.await.unwrap());
    }
    assert_eq!(unlocked, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_logins_and_logouts_keep_sessions_apart() {
    let mock = Mock::new();
    let keeper = mock.login(MARY).await;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let mock = mock.clone();
            tokio::spawn(async move {
                let token = mock.login(MARY).await;
                mock.search(&token, json!({"size": 1})).await.assert_ok();
                mock.get(&format!("/api/v1/logout?token={token}"))
                    .await
                    .assert_ok();
                token
            })
        })
        .collect();
    let mut tokens = HashSet::new();
    for task in tasks {
        tokens.insert(task.await.unwrap());
    }
    assert_eq!(tokens.len(), 50, "every login got its own token");
    for token in &tokens {
        assert_eq!(mock.status(token).await.body["logged"], false);
    }
    assert_eq!(mock.status(&keeper).await.body["logged"], true);
}

#[tokio::test]
async fn a_seeded_mfa_code_is_sent_instead_of_a_random_one() {
    let seed = Seed::from_yaml(
        "accounts:\n  - name: fixed@example.com\n    password: pw\n    mail: fixed@example.com\n    factors: [email]\n    mfa_code: \"271008\"\n",
    )
    .unwrap();
    let mock = Mock::with(MockConfig::default(), seed);
    let login = mock
        .post(
            "/api/v1/login",
            json!({"name": "fixed@example.com", "password": "pw"}),
        )
        .await;
    let token = login.assert_ok()["token"].as_str().unwrap().to_owned();
    let outbox = mock.get(&format!("/__mock/outbox?token={token}")).await;
    assert_eq!(outbox.assert_ok()["messages"][0]["code"], "271008");
    let unlocked = mock
        .post(
            &format!("/api/v1/login/unlock?token={token}"),
            json!({"factors": [{"factor": "email", "password": "271008"}]}),
        )
        .await;
    assert_eq!(unlocked.assert_ok()["isUnlocked"], true);
}

#[test]
fn a_seeded_mfa_code_must_be_digits_for_a_code_factor() {
    let bad = Seed::from_yaml(
        "accounts:\n  - name: a@example.com\n    password: p\n    factors: [email]\n    mfa_code: abc\n",
    );
    assert!(bad.unwrap_err().to_string().contains("4 to 10 digits"));
    let unused = Seed::from_yaml("accounts:\n  - name: a\n    password: p\n    mfa_code: \"1234\"\n");
    assert!(unused.unwrap_err().to_string().contains("neither email nor sms"));
}

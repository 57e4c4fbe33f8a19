//! Drives the mock's router under each switch: the default answers as before,
//! the other value changes exactly the documented-as-open behaviour; and the
//! switch names `scenario.yaml` accepts (the config schema) are the mock's.

mod support;

use std::collections::BTreeSet;

use axum::http::{Method, header};
use scenario::mock::{MockConfig, SWITCHES};
use scenario::model::schema::SchemaFile;
use serde_json::{Value, json};
use support::router::{Reply, RouterMock};

const MARY: &str = "mary.griffin@circularo.com";
const EMAIL_USER: &str = "mfa.email@circularo.com";
const SMS_USER: &str = "mfa.sms@circularo.com";
const WRONG_CODE_USER: &str = "mfa.wrongcode@circularo.com";

/// Asserts the documented error shape with `type`, and returns the body.
#[track_caller]
fn error_body<'r>(reply: &'r Reply, status: u16, kind: &str) -> &'r Value {
    assert_eq!(reply.status, status, "{:#}", reply.body);
    assert_eq!(reply.body["status"], status, "{:#}", reply.body);
    assert_eq!(reply.body["type"], kind, "{:#}", reply.body);
    &reply.body
}

#[tokio::test]
async fn invalid_token_status_200_or_401_on_the_status_check() {
    let default = RouterMock::new(MockConfig::default());
    let reply = default.status("not-a-token").await;
    assert_eq!(
        (reply.status, &reply.body),
        (200, &json!({"logged": false, "isUnlocked": false}))
    );

    let strict = RouterMock::with_switch("invalid_token", "status-401");
    error_body(&strict.status("not-a-token").await, 401, "AUTH:TOKEN_INVALID");
    let token = strict.login(MARY).await;
    assert_eq!(
        strict.status(&token).await.body["logged"],
        true,
        "a live token still answers 200"
    );
    strict.get(&format!("/api/v1/logout?token={token}")).await;
    error_body(&strict.status(&token).await, 401, "AUTH:TOKEN_INVALID");
}

#[tokio::test]
async fn token_precedence_decides_between_query_and_cookie() {
    for (precedence, wins) in [("query", 0), ("cookie", 1)] {
        let mock = RouterMock::with_switch("token_precedence", precedence);
        let tokens = [mock.login(MARY).await, mock.login(MARY).await];
        let cookie = format!("token={}", tokens[1]);
        let uri = format!("/api/v1/login?token={}&returnToken=true", tokens[0]);
        let reply = mock.send(Method::GET, &uri, None, Some(&cookie)).await;
        assert_eq!(reply.body["token"], tokens[wins].as_str(), "{precedence} wins");
        // Logout ends the session of the token that counts, and only that one.
        let logout = format!("/api/v1/logout?token={}", tokens[0]);
        assert_eq!(
            mock.send(Method::GET, &logout, None, Some(&cookie)).await.status,
            200
        );
        assert_eq!(
            mock.status(&tokens[wins]).await.body["logged"],
            false,
            "{precedence}"
        );
        assert_eq!(
            mock.status(&tokens[1 - wins]).await.body["logged"],
            true,
            "{precedence}"
        );
    }
    let cookie_first = RouterMock::with_switch("token_precedence", "cookie");
    let token = cookie_first.login(MARY).await;
    let reply = cookie_first.status(&token).await;
    assert_eq!(
        reply.body["token"],
        token.as_str(),
        "without a cookie the query still counts"
    );
}

#[tokio::test]
async fn request_ids_are_hex_or_uuids_in_every_error() {
    let hex = RouterMock::new(MockConfig::default());
    let id = hex.get("/api/v1/nowhere").await.body["requestId"].clone();
    let id = id.as_str().unwrap();
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );

    let uuid = RouterMock::with_switch("request_id", "uuid");
    let wrong_password = uuid
        .post("/api/v1/login", json!({"name": MARY, "password": "wrong"}))
        .await;
    let not_found = uuid.get("/api/v1/nowhere").await;
    let bad_body = uuid.send(Method::POST, "/api/v1/login", None, None).await;
    for reply in [&wrong_password, &not_found, &bad_body] {
        let id = reply.body["requestId"].as_str().unwrap();
        let parsed = uuid::Uuid::parse_str(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(parsed.to_string(), id, "lowercase with dashes");
    }
    assert_eq!(not_found.headers[header::CONTENT_TYPE], "application/json");
}

#[tokio::test]
async fn mfa_codes_fixed_sends_the_listed_code_every_time() {
    let random = RouterMock::new(MockConfig::default());
    let codes: BTreeSet<String> = {
        let mut codes = BTreeSet::new();
        for _ in 0..3 {
            let token = random.login(EMAIL_USER).await;
            codes.insert(random.code(&token, "email").await);
        }
        codes
    };
    assert!(codes.len() > 1, "random codes differ between logins: {codes:?}");

    let fixed = RouterMock::with_switch("mfa_codes", "fixed");
    for (user, factor, code) in [(EMAIL_USER, "email", "271008"), (SMS_USER, "sms", "510429")] {
        for _ in 0..2 {
            let token = fixed.login(user).await;
            assert_eq!(fixed.code(&token, factor).await, code, "{user}");
            let unlock = fixed
                .post(
                    &format!("/api/v1/login/unlock?token={token}"),
                    json!({"factors": [{"factor": factor, "password": code}]}),
                )
                .await;
            assert_eq!(unlock.body["isUnlocked"], true, "{:#}", unlock.body);
        }
    }
}

#[tokio::test]
async fn a_wrong_mfa_code_answers_200_or_401_and_spends_an_attempt_either_way() {
    for (value, status) in [("status-200", 200), ("status-401", 401)] {
        let mock = RouterMock::with_switch("wrong_mfa_code", value);
        let token = mock.login(WRONG_CODE_USER).await;
        let right = mock.code(&token, "sms").await;
        let wrong = if right == "000000" { "111111" } else { "000000" };
        let unlock = format!("/api/v1/login/unlock?token={token}");
        let reply = mock
            .post(
                &unlock,
                json!({"factors": [{"factor": "sms", "password": wrong}]}),
            )
            .await;
        assert_eq!(reply.status, status, "{value}: {:#}", reply.body);
        if status == 401 {
            let body = error_body(&reply, 401, "AUTH:MFA_CODE_INVALID");
            assert_eq!(
                body["details"],
                json!({"factor": "sms", "reason": "wrong_code", "attemptsLeft": 2})
            );
        } else {
            assert_eq!(reply.body["factors"][0]["attemptsLeft"], 2);
        }
        let after = mock.status(&token).await;
        assert_eq!(after.body["isUnlocked"], false, "{value}");
        assert_eq!(after.body["authentication"][0]["attemptsLeft"], 2, "{value}");
        let reply = mock
            .post(
                &unlock,
                json!({"factors": [{"factor": "sms", "password": right}]}),
            )
            .await;
        assert_eq!(
            (reply.status, &reply.body["isUnlocked"]),
            (200, &json!(true)),
            "{value}"
        );
    }
}

#[tokio::test]
async fn a_locked_token_on_search_gets_401_or_403_with_the_documented_message() {
    for (value, status) in [("status-401", 401), ("status-403", 403)] {
        let mock = RouterMock::with_switch("locked_token", value);
        let token = mock.login(EMAIL_USER).await;
        let reply = mock
            .post(&format!("/api/v1/search?token={token}"), json!({}))
            .await;
        let body = error_body(&reply, status, "AUTH:TOKEN_LOCKED");
        assert_eq!(body["message"], "Access token is locked");
    }
}

#[tokio::test]
async fn token_formats_change_the_alphabet_and_length_of_working_tokens() {
    type Check = fn(&str) -> bool;
    let cases: [(&str, Check); 3] = [
        ("alphanumeric-64", |t| {
            t.len() == 64 && t.bytes().all(|b| b.is_ascii_alphanumeric())
        }),
        ("hex-64", |t| {
            t.len() == 64
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }),
        ("base64url-43", |t| {
            t.len() == 43
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }),
    ];
    for (value, fits) in cases {
        let mock = RouterMock::with_switch("token_format", value);
        let login = mock.login_reply(MARY).await;
        let token = login.body["token"].as_str().unwrap().to_owned();
        assert!(fits(&token), "{value}: {token}");
        let cookie = login.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.starts_with(&format!("token={token};")), "{cookie}");
        let search = mock
            .post(&format!("/api/v1/search?token={token}"), json!({"size": 1}))
            .await;
        assert_eq!(search.status, 200, "{value}");
    }
}

#[tokio::test]
async fn error_details_are_null_or_left_out_when_there_is_nothing_to_say() {
    let wrong = json!({"name": MARY, "password": "wrong"});
    let always = RouterMock::new(MockConfig::default());
    let body = always.post("/api/v1/login", wrong.clone()).await.body;
    assert_eq!(body.get("details"), Some(&Value::Null));

    let omit = RouterMock::with_switch("error_details", "omit-empty");
    let reply = omit.post("/api/v1/login", wrong).await;
    let body = error_body(&reply, 401, "AUTH:INVALID_CREDENTIALS");
    assert!(body.get("details").is_none(), "{body:#}");
    let invalid = omit.post("/api/v1/login", json!({"name": "a b"})).await;
    let details = &error_body(&invalid, 400, "VALIDATION:INPUT_INVALID")["details"];
    assert!(
        details.as_array().is_some_and(|d| !d.is_empty()),
        "details with data stay: {details}"
    );
}

#[tokio::test]
async fn the_status_check_returns_the_token_when_asked_or_by_default() {
    for (value, unasked) in [("when-asked", false), ("by-default", true)] {
        let mock = RouterMock::with_switch("status_token", value);
        let token = mock.login(MARY).await;
        let body = mock.get(&format!("/api/v1/login?token={token}")).await.body;
        assert_eq!(body.get("token").is_some(), unasked, "{value}: {body:#}");
        assert_eq!(body["logged"], true);
        let asked = mock.status(&token).await.body;
        assert_eq!(
            asked["token"],
            token.as_str(),
            "{value}: returnToken=true always gives it"
        );
        let refused = mock
            .get(&format!("/api/v1/login?token={token}&returnToken=false"))
            .await
            .body;
        assert!(
            refused.get("token").is_none(),
            "{value}: returnToken=false never gives it"
        );
    }
}

#[tokio::test]
async fn search_results_are_flat_or_wrapped() {
    for (value, wrapped) in [("flat", false), ("wrapped", true)] {
        let mock = RouterMock::with_switch("search_results", value);
        let token = mock.login(MARY).await;
        let body = mock
            .post(&format!("/api/v1/search?token={token}"), json!({"size": 1}))
            .await
            .body;
        assert_eq!(
            body["results"][0]["document"]["documentId"].is_string(),
            wrapped,
            "{body:#}"
        );
        assert_eq!(body["results"][0]["documentId"].is_string(), !wrapped, "{body:#}");
    }
}

#[tokio::test]
async fn mfa_policy_all_needs_both_factors_any_needs_one() {
    for (value, unlocked) in [("all", false), ("any", true)] {
        let mock = RouterMock::with_switch("mfa_policy", value);
        let token = mock.login("mfa.both@circularo.com").await;
        let code = mock.code(&token, "email").await;
        let reply = mock
            .post(
                &format!("/api/v1/login/unlock?token={token}"),
                json!({"factors": [{"factor": "email", "password": code}]}),
            )
            .await;
        assert_eq!(reply.body["isUnlocked"], unlocked, "{value}: {:#}", reply.body);
    }
}

#[tokio::test]
async fn the_control_endpoint_lists_every_switch_and_its_value() {
    let mut config = MockConfig::default();
    config.set_switch("token_format", "hex-64").unwrap();
    let body = RouterMock::new(config).get("/__mock/switches").await.body;
    let switches = body["switches"].as_object().unwrap();
    assert_eq!(switches.len(), SWITCHES.len());
    for info in SWITCHES {
        let expected = if info.key == "token_format" {
            "hex-64"
        } else {
            info.default_value()
        };
        assert_eq!(switches[info.key], expected, "{}", info.key);
    }
}

#[test]
fn scenario_yaml_accepts_exactly_the_mocks_switches_and_values() {
    let schema = SchemaFile::Config.schema();
    let definitions = &schema["definitions"];
    let properties = definitions["MockSettings"]["properties"].as_object().unwrap();
    let in_schema: BTreeSet<&str> = properties
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "seed")
        .collect();
    let in_mock: BTreeSet<&str> = SWITCHES.iter().map(|s| s.key).collect();
    assert_eq!(
        in_schema, in_mock,
        "model::project_mock and mock::switches list the same keys"
    );
    for info in SWITCHES {
        let reference = properties[info.key]["allOf"][0]["$ref"].as_str().unwrap();
        let name = reference.trim_start_matches("#/definitions/");
        let values: Vec<&str> = definitions[name]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["const"].as_str().unwrap())
            .collect();
        assert_eq!(values, info.values, "the values of `{}`, default first", info.key);
    }
}

#[test]
fn docs_list_every_switch_with_its_values_default_first() {
    let docs = std::fs::read_to_string(support::root().join("docs/mock.md")).unwrap();
    for info in SWITCHES {
        let values = info
            .values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = format!("| `{}` | {values} |", info.key);
        assert!(docs.contains(&row), "docs/mock.md has no row `{row}`");
    }
}

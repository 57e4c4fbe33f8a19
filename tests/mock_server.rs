//! Starts the Circularo mock on a real loopback socket, talks to it with
//! reqwest the way a scenario run does, and shuts it down.

mod support;

use std::net::Ipv4Addr;

use scenario::mock::{MockConfig, MockError, MockServer, Seed};
use serde_json::{Value, json};
use support::mock::{json_of, log_in, loopback, start_builtin};

#[tokio::test]
async fn serves_the_mfa_flow_over_http_and_shuts_down() {
    let server = start_builtin().await;
    let base = server.base_url();
    let root = server.root_url();
    assert!(
        root.starts_with("http://127.0.0.1:") && !root.ends_with(":0"),
        "{root}"
    );
    assert_eq!(base, format!("{root}/api/v1"));
    assert_eq!(server.local_addr().ip(), Ipv4Addr::LOCALHOST);

    let client = support::client();
    let login = log_in(&client, &base, "mfa.email@circularo.com", "#32Password1!").await;
    assert_eq!(login["isUnlocked"], false);
    let token = login["token"].as_str().unwrap().to_owned();

    let outbox = json_of(
        client
            .get(format!("{root}/__mock/outbox"))
            .query(&[("token", token.as_str())]),
    )
    .await;
    let code = outbox["messages"][0]["code"].as_str().unwrap().to_owned();

    let unlock = client
        .post(format!("{base}/login/unlock"))
        .query(&[("token", token.as_str())])
        .json(&json!({"factors": [{"factor": "email", "password": code}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(unlock.status(), 200);
    assert_eq!(unlock.json::<Value>().await.unwrap()["isUnlocked"], true);

    let search = client
        .post(format!("{base}/search"))
        .query(&[("token", token.as_str())])
        .json(&json!({"from": 0, "size": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(search.status(), 200);
    assert_eq!(search.headers()["content-type"], "application/json");
    assert_eq!(
        search.json::<Value>().await.unwrap()["results"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let logout = client
        .get(format!("{base}/logout"))
        .query(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 200);
    assert!(
        logout.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );

    server.shutdown().await;
    let after = support::client().get(format!("{base}/login")).send().await;
    assert!(after.is_err(), "nothing listens after shutdown");
}

#[tokio::test]
async fn the_token_cookie_works_like_the_query_parameter() {
    let server = start_builtin().await;
    let client = support::client_builder().cookie_store(true).build().unwrap();
    let login = client
        .post(format!("{}/login", server.base_url()))
        .json(
            &json!({"name": "mary.griffin@circularo.com", "password": "#32Password1!", "returnToken": false}),
        )
        .send()
        .await
        .unwrap();
    assert!(login.json::<Value>().await.unwrap().get("token").is_none());
    let search = client
        .post(format!("{}/search", server.base_url()))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(search.status(), 200);
    let status = json_of(client.get(format!("{}/login", server.base_url()))).await;
    assert_eq!(status["logged"], true);
    server.shutdown().await;
}

#[tokio::test]
async fn a_taken_port_is_a_bind_error() {
    let taken = std::net::TcpListener::bind(loopback()).unwrap();
    let addr = taken.local_addr().unwrap();
    let err = MockServer::start(addr, MockConfig::default(), Seed::builtin())
        .await
        .unwrap_err();
    assert!(matches!(err, MockError::Bind { .. }), "{err}");
    assert!(err.to_string().contains(&addr.to_string()));
}

#[tokio::test]
async fn an_invalid_config_is_refused_before_listening() {
    let config = MockConfig {
        mfa_attempts: 0,
        ..MockConfig::default()
    };
    let err = MockServer::start(loopback(), config, Seed::builtin())
        .await
        .unwrap_err();
    assert!(matches!(err, MockError::InvalidConfig(_)), "{err}");
}

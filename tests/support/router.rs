//! Drives the Circularo mock's router in process (tower `oneshot`), with a
//! chosen configuration, and reads its answers as JSON.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, header};
use http_body_util::BodyExt;
use scenario::mock::{MockConfig, Seed, app};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The password of every built-in account.
pub const PASSWORD: &str = "#32Password1!";

/// Holds one answer of the mock.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as JSON (`null` when empty).
    pub body: Value,
}

/// Wraps the router of a mock built from the built-in seed.
#[derive(Clone)]
pub struct RouterMock {
    router: axum::Router,
}

impl RouterMock {
    /// Builds the mock with `config` and the built-in accounts.
    pub fn new(config: MockConfig) -> Self {
        Self {
            router: app(config, Seed::builtin()).expect("the mock builds"),
        }
    }

    /// Builds the mock with one switch set, by name.
    pub fn with_switch(key: &str, value: &str) -> Self {
        let mut config = MockConfig::default();
        config.set_switch(key, value).expect("a known switch");
        Self::new(config)
    }

    /// Sends a request, with a JSON body and a `Cookie` header when given.
    pub async fn send(&self, method: Method, uri: &str, body: Option<Value>, cookie: Option<&str>) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let request = request
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
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

    /// Sends a `GET`.
    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Method::GET, uri, None, None).await
    }

    /// Sends a `POST` with a JSON body.
    pub async fn post(&self, uri: &str, body: Value) -> Reply {
        self.send(Method::POST, uri, Some(body), None).await
    }

    /// Logs in a built-in account and returns the whole answer.
    pub async fn login_reply(&self, name: &str) -> Reply {
        self.post(
            "/api/v1/login",
            json!({"name": name, "password": PASSWORD, "returnToken": true}),
        )
        .await
    }

    /// Logs in a built-in account and returns its (possibly locked) token.
    pub async fn login(&self, name: &str) -> String {
        let reply = self.login_reply(name).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        reply.body["token"].as_str().expect("a token").to_owned()
    }

    /// Returns the newest code the outbox holds for `token` and `factor`.
    pub async fn code(&self, token: &str, factor: &str) -> String {
        let reply = self
            .get(&format!("/__mock/outbox?token={token}&factor={factor}"))
            .await;
        reply.body["messages"][0]["code"]
            .as_str()
            .expect("a sent code")
            .to_owned()
    }

    /// Checks a token with `GET /login?returnToken=true`.
    pub async fn status(&self, token: &str) -> Reply {
        self.get(&format!("/api/v1/login?token={token}&returnToken=true"))
            .await
    }
}

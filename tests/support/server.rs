//! A small HTTP server on 127.0.0.1:0 with endpoints that exercise every
//! capture kind and predicate, and that speaks HTTP/2 over cleartext
//! (`/api/version` says which version a request came in). It stops when dropped.

use super::serve::{Served, serve};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use serde_json::{Value, json};

/// Counts calls the scenarios make, so tests can prove `finally` ran.
#[derive(Debug, Default)]
pub struct Calls {
    /// Calls to `/logout`.
    pub logouts: AtomicUsize,
    /// Calls to `/counter`.
    pub counter: AtomicUsize,
    /// Calls to `/slow` that have arrived (counted before it starts waiting).
    pub slow: AtomicUsize,
}

/// Runs the test server until dropped.
#[derive(Debug)]
pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// Call counters.
    pub calls: Arc<Calls>,
    _served: Served,
}

impl TestServer {
    /// Starts the server on a free loopback port, on its own runtime thread.
    pub fn start() -> Self {
        let calls = Arc::new(Calls::default());
        let app = router(Arc::clone(&calls));
        let served = serve(app, 0);
        let addr = served.addr;
        Self {
            url: format!("http://{addr}"),
            calls,
            _served: served,
        }
    }

    /// Returns the base URL scenarios target: `http://127.0.0.1:PORT/api`.
    pub fn api_url(&self) -> String {
        format!("{}/api", self.url)
    }
}

fn router(calls: Arc<Calls>) -> Router {
    Router::new()
        .route("/api/login", post(login))
        .route("/api/echo", get(echo).post(echo_json))
        .route("/api/text", get(|| async { "order 12345 confirmed for mary" }))
        .route(
            "/api/html",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<html><body>maintenance</body></html>",
                )
            }),
        )
        .route("/api/slow", get(slow))
        .route(
            "/api/redirect",
            get(|| async { Redirect::to("/api/echo?from=redirect") }),
        )
        .route("/api/counter", get(counter))
        .route("/api/logout", get(logout))
        .route(
            "/api/version",
            get(|request: axum::extract::Request| async move {
                Json(json!({"version": format!("{:?}", request.version())}))
            }),
        )
        .with_state(calls)
}

async fn login(Json(body): Json<Value>) -> impl IntoResponse {
    if body["password"] != "s3cret-pass" {
        return (
            StatusCode::UNAUTHORIZED,
            HeaderMap::new(),
            Json(json!({"status": 401, "message": "Invalid credentials."})),
        );
    }
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", "req-42".parse().unwrap());
    headers.insert(
        header::SET_COOKIE,
        "sid=cookie-value-9; Path=/; HttpOnly".parse().unwrap(),
    );
    let answer = json!({
        "token": "tok-ABCDEFGHIJKLMNOP",
        "user": {"id": 7, "name": body["name"], "email": "mary@example.com"},
        "roles": ["admin", "editor"],
        "active": true,
        "score": 4.5,
        "nothing": null,
        "factors": [{"factor": "email", "unlocked": true}, {"factor": "sms", "unlocked": false}]
    });
    (StatusCode::OK, headers, Json(answer))
}

async fn echo(
    Query(query): Query<std::collections::BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Json<Value> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    Json(json!({"query": query, "cookie": header("cookie"), "trace": header("x-trace")}))
}

async fn echo_json(Json(body): Json<Value>) -> Json<Value> {
    let types: serde_json::Map<String, Value> = body
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let t = match v {
                        Value::Null => "null",
                        Value::Bool(_) => "boolean",
                        Value::Number(_) => "number",
                        Value::String(_) => "string",
                        Value::Array(_) => "array",
                        Value::Object(_) => "object",
                    };
                    (k.clone(), json!(t))
                })
                .collect()
        })
        .unwrap_or_default();
    Json(json!({"received": body, "types": types}))
}

async fn slow(State(calls): State<Arc<Calls>>) -> &'static str {
    calls.slow.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn counter(State(calls): State<Arc<Calls>>) -> Json<Value> {
    let count = calls.counter.fetch_add(1, Ordering::SeqCst) + 1;
    Json(json!({"count": count}))
}

async fn logout(State(calls): State<Arc<Calls>>) -> Json<Value> {
    calls.logouts.fetch_add(1, Ordering::SeqCst);
    Json(json!({}))
}

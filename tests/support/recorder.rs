//! A test server on 127.0.0.1:0 that records every request it gets, with
//! when it started and ended: `/api/hold` answers after a pause (to measure
//! overlap), `/api/use` takes a single-use code and refuses codes starting
//! with `9`, `/api/totp` checks an RFC 6238 code strictly (no clock skew)
//! and refuses one at or before the last it accepted, as a real server does.
//! It stops when dropped.

use super::serve::{Served, serve};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::routing::{any, get, post};
use serde_json::{Value, json};

/// The TOTP secret `/api/totp` checks codes against (base32), and its period.
pub const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// The period of `/api/totp` codes, in seconds.
pub const TOTP_PERIOD: u64 = 4;

/// Records one request: its path, the `who` parameter or code, and when.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The request path.
    pub path: String,
    /// `who` of `/api/hold`, or the code sent to `/api/use` and `/api/totp`.
    pub label: String,
    /// When it arrived, since the server started.
    pub start: Duration,
    /// When it was answered.
    pub end: Duration,
    /// The status of the answer.
    pub status: u16,
}

#[derive(Debug)]
struct Shared {
    began: Instant,
    seen: Mutex<Vec<Seen>>,
    /// The last TOTP time step `/api/totp` accepted.
    last_step: Mutex<Option<u64>>,
}

/// Runs the recording server until dropped.
#[derive(Debug)]
pub struct Recorder {
    /// `http://127.0.0.1:PORT/api`
    pub api_url: String,
    shared: Arc<Shared>,
    _served: Served,
}

impl Recorder {
    /// Starts the server on a free loopback port, on its own runtime thread.
    pub fn start() -> Self {
        let shared = Arc::new(Shared {
            began: Instant::now(),
            seen: Mutex::new(Vec::new()),
            last_step: Mutex::new(None),
        });
        let app = Router::new()
            .route("/api/hold", get(hold))
            .route("/api/use", post(use_code))
            .route("/api/totp", post(totp))
            .fallback(any(other))
            .with_state(Arc::clone(&shared));
        let served = serve(app, 2);
        let addr = served.addr;
        Self {
            api_url: format!("http://{addr}/api"),
            shared,
            _served: served,
        }
    }

    /// Returns every request seen so far, in the order they were answered.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }
}

fn record(shared: &Shared, path: &str, label: String, start: Duration, status: StatusCode) {
    shared.seen.lock().unwrap().push(Seen {
        path: path.to_owned(),
        label,
        start,
        end: shared.began.elapsed(),
        status: status.as_u16(),
    });
}

async fn hold(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Json<Value> {
    let start = shared.began.elapsed();
    let ms = query.get("ms").and_then(|m| m.parse().ok()).unwrap_or(100);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    let who = query.get("who").cloned().unwrap_or_default();
    record(&shared, "/api/hold", who, start, StatusCode::OK);
    Json(json!({}))
}

async fn use_code(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    let start = shared.began.elapsed();
    // Long enough that two runs started together are both in flight.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let code = body["code"].as_str().unwrap_or_default().to_owned();
    let status = if code.starts_with('9') {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    record(&shared, "/api/use", code, start, status);
    (status, Json(json!({})))
}

async fn totp(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    let start = shared.began.elapsed();
    let code = body["code"].as_str().unwrap_or_default().to_owned();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let step = now / TOTP_PERIOD;
    let generator = totp_rs::Builder::new()
        .with_digits(6)
        .with_step_duration(TOTP_PERIOD)
        .with_secret(totp_rs::Secret::try_from_base32(TOTP_SECRET).unwrap())
        .build_noncompliant();
    let valid = generator.generate(now).to_string() == code;
    let status = {
        let mut last = shared.last_step.lock().unwrap();
        if valid && last.is_none_or(|l| step > l) {
            *last = Some(step);
            StatusCode::OK
        } else {
            StatusCode::UNAUTHORIZED
        }
    };
    record(&shared, "/api/totp", code, start, status);
    (status, Json(json!({})))
}

async fn other(State(shared): State<Arc<Shared>>, uri: Uri) -> StatusCode {
    let start = shared.began.elapsed();
    record(&shared, uri.path(), String::new(), start, StatusCode::NOT_FOUND);
    StatusCode::NOT_FOUND
}

//! Serves the benchmark's static target: fixed, Circularo-shaped JSON answers
//! for the four requests of the basic flow, plus a counter of what arrived.
//!
//! Must not hold state per session: every contender gets the same answers, so
//! the target's own cost is the same for all of them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;

const TOKEN: &str = "Zk3vB7qLwP2sX9nRtY4mC8dH6jF1aE5uK0oG3iS7lQ2wZ9xV4bN8cM6pT1yR5eUa";

/// Counts the requests since the last reset and when the first arrived.
#[derive(Debug, Default)]
struct Counter {
    requests: AtomicU64,
    first_micros: AtomicU64,
}

impl Counter {
    fn hit(&self) {
        if self.requests.fetch_add(1, Ordering::Relaxed) == 0 {
            self.first_micros.store(now_micros(), Ordering::Relaxed);
        }
    }
}

/// Returns the wall clock in microseconds since the Unix epoch, the clock the
/// driver reads too (the target is another process).
pub fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

fn json(body: String) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], body)
}

/// Serves the target on a free loopback port and prints `port` on stdout, then
/// serves until killed.
pub fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime for the target");
    runtime.block_on(async {
        let counter = Arc::new(Counter::default());
        let app = Router::new()
            .route("/login", get(status).post(login))
            .route("/search", axum::routing::post(search))
            .route("/logout", get(logout))
            .route("/__stats", get(stats).post(reset))
            .with_state(counter);
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("a loopback port for the target");
        let port = listener.local_addr().expect("the target's address").port();
        println!("{port}");
        axum::serve(listener, app).await.expect("the target serves");
    });
}

async fn login(State(counter): State<Arc<Counter>>) -> impl IntoResponse {
    counter.hit();
    json(format!(
        r#"{{"logged":true,"token":"{TOKEN}","isUnlocked":true,"authentication":[],"rights":["use_document_management","use_search"],"requestId":"5b0e7c1a-8f59-4a52-9d7e-1c2b3a4d5e6f"}}"#
    ))
}

async fn status(State(counter): State<Arc<Counter>>) -> impl IntoResponse {
    counter.hit();
    json(format!(
        r#"{{"logged":true,"isUnlocked":true,"token":"{TOKEN}","validUntil":"2026-12-31T23:59:59Z","rights":["use_document_management","use_search"]}}"#
    ))
}

async fn search(State(counter): State<Arc<Counter>>) -> impl IntoResponse {
    counter.hit();
    json(
        r#"{"from":0,"total":2,"results":[{"documentId":"d-1","name":"Contract.pdf"},{"documentId":"d-2","name":"Invoice.pdf"}],"users":{"u-1":{"name":"Mary Griffin"}}}"#
            .to_owned(),
    )
}

async fn logout(State(counter): State<Arc<Counter>>) -> impl IntoResponse {
    counter.hit();
    json("{}".to_owned())
}

async fn stats(State(counter): State<Arc<Counter>>) -> impl IntoResponse {
    json(format!(
        r#"{{"requests":{},"first_micros":{}}}"#,
        counter.requests.load(Ordering::Relaxed),
        counter.first_micros.load(Ordering::Relaxed)
    ))
}

async fn reset(State(counter): State<Arc<Counter>>) -> impl IntoResponse {
    counter.requests.store(0, Ordering::Relaxed);
    counter.first_micros.store(0, Ordering::Relaxed);
    json("{}".to_owned())
}

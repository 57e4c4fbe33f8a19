//! Owns serving the mock: [`app`] builds the router (the `/api/v1` endpoints,
//! the `/__mock` control endpoints, 404 for the rest) over a freshly built
//! state, and [`MockServer`] runs it on a socket until shut down.
//!
//! Must not hold endpoint rules or state: handlers and `state` do.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::api_error::{ErrorStyle, restyle};
use super::handlers;
use super::state::Mock;
use super::{MockConfig, MockError, Seed, control};

/// Builds the mock's router from a configuration and a seed; hashing the
/// seed's secrets happens here, at the configured cost.
///
/// # Errors
/// Returns [`MockError::InvalidConfig`] for an out-of-range setting, or
/// [`MockError::Hashing`] / [`MockError::Random`] if secrets cannot be prepared.
pub fn app(config: MockConfig, seed: Seed) -> Result<Router, MockError> {
    let mock = Arc::new(Mock::build(&config, seed)?);
    Ok(router(mock))
}

fn router(mock: Arc<Mock>) -> Router {
    // Each sub-router gets its own method fallback: axum applies it only to
    // routes registered before the call.
    let api = Router::new()
        .route("/login", post(handlers::login).get(handlers::login_status))
        .route("/login/unlock", post(handlers::unlock))
        .route("/login/recovery", post(handlers::recovery))
        .route("/search", post(handlers::search))
        .route("/logout", get(handlers::logout))
        .method_not_allowed_fallback(handlers::not_found);
    let control = Router::new()
        .route("/outbox", get(control::outbox))
        .route("/clock", get(control::clock).post(control::advance_clock))
        .route("/reset", post(control::reset))
        .route("/accounts", get(control::accounts))
        .route("/switches", get(control::switches))
        .method_not_allowed_fallback(handlers::not_found);
    let style = ErrorStyle {
        request_id: mock.settings.request_id,
        details: mock.settings.error_details,
    };
    // Added last, so it also reaches the fallback and extractor rejections.
    let restyle_errors =
        axum::middleware::map_response(move |response: Response| async move { restyle(response, style) });
    Router::new()
        .nest("/api/v1", api)
        .nest("/__mock", control)
        .fallback(handlers::not_found)
        .layer(restyle_errors)
        .with_state(mock)
}

/// Runs the mock on a socket until [`MockServer::shutdown`] (or drop).
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Prepares the mock and starts serving on `addr` (port 0 picks a free port).
    ///
    /// # Errors
    /// Returns what [`app`] returns, or [`MockError::Bind`] when the socket
    /// cannot be opened.
    pub async fn start(addr: SocketAddr, config: MockConfig, seed: Seed) -> Result<MockServer, MockError> {
        // Hashing the seed is CPU work; keep it off the async workers.
        let router = tokio::task::spawn_blocking(move || app(config, seed))
            .await
            .map_err(|e| MockError::Startup(e.to_string()))??;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| MockError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| MockError::Bind { addr, source })?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                // A dropped sender also means "stop".
                let _ = stopped.await;
            };
            // An accept loop error after start has no one to report to; the
            // server simply ends, and requests then fail on the client side.
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(shutdown)
                .await;
        });
        Ok(MockServer {
            addr: local,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Returns the socket address actually bound.
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns the server's root, e.g. `http://127.0.0.1:41234`.
    #[must_use]
    pub fn root_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Returns the Circularo API base, e.g. `http://127.0.0.1:41234/api/v1`.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("{}/api/v1", self.root_url())
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits
    /// for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // Dropping without `shutdown` still stops the server, just without waiting.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

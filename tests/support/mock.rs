//! Starts the Circularo mock on a loopback port for a test, and talks JSON
//! to it the way a client does.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use scenario::mock::{MockConfig, MockServer, Seed};
use serde_json::{Value, json};

/// Returns 127.0.0.1 with port 0, so the system picks a free port.
pub fn loopback() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

/// Starts the mock with the built-in accounts and the default configuration.
pub async fn start_builtin() -> MockServer {
    MockServer::start(loopback(), MockConfig::default(), Seed::builtin())
        .await
        .expect("the mock starts")
}

/// Starts the mock with the accounts of the seed file at `path`.
pub async fn start_with_seed(path: &Path) -> MockServer {
    let seed = Seed::from_file(path).expect("the seed file is valid");
    MockServer::start(loopback(), MockConfig::default(), seed)
        .await
        .expect("the mock starts")
}

/// Sends `request` and returns its answer's JSON body.
pub async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request
        .send()
        .await
        .expect("the mock answers")
        .json()
        .await
        .expect("the answer is JSON")
}

/// Logs `name` in with `password` at the API `base`, asking for the token,
/// and returns the answer's body.
pub async fn log_in(client: &reqwest::Client, base: &str, name: &str, password: &str) -> Value {
    json_of(
        client
            .post(format!("{base}/login"))
            .json(&json!({"name": name, "password": password, "returnToken": true})),
    )
    .await
}

//! Runs the limit the runner is measured against: a bare reqwest loop that
//! sends the basic flow's four requests N times over 16 concurrent tasks and
//! reads the token from the login answer, with no checks and no reports.
//!
//! Must not do more than a hand-written client would: anything added here
//! lowers the bar the runner is held to.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Sends `flows` basic flows to `base` over `concurrency` tasks, then exits.
pub fn run(base: &str, flows: usize, concurrency: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime for the raw loop");
    runtime.block_on(async {
        // The runner's crypto provider: reqwest is built without one.
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder().build().expect("a reqwest client");
        let next = Arc::new(AtomicUsize::new(0));
        let base: Arc<str> = Arc::from(base);
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let (client, next, base) = (client.clone(), Arc::clone(&next), Arc::clone(&base));
                tokio::spawn(async move {
                    while next.fetch_add(1, Ordering::Relaxed) < flows {
                        one_flow(&client, &base).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("a raw loop task");
        }
    });
}

async fn one_flow(client: &reqwest::Client, base: &str) {
    let login: serde_json::Value = client
        .post(format!("{base}/login"))
        .json(&serde_json::json!({
            "name": "mary.griffin@circularo.com", "password": "#32Password1!", "returnToken": true
        }))
        .send()
        .await
        .expect("login answers")
        .json()
        .await
        .expect("login is JSON");
    let token = login["token"].as_str().expect("a token").to_owned();
    let query = [("token", token.as_str()), ("returnToken", "true")];
    let status = client.get(format!("{base}/login")).query(&query).send().await;
    status
        .expect("status answers")
        .bytes()
        .await
        .expect("status body");
    let search = client
        .post(format!("{base}/search"))
        .query(&query[..1])
        .json(&serde_json::json!({ "from": 0, "size": 10 }))
        .send()
        .await;
    search
        .expect("search answers")
        .bytes()
        .await
        .expect("search body");
    let logout = client
        .get(format!("{base}/logout"))
        .query(&query[..1])
        .send()
        .await;
    logout
        .expect("logout answers")
        .bytes()
        .await
        .expect("logout body");
}

//! A project of every kind of result, for tests of report files read by
//! other tools: passed, failed, errored, skipped (`if` false), flaky (with
//! `--retries`), always failing, and a matrix in a file with dots in its name,
//! with the loopback server they call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::routing::get;

use super::serve::{Served, serve};

pub const FILES: &[(&str, &str)] = &[
    (
        "a-pass.yaml",
        "name: Lists items\ntags: [smoke]\nsteps:\n  - name: List\n    get: /ok\n    expect: { status: 200 }\n",
    ),
    (
        "b-fail.yaml",
        "name: Fails an expectation\nsteps:\n  - name: Wrong status\n    get: /ok\n    expect: { status: 201 }\n",
    ),
    (
        "c-error.yaml",
        "name: Cannot connect\nsteps:\n  - name: Nobody listens\n    get: http://127.0.0.1:9/nothing\n",
    ),
    (
        "d-skip.yaml",
        "name: Only sometimes\nsteps:\n  - name: Maybe\n    if: \"false\"\n    get: /ok\n",
    ),
    (
        "e-flaky.yaml",
        "name: Passes the second time\nsteps:\n  - name: Flaky\n    get: /flaky/once\n    expect: { status: 200 }\n",
    ),
    (
        "f-always.yaml",
        "name: Never passes\nsteps:\n  - name: Broken\n    get: /fail\n    expect: { status: 200 }\n",
    ),
    (
        "g.v2.matrix.yaml",
        "name: By kind\nmatrix:\n  kind: [x, y]\nsteps:\n  - name: List {{ kind }}\n    get: /ok\n",
    ),
];

/// Serves `/api/ok` (200), `/api/user` (a JSON object), `/api/fail` (500) and `/api/flaky/KEY` (500 on
/// its first call, then 200).
pub fn server() -> (Served, String) {
    let calls: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let app =
        Router::new()
            .route("/api/ok", get(|| async { "ok" }))
            .route(
                "/api/user",
                get(|| async {
                    axum::Json(serde_json::json!({"id": 7, "name": "Ann", "roles": ["reader"]}))
                }),
            )
            .route("/api/fail", get(|| async { StatusCode::INTERNAL_SERVER_ERROR }))
            .route(
                "/api/flaky/{key}",
                get(
                    |State(calls): State<Arc<Mutex<HashMap<String, usize>>>>,
                     UrlPath(key): UrlPath<String>| async move {
                        let mut calls = calls.lock().unwrap();
                        let count = calls.entry(key).or_default();
                        *count += 1;
                        if *count == 1 {
                            StatusCode::INTERNAL_SERVER_ERROR
                        } else {
                            StatusCode::OK
                        }
                    },
                ),
            )
            .with_state(calls);
    let served = serve(app, 1);
    let url = format!("http://{}/api", served.addr);
    (served, url)
}

/// Writes [`FILES`] under `scenarios/` of a new folder.
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    for (name, text) in FILES {
        std::fs::write(dir.path().join("scenarios").join(name), text).unwrap();
    }
    dir
}

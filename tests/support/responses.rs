//! A local HTTP server on 127.0.0.1:0 answering every kind of response a
//! check can test: plain text, bytes, HTML, XML, JSON with numbers beyond 64
//! bits, a JWT-like token, repeated headers and cookies with attributes. It
//! stops when dropped.

use super::serve::{Served, serve};

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;

/// The bytes `/bytes` answers with (a PNG signature and a few more).
pub const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d];

/// Runs the server until dropped.
#[derive(Debug)]
pub struct ResponsesServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    _served: Served,
}

impl ResponsesServer {
    /// Starts the server on a free loopback port, on its own runtime thread.
    pub fn start() -> Self {
        let served = serve(router(), 0);
        let addr = served.addr;
        Self {
            url: format!("http://{addr}"),
            _served: served,
        }
    }
}

fn router() -> Router {
    Router::new()
        .route("/text", get(|| async { "order 12345 confirmed for mary\n" }))
        .route(
            "/bytes",
            get(|| async { ([(header::CONTENT_TYPE, "image/png")], PNG) }),
        )
        .route(
            "/html",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    "<!DOCTYPE html><html><head><title>Sign in</title><meta name=\"csrf\" content=\"t0k3n\"></head>\
                     <body><h1 class=\"title\">Welcome &amp; hello</h1><ul><li>one</li><li>two</li></ul></body></html>",
                )
            }),
        )
        .route(
            "/xml",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/xml")],
                    "<?xml version=\"1.0\"?><orders><order id=\"1\">open</order><order id=\"2\">shipped</order></orders>",
                )
            }),
        )
        .route(
            "/json",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    // A hand-written body: numbers beyond 64 bits stay as written.
                    r#"{"id":"123e4567-e89b-12d3-a456-426614174000","big":18446744073709551617,"huge":1000000000000000000000,
                       "ratio":0.5,"email":"mary@example.com","ip":"192.0.2.1","ip6":"2001:db8::1","site":"https://example.com/a",
                       "created":"2026-01-31T12:00:00Z","day":"2026-01-31","tags":[],"name":"Mary",
                       "token":"h.eyJzdWIiOiJtYXJ5Iiwicm9sZSI6ImFkbWluIn0.s","embedded":"{\"n\":3}",
                       "note":"Tom &amp; Jerry","path":"a%20b","csv":"a,b,c","user":{"id":7,"name":"Mary"}}"#,
                )
            }),
        )
        .route(
            "/cookies",
            get(|| async {
                (
                    // Appended, not inserted: repeated headers are the point.
                    axum::response::AppendHeaders([
                        (header::SET_COOKIE, "sid=abc123; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Strict"),
                        (header::SET_COOKIE, "lang=en; Path=/docs"),
                        (header::VARY, "Accept-Encoding"),
                        (header::VARY, "Origin"),
                    ]),
                    "ok",
                )
            }),
        )
        .route("/moved", get(|| async { Redirect::temporary("/text") }))
        .route("/error", get(|| async { (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "<html>oops</html>").into_response() }))
}

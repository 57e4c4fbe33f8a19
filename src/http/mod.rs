//! Sends requests: the only user of reqwest.
//!
//! Turns a [`RequestSpec`] into an [`HttpResponse`] over one shared
//! connection pool per client setting, with cookies kept per session
//! ([`Sessions`]), redirects followed by hand (credentials never cross to
//! another origin unless trusted), authentication answered (`Basic`,
//! `Bearer`, `Digest` challenges), and timeouts always on.
//!
//! One file per concern: the request as the engine hands it over
//! (`request`), bodies (`body`: JSON, form, raw, files, multipart), what
//! came back (`response`), the body-memory budget of the whole run
//! (`budget`), the client and its redirect loop (`client`),
//! the redirect rules (`redirect`), sessions and cookie jars (`session`),
//! credentials (`auth`, `digest`), TLS and proxy setup (`tls`), errors
//! (`error`) and the curl replay line (`curl`).
//!
//! Must not know scenarios, templates, secrets or the terminal. Errors never
//! carry the URL (it may hold a token); the caller adds a redacted one.

mod auth;
mod body;
mod budget;
mod client;
mod curl;
mod digest;
mod error;
mod redirect;
mod request;
mod response;
mod session;
mod tls;

pub use auth::{Auth, basic_credentials};
pub use body::{
    FileBody, Part, PartContent, RequestBody, boundary_collides, guess_content_type, new_boundary,
};
pub use budget::{BodyBudget, BodyLease, DEFAULT_BODIES_BUDGET, HeldBody};
pub use client::{HttpClient, HttpOptions};
pub use curl::to_curl;
pub use error::HttpError;
pub use redirect::{DEFAULT_MAX_REDIRECTS, RedirectPolicy, same_origin};
pub use request::{HttpVersion, RequestSpec};
pub use response::{Hop, HttpResponse};
pub use session::{CookieJar, Sessions};
pub use tls::{ProxySettings, TlsFiles};

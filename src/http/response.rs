//! Owns what came back from an exchange: the final response
//! ([`HttpResponse`]) with its URL and HTTP version, each redirect on the way
//! ([`Hop`]), and the headers the step's request went out with.
//!
//! Plain data. Must not send anything.

use std::time::Duration;

use url::Url;

/// Records one redirect followed on the way to the final response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The redirect's status (`301`, `302`, `303`, `307`, `308`).
    pub status: u16,
    /// The URL that answered with the redirect.
    pub url: Url,
    /// The `Location` header as received.
    pub location: String,
}

/// Holds a response as received; the engine hands it to the evaluators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lowercase) and values, in received order.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// Time from sending the request to the end of the body.
    pub elapsed: Duration,
    /// The URL of the final response (after redirects).
    pub url: Url,
    /// The HTTP version of the final response: `HTTP/1.1`, `HTTP/2`...
    pub version: String,
    /// The redirects followed, in order.
    pub redirects: Vec<Hop>,
    /// The headers the step's own request went out with (after a `Digest`
    /// challenge, the answered request's).
    pub sent_headers: Vec<(String, String)>,
    /// The share of the run's body budget this body holds, given back
    /// when the last copy of the response is dropped.
    pub held: super::HeldBody,
}

/// Names an HTTP version as responses are recorded and asserted.
pub(super) fn version_name(version: reqwest::Version) -> &'static str {
    match version {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_11 => "HTTP/1.1",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/?",
    }
}

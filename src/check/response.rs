//! Owns the recorded response every evaluator reads.
//!
//! Plain data with read helpers; must not know how it was received.

use std::sync::OnceLock;
use std::time::Duration;

/// Records one redirect followed on the way to the final response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hop {
    /// The redirect's status (`301`, `302`, `303`, `307`, `308`).
    pub status: u16,
    /// The URL that answered with the redirect.
    pub url: String,
    /// Its `Location` header, as received.
    pub location: String,
}

/// Holds a response as received: status, headers, raw body, time taken,
/// and where it came from (final URL, HTTP version, redirects followed).
#[derive(Debug, Clone, Default)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names (lowercase) and values, in received order.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// Time from sending the request to the end of the body.
    pub elapsed: Duration,
    /// The URL of the final response, after redirects (empty when unknown).
    pub url: String,
    /// The HTTP version of the final response: `HTTP/1.1`, `HTTP/2`... (empty when unknown).
    pub version: String,
    /// The redirects followed to get here, in order.
    pub redirects: Vec<Hop>,
    /// The body parsed as JSON, once: captures, expectations, snapshots and
    /// reports all read it, and a large body must not be parsed each time.
    pub(super) parsed: OnceLock<Result<serde_json::Value, String>>,
}

impl Response {
    /// Returns the body as text, replacing invalid UTF-8.
    #[must_use]
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// Creates a response from what was received.
    #[must_use]
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>, elapsed: Duration) -> Self {
        Self {
            status,
            headers,
            body,
            elapsed,
            url: String::new(),
            version: String::new(),
            redirects: Vec::new(),
            parsed: OnceLock::new(),
        }
    }

    /// Returns the body parsed as JSON (parsed on first use, then kept).
    ///
    /// # Errors
    /// Returns serde_json's message when the body is not JSON.
    pub fn json(&self) -> Result<&serde_json::Value, &str> {
        self.parsed
            .get_or_init(|| serde_json::from_slice(&self.body).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }

    /// Returns every value of header `name` (case-insensitive), in received order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Returns the header names, in received order and without repeats.
    #[must_use]
    pub fn header_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in &self.headers {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name);
            }
        }
        names
    }

    /// Returns the first value of header `name` (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_headers_case_insensitively() {
        let response = Response {
            headers: vec![
                ("Set-Cookie".into(), "a=1".into()),
                ("content-type".into(), "text/plain".into()),
                ("set-cookie".into(), "b=2".into()),
            ],
            ..Response::default()
        };
        assert_eq!(response.header("CONTENT-TYPE"), Some("text/plain"));
        assert_eq!(
            response.header_values("set-cookie").collect::<Vec<_>>(),
            ["a=1", "b=2"]
        );
        assert_eq!(response.header_names(), ["Set-Cookie", "content-type"]);
        assert_eq!(response.header("x-missing"), None);
    }
}

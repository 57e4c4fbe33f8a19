//! Owns [`HttpError`], why an exchange did not complete, and the one place
//! reqwest's errors are turned into it.
//!
//! Must not name the URL in any message: it may hold a token.

use std::time::Duration;

use super::body::MAX_BODY_BYTES;

/// Explains why an exchange did not complete. Messages never include the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// No response within the timeout.
    #[error("no response within {}", humantime::format_duration(*.0))]
    Timeout(Duration),
    /// The target could not be reached.
    #[error("could not connect: {0}")]
    Connect(String),
    /// A header name or value is not valid HTTP.
    #[error("invalid header `{0}`")]
    InvalidHeader(String),
    /// Redirects went on for longer than the step allows.
    #[error("more than {0} redirects; raise `follow_redirects: {{ max: N }}` if the chain is expected")]
    TooManyRedirects(usize),
    /// The body was larger than this runner keeps in memory.
    #[error("response body larger than {} MiB", MAX_BODY_BYTES / 1024 / 1024)]
    BodyTooLarge,
    /// The bodies held by all running scenarios would exceed the run's budget.
    #[error(
        "the responses of the running scenarios would hold more than {} MiB; lower --jobs, or keep bodies smaller",
        .0 / 1024 / 1024
    )]
    BodiesOverBudget(usize),
    /// Any other transport failure.
    #[error("{0}")]
    Transport(String),
    /// The client could not be built (TLS, certificates, proxy).
    #[error("could not set up the HTTP client: {0}")]
    Setup(String),
}

/// Turns a reqwest error into an [`HttpError`] without its URL, with a hint
/// for certificate problems.
pub(super) fn classify(error: reqwest::Error) -> HttpError {
    let error = error.without_url();
    let mut text = error_chain(&error);
    if text.to_ascii_lowercase().contains("certificate") {
        text.push_str(
            "; trust the server's CA with --cacert (or `ca_cert:` in the environment), \
             or for a throwaway test server turn verification off with --insecure",
        );
    }
    if error.is_connect() {
        HttpError::Connect(text)
    } else {
        HttpError::Transport(text)
    }
}

/// Joins an error's source chain, skipping repeats, into one line.
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

//! Sends requests: the only user of reqwest.
//!
//! Turns a [`RequestSpec`] into an [`HttpResponse`], with one
//! connection pool per run, cookies kept in a per-scenario [`CookieJar`],
//! redirects followed only when asked, and timeouts always on. Must not know
//! scenarios, templates or the terminal. Errors never carry the URL (it may
//! hold a token); the caller adds a redacted one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::cookie::CookieStore;
use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

/// Caps how many redirects a step that follows redirects may go through.
const MAX_REDIRECTS: usize = 10;

/// Caps a response body kept in memory; a larger one is an error, not an OOM.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

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
}

/// Sets how the client behaves for a whole run.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Bounds every exchange unless a step sets its own timeout.
    pub timeout: Duration,
    /// Bounds connecting.
    pub connect_timeout: Duration,
    /// Accepts invalid TLS certificates (`--insecure`).
    pub insecure: bool,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            insecure: false,
        }
    }
}

/// Holds a request body.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestBody {
    /// A JSON document, sent with `content-type: application/json`.
    Json(serde_json::Value),
    /// Form fields, sent `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
    /// Raw text, sent as is.
    Raw(String),
}

impl RequestBody {
    /// Returns the body as the text that goes on the wire.
    #[must_use]
    pub fn to_text(&self) -> String {
        match self {
            RequestBody::Json(v) => v.to_string(),
            RequestBody::Form(fields) => url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(fields)
                .finish(),
            RequestBody::Raw(text) => text.clone(),
        }
    }

    fn content_type(&self) -> Option<&'static str> {
        match self {
            RequestBody::Json(_) => Some("application/json"),
            RequestBody::Form(_) => Some("application/x-www-form-urlencoded"),
            RequestBody::Raw(_) => None,
        }
    }
}

/// Describes a fully rendered request.
#[derive(Debug, Clone)]
pub struct RequestSpec {
    /// `GET`, `POST`...
    pub method: String,
    /// The URL, query included.
    pub url: Url,
    /// Headers set by the step.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<RequestBody>,
    /// Overrides the run's timeout for this exchange.
    pub timeout: Option<Duration>,
    /// Follows redirects (off by default).
    pub follow_redirects: bool,
}

impl RequestSpec {
    /// Returns the headers the request goes out with: the step's, plus a
    /// content type for JSON and form bodies unless the step set one.
    #[must_use]
    pub fn effective_headers(&self) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        if let Some(content_type) = self.body.as_ref().and_then(RequestBody::content_type)
            && !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("content-type".to_owned(), content_type.to_owned()));
        }
        headers
    }
}

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
    /// Redirects went on for too long.
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    /// The body was larger than this runner keeps in memory.
    #[error("response body larger than {} MiB", MAX_BODY_BYTES / 1024 / 1024)]
    BodyTooLarge,
    /// Any other transport failure.
    #[error("{0}")]
    Transport(String),
    /// The client could not be built (TLS setup).
    #[error("could not set up the HTTP client: {0}")]
    Setup(String),
}

/// Keeps the cookies of one scenario, never shared with another.
#[derive(Debug, Default, Clone)]
pub struct CookieJar(Arc<reqwest::cookie::Jar>);

impl CookieJar {
    /// Creates an empty jar.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the `Cookie` header value the jar holds for `url`.
    #[must_use]
    pub fn header_for(&self, url: &Url) -> Option<String> {
        self.0
            .cookies(url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
    }
}

/// Sends requests over one shared connection pool.
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    timeout: Duration,
}

impl HttpClient {
    /// Builds the client of a run.
    ///
    /// # Errors
    /// Returns [`HttpError::Setup`] when TLS cannot be initialised.
    pub fn new(options: &HttpOptions) -> Result<Self, HttpError> {
        let client = reqwest::Client::builder()
            // Redirects are followed by hand, so cookies are applied at every hop
            // and one pool serves steps that follow and steps that don't.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .tls_danger_accept_invalid_certs(options.insecure)
            .user_agent(concat!("scenario/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| HttpError::Setup(error_chain(&e.without_url())))?;
        Ok(Self {
            client,
            timeout: options.timeout,
        })
    }

    /// Sends `spec`, applying and updating the scenario's `jar`.
    ///
    /// # Errors
    /// Returns [`HttpError`] when no complete response arrived.
    pub async fn send(&self, spec: &RequestSpec, jar: &CookieJar) -> Result<HttpResponse, HttpError> {
        let timeout = spec.timeout.unwrap_or(self.timeout);
        let started = Instant::now();
        let mut method = reqwest::Method::from_bytes(spec.method.as_bytes())
            .map_err(|_| HttpError::Transport(format!("invalid method `{}`", spec.method)))?;
        let mut url = spec.url.clone();
        let mut body = spec.body.clone();
        for _ in 0..=MAX_REDIRECTS {
            let remaining = timeout.saturating_sub(started.elapsed());
            let exchange = self.send_once(&method, &url, spec, body.as_ref(), jar);
            let (status, headers, bytes) = match tokio::time::timeout(remaining, exchange).await {
                Ok(result) => result?,
                Err(_) => return Err(HttpError::Timeout(timeout)),
            };
            let location = headers
                .iter()
                .find(|(k, _)| k == "location")
                .and_then(|(_, v)| url.join(v).ok());
            match location {
                Some(next) if spec.follow_redirects && is_redirect(status) => {
                    if matches!(status, 301..=303) && method != reqwest::Method::HEAD {
                        method = reqwest::Method::GET;
                        body = None;
                    }
                    url = next;
                }
                _ => {
                    return Ok(HttpResponse {
                        status,
                        headers,
                        body: bytes,
                        elapsed: started.elapsed(),
                    });
                }
            }
        }
        Err(HttpError::TooManyRedirects)
    }

    async fn send_once(
        &self,
        method: &reqwest::Method,
        url: &Url,
        spec: &RequestSpec,
        body: Option<&RequestBody>,
        jar: &CookieJar,
    ) -> Result<(u16, Vec<(String, String)>, Vec<u8>), HttpError> {
        let mut request = self.client.request(method.clone(), url.clone());
        let mut headers = spec.headers.clone();
        if let Some(content_type) = body.and_then(RequestBody::content_type)
            && !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("content-type".to_owned(), content_type.to_owned()));
        }
        let has_cookie_header = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("cookie"));
        if !has_cookie_header && let Some(cookies) = jar.header_for(url) {
            headers.push(("cookie".to_owned(), cookies));
        }
        for (name, value) in &headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| HttpError::InvalidHeader(name.clone()))?;
            let value =
                HeaderValue::from_str(value).map_err(|_| HttpError::InvalidHeader(name.to_string()))?;
            request = request.header(name, value);
        }
        if let Some(body) = body {
            request = request.body(body.to_text());
        }
        let mut response = request.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let mut set_cookies = response.headers().get_all(reqwest::header::SET_COOKIE).iter();
        jar.0.set_cookies(&mut set_cookies, url);
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(HttpError::BodyTooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((status, headers, bytes))
    }
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

fn classify(error: reqwest::Error) -> HttpError {
    let error = error.without_url();
    let mut text = error_chain(&error);
    if text.to_ascii_lowercase().contains("certificate") {
        text.push_str(
            "; for a test server with a self-signed certificate, --insecure turns verification off",
        );
    }
    if error.is_connect() {
        HttpError::Connect(text)
    } else {
        HttpError::Transport(text)
    }
}

/// Joins an error's source chain, skipping repeats, into one line.
fn error_chain(error: &dyn std::error::Error) -> String {
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

/// Builds a curl command line that replays `spec` (the caller redacts it).
#[must_use]
pub fn to_curl(spec: &RequestSpec, cookie: Option<&str>) -> String {
    let mut parts = vec!["curl".to_owned()];
    if spec.method != "GET" || spec.body.is_some() {
        parts.push(format!("-X {}", spec.method));
    }
    for (name, value) in spec.effective_headers() {
        parts.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
    }
    if let Some(cookie) = cookie {
        parts.push(format!("-H {}", shell_quote(&format!("cookie: {cookie}"))));
    }
    if let Some(body) = &spec.body {
        parts.push(format!("--data-raw {}", shell_quote(&body.to_text())));
    }
    if spec.follow_redirects {
        parts.push("-L".to_owned());
    }
    parts.push(shell_quote(spec.url.as_str()));
    parts.join(" ")
}

/// Quotes `text` for a POSIX shell.
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(method: &str, body: Option<RequestBody>) -> RequestSpec {
        RequestSpec {
            method: method.to_owned(),
            url: Url::parse("http://127.0.0.1:1/api/v1/login?token=abc").unwrap(),
            headers: vec![("x-trace".to_owned(), "it's".to_owned())],
            body,
            timeout: None,
            follow_redirects: false,
        }
    }

    #[test]
    fn curl_replays_method_headers_body_and_url() {
        let curl = to_curl(
            &spec("POST", Some(RequestBody::Json(json!({"name": "a b"})))),
            Some("token=x"),
        );
        assert_eq!(
            curl,
            "curl -X POST -H 'x-trace: it'\\''s' -H 'content-type: application/json' -H 'cookie: token=x' \
             --data-raw '{\"name\":\"a b\"}' 'http://127.0.0.1:1/api/v1/login?token=abc'"
        );
        assert_eq!(
            to_curl(&spec("GET", None), None),
            "curl -H 'x-trace: it'\\''s' 'http://127.0.0.1:1/api/v1/login?token=abc'"
        );
    }

    #[test]
    fn form_bodies_are_url_encoded() {
        let body = RequestBody::Form(vec![("a".into(), "1 2".into()), ("b".into(), "&".into())]);
        assert_eq!(body.to_text(), "a=1+2&b=%26");
    }

    #[test]
    fn a_step_content_type_wins() {
        let mut s = spec("POST", Some(RequestBody::Json(json!(1))));
        s.headers
            .push(("Content-Type".into(), "application/vnd+json".into()));
        let headers = s.effective_headers();
        assert_eq!(
            headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .count(),
            1
        );
    }

    #[tokio::test]
    async fn an_unreachable_target_is_a_connect_error_without_url() {
        // Port 1 on loopback is closed: a refused connection, no network needed.
        let client = HttpClient::new(&HttpOptions::default()).unwrap();
        let err = client
            .send(&spec("GET", None), &CookieJar::new())
            .await
            .unwrap_err();
        assert!(matches!(err, HttpError::Connect(_)), "{err:?}");
        assert!(!err.to_string().contains("token=abc"), "{err}");
    }
}

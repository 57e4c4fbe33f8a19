//! Owns [`HttpClient`]: the run's reqwest clients (one connection pool per
//! HTTP version and connect timeout a step asks for, built on first use and
//! then shared by every scenario) and one exchange, redirects included.
//!
//! Redirects are followed by hand (`Policy::none()`), so the session's cookies
//! are read and stored at every hop, credentials are dropped when a hop
//! leaves the origin, and every hop is recorded. A `401` carrying a `Digest`
//! challenge is answered once, when the step has `Digest` credentials for
//! that origin. Must not know scenarios, templates, secrets or the terminal.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use super::auth::Auth;
use super::body::MAX_BODY_BYTES;
use super::budget::{BodyBudget, BodyLease, HeldBody};
use super::digest;
use super::error::{HttpError, classify, error_chain};
use super::redirect::{is_redirect, next_method};
use super::request::{HttpVersion, RequestSpec, outgoing_headers};
use super::response::{Hop, HttpResponse, version_name};
use super::session::CookieJar;
use super::tls::{self, ProxySettings, TlsFiles};

/// Sets how the client behaves for a whole run.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Bounds every exchange (connecting, redirects and body included) unless
    /// a step sets its own `timeout`.
    pub timeout: Duration,
    /// Bounds connecting unless a step sets its own `connect_timeout`.
    pub connect_timeout: Duration,
    /// Accepts invalid TLS certificates (`--insecure`).
    pub insecure: bool,
    /// Extra CAs and the client certificate.
    pub tls: TlsFiles,
    /// The proxies requests go through.
    pub proxy: ProxySettings,
    /// Bounds, in bytes, the response bodies all running scenarios hold at
    /// once ([`super::DEFAULT_BODIES_BUDGET`] by default).
    pub bodies_budget: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            insecure: false,
            tls: TlsFiles::default(),
            proxy: ProxySettings::default(),
            bodies_budget: super::DEFAULT_BODIES_BUDGET,
        }
    }
}

/// Picks one of the run's clients: what reqwest fixes per client, and
/// whether it speaks TLS (only such a client loads the system's roots).
type ClientKey = (HttpVersion, Duration, Tls);

/// Says whether a client may need TLS: plain `http://` without an HTTPS
/// proxy never does, and its client skips loading hundreds of root
/// certificates, most of a cold start's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Tls {
    Needed,
    Unneeded,
}

impl Tls {
    /// Tells what a request to `url` needs, through `proxy`.
    fn for_url(url: &Url, proxy: &ProxySettings) -> Self {
        let tls_proxy = proxy.urls().iter().any(|p| !p.starts_with("http://"));
        if url.scheme() == "http" && !tls_proxy {
            Self::Unneeded
        } else {
            Self::Needed
        }
    }
}

/// Sends requests over connection pools shared by the whole run.
#[derive(Debug, Clone)]
pub struct HttpClient {
    options: Arc<HttpOptions>,
    clients: Arc<Mutex<HashMap<ClientKey, reqwest::Client>>>,
    /// The body bytes every response of the run holds, against one limit.
    budget: Arc<BodyBudget>,
}

/// Holds what one request of a hop came to.
struct Received {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    version: reqwest::Version,
    sent: Vec<(String, String)>,
    /// The budget the body holds; a redirect's is given back at the next hop.
    held: BodyLease,
}

impl HttpClient {
    /// Builds the client of a run; a plain client is built now, so a bad
    /// certificate or proxy stops the run before anything is sent (the one
    /// for HTTPS, which loads the system's roots, is built on first use).
    ///
    /// # Errors
    /// Returns [`HttpError::Setup`] when TLS, a certificate or the proxy cannot be set up.
    pub fn new(options: &HttpOptions) -> Result<Self, HttpError> {
        let client = Self {
            options: Arc::new(options.clone()),
            clients: Arc::new(Mutex::new(HashMap::new())),
            budget: BodyBudget::new(options.bodies_budget),
        };
        client.client(HttpVersion::Auto, options.connect_timeout, Tls::Unneeded)?;
        Ok(client)
    }

    /// Builds now the client a request to `url` needs, so a set-up that
    /// cannot work for the run's target (TLS without root certificates on
    /// the machine) stops the run before anything is sent.
    ///
    /// # Errors
    /// Returns [`HttpError::Setup`] when that client cannot be built.
    pub fn prepare_for(&self, url: &Url) -> Result<(), HttpError> {
        let tls = Tls::for_url(url, &self.options.proxy);
        self.client(HttpVersion::Auto, self.options.connect_timeout, tls)
            .map(drop)
    }

    /// Returns the client for `version`, `connect_timeout` and `tls`, building it on first use.
    fn client(
        &self,
        version: HttpVersion,
        connect_timeout: Duration,
        tls: Tls,
    ) -> Result<reqwest::Client, HttpError> {
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(client) = clients.get(&(version, connect_timeout, tls)) {
            return Ok(client.clone());
        }
        super::tls::install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout)
            .user_agent(concat!("scenario/", env!("CARGO_PKG_VERSION")));
        builder = match version {
            HttpVersion::Auto => builder,
            HttpVersion::Http1 => builder.http1_only(),
            HttpVersion::Http2 => builder.http2_prior_knowledge(),
        };
        if tls == Tls::Unneeded {
            builder = builder.tls_certs_only(Vec::new());
        }
        builder = tls::configure(
            builder,
            &self.options.tls,
            self.options.insecure,
            &self.options.proxy,
        )?;
        let client = builder
            .build()
            .map_err(|e| HttpError::Setup(error_chain(&e.without_url())))?;
        clients.insert((version, connect_timeout, tls), client.clone());
        Ok(client)
    }

    /// Sends `spec`, reading and filling `jar` (none: cookies off), and
    /// follows redirects as the step asks.
    ///
    /// # Errors
    /// Returns [`HttpError`] when no complete response arrived in time.
    pub async fn send(&self, spec: &RequestSpec, jar: Option<&CookieJar>) -> Result<HttpResponse, HttpError> {
        let timeout = spec.timeout.unwrap_or(self.options.timeout);
        let started = Instant::now();
        match tokio::time::timeout(timeout, self.follow(spec, jar, started)).await {
            Ok(result) => result,
            Err(_) => Err(HttpError::Timeout(timeout)),
        }
    }

    /// Sends the request and each redirect's next hop until a final response.
    async fn follow(
        &self,
        spec: &RequestSpec,
        jar: Option<&CookieJar>,
        started: Instant,
    ) -> Result<HttpResponse, HttpError> {
        let mut method = reqwest::Method::from_bytes(spec.method.as_bytes())
            .map_err(|_| HttpError::Transport(format!("invalid method `{}`", spec.method)))?;
        let mut url = spec.url.clone();
        let mut with_body = true;
        let mut credentials = true;
        let mut redirects = Vec::new();
        let mut first_sent = None;
        let connect_timeout = spec.connect_timeout.unwrap_or(self.options.connect_timeout);
        loop {
            // Per hop: a redirect from `http://` to `https://` needs TLS.
            let client = self.client(
                spec.version,
                connect_timeout,
                Tls::for_url(&url, &self.options.proxy),
            )?;
            let received = self
                .hop(&client, &method, &url, spec, jar, with_body, credentials)
                .await?;
            let sent = first_sent.get_or_insert(received.sent);
            let location = received
                .headers
                .iter()
                .find(|(k, _)| k == "location")
                .map(|(_, v)| v.clone());
            let next = location.as_deref().and_then(|l| url.join(l).ok());
            match (location, next) {
                (Some(location), Some(next)) if spec.redirects.follow && is_redirect(received.status) => {
                    if redirects.len() >= spec.redirects.max {
                        return Err(HttpError::TooManyRedirects(spec.redirects.max));
                    }
                    let (next_method, keeps_body) = next_method(received.status, &method);
                    method = next_method;
                    with_body &= keeps_body;
                    // Once dropped, credentials stay dropped, as in browsers.
                    credentials &= spec.redirects.keeps_credentials(&url, &next);
                    redirects.push(Hop {
                        status: received.status,
                        url: std::mem::replace(&mut url, next),
                        location,
                    });
                }
                _ => {
                    return Ok(HttpResponse {
                        status: received.status,
                        headers: received.headers,
                        body: received.body,
                        elapsed: started.elapsed(),
                        url,
                        version: version_name(received.version).to_owned(),
                        redirects,
                        sent_headers: std::mem::take(sent),
                        held: HeldBody::new(received.held),
                    });
                }
            }
        }
    }

    /// Sends one hop, answering a `Digest` challenge when the step can.
    #[allow(clippy::too_many_arguments)]
    async fn hop(
        &self,
        client: &reqwest::Client,
        method: &reqwest::Method,
        url: &Url,
        spec: &RequestSpec,
        jar: Option<&CookieJar>,
        with_body: bool,
        credentials: bool,
    ) -> Result<Received, HttpError> {
        let body = spec
            .body
            .as_ref()
            .filter(|_| with_body)
            .map(super::body::RequestBody::to_bytes);
        let headers = |jar: Option<&CookieJar>| {
            let cookie = jar.and_then(|j| j.header_for(url));
            let mut headers = outgoing_headers(spec, cookie.as_deref(), credentials);
            if !with_body {
                headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
            }
            headers
        };
        let received = send_once(client, method, url, headers(jar), body.clone(), jar, &self.budget).await?;
        let Some(Auth::Digest { user, password }) = spec.auth.as_ref().filter(|_| credentials) else {
            return Ok(received);
        };
        let challenges = received
            .headers
            .iter()
            .filter(|(k, _)| k == "www-authenticate")
            .map(|(_, v)| v.as_str());
        let challenge = match digest::best_challenge(challenges) {
            Some(challenge) if received.status == 401 => challenge,
            _ => return Ok(received),
        };
        let uri = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let cnonce = digest::new_cnonce();
        let (authorization, _) = digest::answer(
            &challenge,
            &digest::Answer {
                user,
                password,
                method: method.as_str(),
                uri: &uri,
                body: body.as_deref().unwrap_or_default(),
                cnonce: &cnonce,
                nc: 1,
            },
        );
        // The challenge may have set a cookie the answer must carry.
        let mut answered = headers(jar);
        answered.retain(|(k, _)| !k.eq_ignore_ascii_case("authorization"));
        answered.push(("authorization".to_owned(), authorization));
        send_once(client, method, url, answered, body, jar, &self.budget).await
    }
}

/// Sends one request and reads the whole response, storing its cookies in `jar`.
async fn send_once(
    client: &reqwest::Client,
    method: &reqwest::Method,
    url: &Url,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    jar: Option<&CookieJar>,
    budget: &Arc<BodyBudget>,
) -> Result<Received, HttpError> {
    let mut request = client.request(method.clone(), url.clone());
    for (name, value) in &headers {
        let name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| HttpError::InvalidHeader(name.clone()))?;
        let value = HeaderValue::from_str(value).map_err(|_| HttpError::InvalidHeader(name.to_string()))?;
        request = request.header(name, value);
    }
    if let Some(body) = body {
        request = request.body(body);
    }
    let mut response = request.send().await.map_err(classify)?;
    let status = response.status().as_u16();
    if let Some(jar) = jar {
        jar.store(
            &mut response.headers().get_all(reqwest::header::SET_COOKIE).iter(),
            url,
        );
    }
    let received_headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let version = response.version();
    // Sized from the announced length, so a large body is not reallocated as it grows.
    let announced = response
        .content_length()
        .and_then(|length| usize::try_from(length).ok())
        .unwrap_or(0);
    let mut bytes = Vec::with_capacity(announced.min(MAX_BODY_BYTES));
    let mut held = BodyLease::new(budget);
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(HttpError::BodyTooLarge);
        }
        held.grow(chunk.len()).map_err(HttpError::BodiesOverBudget)?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(Received {
        status,
        headers: received_headers,
        body: bytes,
        version,
        sent: headers,
        held,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unreachable_target_is_a_connect_error_without_url() {
        // Port 1 on loopback is closed: a refused connection, no network needed.
        let client = HttpClient::new(&HttpOptions::default()).unwrap();
        let spec = RequestSpec::new(
            "GET",
            Url::parse("http://127.0.0.1:1/api/v1/login?token=abc").unwrap(),
        );
        let err = client.send(&spec, Some(&CookieJar::new())).await.unwrap_err();
        assert!(matches!(err, HttpError::Connect(_)), "{err:?}");
        assert!(!err.to_string().contains("token=abc"), "{err}");
    }

    #[test]
    fn clients_are_built_once_per_version_connect_timeout_and_tls() {
        let client = HttpClient::new(&HttpOptions::default()).unwrap();
        // The plain default client is built with the run.
        assert_eq!(client.clients.lock().unwrap().len(), 1);
        client
            .client(HttpVersion::Http2, Duration::from_secs(1), Tls::Unneeded)
            .unwrap();
        client
            .client(HttpVersion::Http2, Duration::from_secs(1), Tls::Unneeded)
            .unwrap();
        client
            .client(HttpVersion::Http1, Duration::from_secs(1), Tls::Unneeded)
            .unwrap();
        client
            .client(HttpVersion::Http1, Duration::from_secs(1), Tls::Needed)
            .unwrap();
        assert_eq!(client.clients.lock().unwrap().len(), 4);
    }

    #[test]
    fn only_plain_http_without_a_tls_proxy_skips_tls() {
        let plain = Url::parse("http://127.0.0.1:8080/x").unwrap();
        let secure = Url::parse("https://example.com/x").unwrap();
        let none = ProxySettings::default();
        assert_eq!(Tls::for_url(&plain, &none), Tls::Unneeded);
        assert_eq!(Tls::for_url(&secure, &none), Tls::Needed);
        let tls_proxy = ProxySettings {
            explicit: Some("https://proxy.example.com:443".to_owned()),
            ..ProxySettings::default()
        };
        assert_eq!(Tls::for_url(&plain, &tls_proxy), Tls::Needed);
        let plain_proxy = ProxySettings {
            explicit: Some("http://proxy.example.com:3128".to_owned()),
            ..ProxySettings::default()
        };
        assert_eq!(Tls::for_url(&plain, &plain_proxy), Tls::Unneeded);
    }
}

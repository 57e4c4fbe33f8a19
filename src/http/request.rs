//! Owns [`RequestSpec`], a fully rendered request as the engine hands it
//! over, and the headers it goes out with on its first hop: the step's own,
//! a body's content type, the credentials of `auth`, and one `Cookie` header
//! merging the jar's cookies with the step's explicit ones.
//!
//! Plain data and pure functions. Must not send anything, nor know secrets:
//! the engine says which headers are secret ([`RequestSpec::secret_headers`]).

use std::collections::BTreeSet;
use std::time::Duration;

use url::Url;

use super::auth::Auth;
use super::body::RequestBody;
use super::redirect::RedirectPolicy;

/// Chooses the HTTP version a step speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum HttpVersion {
    /// HTTP/2 where TLS negotiates it (ALPN), else HTTP/1.1.
    #[default]
    Auto,
    /// HTTP/1.1 only.
    Http1,
    /// HTTP/2 only; over cleartext with prior knowledge (h2c).
    Http2,
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
    /// Overrides the run's total timeout for this exchange.
    pub timeout: Option<Duration>,
    /// Overrides the run's connect timeout for this exchange.
    pub connect_timeout: Option<Duration>,
    /// Whether and how far redirects are followed.
    pub redirects: RedirectPolicy,
    /// Credentials to send (or to answer a `Digest` challenge with).
    pub auth: Option<Auth>,
    /// Cookies sent besides the jar's; on a name the jar also has, this value wins.
    pub cookies: Vec<(String, String)>,
    /// Lowercase names of headers whose values are secret: like `Authorization`,
    /// they are dropped when a redirect leaves the origin.
    pub secret_headers: BTreeSet<String>,
    /// The HTTP version to speak.
    pub version: HttpVersion,
}

impl RequestSpec {
    /// Creates a request with no headers, body or overrides.
    #[must_use]
    pub fn new(method: &str, url: Url) -> Self {
        Self {
            method: method.to_owned(),
            url,
            headers: Vec::new(),
            body: None,
            timeout: None,
            connect_timeout: None,
            redirects: RedirectPolicy::default(),
            auth: None,
            cookies: Vec::new(),
            secret_headers: BTreeSet::new(),
            version: HttpVersion::Auto,
        }
    }

    /// Returns the headers the first hop goes out with, given the `Cookie`
    /// header the session's jar holds for the URL (`None` when it holds none
    /// or cookies are off): see [`outgoing_headers`].
    #[must_use]
    pub fn outgoing_headers(&self, jar_cookie: Option<&str>) -> Vec<(String, String)> {
        outgoing_headers(self, jar_cookie, true)
    }
}

/// Returns the headers of one hop: the step's, a content type for bodies
/// that have one (unless the step set it), the `auth` header (unless the
/// step set `Authorization`), and one `Cookie` header.
///
/// The step's own `Cookie` header replaces the jar's; explicit `cookies:`
/// are added to whichever is sent, replacing a pair of the same name. With
/// `credentials` false (a redirect left the origin) the step's credential
/// headers, its secret headers, `auth` and every cookie are left out: the
/// jar keeps cookies by host, not by port, so even its own cookies could
/// reach another server on the same host.
pub(super) fn outgoing_headers(
    spec: &RequestSpec,
    jar_cookie: Option<&str>,
    credentials: bool,
) -> Vec<(String, String)> {
    let has =
        |headers: &[(String, String)], name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    let mut headers: Vec<(String, String)> = spec
        .headers
        .iter()
        .filter(|(name, _)| credentials || !is_credential(name, &spec.secret_headers))
        .filter(|(name, _)| !name.eq_ignore_ascii_case("cookie"))
        .cloned()
        .collect();
    if let Some(content_type) = spec.body.as_ref().and_then(RequestBody::content_type)
        && !has(&headers, "content-type")
    {
        headers.push(("content-type".to_owned(), content_type));
    }
    if credentials
        && let Some(value) = spec.auth.as_ref().and_then(Auth::preemptive_header)
        && !has(&headers, "authorization")
    {
        headers.push(("authorization".to_owned(), value));
    }
    let own_cookie = spec
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("cookie"))
        .map(|(_, value)| value.as_str())
        .next_back();
    if credentials && let Some(cookie) = merge_cookies(own_cookie.or(jar_cookie), &spec.cookies) {
        headers.push(("cookie".to_owned(), cookie));
    }
    headers
}

/// Tells whether a header carries credentials a redirect to another origin
/// must not see: `Authorization`, `Cookie`, `Proxy-Authorization`, or a header
/// the engine marked secret.
pub(super) fn is_credential(name: &str, secret_headers: &BTreeSet<String>) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(lower.as_str(), "authorization" | "cookie" | "proxy-authorization")
        || secret_headers.contains(&lower)
}

/// Joins a `Cookie` header value with explicit pairs, which replace pairs of
/// the same name; `None` when there is no cookie at all.
fn merge_cookies(base: Option<&str>, explicit: &[(String, String)]) -> Option<String> {
    let mut pairs: Vec<String> = base
        .into_iter()
        .flat_map(|value| value.split(';'))
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let name = pair.split_once('=').map_or(*pair, |(name, _)| name).trim();
            !explicit.iter().any(|(own, _)| own == name)
        })
        .map(str::to_owned)
        .collect();
    pairs.extend(explicit.iter().map(|(name, value)| format!("{name}={value}")));
    (!pairs.is_empty()).then(|| pairs.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> RequestSpec {
        RequestSpec::new("POST", Url::parse("http://127.0.0.1:1/a").unwrap())
    }

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_step_content_type_wins_over_the_body_s() {
        let mut s = spec();
        s.body = Some(RequestBody::Json(json!(1)));
        s.headers
            .push(("Content-Type".into(), "application/vnd+json".into()));
        let headers = s.outgoing_headers(None);
        let types: Vec<_> = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .collect();
        assert_eq!(types.len(), 1);
        assert_eq!(types[0].1, "application/vnd+json");
    }

    #[test]
    fn explicit_cookies_join_the_jar_s_and_replace_the_same_name() {
        let mut s = spec();
        s.cookies = vec![("theme".into(), "dark".into()), ("sid".into(), "mine".into())];
        let headers = s.outgoing_headers(Some("sid=jar; lang=cs"));
        assert_eq!(header(&headers, "cookie"), Some("lang=cs; theme=dark; sid=mine"));
        assert_eq!(
            spec().outgoing_headers(Some("sid=jar")).last().unwrap().1,
            "sid=jar"
        );
        assert_eq!(header(&spec().outgoing_headers(None), "cookie"), None);
    }

    #[test]
    fn the_step_s_own_cookie_header_replaces_the_jar_s() {
        let mut s = spec();
        s.headers.push(("Cookie".into(), "sid=own".into()));
        let headers = s.outgoing_headers(Some("sid=jar; other=1"));
        let cookies: Vec<_> = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("cookie"))
            .collect();
        assert_eq!(cookies.len(), 1, "{headers:?}");
        assert_eq!(cookies[0].1, "sid=own");
    }

    #[test]
    fn without_credentials_no_credential_and_no_cookie_goes() {
        let mut s = spec();
        s.headers = vec![
            ("authorization".into(), "Bearer x".into()),
            ("x-api-key".into(), "k".into()),
            ("Proxy-Authorization".into(), "p".into()),
            ("cookie".into(), "own=1".into()),
            ("x-trace".into(), "t".into()),
        ];
        s.secret_headers.insert("x-api-key".into());
        s.cookies = vec![("extra".into(), "2".into())];
        s.auth = Some(Auth::Bearer("t".into()));
        let names: Vec<String> = outgoing_headers(&s, Some("jar=3"), false)
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        assert_eq!(names, ["x-trace: t"]);
    }

    #[test]
    fn auth_adds_its_header_unless_the_step_set_one() {
        let mut s = spec();
        s.auth = Some(Auth::Basic {
            user: "Aladdin".into(),
            password: "open sesame".into(),
        });
        assert_eq!(
            header(&s.outgoing_headers(None), "authorization"),
            Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
        s.headers.push(("Authorization".into(), "Token own".into()));
        let headers = s.outgoing_headers(None);
        assert_eq!(header(&headers, "authorization"), Some("Token own"));
        assert_eq!(headers.len(), 1);
    }
}

//! Owns sessions: one cookie jar per named session of a scenario
//! ([`Sessions`]), never shared with another scenario, and the jar itself
//! ([`CookieJar`]), which keeps cookies by the rules of RFC 6265 (domain,
//! path, expiry) like a browser.
//!
//! Must not send anything or know which step uses which session: the engine
//! picks the jar, the client reads and fills it.

use std::collections::BTreeMap;
use std::sync::Arc;

use reqwest::cookie::CookieStore;
use url::Url;

/// Keeps the cookies of one session.
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

    /// Stores the cookies of a response's `Set-Cookie` headers, received from `url`.
    pub(super) fn store(
        &self,
        set_cookies: &mut dyn Iterator<Item = &reqwest::header::HeaderValue>,
        url: &Url,
    ) {
        self.0.set_cookies(set_cookies, url);
    }
}

/// Keeps the cookie jars of one scenario, by session name: the default
/// session (a step that names none) and every named one.
#[derive(Debug, Default)]
pub struct Sessions {
    jars: BTreeMap<String, CookieJar>,
}

impl Sessions {
    /// Names the session of steps that name none.
    pub const DEFAULT: &'static str = "";

    /// Creates a scenario's sessions, all empty.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the jar of session `name` (the default one for `None`),
    /// creating it empty on first use.
    pub fn jar(&mut self, name: Option<&str>) -> &CookieJar {
        self.jars
            .entry(name.unwrap_or(Self::DEFAULT).to_owned())
            .or_default()
    }

    /// Empties the jar of session `name` (the default one for `None`).
    pub fn clear(&mut self, name: Option<&str>) {
        self.jars
            .insert(name.unwrap_or(Self::DEFAULT).to_owned(), CookieJar::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn set(jar: &CookieJar, cookie: &'static str, url: &Url) {
        jar.store(&mut std::iter::once(&HeaderValue::from_static(cookie)), url);
    }

    #[test]
    fn named_sessions_keep_their_own_cookies() {
        let url = Url::parse("http://127.0.0.1:9/api/login").unwrap();
        let mut sessions = Sessions::new();
        set(sessions.jar(None), "token=first; Path=/", &url);
        set(sessions.jar(Some("second")), "token=second; Path=/", &url);
        assert_eq!(
            sessions.jar(None).header_for(&url).as_deref(),
            Some("token=first")
        );
        assert_eq!(
            sessions.jar(Some("second")).header_for(&url).as_deref(),
            Some("token=second")
        );
        sessions.clear(Some("second"));
        assert_eq!(sessions.jar(Some("second")).header_for(&url), None);
        assert_eq!(
            sessions.jar(None).header_for(&url).as_deref(),
            Some("token=first")
        );
    }
}

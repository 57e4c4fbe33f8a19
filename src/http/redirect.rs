//! Owns the rules of following redirects: whether and how far
//! ([`RedirectPolicy`]), which statuses redirect, the method and body of the
//! next hop (RFC 9110, section 15.4), and when credentials stay behind: on
//! a change of origin (scheme, host or port), unless the new host is trusted.
//!
//! Pure. Must not send anything; the client's loop applies these rules.

use url::Url;

/// Caps the redirects a step follows when it says no other number.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;

/// Says whether and how far a step follows redirects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectPolicy {
    /// Follows redirects at all (off by default: a `302` is a response to assert).
    pub follow: bool,
    /// Gives up (an error) after this many redirects.
    pub max: usize,
    /// Hosts (`host` or `host:port`) that still get the step's credentials
    /// when a redirect leads to them from another origin.
    pub trusted_hosts: Vec<String>,
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        Self {
            follow: false,
            max: DEFAULT_MAX_REDIRECTS,
            trusted_hosts: Vec::new(),
        }
    }
}

impl RedirectPolicy {
    /// Tells whether a redirect from `from` to `to` may carry the step's
    /// credentials: same origin, or a trusted host.
    #[must_use]
    pub fn keeps_credentials(&self, from: &Url, to: &Url) -> bool {
        same_origin(from, to) || self.is_trusted(to)
    }

    fn is_trusted(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let with_port = url.port_or_known_default().map(|port| format!("{host}:{port}"));
        self.trusted_hosts.iter().any(|trusted| {
            let trusted = trusted.trim();
            trusted.eq_ignore_ascii_case(host)
                || with_port
                    .as_deref()
                    .is_some_and(|hp| trusted.eq_ignore_ascii_case(hp))
        })
    }
}

/// Tells whether two URLs share an origin: scheme, host and port (the
/// default port of the scheme when none is written).
#[must_use]
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

/// Tells whether a status is a redirect a client follows.
pub(super) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Returns the method of the hop after a redirect with `status`, and
/// whether the body goes along: `303` turns anything but `HEAD` into a body-less
/// `GET`; `301` and `302` do so for `POST`, as every client does; `307` and
/// `308` repeat the request as it was.
pub(super) fn next_method(status: u16, method: &reqwest::Method) -> (reqwest::Method, bool) {
    let to_get = match status {
        303 => *method != reqwest::Method::HEAD,
        301 | 302 => *method == reqwest::Method::POST,
        _ => false,
    };
    if to_get {
        (reqwest::Method::GET, false)
    } else {
        (method.clone(), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn origins_differ_by_scheme_host_or_port() {
        assert!(same_origin(&url("http://a/x"), &url("http://a:80/y")));
        assert!(!same_origin(&url("http://a/x"), &url("https://a/x")));
        assert!(!same_origin(&url("http://a/x"), &url("http://b/x")));
        assert!(!same_origin(
            &url("http://127.0.0.1:1/x"),
            &url("http://127.0.0.1:2/x")
        ));
    }

    #[test]
    fn trusted_hosts_keep_credentials() {
        let policy = RedirectPolicy {
            follow: true,
            trusted_hosts: vec!["auth.example.com".into(), "127.0.0.1:8443".into()],
            ..RedirectPolicy::default()
        };
        let from = url("https://api.example.com/login");
        assert!(policy.keeps_credentials(&from, &url("https://AUTH.example.com/x")));
        assert!(policy.keeps_credentials(&from, &url("https://127.0.0.1:8443/x")));
        assert!(!policy.keeps_credentials(&from, &url("https://127.0.0.1:8444/x")));
        assert!(!policy.keeps_credentials(&from, &url("https://evil.example.com/x")));
    }

    #[test]
    fn methods_change_as_clients_do() {
        let post = reqwest::Method::POST;
        assert_eq!(
            next_method(303, &reqwest::Method::PUT),
            (reqwest::Method::GET, false)
        );
        assert_eq!(next_method(302, &post), (reqwest::Method::GET, false));
        assert_eq!(
            next_method(302, &reqwest::Method::PUT),
            (reqwest::Method::PUT, true)
        );
        assert_eq!(next_method(307, &post), (post.clone(), true));
        assert_eq!(
            next_method(303, &reqwest::Method::HEAD),
            (reqwest::Method::HEAD, true)
        );
    }
}

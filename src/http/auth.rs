//! Owns [`Auth`], the credentials a step sends: `Basic` (RFC 7617) and
//! `Bearer` (RFC 6750) go with the first request; `Digest` (RFC 7616)
//! answers the server's `401` challenge (see `super::digest`).
//!
//! Pure. Must not send anything, nor decide what is secret: the engine
//! registers passwords and encoded forms with its redactor.

use base64::Engine as _;

/// Holds the credentials of one step.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Basic base64(user:password)` on every request.
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
    /// `Authorization: Bearer TOKEN` on every request.
    Bearer(String),
    /// Answers a `WWW-Authenticate: Digest` challenge (MD5 or SHA-256, `qop=auth`).
    Digest {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
}

impl std::fmt::Debug for Auth {
    // Hand-written so that debug output never shows a password or token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Basic { user, .. } => f
                .debug_struct("Basic")
                .field("user", user)
                .finish_non_exhaustive(),
            Auth::Bearer(_) => f.write_str("Bearer(..)"),
            Auth::Digest { user, .. } => f
                .debug_struct("Digest")
                .field("user", user)
                .finish_non_exhaustive(),
        }
    }
}

impl Auth {
    /// Returns the `Authorization` value sent before any challenge, if the
    /// scheme sends one (`Digest` waits for the server's challenge).
    #[must_use]
    pub fn preemptive_header(&self) -> Option<String> {
        match self {
            Auth::Basic { user, password } => Some(format!("Basic {}", basic_credentials(user, password))),
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
            Auth::Digest { .. } => None,
        }
    }
}

/// Returns the base64 of `user:password`, the secret part of a `Basic` header.
#[must_use]
pub fn basic_credentials(user: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_follows_rfc_7617() {
        // RFC 7617, section 2: the example credentials.
        assert_eq!(
            basic_credentials("Aladdin", "open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        let bearer = Auth::Bearer("mF_9.B5f-4.1JqM".into());
        assert_eq!(bearer.preemptive_header().unwrap(), "Bearer mF_9.B5f-4.1JqM");
    }

    #[test]
    fn debug_output_hides_passwords() {
        let auth = Auth::Digest {
            user: "u".into(),
            password: "hunter22".into(),
        };
        assert!(!format!("{auth:?}").contains("hunter22"));
    }
}

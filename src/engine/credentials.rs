//! Owns what a step sends as credentials and which session it belongs to:
//! renders `auth` (registering the password, the `Basic` encoding and the
//! bearer token as secrets), explicit `cookies`, marks the headers whose
//! values are secret (dropped when a redirect leaves the origin), picks the
//! session's cookie jar (or none), and learns the secrets of the headers a
//! request went out with (a computed `Digest` response).
//!
//! Must not send anything, nor touch the terminal, clap, JUnit or axum.

use std::time::SystemTime;

use crate::http::{Auth, CookieJar, RequestSpec, basic_credentials};
use crate::model::{Credentials, SourceLocation, Spanned, Step};

use super::request::BuildError;
use super::scenario::ScenarioRun;
use super::scope::Scope;
use crate::secret::is_sensitive_name;

impl ScenarioRun<'_> {
    /// Adds a step's `auth` and `cookies` to `spec`, and marks its secret headers.
    pub(super) fn add_credentials(
        &mut self,
        step: &Step,
        scope: &Scope,
        spec: &mut RequestSpec,
        not_before: &mut Option<SystemTime>,
    ) -> Result<(), BuildError> {
        if let Some(auth) = &step.auth {
            spec.auth = self.render_auth(auth, scope, not_before)?;
        }
        spec.cookies = self.render_pairs(&step.cookies, "cookie", scope, not_before)?;
        for (name, value) in &spec.cookies {
            // Cookies carry sessions and keys: a value given here is secret whatever its name.
            self.redactor.add_declared(name, value);
        }
        spec.secret_headers = spec
            .headers
            .iter()
            .filter(|(name, value)| {
                is_sensitive_name(name) || matches!(self.redactor.redact(value), std::borrow::Cow::Owned(_))
            })
            .map(|(name, _)| name.to_ascii_lowercase())
            .collect();
        Ok(())
    }

    /// Renders `auth` into credentials, registering every secret form.
    fn render_auth(
        &mut self,
        auth: &Spanned<crate::model::AuthSpec>,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Option<Auth>, BuildError> {
        let a = &auth.value;
        if let Some(token) = &a.bearer {
            let token = self.render_text(&token.value, scope, not_before).map_err(|e| {
                (
                    format!("in `auth.bearer`: {e}"),
                    SourceLocation::of(&scope.file, token),
                )
            })?;
            self.redactor.add_declared("bearer_token", &token);
            return Ok(Some(Auth::Bearer(token)));
        }
        let (scheme, credentials) = match (&a.basic, &a.digest) {
            (Some(basic), _) => ("basic", basic),
            (None, Some(digest)) => ("digest", digest),
            (None, None) => return Ok(None),
        };
        let (user, password) = self.render_credentials(scheme, &credentials.value, scope, not_before)?;
        self.redactor.add_declared("auth_password", &password);
        let auth = if scheme == "basic" {
            self.redactor
                .add_declared("auth_password", &basic_credentials(&user, &password));
            Auth::Basic { user, password }
        } else {
            Auth::Digest { user, password }
        };
        Ok(Some(auth))
    }

    fn render_credentials(
        &mut self,
        scheme: &str,
        credentials: &Credentials,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<(String, String), BuildError> {
        let mut render = |key: &str, node: &Spanned<String>| {
            self.render_text(&node.value, scope, not_before).map_err(|e| {
                (
                    format!("in `auth.{scheme}.{key}`: {e}"),
                    SourceLocation::of(&scope.file, node),
                )
            })
        };
        Ok((
            render("user", &credentials.user)?,
            render("password", &credentials.password)?,
        ))
    }

    /// Returns the cookie jar a step uses: its session's (the one it names,
    /// else its scope's), or none when cookies are off for it.
    pub(super) fn jar_for(&mut self, step: &Step, scope: &Scope) -> Option<CookieJar> {
        let on = step.cookie_jar.unwrap_or(scope.cookie_jar);
        let session = step
            .session
            .as_ref()
            .map(|s| s.value.clone())
            .or_else(|| scope.session.clone());
        if step.clear_cookies == Some(true) {
            self.sessions.clear(session.as_deref());
        }
        on.then(|| self.sessions.jar(session.as_deref()).clone())
    }

    /// Registers the secrets of the headers a request went out with: the
    /// credentials of `Authorization` and `Proxy-Authorization` (of a
    /// `Digest` answer, its `response`).
    pub(super) fn learn_sent_secrets(&mut self, sent: &[(String, String)]) {
        for (name, value) in sent {
            if !(name.eq_ignore_ascii_case("authorization")
                || name.eq_ignore_ascii_case("proxy-authorization"))
            {
                continue;
            }
            // Secret by where they are, as any `authorization` value is: from 4 characters on.
            match value.split_once(' ') {
                Some((scheme, params)) if scheme.eq_ignore_ascii_case("digest") => {
                    if let Some(response) = digest_response(params) {
                        self.redactor.add("digest_response", response);
                    }
                }
                Some((_, credentials)) => self.redactor.add("authorization", credentials.trim()),
                None => self.redactor.add("authorization", value),
            }
        }
    }
}

/// Returns the `response="..."` value of a `Digest` authorization.
fn digest_response(params: &str) -> Option<&str> {
    let start = params.find("response=\"")? + "response=\"".len();
    let rest = &params[start..];
    Some(&rest[..rest.find('"')?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_digest_response() {
        assert_eq!(
            digest_response("username=\"u\", response=\"abc123\", opaque=\"o\""),
            Some("abc123")
        );
        assert_eq!(digest_response("username=\"u\""), None);
    }
}

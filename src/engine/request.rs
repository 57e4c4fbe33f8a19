//! Builds a step's request: renders its URL, query, headers and timeouts,
//! joins the URL to the target, takes its redirect policy and HTTP version,
//! and hands the body (`request_body`) and credentials (`credentials`) to
//! their own files; learns the secrets the rendered request carries.
//!
//! Must not send anything (attempts do), nor touch the terminal, clap, JUnit
//! or axum.

use std::time::{Duration, SystemTime};

use serde_json::Value;
use url::Url;

use crate::http::{HttpVersion, RedirectPolicy, RequestSpec};
use crate::model::{FollowRedirects, HttpVersionSpec, SourceLocation, Spanned, SpannedMap, Step};

use super::scenario::ScenarioRun;
use super::scope::Scope;
use crate::secret::is_sensitive_name;

/// Says why a request could not be built, and where in the file.
pub(super) type BuildError = (String, SourceLocation);

impl ScenarioRun<'_> {
    /// Renders a step's request; errors carry the location of the failing node.
    pub(super) fn build_request(
        &mut self,
        step: &Step,
        scope: &Scope,
    ) -> Result<(RequestSpec, Option<SystemTime>), BuildError> {
        let Some((method, target)) = step.request_target() else {
            let at = scope.file.as_ref().clone();
            return Err((
                "the step has no request (get, post, ...) and no `use`".to_owned(),
                SourceLocation::file_only(&at),
            ));
        };
        let mut not_before = None;
        let path = self
            .render_text(&target.value, scope, &mut not_before)
            .map_err(|e| {
                (
                    format!("in the URL: {e}"),
                    SourceLocation::of(&scope.file, target),
                )
            })?;
        let url = join_url(&self.engine.config.target, &path)
            .map_err(|e| (e, SourceLocation::of(&scope.file, target)))?;
        let mut spec = RequestSpec::new(method.as_str(), url);
        for (name, text) in self.render_pairs(&step.query, "query", scope, &mut not_before)? {
            spec.url.query_pairs_mut().append_pair(&name, &text);
        }
        spec.headers = self.render_pairs(&step.headers, "header", scope, &mut not_before)?;
        spec.body = self.render_body(step, scope, &mut not_before)?;
        spec.timeout = self.render_duration("timeout", step.timeout.as_ref(), scope, &mut not_before)?;
        spec.connect_timeout = self.render_duration(
            "connect_timeout",
            step.connect_timeout.as_ref(),
            scope,
            &mut not_before,
        )?;
        spec.redirects = redirect_policy(step.follow_redirects.as_ref().map(|f| &f.value));
        if let Some(follow) = &step.follow_redirects {
            let at = || SourceLocation::of(&scope.file, follow);
            for host in &mut spec.redirects.trusted_hosts {
                *host = self
                    .render_text(host, scope, &mut not_before)
                    .map_err(|e| (format!("in `follow_redirects.trusted_hosts`: {e}"), at()))?;
            }
        }
        spec.version = match step.http_version.as_ref().map(|v| v.value) {
            None => HttpVersion::Auto,
            Some(HttpVersionSpec::Http1) => HttpVersion::Http1,
            Some(HttpVersionSpec::Http2) => HttpVersion::Http2,
        };
        self.add_credentials(step, scope, &mut spec, &mut not_before)?;
        Ok((spec, not_before))
    }

    /// Renders named values (query parameters, headers, form fields, cookies;
    /// `what` names which in errors) into the pairs to send, learning sensitive ones.
    pub(super) fn render_pairs(
        &mut self,
        map: &SpannedMap<Value>,
        what: &str,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Vec<(String, String)>, BuildError> {
        let mut pairs = Vec::new();
        for (name, value) in map {
            let key = self.render_key(name, what, scope, not_before)?;
            let rendered = self.render(&value.value, scope, not_before).map_err(|e| {
                (
                    format!("in {what} `{key}`: {e}"),
                    SourceLocation::of(&scope.file, value),
                )
            })?;
            if is_sensitive_name(&key) {
                self.redactor.add_value(&key, &rendered);
            }
            pairs.extend(as_strings(&rendered).into_iter().map(|text| (key.clone(), text)));
        }
        Ok(pairs)
    }

    /// Renders a templated name (`"{{ field }}": value`), so a query
    /// parameter, header, form field or part is sent under the name it stands for.
    pub(super) fn render_key(
        &mut self,
        name: &Spanned<String>,
        what: &str,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<String, BuildError> {
        self.render_text(&name.value, scope, not_before).map_err(|e| {
            (
                format!("in the name of {what} `{}`: {e}", name.value),
                SourceLocation::of(&scope.file, name),
            )
        })
    }

    /// Renders and parses a duration setting (`timeout`, `connect_timeout`), when the step has it.
    pub(super) fn render_duration(
        &mut self,
        key: &str,
        node: Option<&Spanned<String>>,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Option<Duration>, BuildError> {
        let Some(node) = node else {
            return Ok(None);
        };
        let at = || SourceLocation::of(&scope.file, node);
        let text = self
            .render_text(&node.value, scope, not_before)
            .map_err(|e| (format!("in `{key}`: {e}"), at()))?;
        let duration = humantime::parse_duration(text.trim()).map_err(|e| {
            (
                format!("`{key}` is `{text}`, which is not a duration ({e}); write e.g. 5s or 750ms"),
                at(),
            )
        })?;
        Ok(Some(duration))
    }
}

/// Returns the redirect policy a step's `follow_redirects` asks for.
fn redirect_policy(follow: Option<&FollowRedirects>) -> RedirectPolicy {
    let Some(follow) = follow else {
        return RedirectPolicy::default();
    };
    RedirectPolicy {
        follow: follow.follow,
        max: follow
            .max
            .map_or(crate::http::DEFAULT_MAX_REDIRECTS, |max| max as usize),
        trusted_hosts: follow.trusted_hosts.clone(),
    }
}

/// Joins a step path to the target base, keeping the base's own path prefix
/// (`/api/v1` + `/login` is `/api/v1/login`, unlike `Url::join`).
fn join_url(base: &str, path: &str) -> Result<Url, String> {
    let path = path.trim();
    if path.starts_with("http://") || path.starts_with("https://") {
        return Url::parse(path).map_err(|e| format!("invalid URL `{path}`: {e}"));
    }
    if base.is_empty() {
        return Err(format!(
            "`{path}` is relative, but no target is set; use --target or --env"
        ));
    }
    let joined = format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'));
    Url::parse(&joined).map_err(|e| format!("invalid URL `{joined}`: {e}"))
}

/// Turns a rendered query/header/form value into the strings to send.
pub(super) fn as_strings(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(as_strings).collect(),
        other => vec![other.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn joins_paths_under_the_base_prefix() {
        assert_eq!(
            join_url("http://h/api/v1", "/login").unwrap().as_str(),
            "http://h/api/v1/login"
        );
        assert_eq!(
            join_url("http://h/api/v1/", "login?x=1").unwrap().as_str(),
            "http://h/api/v1/login?x=1"
        );
        assert_eq!(
            join_url("http://h/api/v1", "https://o/x").unwrap().as_str(),
            "https://o/x"
        );
        assert!(join_url("", "/login").unwrap_err().contains("--target"));
    }

    #[test]
    fn values_become_strings_for_the_wire() {
        assert_eq!(as_strings(&json!(["a", 1, true])), vec!["a", "1", "true"]);
        assert!(as_strings(&Value::Null).is_empty());
        let big: Value = serde_json::from_str("18446744073709551617").unwrap();
        assert_eq!(as_strings(&big), ["18446744073709551617"]);
    }

    #[test]
    fn redirect_policies_default_to_ten_hops() {
        assert!(!redirect_policy(None).follow);
        let follow = FollowRedirects {
            follow: true,
            max: Some(30),
            trusted_hosts: vec!["auth.example.com".into()],
        };
        let policy = redirect_policy(Some(&follow));
        assert_eq!((policy.follow, policy.max), (true, 30));
        let plain = FollowRedirects {
            follow: true,
            ..FollowRedirects::default()
        };
        assert_eq!(redirect_policy(Some(&plain)).max, 10);
    }
}

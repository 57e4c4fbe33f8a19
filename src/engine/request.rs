//! Builds a step's request: renders its URL, query, headers, body (`json`,
//! `form` or raw) and timeout, joins the URL to the target, and learns the
//! secrets the rendered request carries.
//!
//! Must not send anything (attempts do), nor touch the terminal, clap, JUnit
//! or axum.

use std::time::{Duration, SystemTime};

use serde_json::Value;
use url::Url;

use crate::http::{RequestBody, RequestSpec};
use crate::model::{SourceLocation, SpannedMap, Step};

use super::redact::{is_sensitive_name, learn_sensitive_fields};
use super::scenario::ScenarioRun;
use super::scope::Scope;

/// Says why a request could not be built, and where in the file.
type BuildError = (String, SourceLocation);

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
        let mut url = join_url(&self.engine.config.target, &path)
            .map_err(|e| (e, SourceLocation::of(&scope.file, target)))?;
        for (name, text) in self.render_pairs(&step.query, "query", scope, &mut not_before)? {
            url.query_pairs_mut().append_pair(&name, &text);
        }
        let headers = self.render_pairs(&step.headers, "header", scope, &mut not_before)?;
        let body = self.render_body(step, scope, &mut not_before)?;
        let timeout = self.render_timeout(step, scope, &mut not_before)?;
        let spec = RequestSpec {
            method: method.as_str().to_owned(),
            url,
            headers,
            body,
            timeout,
            follow_redirects: step.follow_redirects.unwrap_or(false),
        };
        Ok((spec, not_before))
    }

    /// Renders named values (query parameters, headers, form fields; `what`
    /// names which in errors) into the pairs to send, learning sensitive ones.
    fn render_pairs(
        &mut self,
        map: &SpannedMap<Value>,
        what: &str,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Vec<(String, String)>, BuildError> {
        let mut pairs = Vec::new();
        for (name, value) in map {
            let rendered = self.render(&value.value, scope, not_before).map_err(|e| {
                (
                    format!("in {what} `{}`: {e}", name.value),
                    SourceLocation::of(&scope.file, value),
                )
            })?;
            if is_sensitive_name(&name.value) {
                self.redactor.add_value(&name.value, &rendered);
            }
            pairs.extend(
                as_strings(&rendered)
                    .into_iter()
                    .map(|text| (name.value.clone(), text)),
            );
        }
        Ok(pairs)
    }

    /// Renders the body a step sends: `json`, else `form`, else raw `body`.
    fn render_body(
        &mut self,
        step: &Step,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Option<RequestBody>, BuildError> {
        if let Some(json) = &step.json {
            let rendered = self
                .render(&json.value, scope, not_before)
                .map_err(|e| (format!("in `json`: {e}"), SourceLocation::of(&scope.file, json)))?;
            learn_sensitive_fields(&mut self.redactor, &rendered);
            Ok(Some(RequestBody::Json(rendered)))
        } else if let Some(form) = &step.form {
            let pairs = self.render_pairs(form, "form field", scope, not_before)?;
            Ok(Some(RequestBody::Form(pairs)))
        } else if let Some(raw) = &step.body {
            let text = self
                .render_text(&raw.value, scope, not_before)
                .map_err(|e| (format!("in `body`: {e}"), SourceLocation::of(&scope.file, raw)))?;
            Ok(Some(RequestBody::Raw(text)))
        } else {
            Ok(None)
        }
    }

    /// Renders and parses a step's `timeout`, when it has one.
    fn render_timeout(
        &mut self,
        step: &Step,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Option<Duration>, BuildError> {
        let Some(node) = &step.timeout else {
            return Ok(None);
        };
        let at = || SourceLocation::of(&scope.file, node);
        let text = self
            .render_text(&node.value, scope, not_before)
            .map_err(|e| (format!("in `timeout`: {e}"), at()))?;
        let duration = humantime::parse_duration(text.trim()).map_err(|e| {
            (
                format!("`timeout` is `{text}`, which is not a duration ({e}); write e.g. 5s or 750ms"),
                at(),
            )
        })?;
        Ok(Some(duration))
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
fn as_strings(value: &Value) -> Vec<String> {
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
    }
}

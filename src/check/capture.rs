//! Evaluates one capture over a response: a JSONPath on the body, a header, a
//! cookie, the status, the whole body, optionally narrowed by a regex, with a
//! `default` standing in when the source holds nothing. Owns choosing the
//! source; reading each source and applying the regex live beside it.
//!
//! Must not render templates or redact: the caller renders the spec before and
//! redacts the error text after (excerpts here may hold secrets).

use serde_json::Value;

use crate::model::CaptureSpec;

use super::Response;
use super::capture_error::CaptureError;
use super::capture_regex::{compile, regex_group};
use super::capture_source::{cookie_value, header_value, jsonpath_value};
use super::display::body_excerpt;

/// Evaluates `spec` over `response`.
///
/// A `regex` narrows the source's text (the body when no other source is
/// named) to a group: `group`, or 1 when the regex has a group, else 0. The
/// `default` stands in when the source holds nothing (no node, header, cookie
/// or regex match, or an empty body), never when the spec itself is wrong.
///
/// # Errors
/// Returns [`CaptureError`] when the source matches nothing and no default is
/// given, or when the spec or the body cannot be used.
pub fn eval_capture(spec: &CaptureSpec, response: &Response) -> Result<Value, CaptureError> {
    match (capture_source(spec, response), &spec.default) {
        (Err(err), Some(default)) if err.is_nothing_found() => Ok(default.clone()),
        (Ok(None), Some(default)) => Ok(default.clone()),
        (Ok(None), None) => Err(CaptureError::NotJson {
            path: spec
                .jsonpath
                .as_ref()
                .map(|p| p.value.clone())
                .unwrap_or_default(),
            reason: "the body is empty".into(),
            excerpt: body_excerpt(""),
        }),
        (Ok(Some(value)), _) => Ok(value),
        (Err(err), _) => Err(err),
    }
}

/// Evaluates the source and regex; `Ok(None)` means an empty body under a JSONPath.
fn capture_source(spec: &CaptureSpec, response: &Response) -> Result<Option<Value>, CaptureError> {
    let mut named = Vec::new();
    spec.jsonpath.is_some().then(|| named.push("jsonpath"));
    spec.header.is_some().then(|| named.push("header"));
    spec.cookie.is_some().then(|| named.push("cookie"));
    (spec.status == Some(true)).then(|| named.push("status"));
    (spec.body == Some(true)).then(|| named.push("body"));
    let regex = spec.regex.as_ref().map(|r| compile(&r.value)).transpose()?;
    if named.is_empty() && regex.is_some() {
        named.push("body");
    }
    let (value, subject) = match named.as_slice() {
        ["jsonpath"] => {
            let path = spec
                .jsonpath
                .as_ref()
                .map(|p| p.value.as_str())
                .unwrap_or_default();
            match jsonpath_value(path, response)? {
                Some(value) => (value, format!("value of `{path}`")),
                None => return Ok(None),
            }
        }
        ["header"] => {
            let name = spec.header.as_ref().map(|h| h.value.as_str()).unwrap_or_default();
            let value = header_value(name, response)?;
            (Value::String(value), format!("header `{name}`"))
        }
        ["cookie"] => {
            let name = spec.cookie.as_ref().map(|c| c.value.as_str()).unwrap_or_default();
            let value = cookie_value(name, response)?;
            (Value::String(value), format!("cookie `{name}`"))
        }
        ["status"] => (Value::from(response.status), "status".to_owned()),
        ["body"] => (Value::String(response.text().into_owned()), "body".to_owned()),
        [] => return Err(CaptureError::Source("none".into())),
        several => return Err(CaptureError::Source(several.join(", "))),
    };
    match (regex, &spec.regex) {
        (Some(regex), Some(pattern)) => {
            let text = match &value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            regex_group(&regex, &pattern.value, spec.group, &text, &subject)
                .map(|found| Some(Value::String(found)))
        }
        _ => Ok(Some(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::fixtures::capture::{BODY, jsonpath, response, spanned};
    use serde_json::json;

    #[test]
    fn defaults_stand_in_when_nothing_is_found_only() {
        let with_default = |mut spec: CaptureSpec| {
            spec.default = Some(json!("fallback"));
            spec
        };
        let r = response(BODY);
        assert_eq!(
            eval_capture(&with_default(jsonpath("$.nope")), &r),
            Ok(json!("fallback"))
        );
        assert_eq!(
            eval_capture(&with_default(jsonpath("$.token")), &response("")),
            Ok(json!("fallback"))
        );
        let header = CaptureSpec {
            header: spanned("x-missing"),
            ..CaptureSpec::default()
        };
        assert_eq!(eval_capture(&with_default(header), &r), Ok(json!("fallback")));
        let several = with_default(jsonpath("$.results[*]"));
        assert!(matches!(
            eval_capture(&several, &r),
            Err(CaptureError::SeveralMatches { count: 4, .. })
        ));
        let html = eval_capture(&with_default(jsonpath("$.a")), &response("<p>"));
        assert!(matches!(html, Err(CaptureError::NotJson { .. })));
    }

    #[test]
    fn status_and_body_are_taken_whole() {
        let status = CaptureSpec {
            status: Some(true),
            ..CaptureSpec::default()
        };
        assert_eq!(eval_capture(&status, &response(BODY)), Ok(json!(200)));
        let body = CaptureSpec {
            body: Some(true),
            ..CaptureSpec::default()
        };
        assert_eq!(
            eval_capture(&body, &response("plain text")),
            Ok(json!("plain text"))
        );
    }

    #[test]
    fn inconsistent_specs_are_errors_not_guesses() {
        let both = CaptureSpec {
            jsonpath: spanned("$.a"),
            header: spanned("x"),
            ..CaptureSpec::default()
        };
        assert_eq!(
            eval_capture(&both, &response(BODY)).unwrap_err().to_string(),
            "a capture takes its value from exactly one of jsonpath, header, cookie, status or body; this one names jsonpath, header"
        );
        let none = CaptureSpec {
            status: Some(false),
            ..CaptureSpec::default()
        };
        assert_eq!(
            eval_capture(&none, &response(BODY)),
            Err(CaptureError::Source("none".into()))
        );
    }
}

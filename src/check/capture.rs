//! Evaluates one capture over a response: a JSONPath on the body, a header, a
//! cookie, the status, the whole body, optionally narrowed by a regex, with a
//! `default` standing in when the source holds nothing. Owns choosing the
//! source; reading each source and applying the regex live beside it.
//!
//! Must not render templates or redact: the caller renders the spec before and
//! redacts the error text after (excerpts here may hold secrets).

use serde_json::Value;

use crate::model::{CaptureSpec, parse_filters};

use super::actual::Actual;
use super::capture_error::CaptureError;
use super::capture_regex::{compile, regex_group};
use super::capture_source::{cookie_value, header_value, jsonpath_value};
use super::display::body_excerpt;
use super::filter::apply_filters;
use super::markup;
use super::{EvalContext, Response};

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
pub fn eval_capture(
    spec: &CaptureSpec,
    response: &Response,
    context: &EvalContext,
) -> Result<Value, CaptureError> {
    let found = capture_source(spec, response).and_then(|value| match value {
        Some(value) => filtered(spec, value, context),
        None => Ok(None),
    });
    match (found, &spec.default) {
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

/// Applies the spec's `filters` to the captured value.
fn filtered(spec: &CaptureSpec, value: Value, context: &EvalContext) -> Result<Option<Value>, CaptureError> {
    let Some(chain) = &spec.filters else {
        return Ok(Some(value));
    };
    let filters = parse_filters(&chain.value).map_err(|e| CaptureError::Filter(e.to_string()))?;
    match apply_filters(&filters, Actual::Json(value), context).0 {
        Ok(Actual::Json(value)) => Ok(Some(value)),
        Ok(Actual::Absent) => Err(CaptureError::FilteredToNothing),
        Ok(Actual::Bytes(_)) => Err(CaptureError::Filter(
            "the filters end on bytes that are not text; add `to_hex` or `base64_encode`".to_owned(),
        )),
        Err(failure) => Err(CaptureError::Filter(failure.to_string())),
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
    spec.xpath.is_some().then(|| named.push("xpath"));
    spec.css.is_some().then(|| named.push("css"));
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
        [kind @ ("xpath" | "css")] => {
            let query = spec
                .xpath
                .as_ref()
                .or(spec.css.as_ref())
                .map(|q| q.value.as_str())
                .unwrap_or_default();
            let selected = if *kind == "xpath" {
                markup::xpath(query, response)
            } else {
                markup::css(query, response)
            };
            match selected.map_err(CaptureError::Markup)? {
                Actual::Json(value) => (value, format!("{kind} `{query}`")),
                _ => {
                    return Err(CaptureError::MarkupNoMatch {
                        query: query.to_owned(),
                        excerpt: body_excerpt(&response.text()),
                    });
                }
            }
        }
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
    use crate::check::fixtures::capture::{BODY, eval_capture_at, jsonpath, response, spanned};
    use serde_json::json;

    #[test]
    fn defaults_stand_in_when_nothing_is_found_only() {
        let with_default = |mut spec: CaptureSpec| {
            spec.default = Some(json!("fallback"));
            spec
        };
        let r = response(BODY);
        assert_eq!(
            eval_capture_at(&with_default(jsonpath("$.nope")), &r),
            Ok(json!("fallback"))
        );
        assert_eq!(
            eval_capture_at(&with_default(jsonpath("$.token")), &response("")),
            Ok(json!("fallback"))
        );
        let header = CaptureSpec {
            header: spanned("x-missing"),
            ..CaptureSpec::default()
        };
        assert_eq!(eval_capture_at(&with_default(header), &r), Ok(json!("fallback")));
        let several = with_default(jsonpath("$.results[*]"));
        assert!(matches!(
            eval_capture_at(&several, &r),
            Err(CaptureError::SeveralMatches { count: 4, .. })
        ));
        let html = eval_capture_at(&with_default(jsonpath("$.a")), &response("<p>"));
        assert!(matches!(html, Err(CaptureError::NotJson { .. })));
    }

    #[test]
    fn status_and_body_are_taken_whole() {
        let status = CaptureSpec {
            status: Some(true),
            ..CaptureSpec::default()
        };
        assert_eq!(eval_capture_at(&status, &response(BODY)), Ok(json!(200)));
        let body = CaptureSpec {
            body: Some(true),
            ..CaptureSpec::default()
        };
        assert_eq!(
            eval_capture_at(&body, &response("plain text")),
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
            eval_capture_at(&both, &response(BODY)).unwrap_err().to_string(),
            "a capture takes its value from exactly one of jsonpath, header, cookie, status, body, xpath or css; this one names jsonpath, header"
        );
        let none = CaptureSpec {
            status: Some(false),
            ..CaptureSpec::default()
        };
        assert_eq!(
            eval_capture_at(&none, &response(BODY)),
            Err(CaptureError::Source("none".into()))
        );
    }

    #[test]
    fn filters_narrow_the_captured_value() {
        let spec = CaptureSpec {
            header: spanned("Location"),
            filters: Some(crate::model::Spanned::new(
                json!([{"split": "/"}, "last", {"split": "?"}, "first"]),
                serde_saphyr::Location::UNKNOWN,
                serde_saphyr::Location::UNKNOWN,
            )),
            ..CaptureSpec::default()
        };
        assert_eq!(eval_capture_at(&spec, &response(BODY)), Ok(json!("doc-42")));
        let mut broken = spec.clone();
        broken.filters.as_mut().unwrap().value = json!([{"nth": 9}]);
        assert_eq!(
            eval_capture_at(&broken, &response(BODY)).unwrap_err().to_string(),
            "filter `nth 9`: `nth` applies to lists; the value is string \"/api/v1/docs/doc-42?x=1\" (split a string first)"
        );
    }
}

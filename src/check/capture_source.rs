//! Reads the value a capture names from a response: one JSONPath node of the
//! body, a header, or a cookie set by `Set-Cookie`; each failure says what the
//! response holds instead.
//!
//! Must not choose among sources or apply regexes and defaults (the capture
//! itself does), render templates or redact.

use serde_json::Value;

use super::Response;
use super::capture_error::CaptureError;
use super::display::body_excerpt;

/// Selects exactly one node; `Ok(None)` when the body is empty.
pub(super) fn jsonpath_value(path: &str, response: &Response) -> Result<Option<Value>, CaptureError> {
    let query = super::cache::jsonpath(path)?;
    let text = response.text();
    if text.trim().is_empty() {
        return Ok(None);
    }
    let document = response.json().map_err(|reason| CaptureError::NotJson {
        path: path.to_owned(),
        reason: reason.to_owned(),
        excerpt: body_excerpt(&text),
    })?;
    let mut selection = query.select(document);
    match selection.len() {
        0 => Err(CaptureError::NoMatch {
            path: path.to_owned(),
            excerpt: body_excerpt(&text),
        }),
        1 => Ok(selection.nodes.pop().map(|(_, value)| value)),
        count => {
            let mut paths: Vec<&str> = selection.nodes.iter().take(3).map(|(p, _)| p.as_str()).collect();
            if count > paths.len() {
                paths.push("...");
            }
            Err(CaptureError::SeveralMatches {
                path: path.to_owned(),
                count,
                paths: paths.join(", "),
            })
        }
    }
}

/// Returns the first value of header `name`, found case-insensitively.
pub(super) fn header_value(name: &str, response: &Response) -> Result<String, CaptureError> {
    response
        .header(name)
        .map(str::to_owned)
        .ok_or_else(|| CaptureError::MissingHeader {
            name: name.to_owned(),
            present: list_or_none(response.header_names()),
        })
}

/// Returns the value of cookie `name`, as the last `Set-Cookie` naming it sets it.
pub(super) fn cookie_value(name: &str, response: &Response) -> Result<String, CaptureError> {
    let cookies: Vec<(&str, &str)> = response
        .header_values("set-cookie")
        .filter_map(cookie_pair)
        .collect();
    cookies
        .iter()
        .rev()
        .find(|(n, _)| *n == name)
        .map(|(_, value)| (*value).to_owned())
        .ok_or_else(|| {
            let mut names: Vec<&str> = Vec::new();
            for (n, _) in &cookies {
                if !names.contains(n) {
                    names.push(n);
                }
            }
            CaptureError::MissingCookie {
                name: name.to_owned(),
                present: list_or_none(names),
            }
        })
}

/// Splits `Set-Cookie: name=value; Path=/; HttpOnly` into `(name, value)`.
fn cookie_pair(header: &str) -> Option<(&str, &str)> {
    let pair = header.split(';').next()?;
    let (name, value) = pair.split_once('=')?;
    let name = name.trim();
    (!name.is_empty()).then(|| (name, value.trim()))
}

/// Joins names for an error, or says `none`.
fn list_or_none(names: Vec<&str>) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::cookie_pair;
    use crate::check::fixtures::capture::eval_capture_at as eval_capture;
    use crate::check::fixtures::capture::{BODY, jsonpath, response, spanned};
    use crate::check::{CaptureError, Response};
    use crate::model::CaptureSpec;
    use serde_json::json;

    #[test]
    fn captures_one_json_node_with_its_type() {
        assert_eq!(
            eval_capture(&jsonpath("$.token"), &response(BODY)),
            Ok(json!("tok-1"))
        );
        assert_eq!(eval_capture(&jsonpath("$.n"), &response(BODY)), Ok(json!(5)));
        assert_eq!(
            eval_capture(&jsonpath("$.results[?@.id=='d2']"), &response(BODY)),
            Ok(json!({"id": "d2"}))
        );
    }

    #[test]
    fn a_jsonpath_that_matches_nothing_shows_the_body() {
        let err = eval_capture(&jsonpath("$.tokn"), &response(r#"{"token":"x"}"#)).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"`$.tokn` matched nothing in the body: {"token":"x"}"#
        );
        let long = format!(r#"{{"pad":"{}"}}"#, "x".repeat(1000));
        let err = eval_capture(&jsonpath("$.tokn"), &response(&long)).unwrap_err();
        assert!(err.to_string().len() < 300, "{err}");
    }

    #[test]
    fn a_jsonpath_that_matches_several_nodes_suggests_narrowing() {
        let err = eval_capture(&jsonpath("$.results[*].id"), &response(BODY)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`$.results[*].id` matched 4 nodes ($['results'][0]['id'], $['results'][1]['id'], $['results'][2]['id'], ...), but a capture takes exactly one; pick one with an index (`[0]`) or a filter (`[?@.name=='value']`)"
        );
    }

    #[test]
    fn a_non_json_body_is_its_own_error() {
        let err = eval_capture(&jsonpath("$.token"), &response("<html>oops</html>")).unwrap_err();
        assert!(matches!(err, CaptureError::NotJson { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "`$.token` needs a JSON body, but the body is not JSON (expected value at line 1 column 1); it starts with: <html>oops</html>"
        );
        let err = eval_capture(&jsonpath("$.token"), &response("")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`$.token` needs a JSON body, but the body is not JSON (the body is empty); it starts with: (empty)"
        );
    }

    #[test]
    fn an_invalid_jsonpath_is_reported() {
        let err = eval_capture(&jsonpath("token"), &response(BODY)).unwrap_err();
        assert!(matches!(err, CaptureError::Query(_)));
        assert!(err.to_string().contains("did you mean `$.token`?"), "{err}");
    }

    #[test]
    fn headers_are_found_case_insensitively() {
        let spec = CaptureSpec {
            header: spanned("LOCATION"),
            ..CaptureSpec::default()
        };
        assert_eq!(
            eval_capture(&spec, &response(BODY)),
            Ok(json!("/api/v1/docs/doc-42?x=1"))
        );
        let missing = CaptureSpec {
            header: spanned("x-request-id"),
            ..CaptureSpec::default()
        };
        assert_eq!(
            eval_capture(&missing, &response(BODY)).unwrap_err().to_string(),
            "the response has no header `x-request-id` (it has: content-type, set-cookie, Location)"
        );
    }

    #[test]
    fn cookies_come_from_set_cookie_headers() {
        let spec = |name| CaptureSpec {
            cookie: spanned(name),
            ..CaptureSpec::default()
        };
        let r = response(BODY);
        assert_eq!(eval_capture(&spec("sid"), &r), Ok(json!("abc123")));
        assert_eq!(eval_capture(&spec("lang"), &r), Ok(json!("en")));
        assert_eq!(
            eval_capture(&spec("SID"), &r).unwrap_err().to_string(),
            "the response sets no cookie `SID` (it sets: sid, lang)"
        );
        let mut later = response(BODY);
        later
            .headers
            .push(("Set-Cookie".into(), "sid=; Max-Age=0".into()));
        assert_eq!(eval_capture(&spec("sid"), &later), Ok(json!("")));
        assert_eq!(cookie_pair(" a = b=c ; Path=/"), Some(("a", "b=c")));
        assert_eq!(cookie_pair("novalue"), None);
        assert_eq!(
            eval_capture(&spec("sid"), &Response::default())
                .unwrap_err()
                .to_string(),
            "the response sets no cookie `sid` (it sets: none)"
        );
    }
}

//! Evaluates one capture over a response: a JSONPath on the body, a header, a
//! cookie, the status, the whole body, optionally narrowed by a regex.
//!
//! Must not render templates or redact: the caller renders the spec before and
//! redacts the error text after (excerpts here may hold secrets).

use regex::Regex;
use serde_json::Value;

use crate::model::CaptureSpec;

use super::display::body_excerpt;
use super::{JsonPathQuery, QueryError, Response};

/// Explains why a capture produced no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    /// The spec names no source, or several.
    #[error(
        "a capture takes its value from exactly one of jsonpath, header, cookie, status or body; this one names {0}"
    )]
    Source(String),
    /// The JSONPath does not parse.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A JSONPath was given but the body is not JSON.
    #[error("`{path}` needs a JSON body, but the body is not JSON ({reason}); it starts with: {excerpt}")]
    NotJson {
        /// The JSONPath.
        path: String,
        /// What the JSON parser said.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The JSONPath selected nothing.
    #[error("`{path}` matched nothing in the body: {excerpt}")]
    NoMatch {
        /// The JSONPath.
        path: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The JSONPath selected several nodes.
    #[error(
        "`{path}` matched {count} nodes ({paths}), but a capture takes exactly one; pick one with an index (`[0]`) or a filter (`[?@.name=='value']`)"
    )]
    SeveralMatches {
        /// The JSONPath.
        path: String,
        /// How many nodes it selected.
        count: usize,
        /// The first normalized paths selected.
        paths: String,
    },
    /// The header is not in the response.
    #[error("the response has no header `{name}` (it has: {present})")]
    MissingHeader {
        /// The header asked for.
        name: String,
        /// The header names the response has.
        present: String,
    },
    /// No `Set-Cookie` header sets the cookie.
    #[error("the response sets no cookie `{name}` (it sets: {present})")]
    MissingCookie {
        /// The cookie asked for.
        name: String,
        /// The cookie names the response sets.
        present: String,
    },
    /// The regex does not compile.
    #[error("invalid regex `{pattern}`: {reason}")]
    InvalidRegex {
        /// The regex as written.
        pattern: String,
        /// What the regex compiler said.
        reason: String,
    },
    /// The regex has fewer groups than asked for.
    #[error("regex `{pattern}` has no group {group}; it has {groups} (group 0 is the whole match)")]
    NoSuchGroup {
        /// The regex as written.
        pattern: String,
        /// The group asked for.
        group: usize,
        /// How many groups it has, 0 included.
        groups: usize,
    },
    /// The regex does not match, or the group took no part in the match.
    #[error("regex `{pattern}` {outcome}: {excerpt}")]
    RegexNoMatch {
        /// The regex as written.
        pattern: String,
        /// What happened, naming what was searched: `matches nothing in the body`...
        outcome: String,
        /// The start of the text searched.
        excerpt: String,
    },
}

impl CaptureError {
    /// Tells whether the source simply held nothing, so a `default` may stand in.
    #[must_use]
    pub fn is_nothing_found(&self) -> bool {
        matches!(
            self,
            Self::NoMatch { .. }
                | Self::MissingHeader { .. }
                | Self::MissingCookie { .. }
                | Self::RegexNoMatch { .. }
        )
    }
}

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

/// Selects exactly one node; `Ok(None)` when the body is empty.
fn jsonpath_value(path: &str, response: &Response) -> Result<Option<Value>, CaptureError> {
    let query = JsonPathQuery::parse(path)?;
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

fn header_value(name: &str, response: &Response) -> Result<String, CaptureError> {
    response
        .header(name)
        .map(str::to_owned)
        .ok_or_else(|| CaptureError::MissingHeader {
            name: name.to_owned(),
            present: list_or_none(response.header_names()),
        })
}

/// Returns the value of cookie `name`, as the last `Set-Cookie` naming it sets it.
fn cookie_value(name: &str, response: &Response) -> Result<String, CaptureError> {
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

fn list_or_none(names: Vec<&str>) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

fn compile(pattern: &str) -> Result<Regex, CaptureError> {
    Regex::new(pattern).map_err(|e| CaptureError::InvalidRegex {
        pattern: pattern.to_owned(),
        reason: e.to_string(),
    })
}

fn regex_group(
    regex: &Regex,
    pattern: &str,
    group: Option<usize>,
    text: &str,
    subject: &str,
) -> Result<String, CaptureError> {
    let groups = regex.captures_len();
    let group = group.unwrap_or(if groups > 1 { 1 } else { 0 });
    if group >= groups {
        return Err(CaptureError::NoSuchGroup {
            pattern: pattern.to_owned(),
            group,
            groups,
        });
    }
    let no_match = |outcome: String| CaptureError::RegexNoMatch {
        pattern: pattern.to_owned(),
        outcome,
        excerpt: body_excerpt(text),
    };
    let captures = regex
        .captures(text)
        .ok_or_else(|| no_match(format!("matches nothing in the {subject}")))?;
    captures.get(group).map(|m| m.as_str().to_owned()).ok_or_else(|| {
        no_match(format!(
            "matches the {subject}, but its group {group} takes no part in the match"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Spanned;
    use serde_json::json;

    fn spanned(text: &str) -> Option<Spanned<String>> {
        let unknown = serde_saphyr::Location::UNKNOWN;
        Some(Spanned::new(text.to_owned(), unknown, unknown))
    }

    fn jsonpath(path: &str) -> CaptureSpec {
        CaptureSpec {
            jsonpath: spanned(path),
            ..CaptureSpec::default()
        }
    }

    fn response(body: &str) -> Response {
        Response {
            status: 200,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("set-cookie".into(), "sid=abc123; Path=/; HttpOnly".into()),
                ("set-cookie".into(), "lang=en".into()),
                ("Location".into(), "/api/v1/docs/doc-42?x=1".into()),
            ],
            body: body.as_bytes().to_vec(),
            ..Response::default()
        }
    }

    const BODY: &str =
        r#"{"token":"tok-1","results":[{"id":"d1"},{"id":"d2"},{"id":"d3"},{"id":"d4"}],"n":5}"#;

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
    fn regexes_take_group_one_when_there_is_one_else_the_match() {
        let on_header = |pattern: &str, group| CaptureSpec {
            header: spanned("location"),
            regex: spanned(pattern),
            group,
            ..CaptureSpec::default()
        };
        let r = response(BODY);
        assert_eq!(
            eval_capture(&on_header(r"docs/([\w-]+)", None), &r),
            Ok(json!("doc-42"))
        );
        assert_eq!(
            eval_capture(&on_header(r"doc-\d+", None), &r),
            Ok(json!("doc-42"))
        );
        assert_eq!(
            eval_capture(&on_header(r"docs/([\w-]+)", Some(0)), &r),
            Ok(json!("docs/doc-42"))
        );
        let on_body = CaptureSpec {
            regex: spanned(r#""token":"([^"]+)""#),
            ..CaptureSpec::default()
        };
        assert_eq!(eval_capture(&on_body, &r), Ok(json!("tok-1")));
    }

    #[test]
    fn regex_failures_say_what_was_searched() {
        let r = response("id=7");
        let spec = |pattern: &str, group| CaptureSpec {
            body: Some(true),
            regex: spanned(pattern),
            group,
            ..CaptureSpec::default()
        };
        assert_eq!(
            eval_capture(&spec(r"code=(\d+)", None), &r)
                .unwrap_err()
                .to_string(),
            r"regex `code=(\d+)` matches nothing in the body: id=7"
        );
        assert_eq!(
            eval_capture(&spec(r"id=(\d+)", Some(2)), &r)
                .unwrap_err()
                .to_string(),
            r"regex `id=(\d+)` has no group 2; it has 2 (group 0 is the whole match)"
        );
        assert_eq!(
            eval_capture(&spec(r"id=(x)?(\d)", Some(1)), &r)
                .unwrap_err()
                .to_string(),
            r"regex `id=(x)?(\d)` matches the body, but its group 1 takes no part in the match: id=7"
        );
        let err = eval_capture(&spec(r"id=(\d+", None), &r).unwrap_err();
        assert!(matches!(err, CaptureError::InvalidRegex { .. }), "{err:?}");
        assert!(err.to_string().starts_with(r"invalid regex `id=(\d+`: "), "{err}");
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

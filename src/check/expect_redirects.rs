//! Evaluates where the final response came from: `redirects:` (the hops
//! followed, as a list of `{status, url, location}` objects, empty when none
//! was), `url:` (the URL that gave the final response) and `version:` (its
//! HTTP version, `HTTP/1.1` or `HTTP/2`).
//!
//! Must not follow redirects (the request side records them), render
//! templates, or know other subjects.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::model::{SourceLocation, Spanned};

use super::Response;
use super::actual::Actual;
use super::evaluate::Evaluator;
use super::outcome::{AssertionResult, all_with_subject};

/// Evaluates `redirects:` on the chain of hops.
pub(super) fn eval_redirects(
    redirects: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, redirects);
    let hops: Vec<Value> = response
        .redirects
        .iter()
        .map(|hop| json!({"status": hop.status, "url": hop.url, "location": hop.location}))
        .collect();
    all_with_subject(
        eval.expectation(&redirects.value, Actual::Json(Value::Array(hops)), None),
        "redirects",
        &location,
    )
}

/// Evaluates `url:` on the final URL.
pub(super) fn eval_url(
    url: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, url);
    let actual = Actual::Json(Value::String(response.url.clone()));
    all_with_subject(eval.expectation(&url.value, actual, None), "url", &location)
}

/// Evaluates `version:` on the final response's HTTP version.
pub(super) fn eval_version(
    version: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, version);
    let actual = Actual::Json(Value::String(response.version.clone()));
    all_with_subject(
        eval.expectation(&version.value, actual, None),
        "version",
        &location,
    )
}

#[cfg(test)]
mod tests {
    use crate::check::Hop;
    use crate::check::fixtures::expect::{BODY, one, response};

    #[test]
    fn the_chain_of_hops_and_the_final_url_are_checked() {
        let mut r = response(BODY);
        r.url = "http://127.0.0.1:1/api/home".into();
        r.redirects = vec![
            Hop {
                status: 302,
                url: "http://127.0.0.1:1/api/old".into(),
                location: "/api/new".into(),
            },
            Hop {
                status: 301,
                url: "http://127.0.0.1:1/api/new".into(),
                location: "/api/home".into(),
            },
        ];
        assert!(one("redirects: { length: 2 }", &r).passed);
        assert!(
            one(
                "redirects: { filters: [first, { jsonpath: $.status }], equals: 302 }",
                &r
            )
            .passed
        );
        assert!(
            one(
                "redirects: { filters: [{ jsonpath: '$[*].location' }], equals: [/api/new, /api/home] }",
                &r
            )
            .passed
        );
        assert!(one("url: { ends_with: /api/home }", &r).passed);
        r.version = "HTTP/2".into();
        assert!(one("version: HTTP/2", &r).passed);
        assert!(!one("version: { not: HTTP/2 }", &r).passed);
        let none = one("redirects: { empty: true }", &response(BODY));
        assert!(none.passed);
    }
}

//! Evaluates an [`Expect`] over a response into one [`AssertionResult`] per
//! check, in a fixed order: status, headers, header values, cookies, body
//! paths, subset, schema, text, bytes, XPath, CSS, redirects, URL, version,
//! variables, response time. Owns the order, parsing the body once for every
//! JSON check, and the single-result subjects (subset, response time); each
//! other subject is evaluated in its own file.
//!
//! Failures are data: a bad operand, an invalid regex, a template that does
//! not render or a body that is not JSON become failed results with a
//! message, never errors or panics. Must not render templates itself (the
//! caller's callback does) nor redact (the caller does, after).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::model::{Expect, SourceLocation, Spanned};

use super::Response;
use super::display::{body_excerpt, show, typed};
use super::evaluate::{Evaluator, LookupVar};
use super::expect_body::eval_body_path;
use super::expect_cookies::eval_cookie;
use super::expect_headers::{eval_header, eval_header_values};
use super::expect_markup::{MarkupKind, eval_markup};
use super::expect_redirects::{eval_redirects, eval_url, eval_version};
use super::expect_schema::eval_schema;
use super::expect_status::eval_status;
use super::expect_text::{eval_bytes, eval_text};
use super::expect_vars::eval_var;
use super::outcome::{AssertionResult, broken};
use super::prepare::render_failure;
use super::subset::subset_divergence;

/// Evaluates every expectation of `expect` over `response`.
///
/// Returns the results in the order of the module doc. Operands go through
/// the evaluator's callback first; a render error fails that one result.
/// `vars` answers `expect.vars`.
#[must_use]
pub fn eval_expect(
    expect: &Expect,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
    vars: &LookupVar<'_>,
) -> Vec<AssertionResult> {
    let mut results = Vec::new();
    if let Some(status) = &expect.status {
        results.extend(eval_status(status, response, file, eval));
    }
    for (name, value) in &expect.headers {
        results.extend(eval_header(name, value, response, file, eval));
    }
    for (name, value) in &expect.header_values {
        results.extend(eval_header_values(name, value, response, file, eval));
    }
    for (name, value) in &expect.cookies {
        results.extend(eval_cookie(name, value, response, file, eval));
    }
    let needs_json = !expect.body.is_empty() || expect.subset.is_some() || expect.schema.is_some();
    let document = if needs_json {
        parse_body(response)
    } else {
        Err(String::new())
    };
    for (path, value) in &expect.body {
        results.extend(eval_body_path(path, value, &document, file, eval));
    }
    if let Some(subset) = &expect.subset {
        results.push(eval_subset(subset, &document, file, eval));
    }
    if let Some(schema) = &expect.schema {
        results.push(eval_schema(schema, &document, file, eval));
    }
    if let Some(text) = &expect.text {
        results.extend(eval_text(text, response, file, eval));
    }
    if let Some(bytes) = &expect.bytes {
        results.extend(eval_bytes(bytes, response, file, eval));
    }
    for (query, value) in &expect.xpath {
        results.extend(eval_markup(MarkupKind::XPath, query, value, response, file, eval));
    }
    for (query, value) in &expect.css {
        results.extend(eval_markup(MarkupKind::Css, query, value, response, file, eval));
    }
    if let Some(redirects) = &expect.redirects {
        results.extend(eval_redirects(redirects, response, file, eval));
    }
    if let Some(url) = &expect.url {
        results.extend(eval_url(url, response, file, eval));
    }
    if let Some(version) = &expect.version {
        results.extend(eval_version(version, response, file, eval));
    }
    for (name, value) in &expect.vars {
        results.extend(eval_var(name, value, vars, file, eval));
    }
    if let Some(max_time) = &expect.max_time {
        results.push(eval_max_time(max_time, response.elapsed, file, eval));
    }
    results
}

/// Parses the body for body expectations; the error is the full failure message.
fn parse_body(response: &Response) -> Result<&Value, String> {
    let text = response.text();
    if text.trim().is_empty() {
        return Err("body is not JSON: the body is empty".to_owned());
    }
    response.json().map_err(|reason| {
        format!(
            "body is not JSON: {reason}; it starts with: {}",
            body_excerpt(&text)
        )
    })
}

fn eval_subset(
    subset: &Spanned<Value>,
    document: &Result<&Value, String>,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> AssertionResult {
    let location = SourceLocation::of(file, subset);
    let subject = "body (subset)";
    let expected = match (eval.render)(&subset.value) {
        Ok(expected) => expected,
        Err(e) => {
            return broken(
                subject,
                "subset",
                show(&subset.value),
                render_failure(&e),
                &location,
            );
        }
    };
    let actual = match document {
        Ok(actual) => actual,
        Err(message) => return broken(subject, "subset", show(&expected), message.clone(), &location),
    };
    let divergence = subset_divergence(&expected, actual);
    let failed = divergence.is_some();
    AssertionResult {
        subject: subject.to_owned(),
        predicate: "subset".to_owned(),
        expected: show(&expected),
        actual: show(actual),
        passed: !failed,
        message: divergence.map(|d| format!("diverges at {}: {}", d.path, d.reason)),
        location,
        chain: Vec::new(),
        expected_value: if failed { typed(&expected) } else { None },
        actual_value: if failed { typed(actual) } else { None },
    }
}

fn eval_max_time(
    max_time: &Spanned<String>,
    elapsed: Duration,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> AssertionResult {
    let location = SourceLocation::of(file, max_time);
    let subject = "response time";
    let raw = Value::String(max_time.value.clone());
    let limit = match (eval.render)(&raw) {
        Ok(Value::String(text)) => text,
        Ok(other) => {
            return broken(
                subject,
                "<=",
                show(&other),
                "max_time expects a duration such as `500ms` or `2s`".to_owned(),
                &location,
            );
        }
        Err(e) => {
            return broken(
                subject,
                "<=",
                max_time.value.clone(),
                render_failure(&e),
                &location,
            );
        }
    };
    match humantime::parse_duration(limit.trim()) {
        Ok(max) => AssertionResult {
            subject: subject.to_owned(),
            predicate: "<=".to_owned(),
            expected: limit.trim().to_owned(),
            actual: show_duration(elapsed),
            passed: elapsed <= max,
            message: None,
            location,
            chain: Vec::new(),
            // A duration is no JSON value: the display strings say it.
            expected_value: None,
            actual_value: None,
        },
        Err(e) => broken(
            subject,
            "<=",
            limit.clone(),
            format!("invalid duration `{limit}`: {e}; write a duration such as `500ms` or `2s`"),
            &location,
        ),
    }
}

/// Shows a duration in whole milliseconds (microseconds below one).
fn show_duration(duration: Duration) -> String {
    if duration < Duration::from_millis(1) {
        format!("{}µs", duration.as_micros())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::fixtures::expect::{BODY, one, response, run};

    #[test]
    fn status_accepts_codes_classes_and_lists() {
        let r = response(BODY);
        let passed = one("status: 200", &r);
        assert!(passed.passed);
        assert_eq!(
            (
                passed.subject.as_str(),
                passed.expected.as_str(),
                passed.actual.as_str()
            ),
            ("status", "200", "200")
        );
        assert!(one("status: 2xx", &r).passed);
        let failed = one("status: [201, 4xx]", &r);
        assert!(!failed.passed);
        assert_eq!(failed.expected, "one of 201, 4xx");
        assert!(one("status: '{{ code }}'", &r).passed, "operands are rendered");
        let bad = one("status: ok", &r);
        assert!(!bad.passed);
        assert_eq!(
            bad.message.as_deref(),
            Some(
                "invalid status `\"ok\"`; write a code (200), a list ([200, 204]), a class (2xx) or predicates ({ not_equals: 500 })"
            )
        );
    }

    #[test]
    fn failures_keep_both_sides_as_values() {
        let r = response(BODY);
        let count = one("body:\n  $.count: { equals: 3 }", &r);
        assert_eq!(count.expected_value, Some(serde_json::json!(3)));
        assert_eq!(count.actual_value, Some(serde_json::json!(2)));
        let user = one("body:\n  $.user: { contains: { id: 8 } }", &r);
        assert_eq!(user.expected_value, Some(serde_json::json!({"id": 8})));
        assert_eq!(user.actual_value.unwrap()["type"], "admin");
        let status = one("status: 201", &r);
        assert_eq!(
            (status.expected_value, status.actual_value),
            (Some(serde_json::json!(201)), Some(serde_json::json!(200)))
        );
        let subset = one("subset: { user: { id: 8 } }", &r);
        assert_eq!(
            subset.expected_value,
            Some(serde_json::json!({"user": {"id": 8}}))
        );
        assert_eq!(subset.actual_value.unwrap()["count"], 2);
        let passed = one("body:\n  $.count: { equals: 2 }", &r);
        assert_eq!(
            (passed.expected_value, passed.actual_value),
            (None, None),
            "a pass keeps none"
        );
        let absent = one("body:\n  $.nothing: { equals: 1 }", &r);
        assert_eq!(
            (absent.expected_value, absent.actual_value),
            (Some(serde_json::json!(1)), None)
        );
        let filtered = one("body:\n  $.user.tags: { length: 3 }", &r);
        assert_eq!(
            filtered.expected_value, None,
            "length has inner predicates, not one operand"
        );
    }

    #[test]
    fn results_point_at_the_yaml() {
        let results = run(
            "status: 200\nheaders:\n  content-type: { contains: json }\nbody:\n  $.token: abc123",
            &response(BODY),
        );
        let lines: Vec<(u64, u64)> = results
            .iter()
            .map(|r| (r.location.line, r.location.column))
            .collect();
        assert_eq!(lines, [(5, 15), (7, 9), (9, 9)]);
        assert_eq!(results[2].location.to_string(), "t.yaml:9:9");
    }

    #[test]
    fn a_body_that_is_not_json_fails_each_body_check() {
        let r = response("<html>Service Unavailable</html>");
        let results = run(
            "body:\n  $.token: { type: string, exists: true }\nsubset: { a: 1 }",
            &r,
        );
        assert_eq!(results.len(), 3);
        assert!(results.iter().all(|a| !a.passed));
        assert_eq!(
            results[0].message.as_deref(),
            Some(
                "body is not JSON: expected value at line 1 column 1; it starts with: <html>Service Unavailable</html>"
            )
        );
        assert_eq!(results[2].subject, "body (subset)");
        let empty = one("body:\n  $.token: x", &response(""));
        assert_eq!(
            empty.message.as_deref(),
            Some("body is not JSON: the body is empty")
        );
    }

    #[test]
    fn max_time_bounds_the_elapsed_time() {
        let r = response(BODY);
        let fast = one("max_time: 500ms", &r);
        assert!(fast.passed);
        assert_eq!(
            (
                fast.subject.as_str(),
                fast.predicate.as_str(),
                fast.expected.as_str(),
                fast.actual.as_str()
            ),
            ("response time", "<=", "500ms", "120ms")
        );
        assert!(!one("max_time: 100ms", &r).passed);
        assert!(one("max_time: '{{ limit }}'", &r).passed);
        let bad = one("max_time: soon", &r);
        assert!(!bad.passed);
        assert!(bad.message.unwrap().starts_with("invalid duration `soon`: "));
        assert_eq!(show_duration(Duration::from_micros(250)), "250µs");
    }
}

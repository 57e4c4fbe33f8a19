//! Builds canned inputs for the unit tests of checks: expectations parsed from
//! YAML (with real spans), responses, and a stand-in template renderer for
//! expectations; capture specs and responses with headers and cookies for
//! captures.
//!
//! Test-only: must not be used outside unit tests, nor hold assertions.

/// Builds inputs for expectation tests.
pub(crate) mod expect {
    use std::path::Path;
    use std::sync::Arc;
    use std::time::Duration;

    use serde_json::{Value, json};

    use crate::model::Expect;
    use crate::model::load::parse_scenario;

    use crate::check::{AssertionResult, EvalContext, Evaluator, Response, eval_expect};

    /// Parses `expect_yaml` (the body of an `expect:` mapping) with real spans.
    pub(crate) fn expect(expect_yaml: &str) -> Expect {
        let indented: String = expect_yaml.lines().map(|l| format!("      {l}\n")).collect();
        let source = format!("name: t\nsteps:\n  - get: /x\n    expect:\n{indented}");
        let scenario = parse_scenario(Path::new("t.yaml"), &source).unwrap();
        scenario.steps[0].value.expect.clone().unwrap().value
    }

    /// Builds a JSON response with a content type and a length, received in 120ms.
    pub(crate) fn response(body: &str) -> Response {
        Response::new(
            200,
            vec![
                ("content-type".into(), "application/json; charset=utf-8".into()),
                ("content-length".into(), "42".into()),
            ],
            body.as_bytes().to_vec(),
            Duration::from_millis(120),
        )
    }

    /// Renders `"{{ name }}"` from a fixed set of variables, like the engine would.
    pub(crate) fn render(value: &Value) -> Result<Value, String> {
        match value.as_str() {
            Some("{{ code }}") => Ok(json!(200)),
            Some("{{ user }}") => Ok(json!({"type": "admin"})),
            Some("{{ limit }}") => Ok(json!("1s")),
            Some("{{ header }}") => Ok(json!("content-type")),
            Some("$.{{ field }}") => Ok(json!("$.token")),
            Some("{{ sep }}") => Ok(json!(",")),
            Some(s) if s.contains("{{") => {
                Err(format!("undefined value: `{}`", s.trim_matches(['{', '}', ' '])))
            }
            _ => Ok(value.clone()),
        }
    }

    /// Returns the variables `vars:` expectations see.
    pub(crate) fn var(name: &str) -> Option<Value> {
        match name {
            "token" => Some(json!("a".repeat(64))),
            "count" => Some(json!(2)),
            _ => None,
        }
    }

    /// Evaluates `expect_yaml` over `response`, rendering with [`render`].
    pub(crate) fn run(expect_yaml: &str, response: &Response) -> Vec<AssertionResult> {
        let context = EvalContext::default();
        let mut render = render;
        let mut eval = Evaluator {
            render: &mut render,
            context: &context,
        };
        eval_expect(
            &expect(expect_yaml),
            response,
            &Arc::new("t.yaml".into()),
            &mut eval,
            &var,
        )
    }

    /// Evaluates `expect_yaml`, which must yield exactly one result, and returns it.
    pub(crate) fn one(expect_yaml: &str, response: &Response) -> AssertionResult {
        let mut results = run(expect_yaml, response);
        assert_eq!(results.len(), 1, "{results:#?}");
        results.remove(0)
    }

    /// Holds a body with strings, numbers, arrays and nested objects.
    pub(crate) const BODY: &str = r#"{
        "token": "abc123", "count": 2, "ratio": 1.0, "name": "Žofie",
        "factors": [{"factor": "email", "unlocked": true}, {"factor": "totp", "unlocked": false}],
        "user": {"type": "admin", "id": 7, "tags": ["a", "b"]}
    }"#;
}

/// Builds inputs for capture tests.
pub(crate) mod capture {
    use serde_json::Value;

    use crate::check::{CaptureError, EvalContext, Response, eval_capture};
    use crate::model::{CaptureSpec, Spanned};

    /// Evaluates a capture with the default context.
    pub(crate) fn eval_capture_at(spec: &CaptureSpec, response: &Response) -> Result<Value, CaptureError> {
        eval_capture(spec, response, &EvalContext::default())
    }

    /// Returns `text` as a field value without a place in a file.
    pub(crate) fn spanned(text: &str) -> Option<Spanned<String>> {
        let unknown = serde_saphyr::Location::UNKNOWN;
        Some(Spanned::new(text.to_owned(), unknown, unknown))
    }

    /// Builds a capture of the JSONPath `path`.
    pub(crate) fn jsonpath(path: &str) -> CaptureSpec {
        CaptureSpec {
            jsonpath: spanned(path),
            ..CaptureSpec::default()
        }
    }

    /// Builds a response with a JSON content type, two cookies and a location.
    pub(crate) fn response(body: &str) -> Response {
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

    /// Holds a body with a token, four results and a number.
    pub(crate) const BODY: &str =
        r#"{"token":"tok-1","results":[{"id":"d1"},{"id":"d2"},{"id":"d3"},{"id":"d4"}],"n":5}"#;
}

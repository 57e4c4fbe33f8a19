//! Owns the diffs the HTML report shows: a failed expectation's expected
//! against actual (pretty JSON when both sides are values), and a snapshot's
//! unified diff, as lines tagged for colouring.
//!
//! Must not decide whether anything failed, nor escape HTML (the template does).

use serde::Serialize;
use similar::TextDiff;

use crate::engine::AssertionResult;

/// Holds one line of a diff and what it is: `del` (expected or stored),
/// `ins` (actual or new), `hunk` (`@@` header), `file` (`---`/`+++`) or `same`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct DiffLine {
    pub(super) kind: &'static str,
    pub(super) text: String,
}

/// Returns the diff from what `assertion` expected to what it got: both
/// typed sides pretty-printed when it kept them, else its display strings;
/// empty when one side is missing (an absent value, a broken predicate).
pub(super) fn failure_diff(assertion: &AssertionResult) -> Vec<DiffLine> {
    let (expected, actual) = match (&assertion.expected_value, &assertion.actual_value) {
        (Some(expected), Some(actual)) => (pretty(expected), pretty(actual)),
        _ if assertion.expected.is_empty() || assertion.actual.is_empty() => return Vec::new(),
        _ => (assertion.expected.clone(), assertion.actual.clone()),
    };
    let (expected, actual) = (expected + "\n", actual + "\n");
    let diff = TextDiff::from_lines(&expected, &actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string();
    unified_lines(&diff)
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// Tags each line of a unified diff.
pub(super) fn unified_lines(diff: &str) -> Vec<DiffLine> {
    diff.lines()
        .map(|text| DiffLine {
            kind: if text.starts_with("---") || text.starts_with("+++") {
                "file"
            } else if text.starts_with("@@") {
                "hunk"
            } else if text.starts_with('-') {
                "del"
            } else if text.starts_with('+') {
                "ins"
            } else {
                "same"
            },
            text: text.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceLocation;
    use serde_json::json;

    fn failed(expected: &str, actual: &str) -> AssertionResult {
        AssertionResult {
            subject: "body $.user".to_owned(),
            predicate: "equals".to_owned(),
            expected: expected.to_owned(),
            actual: actual.to_owned(),
            passed: false,
            message: None,
            location: SourceLocation::file_only(std::path::Path::new("t.yaml")),
            chain: Vec::new(),
            expected_value: None,
            actual_value: None,
        }
    }

    fn kinds(lines: &[DiffLine]) -> Vec<&str> {
        lines.iter().map(|line| line.kind).collect()
    }

    #[test]
    fn typed_sides_diff_as_pretty_json() {
        let assertion = AssertionResult {
            expected_value: Some(json!({"id": 8, "type": "admin"})),
            actual_value: Some(json!({"id": 7, "type": "admin"})),
            ..failed("{\"id\":8,\"type\":\"admin\"}", "{\"id\":7,\"type\":\"admin\"}")
        };
        let lines = failure_diff(&assertion);
        assert_eq!(
            kinds(&lines),
            ["file", "file", "hunk", "same", "del", "ins", "same", "same"]
        );
        assert_eq!(lines[4].text, "-  \"id\": 8,");
        assert_eq!(lines[5].text, "+  \"id\": 7,");
    }

    #[test]
    fn display_strings_diff_when_no_value_was_kept() {
        let lines = failure_diff(&failed("\"2xx\"", "500"));
        assert_eq!(kinds(&lines), ["file", "file", "hunk", "del", "ins"]);
        assert!(
            failure_diff(&failed("1", "")).is_empty(),
            "an absent side has no diff"
        );
    }

    #[test]
    fn unified_lines_are_tagged() {
        let lines = unified_lines("--- stored\n+++ new\n@@ -1 +1 @@\n a\n-b\n+c\n");
        assert_eq!(kinds(&lines), ["file", "file", "hunk", "same", "del", "ins"]);
    }
}

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

/// Bounds each pretty-printed side of a diff, in characters: a deeply nested
/// value within the typed limit can print far larger.
const SIDE_LIMIT: usize = 65_536;

/// Returns the diff from what `assertion` expected to what it got, both
/// typed sides pretty-printed; empty when it kept no typed sides (an absent
/// value, `type`, `length`, a broken predicate), as a diff of a description
/// against a value would mislead.
pub(super) fn failure_diff(assertion: &AssertionResult) -> Vec<DiffLine> {
    let (Some(expected), Some(actual)) = (&assertion.expected_value, &assertion.actual_value) else {
        return Vec::new();
    };
    let (expected, actual) = (pretty(expected) + "\n", pretty(actual) + "\n");
    let diff = TextDiff::from_lines(&expected, &actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string();
    unified_lines(&diff)
}

fn pretty(value: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    match text.char_indices().nth(SIDE_LIMIT) {
        Some((cut, _)) => format!("{}\n... (cut at {SIDE_LIMIT} characters)", &text[..cut]),
        None => text,
    }
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
    fn no_diff_without_both_typed_sides() {
        assert!(
            failure_diff(&failed("1", "(absent)")).is_empty(),
            "an absent value"
        );
        let length = AssertionResult {
            actual_value: Some(json!(["a", "b"])),
            ..failed("3", "[\"a\",\"b\"]")
        };
        assert!(failure_diff(&length).is_empty(), "`length: 3` against an array");
        let scalar = AssertionResult {
            expected_value: Some(json!(201)),
            actual_value: Some(json!(500)),
            ..failed("201", "500")
        };
        assert_eq!(
            kinds(&failure_diff(&scalar)),
            ["file", "file", "hunk", "del", "ins"]
        );
    }

    #[test]
    fn huge_sides_are_cut() {
        let deep = AssertionResult {
            expected_value: Some(json!("x".repeat(SIDE_LIMIT * 2))),
            actual_value: Some(json!("y")),
            ..failed("", "")
        };
        let lines = failure_diff(&deep);
        let longest = lines.iter().map(|l| l.text.chars().count()).max().unwrap();
        assert!(longest <= SIDE_LIMIT + 1, "{longest}");
        assert!(lines.iter().any(|l| l.text.contains("cut at 65536 characters")));
    }

    #[test]
    fn unified_lines_are_tagged() {
        let lines = unified_lines("--- stored\n+++ new\n@@ -1 +1 @@\n a\n-b\n+c\n");
        assert_eq!(kinds(&lines), ["file", "file", "hunk", "same", "del", "ins"]);
    }
}

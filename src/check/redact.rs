//! Replaces the values selected by JSONPaths, for snapshots: `$.token`,
//! `$.results[*].documentId`, `$..requestId`.
//!
//! Must not know about secrets (the [`crate::secret::Redactor`] hides known
//! values; this hides whole nodes by position) nor about snapshot files.

use serde_json::Value;

use super::JsonPathQuery;
use super::query::PathStep;

/// Marks a node hidden by [`redact_paths`].
pub const REDACTED: &str = "[redacted]";

/// Replaces every node `paths` select in `document` with `"[redacted]"`.
///
/// Returns how many nodes were replaced, so a caller can warn about a
/// redaction that selects nothing.
pub fn redact_paths(document: &mut Value, paths: &[JsonPathQuery]) -> usize {
    let marker = Value::String(REDACTED.to_owned());
    paths
        .iter()
        .map(|path| redact_path(document, path, &marker))
        .sum()
}

/// Replaces every node `path` selects in `document` with `replacement`, e.g.
/// `"[token]"` for a snapshot that says what was there.
///
/// Returns how many nodes were replaced. A node inside one already replaced
/// (`$..*` selects parents and children) is not counted twice.
pub fn redact_path(document: &mut Value, path: &JsonPathQuery, replacement: &Value) -> usize {
    let mut replaced = 0;
    let targets: Vec<Vec<PathStep>> = path
        .select_steps(document)
        .into_iter()
        .map(|(steps, _)| steps)
        .collect();
    for steps in targets {
        if let Some(node) = node_mut(document, &steps) {
            *node = replacement.clone();
            replaced += 1;
        }
    }
    replaced
}

/// Walks `steps` down from `document`; `None` when the node no longer exists.
fn node_mut<'a>(document: &'a mut Value, steps: &[PathStep]) -> Option<&'a mut Value> {
    steps.iter().try_fold(document, |node, step| match (node, step) {
        (Value::Object(map), PathStep::Name(name)) => map.get_mut(name),
        (Value::Array(items), PathStep::Index(index)) => items.get_mut(*index),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn queries(paths: &[&str]) -> Vec<JsonPathQuery> {
        paths.iter().map(|p| JsonPathQuery::parse(p).unwrap()).collect()
    }

    fn document() -> Value {
        json!({
            "token": "tok-1",
            "requestId": "r-0",
            "results": [
                {"documentId": "d1", "title": "First", "meta": {"requestId": "r-1"}},
                {"documentId": "d2", "title": "Second"}
            ],
            "count": 2
        })
    }

    #[test]
    fn redacts_names_wildcards_and_descendants() {
        let mut doc = document();
        let n = redact_paths(
            &mut doc,
            &queries(&["$.token", "$.results[*].documentId", "$..requestId"]),
        );
        assert_eq!(n, 5);
        assert_eq!(
            doc,
            json!({
                "token": "[redacted]",
                "requestId": "[redacted]",
                "results": [
                    {"documentId": "[redacted]", "title": "First", "meta": {"requestId": "[redacted]"}},
                    {"documentId": "[redacted]", "title": "Second"}
                ],
                "count": 2
            })
        );
    }

    #[test]
    fn redacts_with_a_chosen_label_and_counts_misses() {
        let mut doc = document();
        let token = JsonPathQuery::parse("$.token").unwrap();
        assert_eq!(redact_path(&mut doc, &token, &json!("[token]")), 1);
        assert_eq!(doc["token"], json!("[token]"));
        let missing = JsonPathQuery::parse("$.nothing").unwrap();
        assert_eq!(redact_path(&mut doc, &missing, &json!("[x]")), 0);
        assert_eq!(doc["count"], json!(2));
    }

    #[test]
    fn redacts_filters_odd_names_and_the_root() {
        let mut doc = json!({"it's": {"a b": [1, 2, 3]}, "rows": [{"k": "x", "v": 1}, {"k": "y", "v": 2}]});
        let n = redact_paths(
            &mut doc,
            &queries(&["$[\"it's\"]['a b'][-1]", "$.rows[?@.k=='y'].v"]),
        );
        assert_eq!(n, 2);
        assert_eq!(
            doc,
            json!({"it's": {"a b": [1, 2, "[redacted]"]}, "rows": [{"k": "x", "v": 1}, {"k": "y", "v": "[redacted]"}]})
        );
        let mut whole = json!({"a": 1});
        assert_eq!(redact_paths(&mut whole, &queries(&["$"])), 1);
        assert_eq!(whole, json!("[redacted]"));
    }

    #[test]
    fn nested_selections_replace_the_outer_node_once() {
        let mut doc = json!({"a": {"b": {"c": 1}}});
        assert_eq!(redact_paths(&mut doc, &queries(&["$..*"])), 1);
        assert_eq!(doc, json!({"a": "[redacted]"}));
    }
}

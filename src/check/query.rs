//! Wraps serde_json_path, the crate's only JSONPath engine (RFC 9535; it
//! passes the whole compliance suite, which `tests/jsonpath_cts.rs` runs).
//!
//! Owns parsing (turning the library's errors into a [`QueryError`]), the
//! singular-query test, and selection with normalized paths written as RFC
//! 9535 section 2.7 spells them; explaining mistakes and refusing
//! pathological paths live beside it. Must not know what a capture, an
//! expectation or a snapshot is.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;
use serde_json_path::{JsonPath, PathElement};

use super::display::shorten;
use super::query_explain::explain_at;
use super::query_hint::precheck;
use super::query_singular::is_singular_text;

/// Explains why a JSONPath does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSONPath `{}`: {reason}", shorten(.path, 80))]
pub struct QueryError {
    /// The path as written.
    pub path: String,
    /// What is wrong, with the column when known.
    pub reason: String,
    /// The 1-based column (in characters) where the problem is, when known.
    pub column: Option<usize>,
}

/// Holds a parsed RFC 9535 JSONPath; cheap to clone (the compiled query is shared).
#[derive(Debug, Clone)]
pub struct JsonPathQuery {
    text: Arc<str>,
    query: Arc<JsonPath>,
    singular: bool,
}

/// Lists the nodes a query selected, with their normalized paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// `(normalized path, value)` pairs, in the order RFC 9535 gives them.
    pub nodes: Vec<(String, Value)>,
}

impl Selection {
    /// Returns the selected values, without their paths.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.nodes.iter().map(|(_, value)| value)
    }

    /// Returns how many nodes were selected.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Tells whether nothing was selected.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

impl JsonPathQuery {
    /// Parses `path`.
    ///
    /// # Errors
    /// Returns [`QueryError`] when the path is not valid JSONPath, is longer
    /// than [`MAX_QUERY_CHARS`](super::query_hint::MAX_QUERY_CHARS) or nests deeper
    /// than [`MAX_QUERY_DEPTH`](super::query_hint::MAX_QUERY_DEPTH).
    pub fn parse(path: &str) -> Result<Self, QueryError> {
        let error = |reason: String, column: Option<usize>| QueryError {
            path: path.to_owned(),
            reason,
            column,
        };
        if let Some(problem) = precheck(path) {
            return Err(error(problem.reason, problem.column));
        }
        match JsonPath::parse(path) {
            Ok(query) => Ok(Self {
                text: path.into(),
                query: Arc::new(query),
                singular: is_singular_text(path),
            }),
            Err(e) => {
                let problem = explain_at(path, e.position(), e.message());
                Err(error(problem.reason, problem.column))
            }
        }
    }

    /// Returns the text of the query.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Tells whether the query can select at most one node (names and indexes only).
    #[must_use]
    pub fn is_singular(&self) -> bool {
        self.singular
    }

    /// Selects nodes in `document`.
    #[must_use]
    pub fn select(&self, document: &Value) -> Selection {
        Selection {
            nodes: self
                .select_steps(document)
                .into_iter()
                .map(|(steps, value)| (normalized_path(&steps), value.clone()))
                .collect(),
        }
    }

    /// Returns the selected nodes, each with the steps that lead to it from the root.
    pub(crate) fn select_steps<'a>(&self, document: &'a Value) -> Vec<(Vec<PathStep>, &'a Value)> {
        self.query
            .query_located(document)
            .into_iter()
            .map(|node| {
                let steps = node
                    .location()
                    .iter()
                    .map(|element| match element {
                        PathElement::Name(name) => PathStep::Name((*name).to_owned()),
                        PathElement::Index(index) => PathStep::Index(*index),
                    })
                    .collect();
                (steps, node.node())
            })
            .collect()
    }
}

impl fmt::Display for JsonPathQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Names one step of a normalized path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathStep {
    /// A member name.
    Name(String),
    /// An array index.
    Index(usize),
}

/// Writes `steps` as an RFC 9535 normalized path: `$['a'][0]`, names in
/// single quotes with `'` and `\` escaped and control characters as `\b`,
/// `\f`, `\n`, `\r`, `\t` or `\u00XX`.
pub(crate) fn normalized_path(steps: &[PathStep]) -> String {
    let mut out = String::from("$");
    for step in steps {
        match step {
            PathStep::Index(index) => out.push_str(&format!("[{index}]")),
            PathStep::Name(name) => {
                out.push_str("['");
                for c in name.chars() {
                    match c {
                        '\'' => out.push_str("\\'"),
                        '\\' => out.push_str("\\\\"),
                        '\u{8}' => out.push_str("\\b"),
                        '\u{c}' => out.push_str("\\f"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                        c => out.push(c),
                    }
                }
                out.push_str("']");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "token": "t",
            "results": [{"documentId": "d1", "n": 1}, {"documentId": "d2", "n": 2}],
            "factors": [{"factor": "email", "unlocked": true}, {"factor": "totp", "unlocked": false}],
            "odd key": {"it's": 1}
        })
    }

    #[test]
    fn selects_with_normalized_paths() {
        let q = JsonPathQuery::parse("$.results[*].documentId").unwrap();
        let got = q.select(&doc());
        assert_eq!(
            got.nodes,
            vec![
                ("$['results'][0]['documentId']".to_owned(), json!("d1")),
                ("$['results'][1]['documentId']".to_owned(), json!("d2")),
            ]
        );
        assert_eq!(got.len(), 2);
        let filtered = JsonPathQuery::parse("$.factors[?@.factor=='totp'].unlocked").unwrap();
        assert_eq!(
            filtered.select(&doc()).values().collect::<Vec<_>>(),
            [&json!(false)]
        );
        assert!(
            JsonPathQuery::parse("$.missing")
                .unwrap()
                .select(&doc())
                .is_empty()
        );
    }

    #[test]
    fn tells_singular_queries_apart() {
        for singular in ["$", "$.a.b[0]['c']", "$['odd key'][-1]", "$.token"] {
            assert!(
                JsonPathQuery::parse(singular).unwrap().is_singular(),
                "{singular}"
            );
        }
        for plural in [
            "$.a[*]",
            "$.a.*",
            "$.a[0:2]",
            "$.a[?@.x==1]",
            "$..id",
            "$.a[0,1]",
            "$['a','b']",
        ] {
            assert!(!JsonPathQuery::parse(plural).unwrap().is_singular(), "{plural}");
        }
    }

    #[test]
    fn normalized_paths_escape_names_as_rfc_9535_spells_them() {
        let q = JsonPathQuery::parse("$['odd key'][\"it's\"]").unwrap();
        assert_eq!(q.select(&doc()).nodes[0].0, "$['odd key']['it\\'s']");
        let document = doc();
        let steps = q.select_steps(&document);
        assert_eq!(
            steps[0].0,
            [PathStep::Name("odd key".into()), PathStep::Name("it's".into())]
        );
        let odd = [PathStep::Name("a\\b\n\t\u{1}".into()), PathStep::Index(3)];
        assert_eq!(normalized_path(&odd), "$['a\\\\b\\n\\t\\u0001'][3]");
        assert_eq!(normalized_path(&[]), "$");
    }

    #[test]
    fn descendant_selectors_keep_the_order_rfc_9535_gives() {
        let q = JsonPathQuery::parse("$..['a','d']").unwrap();
        let doc = json!([{"a": "b", "d": "e"}, {"a": "c", "d": "f"}]);
        let values: Vec<Value> = q.select(&doc).values().cloned().collect();
        assert_eq!(values, [json!("b"), json!("e"), json!("c"), json!("f")]);
    }
}

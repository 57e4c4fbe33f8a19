//! Wraps jsonpath-rust: the only user of it in the crate.
//!
//! Owns parsing (turning the library's errors into a [`QueryError`]),
//! selection with normalized paths, and the singular-query test; explaining
//! mistakes and refusing pathological paths live beside it. Must not know what
//! a capture, an expectation or a snapshot is.

use std::fmt;

use jsonpath_rust::parser::errors::JsonPathError;
use jsonpath_rust::parser::model::{JpQuery, Segment, Selector};
use jsonpath_rust::parser::parse_json_path;
use jsonpath_rust::query::js_path_process;
use serde_json::Value;

use super::display::shorten;
use super::query_hint::{explain_at, precheck};

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

/// Holds a parsed RFC 9535 JSONPath.
#[derive(Debug, Clone)]
pub struct JsonPathQuery {
    text: String,
    query: JpQuery,
}

/// Lists the nodes a query selected, with their normalized paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// `(normalized path, value)` pairs, in document order.
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
        match parse_json_path(path) {
            Ok(query) => Ok(Self {
                text: path.to_owned(),
                query,
            }),
            Err(JsonPathError::PestError(pest_error)) => {
                let offset = match pest_error.location {
                    pest::error::InputLocation::Pos(at) | pest::error::InputLocation::Span((at, _)) => at,
                };
                let problem = explain_at(path, offset);
                Err(error(problem.reason, problem.column))
            }
            Err(JsonPathError::MaxNestingDepthExceeded(depth)) => Err(error(
                format!("brackets and parentheses nest deeper than {depth} levels"),
                None,
            )),
            Err(other) => Err(error(other.to_string(), None)),
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
        self.query
            .segments
            .iter()
            .all(|segment| matches!(segment, Segment::Selector(Selector::Name(_) | Selector::Index(_))))
    }

    /// Selects nodes in `document`.
    #[must_use]
    pub fn select(&self, document: &Value) -> Selection {
        Selection {
            nodes: self
                .select_refs(document)
                .into_iter()
                .map(|(path, value)| (path, value.clone()))
                .collect(),
        }
    }

    /// Returns the normalized paths of the selected nodes, in document order.
    #[must_use]
    pub fn select_paths(&self, document: &Value) -> Vec<String> {
        self.select_refs(document)
            .into_iter()
            .map(|(path, _)| path)
            .collect()
    }

    fn select_refs<'a>(&self, document: &'a Value) -> Vec<(String, &'a Value)> {
        // Only a query whose result is a computed value (not nodes) errors here,
        // which a top-level query cannot produce; selecting nothing is the honest answer.
        js_path_process(&self.query, document)
            .map(|found| found.into_iter().map(|r| (r.path, r.val)).collect())
            .unwrap_or_default()
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

/// Splits a normalized path (`$['a'][0]`), as produced by [`JsonPathQuery::select`],
/// into steps; `None` when it is not one.
pub(crate) fn normalized_steps(path: &str) -> Option<Vec<PathStep>> {
    // The library's own parser unescapes names exactly as its normalized paths
    // escape them. Normalized paths nest one level only, so the guards in `parse`
    // are not needed (and their length limit would refuse deep documents).
    let query = parse_json_path(path).ok()?;
    query
        .segments
        .into_iter()
        .map(|segment| match segment {
            Segment::Selector(Selector::Name(name)) => Some(PathStep::Name(name)),
            Segment::Selector(Selector::Index(index)) => usize::try_from(index).ok().map(PathStep::Index),
            _ => None,
        })
        .collect()
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
    fn normalized_paths_split_back_into_steps() {
        let q = JsonPathQuery::parse("$['odd key'][\"it's\"]").unwrap();
        let paths = q.select_paths(&doc());
        assert_eq!(paths, ["$['odd key']['it\\'s']"]);
        assert_eq!(
            normalized_steps(&paths[0]),
            Some(vec![
                PathStep::Name("odd key".into()),
                PathStep::Name("it's".into())
            ])
        );
        assert_eq!(
            normalized_steps("$['a'][3]"),
            Some(vec![PathStep::Name("a".into()), PathStep::Index(3)])
        );
        assert_eq!(normalized_steps("$.a[*]"), None);
    }
}

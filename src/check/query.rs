//! Wraps jsonpath-rust: the only user of it in the crate.

/// Explains why a JSONPath does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSONPath `{path}`: {reason}")]
pub struct QueryError {
    /// The path as written.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// Holds a parsed RFC 9535 JSONPath.
#[derive(Debug, Clone)]
pub struct JsonPathQuery {
    text: String,
}

/// Lists the nodes a query selected, with their normalized paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// `(normalized path, value)` pairs, in document order.
    pub nodes: Vec<(String, serde_json::Value)>,
}

impl JsonPathQuery {
    /// Parses `path`.
    ///
    /// # Errors
    /// Returns [`QueryError`] when the path is not valid JSONPath.
    pub fn parse(path: &str) -> Result<Self, QueryError> {
        todo!("{path}")
    }

    /// Returns the text of the query.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Tells whether the query can select at most one node (names and indexes only).
    #[must_use]
    pub fn is_singular(&self) -> bool {
        todo!()
    }

    /// Selects nodes in `document`.
    #[must_use]
    pub fn select(&self, document: &serde_json::Value) -> Selection {
        todo!("{document}")
    }
}

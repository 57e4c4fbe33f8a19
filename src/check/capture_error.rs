//! Owns [`CaptureError`]: every way a capture can fail to produce a value,
//! worded for the author, and which of them a `default` may stand in for.
//!
//! Plain data: must not evaluate captures, read responses, or redact (the
//! caller redacts the text, whose excerpts may hold secrets).

use super::QueryError;

/// Explains why a capture produced no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    /// The spec names no source, or several.
    #[error(
        "a capture takes its value from exactly one of jsonpath, header, cookie, status, body, xpath or css; this one names {0}"
    )]
    Source(String),
    /// A filter could not be applied, or the chain is malformed.
    #[error("{0}")]
    Filter(String),
    /// The filters selected nothing (a `jsonpath` filter found no node).
    #[error("the filters left nothing to capture")]
    FilteredToNothing,
    /// An XPath or CSS query does not parse, or the body is not markup.
    #[error("{0}")]
    Markup(String),
    /// An XPath or CSS query selected nothing.
    #[error("`{query}` matched nothing in the body: {excerpt}")]
    MarkupNoMatch {
        /// The query.
        query: String,
        /// The start of the body.
        excerpt: String,
    },
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
                | Self::FilteredToNothing
                | Self::MarkupNoMatch { .. }
        )
    }
}

//! Owns [`PredicateError`], every way an authored expectation (predicates,
//! filters, status) can fail to parse, and the short forms of values its
//! messages quote.
//!
//! Plain data: must not parse expectations itself.

use serde_json::Value;

/// Explains why an expectation could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PredicateError {
    /// A mapping mixes predicate keys with other keys.
    #[error(
        "this mapping mixes predicates ({predicates}) with plain keys ({plain}){hint}; to compare with a literal object, write `equals: {{...}}`"
    )]
    Mixed {
        /// The predicate keys found.
        predicates: String,
        /// The other keys found.
        plain: String,
        /// A "did you mean" for a plain key close to a predicate, or nothing.
        hint: String,
    },
    /// A predicate got an operand of the wrong kind.
    #[error("`{key}` expects {expected}, found {found}")]
    BadOperand {
        /// The predicate key.
        key: String,
        /// What it accepts.
        expected: &'static str,
        /// What was written.
        found: String,
    },
    /// `type:` names no JSON type.
    #[error(
        "unknown type `{0}`; expected one of string, number, integer, float, boolean, array, object, null{1}"
    )]
    UnknownType(String, String),
    /// `format:` names no known format.
    #[error("unknown format `{0}`; expected one of uuid, iso_date, date_time, email, ipv4, ipv6, url{1}")]
    UnknownFormat(String, String),
    /// A status expectation is not a code, a list of codes or a class.
    #[error(
        "invalid status `{0}`; write a code (200), a list ([200, 204]), a class (2xx) or predicates ({{ not_equals: 500 }})"
    )]
    BadStatus(String),
    /// A filter chain is malformed (unknown name, bad argument).
    #[error("{0}")]
    BadFilter(String),
    /// Filters are written without a predicate to test their result.
    #[error("`filters` need a predicate after them, e.g. `{{ filters: [count], equals: 2 }}`")]
    FiltersAlone,
}

impl PredicateError {
    /// Says how to fix this error, when that is more specific than the list of predicates.
    #[must_use]
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Self::BadOperand { key, .. } if key == "length" => Some(
                "a length counts items or characters: write `length: 0` or more, or predicates such as `length: { \">\": 0 }`",
            ),
            _ => None,
        }
    }
}

/// Shortens a value to 40 characters for messages.
pub(super) fn describe(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// Tells whether a value is a string holding a template.
pub(super) fn is_template(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.contains("{{"))
}

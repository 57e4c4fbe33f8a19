//! Parses status expectations: a code (`200`), a class (`2xx`) or a list of
//! those, into a [`StatusExpect`]; a mapping of predicates
//! (`{ not_equals: 200 }`) is parsed with the other predicates.
//!
//! Pure: must not read responses nor evaluate predicates.

use std::fmt;

use serde_json::Value;

use super::predicate_error::{PredicateError, describe};

/// Describes the accepted status codes of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusExpect {
    /// Exactly this code.
    Code(u16),
    /// Any code of this class: `2` for `2xx`.
    Class(u8),
    /// Any of these.
    AnyOf(Vec<StatusExpect>),
}

impl StatusExpect {
    /// Parses `200`, `"200"`, `"2xx"` or a list of those.
    ///
    /// # Errors
    /// Returns [`PredicateError::BadStatus`] for anything else.
    pub fn parse(value: &Value) -> Result<Self, PredicateError> {
        let bad = || PredicateError::BadStatus(describe(value));
        match value {
            Value::Number(n) => n
                .as_u64()
                .filter(|c| (100..=599).contains(c))
                .map(|c| Self::Code(c as u16))
                .ok_or_else(bad),
            Value::String(s) => {
                let s = s.trim();
                if let Ok(code) = s.parse::<u16>() {
                    return if (100..=599).contains(&code) {
                        Ok(Self::Code(code))
                    } else {
                        Err(bad())
                    };
                }
                let lower = s.to_ascii_lowercase();
                match lower.as_bytes() {
                    [d @ b'1'..=b'5', b'x', b'x'] => Ok(Self::Class(d - b'0')),
                    _ => Err(bad()),
                }
            }
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(Self::parse)
                .collect::<Result<_, _>>()
                .map(Self::AnyOf),
            _ => Err(bad()),
        }
    }

    /// Tells whether `code` is accepted.
    #[must_use]
    pub fn accepts(&self, code: u16) -> bool {
        match self {
            Self::Code(c) => *c == code,
            Self::Class(class) => code / 100 == u16::from(*class),
            Self::AnyOf(all) => all.iter().any(|s| s.accepts(code)),
        }
    }
}

impl fmt::Display for StatusExpect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Code(c) => write!(f, "{c}"),
            Self::Class(c) => write!(f, "{c}xx"),
            Self::AnyOf(all) => {
                let parts: Vec<String> = all.iter().map(ToString::to_string).collect();
                write!(f, "one of {}", parts.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_accepts_codes_lists_and_classes() {
        assert!(StatusExpect::parse(&json!(200)).unwrap().accepts(200));
        assert!(StatusExpect::parse(&json!("2xx")).unwrap().accepts(204));
        assert!(!StatusExpect::parse(&json!("2XX")).unwrap().accepts(301));
        let any = StatusExpect::parse(&json!([200, "4xx"])).unwrap();
        assert!(any.accepts(404) && !any.accepts(500));
        assert_eq!(any.to_string(), "one of 200, 4xx");
        assert!(StatusExpect::parse(&json!(999)).is_err());
        assert!(StatusExpect::parse(&json!("ok")).is_err());
    }
}

//! Owns [`Actual`], what a predicate tests: nothing (absent), a JSON value,
//! or raw bytes (a body read as bytes), and how it is shown.
//!
//! Plain data: must not evaluate predicates or filters.

use serde_json::Value;

use super::display::{DISPLAY_LIMIT, shorten, show};

/// Stands for a value that is not there, in the `actual` column.
pub(super) const ABSENT: &str = "(absent)";

/// Holds the value a predicate or filter works on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Actual {
    /// The subject holds nothing (no node, header, cookie, variable).
    Absent,
    /// A JSON value (a body node, a header's text, a variable).
    Json(Value),
    /// Raw bytes (the body under `bytes:`), before any decoding.
    Bytes(Vec<u8>),
}

impl Actual {
    /// Wraps an optional JSON value.
    pub(crate) fn from_option(value: Option<Value>) -> Self {
        value.map_or(Self::Absent, Self::Json)
    }

    /// Returns the JSON value, if that is what this is.
    pub(crate) fn json(&self) -> Option<&Value> {
        match self {
            Self::Json(value) => Some(value),
            _ => None,
        }
    }

    /// Returns the bytes a digest or byte comparison reads: bytes as they
    /// are, a string's UTF-8; `None` for other values.
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        match self {
            Self::Bytes(bytes) => Some(bytes),
            Self::Json(Value::String(text)) => Some(text.as_bytes()),
            _ => None,
        }
    }

    /// Shows the value for the `actual` column: JSON compactly, bytes by
    /// their length and first bytes in hex.
    pub(crate) fn show(&self) -> String {
        match self {
            Self::Absent => ABSENT.to_owned(),
            Self::Json(value) => show(value),
            Self::Bytes(bytes) => {
                let hex: String = bytes.iter().take(32).map(|b| format!("{b:02x}")).collect();
                let more = if bytes.len() > 32 { "..." } else { "" };
                shorten(&format!("{} bytes: {hex}{more}", bytes.len()), DISPLAY_LIMIT)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shows_absent_json_and_bytes() {
        assert_eq!(Actual::Absent.show(), "(absent)");
        assert_eq!(Actual::Json(json!("a")).show(), "\"a\"");
        assert_eq!(Actual::Bytes(vec![0x89, 0x50]).show(), "2 bytes: 8950");
        assert!(Actual::Bytes(vec![0; 40]).show().ends_with("..."));
        assert_eq!(Actual::Json(json!("hé")).bytes(), Some("hé".as_bytes()));
        assert_eq!(Actual::Json(json!(1)).bytes(), None);
    }
}

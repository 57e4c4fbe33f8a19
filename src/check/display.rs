//! Shortens values and texts for display in assertion results and errors.
//!
//! Display only: nothing here decides whether a check passes. Must not
//! evaluate checks, redact, or print.

use serde_json::Value;

use crate::model::JsonType;

/// Bounds every value or excerpt shown to a user, in characters.
pub const DISPLAY_LIMIT: usize = 200;

/// Returns `text` cut to at most `limit` characters, with `...` marking a cut.
///
/// Cuts on character boundaries, so multi-byte characters are never split.
#[must_use]
pub fn shorten(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}...", &text[..cut]),
    }
}

/// Returns `value` as compact JSON text (strings quoted), shortened.
#[must_use]
pub fn show(value: &Value) -> String {
    shorten(&value.to_string(), DISPLAY_LIMIT)
}

/// Returns `value` prefixed with its JSON type, e.g. `integer 5`, for type errors.
#[must_use]
pub fn show_typed(value: &Value) -> String {
    format!("{} {}", JsonType::name_of(value), show(value))
}

/// Returns the start of a body for error messages, or `(empty)` when there is none.
#[must_use]
pub fn body_excerpt(text: &str) -> String {
    if text.trim().is_empty() {
        "(empty)".to_owned()
    } else {
        shorten(text, DISPLAY_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shortens_on_character_boundaries() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "abc...");
        assert_eq!(shorten("žluťoučký", 4), "žluť...");
        assert_eq!(shorten("😀😀😀", 1), "😀...");
        assert_eq!(shorten("", 0), "");
    }

    #[test]
    fn shows_compact_json() {
        assert_eq!(show(&json!("a")), "\"a\"");
        assert_eq!(show(&json!({"a": [1, 2]})), "{\"a\":[1,2]}");
        assert_eq!(show_typed(&json!(5)), "integer 5");
        let long = show(&json!("x".repeat(500)));
        assert_eq!(long.chars().count(), DISPLAY_LIMIT + 3);
        assert!(long.ends_with("..."));
    }

    #[test]
    fn excerpts_say_when_the_body_is_empty() {
        assert_eq!(body_excerpt("  \n"), "(empty)");
        assert_eq!(body_excerpt("<html>"), "<html>");
    }
}

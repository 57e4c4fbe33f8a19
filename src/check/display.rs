//! Shortens values and texts for display in assertion results and errors,
//! and bounds the typed sides a failed expectation keeps.
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

/// Bounds the typed sides a failure keeps, in bytes of compact JSON (about):
/// enough for a whole API response, not a download.
pub const TYPED_LIMIT: usize = 64 * 1024;

/// Returns a copy of `value` for a typed side, or `None` when it is larger
/// than [`TYPED_LIMIT`]; stops measuring as soon as the budget is spent.
pub(crate) fn typed(value: &Value) -> Option<Value> {
    fn spend(value: &Value, budget: &mut usize) -> bool {
        let cost = match value {
            Value::String(text) => text.len() + 2,
            Value::Number(number) => number.as_str().len(),
            Value::Object(map) => map.keys().map(|key| key.len() + 4).sum::<usize>() + 2,
            Value::Array(items) => items.len() + 2,
            Value::Bool(_) | Value::Null => 5,
        };
        if cost > *budget {
            return false;
        }
        *budget -= cost;
        match value {
            Value::Object(map) => map.values().all(|v| spend(v, budget)),
            Value::Array(items) => items.iter().all(|v| spend(v, budget)),
            _ => true,
        }
    }
    let mut budget = TYPED_LIMIT;
    spend(value, &mut budget).then(|| value.clone())
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

    #[test]
    fn typed_sides_keep_values_up_to_the_limit() {
        let small = json!({"token": "abc", "ids": [1, 2.5, null, true]});
        assert_eq!(typed(&small), Some(small.clone()));
        let large = json!({"items": vec!["x".repeat(1000); 100]});
        assert_eq!(typed(&large), None);
        let wide = Value::Array(vec![json!(1); TYPED_LIMIT]);
        assert_eq!(typed(&wide), None);
    }
}

//! Finds the `take("pool")` calls a template writes, without rendering it, so
//! a run can reserve every value it will need before anything is sent.
//!
//! Pure text scanning. Must not render, nor know where pools come from.

/// Describes one `take(...)` call written in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakeCall {
    /// `take("name")`: the pool is named by a quoted literal.
    Named(String),
    /// `take(some_variable)`: the pool is only known when rendering.
    Dynamic,
}

/// Lists the `take(...)` calls inside the `{{ }}` and `{% %}` blocks of
/// `text`, in order.
#[must_use]
pub fn pool_takes(text: &str) -> Vec<TakeCall> {
    let mut calls = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{']) {
        let after = &rest[open..];
        let close = if after.starts_with("{{") {
            "}}"
        } else if after.starts_with("{%") {
            "%}"
        } else {
            rest = &after[1..];
            continue;
        };
        let body_end = after[2..].find(close).map_or(after.len(), |e| e + 2);
        calls.extend(calls_in(&after[2..body_end]));
        rest = &after[(body_end + close.len()).min(after.len())..];
    }
    calls
}

/// Lists the `take(...)` calls of one expression or statement body.
fn calls_in(body: &str) -> Vec<TakeCall> {
    let bytes = body.as_bytes();
    let mut calls = Vec::new();
    let mut from = 0;
    while let Some(found) = body[from..].find("take") {
        let at = from + found;
        from = at + 4;
        let word_start = at == 0 || !is_identifier(bytes[at - 1]) && bytes[at - 1] != b'.';
        let word_end = bytes.get(at + 4).is_none_or(|b| !is_identifier(*b));
        if !(word_start && word_end) {
            continue;
        }
        let rest = body[at + 4..].trim_start();
        let Some(arguments) = rest.strip_prefix('(') else {
            continue;
        };
        calls.push(literal_name(arguments.trim_start()).map_or(TakeCall::Dynamic, TakeCall::Named));
    }
    calls
}

/// Reads `"name")` or `'name')` at the start of `text`.
fn literal_name(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &text[1..];
    let end = inner.find(quote)?;
    let name = &inner[..end];
    let after = inner[end + 1..].trim_start();
    (after.starts_with(')') && !name.is_empty() && !name.contains('\\')).then(|| name.to_owned())
}

fn is_identifier(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> TakeCall {
        TakeCall::Named(name.to_owned())
    }

    #[test]
    fn finds_literal_and_dynamic_calls_inside_blocks_only() {
        assert_eq!(
            pool_takes("{{ take('recovery_codes') }}"),
            [named("recovery_codes")]
        );
        assert_eq!(
            pool_takes(r#"a {{ take( "x" ) }} b {% set c = take(pool) %} take('not a call')"#),
            [named("x"), TakeCall::Dynamic]
        );
        assert_eq!(
            pool_takes("{{ take('a') ~ take('a') }}"),
            [named("a"), named("a")]
        );
    }

    #[test]
    fn ignores_other_names_and_methods() {
        assert!(pool_takes("{{ retake('x') }} {{ takes('y') }} {{ items.take('z') }}").is_empty());
        assert!(pool_takes("{{ take }}").is_empty());
        assert!(pool_takes("no template here: take('x')").is_empty());
        assert_eq!(pool_takes("{{ take('a' ~ b) }}"), [TakeCall::Dynamic]);
    }
}

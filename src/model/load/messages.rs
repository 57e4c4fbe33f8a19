//! Words the problems that the typed parse and the shape walk both find (an
//! unknown or missing key, a value of the wrong kind, a bad duration, an
//! empty file), and reads the bits of a source line those messages quote, so
//! a file reads the same whichever pass found its problem.
//!
//! Must not parse YAML or decide what is a problem: callers pass in what they
//! found. Must not print.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use crate::model::SourceLocation;
use crate::model::diag::{Diagnostic, did_you_mean};

/// Explains a file with nothing to parse.
pub(super) fn empty_file(file: &Arc<PathBuf>) -> Diagnostic {
    Diagnostic::error("the file is empty", SourceLocation::file_only(file))
        .with_help("a scenario needs at least `name:` and `steps:`; delete the file if it is not used")
}

/// Returns the mapping key written just before `column` on `line`, if any
/// (`retry: { attempts: many }` at `many` gives `attempts`).
pub(super) fn key_before(line: &str, column: u64) -> Option<String> {
    let cut = line
        .char_indices()
        .nth(usize::try_from(column.saturating_sub(1)).ok()?)
        .map_or(line.len(), |(i, _)| i);
    let before = line[..cut].trim_end().strip_suffix(':')?;
    let key: String = before
        .chars()
        .rev()
        .take_while(|c| !matches!(c, ' ' | '{' | ',' | '-' | '[' | '"' | '\''))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!key.is_empty()).then_some(key)
}

/// Returns "`key`: " to start a message about the value under `key`.
pub(super) fn key_prefix(key: Option<&str>) -> String {
    key.map(|k| format!("`{k}`: ")).unwrap_or_default()
}

/// Returns the scalar written at `column`, up to a flow delimiter or comment.
pub(super) fn token_at(line: &str, column: u64) -> Option<String> {
    let start = line
        .char_indices()
        .nth(usize::try_from(column.saturating_sub(1)).ok()?)?
        .0;
    let rest = &line[start..];
    let end = rest.find([',', '}', ']', '#']).unwrap_or(rest.len());
    let token = rest[..end].trim();
    if token.is_empty() {
        return None;
    }
    Some(if token.chars().count() > 40 {
        format!("{}...", token.chars().take(40).collect::<String>())
    } else {
        token.to_owned()
    })
}

/// Words a whole number too large for its field (`attempts: 1000000000000`),
/// naming the largest accepted value; `None` when `found` is not such a number.
pub(super) fn too_large(key: Option<&str>, ty: &str, found: &str) -> Option<(String, String)> {
    let max: u128 = match ty {
        "u8" => u8::MAX.into(),
        "u16" => u16::MAX.into(),
        "u32" => u32::MAX.into(),
        "u64" | "usize" => u64::MAX.into(),
        "i32" => i32::MAX.unsigned_abs().into(),
        "i64" | "isize" => i64::MAX.unsigned_abs().into(),
        _ => return None,
    };
    let digits = found.trim().trim_start_matches('+');
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let larger = digits.parse::<u128>().map_or(true, |n| n > max);
    larger.then(|| {
        (
            format!(
                "{}{digits} is too large; the largest accepted value is {max}",
                key_prefix(key)
            ),
            format!("write a whole number from 0 to {max}"),
        )
    })
}

/// Names the kind a Rust scalar type stands for, with the hint to write one.
pub(super) fn scalar_kind(ty: &str) -> (Cow<'static, str>, &'static str) {
    match ty {
        "u8" | "u16" | "u32" | "u64" | "usize" => (
            Cow::Borrowed("a whole number (0 or more)"),
            "write digits only, without quotes or units",
        ),
        "i8" | "i16" | "i32" | "i64" | "isize" => (
            Cow::Borrowed("a whole number"),
            "write digits only, without quotes or units",
        ),
        "f32" | "f64" => (Cow::Borrowed("a number"), "write a number such as `2` or `1.5`"),
        "bool" => (Cow::Borrowed("`true` or `false`"), "write `true` or `false`"),
        other => (Cow::Owned(format!("a value of type {other}")), "change the value"),
    }
}

/// Names the kind of node serde expected, with the hint to write one.
pub(super) fn structure_kind(expected: &str) -> (&'static str, &'static str) {
    if expected.contains("sequence") {
        (
            "a list",
            "write a list: one `- item` per line, or `[a, b]` on one line",
        )
    } else if expected.contains("mapping") {
        (
            "a mapping",
            "write `key: value` pairs, indented under their parent",
        )
    } else if expected.contains("string") || expected.contains("scalar") {
        (
            "a single value (a string)",
            "write a plain value; quote it if it contains `{`, `[` or `: `",
        )
    } else {
        (
            "something else here",
            "check the value against the scenario format",
        )
    }
}

/// Names the part of the format a list of valid keys belongs to.
fn key_context(expected: &[&str]) -> &'static str {
    let has = |k: &str| expected.contains(&k);
    if has("steps") {
        "at the top of the scenario"
    } else if has("follow_redirects") {
        "in a step"
    } else if has("max_time") {
        "in `expect`"
    } else if has("jsonpath") {
        "in a capture"
    } else if has("attempts") {
        "in `retry`"
    } else if has("include") {
        "in `snapshot`"
    } else if has("redact") {
        "in the scenario's `snapshot`"
    } else if has("default") {
        "in an input declaration"
    } else if has("prompt") {
        "in `ask`"
    } else {
        "here"
    }
}

/// Explains an unknown key: where it sits, the closest valid key, and all of them.
pub(super) fn unknown_key(at: SourceLocation, field: &str, expected: &[&str]) -> Diagnostic {
    let context = key_context(expected);
    let mut diagnostic = Diagnostic::error(format!("unknown key `{field}` {context}"), at)
        .with_span_len(field.chars().count())
        .with_label("unknown key");
    if let Some(suggestion) = did_you_mean(field, expected.iter().copied()) {
        diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}`?"));
    } else if context == "in a step" && matches!(field, "status" | "max_time" | "subset") {
        diagnostic = diagnostic.with_help(format!("`{field}` belongs under `expect:`"));
    } else if context == "in a step" && matches!(field, "url" | "path" | "method" | "request") {
        diagnostic =
            diagnostic.with_help("write the method as the key and the path as its value: `get: /path`");
    } else if context == "in `expect`" && field == "json" {
        diagnostic = diagnostic.with_help("check JSON values with `body:` (JSONPath keys) or `subset:`");
    } else {
        diagnostic = diagnostic.with_help("remove the key or fix its spelling");
    }
    diagnostic.with_note(format!("valid keys: {}", expected.join(", ")))
}

/// Explains a required key absent from its mapping.
pub(super) fn missing_key(
    at: SourceLocation,
    field: &str,
    parent: Option<&str>,
    at_root: bool,
) -> Diagnostic {
    let (message, help) = match (field, parent) {
        ("name", _) if at_root => (
            "the scenario has no `name`".to_owned(),
            "add `name: <what the scenario proves>` at the top of the file".to_owned(),
        ),
        (_, Some(parent)) => (
            format!("`{parent}` is missing the key `{field}`"),
            format!("add `{field}: ...` to `{parent}`"),
        ),
        _ => (
            format!("missing key `{field}`"),
            format!("add `{field}: ...` to this mapping"),
        ),
    };
    Diagnostic::error(message, at).with_help(help)
}

/// Returns the diagnostic for a duration `text` written under `key`, or
/// `None` when it is a valid duration (or a template, checked when it runs).
pub(super) fn duration_diagnostic(key: &str, text: &str, at: SourceLocation) -> Option<Diagnostic> {
    if text.contains("{{") {
        return None;
    }
    let error = match humantime::parse_duration(text.trim()) {
        Ok(d) if d.is_zero() => return zero_duration(key, text, at),
        Ok(_) => return None,
        Err(e) => e,
    };
    let reason = error.to_string();
    // humantime appends the whole unit list; the help below says it shorter.
    let reason = reason.split(", supported units").next().unwrap_or(&reason);
    Some(
        Diagnostic::error(format!("`{key}`: invalid duration `{text}` ({reason})"), at)
            .with_help("write a number with a unit, such as `500ms`, `5s` or `2m`"),
    )
}

/// Refuses a zero duration where it means nothing can happen: a timeout or
/// deadline of zero fails every request at once. A zero retry `interval`
/// (retry at once) is meaningful and allowed.
fn zero_duration(key: &str, text: &str, at: SourceLocation) -> Option<Diagnostic> {
    let why = match key {
        "timeout" | "connect_timeout" => "no request can complete in no time",
        "deadline" => "no retry fits in no time",
        "max_interval" => "it caps every wait between attempts at nothing",
        "max_time" => "no response arrives in no time",
        _ => return None,
    };
    Some(
        Diagnostic::error(format!("`{key}: {}` is zero: {why}", text.trim()), at).with_help(format!(
            "remove `{key}` to use the default, or write a duration above zero, such as `{key}: 5s`"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::parse_err;

    #[test]
    fn unknown_keys_suggest_the_closest_and_list_the_valid_ones() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    captur:\n      t: $.t\n");
        assert_eq!(d.message, "unknown key `captur` in a step");
        assert_eq!((d.location.line, d.location.column, d.span_len), (4, 5, 6));
        assert_eq!(d.help, vec!["did you mean `capture`?"]);
        assert!(d.notes[0].contains("follow_redirects"), "{:?}", d.notes);
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    status: 200\n");
        assert_eq!(d.help, vec!["`status` belongs under `expect:`"]);
    }
}

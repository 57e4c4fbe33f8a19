//! Words the problems the shape walk (`crate::model::shape`) finds like the
//! typed parse words the same problems: unknown and missing keys, values of
//! the wrong kind, empty values, numbers where a duration is expected.
//!
//! Must not walk the file itself or decide what is a problem, and must not
//! print.

use std::path::PathBuf;
use std::sync::Arc;

use super::messages::{duration_diagnostic, key_prefix, missing_key, structure_kind, token_at, unknown_key};
use crate::model::SourceLocation;
use crate::model::diag::{Diagnostic, line_of};
use crate::model::shape::{Found, Kind, Problem, ShapeProblem};

/// Words a problem found by the shape walk like the typed parse words the
/// same problem, so a file reads the same whichever found it.
pub(super) fn shape_diagnostic(
    file: &Arc<PathBuf>,
    source: &str,
    found: &ShapeProblem,
) -> Option<Diagnostic> {
    let at = SourceLocation {
        file: Arc::clone(file),
        line: found.line,
        column: found.column,
    };
    let text = line_of(source, found.line)
        .and_then(|line| token_at(line, found.column))
        .unwrap_or_default();
    let diagnostic = match &found.problem {
        Problem::UnknownKey { key, valid } => {
            let valid: Vec<&str> = valid.iter().map(String::as_str).collect();
            return Some(unknown_key(at, key, &valid));
        }
        Problem::MissingKey { key, parent, at_root } => missing_key(at, key, parent.as_deref(), *at_root),
        Problem::WrongKind { key, expected, found } => {
            wrong_kind(at, key.as_deref(), expected, *found, &text)
        }
        Problem::NoValue { key, expected } => Diagnostic::error(
            format!(
                "{}has no value; expected {}",
                key_prefix(key.as_deref()),
                describe_kinds(expected)
            ),
            at,
        )
        .with_help("write a value after the colon, or remove the key"),
        Problem::NotADurationString { key } => duration_diagnostic(key, &text, at)?,
    };
    Some(if diagnostic.span_len > 0 {
        diagnostic
    } else {
        diagnostic.with_span_len(found.len.max(1))
    })
}

/// Words "expected this kind, found that", with the hint for the expected kind.
fn wrong_kind(
    at: SourceLocation,
    key: Option<&str>,
    expected: &[Kind],
    found: Found,
    text: &str,
) -> Diagnostic {
    let prefix = key_prefix(key);
    let found = match found {
        Found::Scalar => format!("`{text}`"),
        Found::List => "a list".to_owned(),
        Found::Mapping => "a mapping".to_owned(),
    };
    let expected: Vec<Kind> = expected.iter().copied().filter(|k| *k != Kind::Null).collect();
    let structure = |kind: &str| structure_kind(kind);
    let (message, help) = match expected.as_slice() {
        [Kind::String] => {
            let (kind, help) = structure("string");
            (format!("{prefix}expected {kind}"), help)
        }
        [Kind::List] => {
            let (kind, help) = structure("sequence");
            (format!("{prefix}expected {kind}"), help)
        }
        [Kind::Mapping] => {
            let (kind, help) = structure("mapping");
            (format!("{prefix}expected {kind}"), help)
        }
        [kind @ (Kind::Integer { .. } | Kind::Number | Kind::Boolean)] => {
            let help = match kind {
                Kind::Boolean if is_yaml11_boolean(text) => {
                    "only `true` and `false` are booleans here; `yes`, `no`, `on` and `off` are not"
                }
                Kind::Boolean => "write `true` or `false`",
                Kind::Number => "write a number such as `2` or `1.5`",
                _ => "write digits only, without quotes or units",
            };
            (
                format!("{prefix}expected {}, found {found}", describe_kinds(&expected)),
                help,
            )
        }
        _ => (
            format!("{prefix}expected {}, found {found}", describe_kinds(&expected)),
            "change the value to the expected kind",
        ),
    };
    Diagnostic::error(message, at).with_help(help)
}

/// Tells the YAML 1.1 booleans (`yes`, `off`...) that YAML 1.2 reads as text.
fn is_yaml11_boolean(text: &str) -> bool {
    matches!(
        text.to_lowercase().as_str(),
        "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

/// Joins kinds as "a, b or c" for messages.
fn describe_kinds(kinds: &[Kind]) -> String {
    let words: Vec<&str> = kinds
        .iter()
        .filter(|k| **k != Kind::Null)
        .map(|kind| match kind {
            Kind::String => "a string",
            Kind::Integer { unsigned: true } => "a whole number (0 or more)",
            Kind::Integer { unsigned: false } => "a whole number",
            Kind::Number => "a number",
            Kind::Boolean => "`true` or `false`",
            Kind::List => "a list",
            Kind::Mapping => "a mapping",
            Kind::Null => "nothing",
        })
        .collect();
    match words.as_slice() {
        [] => "a value".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => {
            // "`true` or `false`, or a mapping" needs the comma; "a string or a mapping" does not.
            let or = if words.iter().any(|w| w.contains(" or ")) {
                ", or "
            } else {
                " or "
            };
            format!("{}{or}{last}", rest.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{all_problems, lines_and_messages};

    #[test]
    fn durations_written_as_numbers_follow_the_duration_rule() {
        let found = all_problems(
            "name: x\nsteps:\n  - get: /a\n    timeout: 0\n    captur: {}\n  - get: /b\n    timeout: 30\n",
        );
        assert_eq!(
            lines_and_messages(&found),
            [
                (4, 14, "`timeout: 0` is zero: no request can complete in no time"),
                (5, 5, "unknown key `captur` in a step"),
                (
                    7,
                    14,
                    "`timeout`: invalid duration `30` (time unit needed, for example 30sec or 30ms)"
                ),
            ]
        );
        assert_eq!(
            found[2].help,
            ["write a number with a unit, such as `500ms`, `5s` or `2m`"]
        );
    }
}

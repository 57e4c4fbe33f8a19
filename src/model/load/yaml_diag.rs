//! Maps serde-saphyr errors (syntax, types, budgets) to diagnostics at the
//! place they report, with a message that says what is wrong and a hint that
//! says what to do, including the usual YAML traps: tabs, unquoted templates,
//! unclosed quotes and brackets.
//!
//! Must not parse anything itself and must not print.

use std::path::PathBuf;
use std::sync::Arc;

use serde_saphyr::{DefaultMessageFormatter, Error as YamlError, Location, MessageFormatter};

use super::messages::{
    empty_file, key_before, key_prefix, missing_key, scalar_kind, structure_kind, token_at, too_large,
    unknown_key,
};
use super::yaml::{MAX_DEPTH, alias_bomb, budget_diagnostic};
use crate::model::SourceLocation;
use crate::model::diag::{Diagnostic, line_of};

/// Maps a serde-saphyr error to a diagnostic at the place it reports, with a
/// message that says what is wrong and a hint that says what to do.
pub(super) fn yaml_diagnostic(file: &Arc<PathBuf>, source: &str, error: &YamlError) -> Diagnostic {
    let mut error = error.without_snippet();
    let mut location = error.location();
    if let YamlError::AliasError {
        error: inner,
        locations,
        ..
    } = error
    {
        error = inner.without_snippet();
        location = Some(locations.reference_location);
    }
    let location = location.filter(|l| *l != Location::UNKNOWN && l.line() > 0);
    let Some(location) = location else {
        let message = DefaultMessageFormatter.format_message(error).into_owned();
        return Diagnostic::error(
            format!("invalid YAML: {message}"),
            SourceLocation::file_only(file),
        );
    };
    let at = SourceLocation {
        file: Arc::clone(file),
        line: location.line(),
        column: location.column(),
    };
    let span_len = usize::try_from(location.span().len()).unwrap_or(0);
    let line_text = line_of(source, location.line()).unwrap_or("");
    if let Some(template) = unquoted_template(line_text, location.column()) {
        return template_diagnostic(file, location.line(), &template);
    }
    let key = key_before(line_text, location.column());
    let found = token_at(line_text, location.column());
    if let Some(diagnostic) = visitor_scalar_error(error, &at, line_text) {
        return diagnostic;
    }
    let diagnostic = match error {
        YamlError::SerdeUnknownField { field, expected, .. } => {
            return unknown_key(at, field, expected);
        }
        YamlError::SerdeMissingField { field, .. } => {
            let at_root = at.line <= 1;
            missing_key(at, field, key.as_deref(), at_root)
        }
        YamlError::SerdeInvalidType {
            unexpected, expected, ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected, expected, ..
        } => Diagnostic::error(
            format!(
                "{}expected {expected}, found {unexpected}",
                key_prefix(key.as_deref())
            ),
            at,
        )
        .with_help("change the value to the expected kind"),
        YamlError::InvalidScalar { ty, .. } => {
            if let Some((message, help)) = too_large(key.as_deref(), ty, found.as_deref().unwrap_or("")) {
                return Diagnostic::error(message, at).with_help(help);
            }
            let (kind, help) = scalar_kind(ty);
            Diagnostic::error(
                format!(
                    "{}expected {kind}, found `{}`",
                    key_prefix(key.as_deref()),
                    found.as_deref().unwrap_or("")
                ),
                at,
            )
            .with_help(help)
        }
        YamlError::Unexpected { expected, .. } => {
            let (kind, help) = structure_kind(expected);
            Diagnostic::error(format!("{}expected {kind}", key_prefix(key.as_deref())), at).with_help(help)
        }
        YamlError::NullIntoString { .. } => Diagnostic::error(
            format!("{}has no value; expected a string", key_prefix(key.as_deref())),
            at,
        )
        .with_help("write a value after the colon, or remove the key"),
        YamlError::InvalidBooleanStrict { .. } => Diagnostic::error(
            format!(
                "{}expected `true` or `false`, found `{}`",
                key_prefix(key.as_deref()),
                found.as_deref().unwrap_or("")
            ),
            at,
        )
        .with_help("only `true` and `false` are booleans here; `yes`, `no`, `on` and `off` are not"),
        YamlError::DuplicateMappingKey { key: dup, .. } => {
            let name = dup.clone().unwrap_or_else(|| found.clone().unwrap_or_default());
            Diagnostic::error(format!("duplicate key `{name}`"), at)
                .with_label("defined again here")
                .with_help("a key may appear only once in a mapping; remove or rename one of them")
        }
        YamlError::Budget { breach, .. } => budget_diagnostic(at, breach),
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => alias_bomb(at),
        YamlError::MultipleDocuments { .. } => Diagnostic::error(
            "the file holds more than one YAML document (`---`); a scenario file holds one",
            at,
        )
        .with_help("split it into one file per scenario"),
        YamlError::Eof { .. } => empty_file(file),
        YamlError::UnknownAnchor { .. } => {
            Diagnostic::error("this alias names no anchor defined before it", at)
                .with_help("define the anchor (`&name`) before its first use (`*name`)")
                .with_help(
                    "a `*` starts an alias in YAML: quote JSONPaths with wildcards, e.g. \"$.results[*].id\"",
                )
        }
        YamlError::NonFiniteFloat { value, .. } => {
            Diagnostic::error(format!("`{value}` is not a finite number"), at)
                .with_help("quote it if it is meant as text")
        }
        other => syntax_diagnostic(source, at, &DefaultMessageFormatter.format_message(other)),
    };
    if diagnostic.location.line == 0 || diagnostic.span_len > 0 {
        diagnostic
    } else {
        diagnostic.with_span_len(span_len.max(1))
    }
}

/// Words a scalar a hand-written visitor refused (a number or template
/// field, `follow_redirects`) like the typed parse words a scalar it
/// refuses: such visitors name the Rust type they expected, and serde-saphyr
/// points at the key, so the value after it is found and pointed at.
fn visitor_scalar_error(error: &YamlError, at: &SourceLocation, line: &str) -> Option<Diagnostic> {
    let (YamlError::SerdeInvalidType { expected, .. } | YamlError::SerdeInvalidValue { expected, .. }) =
        error
    else {
        return None;
    };
    if !matches!(expected.as_str(), "u32" | "u64" | "usize" | "f64" | "bool") {
        return None;
    }
    let value_column = value_after_key(line, at.column)?;
    let found = token_at(line, value_column)?;
    let key = key_before(line, value_column);
    let at = SourceLocation {
        column: value_column,
        ..at.clone()
    };
    let len = found.chars().count();
    if let Some((message, help)) = too_large(key.as_deref(), expected, &found) {
        return Some(
            Diagnostic::error(message, at)
                .with_help(help)
                .with_span_len(len.max(1)),
        );
    }
    let (kind, mut help) = scalar_kind(expected);
    if expected == "bool"
        && matches!(
            found.to_lowercase().as_str(),
            "yes" | "no" | "on" | "off" | "y" | "n"
        )
    {
        help = "only `true` and `false` are booleans here; `yes`, `no`, `on` and `off` are not";
    }
    Some(
        Diagnostic::error(
            format!("{}expected {kind}, found `{found}`", key_prefix(key.as_deref())),
            at,
        )
        .with_help(help)
        .with_span_len(len.max(1)),
    )
}

/// Returns the column of the value written after the key at `column`
/// (`attempts: many` at `attempts` gives the column of `many`).
fn value_after_key(line: &str, column: u64) -> Option<u64> {
    let chars: Vec<char> = line.chars().collect();
    let mut i = usize::try_from(column.saturating_sub(1)).ok()?;
    while i < chars.len() && !(chars[i] == ':' && chars.get(i + 1).is_none_or(|c| *c == ' ')) {
        i += 1;
    }
    i += 1;
    while i < chars.len() && chars[i] == ' ' {
        i += 1;
    }
    (i < chars.len()).then(|| i as u64 + 1)
}

/// Explains a parser (syntax) error, with hints for the usual YAML traps.
fn syntax_diagnostic(source: &str, mut at: SourceLocation, message: &str) -> Diagnostic {
    let lower = message.to_lowercase();
    if lower.contains("recursion limit") {
        return Diagnostic::error(format!("the YAML nests deeper than {MAX_DEPTH} levels"), at)
            .with_help("flatten the structure; a scenario never needs this much nesting");
    }
    if lower.contains("tab") {
        // The parser may point at the line before the tab; point at the tab itself.
        if let Some((line, column)) = first_indent_tab(source, at.line) {
            at.line = line;
            at.column = column;
        }
        return Diagnostic::error("a tab is used for indentation", at)
            .with_label("tab")
            .with_help("YAML indentation must use spaces; replace the tab with spaces");
    }
    if lower.contains("mapping values are not allowed")
        && let Some(len) = long_quoted_key(line_of(source, at.line).unwrap_or(""))
    {
        return Diagnostic::error(
            format!("a key on one line can be at most 1024 characters (YAML's limit for a simple key); this one is {len}"),
            at,
        )
        .with_help(
            "shorten the key (a JSONPath is limited to 1024 characters too: `$..field` or a filter reaches deep values); \
             a long key of another kind can be written as an explicit key, `? \"...\"` on one line and `: value` on the next",
        );
    }
    let mut diagnostic = Diagnostic::error(format!("invalid YAML: {message}"), at);
    if lower.contains("quote") || lower.contains("quoted scalar") {
        diagnostic = diagnostic
            .with_help("close the quote; a string that starts with a quote must end with the same quote");
    } else if lower.contains("mapping values are not allowed")
        || lower.contains("expected key")
        || lower.contains("block mapping")
        || lower.contains("block sequence")
        || lower.contains("indentation")
    {
        diagnostic = diagnostic.with_help(
            "check the indentation: keys of one mapping start in the same column, and nested keys are indented further than their parent",
        );
    } else if lower.contains("',' or ']'") || lower.contains("',' or '}'") || lower.contains("flow") {
        diagnostic =
            diagnostic.with_help("close the `[` or `{` that opens this collection, or quote the value");
    } else {
        diagnostic = diagnostic.with_help("fix the YAML syntax at this position");
    }
    diagnostic
}

/// Returns the length of a quoted key longer than YAML's 1024-character
/// simple-key limit that starts the line (`"$.a...": 1`).
fn long_quoted_key(line: &str) -> Option<usize> {
    let key = line.trim_start().trim_start_matches("- ");
    let quote = key.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut escaped = false;
    for (i, c) in key.char_indices().skip(1) {
        match c {
            '\\' if quote == '"' && !escaped => escaped = true,
            c if c == quote && !escaped => {
                let len = key[..=i].chars().count();
                return (len > 1024 && key[i + 1..].trim_start().starts_with(':')).then_some(len);
            }
            _ => escaped = false,
        }
    }
    None
}

fn first_indent_tab(source: &str, from_line: u64) -> Option<(u64, u64)> {
    source
        .split('\n')
        .enumerate()
        .skip(usize::try_from(from_line.saturating_sub(1)).ok()?)
        .take(3)
        .find_map(|(i, line)| {
            let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            indent
                .chars()
                .position(|c| c == '\t')
                .map(|col| (i as u64 + 1, col as u64 + 1))
        })
}

/// Describes an unquoted `{{ ... }}` found on a line, which YAML reads as a
/// flow mapping.
struct UnquotedTemplate {
    column: u64,
    text: String,
}

/// Finds an unquoted template value on `line` at or before `column`: `{{`
/// right after `key:`, `- `, `[`, `,` or `{`.
fn unquoted_template(line: &str, column: u64) -> Option<UnquotedTemplate> {
    let start = line.find("{{")?;
    let start_column = line[..start].chars().count() as u64 + 1;
    if start_column > column {
        return None;
    }
    let before = line[..start].trim_end();
    if !(before.is_empty() || before.ends_with([':', '-', '[', ',', '{'])) {
        return None;
    }
    let end = line[start..].find("}}").map_or(line.len(), |i| start + i + 2);
    Some(UnquotedTemplate {
        column: start_column,
        text: line[start..end].to_owned(),
    })
}

fn template_diagnostic(file: &Arc<PathBuf>, line: u64, template: &UnquotedTemplate) -> Diagnostic {
    Diagnostic::error(
        format!("unquoted template `{}` is read as a YAML mapping", template.text),
        SourceLocation {
            file: Arc::clone(file),
            line,
            column: template.column,
        },
    )
    .with_span_len(template.text.chars().count())
    .with_label("YAML sees `{` here")
    .with_help(format!("quote the template: \"{}\"", template.text))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::parse_err;

    #[test]
    fn too_large_numbers_name_the_largest_accepted_value() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    retry: { attempts: 1000000000000 }\n");
        assert_eq!(
            d.message,
            "`attempts`: 1000000000000 is too large; the largest accepted value is 4294967295"
        );
        assert_eq!((d.location.line, d.location.column), (4, 24));
    }

    #[test]
    fn a_quoted_key_over_the_simple_key_limit_says_so() {
        let key = format!("\"$.['{}']\"", "a".repeat(1200));
        let d = parse_err(&format!(
            "name: x\nsteps:\n  - get: /a\n    expect:\n      body:\n        {key}: 1\n"
        ));
        assert!(
            d.message
                .starts_with("a key on one line can be at most 1024 characters"),
            "{}",
            d.message
        );
        assert!(d.help[0].contains("`? \"...\"`"), "{:?}", d.help);
    }

    #[test]
    fn wrong_types_say_what_was_expected() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    retry: { attempts: many }\n");
        assert_eq!(
            d.message,
            "`attempts`: expected a whole number (0 or more), found `many`"
        );
        let d = parse_err("name: x\nsteps: 5\n");
        assert_eq!(d.message, "`steps`: expected a list");
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    follow_redirects: yes\n");
        assert!(
            d.message.contains("expected `true` or `false`, found `yes`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn unquoted_templates_get_a_quoting_hint() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    headers:\n      Authorization: {{ token }}\n");
        assert_eq!(
            d.message,
            "unquoted template `{{ token }}` is read as a YAML mapping"
        );
        assert_eq!((d.location.line, d.location.column), (5, 22));
        assert_eq!(d.help, vec!["quote the template: \"{{ token }}\""]);
    }

    #[test]
    fn tabs_point_at_the_tab() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n  \tname: b\n");
        assert_eq!(d.message, "a tab is used for indentation");
        assert_eq!((d.location.line, d.location.column), (4, 3));
    }

    #[test]
    fn duplicate_keys_and_empty_files_are_refused() {
        let d = parse_err("name: x\nname: y\nsteps: []\n");
        assert_eq!(d.message, "duplicate key `name`");
        assert_eq!(d.location.line, 2);
        assert_eq!(parse_err("").message, "the file is empty");
        assert_eq!(parse_err("# only a comment\n\n").message, "the file is empty");
    }
}

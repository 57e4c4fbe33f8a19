//! Compiles every JSONPath (captures, body expectation keys, snapshot
//! redactions) and every literal regex (capture `regex`, `matches:` operands)
//! of a file, so a typo is reported before any request is sent.
//!
//! Must not run a query or a regex against any data, and must not touch HTTP
//! or the terminal: it only compiles them.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use serde_saphyr::Location;

use crate::check::JsonPathQuery;
use crate::model::diag::{Diagnostic, TextIndex, did_you_mean};
use crate::model::load::LoadedScenario;
use crate::model::{PREDICATE_KEYS, Predicate, SourceLocation, Spanned, SpannedMap, parse_predicates};

/// Returns a diagnostic for every JSONPath and regex of `loaded` that does not compile.
pub(super) fn check_file(loaded: &LoadedScenario) -> Vec<Diagnostic> {
    let mut check = SyntaxCheck {
        file: &loaded.file,
        index: TextIndex::new(&loaded.source),
        out: Vec::new(),
    };
    let scenario = &loaded.scenario;
    if let Some(defaults) = &scenario.snapshot {
        for path in &defaults.value.redact {
            check.jsonpath(&path.value, at(path).or(at(defaults)), "redaction");
        }
    }
    for step in scenario.steps.iter().chain(&scenario.finally) {
        let s = &step.value;
        for (name, entry) in &s.capture {
            let spec = &entry.value.0;
            let entry_at = at(entry).or(at(name));
            if let Some(path) = &spec.jsonpath {
                check.jsonpath(&path.value, at(path).or(entry_at), "capture");
            }
            if let Some(regex) = &spec.regex {
                check.capture_regex(&name.value, regex, spec.group, entry_at);
            }
        }
        if let Some(expect) = &s.expect {
            for (key, _) in &expect.value.body {
                if !key.value.contains("{{") {
                    check.jsonpath(&key.value, at(key), "body expectation");
                }
            }
            check.matches_operands(&expect.value.headers);
            check.matches_operands(&expect.value.body);
        }
        if let Some(snapshot) = &s.snapshot {
            for path in &snapshot.value.redact {
                check.jsonpath(&path.value, at(path).or(at(snapshot)), "redaction");
            }
        }
    }
    check.out
}

fn at<T>(node: &Spanned<T>) -> Option<Location> {
    (node.referenced != Location::UNKNOWN).then_some(node.referenced)
}

struct SyntaxCheck<'a> {
    file: &'a Arc<PathBuf>,
    index: TextIndex<'a>,
    out: Vec<Diagnostic>,
}

impl SyntaxCheck<'_> {
    /// Returns where `text` sits in the node (to underline it), else the node.
    fn locate(&self, text: &str, node: Option<Location>) -> (SourceLocation, usize) {
        self.find(text, node).unwrap_or_else(|| self.node_location(node))
    }

    /// Returns where `text` is written verbatim in the node, if it is.
    fn find(&self, text: &str, node: Option<Location>) -> Option<(SourceLocation, usize)> {
        let node = node?;
        let span = self.index.find_in_node(node.line(), node.column(), text)?;
        Some((span.location(self.file), span.len))
    }

    fn node_location(&self, node: Option<Location>) -> (SourceLocation, usize) {
        match node {
            None => (SourceLocation::file_only(self.file), 0),
            Some(node) => (
                SourceLocation {
                    file: Arc::clone(self.file),
                    line: node.line(),
                    column: node.column(),
                },
                usize::try_from(node.span().len()).unwrap_or(0),
            ),
        }
    }

    fn jsonpath(&mut self, path: &str, node: Option<Location>, what: &str) {
        if let Err(e) = JsonPathQuery::parse(path) {
            let (location, len) = match (self.find(path, node), e.column) {
                // The path is written verbatim: point at the column the parser names.
                (Some((mut location, _)), Some(column)) if column > 0 => {
                    location.column += column as u64 - 1;
                    (location, 1)
                }
                (Some(found), _) => found,
                (None, _) => self.node_location(node),
            };
            let d = Diagnostic::error(format!("{what}: {e}"), location)
                .with_span_len(len)
                .with_label("invalid JSONPath")
                .with_help("a JSONPath starts at the root `$`, e.g. `$.token`, `$.results[0].id` or `$.items[?@.id == 1]`");
            self.out.push(d);
        }
    }

    fn capture_regex(
        &mut self,
        capture: &str,
        regex: &Spanned<String>,
        group: Option<usize>,
        entry: Option<Location>,
    ) {
        let node = at(regex).or(entry);
        match regex::Regex::new(&regex.value) {
            Err(e) => self.regex_error(&format!("capture `{capture}`"), &regex.value, &e, node),
            Ok(compiled) => {
                let groups = compiled.captures_len() - 1;
                if let Some(group) = group
                    && group > groups
                {
                    let (location, len) = self.locate(&regex.value, node);
                    let d = Diagnostic::error(
                        format!("capture `{capture}`: the regex has {groups} group(s), so group {group} does not exist"),
                        location,
                    )
                    .with_span_len(len)
                    .with_help("groups are numbered from 1 in the order of their `(`; group 0 is the whole match");
                    self.out.push(d);
                }
            }
        }
    }

    /// Compiles the literal operands of `matches:` predicates.
    fn matches_operands(&mut self, map: &SpannedMap<Value>) {
        for (key, value) in map {
            self.misspelt_predicates(&key.value, &value.value, at(value).or(at(key)));
            let Ok(predicates) = parse_predicates(&value.value) else {
                continue;
            };
            let node = at(value).or(at(key));
            let mut patterns = Vec::new();
            collect_patterns(&predicates, &mut patterns);
            for pattern in patterns {
                if let Err(e) = regex::Regex::new(pattern) {
                    self.regex_error(&format!("`matches` of `{}`", key.value), pattern, &e, node);
                }
            }
        }
    }

    /// Warns about a mapping that holds no predicate but a key close to one
    /// (`tpye: boolean`): as written, it compares with that literal object.
    fn misspelt_predicates(&mut self, subject: &str, value: &Value, node: Option<Location>) {
        let Value::Object(fields) = value else {
            return;
        };
        if fields.keys().any(|k| PREDICATE_KEYS.contains(&k.as_str())) {
            return;
        }
        for field in fields.keys() {
            if let Some(predicate) = did_you_mean(field, PREDICATE_KEYS.iter().copied()) {
                let (location, len) = self.locate(field, node);
                let d = Diagnostic::warning(
                    format!("`{field}` under `{subject}` looks like the predicate `{predicate}`"),
                    location,
                )
                .with_span_len(len)
                .with_label(format!("did you mean `{predicate}`?"))
                .with_help(
                    "as written, the value is compared with this literal object; fix the key, or write \
                     `equals: {...}` to compare with an object on purpose",
                );
                self.out.push(d);
            }
        }
    }

    fn regex_error(&mut self, what: &str, pattern: &str, error: &regex::Error, node: Option<Location>) {
        let (reason, caret) = explain_regex_error(error);
        let (location, len) = match (self.find(pattern, node), caret) {
            // The pattern is written verbatim on one line: underline the exact characters.
            (Some((mut location, _)), Some((offset, width))) if !pattern.contains('\n') => {
                location.column += offset as u64;
                (location, width)
            }
            (Some(found), _) => found,
            (None, _) => self.node_location(node),
        };
        let d = Diagnostic::error(format!("{what}: invalid regex `{pattern}`: {reason}"), location)
            .with_span_len(len)
            .with_label(reason)
            .with_help("fix the pattern; in YAML, single quotes keep backslashes as they are: '\\d+'");
        self.out.push(d);
    }
}

fn collect_patterns<'p>(predicates: &'p [Predicate], out: &mut Vec<&'p str>) {
    for predicate in predicates {
        match predicate {
            Predicate::Matches(Value::String(pattern)) if !pattern.contains("{{") => out.push(pattern),
            Predicate::Length(inner) => collect_patterns(inner, out),
            _ => {}
        }
    }
}

/// Splits the regex crate's multi-line message into its reason and, when it
/// drew a caret under the pattern, the caret's character offset and width.
fn explain_regex_error(error: &regex::Error) -> (String, Option<(usize, usize)>) {
    let text = error.to_string();
    let lines: Vec<&str> = text.lines().collect();
    let reason = lines
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("error: "))
        .map_or_else(
            || lines.last().copied().unwrap_or("invalid pattern").to_owned(),
            str::to_owned,
        );
    // Layout: "regex parse error:", "    <pattern>", "    <spaces>^^^", "error: <reason>".
    let caret = lines.get(2).and_then(|line| {
        let start = line.find('^')?;
        let width = line[start..].chars().take_while(|c| *c == '^').count();
        Some((start.checked_sub(4)?, width))
    });
    (reason, caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_errors_keep_the_reason_and_the_caret() {
        // Built at run time: clippy rejects invalid regex literals.
        let pattern = String::from("a(") + "b";
        let Err(e) = regex::Regex::new(&pattern) else {
            panic!("pattern compiled")
        };
        assert_eq!(
            explain_regex_error(&e),
            ("unclosed group".to_owned(), Some((1, 1)))
        );
    }
}

//! Checks the literal (untemplated) parts of a request that HTTP itself
//! would refuse at run time: a header name that is not an HTTP token (a
//! space, a colon, CR/LF), a header value holding CR, LF or another control
//! character, and an absolute URL that does not parse (`http://[::1`).
//!
//! Uses the very rules the run applies (reqwest's `HeaderName`/`HeaderValue`,
//! `url::Url`), and only parses text: must not send anything or touch the
//! terminal; templated text is left to run time, where it is rendered.

use std::path::PathBuf;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;

use crate::model::Spanned;
use crate::model::diag::Diagnostic;
use crate::model::load::LoadedScenario;
use crate::template::contains_template as contains_template_text;

/// Returns an error for every literal header or URL of the file that HTTP refuses.
pub(super) fn check_file(loaded: &LoadedScenario) -> Vec<Diagnostic> {
    let file = &loaded.file;
    let scenario = &loaded.scenario;
    let mut out = Vec::new();
    for step in scenario.steps.iter().chain(&scenario.finally) {
        let s = &step.value;
        for (_, target) in s.request_targets() {
            out.extend(url_problem(file, target));
        }
        for (name, value) in &s.headers {
            if !contains_template_text(&name.value) && HeaderName::from_bytes(name.value.as_bytes()).is_err()
            {
                out.push(
                    Diagnostic::error_at(
                        format!("`{}` is not a valid HTTP header name", printable(&name.value)),
                        file,
                        name,
                    )
                    .with_label("not an HTTP token")
                    .with_help(
                        "a header name is letters, digits and ! # $ % & ' * + - . ^ _ | ~ only: no spaces, colons or line breaks",
                    ),
                );
            }
            for text in literal_strings(&value.value) {
                if HeaderValue::from_str(text).is_err() {
                    out.push(
                        Diagnostic::error_at(
                            format!(
                                "the value of header `{}` is not valid in HTTP",
                                printable(&name.value)
                            ),
                            file,
                            value,
                        )
                        .with_label("holds a line break or another control character")
                        .with_help(
                            "remove the line breaks and control characters; one header value is one line",
                        ),
                    );
                }
            }
        }
    }
    out
}

/// Returns the error for an absolute literal URL that does not parse.
fn url_problem(file: &Arc<PathBuf>, target: &Spanned<String>) -> Option<Diagnostic> {
    let text = target.value.trim();
    if contains_template_text(text) || !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let e = url::Url::parse(text).err()?;
    Some(
        Diagnostic::error_at(format!("invalid URL `{}`: {e}", printable(text)), file, target)
            .with_label("not a URL")
            .with_help("write a full URL (`https://host/path`, an IPv6 host in brackets `http://[::1]:8080/`), or a path relative to the target (`/login`)"),
    )
}

/// Lists the untemplated strings of a header value (one, or a list of them).
fn literal_strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) if !contains_template_text(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().flat_map(literal_strings).collect(),
        _ => Vec::new(),
    }
}

/// Shows control characters as escapes, so a message stays on one line.
fn printable(text: &str) -> String {
    text.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::parse_source;

    fn problems(src: &str) -> Vec<(u64, String)> {
        let file = Arc::new(PathBuf::from("t.yaml"));
        let loaded = LoadedScenario {
            scenario: parse_source(&file, src).unwrap_or_else(|d| panic!("{}", d.one_line())),
            case: None,
            source: Arc::from(src),
            file,
        };
        check_file(&loaded)
            .into_iter()
            .map(|d| (d.location.line, d.message))
            .collect()
    }

    #[test]
    fn header_names_and_values_must_be_valid_http() {
        let src = "name: x\nsteps:\n  - get: /a\n    headers:\n      \"X Bad\": 1\n      X-Ok: \"a\\r\\nInjected: 1\"\n      \"{{ n }}\": ok\n      X-T: \"{{ v }}\"\n      X-List: [ok, \"b\\nc\"]\n";
        assert_eq!(
            problems(src),
            [
                (5, "`X Bad` is not a valid HTTP header name".to_owned()),
                (6, "the value of header `X-Ok` is not valid in HTTP".to_owned()),
                (9, "the value of header `X-List` is not valid in HTTP".to_owned()),
            ]
        );
    }

    #[test]
    fn absolute_urls_must_parse() {
        let src = "name: x\nsteps:\n  - get: \"http://[::1\"\n  - get: \"http://[::1]:8080/a\"\n  - get: /relative\n  - get: \"https://{{ host }}/a\"\n";
        let found = problems(src);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert!(found[0].1.starts_with("invalid URL `http://[::1`: "), "{found:?}");
    }
}

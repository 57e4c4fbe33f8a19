//! Finds `env('NAME')` calls without a default in scenario and flow `vars:`
//! whose variable the process environment does not set: `run` renders those
//! vars first and would stop the scenario on them, so `check` says so at the
//! value's place.
//!
//! Must not render templates nor read files; it reads the given process
//! environment only.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::model::SourceLocation;
use crate::model::diag::Diagnostic;
use crate::validate::CheckReport;

/// Matches `env('NAME')` / `env("NAME")` with no default, and `env.NAME`.
static ENV_CALL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"\benv\(\s*(?:'([^']+)'|"([^"]+)")\s*\)|\benv\.([A-Za-z_][A-Za-z0-9_]*)"#).ok()
});

/// Returns an error for every `vars:` value of the checked files that reads
/// an unset environment variable without a default.
pub(super) fn unset_env_in_vars(
    report: &CheckReport,
    process_env: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for loaded in report.scenarios.iter().chain(report.flows.values()) {
        for (name, value) in &loaded.scenario.vars {
            for variable in unset_reads(&value.value, process_env) {
                found.push(
                    Diagnostic::error(
                        format!(
                            "`vars.{}` reads the environment variable `{variable}`, which is not set",
                            name.value
                        ),
                        SourceLocation::of(&loaded.file, value),
                    )
                    .with_label("not set")
                    .with_help(format!(
                        "export {variable}, or give a default: `env('{variable}', 'value')`"
                    )),
                );
            }
        }
    }
    found
}

/// Lists the unset environment variables the strings inside `value` read without a default.
fn unset_reads(value: &Value, process_env: &BTreeMap<String, String>) -> Vec<String> {
    let mut names = Vec::new();
    collect(value, &mut names);
    names.retain(|name| !process_env.contains_key(name));
    names.dedup();
    names
}

fn collect(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::String(text) if text.contains("env") => {
            if let Some(pattern) = ENV_CALL.as_ref() {
                for capture in pattern.captures_iter(text) {
                    if let Some(name) = capture
                        .get(1)
                        .or_else(|| capture.get(2))
                        .or_else(|| capture.get(3))
                    {
                        names.push(name.as_str().to_owned());
                    }
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, names)),
        Value::Object(map) => map.values().for_each(|item| collect(item, names)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_unset_reads_without_a_default_only() {
        let env = BTreeMap::from([("SET".to_owned(), "1".to_owned())]);
        let value = json!({
            "a": "{{ env('UNSET') }}",
            "b": "{{ env(\"SET\") }}",
            "c": "{{ env('WITH_DEFAULT', 'x') }}",
            "d": ["{{ env.OTHER }}"],
        });
        assert_eq!(unset_reads(&value, &env), ["UNSET", "OTHER"]);
    }
}

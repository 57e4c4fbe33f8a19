//! Finds where a scenario file takes values from consumable pools
//! (`take("pool")` in its `vars` and steps), with the location of each call,
//! so a run can reserve every value before anything is sent; reports calls
//! whose pool is not a quoted literal, since those cannot be counted.
//!
//! Must not render templates or know which pools an environment declares:
//! the caller compares the names with the environment's pools.

use serde_json::Value;

use crate::model::SourceLocation;
use crate::model::diag::Diagnostic;
use crate::model::load::LoadedScenario;
use crate::template::{TakeCall, pool_takes};

/// Records one `take(...)` written in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolTake {
    /// The pool, when named by a literal.
    pub pool: Option<String>,
    /// Where the call is: the variable or step that writes it.
    pub location: SourceLocation,
}

/// Lists the `take(...)` calls of `loaded`'s own vars and steps (not of the
/// flows it uses), in file order.
#[must_use]
pub fn pool_takes_of(loaded: &LoadedScenario) -> Vec<PoolTake> {
    let mut takes = Vec::new();
    // A templated string is text of the file, unless an escape (`\x74ake`,
    // a `\` line break) or a tag (`!!binary`) spells it: a file with none of
    // these and without the word takes nothing, and its steps are not walked.
    if !may_spell_take(&loaded.source) {
        return takes;
    }
    let (scenario, file) = (&loaded.scenario, &loaded.file);
    let mut add = |value: &Value, location: &SourceLocation| {
        let mut texts = Vec::new();
        strings(value, &mut texts);
        for text in texts {
            for call in pool_takes(text) {
                takes.push(PoolTake {
                    pool: match call {
                        TakeCall::Named(name) => Some(name),
                        TakeCall::Dynamic => None,
                    },
                    location: location.clone(),
                });
            }
        }
    };
    for (_, value) in &scenario.vars {
        add(&value.value, &SourceLocation::of(file, value));
    }
    for step in scenario.steps.iter().chain(&scenario.finally) {
        // The model serializes back to its authored shape, so every templated string is reached.
        if let Ok(document) = serde_json::to_value(&step.value) {
            add(&document, &SourceLocation::of(file, step));
        }
    }
    takes
}

/// Tells whether `source` may hold the word `take` once parsed: as written,
/// through an escape or line continuation (`\`), or through a tag.
fn may_spell_take(source: &str) -> bool {
    source.contains("take")
        || source.contains('\\')
        || source.contains("!!")
        || source.contains("!<")
        || source.contains("%TAG")
}

/// Collects every string inside `value`, keys included.
fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(text) => out.push(text),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => {
            for (key, inner) in map {
                out.push(key);
                strings(inner, out);
            }
        }
        _ => {}
    }
}

/// Returns an error for every `take(...)` of `loaded` whose pool is not a literal.
pub(super) fn check_file(loaded: &LoadedScenario) -> Vec<Diagnostic> {
    pool_takes_of(loaded)
        .into_iter()
        .filter(|take| take.pool.is_none())
        .map(|take| {
            Diagnostic::error(
                "`take(...)` must name its pool with a quoted literal, e.g. `take('recovery_codes')`",
                take.location,
            )
            .with_help("a run reserves every value it will take before anything is sent, so the pool must be known from the file")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn takes_spelt_by_escapes_or_tags_are_found() {
        for source in [
            "name: a\nvars:\n  first: \"{{ \\x74ake('codes') }}\"\n",
            "name: a\nvars:\n  first: \"{{ \\u0074ake('codes') }}\"\n",
            "name: a\nvars:\n  first: \"{{ ta\\\n    ke('codes') }}\"\n",
            "name: a\nvars:\n  first: !!binary e3sgdGFrZSgnY29kZXMnKSB9fQ==\n",
        ] {
            let found = pool_takes_of(&loaded(source));
            assert_eq!(found.len(), 1, "{source}");
            assert_eq!(found[0].pool.as_deref(), Some("codes"), "{source}");
        }
        assert!(pool_takes_of(&loaded("name: a\nvars:\n  first: \"{{ user }}!\"\n")).is_empty());
    }

    fn loaded(source: &str) -> LoadedScenario {
        let file = Arc::new(PathBuf::from("a.yaml"));
        let scenario = crate::model::load::parse_scenario(&file, source).unwrap();
        LoadedScenario {
            file,
            source: source.into(),
            scenario,
            case: None,
        }
    }

    #[test]
    fn finds_takes_in_vars_and_steps_with_their_lines() {
        let source = "name: a\nvars:\n  first: \"{{ take('codes') }}\"\nsteps:\n  - post: /x\n    json: { code: \"{{ take('codes') }}\", other: \"{{ take('pins') }}\" }\nfinally:\n  - get: /y\n";
        let loaded = loaded(source);
        let takes = pool_takes_of(&loaded);
        let found: Vec<(Option<&str>, u64)> = takes
            .iter()
            .map(|t| (t.pool.as_deref(), t.location.line))
            .collect();
        assert_eq!(found, [(Some("codes"), 3), (Some("codes"), 5), (Some("pins"), 5)]);
        assert!(check_file(&loaded).is_empty());
    }

    #[test]
    fn a_pool_named_by_a_variable_is_an_error() {
        let loaded =
            loaded("name: a\nvars: { p: codes }\nsteps:\n  - post: /x\n    json: { c: \"{{ take(p) }}\" }\n");
        let problems = check_file(&loaded);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].location.line, 4);
        assert!(
            problems[0].message.contains("quoted literal"),
            "{}",
            problems[0].message
        );
    }
}

//! Checks a file's `locks:` before anything runs: only runnable scenarios
//! hold locks (a flow runs inside its caller), every lock is a template that
//! parses and reads only the run's variables (environment, vars files,
//! `--var`), since locks are rendered before the scenario's own `vars` and
//! captures exist, and no lock is empty.
//!
//! Must not render templates (it parses them for the names they read), and
//! must not touch HTTP or the terminal.

use std::collections::BTreeSet;

use crate::model::diag::{Diagnostic, did_you_mean};
use crate::model::load::LoadedScenario;
use crate::template::referenced_variables;

/// Returns a diagnostic for every lock of `loaded` that cannot be rendered
/// from the run's variables `run_vars`.
pub(super) fn check_file(loaded: &LoadedScenario, run_vars: &BTreeSet<String>) -> Vec<Diagnostic> {
    let scenario = &loaded.scenario;
    let file = &loaded.file;
    let mut out = Vec::new();
    if scenario.is_flow() {
        if let Some(first) = scenario.locks.first() {
            out.push(
                Diagnostic::error_at("a reusable flow cannot hold locks", file, first)
                    .with_label("declared in a flow")
                    .with_help(
                        "a flow runs inside the scenario that uses it: declare `locks:` in that scenario",
                    ),
            );
        }
        return out;
    }
    for lock in &scenario.locks {
        if lock.value.trim().is_empty() {
            out.push(
                Diagnostic::error_at("a lock must name something", file, lock)
                    .with_label("empty lock")
                    .with_help("name the shared resource, e.g. `locks: [\"{{ email_user }}\"]`"),
            );
            continue;
        }
        let names = match referenced_variables(&lock.value) {
            Ok(names) => names,
            Err(error) => {
                out.push(
                    Diagnostic::error_at(format!("invalid lock template: {error}"), file, lock)
                        .with_label("does not parse"),
                );
                continue;
            }
        };
        for name in names.iter().filter(|n| !run_vars.contains(*n)) {
            let defined_here = scenario.vars.keys().any(|k| k.value == *name)
                || scenario
                    .steps
                    .iter()
                    .chain(&scenario.finally)
                    .any(|s| s.value.capture.keys().any(|k| k.value == *name));
            let mut d = Diagnostic::error_at(
                format!("lock reads `{name}`, which is not a variable of the run"),
                file,
                lock,
            )
            .with_label("rendered before the scenario starts");
            d = if defined_here {
                d.with_help(format!(
                    "locks see only the environment's variables, vars files and `--var`; `{name}` is \
                     defined by this scenario, which has not started when its locks are taken"
                ))
            } else if let Some(suggestion) = did_you_mean(name, run_vars.iter().map(String::as_str)) {
                d.with_help(format!("did you mean `{suggestion}`?"))
            } else {
                d.with_help("define it in the environment (scenario.yaml), a vars file or with `--var`")
            };
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn check(source: &str, vars: &[&str]) -> Vec<String> {
        let file = Arc::new(PathBuf::from("a.yaml"));
        let scenario = crate::model::load::parse_scenario(&file, source).unwrap();
        let loaded = LoadedScenario {
            file,
            source: source.into(),
            scenario,
            case: None,
        };
        let vars = vars.iter().map(|v| (*v).to_owned()).collect();
        check_file(&loaded, &vars)
            .into_iter()
            .map(|d| {
                format!(
                    "{}:{}: {} / {}",
                    d.location.line,
                    d.location.column,
                    d.message,
                    d.help.join("; ")
                )
            })
            .collect()
    }

    #[test]
    fn locks_over_the_run_variables_pass() {
        let source = "name: a\nlocks: [\"{{ email_user }}\", shared-inbox]\nsteps: []\n";
        assert!(check(source, &["email_user"]).is_empty());
    }

    #[test]
    fn a_misspelt_or_scenario_variable_is_located_with_a_way_out() {
        let source =
            "name: a\nvars: { mine: x }\nlocks: [\"{{ emial_user }}\", \"{{ mine }}\", \" \"]\nsteps: []\n";
        let problems = check(source, &["email_user"]);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("3:9: lock reads `emial_user`"),
            "{problems:?}"
        );
        assert!(
            problems[0].ends_with("did you mean `email_user`?"),
            "{problems:?}"
        );
        assert!(problems[1].contains("defined by this scenario"), "{problems:?}");
        assert!(problems[2].contains("a lock must name something"), "{problems:?}");
    }

    #[test]
    fn flows_cannot_hold_locks() {
        let source = "name: f\noutputs: [x]\nlocks: [a]\nsteps: []\n";
        let problems = check(source, &[]);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("a reusable flow cannot hold locks"),
            "{problems:?}"
        );
    }
}

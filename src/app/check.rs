//! Owns `scenario check`: reports every problem of every scenario file,
//! checked against the environment `run` would use (or each one, with
//! `--all-envs`): its variables and the command line's count as defined, a
//! variable it cannot set is an error where the scenarios use it, as is a
//! `take(...)` from a pool it does not declare, and a mock seed file
//! `scenario.yaml` names that cannot be used.
//!
//! Must not send anything or start the mock, and must not hold the checking
//! rules themselves (`crate::validate` does); it never sees clap.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::Arc;

use super::check_env::{EnvScope, explain_other_environments, refused_environment, scopes, unavailable_used};
use super::check_env_calls::unset_env_in_vars;
use super::mock_setup::check_seeds;
use super::options::CheckOptions;
use super::project::{paths_or_default, read_project};
use super::vars::{command_line_vars, process_env};
use crate::error::{Error, ExitStatus};
use crate::model::diag::{Diagnostic, RenderOptions, did_you_mean};
use crate::validate::CheckReport;

/// Runs `scenario check`: reports every problem of every file, sends nothing.
///
/// # Errors
/// Returns [`Error::InvalidInput`] when a problem was found, [`Error::Usage`]
/// for a bad environment or vars file.
pub fn check(
    options: &CheckOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let from_command_line: BTreeSet<String> = command_line_vars(&options.vars_files, &options.vars)?
        .into_keys()
        .collect();
    let project = read_project(options.config.as_deref())?;
    let env = process_env();
    let checked = scopes(project.as_ref(), options.env.as_deref(), options.all_envs, &env)?;
    let every = match &project {
        Some(_) => scopes(project.as_ref(), None, true, &env)?,
        None => Vec::new(),
    };
    check_seeds(project.as_ref())?;
    let color = options.color.enabled(console::Term::stderr().is_term());
    let paths = paths_or_default(&options.paths, project.as_ref());
    let mut merged: Option<CheckReport> = None;
    let mut found: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    for scope in &checked {
        let mut known = from_command_line.clone();
        known.extend(scope.known.iter().cloned());
        let mut report = crate::validate::check_paths(&paths, &known);
        let mut diagnostics = std::mem::take(&mut report.diagnostics);
        diagnostics.extend(undeclared_pools(&report, &scope.pools));
        diagnostics.extend(unavailable_used(&report, scope));
        diagnostics.extend(unset_env_in_vars(&report, &env));
        diagnostics.extend(refused_environment(scope));
        for d in diagnostics {
            let d = explain_other_environments(d, scope, &every);
            let env_name = scope.name.as_deref().unwrap_or_default();
            match found.iter_mut().find(|(seen, _)| *seen == d) {
                Some((_, envs)) => envs.push(env_name),
                None => found.push((d, vec![env_name])),
            }
        }
        merged.get_or_insert(report);
    }
    let mut report = merged.unwrap_or_default();
    report.diagnostics = found
        .into_iter()
        .map(|(d, envs)| with_environments(d, &envs, &checked))
        .collect();
    if let Some((path, _)) = &project
        && let Ok(text) = std::fs::read_to_string(path)
    {
        report.sources.insert(Arc::new(path.clone()), Arc::from(text));
    }
    let _ = write!(stderr, "{}", report.render(RenderOptions { color }));
    if report.has_errors() {
        return Err(Error::InvalidInput {
            count: report.error_count(),
        });
    }
    let _ = writeln!(
        stdout,
        "checked {} file(s): {} scenario(s), {} flow(s){}, no errors{}",
        report.files,
        report.scenarios.len(),
        report.flows.len(),
        environments_checked(&checked),
        match report.warning_count() {
            0 => String::new(),
            n => format!(", {n} warning(s)"),
        }
    );
    Ok(ExitStatus::Passed)
}

/// Says which environment(s) a diagnostic holds in, unless it holds in every
/// one checked (or only one was checked and it is named in the summary).
fn with_environments(d: Diagnostic, envs: &[&str], checked: &[EnvScope]) -> Diagnostic {
    if checked.len() < 2 || envs.len() == checked.len() {
        return d;
    }
    let list = envs
        .iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ");
    d.with_note(format!("in environment {list}"))
}

/// Names the environments checked against, for the summary line.
fn environments_checked(checked: &[EnvScope]) -> String {
    let names: Vec<String> = checked
        .iter()
        .filter_map(|s| s.name.as_deref())
        .map(|n| format!("`{n}`"))
        .collect();
    match names.len() {
        0 => String::new(),
        1 => format!(" against environment {}", names[0]),
        _ => format!(" against environments {}", names.join(", ")),
    }
}

/// Returns an error for every `take(...)` whose pool the environments do not declare.
fn undeclared_pools(report: &CheckReport, pools: &BTreeSet<String>) -> Vec<Diagnostic> {
    report
        .scenarios
        .iter()
        // A scenario some `use:` runs is in both lists; count it once.
        .chain(report.flows.values().filter(|f| f.scenario.is_flow()))
        .flat_map(crate::validate::pool_takes_of)
        .filter_map(|take| {
            let pool = take.pool?;
            if pools.contains(&pool) {
                return None;
            }
            let d = Diagnostic::error(format!("no environment declares pool `{pool}`"), take.location);
            Some(match did_you_mean(&pool, pools.iter().map(String::as_str)) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!(
                    "declare it under `pools:` of the environment in scenario.yaml, e.g. `{pool}: {{ env: SOME_VARIABLE }}`"
                )),
            })
        })
        .collect()
}

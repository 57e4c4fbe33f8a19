//! Owns `scenario check`: reports every problem of every scenario file,
//! counting the variables of the chosen environment and the command line as
//! defined, a mock seed file `scenario.yaml` names that cannot be used, and
//! every `take(...)` from a pool no environment (or not the chosen one)
//! declares.
//!
//! Must not send anything or start the mock, and must not hold the checking
//! rules themselves (`crate::validate` does); it never sees clap.

use std::collections::BTreeSet;
use std::io::Write;

use super::mock_setup::check_seeds;
use super::options::CheckOptions;
use super::project::{environment_names, environment_pools, paths_or_default, read_project};
use super::vars::command_line_vars;
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
    let mut known: BTreeSet<String> = command_line_vars(&options.vars_files, &options.vars)?
        .into_keys()
        .collect();
    let project = read_project(options.config.as_deref())?;
    known.extend(environment_names(project.as_ref(), options.env.as_deref())?);
    check_seeds(project.as_ref())?;
    let color = options.color.enabled(console::Term::stderr().is_term());
    let mut report =
        crate::validate::check_paths(&paths_or_default(&options.paths, project.as_ref()), &known);
    let pools = environment_pools(project.as_ref(), options.env.as_deref());
    let undeclared = undeclared_pools(&report, &pools);
    report.diagnostics.extend(undeclared);
    let _ = write!(stderr, "{}", report.render(RenderOptions { color }));
    if report.has_errors() {
        return Err(Error::InvalidInput {
            count: report.error_count(),
        });
    }
    let _ = writeln!(
        stdout,
        "checked {} file(s): {} scenario(s), {} flow(s), no errors{}",
        report.files,
        report.scenarios.len(),
        report.flows.len(),
        match report.warning_count() {
            0 => String::new(),
            n => format!(", {n} warning(s)"),
        }
    );
    Ok(ExitStatus::Passed)
}

/// Returns an error for every `take(...)` whose pool the environments do not declare.
fn undeclared_pools(report: &CheckReport, pools: &BTreeSet<String>) -> Vec<Diagnostic> {
    report
        .scenarios
        .iter()
        // A scenario some `use:` runs is in both lists; count it once.
        .chain(report.flows.values().filter(|f| f.scenario.is_flow()))
        .flat_map(|loaded| crate::validate::pool_takes_of(&loaded.scenario, &loaded.file))
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

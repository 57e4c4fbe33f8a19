//! Owns `scenario check`: reports every problem of every scenario file,
//! counting the variables of the chosen environment and the command line as
//! defined, and a mock seed file `scenario.yaml` names that cannot be used.
//!
//! Must not send anything or start the mock, and must not hold the checking
//! rules themselves (`crate::validate` does); it never sees clap.

use std::collections::BTreeSet;
use std::io::Write;

use super::mock_setup::check_seeds;
use super::options::CheckOptions;
use super::project::{environment_names, paths_or_default, read_project};
use super::vars::command_line_vars;
use crate::error::{Error, ExitStatus};
use crate::model::diag::RenderOptions;

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
    let report = crate::validate::check_paths(&paths_or_default(&options.paths, project.as_ref()), &known);
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

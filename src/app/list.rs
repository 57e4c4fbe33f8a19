//! Owns `scenario list`: prints the scenarios (with tags and step names) and
//! the reusable flows the given files hold.
//!
//! Must not send anything or change files, and must not decide what a file
//! contains (`crate::validate` loads it); it never sees clap.

use std::io::Write;

use super::options::ListOptions;
use super::plan::has_tag;
use super::project::{environment_names, paths_or_default, read_project};
use crate::error::{Error, ExitStatus};
use crate::model::diag::RenderOptions;

/// Runs `scenario list`: scenarios with tags and step names, then flows.
///
/// # Errors
/// Returns [`Error::InvalidInput`] when files do not load.
pub fn list(
    options: &ListOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let project = read_project(None)?;
    let known = environment_names(project.as_ref(), None)?;
    let report = crate::validate::check_paths(&paths_or_default(&options.paths, project.as_ref()), &known);
    let loaded: Vec<_> = report
        .scenarios
        .iter()
        .filter(|s| has_tag(s, &options.tags))
        .collect();
    if report.has_errors() {
        let _ = write!(stderr, "{}", report.render(RenderOptions { color: false }));
    }
    for scenario in &loaded {
        let s = &scenario.scenario;
        let tags: Vec<&str> = s.tags.iter().map(|t| t.value.as_str()).collect();
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", tags.join(", "))
        };
        let _ = writeln!(stdout, "{}{tags}  ({})", scenario.id(), scenario.file.display());
        for (phase, steps) in [("", &s.steps), ("finally: ", &s.finally)] {
            for step in steps {
                let _ = writeln!(stdout, "  - {phase}{}", crate::engine::step_label(&step.value));
            }
        }
    }
    let mut flows: Vec<_> = report.flows.iter().collect();
    flows.sort_by(|a, b| a.0.cmp(b.0));
    for (path, flow) in flows {
        let inputs = flow.scenario.input_names();
        let outputs = flow.scenario.output_names();
        let _ = writeln!(
            stdout,
            "flow {}  ({})  inputs: {}  outputs: {}",
            flow.scenario.name.value,
            path.display(),
            if inputs.is_empty() {
                "-".to_owned()
            } else {
                inputs.join(", ")
            },
            if outputs.is_empty() {
                "-".to_owned()
            } else {
                outputs.join(", ")
            },
        );
    }
    if report.has_errors() {
        return Err(Error::InvalidInput {
            count: report.error_count(),
        });
    }
    Ok(ExitStatus::Passed)
}

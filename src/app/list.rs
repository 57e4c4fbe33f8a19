//! Owns `scenario list`: prints the scenarios the selection keeps (with tags
//! and step names) and the reusable flows the given files hold, as text or
//! as one JSON object (`{"scenarios": [...], "flows": [...]}`).
//!
//! Must not send anything or change files, and must not decide what a file
//! contains (`crate::validate` loads it) nor what a selection keeps
//! (`select` does); it never sees clap.

use std::io::Write;
use std::path::Path;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use super::options::{ListFormat, ListOptions};
use super::project::{environment_names, folder_of, paths_or_default, read_project};
use super::rel_path::Places;
use super::select::{Selected, Selection};
use super::state_dir::state_dir;
use super::vars::process_env;
use crate::error::{Error, ExitStatus};
use crate::model::diag::RenderOptions;
use crate::model::load::LoadedScenario;

/// Runs `scenario list`: the selected scenarios with tags and step names, then flows.
///
/// # Errors
/// Returns [`Error::InvalidInput`] when files do not load, and
/// [`Error::Usage`] for a bad selection flag or one that matches nothing.
pub fn list(
    options: &ListOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let selection = Selection::parse(&options.select)?;
    let project = read_project(None)?;
    let known = environment_names(project.as_ref(), None)?;
    let mut report =
        crate::validate::check_paths(&paths_or_default(&options.paths, project.as_ref()), &known);
    if report.has_errors() {
        let _ = write!(stderr, "{}", report.render(RenderOptions { color: false }));
    }
    let root = project
        .as_ref()
        .map_or(Path::new(""), |(file, _)| folder_of(file));
    let state = || state_dir(options.state_dir.as_deref(), project.as_ref(), &process_env());
    let scenarios = match selection.pick(std::mem::take(&mut report.scenarios), root, state)? {
        Selected::Scenarios(kept) => kept,
        Selected::Nothing(why) => {
            let _ = writeln!(stderr, "{why}");
            Vec::new()
        }
    };
    let mut flows: Vec<_> = report.flows.iter().collect();
    flows.sort_by(|a, b| a.0.cmp(b.0));
    let flows: Vec<(&Path, &LoadedScenario)> = flows.into_iter().map(|(p, f)| (p.as_path(), f)).collect();
    match options.format {
        ListFormat::Text => write_text(stdout, &scenarios, &flows),
        ListFormat::Json => write_json(stdout, &scenarios, &flows, &Places::new(root))?,
    }
    if report.has_errors() {
        return Err(Error::InvalidInput {
            count: report.error_count(),
        });
    }
    Ok(ExitStatus::Passed)
}

fn write_text(stdout: &mut dyn Write, scenarios: &[LoadedScenario], flows: &[(&Path, &LoadedScenario)]) {
    for scenario in scenarios {
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
}

/// Describes one selected scenario in `list --format json`.
#[derive(Serialize)]
struct ScenarioEntry<'a> {
    id: String,
    name: &'a str,
    file: String,
    tags: Vec<&'a str>,
    steps: Vec<String>,
    finally: Vec<String>,
    /// The matrix combination's variables, in axis order.
    #[serde(skip_serializing_if = "Option::is_none")]
    case: Option<IndexMap<&'a str, &'a Value>>,
}

/// Describes one reusable flow in `list --format json`.
#[derive(Serialize)]
struct FlowEntry<'a> {
    name: &'a str,
    file: String,
    inputs: Vec<String>,
    outputs: Vec<String>,
}

#[derive(Serialize)]
struct Listing<'a> {
    scenarios: Vec<ScenarioEntry<'a>>,
    flows: Vec<FlowEntry<'a>>,
}

fn write_json(
    stdout: &mut dyn Write,
    scenarios: &[LoadedScenario],
    flows: &[(&Path, &LoadedScenario)],
    places: &Places,
) -> Result<(), Error> {
    let names = |steps: &[crate::model::Spanned<crate::model::Step>]| {
        steps
            .iter()
            .map(|step| crate::engine::step_label(&step.value))
            .collect()
    };
    let listing = Listing {
        scenarios: scenarios
            .iter()
            .map(|loaded| ScenarioEntry {
                id: loaded.id(),
                name: &loaded.scenario.name.value,
                file: places.relative_to_cwd(&loaded.file),
                tags: loaded.scenario.tags.iter().map(|t| t.value.as_str()).collect(),
                steps: names(&loaded.scenario.steps),
                finally: names(&loaded.scenario.finally),
                case: loaded.case.as_ref().map(|case| {
                    case.vars
                        .iter()
                        .map(|(name, value)| (name.as_str(), value))
                        .collect()
                }),
            })
            .collect(),
        flows: flows
            .iter()
            .map(|(path, flow)| FlowEntry {
                name: &flow.scenario.name.value,
                file: places.relative_to_cwd(path),
                inputs: flow.scenario.input_names().into_iter().map(Into::into).collect(),
                outputs: flow.scenario.output_names().into_iter().map(Into::into).collect(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&listing)
        .map_err(|e| Error::CouldNotRun(format!("could not write the list as JSON: {e}")))?;
    text.push('\n');
    let _ = stdout.write_all(text.as_bytes());
    Ok(())
}

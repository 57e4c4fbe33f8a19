//! Compares a step's response with its stored snapshot: builds the redacted
//! text a snapshot holds, names snapshots (file stem, step, number; never two
//! alike), and lists the names a plan produces.
//!
//! Must not format or store snapshot files itself (the snapshot store does),
//! nor touch the terminal, clap, JUnit or axum.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::check::{self, Response};
use crate::http::RequestSpec;
use crate::model::load::LoadedScenario;
use crate::secret::Redactor;

use super::config::RunPlan;
use super::flow::MAX_FLOW_DEPTH;
use super::result::StepResult;
use super::scenario::{ScenarioRun, step_name};
use super::scope::Scope;

impl ScenarioRun<'_> {
    /// Compares the redacted response with the step's stored snapshot, named
    /// after `label` (the step's name as written, never rendered).
    pub(super) async fn snapshot(
        &mut self,
        settings: &crate::model::SnapshotSpec,
        label: &str,
        spec: &RequestSpec,
        response: &Response,
        scope: &Scope,
        result: &mut StepResult,
    ) {
        let Some(store) = self.engine.config.snapshots.clone() else {
            return;
        };
        let paths: Vec<&str> = self
            .engine
            .config
            .snapshot_redactions
            .iter()
            .chain(&scope.snapshot_redact)
            .map(String::as_str)
            .chain(settings.redact.iter().map(|r| r.value.as_str()))
            .collect();
        let body = match snapshot_body(response, &paths, settings, &self.redactor) {
            Ok(body) => body,
            Err(message) => {
                result
                    .error
                    .get_or_insert_with(|| self.error("snapshot", &message, result.location.clone()));
                return;
            }
        };
        let stem = case_stem(self.loaded);
        let mut name = crate::snapshot::snapshot_name(&stem, label, self.step_number());
        let base = name.clone();
        let mut n = 2;
        while !self.snapshot_names.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        let source = relative_source(&self.engine.config.root, &self.loaded.file);
        let path = self.redactor.redact(spec.url.path()).into_owned();
        let record = crate::snapshot::SnapshotRecord {
            name,
            source,
            description: format!("{} / {label}", self.loaded.id()),
            info: crate::snapshot::request_info(&spec.method, &path, response.status),
            body,
        };
        // The store does blocking file I/O; keep it off the async workers.
        match tokio::task::spawn_blocking(move || store.check(&record)).await {
            Ok(Ok(report)) => result.snapshot = Some(report),
            Ok(Err(error)) => {
                result.error.get_or_insert_with(|| {
                    self.error("snapshot", &error.to_string(), result.location.clone())
                });
            }
            Err(error) => {
                result.error.get_or_insert_with(|| {
                    self.error("snapshot", &error.to_string(), result.location.clone())
                });
            }
        }
    }

    /// Returns the number the next snapshot of this scenario gets.
    fn step_number(&self) -> usize {
        self.snapshot_names.len() + 1
    }
}

/// Builds the text a snapshot stores: the JSON body (pretty, sorted keys) with
/// `paths` redacted and secrets removed, or the text body; with `include`,
/// the status and headers too.
fn snapshot_body(
    response: &Response,
    paths: &[&str],
    settings: &crate::model::SnapshotSpec,
    redactor: &Redactor,
) -> Result<String, String> {
    let queries = paths
        .iter()
        .map(|p| check::JsonPathQuery::parse(p).map_err(|e| format!("snapshot redaction: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let body = match response.json() {
        Ok(json) => {
            let mut json = json.clone();
            check::redact_paths(&mut json, &queries);
            redactor.redact_json(&json)
        }
        Err(_) => Value::String(redactor.redact(&response.text()).into_owned()),
    };
    let includes: BTreeSet<&str> = settings.include.iter().map(|i| i.value.as_str()).collect();
    if includes.is_empty() {
        return Ok(match body {
            Value::String(text) => text,
            json => crate::snapshot::format_json_body(&json),
        });
    }
    let mut document = serde_json::Map::new();
    if includes.contains("status") {
        document.insert("status".to_owned(), Value::from(response.status));
    }
    if includes.contains("headers") {
        // Dates and lengths change on every response; they would make every run a mismatch.
        let volatile = ["date", "content-length", "set-cookie"];
        let headers: serde_json::Map<String, Value> = response
            .headers
            .iter()
            .filter(|(k, _)| !volatile.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), Value::String(redactor.redact(v).into_owned())))
            .collect();
        document.insert("headers".to_owned(), Value::Object(headers));
    }
    document.insert("body".to_owned(), body);
    Ok(crate::snapshot::format_json_body(&Value::Object(document)))
}

/// Names a scenario file's snapshots: its stem, prefixed by the folders it sits
/// in below `scenarios/`, so `scenarios/a/x.yaml` and `scenarios/b/x.yaml`
/// never share a snapshot (`a-x__...`, `b-x__...`).
#[must_use]
pub fn snapshot_stem(file: &std::path::Path) -> String {
    let mut parts: Vec<String> = file
        .parent()
        .into_iter()
        .flat_map(std::path::Path::components)
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.first().is_some_and(|first| first == "scenarios") {
        parts.remove(0);
    }
    parts.extend(file.file_stem().map(|s| s.to_string_lossy().into_owned()));
    parts.join("-")
}

/// Names the snapshots of one planned scenario: its file's stem, followed
/// by its matrix combination's label, so each combination has its own
/// (`login__...` and `login-account-sms__...`).
fn case_stem(loaded: &LoadedScenario) -> String {
    let stem = snapshot_stem(&loaded.file);
    match &loaded.case {
        Some(case) => format!("{stem}-{}", case.label),
        None => stem,
    }
}

/// Returns `file` relative to `root` with forward slashes, for snapshot headers.
fn relative_source(root: &std::path::Path, file: &std::path::Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Lists the snapshot names the plan's steps produce, as the engine names
/// them (for `scenario snapshots unused`).
#[must_use]
pub fn snapshot_names(plan: &RunPlan) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for loaded in &plan.scenarios {
        let stem = case_stem(loaded);
        let mut taken = BTreeSet::new();
        collect_snapshot_names(plan, loaded, &stem, &mut taken, 0);
        all.extend(taken);
    }
    all
}

/// Adds the snapshot names `loaded`'s steps produce, following `use` into flows.
fn collect_snapshot_names(
    plan: &RunPlan,
    loaded: &LoadedScenario,
    stem: &str,
    taken: &mut BTreeSet<String>,
    depth: usize,
) {
    for step in loaded.scenario.steps.iter().chain(&loaded.scenario.finally) {
        if let Some(use_path) = &step.value.use_flow {
            let flow = plan
                .flows
                .get(&crate::model::resolve_use_path(&loaded.file, &use_path.value));
            if let Some(flow) = flow.filter(|_| depth < MAX_FLOW_DEPTH) {
                collect_snapshot_names(plan, flow, stem, taken, depth + 1);
            }
        } else if step.value.snapshot.as_ref().is_some_and(|s| s.value.enabled) {
            let label = step_name(&step.value);
            let base = crate::snapshot::snapshot_name(stem, &label, taken.len() + 1);
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_stems_keep_folders_below_scenarios_apart() {
        use std::path::Path;
        assert_eq!(
            snapshot_stem(Path::new("scenarios/password-login.yaml")),
            "password-login"
        );
        assert_eq!(snapshot_stem(Path::new("scenarios/a/x.yaml")), "a-x");
        assert_eq!(snapshot_stem(Path::new("scenarios/b/x.yaml")), "b-x");
        assert_eq!(snapshot_stem(Path::new("./other/x.yml")), "other-x");
        assert_eq!(snapshot_stem(Path::new("x.yaml")), "x");
    }
}

//! Owns the JSON report: one document written atomically on finish (not a
//! stream of lines), so CI jobs read a complete, valid file or none.
//!
//! Shape (`format` is bumped on incompatible changes):
//! `{ format, target, config?, environment?, served_by?, complete, summary: {total, passed, failed, errored,
//! skipped, duration_ms}, scenarios: [{ index, name, file, tags, status,
//! duration_ms, steps: [{ name, location, phase, status, skip_reason, attempts,
//! duration_ms, request: {method, url}, response_status, assertions, error,
//! snapshot, captures, children, notes }] }] }`.
//! Statuses are `passed`, `failed`, `errored`, `skipped`, and `incomplete` for
//! a scenario the run never finished (then `complete` is false). Every key is
//! always present (absent values are `null`), except `notes` (what happened on
//! the way, such as a wait for the next TOTP window), present only when a
//! step has some. Captures list names only.
//!
//! Must not print anything: it only writes the file it was given.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use super::ReportError;
use super::file::{Document, FileReporter};
use super::fold::{Progress, RunFold, Running};
use crate::engine::{
    AssertionResult, Phase, RunSummary, ScenarioResult, SnapshotReport, SnapshotStatus, StepError, StepResult,
};
use crate::model::SourceLocation;

/// The version of the document's shape.
const FORMAT: u32 = 1;

/// Collects scenario results and writes them as one JSON document on finish.
pub type JsonReporter = FileReporter<JsonDocument>;

/// Writes the JSON report.
#[derive(Debug)]
pub struct JsonDocument;

impl Document for JsonDocument {
    /// Returns the document pretty-printed, with a final newline.
    fn text(fold: &RunFold, path: &Path) -> Result<String, ReportError> {
        let mut text = serde_json::to_string_pretty(&document(fold)).map_err(|source| ReportError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        text.push('\n');
        Ok(text)
    }

    /// Streams the document to `out`: the text of thousands of scenarios is
    /// never held whole.
    fn write_to(fold: &RunFold, out: &mut dyn std::io::Write, path: &Path) -> Result<(), ReportError> {
        serde_json::to_writer_pretty(&mut *out, &document(fold)).map_err(|source| ReportError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        out.write_all(b"\n").map_err(|source| ReportError::Write {
            path: path.to_path_buf(),
            source,
        })
    }
}

#[cfg(test)]
impl JsonReporter {
    fn to_json(&self) -> Result<String, ReportError> {
        self.text()
    }
}

/// Builds the document from what has been received so far.
fn document(fold: &RunFold) -> JsonReport<'_> {
    let scenarios = Scenarios(fold);
    let summary = match fold.summary() {
        Some(summary) => JsonSummary::of(summary),
        None => JsonSummary::counted(&scenarios.statuses()),
    };
    let context = fold.context();
    JsonReport {
        format: FORMAT,
        target: fold.target().map(str::to_owned),
        config: context.config.as_ref().map(|p| p.display().to_string()),
        environment: context.environment.clone(),
        served_by: context.served_by.clone(),
        complete: fold.complete(),
        summary,
        scenarios,
    }
}

/// Serializes the fold's scenarios one at a time, so a report of thousands
/// never holds a second copy of every result while it is written.
#[derive(Debug, Clone, Copy)]
struct Scenarios<'a>(&'a RunFold);

impl Scenarios<'_> {
    fn each(&self) -> impl Iterator<Item = JsonScenario> + '_ {
        self.0
            .scenarios()
            .into_iter()
            .map(|(index, progress)| match progress {
                Progress::Finished(result) => JsonScenario::of(index, result),
                Progress::Running(running) => JsonScenario::incomplete(index, running),
            })
    }

    /// Returns each scenario's status label, in order.
    fn statuses(&self) -> Vec<&'static str> {
        self.0
            .scenarios()
            .into_iter()
            .map(|(_, progress)| match progress {
                Progress::Finished(result) => result.status.label(),
                Progress::Running(_) => "incomplete",
            })
            .collect()
    }
}

impl Serialize for Scenarios<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.each())
    }
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    format: u32,
    target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    served_by: Option<String>,
    complete: bool,
    summary: JsonSummary,
    scenarios: Scenarios<'a>,
}

#[derive(Debug, Serialize)]
struct JsonSummary {
    total: usize,
    passed: usize,
    failed: usize,
    errored: usize,
    skipped: usize,
    duration_ms: Option<u64>,
}

impl JsonSummary {
    /// Copies the run's own totals.
    fn of(summary: &RunSummary) -> Self {
        Self {
            total: summary.total,
            passed: summary.passed,
            failed: summary.failed,
            errored: summary.errored,
            skipped: summary
                .total
                .saturating_sub(summary.passed + summary.failed + summary.errored),
            duration_ms: Some(millis(summary.duration)),
        }
    }

    /// Counts the scenarios of a run that never sent its totals.
    fn counted(statuses: &[&str]) -> Self {
        let count = |status: &str| statuses.iter().filter(|s| **s == status).count();
        Self {
            total: statuses.len(),
            passed: count("passed"),
            failed: count("failed"),
            errored: count("errored"),
            skipped: count("skipped"),
            duration_ms: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct JsonScenario {
    index: usize,
    name: String,
    file: String,
    tags: Vec<String>,
    status: &'static str,
    duration_ms: Option<u64>,
    steps: Vec<JsonStep>,
}

impl JsonScenario {
    fn of(index: usize, result: &ScenarioResult) -> Self {
        Self {
            index,
            name: result.name.clone(),
            file: result.file.display().to_string(),
            tags: result.tags.clone(),
            status: result.status.label(),
            duration_ms: Some(millis(result.duration)),
            steps: result.steps.iter().map(|step| JsonStep::of(step)).collect(),
        }
    }

    /// Describes a scenario the run never finished; its steps stay out.
    fn incomplete(index: usize, running: &Running) -> Self {
        Self {
            index,
            name: running.name.clone(),
            file: running.file.display().to_string(),
            tags: Vec::new(),
            status: "incomplete",
            duration_ms: None,
            steps: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct JsonStep {
    name: String,
    location: JsonLocation,
    phase: &'static str,
    status: &'static str,
    skip_reason: Option<String>,
    attempts: u32,
    duration_ms: u64,
    request: Option<JsonRequest>,
    response_status: Option<u16>,
    assertions: Vec<JsonAssertion>,
    error: Option<JsonError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
    snapshot: Option<JsonSnapshot>,
    captures: Vec<String>,
    children: Vec<JsonStep>,
}

impl JsonStep {
    fn of(step: &StepResult) -> Self {
        Self {
            name: step.name.clone(),
            location: JsonLocation::of(&step.location),
            phase: match step.phase {
                Phase::Steps => "steps",
                Phase::Finally => "finally",
            },
            status: step.status.label(),
            skip_reason: step.skip_reason.clone(),
            attempts: step.attempts,
            duration_ms: millis(step.duration),
            request: step.request.as_ref().map(|r| JsonRequest {
                method: r.method.clone(),
                url: r.url.clone(),
            }),
            response_status: step.response.as_ref().map(|r| r.status),
            assertions: step.assertions.iter().map(JsonAssertion::of).collect(),
            error: step.error.as_ref().map(JsonError::of),
            notes: step.notes.clone(),
            snapshot: step.snapshot.as_ref().map(JsonSnapshot::of),
            captures: step.captures.iter().map(|(name, _)| name.clone()).collect(),
            children: step.children.iter().map(JsonStep::of).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct JsonLocation {
    file: String,
    line: u64,
    column: u64,
}

impl JsonLocation {
    fn of(location: &SourceLocation) -> Self {
        Self {
            file: location.file.display().to_string(),
            line: location.line,
            column: location.column,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct JsonRequest {
    method: String,
    url: String,
}

#[derive(Debug, Clone, Serialize)]
struct JsonAssertion {
    subject: String,
    predicate: String,
    expected: String,
    actual: String,
    passed: bool,
    message: Option<String>,
    location: JsonLocation,
    /// The filter chain: `[label, value]` pairs, the queried value first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    chain: Vec<[String; 2]>,
}

impl JsonAssertion {
    fn of(assertion: &AssertionResult) -> Self {
        Self {
            subject: assertion.subject.clone(),
            predicate: assertion.predicate.clone(),
            expected: assertion.expected.clone(),
            actual: assertion.actual.clone(),
            passed: assertion.passed,
            message: assertion.message.clone(),
            location: JsonLocation::of(&assertion.location),
            chain: assertion
                .chain
                .iter()
                .map(|step| [step.label.clone(), step.value.clone()])
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct JsonError {
    kind: &'static str,
    message: String,
    location: Option<JsonLocation>,
}

impl JsonError {
    fn of(error: &StepError) -> Self {
        Self {
            kind: error.kind,
            message: error.message.clone(),
            location: error.location.as_ref().map(JsonLocation::of),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct JsonSnapshot {
    status: &'static str,
    path: String,
    pending: Option<String>,
}

impl JsonSnapshot {
    fn of(snapshot: &SnapshotReport) -> Self {
        Self {
            status: match snapshot.status {
                SnapshotStatus::Matched => "matched",
                SnapshotStatus::New => "new",
                SnapshotStatus::Mismatched => "mismatched",
                SnapshotStatus::Updated => "updated",
            },
            path: snapshot.path.display().to_string(),
            pending: snapshot.pending.as_ref().map(|p| p.display().to_string()),
        }
    }
}

/// Returns whole milliseconds, saturating for absurdly long durations.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Event;
    use crate::report::{Reporter, fixtures};

    fn reporter_after(events: &[Event]) -> JsonReporter {
        let mut reporter = JsonReporter::new("unused.json");
        fixtures::feed(&mut reporter, events);
        reporter
    }

    #[test]
    fn json_report_of_a_mixed_run() {
        let events = fixtures::run_of(vec![
            fixtures::passed("Login with password", "login.yaml"),
            fixtures::transport_error(),
            fixtures::snapshot_mismatch(),
            fixtures::failure_then_finally(),
        ]);
        insta::assert_snapshot!(reporter_after(&events).to_json().unwrap());
    }

    #[test]
    fn interrupted_run_is_marked_incomplete() {
        let events = fixtures::interrupted();
        let value: serde_json::Value =
            serde_json::from_str(&reporter_after(&events).to_json().unwrap()).unwrap();
        assert_eq!(value["complete"], false);
        assert_eq!(value["summary"]["total"], 3);
        assert_eq!(value["summary"]["failed"], 1);
        assert_eq!(value["summary"]["passed"], 1);
        assert_eq!(value["summary"]["duration_ms"], serde_json::Value::Null);
        let names: Vec<_> = value["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["name"].as_str().unwrap(), s["status"].as_str().unwrap()))
            .collect();
        assert_eq!(
            names,
            [
                ("First scenario", "incomplete"),
                ("Second scenario", "failed"),
                ("Third scenario", "passed")
            ]
        );
    }

    #[test]
    fn finish_writes_a_parseable_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        let mut reporter = JsonReporter::new(&path);
        fixtures::feed(&mut reporter, &fixtures::all_passed());
        reporter.finish().unwrap();
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(value["complete"], true);
        assert_eq!(value["summary"]["passed"], 2);
        assert_eq!(
            value["scenarios"][0]["steps"][0]["children"][0]["captures"][0],
            "token"
        );
    }

    #[test]
    fn unwritable_path_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "x").unwrap();
        let mut reporter = JsonReporter::new(blocker.join("report.json"));
        let err = reporter.finish().unwrap_err();
        assert!(err.to_string().contains("report.json"), "{err}");
    }
}

//! Owns the JSON report: one document written atomically on finish (not a
//! stream of lines), so CI jobs read a complete, valid file or none.
//!
//! Shape (format 2; `format` is bumped on incompatible changes, `version` is
//! the runner's):
//! `{ format, version, target, config?, environment?, served_by?, started_at?
//! (RFC 3339, UTC), hostname?, complete, interrupted,
//! summary: {total, passed, failed, errored, skipped, flaky, duration_ms},
//! scenarios: [{ index, name, file, position, tags, status, duration_ms,
//! attempts, flaky, skip_reason, notes?, invalid?: {message, details},
//! earlier_attempts: [{status, duration_ms, message, steps}], steps: [{ name,
//! location, phase, status, skip_reason, attempts, duration_ms, request:
//! {method, url}, response_status, http_version, redirects?, response_body?,
//! response_body_truncated?, assertions: [{subject, predicate, expected,
//! actual, passed, message, location, chain?, expected_value?,
//! actual_value?}], error, notes?, snapshot: {status, path, pending, diff},
//! captures: [[name, value]], curl?, children }] }] }`.
//! Statuses are `passed`, `failed`, `errored`, `skipped`, and `incomplete` for
//! a scenario the run never finished (then `complete` is false). Every key is
//! always present (absent values are `null`), except those marked `?`,
//! present only when they say something: notes, an invalid file's problems,
//! redirects, and the response body and curl line of a failed or errored step.
//! The shapes themselves live in `json_shape`.
//!
//! Must not print anything: it only writes the file it was given.

use std::path::Path;

use serde::Serialize;

use super::ReportError;
use super::file::{Document, FileReporter};
use super::fold::{Progress, RunFold};
use super::json_shape::{FORMAT, JsonReport, JsonScenario, JsonSummary, VERSION};

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
fn document(fold: &RunFold) -> JsonReport<Scenarios<'_>> {
    let scenarios = Scenarios(fold);
    let summary = summary_of(fold);
    let context = fold.context();
    JsonReport {
        format: FORMAT,
        version: VERSION.to_owned(),
        target: fold.target().map(str::to_owned),
        config: context.config.as_ref().map(|p| p.display().to_string()),
        environment: context.environment.clone(),
        served_by: context.served_by.clone(),
        started_at: context.started_at.map(super::rfc3339),
        hostname: context.hostname.clone(),
        complete: fold.complete(),
        interrupted: fold.summary().is_some_and(|s| s.interrupted),
        summary,
        scenarios,
    }
}

/// Returns the run's totals, or those of the scenarios heard of so far when
/// the run did not finish.
pub(super) fn summary_of(fold: &RunFold) -> JsonSummary {
    match fold.summary() {
        Some(summary) => JsonSummary::of(summary),
        None => counted(&Scenarios(fold).statuses()),
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
                Progress::Running(running) => JsonScenario::incomplete(index, &running.name, &running.file),
            })
    }

    /// Returns each scenario's status label and whether it is flaky, in order.
    fn statuses(&self) -> Vec<(&'static str, bool)> {
        self.0
            .scenarios()
            .into_iter()
            .map(|(_, progress)| match progress {
                Progress::Finished(result) => (result.status.label(), result.is_flaky()),
                Progress::Running(_) => ("incomplete", false),
            })
            .collect()
    }
}

/// Counts the scenarios of a run that never sent its totals.
fn counted(statuses: &[(&str, bool)]) -> JsonSummary {
    let count = |status: &str| statuses.iter().filter(|(s, _)| *s == status).count();
    JsonSummary {
        total: statuses.len(),
        passed: count("passed"),
        failed: count("failed"),
        errored: count("errored"),
        skipped: count("skipped"),
        flaky: statuses.iter().filter(|(_, flaky)| *flaky).count(),
        duration_ms: None,
    }
}

impl Serialize for Scenarios<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.each())
    }
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
            serde_json::json!(["token", "[secret:token]"])
        );
    }

    #[test]
    fn retried_scenarios_say_their_attempts_and_why_the_earlier_ones_failed() {
        let events = fixtures::run_of(vec![fixtures::retried(true), fixtures::retried(false)]);
        let value: serde_json::Value =
            serde_json::from_str(&reporter_after(&events).to_json().unwrap()).unwrap();
        assert_eq!(value["summary"]["flaky"], 1);
        assert_eq!(value["summary"]["passed"], 1);
        let flaky = &value["scenarios"][0];
        assert_eq!(
            (flaky["status"].as_str(), flaky["flaky"].as_bool()),
            (Some("passed"), Some(true))
        );
        assert_eq!(flaky["attempts"], 3);
        let earlier = flaky["earlier_attempts"].as_array().unwrap();
        assert_eq!(earlier[0]["status"], "failed");
        assert_eq!(
            earlier[0]["message"],
            "Unlock the token with the authenticator code: status equals: expected 200, actual 401"
        );
        assert_eq!(earlier[1]["status"], "errored");
        assert!(
            earlier[1]["steps"]
                .as_array()
                .is_some_and(|steps| !steps.is_empty())
        );
        let failed = &value["scenarios"][1];
        assert_eq!(
            (failed["status"].as_str(), failed["flaky"].as_bool()),
            (Some("failed"), Some(false))
        );
        assert_eq!(failed["attempts"], 3);
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

//! Owns the JSON report's shape: the serde types of its document, summary,
//! scenarios, attempts, steps and their parts, read and written alike, and
//! how results become them.
//!
//! The report holds everything the JSON and JUnit reports show, so a report
//! read back (`scenario report merge`) writes both again as the run did.
//! Must not do I/O nor decide the document's order (`json` and `merge` do).

use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::problems::headline;
use crate::engine::{
    AssertionResult, HopRecord, Phase, RunSummary, ScenarioResult, SnapshotReport, SnapshotStatus, Status,
    StepError, StepResult,
};
use crate::model::SourceLocation;

/// The version of the document's shape, bumped on incompatible changes.
pub(crate) const FORMAT: u32 = 2;

/// Names the runner that wrote a report, so reports of one version merge.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Holds the top of the document, with its scenarios of type `S` (streamed
/// when written, owned when read).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonReport<S> {
    pub(crate) format: u32,
    pub(crate) version: String,
    pub(crate) target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) config: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) served_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) hostname: Option<String>,
    pub(crate) complete: bool,
    #[serde(default)]
    pub(crate) interrupted: bool,
    pub(crate) summary: JsonSummary,
    pub(crate) scenarios: S,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonSummary {
    pub(crate) total: usize,
    pub(crate) passed: usize,
    pub(crate) failed: usize,
    pub(crate) errored: usize,
    pub(crate) skipped: usize,
    pub(crate) flaky: usize,
    pub(crate) duration_ms: Option<u64>,
}

impl JsonSummary {
    /// Copies the run's own totals.
    pub(crate) fn of(summary: &RunSummary) -> Self {
        Self {
            total: summary.total,
            passed: summary.passed,
            failed: summary.failed,
            errored: summary.errored,
            skipped: summary
                .total
                .saturating_sub(summary.passed + summary.failed + summary.errored),
            flaky: summary.flaky,
            duration_ms: Some(millis(summary.duration)),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonScenario {
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) file: String,
    pub(crate) position: usize,
    pub(crate) tags: Vec<String>,
    pub(crate) status: String,
    pub(crate) duration_ms: Option<u64>,
    pub(crate) attempts: usize,
    pub(crate) flaky: bool,
    pub(crate) skip_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) invalid: Option<JsonInvalid>,
    pub(crate) earlier_attempts: Vec<JsonAttempt>,
    pub(crate) steps: Vec<JsonStep>,
}

impl JsonScenario {
    pub(crate) fn of(index: usize, result: &ScenarioResult) -> Self {
        Self {
            index,
            name: result.name.clone(),
            file: result.file.display().to_string(),
            position: result.position,
            tags: result.tags.clone(),
            status: result.status.label().to_owned(),
            duration_ms: Some(millis(result.duration)),
            attempts: result.attempts(),
            flaky: result.is_flaky(),
            skip_reason: result.skip_reason.clone(),
            notes: result.notes.clone(),
            invalid: result.invalid.as_ref().map(|invalid| JsonInvalid {
                message: invalid.message.clone(),
                details: invalid.details.clone(),
            }),
            earlier_attempts: result
                .earlier_attempts
                .iter()
                .map(|a| JsonAttempt::of(a))
                .collect(),
            steps: steps_of(&result.steps),
        }
    }

    /// Describes a scenario the run never finished; its steps stay out.
    pub(crate) fn incomplete(index: usize, name: &str, file: &std::path::Path) -> Self {
        Self {
            index,
            name: name.to_owned(),
            file: file.display().to_string(),
            position: 0,
            tags: Vec::new(),
            status: "incomplete".to_owned(),
            duration_ms: None,
            attempts: 1,
            flaky: false,
            skip_reason: None,
            notes: Vec::new(),
            invalid: None,
            earlier_attempts: Vec::new(),
            steps: Vec::new(),
        }
    }
}

/// Says why a file could not run.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonInvalid {
    pub(crate) message: String,
    pub(crate) details: String,
}

/// Describes an earlier, failed attempt of a retried scenario.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonAttempt {
    pub(crate) status: String,
    pub(crate) duration_ms: u64,
    /// Why it did not pass, on one line (as the JUnit message says it).
    pub(crate) message: Option<String>,
    pub(crate) steps: Vec<JsonStep>,
}

impl JsonAttempt {
    fn of(result: &ScenarioResult) -> Self {
        Self {
            status: result.status.label().to_owned(),
            duration_ms: millis(result.duration),
            message: headline(result).map(|problem| problem.summary),
            steps: steps_of(&result.steps),
        }
    }
}

fn steps_of(steps: &[std::sync::Arc<StepResult>]) -> Vec<JsonStep> {
    steps.iter().map(|step| JsonStep::of(step)).collect()
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonStep {
    pub(crate) name: String,
    pub(crate) location: JsonLocation,
    pub(crate) phase: String,
    pub(crate) status: String,
    pub(crate) skip_reason: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) duration_ms: u64,
    pub(crate) request: Option<JsonRequest>,
    pub(crate) response_status: Option<u16>,
    pub(crate) http_version: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) redirects: Vec<JsonHop>,
    /// The body as the step kept it, for a failed or errored step only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) response_body: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) response_body_truncated: bool,
    pub(crate) assertions: Vec<JsonAssertion>,
    pub(crate) error: Option<JsonError>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) notes: Vec<String>,
    pub(crate) snapshot: Option<JsonSnapshot>,
    /// `[name, value]` pairs, values redacted.
    pub(crate) captures: Vec<[String; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) curl: Option<String>,
    pub(crate) children: Vec<JsonStep>,
}

impl JsonStep {
    fn of(step: &StepResult) -> Self {
        let broken = matches!(step.status, Status::Failed | Status::Errored);
        let response = step.response.as_ref();
        Self {
            name: step.name.clone(),
            location: JsonLocation::of(&step.location),
            phase: phase_label(step.phase).to_owned(),
            status: step.status.label().to_owned(),
            skip_reason: step.skip_reason.clone(),
            attempts: step.attempts,
            duration_ms: millis(step.duration),
            request: step.request.as_ref().map(|r| JsonRequest {
                method: r.method.clone(),
                url: r.url.clone(),
            }),
            response_status: response.map(|r| r.status),
            http_version: response.map(|r| r.version.clone()).filter(|v| !v.is_empty()),
            redirects: response.map_or_else(Vec::new, |r| r.redirects.iter().map(JsonHop::of).collect()),
            response_body: response
                .filter(|r| broken && !r.body.is_empty())
                .map(|r| r.body.clone()),
            response_body_truncated: response.is_some_and(|r| broken && r.body_truncated),
            assertions: step.assertions.iter().map(JsonAssertion::of).collect(),
            error: step.error.as_ref().map(JsonError::of),
            notes: step.notes.clone(),
            snapshot: step.snapshot.as_ref().map(JsonSnapshot::of),
            captures: step
                .captures
                .iter()
                .map(|(name, value)| [name.clone(), value.clone()])
                .collect(),
            curl: step.curl.clone().filter(|_| broken),
            children: step.children.iter().map(JsonStep::of).collect(),
        }
    }
}

/// Names a phase as the report writes it.
pub(crate) fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Steps => "steps",
        Phase::Finally => "finally",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonLocation {
    pub(crate) file: String,
    pub(crate) line: u64,
    pub(crate) column: u64,
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

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonRequest {
    pub(crate) method: String,
    pub(crate) url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonHop {
    pub(crate) status: u16,
    pub(crate) url: String,
    pub(crate) location: String,
}

impl JsonHop {
    fn of(hop: &HopRecord) -> Self {
        Self {
            status: hop.status,
            url: hop.url.clone(),
            location: hop.location.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonAssertion {
    pub(crate) subject: String,
    pub(crate) predicate: String,
    pub(crate) expected: String,
    pub(crate) actual: String,
    pub(crate) passed: bool,
    pub(crate) message: Option<String>,
    pub(crate) location: JsonLocation,
    /// The filter chain: `[label, value]` pairs, the queried value first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) chain: Vec<[String; 2]>,
    /// The expected side as a JSON value, for a failed expectation whose
    /// operand is one (up to 64 KiB).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub(crate) expected_value: Option<serde_json::Value>,
    /// The actual side as a JSON value, for a failed expectation on a value
    /// (up to 64 KiB).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub(crate) actual_value: Option<serde_json::Value>,
}

/// Reads a key that is there as `Some`, even when it holds `null`: a typed
/// side may be `null` itself (`equals: null`), and an absent key is `None`.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
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
            expected_value: assertion.expected_value.clone(),
            actual_value: assertion.actual_value.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonError {
    pub(crate) kind: String,
    pub(crate) message: String,
    pub(crate) location: Option<JsonLocation>,
}

impl JsonError {
    fn of(error: &StepError) -> Self {
        Self {
            kind: error.kind.to_owned(),
            message: error.message.clone(),
            location: error.location.as_ref().map(JsonLocation::of),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct JsonSnapshot {
    pub(crate) status: String,
    pub(crate) path: String,
    pub(crate) pending: Option<String>,
    pub(crate) diff: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) unwritten: Option<String>,
}

impl JsonSnapshot {
    fn of(snapshot: &SnapshotReport) -> Self {
        Self {
            status: snapshot_label(snapshot.status).to_owned(),
            path: snapshot.path.display().to_string(),
            pending: snapshot.pending.as_ref().map(|p| p.display().to_string()),
            diff: snapshot.diff.clone(),
            unwritten: snapshot.unwritten.clone(),
        }
    }
}

/// Names a snapshot outcome as the report writes it.
pub(crate) fn snapshot_label(status: SnapshotStatus) -> &'static str {
    match status {
        SnapshotStatus::Matched => "matched",
        SnapshotStatus::New => "new",
        SnapshotStatus::Mismatched => "mismatched",
        SnapshotStatus::Updated => "updated",
    }
}

/// Returns whole milliseconds, saturating for absurdly long durations.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_side_that_is_null_reads_back_as_null() {
        let read = |sides: &str| -> JsonAssertion {
            serde_json::from_str(&format!(
                r#"{{"subject": "body $.x", "predicate": "equals", "expected": "null", "actual": "1",
                "passed": false, "message": null, "location": {{"file": "a.yaml", "line": 1, "column": 1}}{sides}}}"#
            ))
            .unwrap()
        };
        let null = read(r#", "expected_value": null, "actual_value": 1"#);
        assert_eq!(null.expected_value, Some(serde_json::Value::Null));
        assert_eq!(null.actual_value, Some(serde_json::json!(1)));
        let absent = read("");
        assert_eq!((absent.expected_value, absent.actual_value), (None, None));
    }
}

//! Owns reading a JSON report back ([`read_report`]): refusing a file that is
//! not one of ours or is in another format, and rebuilding the results it
//! holds, so they can be written again as JUnit or JSON.
//!
//! Must not merge, order or write reports (`merge` does), nor print anything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Deserialize;

use super::json_shape::{
    FORMAT, JsonAttempt, JsonLocation, JsonReport, JsonScenario, JsonStep, JsonSummary, VERSION,
};
use crate::engine::{
    AssertionResult, ChainStep, HopRecord, InvalidFile, Phase, RequestRecord, ResponseRecord, ScenarioResult,
    SnapshotReport, SnapshotStatus, Status, StepError, StepResult,
};
use crate::model::SourceLocation;

/// Explains why a file could not be read as a JSON report.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a JSON report written by `scenario run --report-json`.
    #[error("{path} is not a JSON report of `scenario run --report-json`: {why}")]
    NotOurs {
        /// The file.
        path: PathBuf,
        /// What gave it away.
        why: String,
    },
    /// The file is a report in another format than this runner reads.
    #[error(
        "{path} is a JSON report in format {found} (written by scenario {version}); this scenario \
         ({VERSION}) reads format {FORMAT} only: run the shards again with one version"
    )]
    Format {
        /// The file.
        path: PathBuf,
        /// Its format.
        found: u64,
        /// The runner that wrote it, as it says.
        version: String,
    },
}

/// Holds what one JSON report said.
#[derive(Debug)]
pub struct ReadReport {
    /// The file it came from.
    pub path: PathBuf,
    /// The runner's version that wrote it.
    pub version: String,
    /// The base URL of the run.
    pub target: Option<String>,
    /// The project file the run used.
    pub config: Option<String>,
    /// The environment the run used.
    pub environment: Option<String>,
    /// What served the target, when the run started it.
    pub served_by: Option<String>,
    /// When the run started.
    pub started_at: Option<time::OffsetDateTime>,
    /// The machine it ran on.
    pub hostname: Option<String>,
    /// Whether the run finished.
    pub complete: bool,
    /// Whether Ctrl-C stopped it.
    pub interrupted: bool,
    /// The run's wall time, when it finished.
    pub duration: Option<Duration>,
    /// Its scenarios, in the report's order.
    pub scenarios: Vec<ReadScenario>,
}

/// Holds one scenario of a report.
#[derive(Debug)]
pub enum ReadScenario {
    /// It finished with this result (or never started, or its file is invalid).
    Finished(ScenarioResult),
    /// It started and the run stopped before it finished.
    Incomplete {
        /// Its id.
        name: String,
        /// Its file.
        file: PathBuf,
    },
}

impl ReadScenario {
    /// Returns the scenario's file and id.
    #[must_use]
    pub fn key(&self) -> (&Path, &str) {
        match self {
            ReadScenario::Finished(result) => (&result.file, &result.name),
            ReadScenario::Incomplete { name, file } => (file, name),
        }
    }

    /// Returns where the scenario stands among its file's scenarios.
    #[must_use]
    pub fn position(&self) -> usize {
        match self {
            ReadScenario::Finished(result) => result.position,
            ReadScenario::Incomplete { .. } => 0,
        }
    }
}

/// Says only which format a file claims, before its whole shape is read.
#[derive(Debug, Deserialize)]
struct Head {
    format: Option<u64>,
    version: Option<String>,
}

/// Reads the JSON report at `path`.
///
/// # Errors
/// Returns [`ReadError`] when the file cannot be read, is not a JSON report
/// of ours, or is in another format.
pub fn read_report(path: &Path) -> Result<ReadReport, ReadError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let not_ours = |why: String| ReadError::NotOurs {
        path: path.to_path_buf(),
        why,
    };
    let head: Head = serde_json::from_str(&text).map_err(|e| not_ours(e.to_string()))?;
    let Some(format) = head.format else {
        return Err(not_ours("it has no `format` field".to_owned()));
    };
    if format != u64::from(FORMAT) {
        return Err(ReadError::Format {
            path: path.to_path_buf(),
            found: format,
            version: head.version.unwrap_or_else(|| "before 0.1".to_owned()),
        });
    }
    let document: JsonReport<Vec<JsonScenario>> =
        serde_json::from_str(&text).map_err(|e| not_ours(e.to_string()))?;
    let scenarios = document
        .scenarios
        .into_iter()
        .map(|scenario| scenario_of(scenario).map_err(&not_ours))
        .collect::<Result<_, _>>()?;
    Ok(ReadReport {
        path: path.to_path_buf(),
        version: document.version,
        target: document.target,
        config: document.config,
        environment: document.environment,
        served_by: document.served_by,
        started_at: document
            .started_at
            .as_deref()
            .map(|text| {
                time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                    .map_err(|e| not_ours(format!("`started_at` is not an RFC 3339 time: {e}")))
            })
            .transpose()?,
        hostname: document.hostname,
        complete: document.complete,
        interrupted: document.interrupted,
        duration: duration_of(&document.summary),
        scenarios,
    })
}

fn duration_of(summary: &JsonSummary) -> Option<Duration> {
    summary.duration_ms.map(Duration::from_millis)
}

fn scenario_of(scenario: JsonScenario) -> Result<ReadScenario, String> {
    let file = PathBuf::from(&scenario.file);
    if scenario.status == "incomplete" {
        return Ok(ReadScenario::Incomplete {
            name: scenario.name,
            file,
        });
    }
    let earlier = scenario
        .earlier_attempts
        .into_iter()
        .map(|attempt| attempt_of(attempt, &scenario.name, &file, scenario.position))
        .collect::<Result<Vec<_>, String>>()?;
    Ok(ReadScenario::Finished(ScenarioResult {
        status: status_of(&scenario.status)?,
        steps: steps_of(scenario.steps)?,
        duration: Duration::from_millis(scenario.duration_ms.unwrap_or(0)),
        tags: scenario.tags,
        skip_reason: scenario.skip_reason,
        notes: scenario.notes,
        earlier_attempts: earlier,
        invalid: scenario.invalid.map(|invalid| InvalidFile {
            message: invalid.message,
            details: invalid.details,
        }),
        position: scenario.position,
        name: scenario.name,
        file,
    }))
}

fn attempt_of(
    attempt: JsonAttempt,
    name: &str,
    file: &Path,
    position: usize,
) -> Result<Arc<ScenarioResult>, String> {
    Ok(Arc::new(ScenarioResult {
        name: name.to_owned(),
        file: file.to_path_buf(),
        position,
        status: status_of(&attempt.status)?,
        steps: steps_of(attempt.steps)?,
        duration: Duration::from_millis(attempt.duration_ms),
        ..ScenarioResult::default()
    }))
}

fn steps_of(steps: Vec<JsonStep>) -> Result<Vec<Arc<StepResult>>, String> {
    steps
        .into_iter()
        .map(|step| step_of(step).map(Arc::new))
        .collect()
}

fn step_of(step: JsonStep) -> Result<StepResult, String> {
    let phase = match step.phase.as_str() {
        "steps" => Phase::Steps,
        "finally" => Phase::Finally,
        other => return Err(format!("unknown step phase `{other}`")),
    };
    let mut result = StepResult::new(step.name, location_of(step.location), phase);
    result.status = status_of(&step.status)?;
    result.skip_reason = step.skip_reason;
    result.attempts = step.attempts;
    result.duration = Duration::from_millis(step.duration_ms);
    result.request = step.request.map(|request| RequestRecord {
        method: request.method,
        url: request.url,
        headers: Vec::new(),
        body: None,
    });
    result.response = step.response_status.map(|status| ResponseRecord {
        status,
        version: step.http_version.unwrap_or_default(),
        redirects: step
            .redirects
            .into_iter()
            .map(|hop| HopRecord {
                status: hop.status,
                url: hop.url,
                location: hop.location,
            })
            .collect(),
        body: step.response_body.unwrap_or_default(),
        body_truncated: step.response_body_truncated,
        ..ResponseRecord::default()
    });
    result.assertions = step
        .assertions
        .into_iter()
        .map(|assertion| AssertionResult {
            subject: assertion.subject,
            predicate: assertion.predicate,
            expected: assertion.expected,
            actual: assertion.actual,
            passed: assertion.passed,
            message: assertion.message,
            location: location_of(assertion.location),
            chain: assertion
                .chain
                .into_iter()
                .map(|[label, value]| ChainStep { label, value })
                .collect(),
            expected_value: assertion.expected_value,
            actual_value: assertion.actual_value,
        })
        .collect();
    result.error = step.error.map(|error| StepError {
        kind: interned(error.kind),
        message: error.message,
        location: error.location.map(location_of),
    });
    result.notes = step.notes;
    result.snapshot = step.snapshot.map(snapshot_of).transpose()?;
    result.captures = step
        .captures
        .into_iter()
        .map(|[name, value]| (name, value))
        .collect();
    result.curl = step.curl;
    result.children = step.children.into_iter().map(step_of).collect::<Result<_, _>>()?;
    Ok(result)
}

fn snapshot_of(snapshot: super::json_shape::JsonSnapshot) -> Result<SnapshotReport, String> {
    let status = match snapshot.status.as_str() {
        "matched" => SnapshotStatus::Matched,
        "new" => SnapshotStatus::New,
        "mismatched" => SnapshotStatus::Mismatched,
        "updated" => SnapshotStatus::Updated,
        other => return Err(format!("unknown snapshot status `{other}`")),
    };
    Ok(SnapshotReport {
        status,
        path: PathBuf::from(snapshot.path),
        pending: snapshot.pending.map(PathBuf::from),
        diff: snapshot.diff,
        unwritten: snapshot.unwritten,
    })
}

fn location_of(location: JsonLocation) -> SourceLocation {
    SourceLocation {
        file: Arc::new(PathBuf::from(location.file)),
        line: location.line,
        column: location.column,
    }
}

fn status_of(label: &str) -> Result<Status, String> {
    [Status::Passed, Status::Skipped, Status::Failed, Status::Errored]
        .into_iter()
        .find(|status| status.label() == label)
        .ok_or_else(|| format!("unknown status `{label}`"))
}

/// Returns a step error's kind as the results hold it: a name that lives
/// as long as the program. The engine names kinds with literals, so a report
/// holds only a handful; each distinct one is kept once.
fn interned(kind: String) -> &'static str {
    static KINDS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut kinds = KINDS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = kinds.get(kind.as_str()) {
        return known;
    }
    let kept: &'static str = Box::leak(kind.into_boxed_str());
    kinds.insert(kept);
    kept
}

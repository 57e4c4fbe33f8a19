//! Declares results: what each step, scenario and run came to. Failures are
//! values here, never errors.
//!
//! Plain data and small queries over it. Must not run anything, nor touch the
//! terminal, clap, JUnit or axum: reporters decide how results look.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use crate::check::{AssertionResult, ChainStep};
use crate::model::SourceLocation;
pub use crate::snapshot::{SnapshotReport, SnapshotStatus};

/// Orders outcomes from best to worst, so a scenario's status is its worst step's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Ran and every expectation held.
    #[default]
    Passed,
    /// Not run: its `if` was false, or an earlier step failed.
    Skipped,
    /// Ran, and at least one expectation did not hold.
    Failed,
    /// Could not run or complete: transport error, timeout, missing capture,
    /// template error, non-JSON body where JSON was needed.
    Errored,
}

impl Status {
    /// Returns the lowercase label used in reports.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Skipped => "skipped",
            Status::Failed => "failed",
            Status::Errored => "errored",
        }
    }
}

/// Says whether a step belongs to `steps` or to `finally`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// A regular step.
    Steps,
    /// A step of the `finally` block, run whatever happened before.
    Finally,
}

/// Explains why a step could not run or complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError {
    /// A short stable category: `transport`, `timeout`, `template`, `capture`,
    /// `body`, `flow`, `snapshot`.
    pub kind: &'static str,
    /// A readable explanation (redacted), saying what to do where possible.
    pub message: String,
    /// Where the offending YAML is, when known.
    pub location: Option<SourceLocation>,
}

/// Records the request as sent (redacted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// `GET`, `POST`...
    pub method: String,
    /// The full URL, query included.
    pub url: String,
    /// Headers as sent.
    pub headers: Vec<(String, String)>,
    /// The body as text, if any.
    pub body: Option<String>,
}

/// Records the response as received (redacted; the body possibly shortened).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseRecord {
    /// The status code.
    pub status: u16,
    /// Headers as received.
    pub headers: Vec<(String, String)>,
    /// The body as text: an excerpt, or all of it in verbose mode.
    pub body: String,
    /// Whether `body` was cut.
    pub body_truncated: bool,
    /// The HTTP version: `HTTP/1.1`, `HTTP/2`... (empty when unknown).
    pub version: String,
    /// The final URL, after redirects (empty when unknown).
    pub url: String,
    /// The redirects followed, in order.
    pub redirects: Vec<HopRecord>,
}

/// Records one redirect followed (redacted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopRecord {
    /// The redirect's status.
    pub status: u16,
    /// The URL that answered with it.
    pub url: String,
    /// Its `Location` header.
    pub location: String,
}

/// Records what one step came to.
#[derive(Debug, Clone)]
pub struct StepResult {
    /// The step's name (or its request line when unnamed).
    pub name: String,
    /// Where the step is written.
    pub location: SourceLocation,
    /// `steps` or `finally`.
    pub phase: Phase,
    /// The outcome.
    pub status: Status,
    /// Why it was skipped, when it was.
    pub skip_reason: Option<String>,
    /// Every expectation evaluated on the last attempt.
    pub assertions: Vec<AssertionResult>,
    /// Why it could not run, when it errored.
    pub error: Option<StepError>,
    /// What the outcome alone does not show (redacted): what else went wrong
    /// after a failed expectation (a capture that could not match, a body that
    /// is not JSON: consequences, not the cause), and what happened on the way
    /// (a wait for the next TOTP window because an earlier run used this one).
    pub notes: Vec<String>,
    /// The last request sent.
    pub request: Option<RequestRecord>,
    /// The last response received.
    pub response: Option<ResponseRecord>,
    /// A redacted curl command line that replays the request.
    pub curl: Option<String>,
    /// Names and (redacted) values captured, in order.
    pub captures: Vec<(String, String)>,
    /// The snapshot comparison, if the step takes one.
    pub snapshot: Option<SnapshotReport>,
    /// How many attempts were made (retries included).
    pub attempts: u32,
    /// Wall time of the step, all attempts included.
    pub duration: Duration,
    /// Steps of a used flow, when the step is a `use`.
    pub children: Vec<StepResult>,
}

impl StepResult {
    /// Creates a result with no request yet, for the engine to fill in.
    #[must_use]
    pub fn new(name: String, location: SourceLocation, phase: Phase) -> Self {
        Self {
            name,
            location,
            phase,
            status: Status::Passed,
            skip_reason: None,
            assertions: Vec::new(),
            error: None,
            notes: Vec::new(),
            request: None,
            response: None,
            curl: None,
            captures: Vec::new(),
            snapshot: None,
            attempts: 0,
            duration: Duration::ZERO,
            children: Vec::new(),
        }
    }

    /// Returns the failed assertions only.
    pub fn failures(&self) -> impl Iterator<Item = &AssertionResult> {
        self.assertions.iter().filter(|a| !a.passed)
    }
}

/// Records what one scenario came to.
///
/// Built with `..ScenarioResult::default()` for the parts a plain run
/// leaves empty (no earlier attempts, no notes), so adding one of those
/// touches no builder.
#[derive(Debug, Clone, Default)]
pub struct ScenarioResult {
    /// The scenario's id: its name, with its matrix combination in brackets.
    pub name: String,
    /// The scenario file.
    pub file: PathBuf,
    /// Its place among the scenarios its file yields (its matrix
    /// combination's number, from 0): with `file`, where an unsharded run puts it.
    pub position: usize,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its worst step status (`Passed` when it has no step).
    pub status: Status,
    /// Every step, `finally` included, in the order they ran or were skipped.
    pub steps: Vec<Arc<StepResult>>,
    /// Wall time.
    pub duration: Duration,
    /// Why it never started, when it did not (the run was interrupted, or
    /// `--fail-fast` stopped starting scenarios).
    pub skip_reason: Option<String>,
    /// What the outcome alone does not show, e.g. why a failed scenario was
    /// not run again.
    pub notes: Vec<String>,
    /// The attempts before this one, each failed or errored, oldest first,
    /// when `--retries` ran the scenario again; this result is the last attempt's.
    pub earlier_attempts: Vec<Arc<ScenarioResult>>,
    /// Why the file could not run at all, when it is invalid.
    pub invalid: Option<InvalidFile>,
}

impl ScenarioResult {
    /// Builds the result of a scenario that never started, and why.
    #[must_use]
    pub fn not_started(name: String, file: PathBuf, tags: Vec<String>, reason: String) -> Self {
        Self {
            name,
            file,
            tags,
            status: Status::Skipped,
            skip_reason: Some(reason),
            ..Self::default()
        }
    }

    /// Tells whether the scenario passed only after failing: on a retry.
    #[must_use]
    pub fn is_flaky(&self) -> bool {
        self.status == Status::Passed && !self.earlier_attempts.is_empty()
    }

    /// Returns how many times the scenario ran (0 when it never started).
    #[must_use]
    pub fn attempts(&self) -> usize {
        if self.skip_reason.is_some() || self.invalid.is_some() {
            return 0;
        }
        self.earlier_attempts.len() + 1
    }
}

/// Says why a scenario file could not run: what its diagnostics said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvalidFile {
    /// The first error, on one line (`file:line:col: error: ...`).
    pub message: String,
    /// Every diagnostic of the file, rendered without colour.
    pub details: String,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Scenarios run.
    pub total: usize,
    /// Scenarios that passed, flaky ones included.
    pub passed: usize,
    /// Scenarios with a failed expectation (and no errored step).
    pub failed: usize,
    /// Scenarios with a step that could not run.
    pub errored: usize,
    /// Scenarios that passed on a retry, after failing (counted in `passed` too).
    pub flaky: usize,
    /// Wall time of the whole run.
    pub duration: Duration,
    /// Whether Ctrl-C stopped the run (what had started finished, `finally`
    /// steps included; the rest never started).
    pub interrupted: bool,
}

impl RunSummary {
    /// Tells whether every scenario passed.
    #[must_use]
    pub fn all_passed(&self) -> bool {
        self.failed == 0 && self.errored == 0
    }

    /// Counts one finished scenario into the totals.
    pub fn add(&mut self, result: &ScenarioResult) {
        self.total += 1;
        match result.status {
            Status::Passed => self.passed += 1,
            // Only scenarios that never started are skipped whole; they did not pass.
            Status::Skipped => {}
            Status::Failed => self.failed += 1,
            Status::Errored => self.errored += 1,
        }
        if result.is_flaky() {
            self.flaky += 1;
        }
    }
}

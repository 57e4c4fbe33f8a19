//! Declares the contract between the engine and reporters: the [`Event`]s a
//! run sends, in order, already redacted.
//!
//! Plain data. Must not format or print anything (reporters do), nor touch the
//! terminal, clap, JUnit or axum.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::result::{RunSummary, ScenarioResult, StepResult};

/// Says where a run's settings came from, for the header reporters print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunContext {
    /// The project file (`scenario.yaml`) the run read, as found (relative
    /// to the current folder when it was found by walking up).
    pub config: Option<PathBuf>,
    /// The environment of that file the run uses.
    pub environment: Option<String>,
    /// What serves the target when the run started it, e.g. the built-in
    /// mock and its switches.
    pub served_by: Option<String>,
    /// When the run started (UTC), for reports' timestamps; the engine sets
    /// it when it is not given.
    pub started_at: Option<time::OffsetDateTime>,
    /// The machine the run ran on, for reports.
    pub hostname: Option<String>,
}

impl RunContext {
    /// Tells whether there is anything to say beyond the target.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.config.is_none() && self.environment.is_none() && self.served_by.is_none()
    }
}

/// Tells reporters what happened, in order. Every text inside is already
/// redacted: reporters print what they get.
#[derive(Debug, Clone)]
pub enum Event {
    /// The run begins: `scenarios` will follow, against `target`.
    RunStarted {
        /// Base URL every relative path joins (redacted).
        target: String,
        /// How many scenarios will run.
        scenarios: usize,
        /// Which configuration and environment the run used.
        context: RunContext,
    },
    /// Scenario number `index` (in stable, sorted order) started.
    ScenarioStarted {
        /// Position in the sorted list of scenarios; reports keep this order.
        index: usize,
        /// The scenario's name.
        name: String,
        /// The scenario file.
        file: PathBuf,
    },
    /// Scenario `index` cannot start yet: other scenarios hold (or wait first
    /// for) some of its locks. Sent once, when it first has to wait.
    ScenarioWaiting {
        /// The scenario's position.
        index: usize,
        /// The scenario's name.
        name: String,
        /// Its locks that are taken (redacted).
        locks: Vec<String>,
        /// The names of the scenarios holding them, or waiting for them first.
        behind: Vec<String>,
    },
    /// A step of scenario `index` waits before sending its request, now:
    /// its TOTP code belongs to a later window.
    StepWaiting {
        /// The scenario's position.
        index: usize,
        /// The scenario's name.
        scenario: String,
        /// The step's name.
        step: String,
        /// How long it waits.
        wait: Duration,
        /// Why, in a sentence (redacted).
        reason: String,
    },
    /// A step of scenario `index` finished (passed, failed, errored or skipped).
    StepFinished {
        /// The scenario's position.
        index: usize,
        /// What happened.
        step: Arc<StepResult>,
    },
    /// An attempt of scenario `index` failed or errored and the scenario runs
    /// again, whole (`--retries`): the steps this attempt reported are
    /// discarded, and the next attempt's follow. Sent before the new attempt starts.
    ScenarioRetrying {
        /// The scenario's position.
        index: usize,
        /// The attempt that failed, from 1.
        attempt: usize,
        /// How many attempts the scenario may take in all.
        limit: usize,
        /// What the failed attempt came to.
        result: Arc<ScenarioResult>,
    },
    /// Scenario `index` finished; `result` holds all its steps (those of its
    /// last attempt, the earlier attempts inside it), or why it never started.
    ScenarioFinished {
        /// The scenario's position.
        index: usize,
        /// Its result, steps included.
        result: Arc<ScenarioResult>,
    },
    /// The run is over.
    RunFinished {
        /// Totals and duration.
        summary: RunSummary,
    },
}

//! Declares the contract between the engine and reporters: the [`Event`]s a
//! run sends, in order, already redacted.
//!
//! Plain data. Must not format or print anything (reporters do), nor touch the
//! terminal, clap, JUnit or axum.

use std::path::PathBuf;

use super::result::{RunSummary, ScenarioResult, StepResult};

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
    /// A step of scenario `index` finished (passed, failed, errored or skipped).
    StepFinished {
        /// The scenario's position.
        index: usize,
        /// What happened.
        step: Box<StepResult>,
    },
    /// Scenario `index` finished; `result` holds all its steps.
    ScenarioFinished {
        /// The scenario's position.
        index: usize,
        /// Its result, steps included.
        result: Box<ScenarioResult>,
    },
    /// The run is over.
    RunFinished {
        /// Totals and duration.
        summary: RunSummary,
    },
}

//! Runs scenarios: step order, variable scope, captures flowing forward,
//! `if`, retries, `use` of reusable flows, `finally`, concurrency.
//!
//! Emits [`Event`]s and returns results; failures are data. Must not touch the
//! terminal, clap, JUnit or axum: reporters and the mock live elsewhere.

mod event;
mod result;
mod runner;
mod scenario;

pub use event::Event;
pub use result::{
    AssertionResult, Phase, RequestRecord, ResponseRecord, RunSummary, ScenarioResult, SnapshotReport,
    SnapshotStatus, Status, StepError, StepResult,
};
pub use runner::{
    Engine, EngineConfig, EngineError, Interrupt, NoPrompter, Prompter, RunPlan, default_jobs, snapshot_names,
};
pub use scenario::{is_sensitive_name, step_name as step_label};

//! Runs scenarios: step order, variable scope, captures flowing forward,
//! `if`, retries, `use` of reusable flows, `finally`, concurrency.
//!
//! Emits [`Event`]s and returns results; failures are data. Must not touch the
//! terminal, clap, JUnit or axum: reporters and the mock live elsewhere.
//!
//! One file per concern: the plan's run (`runner`) under the lock manager
//! (`locks`), one scenario's attempts under `--retries` (`rerun`), the shared
//! handle and its settings (`handle`, `config`, `hooks`), the run's
//! consumable pools (`pool`) and its link to the state folder
//! (`state_link`), one scenario's step loop (`scenario`, with `scope`), and
//! the parts of a step that extend it (`request` with its `request_body` and
//! `credentials`, `attempt`, `retry`, `wait`, `consume`, `ask`, `flow`,
//! `snapshot`), over the redaction of what is reported (`redact`).

mod ask;
mod attempt;
mod condition;
mod config;
mod consume;
mod credentials;
mod event;
mod flow;
mod handle;
mod hooks;
mod locks;
mod pool;
mod redact;
mod request;
mod request_body;
mod rerun;
mod result;
mod retry;
mod runner;
mod scenario;
mod scope;
mod snapshot;
mod state_link;
mod wait;

pub use crate::secret::is_sensitive_name;
pub use config::{EngineConfig, ExchangeDetail, PoolConfig, RerunPolicy, RunPlan, default_jobs};
pub use event::{Event, RunContext};
pub use handle::{Engine, EngineError};
pub use hooks::{Interrupt, NoPrompter, Prompter};
pub use result::{
    AssertionResult, ChainStep, HopRecord, InvalidFile, Phase, RequestRecord, ResponseRecord, RunSummary,
    ScenarioResult, SnapshotReport, SnapshotStatus, Status, StepError, StepResult,
};
pub use scenario::step_name as step_label;
pub use snapshot::snapshot_names;

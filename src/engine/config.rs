//! Owns what a run is given: the plan of scenarios and flows ([`RunPlan`]),
//! the settings it runs with ([`EngineConfig`], with [`RerunPolicy`]) and the
//! default concurrency.
//!
//! Plain data only. Must not run anything, nor touch the terminal, clap,
//! JUnit or axum; must not use the scenario runner.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::http::HttpOptions;
use crate::model::load::LoadedScenario;
use crate::snapshot::SnapshotStore;
use crate::template::Vars;

use super::event::RunContext;
use super::hooks::{Interrupt, NoPrompter, Prompter};

/// Holds what to run: the runnable scenarios, and every flow they may `use`,
/// keyed by normalized path.
#[derive(Debug, Clone, Default)]
pub struct RunPlan {
    /// Scenarios in the stable order reports keep.
    pub scenarios: Vec<Arc<LoadedScenario>>,
    /// Reusable flows by normalized file path.
    pub flows: HashMap<PathBuf, Arc<LoadedScenario>>,
}

/// Sets how a run behaves.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Base URL that relative step paths join, e.g. `http://127.0.0.1:4000/api/v1`.
    pub target: String,
    /// How many scenarios run at once.
    pub jobs: usize,
    /// Variables every scenario starts with (`--var`, vars files, environment).
    pub vars: Vars,
    /// Names among `vars` whose values are secret.
    pub secret_vars: BTreeSet<String>,
    /// HTTP client settings.
    pub http: HttpOptions,
    /// How much of each step's exchange results keep (`-vv`, `-vvv`).
    pub exchanges: ExchangeDetail,
    /// Environment variables `env()` reads in templates.
    pub env: BTreeMap<String, String>,
    /// Where snapshots are compared; `None` turns snapshots off.
    pub snapshots: Option<Arc<SnapshotStore>>,
    /// JSONPaths redacted in every snapshot (project and environment rules).
    pub snapshot_redactions: Vec<String>,
    /// The directory scenario paths in snapshot headers are relative to.
    pub root: PathBuf,
    /// Answers `ask` steps that no environment variable answers.
    pub prompter: Arc<dyn Prompter>,
    /// Set (by Ctrl-C) to stop starting steps; `finally` steps still run.
    pub interrupt: Arc<Interrupt>,
    /// Which configuration and environment the run uses, announced in `RunStarted`.
    pub context: RunContext,
    /// The state folder where what outlives a run is kept (TOTP codes used,
    /// pool values consumed); `None` keeps it in this process only (a run
    /// against its own fresh mock). Opened only when something needs it.
    pub state_dir: Option<PathBuf>,
    /// The consumable pools `take()` draws from.
    pub pools: Vec<PoolConfig>,
    /// Whether steps use cookie jars unless their scenario or step says
    /// otherwise (the environment's `cookie_jar`).
    pub cookie_jar: bool,
    /// Whether failed scenarios run again (`--retries`) and whether the first
    /// failure stops the run from starting more (`--fail-fast`).
    pub reruns: RerunPolicy,
}

/// Says how often a failed scenario runs again and whether the first
/// failure stops the run from starting more.
#[derive(Debug, Clone, Default)]
pub struct RerunPolicy {
    /// How many more times a failed or errored scenario runs (`--retries`).
    pub retries: u32,
    /// Starts no new scenario once one failed for good (`--fail-fast`).
    pub fail_fast: bool,
    /// The pools each scenario (by plan position) takes single-use values
    /// from, through its own file or the flows it uses (`""` for a pool
    /// named at run time); those scenarios are never retried.
    pub single_use: BTreeMap<usize, Vec<String>>,
}

/// Declares one consumable pool of a run: its values, how many the plan's
/// files take, and how to refill it.
#[derive(Clone, Default)]
pub struct PoolConfig {
    /// The pool's name, as `take("name")` writes it.
    pub name: String,
    /// Its single-use values, in the order they are handed out (secret).
    pub values: Vec<String>,
    /// How many values the selected scenarios take (counted in their files),
    /// reserved before anything is sent.
    pub demand: usize,
    /// Says how to add values, for the message of an empty pool.
    pub refill: String,
}

impl std::fmt::Debug for PoolConfig {
    // The values are secret: show how many there are.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoolConfig")
            .field("name", &self.name)
            .field("values", &self.values.len())
            .field("demand", &self.demand)
            .finish_non_exhaustive()
    }
}

/// Says how much of each step's exchange its result keeps for reporters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExchangeDetail {
    /// A passed step's request line; a failed step's headers and an excerpt
    /// of its body (the default, and `-v`).
    #[default]
    Excerpts,
    /// A passed step's request line; a failed step's whole exchange (`-vv`).
    FailedInFull,
    /// Every step's whole exchange, JSON bodies indented (`-vvv`).
    AllInFull,
}

impl ExchangeDetail {
    /// Returns the detail that `-v` given `count` times asks for.
    #[must_use]
    pub fn from_verbosity(count: u8) -> Self {
        match count {
            0 | 1 => Self::Excerpts,
            2 => Self::FailedInFull,
            _ => Self::AllInFull,
        }
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            target: String::new(),
            jobs: default_jobs(),
            vars: Vars::new(),
            secret_vars: BTreeSet::new(),
            http: HttpOptions::default(),
            exchanges: ExchangeDetail::default(),
            env: BTreeMap::new(),
            snapshots: None,
            snapshot_redactions: Vec::new(),
            root: PathBuf::from("."),
            prompter: Arc::new(NoPrompter),
            interrupt: Arc::new(Interrupt::default()),
            context: RunContext::default(),
            state_dir: None,
            pools: Vec::new(),
            cookie_jar: true,
            reruns: RerunPolicy::default(),
        }
    }
}

/// Returns the default concurrency: scenarios are I/O bound, so several per core.
#[must_use]
pub fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 4)
        .clamp(4, 32)
}

//! Runs a plan of scenarios concurrently and streams events.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;

use crate::http::{HttpClient, HttpOptions};
use crate::model::SourceLocation;
use crate::model::load::LoadedScenario;
use crate::secret::Redactor;
use crate::snapshot::SnapshotStore;
use crate::template::{Templates, Vars};

use super::event::Event;
use super::result::{Phase, RunSummary, ScenarioResult, Status, StepError, StepResult};
use super::scenario::ScenarioRun;

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
    /// Keeps whole bodies in results (for `-v`) instead of excerpts.
    pub verbose: bool,
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
}

/// Asks a run to wind down: no new step starts, but every `finally` step
/// still runs (to log out) and reports are still written.
#[derive(Debug, Default)]
pub struct Interrupt(std::sync::atomic::AtomicBool);

impl Interrupt {
    /// Asks the run to wind down.
    pub fn trigger(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Tells whether the run was asked to wind down.
    #[must_use]
    pub fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Asks a person for a value (an MFA code). The engine never touches the
/// terminal itself; the app supplies an implementation.
pub trait Prompter: Send + Sync + std::fmt::Debug {
    /// Shows `prompt` and returns the answer; `secret` hides the typing.
    ///
    /// # Errors
    /// Returns why nobody can be asked (no terminal, input closed).
    fn ask(&self, prompt: &str, secret: bool) -> Result<String, String>;
}

/// Refuses every question: for unattended runs with no terminal.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPrompter;

impl Prompter for NoPrompter {
    fn ask(&self, _prompt: &str, _secret: bool) -> Result<String, String> {
        Err("there is no terminal to ask at".to_owned())
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
            verbose: false,
            env: BTreeMap::new(),
            snapshots: None,
            snapshot_redactions: Vec::new(),
            root: PathBuf::from("."),
            prompter: Arc::new(NoPrompter),
            interrupt: Arc::new(Interrupt::default()),
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

/// Explains why the engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The HTTP client could not be built.
    #[error(transparent)]
    Http(#[from] crate::http::HttpError),
}

/// Runs scenarios; cheap to clone, shared by every scenario task.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(super) http: HttpClient,
    pub(super) templates: Arc<Templates>,
    pub(super) config: Arc<EngineConfig>,
    pub(super) flows: Arc<HashMap<PathBuf, Arc<LoadedScenario>>>,
}

impl Engine {
    /// Builds an engine for `config` and the flows of `plan`.
    ///
    /// # Errors
    /// Returns [`EngineError`] when the HTTP client cannot be set up.
    pub fn new(config: EngineConfig, plan: &RunPlan) -> Result<Self, EngineError> {
        let http = HttpClient::new(&config.http)?;
        let templates = Arc::new(Templates::new(config.env.clone()));
        Ok(Self {
            http,
            templates,
            config: Arc::new(config),
            flows: Arc::new(plan.flows.clone()),
        })
    }

    /// Runs every scenario of `plan`, at most `jobs` at once, passing events to
    /// `on_event` in the order they happen, and returns the totals.
    pub async fn run(&self, plan: &RunPlan, mut on_event: impl FnMut(Event)) -> RunSummary {
        let started = Instant::now();
        on_event(Event::RunStarted {
            target: self.base_redactor().redact(&self.config.target).into_owned(),
            scenarios: plan.scenarios.len(),
        });
        let (tx, mut rx) = mpsc::unbounded_channel();
        let permits = Arc::new(Semaphore::new(self.config.jobs.max(1)));
        let mut tasks = JoinSet::new();
        let mut task_index = HashMap::new();
        for (index, loaded) in plan.scenarios.iter().enumerate() {
            let engine = self.clone();
            let for_task = Arc::clone(loaded);
            let tx = tx.clone();
            let permits = Arc::clone(&permits);
            let handle = tasks.spawn(async move {
                // The semaphore is never closed, so acquiring only waits.
                let _permit = permits.acquire_owned().await;
                ScenarioRun::new(&engine, index, &for_task, tx).run().await;
            });
            task_index.insert(handle.id(), (index, Arc::clone(loaded)));
        }
        drop(tx);

        let mut summary = RunSummary::default();
        let mut finished = BTreeSet::new();
        loop {
            tokio::select! {
                event = rx.recv() => match event {
                    Some(event) => {
                        if let Event::ScenarioFinished { index, result } = &event {
                            finished.insert(*index);
                            tally(&mut summary, result.status);
                        }
                        on_event(event);
                    }
                    None => break,
                },
                Some(joined) = tasks.join_next_with_id() => {
                    // A task that panicked never sent its ScenarioFinished: report it
                    // as errored so reporters waiting for that index do not stall.
                    if let Err(error) = joined
                        && let Some((index, loaded)) = task_index.get(&error.id())
                        && !finished.contains(index)
                    {
                        finished.insert(*index);
                        let result = crashed_result(loaded, &error.to_string());
                        tally(&mut summary, result.status);
                        on_event(Event::ScenarioFinished { index: *index, result: Box::new(result) });
                    }
                }
            }
        }
        summary.duration = started.elapsed();
        on_event(Event::RunFinished {
            summary: summary.clone(),
        });
        summary
    }

    /// Returns a redactor that knows the run's secret variables.
    pub(super) fn base_redactor(&self) -> Redactor {
        let mut redactor = Redactor::new();
        // A password in the target URL's user info (`https://qa:pw@host/`) is a credential.
        let target = url::Url::parse(&self.config.target).ok();
        if let Some(password) = target.as_ref().and_then(url::Url::password) {
            redactor.add_declared("target_password", password);
        }
        for (name, value) in &self.config.vars {
            if self.config.secret_vars.contains(name) {
                redactor.add_declared_value(name, value);
            } else if super::scenario::is_sensitive_name(name) {
                redactor.add_value(name, value);
            }
        }
        redactor
    }

    /// Finds the flow a `use` in `using_file` names.
    pub(super) fn flow(&self, using_file: &Path, use_path: &str) -> Option<Arc<LoadedScenario>> {
        self.flows
            .get(&crate::model::resolve_use_path(using_file, use_path))
            .cloned()
    }
}

fn tally(summary: &mut RunSummary, status: Status) {
    summary.total += 1;
    match status {
        Status::Passed => summary.passed += 1,
        // Only an interrupted run skips whole scenarios; they did not pass.
        Status::Skipped => {}
        Status::Failed => summary.failed += 1,
        Status::Errored => summary.errored += 1,
    }
}

fn crashed_result(loaded: &LoadedScenario, message: &str) -> ScenarioResult {
    let location = SourceLocation::file_only(&loaded.file);
    let mut step = StepResult::new("(scenario)".to_owned(), location, Phase::Steps);
    step.status = Status::Errored;
    step.error = Some(StepError {
        kind: "internal",
        message: format!("the scenario stopped unexpectedly: {message}; please report this"),
        location: None,
    });
    ScenarioResult {
        name: loaded.scenario.name.value.clone(),
        file: loaded.file.as_ref().clone(),
        tags: loaded.scenario.tags.iter().map(|t| t.value.clone()).collect(),
        status: Status::Errored,
        steps: vec![step],
        duration: Duration::ZERO,
    }
}

/// Lists the snapshot names the plan's steps produce, as the engine names
/// them (for `scenario snapshots unused`).
#[must_use]
pub fn snapshot_names(plan: &RunPlan) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for loaded in &plan.scenarios {
        let stem = super::scenario::snapshot_stem(&loaded.file);
        let mut taken = BTreeSet::new();
        collect_snapshot_names(plan, loaded, &stem, &mut taken, 0);
        all.extend(taken);
    }
    all
}

fn collect_snapshot_names(
    plan: &RunPlan,
    loaded: &LoadedScenario,
    stem: &str,
    taken: &mut BTreeSet<String>,
    depth: usize,
) {
    for step in loaded.scenario.steps.iter().chain(&loaded.scenario.finally) {
        if let Some(use_path) = &step.value.use_flow {
            let flow = plan
                .flows
                .get(&crate::model::resolve_use_path(&loaded.file, &use_path.value));
            if let Some(flow) = flow.filter(|_| depth < 16) {
                collect_snapshot_names(plan, flow, stem, taken, depth + 1);
            }
        } else if step.value.snapshot.as_ref().is_some_and(|s| s.value.enabled) {
            let step_name = super::scenario::step_name(&step.value);
            let base = crate::snapshot::snapshot_name(stem, &step_name, taken.len() + 1);
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
        }
    }
}

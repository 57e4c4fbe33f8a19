//! Owns [`Engine`], the cheap-to-clone handle every scenario task shares
//! (HTTP client, templates, configuration, flows, rendered locks, pools, the
//! link to the state folder), how it is built (locks rendered and pool
//! values reserved before anything is sent), and [`EngineError`] for when it
//! cannot be.
//!
//! Must not run scenarios (the runner does) nor use the scenario runner;
//! must not touch the terminal, clap, JUnit or axum.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::http::HttpClient;
use crate::model::SourceLocation;
use crate::model::load::LoadedScenario;
use crate::secret::Redactor;
use crate::template::{PoolSource, TemplateHooks, Templates, TotpHistory};

use super::config::{EngineConfig, RunPlan};
use super::pool::{PoolError, PoolHub};
use super::state_link::StateLink;
use crate::secret::is_sensitive_name;

/// Explains why the engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The HTTP client could not be built.
    #[error(transparent)]
    Http(#[from] crate::http::HttpError),
    /// A scenario's lock could not be rendered from the run's variables.
    #[error("{location}: lock `{lock}` cannot be rendered: {message}; nothing was sent")]
    Lock {
        /// Where the lock is written.
        location: SourceLocation,
        /// The lock as written.
        lock: String,
        /// Why it cannot be rendered.
        message: String,
    },
    /// A pool has fewer unused values than the selected scenarios take.
    #[error("{0}; nothing was sent")]
    PoolEmpty(String),
    /// The state folder cannot be used.
    #[error("{0}; nothing was sent")]
    State(String),
}

/// Runs scenarios; cheap to clone, shared by every scenario task.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(super) http: HttpClient,
    pub(super) templates: Arc<Templates>,
    pub(super) config: Arc<EngineConfig>,
    pub(super) flows: Arc<HashMap<PathBuf, Arc<LoadedScenario>>>,
    /// Each planned scenario's rendered locks, by its position in the plan.
    pub(super) locks: Arc<Vec<BTreeSet<String>>>,
    pub(super) pools: Arc<PoolHub>,
    /// The redactor every scenario starts from, its automata built once.
    base_redactor: Arc<Redactor>,
    /// The folder files must lie in (the working directory), read once:
    /// every step's checks resolve files against it.
    pub(super) root: Arc<PathBuf>,
}

impl Engine {
    /// Builds an engine for `config` and the flows of `plan`: renders every
    /// scenario's locks and reserves the pool values the plan takes, so both
    /// fail before anything is sent.
    ///
    /// # Errors
    /// Returns [`EngineError`] when the HTTP client cannot be set up, a lock
    /// cannot be rendered, or a pool is too small (or its state unusable).
    pub fn new(config: EngineConfig, plan: &RunPlan) -> Result<Self, EngineError> {
        let http = HttpClient::new(&config.http)?;
        if let Ok(target) = url::Url::parse(&config.target) {
            http.prepare_for(&target)?;
        }
        let locks = render_locks(&config, plan)?;
        let state = config
            .state_dir
            .clone()
            .map(|path| Arc::new(StateLink::new(path)));
        let pools = Arc::new(PoolHub::new(&config.pools, state.clone()).map_err(|e| match e {
            PoolError::Empty(message) => EngineError::PoolEmpty(message),
            PoolError::State(message) => EngineError::State(message),
        })?);
        let hooks = TemplateHooks {
            totp_history: state.map(|link| link as Arc<dyn TotpHistory>),
            pools: Some(Arc::clone(&pools) as Arc<dyn PoolSource>),
        };
        let templates = Arc::new(Templates::with_hooks(
            config.env.clone(),
            std::time::SystemTime::now,
            hooks,
        ));
        let mut base_redactor = secrets_of_the_run(&config, &pools);
        base_redactor.freeze();
        Ok(Self {
            http,
            templates,
            config: Arc::new(config),
            flows: Arc::new(plan.flows.clone()),
            locks: Arc::new(locks),
            pools,
            base_redactor: Arc::new(base_redactor),
            root: Arc::new(std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))),
        })
    }

    /// Returns a redactor that knows the run's secret variables; its
    /// automata are shared, so a scenario builds only those of its own secrets.
    pub(super) fn base_redactor(&self) -> Redactor {
        Redactor::clone(&self.base_redactor)
    }

    /// Returns the rendered locks of the plan's scenario number `index`.
    pub(super) fn locks_of(&self, index: usize) -> BTreeSet<String> {
        self.locks.get(index).cloned().unwrap_or_default()
    }

    /// Finds the flow a `use` in `using_file` names.
    pub(super) fn flow(&self, using_file: &Path, use_path: &str) -> Option<Arc<LoadedScenario>> {
        self.flows
            .get(&crate::model::resolve_use_path(using_file, use_path))
            .cloned()
    }
}

/// Collects the secrets every scenario of the run knows from the start: a
/// password in the target or proxy URL, the secret variables and every pool value.
fn secrets_of_the_run(config: &EngineConfig, pools: &PoolHub) -> Redactor {
    let mut redactor = Redactor::new();
    // A password in the target URL's user info (`https://qa:pw@host/`) is a credential.
    let target = url::Url::parse(&config.target).ok();
    if let Some(password) = target.as_ref().and_then(url::Url::password) {
        redactor.add_declared("target_password", password);
    }
    for proxy in config.http.proxy.urls() {
        if let Some(password) = url::Url::parse(proxy).ok().as_ref().and_then(url::Url::password) {
            redactor.add_declared("proxy_password", password);
        }
    }
    for (name, value) in &config.vars {
        if config.secret_vars.contains(name) {
            redactor.add_declared_value(name, value);
        } else if is_sensitive_name(name) {
            redactor.add_value(name, value);
        }
    }
    // Every pool value is single-use and secret, whether handed out yet or not.
    for (pool, value) in pools.values() {
        redactor.add_declared(pool, value);
    }
    redactor
}

/// Renders every planned scenario's locks with the run's variables and
/// those of its matrix combination.
fn render_locks(config: &EngineConfig, plan: &RunPlan) -> Result<Vec<BTreeSet<String>>, EngineError> {
    // Plain templates: a lock must not take pool values or TOTP codes.
    let templates = Templates::new(config.env.clone());
    let mut rendered = Vec::with_capacity(plan.scenarios.len());
    for loaded in &plan.scenarios {
        let case_vars;
        let vars = match &loaded.case {
            Some(case) => {
                let mut vars = config.vars.clone();
                vars.extend(case.vars.iter().cloned());
                case_vars = vars;
                &case_vars
            }
            None => &config.vars,
        };
        let mut locks = BTreeSet::new();
        for lock in &loaded.scenario.locks {
            let error = |message: String| EngineError::Lock {
                location: SourceLocation::of(&loaded.file, lock),
                lock: lock.value.clone(),
                message,
            };
            let name = templates
                .render_str(&lock.value, vars)
                .map_err(|e| error(e.message))?
                .value;
            let name = name.trim();
            if name.is_empty() {
                return Err(error("it renders to nothing".to_owned()));
            }
            locks.insert(name.to_owned());
        }
        rendered.push(locks);
    }
    Ok(rendered)
}

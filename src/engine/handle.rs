//! Owns [`Engine`], the cheap-to-clone handle every scenario task shares
//! (HTTP client, templates, configuration, flows), how it is built, and
//! [`EngineError`] for when it cannot be.
//!
//! Must not run scenarios (the runner does) nor use the scenario runner;
//! must not touch the terminal, clap, JUnit or axum.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::http::HttpClient;
use crate::model::load::LoadedScenario;
use crate::secret::Redactor;
use crate::template::Templates;

use super::config::{EngineConfig, RunPlan};
use super::redact::is_sensitive_name;

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

    /// Returns a redactor that knows the run's secret variables.
    pub(super) fn base_redactor(&self) -> Redactor {
        let mut redactor = Redactor::new();
        // A password in the target URL's user info (`https://qa:pw@host/`) is a credential.
        let target = url::Url::parse(&self.config.target).ok();
        if let Some(password) = target.as_ref().and_then(url::Url::password) {
            redactor.add_declared("target_password", password);
        }
        for proxy in self.config.http.proxy.urls() {
            if let Some(password) = url::Url::parse(proxy).ok().as_ref().and_then(url::Url::password) {
                redactor.add_declared("proxy_password", password);
            }
        }
        for (name, value) in &self.config.vars {
            if self.config.secret_vars.contains(name) {
                redactor.add_declared_value(name, value);
            } else if is_sensitive_name(name) {
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

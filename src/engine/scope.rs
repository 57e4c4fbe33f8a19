//! Owns [`Scope`]: the variables, secret names, snapshot redactions and
//! cookie settings (session, jar on or off) of one scope while it runs (a
//! scenario, or a flow it uses).
//!
//! Plain data shared by the step concerns. Must not use any of them (they
//! use it), nor touch the terminal, clap, JUnit or axum.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::template::Vars;

use super::config::EngineConfig;

/// Holds the variables of one scope: a scenario, or a flow it uses.
pub(super) struct Scope {
    pub(super) file: Arc<PathBuf>,
    pub(super) vars: Vars,
    pub(super) secret_names: BTreeSet<String>,
    pub(super) depth: usize,
    /// Snapshot redactions the scenario (or flow) declares for all its steps.
    pub(super) snapshot_redact: Vec<String>,
    /// The session of steps that name none (a `use` step's, inside its flow).
    pub(super) session: Option<String>,
    /// Whether steps that do not say use the cookie jar.
    pub(super) cookie_jar: bool,
}

impl Scope {
    /// Starts a scope for `file` at nesting `depth` with the run's variables.
    pub(super) fn new(file: Arc<PathBuf>, config: &EngineConfig, depth: usize) -> Self {
        Self {
            file,
            vars: config.vars.clone(),
            secret_names: config.secret_vars.clone(),
            depth,
            snapshot_redact: Vec::new(),
            session: None,
            cookie_jar: config.cookie_jar,
        }
    }
}

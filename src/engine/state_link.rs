//! Owns the run's link to the state folder: opens it (taking the run's lease)
//! the first time something needs it, so runs that take no pool value and
//! compute no TOTP code never create it, and lends it to the TOTP history
//! that templates consult.
//!
//! Must not decide what is stored (the state layer does) nor touch the
//! terminal, clap, JUnit or axum.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::SystemTime;

use crate::state::StateDir;
use crate::template::TotpHistory;

/// Opens the state folder on first use and keeps it (and the lease) for the run.
#[derive(Debug)]
pub(super) struct StateLink {
    path: PathBuf,
    dir: OnceLock<Result<StateDir, String>>,
}

impl StateLink {
    /// Prepares a link to the folder at `path`, opened on first use.
    pub(super) fn new(path: PathBuf) -> Self {
        Self {
            path,
            dir: OnceLock::new(),
        }
    }

    /// Returns the open folder, opening it the first time.
    ///
    /// # Errors
    /// Returns why the folder cannot be used, naming it and how to choose another.
    pub(super) fn dir(&self) -> Result<&StateDir, String> {
        self.dir
            .get_or_init(|| {
                StateDir::open_for_run(&self.path).map_err(|e| {
                    format!("{e} (choose another folder with --state-dir or SCENARIO_STATE_DIR)")
                })
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl TotpHistory for StateLink {
    fn claim(&self, secret: &[u8], period: u64, earliest: u64) -> Result<u64, String> {
        self.dir()?
            .claim_totp_step(secret, period, earliest, SystemTime::now())
            .map_err(|e| e.to_string())
    }
}

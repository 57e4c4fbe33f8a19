//! Owns what outlives a run: the state folder (git-ignored), the file lock
//! that serialises its read-modify-write across processes, atomic writes, the
//! per-folder key that fingerprints secrets, the leases that say which runs
//! are alive, the TOTP ledger (which time steps earlier runs used) and the
//! marks of consumable pools (which single-use values are used, refused, or
//! taken by a running run), and the record of the latest run's scenarios
//! that did not pass.
//!
//! Never holds a secret in clear: a TOTP secret or a pool value is stored
//! only as its fingerprint, an HMAC-SHA256 keyed by a random key kept in the
//! folder's own `key` file (never in `state.json`), so the state file alone
//! cannot be used to test guesses of a short code.
//!
//! Must not use any layer but `secret`, nor touch HTTP, templates, scenario
//! files or the terminal: callers hand it fingerprints' inputs and counts.

mod file;
mod fingerprint;
mod folder;
mod last_run;
mod lease;
mod pool;
mod totp;

use std::path::PathBuf;

pub use fingerprint::Fingerprint;
pub use folder::{DEFAULT_FOLDER, StateDir};
pub use last_run::{LAST_RUN_FILE, LastRun, NotPassed, NotPassedStatus};
pub use pool::{PoolCounts, ResetReport, ResetScope, Settled};
pub use totp::TotpEntry;

/// Explains why the state folder could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Reading, writing or locking a file of the folder failed.
    #[error("could not use the state folder {}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A file of the folder is not in the format this version writes.
    #[error(
        "{} is not a state file this version can read ({message}); `scenario state reset` starts it afresh",
        path.display()
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A pool has fewer unused values than a run needs.
    #[error("pool `{pool}` has {available} unused value(s) but {needed} are needed")]
    Empty {
        /// The pool's name.
        pool: String,
        /// How many values the run needs.
        needed: usize,
        /// What the pool's values come to.
        counts: PoolCounts,
        /// How many of them are unused.
        available: usize,
    },
    /// The folder was opened to inspect it, and a run's operation was asked of it.
    #[error("the state folder was opened to inspect it, not for a run")]
    NotForRuns,
}

impl StateError {
    fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

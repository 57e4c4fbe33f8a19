//! Owns response snapshots: the `.snap` file format (insta-compatible), comparing,
//! diffs, pending `.snap.new` files and their review.
//!
//! Snapshots live flat under one root folder as `<name>.snap`; a result that
//! differs from (or has no) stored snapshot is written beside it as
//! `<name>.snap.new` until someone accepts or rejects it. The files are the ones
//! insta writes, so `cargo insta review` works on them too.
//!
//! Receives bodies already redacted and formatted by the engine. Must not touch
//! HTTP, templates or the engine, nor the terminal beyond the interactive review
//! it is asked to run.

mod diff;
mod file;
mod fsio;
mod name;
mod pending;
mod review;
mod store;
mod yaml;

use std::path::PathBuf;

pub use diff::diff_text;
pub use file::{SnapshotFile, format_json_body};
pub use name::snapshot_name;
pub use pending::{PendingSnapshot, accept, pending, reject, unreferenced};
pub use review::{Answers, KeyPresses, ReviewSummary, review};
pub use store::{SnapshotMode, SnapshotRecord, SnapshotStore, request_info};

/// Says what a snapshot comparison came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotStatus {
    /// The stored snapshot matched.
    Matched,
    /// No snapshot was stored yet (the step fails until it is accepted).
    New,
    /// The stored snapshot differs (the step fails).
    Mismatched,
    /// The stored snapshot was written or overwritten, as asked.
    Updated,
}

/// Reports one step's snapshot comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotReport {
    /// The outcome.
    pub status: SnapshotStatus,
    /// The `.snap` file the step compares with.
    pub path: PathBuf,
    /// The pending `.snap.new` file written, if any.
    pub pending: Option<PathBuf>,
    /// A unified diff (old -> new) for a mismatch, without colour.
    pub diff: Option<String>,
    /// Why a new or differing result was written nowhere, when it was not:
    /// `CI is set` or `--snapshots no`.
    pub unwritten: Option<String>,
}

/// Explains why snapshots could not be read, written or reviewed.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// A file or folder could not be read, written, renamed or removed.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done: `read`, `write`, `remove`, `list`...
        action: &'static str,
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A snapshot file exists but is not in the `.snap` format.
    #[error("{path} is not a valid snapshot file: {reason}")]
    Malformed {
        /// The offending file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A snapshot name would not stay a plain file name inside the snapshot folder.
    #[error("invalid snapshot name {name:?}: names must be non-empty file names without path separators")]
    InvalidName {
        /// The rejected name.
        name: String,
    },
    /// The interactive review could not read an answer or print a snapshot.
    #[error("could not talk to the terminal during review: {0}")]
    Terminal(#[source] std::io::Error),
}

impl SnapshotError {
    fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| SnapshotError::Io { action, path, source }
    }
}

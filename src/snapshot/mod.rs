//! Owns response snapshots: the `.snap` file format (insta-compatible), comparing,
//! diffs, pending `.snap.new` files and their review.
//!
//! Must not touch HTTP or the terminal beyond the interactive review it is asked to run.

use std::path::PathBuf;

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
}

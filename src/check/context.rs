//! Owns [`EvalContext`]: what evaluation needs beyond the response, namely
//! where relative files are found (`equals_file`, schema files and their
//! `$ref`s), the folder no file may leave, and the clock date filters read.
//!
//! Plain data: must not read files or evaluate anything itself.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

/// Holds the surroundings of one evaluation.
#[derive(Debug, Clone)]
pub struct EvalContext {
    /// The folder relative file paths start from: the scenario file's folder.
    pub base_dir: PathBuf,
    /// The folder files must lie in (the project): `$ref`s and
    /// `equals_file` paths that leave it are refused.
    pub root: PathBuf,
    /// "Now", for `days_before_now` and `days_after_now`.
    pub now: OffsetDateTime,
}

impl EvalContext {
    /// Creates a context for a scenario file, with the project folder and the clock now.
    #[must_use]
    pub fn for_file(scenario_file: &Path, root: &Path) -> Self {
        Self {
            base_dir: scenario_file.parent().map(Path::to_path_buf).unwrap_or_default(),
            root: root.to_path_buf(),
            now: OffsetDateTime::now_utc(),
        }
    }
}

impl Default for EvalContext {
    fn default() -> Self {
        Self {
            base_dir: PathBuf::new(),
            root: PathBuf::from("."),
            now: OffsetDateTime::now_utc(),
        }
    }
}

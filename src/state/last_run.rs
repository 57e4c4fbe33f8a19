//! Owns `last-run.json`: the record of the latest run's scenarios that did
//! not pass (failed, errored, or never finished because the run was
//! interrupted), each as its id and its file, which `run --rerun-failed`
//! selects again. Written atomically, so a crash leaves the previous record
//! whole; two runs at once leave the record of the one that ended last.
//!
//! Must not decide which scenarios a record selects, nor read scenario
//! files: callers hand it ids and paths as strings, and read them back.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::StateError;
use super::file::timestamp;
use super::folder::{prepare, write_atomically};

/// Names the record's file in the state folder.
pub const LAST_RUN_FILE: &str = "last-run.json";

/// The record format this version reads and writes.
const FORMAT: u32 = 1;

/// Records how the latest run ended: when, how many scenarios it ran, and
/// which of them did not pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastRun {
    /// The format version, so a later version can tell old records apart.
    format: u32,
    /// When the run ended (RFC 3339, UTC).
    pub finished_at: String,
    /// How many scenarios the run selected.
    pub scenarios: usize,
    /// The scenarios that did not pass, in the run's order.
    pub failed: Vec<NotPassed>,
}

/// Names one scenario that did not pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotPassed {
    /// The scenario's id: its name, with its matrix combination in brackets.
    pub id: String,
    /// Its file, relative to the project's folder, with `/` separators.
    pub file: String,
    /// How it ended.
    pub status: NotPassedStatus,
}

/// Tells how a scenario that did not pass ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotPassedStatus {
    /// An expectation did not hold.
    Failed,
    /// A step could not run.
    Errored,
    /// The run was interrupted before it finished.
    Unfinished,
}

impl LastRun {
    /// Builds the record of a run that ended now.
    #[must_use]
    pub fn now(scenarios: usize, failed: Vec<NotPassed>) -> Self {
        Self {
            format: FORMAT,
            finished_at: timestamp(SystemTime::now()),
            scenarios,
            failed,
        }
    }

    /// Writes the record into the state folder at `root` (creating the
    /// folder, git-ignored, when needed), replacing the previous one at once.
    ///
    /// # Errors
    /// Returns [`StateError::Io`] when the folder or the file cannot be written.
    pub fn keep(&self, root: &Path) -> Result<(), StateError> {
        prepare(root)?;
        let path = root.join(LAST_RUN_FILE);
        let mut text = serde_json::to_string_pretty(self).map_err(|e| StateError::Corrupt {
            path: path.clone(),
            message: e.to_string(),
        })?;
        text.push('\n');
        write_atomically(&path, text.as_bytes())
    }

    /// Reads the record kept in the state folder at `root`; `None` when no run kept one.
    ///
    /// # Errors
    /// Returns [`StateError::Io`] when the file cannot be read, and
    /// [`StateError::Corrupt`] when it is not a record this version writes.
    pub fn read(root: &Path) -> Result<Option<Self>, StateError> {
        let path = root.join(LAST_RUN_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StateError::io(&path, e)),
        };
        let record: Self = serde_json::from_str(&text).map_err(|e| corrupt(&path, e.to_string()))?;
        if record.format != FORMAT {
            return Err(corrupt(
                &path,
                format!("format {} where {FORMAT} is expected", record.format),
            ));
        }
        Ok(Some(record))
    }
}

fn corrupt(path: &Path, message: String) -> StateError {
    StateError::Corrupt {
        path: PathBuf::from(path),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_record_reads_back_and_the_folder_ignores_itself() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("state");
        assert_eq!(LastRun::read(&root).unwrap(), None, "no run kept one yet");
        let record = LastRun::now(
            3,
            vec![NotPassed {
                id: "Login [account=sms]".into(),
                file: "scenarios/login.yaml".into(),
                status: NotPassedStatus::Errored,
            }],
        );
        record.keep(&root).unwrap();
        assert_eq!(LastRun::read(&root).unwrap(), Some(record));
        let text = std::fs::read_to_string(root.join(LAST_RUN_FILE)).unwrap();
        assert!(text.contains(r#""status": "errored""#), "{text}");
        assert!(root.join(".gitignore").exists());
        let leftovers = std::fs::read_dir(&root)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn a_record_of_another_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(LAST_RUN_FILE),
            r#"{"format":9,"finished_at":"t","scenarios":0,"failed":[]}"#,
        )
        .unwrap();
        let err = LastRun::read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("format 9"), "{err}");
    }
}

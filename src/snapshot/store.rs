//! Compares a step's snapshot with the stored one and writes what the mode allows.
//!
//! Must not redact or format bodies (the engine hands them ready), nor write
//! anything in CI mode or when the mode forbids it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::diff::diff_text;
use super::file::{SnapshotFile, normalize_body};
use super::fsio::{PENDING_SUFFIX, SNAP_SUFFIX, path_of, remove_if_exists, write_atomically};
use super::{SnapshotError, SnapshotReport, SnapshotStatus};

/// Says what a run may do with snapshot files (`--snapshots check|update|no`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SnapshotMode {
    /// Compares; writes `.snap.new` for new or differing results (not in CI).
    #[default]
    Check,
    /// Writes every differing or new result straight to `.snap`.
    Update,
    /// Compares and never writes.
    No,
}

impl SnapshotMode {
    /// Returns the command-line spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotMode::Check => "check",
            SnapshotMode::Update => "update",
            SnapshotMode::No => "no",
        }
    }
}

impl fmt::Display for SnapshotMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SnapshotMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "check" => Ok(SnapshotMode::Check),
            "update" => Ok(SnapshotMode::Update),
            "no" => Ok(SnapshotMode::No),
            other => Err(format!(
                "unknown snapshot mode {other:?}; expected check, update or no"
            )),
        }
    }
}

/// Holds what one step wants compared: redacted and formatted already.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRecord {
    /// The file stem, from [`super::snapshot_name`].
    pub name: String,
    /// The scenario file, relative, with forward slashes.
    pub source: String,
    /// `<scenario name> / <step name>`.
    pub description: String,
    /// A map such as `{method, path, status}`, written under `info:`; `null` for none.
    pub info: serde_json::Value,
    /// The formatted body (see [`super::format_json_body`]).
    pub body: String,
}

impl SnapshotRecord {
    fn to_file(&self) -> SnapshotFile {
        SnapshotFile::new(&self.source, &self.description, &self.info, &self.body)
    }
}

/// Returns the `info` map recorded with a response snapshot.
#[must_use]
pub fn request_info(method: &str, path: &str, status: u16) -> serde_json::Value {
    serde_json::json!({ "method": method, "path": path, "status": status })
}

/// Stores snapshots under one root folder and compares results with them.
#[derive(Debug, Clone)]
pub struct SnapshotStore {
    root: PathBuf,
    mode: SnapshotMode,
    ci: bool,
}

impl SnapshotStore {
    /// Creates a store over `root` (created on first write). `ci` forbids the
    /// `.snap.new` files of [`SnapshotMode::Check`], so CI never leaves files behind.
    #[must_use]
    pub fn new(root: PathBuf, mode: SnapshotMode, ci: bool) -> Self {
        Self { root, mode, ci }
    }

    /// Returns the snapshot folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns the mode the store runs in.
    #[must_use]
    pub fn mode(&self) -> SnapshotMode {
        self.mode
    }

    /// Compares `record` with its stored snapshot and writes, removes or
    /// leaves files as the mode says. A mismatch is a report, not an error.
    ///
    /// Check mode compares bodies only, like insta. Update mode compares whole
    /// files, so a changed description is rewritten too; an identical file is
    /// left untouched and reported as [`SnapshotStatus::Matched`].
    ///
    /// # Errors
    /// Fails when the name is not a plain file name, when the stored snapshot
    /// cannot be read or parsed (outside update mode), or when a write fails.
    pub fn check(&self, record: &SnapshotRecord) -> Result<SnapshotReport, SnapshotError> {
        validate_name(&record.name)?;
        let path = path_of(&self.root, &record.name, SNAP_SUFFIX);
        let pending_path = path_of(&self.root, &record.name, PENDING_SUFFIX);
        let new = record.to_file();
        let may_write_pending = self.mode == SnapshotMode::Check && !self.ci;

        if self.mode == SnapshotMode::Update {
            let new_text = new.to_text();
            let unchanged = match std::fs::read_to_string(&path) {
                Ok(stored) => stored == new_text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                Err(e) => return Err(SnapshotError::io("read", &path)(e)),
            };
            if !unchanged {
                write_atomically(&path, &new_text)?;
            }
            remove_if_exists(&pending_path)?;
            let status = if unchanged {
                SnapshotStatus::Matched
            } else {
                SnapshotStatus::Updated
            };
            return Ok(report(status, path, None, None, None));
        }

        let stored = match SnapshotFile::read(&path) {
            Ok(stored) => Some(stored),
            Err(SnapshotError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let Some(stored) = stored else {
            let pending = write_pending(may_write_pending, &pending_path, &new)?;
            return Ok(report(SnapshotStatus::New, path, pending, None, self.unwritten()));
        };
        if stored.normalized_body() == normalize_body(&record.body) {
            if may_write_pending {
                remove_if_exists(&pending_path)?;
            }
            return Ok(report(SnapshotStatus::Matched, path, None, None, None));
        }
        let diff = diff_text(stored.body(), &record.body);
        let pending = write_pending(may_write_pending, &pending_path, &new)?;
        Ok(report(
            SnapshotStatus::Mismatched,
            path,
            pending,
            Some(diff),
            self.unwritten(),
        ))
    }

    /// Says why a check writes no `.snap.new`, when it does not.
    fn unwritten(&self) -> Option<String> {
        match self.mode {
            SnapshotMode::Check if self.ci => Some("CI is set".to_owned()),
            SnapshotMode::No => Some("--snapshots no".to_owned()),
            SnapshotMode::Check | SnapshotMode::Update => None,
        }
    }
}

/// Writes the pending `.snap.new` when `allowed`; returns its path if written.
fn write_pending(
    allowed: bool,
    pending_path: &Path,
    new: &SnapshotFile,
) -> Result<Option<PathBuf>, SnapshotError> {
    if !allowed {
        return Ok(None);
    }
    write_atomically(pending_path, &new.to_text())?;
    Ok(Some(pending_path.to_owned()))
}

fn report(
    status: SnapshotStatus,
    path: PathBuf,
    pending: Option<PathBuf>,
    diff: Option<String>,
    unwritten: Option<String>,
) -> SnapshotReport {
    SnapshotReport {
        status,
        path,
        pending,
        diff,
        unwritten,
    }
}

/// Rejects names that would leave the snapshot folder or hide the file.
fn validate_name(name: &str) -> Result<(), SnapshotError> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && !name.ends_with(SNAP_SUFFIX);
    if plain {
        Ok(())
    } else {
        Err(SnapshotError::InvalidName {
            name: name.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_modes() {
        for mode in [SnapshotMode::Check, SnapshotMode::Update, SnapshotMode::No] {
            assert_eq!(mode.as_str().parse::<SnapshotMode>(), Ok(mode));
        }
        assert!("always".parse::<SnapshotMode>().is_err());
        assert_eq!(SnapshotMode::default(), SnapshotMode::Check);
    }

    #[test]
    fn refuses_names_that_escape_the_folder() {
        for name in ["", "../x", "a/b", "a\\b", ".hidden", "x.snap"] {
            assert!(validate_name(name).is_err(), "{name:?}");
        }
        assert!(validate_name("login__post-login").is_ok());
    }

    #[test]
    fn builds_request_info() {
        assert_eq!(
            request_info("POST", "/login", 200),
            serde_json::json!({"method": "POST", "path": "/login", "status": 200})
        );
    }
}

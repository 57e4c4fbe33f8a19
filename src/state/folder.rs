//! Owns [`StateDir`]: the state folder on disk. Creates it (with a
//! `.gitignore` that ignores everything in it, and its random key), holds
//! this run's lease, and runs every read-modify-write of `state.json` under
//! an exclusive advisory lock on `state.lock`, writing the file atomically
//! (a temporary file, then a rename), so two runs at once never lose each
//! other's marks and an interrupted write never leaves half a file.
//!
//! Must not decide what the marks mean (the TOTP and pool files do).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::StateError;
use super::file::{FORMAT, StateFile};
use super::fingerprint::{Fingerprint, Key};
use super::lease::Lease;

/// Names the state folder used when nothing else is configured, beside `scenario.yaml`.
pub const DEFAULT_FOLDER: &str = ".scenario-state";

const STATE_FILE: &str = "state.json";
const LOCK_FILE: &str = "state.lock";
const KEY_FILE: &str = "key";
const GITIGNORE: &str = ".gitignore";

/// Opens the state folder: its key, and for a run, its lease.
#[derive(Debug)]
pub struct StateDir {
    root: PathBuf,
    key: Key,
    lease: Option<Lease>,
}

impl StateDir {
    /// Opens (creating when needed) the folder at `root` for a run, taking a lease.
    ///
    /// # Errors
    /// Returns [`StateError`] when the folder or its files cannot be created or read.
    pub fn open_for_run(root: &Path) -> Result<Self, StateError> {
        let mut dir = Self::create(root)?;
        dir.lease = Some(Lease::acquire(root)?);
        Ok(dir)
    }

    /// Opens an existing folder to show or reset it; `None` when there is none.
    ///
    /// # Errors
    /// Returns [`StateError`] when the folder exists but cannot be read.
    pub fn open_existing(root: &Path) -> Result<Option<Self>, StateError> {
        if !root.join(KEY_FILE).exists() {
            return Ok(None);
        }
        Self::create(root).map(Some)
    }

    /// Creates the folder, its `.gitignore` and its key, as needed.
    fn create(root: &Path) -> Result<Self, StateError> {
        prepare(root)?;
        let _guard = lock(root)?;
        let key_path = root.join(KEY_FILE);
        let key = match std::fs::read_to_string(&key_path) {
            Ok(text) => Key::from_hex(&text).ok_or_else(|| StateError::Corrupt {
                path: key_path.clone(),
                message: "the key is not 64 hex digits".to_owned(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Key::generate().map_err(|e| StateError::io(&key_path, e))?;
                write_private(&key_path, key.to_hex().as_bytes())?;
                key
            }
            Err(e) => return Err(StateError::io(&key_path, e)),
        };
        Ok(Self {
            root: root.to_path_buf(),
            key,
            lease: None,
        })
    }

    /// Returns the folder's path.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Fingerprints `parts` under `domain` with the folder's key.
    pub(super) fn fingerprint(&self, domain: &str, parts: &[&[u8]]) -> Fingerprint {
        self.key.fingerprint(domain, parts)
    }

    /// Returns this run's lease id.
    pub(super) fn lease_id(&self) -> Result<&str, StateError> {
        self.lease.as_ref().map(Lease::id).ok_or(StateError::NotForRuns)
    }

    /// Reads `state.json` under the lock, applies `change`, and writes the
    /// file back (atomically) when it changed.
    pub(super) fn transact<R>(&self, change: impl FnOnce(&mut StateFile) -> R) -> Result<R, StateError> {
        let _guard = lock(&self.root)?;
        let mut state = self.read_unlocked()?;
        let before = state.clone();
        let outcome = change(&mut state);
        if state != before {
            self.write_unlocked(&state)?;
        }
        Ok(outcome)
    }

    /// Replaces `state.json` with an empty state, whatever it held (even a corrupt file).
    pub(super) fn overwrite(&self, state: &StateFile) -> Result<(), StateError> {
        let _guard = lock(&self.root)?;
        self.write_unlocked(state)
    }

    /// Reads `state.json` under the lock, without changing it.
    pub(super) fn read(&self) -> Result<StateFile, StateError> {
        let _guard = lock(&self.root)?;
        self.read_unlocked()
    }

    fn read_unlocked(&self) -> Result<StateFile, StateError> {
        let path = self.root.join(STATE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(StateFile::default()),
            Err(e) => return Err(StateError::io(&path, e)),
        };
        let state: StateFile = serde_json::from_str(&text).map_err(|e| StateError::Corrupt {
            path: path.clone(),
            message: e.to_string(),
        })?;
        if state.format != FORMAT {
            return Err(StateError::Corrupt {
                path,
                message: format!("format {} where {FORMAT} is expected", state.format),
            });
        }
        Ok(state)
    }

    fn write_unlocked(&self, state: &StateFile) -> Result<(), StateError> {
        let path = self.root.join(STATE_FILE);
        let mut text = serde_json::to_string_pretty(state).map_err(|e| StateError::Corrupt {
            path: path.clone(),
            message: e.to_string(),
        })?;
        text.push('\n');
        write_atomically(&path, text.as_bytes())
    }
}

/// Creates the folder and the `.gitignore` that keeps it out of version control, as needed.
pub(super) fn prepare(root: &Path) -> Result<(), StateError> {
    std::fs::create_dir_all(root).map_err(|e| StateError::io(root, e))?;
    let ignore = root.join(GITIGNORE);
    if !ignore.exists() {
        write_atomically(
            &ignore,
            b"# Written by `scenario`: run state, never committed.\n*\n",
        )?;
    }
    Ok(())
}

/// Holds the folder's exclusive lock until dropped.
struct Guard(#[allow(dead_code)] File);

/// Takes the folder's exclusive lock, waiting for another process to release it.
fn lock(root: &Path) -> Result<Guard, StateError> {
    let path = root.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| StateError::io(&path, e))?;
    file.lock().map_err(|e| StateError::io(&path, e))?;
    Ok(Guard(file))
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let temporary = temporary_beside(path);
    let written = (|| {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        StateError::io(path, e)
    })
}

/// Writes the key readable by its owner only (where the system has modes).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let temporary = temporary_beside(path);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = (|| {
        let mut file = options.open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        StateError::io(path, e)
    })
}

/// Names a temporary file beside `path` that no other process picks.
fn temporary_beside(path: &Path) -> PathBuf {
    let mut bytes = [0_u8; 6];
    let suffix = match getrandom::fill(&mut bytes) {
        Ok(()) => bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        Err(_) => std::process::id().to_string(),
    };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{suffix}.tmp"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_folder_ignores_itself_and_keeps_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("state");
        assert!(StateDir::open_existing(&root).unwrap().is_none());
        let first = StateDir::open_for_run(&root).unwrap();
        let ignore = std::fs::read_to_string(root.join(GITIGNORE)).unwrap();
        assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
        let again = StateDir::open_existing(&root).unwrap().unwrap();
        assert_eq!(
            first.fingerprint("pool", &[b"x"]),
            again.fingerprint("pool", &[b"x"]),
            "the key is kept"
        );
        assert!(again.lease_id().is_err(), "inspecting takes no lease");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(root.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the key is private: {mode:o}");
        }
    }

    #[test]
    fn transactions_write_only_what_changed_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open_for_run(dir.path()).unwrap();
        state.transact(|_| ()).unwrap();
        assert!(
            !dir.path().join(STATE_FILE).exists(),
            "nothing changed, nothing written"
        );
        state
            .transact(|file| {
                file.pools.entry("codes".into()).or_default();
            })
            .unwrap();
        assert!(state.read().unwrap().pools.contains_key("codes"));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_corrupt_file_is_named_with_the_way_out() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open_for_run(dir.path()).unwrap();
        std::fs::write(dir.path().join(STATE_FILE), "{not json").unwrap();
        let err = state.read().unwrap_err().to_string();
        assert!(
            err.contains("state.json") && err.contains("scenario state reset"),
            "{err}"
        );
        state.overwrite(&StateFile::default()).unwrap();
        assert!(state.read().is_ok());
    }
}

//! Owns run leases: each run that may take pool values holds an exclusive
//! lock on its own file `runs/<id>.lock` for as long as it lives, so another
//! process can tell a live run's marks from those a crashed run left behind
//! (the operating system drops the lock of a process that is gone).
//!
//! Must not read or write `state.json`: the pool marks name a lease by id,
//! and the folder decides what a stale one means.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::StateError;

/// The folder, inside the state folder, holding one lock file per live run.
const RUNS: &str = "runs";

/// Holds this run's lease; dropping it ends the lease and removes its file.
#[derive(Debug)]
pub(super) struct Lease {
    id: String,
    path: PathBuf,
    file: Option<File>,
}

impl Lease {
    /// Takes a new lease under `root`.
    pub(super) fn acquire(root: &Path) -> Result<Self, StateError> {
        let runs = root.join(RUNS);
        std::fs::create_dir_all(&runs).map_err(|e| StateError::io(&runs, e))?;
        let mut bytes = [0_u8; 8];
        getrandom::fill(&mut bytes)
            .map_err(|e| StateError::io(&runs, std::io::Error::other(e.to_string())))?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let path = runs.join(format!("{id}.lock"));
        let file = OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(&path)
            .map_err(|e| StateError::io(&path, e))?;
        file.try_lock().map_err(|e| {
            let source = match e {
                TryLockError::Error(e) => e,
                TryLockError::WouldBlock => std::io::Error::other("the new lease is locked already"),
            };
            StateError::io(&path, source)
        })?;
        Ok(Self {
            id,
            path,
            file: Some(file),
        })
    }

    /// Returns the lease's id, as pool marks name it.
    pub(super) fn id(&self) -> &str {
        &self.id
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // Closing the file releases the lock; the file itself is only a name.
        drop(self.file.take());
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Tells whether the run holding lease `id` is still alive; a lease whose
/// file is gone or unlocked is stale, and its file is removed.
pub(super) fn is_alive(root: &Path, id: &str) -> bool {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let path = root.join(RUNS).join(format!("{id}.lock"));
    let Ok(file) = OpenOptions::new().write(true).open(&path) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => {
            drop(file);
            let _ = std::fs::remove_file(&path);
            false
        }
        Err(TryLockError::WouldBlock) => true,
        // Unsure: keep the marks rather than hand a value out twice.
        Err(TryLockError::Error(_)) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lease_is_alive_and_a_dropped_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let lease = Lease::acquire(dir.path()).unwrap();
        let id = lease.id().to_owned();
        assert!(is_alive(dir.path(), &id));
        drop(lease);
        assert!(!is_alive(dir.path(), &id));
        assert!(!is_alive(dir.path(), "../escape"));
    }

    #[test]
    fn a_lease_file_nobody_locks_is_stale_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(RUNS)).unwrap();
        let left = dir.path().join(RUNS).join("abcd.lock");
        std::fs::write(&left, "").unwrap();
        assert!(!is_alive(dir.path(), "abcd"));
        assert!(!left.exists());
    }
}

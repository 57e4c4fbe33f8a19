//! Lists, accepts and rejects pending `.snap.new` files, and finds stored
//! snapshots that no step produces any more.
//!
//! Must not ask anyone anything: the interactive review lives in `review`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::SnapshotError;
use super::file::SnapshotFile;
use super::fsio::{
    PENDING_SUFFIX, SNAP_SUFFIX, names_with_suffix, path_of, remove_if_exists, write_atomically,
};

/// Describes one pending snapshot waiting for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSnapshot {
    /// The snapshot name (file stem).
    pub name: String,
    /// The `.snap.new` file holding the new result.
    pub pending_path: PathBuf,
    /// The `.snap` file it would replace.
    pub snapshot_path: PathBuf,
    /// Whether that `.snap` file exists (otherwise the snapshot is new).
    pub stored: bool,
}

/// Returns every pending snapshot under `root`, sorted by name.
///
/// # Errors
/// Fails when `root` exists but cannot be listed.
pub fn pending(root: &Path) -> Result<Vec<PendingSnapshot>, SnapshotError> {
    Ok(names_with_suffix(root, PENDING_SUFFIX)?
        .into_iter()
        .map(|name| {
            let snapshot_path = path_of(root, &name, SNAP_SUFFIX);
            PendingSnapshot {
                pending_path: path_of(root, &name, PENDING_SUFFIX),
                stored: snapshot_path.is_file(),
                snapshot_path,
                name,
            }
        })
        .collect())
}

/// Accepts pending snapshots whose name contains `filter` (all when `None`):
/// each `.snap.new` becomes the `.snap`, its header rewritten without insta's
/// `assertion_line`. Returns the `.snap` files written.
///
/// # Errors
/// Fails at the first pending file that cannot be read, parsed or written;
/// the ones before it stay accepted.
pub fn accept(root: &Path, filter: Option<&str>) -> Result<Vec<PathBuf>, SnapshotError> {
    let mut accepted = Vec::new();
    for item in matching(root, filter)? {
        accept_one(&item)?;
        accepted.push(item.snapshot_path);
    }
    Ok(accepted)
}

/// Rejects pending snapshots whose name contains `filter` (all when `None`)
/// by deleting their `.snap.new`. Returns the files deleted.
///
/// # Errors
/// Fails at the first file that cannot be deleted.
pub fn reject(root: &Path, filter: Option<&str>) -> Result<Vec<PathBuf>, SnapshotError> {
    let mut rejected = Vec::new();
    for item in matching(root, filter)? {
        if remove_if_exists(&item.pending_path)? {
            rejected.push(item.pending_path);
        }
    }
    Ok(rejected)
}

/// Returns the `.snap` files under `root` whose names are not in `produced`
/// (the names every step would produce now), sorted.
///
/// # Errors
/// Fails when `root` exists but cannot be listed.
pub fn unreferenced(root: &Path, produced: &BTreeSet<String>) -> Result<Vec<PathBuf>, SnapshotError> {
    Ok(names_with_suffix(root, SNAP_SUFFIX)?
        .into_iter()
        .filter(|name| !produced.contains(name))
        .map(|name| path_of(root, &name, SNAP_SUFFIX))
        .collect())
}

/// Moves one pending snapshot in place of the stored one.
pub(crate) fn accept_one(item: &PendingSnapshot) -> Result<(), SnapshotError> {
    let file = SnapshotFile::read(&item.pending_path)?.without_assertion_line();
    write_atomically(&item.snapshot_path, &file.to_text())?;
    remove_if_exists(&item.pending_path)?;
    Ok(())
}

/// Removes one pending snapshot.
pub(crate) fn reject_one(item: &PendingSnapshot) -> Result<(), SnapshotError> {
    remove_if_exists(&item.pending_path).map(drop)
}

fn matching(root: &Path, filter: Option<&str>) -> Result<Vec<PendingSnapshot>, SnapshotError> {
    let mut items = pending(root)?;
    if let Some(filter) = filter {
        items.retain(|item| item.name.contains(filter));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn accept_strips_assertion_line() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("m__a.snap.new"),
            "---\nsource: src/main.rs\nassertion_line: 42\ndescription: x\n---\nbody\n",
        )
        .unwrap();
        let accepted = accept(dir.path(), None).unwrap();
        assert_eq!(accepted, [dir.path().join("m__a.snap")]);
        assert_eq!(
            fs::read_to_string(&accepted[0]).unwrap(),
            "---\nsource: src/main.rs\ndescription: x\n---\nbody\n"
        );
        assert!(!dir.path().join("m__a.snap.new").exists());
    }

    #[test]
    fn broken_pending_file_is_reported_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("m__a.snap.new"), "---\nsource: x\n").unwrap();
        let err = accept(dir.path(), None).unwrap_err();
        assert!(matches!(err, SnapshotError::Malformed { .. }), "{err}");
        assert!(dir.path().join("m__a.snap.new").exists());
        assert!(!dir.path().join("m__a.snap").exists());
    }
}

//! Touches the snapshot folder: atomic writes, removals and listings.
//!
//! Must not parse or compare snapshot contents: it moves text and names only.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::SnapshotError;

/// Suffix of stored snapshots.
pub(crate) const SNAP_SUFFIX: &str = ".snap";
/// Suffix of pending snapshots waiting for review.
pub(crate) const PENDING_SUFFIX: &str = ".snap.new";

/// Writes `contents` to `path` through a temporary file in the same folder and
/// a rename, so readers and interrupted runs only ever see the old or the new
/// file. Creates the folder when missing.
pub(crate) fn write_atomically(path: &Path, contents: &str) -> Result<(), SnapshotError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(SnapshotError::io("create", dir))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A leading dot and a suffix that is neither `.snap` nor `.snap.new` keep
    // leftovers of a crash out of every listing.
    let temp = dir.join(format!(".{file_name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = write_new_file(&temp, contents).and_then(|()| fs::rename(&temp, path));
    if let Err(source) = written {
        // Best effort: the temporary file may not even exist.
        let _ = fs::remove_file(&temp);
        return Err(SnapshotError::Io {
            action: "write",
            path: path.to_owned(),
            source,
        });
    }
    Ok(())
}

fn write_new_file(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// Removes `path`, which may already be gone. Returns whether it existed.
pub(crate) fn remove_if_exists(path: &Path) -> Result<bool, SnapshotError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(SnapshotError::io("remove", path)(e)),
    }
}

/// Returns the names (file names without `suffix`) of the files in `root`
/// ending in `suffix`, sorted. A missing folder holds no snapshot.
pub(crate) fn names_with_suffix(root: &Path, suffix: &str) -> Result<Vec<String>, SnapshotError> {
    let entries = match fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(SnapshotError::io("list", root)(e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(SnapshotError::io("list", root))?;
        let is_file = entry
            .file_type()
            .map_err(SnapshotError::io("list", root))?
            .is_file();
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        if let Some(name) = file_name.strip_suffix(suffix)
            && is_file
            && !name.is_empty()
            && !name.starts_with('.')
        {
            names.push(name.to_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// Returns `<root>/<name><suffix>`.
pub(crate) fn path_of(root: &Path, name: &str, suffix: &str) -> PathBuf {
    root.join(format!("{name}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_whole_files_and_leave_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/a.snap");
        write_atomically(&path, "first, longer content").unwrap();
        write_atomically(&path, "second").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "second");
        let entries: Vec<_> = fs::read_dir(dir.path().join("nested")).unwrap().collect();
        assert_eq!(entries.len(), 1);
    }

    #[test]
    fn lists_by_suffix_without_mixing_pending_and_stored() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "b.snap",
            "a.snap",
            "a.snap.new",
            ".x.snap.1.tmp",
            ".hidden.snap",
            "c.txt",
        ] {
            fs::write(dir.path().join(file), "").unwrap();
        }
        fs::create_dir(dir.path().join("d.snap")).unwrap();
        assert_eq!(names_with_suffix(dir.path(), SNAP_SUFFIX).unwrap(), ["a", "b"]);
        assert_eq!(names_with_suffix(dir.path(), PENDING_SUFFIX).unwrap(), ["a"]);
        assert!(
            names_with_suffix(&dir.path().join("missing"), SNAP_SUFFIX)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn removing_twice_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.snap.new");
        fs::write(&path, "").unwrap();
        assert!(remove_if_exists(&path).unwrap());
        assert!(!remove_if_exists(&path).unwrap());
    }
}

//! Owns report files: [`FileReporter`], the reporter that folds the run's
//! events and writes one file from them on finish, and the atomic write
//! behind it (a temporary file in the same folder, then a rename), so a reader
//! (or a CI job collecting artifacts) never sees half a report.
//!
//! Must not know any report's format: each [`Document`] (JSON, JUnit) turns
//! the fold into text; this file only stores it.

use std::fs;
use std::io::Write;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::fold::RunFold;
use super::{ReportError, Reporter};
use crate::engine::Event;

/// Distinguishes temporary files of several reports written by one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Turns the fold of a run into the text of one kind of report file.
pub trait Document {
    /// Returns the report's text for what `fold` holds; `path` is the file it
    /// goes to, named in errors.
    ///
    /// # Errors
    /// Returns the format's serialisation error, naming `path`.
    fn text(fold: &RunFold, path: &Path) -> Result<String, ReportError>;

    /// Writes the report for what `fold` holds to `out`; by default its
    /// [`Document::text`]. A format that can stream writes as it goes, so a
    /// large report is never held whole in memory.
    ///
    /// # Errors
    /// Returns the format's serialisation error or the write's, naming `path`.
    fn write_to(fold: &RunFold, out: &mut dyn Write, path: &Path) -> Result<(), ReportError> {
        let text = Self::text(fold, path)?;
        out.write_all(text.as_bytes())
            .map_err(|source| ReportError::Write {
                path: path.to_path_buf(),
                source,
            })
    }
}

/// Folds the run's events and writes them, once the run is over, as one
/// report file of kind `D`; only the first `finish` writes.
#[derive(Debug)]
pub struct FileReporter<D> {
    path: PathBuf,
    fold: RunFold,
    written: bool,
    document: PhantomData<D>,
}

impl<D: Document> FileReporter<D> {
    /// Creates a reporter that will write its report to `path`.
    #[must_use]
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            fold: RunFold::default(),
            written: false,
            document: PhantomData,
        }
    }

    /// Returns the report file this reporter writes.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Returns the text `finish` would write now.
    #[cfg(test)]
    pub(crate) fn text(&self) -> Result<String, ReportError> {
        D::text(&self.fold, &self.path)
    }
}

impl<D: Document + Send> Reporter for FileReporter<D> {
    fn on_event(&mut self, event: &Event) -> Result<(), ReportError> {
        self.fold.apply(event);
        Ok(())
    }

    fn finish(&mut self) -> Result<(), ReportError> {
        if self.written {
            return Ok(());
        }
        write_atomic_with(&self.path, |file| D::write_to(&self.fold, file, &self.path))?;
        self.written = true;
        Ok(())
    }
}

/// Writes `contents` to `path` atomically, creating the parent folder if needed.
///
/// # Errors
/// Returns [`ReportError::Write`] naming `path` when any file operation fails;
/// the temporary file is removed in that case.
#[cfg(test)]
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), ReportError> {
    write_atomic_with(path, |file| {
        file.write_all(contents).map_err(|source| ReportError::Write {
            path: path.to_path_buf(),
            source,
        })
    })
}

/// Writes what `fill` writes to `path` atomically, as [`write_atomic`] does.
///
/// # Errors
/// Returns what `fill` returns, or [`ReportError::Write`] naming `path` when
/// a file operation fails; the temporary file is removed in both cases.
pub(crate) fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let fail = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&folder).map_err(fail)?;
    let temp = folder.join(temp_name(path));
    let written = write_and_sync(&temp, fill, &fail).and_then(|()| fs::rename(&temp, path).map_err(fail));
    if written.is_err() {
        // Best effort: the original error is what the user needs to see.
        let _ = fs::remove_file(&temp);
    }
    written
}

fn write_and_sync(
    temp: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), ReportError>,
    fail: &impl Fn(std::io::Error) -> ReportError,
) -> Result<(), ReportError> {
    let file = fs::File::create(temp).map_err(fail)?;
    let mut out = std::io::BufWriter::new(file);
    fill(&mut out)?;
    let file = out.into_inner().map_err(|e| fail(e.into_error()))?;
    file.sync_all().map_err(fail)
}

/// Returns a hidden file name next to `path` that no other writer uses.
fn temp_name(path: &Path) -> String {
    let base = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let unique = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{base}.{}.{unique}.tmp", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/report.xml");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "second");
        let names: Vec<_> = fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("report.xml")]);
    }

    #[test]
    fn names_the_path_when_it_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be makes the final rename fail.
        let path = dir.path().join("taken");
        fs::create_dir_all(path.join("inner")).unwrap();
        let err = write_atomic(&path, b"x").unwrap_err();
        assert!(matches!(&err, ReportError::Write { path: p, .. } if *p == path));
        assert!(err.to_string().contains("taken"));
        let leftovers = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}

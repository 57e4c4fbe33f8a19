//! Writes report files atomically: a temporary file in the same folder, then a
//! rename, so a reader (or a CI job collecting artifacts) never sees half a report;
//! and collects the events such files are built from.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::ReportError;
use crate::engine::{Event, RunSummary, ScenarioResult};

/// Distinguishes temporary files of several reports written by one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `contents` to `path` atomically, creating the parent folder if needed.
///
/// # Errors
/// Returns [`ReportError::Write`] naming `path` when any file operation fails;
/// the temporary file is removed in that case.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), ReportError> {
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
    let written = write_and_sync(&temp, contents).and_then(|()| fs::rename(&temp, path));
    if let Err(source) = written {
        // Best effort: the original error is what the user needs to see.
        let _ = fs::remove_file(&temp);
        return Err(fail(source));
    }
    Ok(())
}

fn write_and_sync(temp: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = fs::File::create(temp)?;
    file.write_all(contents)?;
    file.sync_all()
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

/// Gathers what a report file needs from the events: the target, the
/// scenarios still running, the finished ones (converted to the report's own
/// entry type `T`), and the summary. Shared by the JUnit and JSON reporters.
#[derive(Debug, Clone)]
pub(crate) struct Collector<T> {
    pub(crate) target: Option<String>,
    started: BTreeMap<usize, (String, PathBuf)>,
    finished: BTreeMap<usize, T>,
    pub(crate) summary: Option<RunSummary>,
}

impl<T> Default for Collector<T> {
    fn default() -> Self {
        Self {
            target: None,
            started: BTreeMap::new(),
            finished: BTreeMap::new(),
            summary: None,
        }
    }
}

impl<T: Clone> Collector<T> {
    /// Records `event`, converting a finished scenario with `convert`.
    pub(crate) fn on_event(&mut self, event: &Event, convert: impl FnOnce(usize, &ScenarioResult) -> T) {
        match event {
            Event::RunStarted { target, .. } => self.target = Some(target.clone()),
            Event::ScenarioStarted { index, name, file } => {
                self.started.insert(*index, (name.clone(), file.clone()));
            }
            Event::StepFinished { .. } => {}
            Event::ScenarioFinished { index, result } => {
                self.started.remove(index);
                self.finished.insert(*index, convert(*index, result));
            }
            Event::RunFinished { summary } => self.summary = Some(summary.clone()),
        }
    }

    /// Returns every entry in scenario order; scenarios that started but never
    /// finished (an interrupted run) are built by `unfinished`.
    pub(crate) fn entries(&self, unfinished: impl Fn(usize, &str, &Path) -> T) -> Vec<T> {
        let mut all = self.finished.clone();
        for (index, (name, file)) in &self.started {
            all.entry(*index)
                .or_insert_with(|| unfinished(*index, name, file));
        }
        all.into_values().collect()
    }

    /// Tells whether the run finished with no scenario left running.
    pub(crate) fn complete(&self) -> bool {
        self.summary.is_some() && self.started.is_empty()
    }
}

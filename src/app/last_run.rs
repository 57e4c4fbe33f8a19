//! Owns the record of the last run that `--rerun-failed` reads: a reporter
//! that watches a run's scenarios finish and, once it ends, keeps those that
//! did not pass in the project's state folder (even when the run keeps no
//! other state there, as against the built-in mock), and reading it back as
//! the set of scenarios to select.
//!
//! Must not decide what else a selection keeps (`select` does) nor the
//! record's format (`crate::state` owns the file).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use super::rel_path::Places;
use crate::engine::{Event, Status};
use crate::error::Error;
use crate::model::load::LoadedScenario;
use crate::report::{ReportError, Reporter};
use crate::state::{LAST_RUN_FILE, LastRun, NotPassed, NotPassedStatus, StateError};

/// Watches a run and keeps its record when it ends.
pub(super) struct LastRunRecorder {
    scenarios: Vec<Arc<LoadedScenario>>,
    /// How each scenario ended, by position; `None` until it finished.
    ended: Vec<Option<Status>>,
    places: Places,
    folder: PathBuf,
}

impl std::fmt::Debug for LastRunRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LastRunRecorder")
            .field("folder", &self.folder)
            .finish_non_exhaustive()
    }
}

impl LastRunRecorder {
    /// Records a run of `scenarios` into the state folder `folder`, with
    /// files relative to the project's folder `root`.
    pub(super) fn new(scenarios: &[Arc<LoadedScenario>], root: &std::path::Path, folder: PathBuf) -> Self {
        Self {
            scenarios: scenarios.to_vec(),
            ended: vec![None; scenarios.len()],
            places: Places::new(root),
            folder,
        }
    }

    /// Returns the record of what has ended so far.
    fn record(&self) -> LastRun {
        let failed = self
            .scenarios
            .iter()
            .zip(&self.ended)
            .filter_map(|(loaded, ended)| {
                let status = match ended {
                    Some(Status::Passed) => return None,
                    Some(Status::Failed) => NotPassedStatus::Failed,
                    Some(Status::Errored) => NotPassedStatus::Errored,
                    // An interrupted run skips whole scenarios, or never ends them.
                    Some(Status::Skipped) | None => NotPassedStatus::Unfinished,
                };
                Some(NotPassed {
                    id: loaded.id(),
                    file: self.places.relative_to_root(&loaded.file),
                    status,
                })
            })
            .collect();
        LastRun::now(self.scenarios.len(), failed)
    }
}

impl Reporter for LastRunRecorder {
    fn on_event(&mut self, event: &Event) -> Result<(), ReportError> {
        if let Event::ScenarioFinished { index, result } = event
            && let Some(slot) = self.ended.get_mut(*index)
        {
            *slot = Some(result.status);
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), ReportError> {
        // A record that cannot be kept costs only `--rerun-failed` later:
        // warn, and leave the run's outcome as it is.
        if let Err(e) = self.record().keep(&self.folder) {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "warning: could not keep the record of this run for --rerun-failed: {e}"
            );
        }
        Ok(())
    }
}

/// Holds what `--rerun-failed` selects: the (project-relative file, id)
/// pairs of the last run's scenarios that did not pass.
#[derive(Debug, Clone)]
pub(super) enum Rerun {
    /// No run kept a record in this state folder.
    NoRecord(PathBuf),
    /// The last run's record.
    Record {
        /// When it ended.
        finished_at: String,
        /// How many scenarios it ran.
        scenarios: usize,
        /// What did not pass.
        not_passed: BTreeSet<(String, String)>,
    },
}

impl Rerun {
    /// Reads the record kept in the state folder `folder`.
    ///
    /// # Errors
    /// Returns [`Error::Usage`] when the record is unreadable or in another format.
    pub(super) fn read(folder: PathBuf) -> Result<Self, Error> {
        match LastRun::read(&folder) {
            Ok(None) => Ok(Rerun::NoRecord(folder.join(LAST_RUN_FILE))),
            Ok(Some(record)) => Ok(Rerun::Record {
                finished_at: record.finished_at,
                scenarios: record.scenarios,
                not_passed: record.failed.into_iter().map(|s| (s.file, s.id)).collect(),
            }),
            Err(StateError::Corrupt { path, message }) => Err(Error::Usage(format!(
                "--rerun-failed: {} is not a record this version can read ({message}); \
                 a run without --rerun-failed writes a new one",
                path.display()
            ))),
            Err(e) => Err(Error::Usage(format!("--rerun-failed: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ScenarioResult;

    fn loaded(file: &str, name: &str) -> Arc<LoadedScenario> {
        let file = Arc::new(PathBuf::from(file));
        let source = format!("name: {name}\nsteps:\n  - get: /x\n");
        let scenario = crate::model::load::parse_scenario(&file, &source).unwrap();
        Arc::new(LoadedScenario {
            file,
            source: source.into(),
            scenario,
            case: None,
        })
    }

    fn finished(index: usize, status: Status) -> Event {
        Event::ScenarioFinished {
            index,
            result: Arc::new(ScenarioResult {
                status,
                ..ScenarioResult::default()
            }),
        }
    }

    #[test]
    fn the_record_keeps_what_did_not_pass_and_reads_back_as_a_selection() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("state");
        let plan = [
            loaded("s/a.yaml", "A"),
            loaded("s/b.yaml", "B"),
            loaded("s/c.yaml", "C"),
            loaded("s/d.yaml", "D"),
        ];
        let mut recorder = LastRunRecorder::new(&plan, std::path::Path::new(""), folder.clone());
        assert!(matches!(Rerun::read(folder.clone()).unwrap(), Rerun::NoRecord(_)));
        for event in [
            finished(0, Status::Passed),
            finished(1, Status::Failed),
            finished(2, Status::Errored),
        ] {
            recorder.on_event(&event).unwrap();
        }
        recorder.finish().unwrap();
        let Rerun::Record {
            scenarios,
            not_passed,
            ..
        } = Rerun::read(folder).unwrap()
        else {
            panic!("no record")
        };
        assert_eq!(scenarios, 4);
        let expected: BTreeSet<(String, String)> = [("s/b.yaml", "B"), ("s/c.yaml", "C"), ("s/d.yaml", "D")]
            .into_iter()
            .map(|(f, i)| (f.to_owned(), i.to_owned()))
            .collect();
        assert_eq!(not_passed, expected, "D never finished");
    }
}

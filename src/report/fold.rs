//! Owns [`RunFold`]: the one fold of the engine's events into what every
//! report is built from: the target and where the run's settings came from,
//! how many scenarios were announced, which
//! are running (with the steps their current attempt reported so far), which
//! finished with what result, the run's summary, and whether the run completed.
//!
//! Must not render, print or write anything: reporters read the fold and
//! decide how to show it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::{Event, RunContext, RunSummary, ScenarioResult, StepResult};

/// Describes a scenario that started and has not finished, with the steps it
/// reported so far (shown if the run stops before it finishes).
#[derive(Debug, Clone)]
pub(crate) struct Running {
    pub(crate) name: String,
    pub(crate) file: PathBuf,
    pub(crate) steps: Vec<Arc<StepResult>>,
}

/// Tells where one scenario of the run stands.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Progress<'a> {
    /// The scenario finished with this result.
    Finished(&'a ScenarioResult),
    /// The scenario started and never finished (so far).
    Running(&'a Running),
}

/// Holds everything the events of one run said so far, by scenario index.
#[derive(Debug, Clone, Default)]
pub struct RunFold {
    target: Option<String>,
    context: RunContext,
    announced: Option<usize>,
    running: BTreeMap<usize, Running>,
    finished: BTreeMap<usize, Arc<ScenarioResult>>,
    summary: Option<RunSummary>,
}

impl RunFold {
    /// Records `event`.
    pub(crate) fn apply(&mut self, event: &Event) {
        match event {
            Event::RunStarted {
                target,
                scenarios,
                context,
            } => {
                self.target = Some(target.clone());
                self.announced = Some(*scenarios);
                self.context = context.clone();
            }
            Event::ScenarioStarted { index, name, file } => {
                self.running.insert(
                    *index,
                    Running {
                        name: name.clone(),
                        file: file.clone(),
                        steps: Vec::new(),
                    },
                );
            }
            Event::StepFinished { index, step } => {
                if let Some(running) = self.running.get_mut(index) {
                    running.steps.push(Arc::clone(step));
                }
            }
            Event::ScenarioRetrying { index, .. } => {
                // The failed attempt is discarded: what shows if the run stops
                // now is the attempt that runs next.
                if let Some(running) = self.running.get_mut(index) {
                    running.steps.clear();
                }
            }
            Event::ScenarioFinished { index, result } => {
                self.running.remove(index);
                self.finished.insert(*index, Arc::clone(result));
            }
            Event::RunFinished { summary } => self.summary = Some(summary.clone()),
            // Waits are news of the moment; results carry what lasts (step notes).
            Event::ScenarioWaiting { .. } | Event::StepWaiting { .. } => {}
        }
    }

    /// Returns the base URL the run announced, if it started.
    pub(crate) fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// Returns which configuration and environment the run announced.
    pub(crate) fn context(&self) -> &RunContext {
        &self.context
    }

    /// Returns how many scenarios the run announced, if it started.
    pub(crate) fn announced(&self) -> Option<usize> {
        self.announced
    }

    /// Returns the run's totals, once it finished.
    pub(crate) fn summary(&self) -> Option<&RunSummary> {
        self.summary.as_ref()
    }

    /// Returns how many scenarios finished.
    pub(crate) fn finished_count(&self) -> usize {
        self.finished.len()
    }

    /// Returns the finished scenarios in index order.
    pub(crate) fn finished(&self) -> impl Iterator<Item = (usize, &ScenarioResult)> {
        self.finished
            .iter()
            .map(|(index, result)| (*index, result.as_ref()))
    }

    /// Returns the scenarios started and not finished, in index order.
    pub(crate) fn running(&self) -> impl Iterator<Item = (usize, &Running)> {
        self.running.iter().map(|(index, running)| (*index, running))
    }

    /// Returns every scenario that started, finished or not, in index order.
    pub(crate) fn scenarios(&self) -> Vec<(usize, Progress<'_>)> {
        let mut all: BTreeMap<usize, Progress<'_>> = self
            .finished()
            .map(|(index, result)| (index, Progress::Finished(result)))
            .collect();
        for (index, running) in self.running() {
            all.entry(index).or_insert(Progress::Running(running));
        }
        all.into_iter().collect()
    }

    /// Tells whether the run finished with no scenario left running.
    pub(crate) fn complete(&self) -> bool {
        self.summary.is_some() && self.running.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    fn fold_of(events: &[Event]) -> RunFold {
        let mut fold = RunFold::default();
        for event in events {
            fold.apply(event);
        }
        fold
    }

    #[test]
    fn a_finished_run_is_complete_with_every_result_in_order() {
        let fold = fold_of(&fixtures::interleaved());
        assert!(fold.complete());
        assert_eq!(fold.announced(), Some(3));
        assert_eq!(fold.running().count(), 0);
        let names: Vec<_> = fold.finished().map(|(i, r)| (i, r.name.as_str())).collect();
        assert_eq!(
            names,
            [
                (0, "First scenario"),
                (1, "Second scenario"),
                (2, "Third scenario")
            ]
        );
    }

    #[test]
    fn an_interrupted_run_keeps_the_steps_of_unfinished_scenarios() {
        let fold = fold_of(&fixtures::interrupted());
        assert!(!fold.complete());
        assert!(fold.summary().is_none());
        assert_eq!(fold.finished_count(), 2);
        let progress: Vec<_> = fold
            .scenarios()
            .into_iter()
            .map(|(index, p)| match p {
                Progress::Finished(result) => (index, result.name.clone(), None),
                Progress::Running(running) => (index, running.name.clone(), Some(running.steps.len())),
            })
            .collect();
        assert_eq!(progress[0].0, 0);
        assert_eq!(progress[0].1, "First scenario");
        assert!(progress[0].2.is_some_and(|steps| steps > 0));
        assert_eq!(progress[1], (1, "Second scenario".to_owned(), None));
        assert_eq!(progress[2], (2, "Third scenario".to_owned(), None));
    }
}

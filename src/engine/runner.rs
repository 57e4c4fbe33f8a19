//! Runs a whole plan: starts each scenario as a task when the lock manager
//! lets it (its locks free, at most `jobs` running), forwards their events
//! in order, reports lock waits, tallies the summary, reports a scenario
//! whose task crashed as errored, and gives back unused pool values at the end.
//!
//! Must not run steps itself (the scenario runner does), nor touch the
//! terminal, clap, JUnit or axum: reporters and the mock live elsewhere.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::model::SourceLocation;
use crate::model::load::LoadedScenario;

use super::config::RunPlan;
use super::event::{Event, RunContext};
use super::handle::Engine;
use super::locks::{Blocked, Schedule};
use super::result::{Phase, RunSummary, ScenarioResult, Status, StepError, StepResult};
use super::scenario::ScenarioRun;

impl Engine {
    /// Runs every scenario of `plan`, at most `jobs` at once and never two
    /// holding one lock at once, passing events to `on_event` in the order
    /// they happen, and returns the totals.
    pub async fn run(&self, plan: &RunPlan, mut on_event: impl FnMut(Event)) -> RunSummary {
        let started = Instant::now();
        let redactor = self.base_redactor();
        let context = &self.config.context;
        on_event(Event::RunStarted {
            target: redactor.redact(&self.config.target).into_owned(),
            scenarios: plan.scenarios.len(),
            context: RunContext {
                config: context.config.clone(),
                environment: context.environment.clone(),
                served_by: context
                    .served_by
                    .as_deref()
                    .map(|s| redactor.redact(s).into_owned()),
            },
        });
        let (tx, mut rx) = mpsc::unbounded_channel();
        let jobs = self.config.jobs.max(1);
        let mut schedule = Schedule::new(
            plan.scenarios
                .iter()
                .enumerate()
                .map(|(index, _)| self.locks_of(index))
                .collect(),
        );
        let mut tasks = JoinSet::new();
        let mut task_index = HashMap::new();
        let mut summary = RunSummary::default();
        let mut finished = BTreeSet::new();
        loop {
            let (ready, blocked) = schedule.next(jobs);
            for waiting in blocked {
                on_event(self.waiting_event(plan, waiting));
            }
            for index in ready {
                let engine = self.clone();
                let loaded = Arc::clone(&plan.scenarios[index]);
                let tx = tx.clone();
                let handle = tasks.spawn(async move {
                    ScenarioRun::new(&engine, index, &loaded, tx).run().await;
                });
                task_index.insert(handle.id(), index);
            }
            if tasks.is_empty() && !schedule.has_pending() {
                // Every task has ended, so every event it sent is queued.
                while let Ok(event) = rx.try_recv() {
                    forward(event, &mut finished, &mut summary, &mut on_event);
                }
                break;
            }
            tokio::select! {
                Some(event) = rx.recv() => forward(event, &mut finished, &mut summary, &mut on_event),
                Some(joined) = tasks.join_next_with_id() => {
                    let id = match &joined {
                        Ok((id, ())) => *id,
                        Err(error) => error.id(),
                    };
                    let Some(index) = task_index.remove(&id) else { continue };
                    schedule.finish(index);
                    // A task that panicked never sent its ScenarioFinished: report it
                    // as errored so reporters waiting for that index do not stall.
                    if let Err(error) = joined {
                        // Its last events may still be queued; they come first.
                        while let Ok(event) = rx.try_recv() {
                            forward(event, &mut finished, &mut summary, &mut on_event);
                        }
                        if finished.insert(index) {
                            let result = crashed_result(&plan.scenarios[index], &error.to_string());
                            tally(&mut summary, result.status);
                            on_event(Event::ScenarioFinished { index, result: Arc::new(result) });
                        }
                    }
                }
            }
        }
        drop(tx);
        self.pools.release_all();
        summary.duration = started.elapsed();
        on_event(Event::RunFinished {
            summary: summary.clone(),
        });
        summary
    }

    /// Describes a scenario waiting for locks, naming who holds them (redacted).
    fn waiting_event(&self, plan: &RunPlan, waiting: Blocked) -> Event {
        let redactor = self.base_redactor();
        let name_of = |index: usize| plan.scenarios[index].id();
        Event::ScenarioWaiting {
            index: waiting.index,
            name: name_of(waiting.index),
            locks: waiting
                .locks
                .iter()
                .map(|lock| redactor.redact(lock).into_owned())
                .collect(),
            behind: waiting.behind.into_iter().map(name_of).collect(),
        }
    }
}

/// Passes one event on, counting finished scenarios (once each) into the totals.
fn forward(
    event: Event,
    finished: &mut BTreeSet<usize>,
    summary: &mut RunSummary,
    on_event: &mut impl FnMut(Event),
) {
    if let Event::ScenarioFinished { index, result } = &event {
        if !finished.insert(*index) {
            return;
        }
        tally(summary, result.status);
    }
    on_event(event);
}

/// Counts one finished scenario into the run's totals.
fn tally(summary: &mut RunSummary, status: Status) {
    summary.total += 1;
    match status {
        Status::Passed => summary.passed += 1,
        // Only an interrupted run skips whole scenarios; they did not pass.
        Status::Skipped => {}
        Status::Failed => summary.failed += 1,
        Status::Errored => summary.errored += 1,
    }
}

/// Builds the result of a scenario whose task stopped without finishing.
fn crashed_result(loaded: &LoadedScenario, message: &str) -> ScenarioResult {
    let location = SourceLocation::file_only(&loaded.file);
    let mut step = StepResult::new("(scenario)".to_owned(), location, Phase::Steps);
    step.status = Status::Errored;
    step.error = Some(StepError {
        kind: "internal",
        message: format!("the scenario stopped unexpectedly: {message}; please report this"),
        location: None,
    });
    ScenarioResult {
        name: loaded.id(),
        file: loaded.file.as_ref().clone(),
        tags: loaded.scenario.tags.iter().map(|t| t.value.clone()).collect(),
        status: Status::Errored,
        steps: vec![Arc::new(step)],
        duration: Duration::ZERO,
    }
}

//! Runs a whole plan: starts every scenario as a task (at most `jobs` at
//! once), forwards their events in order, tallies the summary, and reports a
//! scenario whose task crashed as errored.
//!
//! Must not run steps itself (the scenario runner does), nor touch the
//! terminal, clap, JUnit or axum: reporters and the mock live elsewhere.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;

use crate::model::SourceLocation;
use crate::model::load::LoadedScenario;

use super::config::RunPlan;
use super::event::{Event, RunContext};
use super::handle::Engine;
use super::result::{Phase, RunSummary, ScenarioResult, Status, StepError, StepResult};
use super::scenario::ScenarioRun;

impl Engine {
    /// Runs every scenario of `plan`, at most `jobs` at once, passing events to
    /// `on_event` in the order they happen, and returns the totals.
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
        let permits = Arc::new(Semaphore::new(self.config.jobs.max(1)));
        let mut tasks = JoinSet::new();
        let mut task_index = HashMap::new();
        for (index, loaded) in plan.scenarios.iter().enumerate() {
            let engine = self.clone();
            let for_task = Arc::clone(loaded);
            let tx = tx.clone();
            let permits = Arc::clone(&permits);
            let handle = tasks.spawn(async move {
                // The semaphore is never closed, so acquiring only waits.
                let _permit = permits.acquire_owned().await;
                ScenarioRun::new(&engine, index, &for_task, tx).run().await;
            });
            task_index.insert(handle.id(), (index, Arc::clone(loaded)));
        }
        drop(tx);

        let mut summary = RunSummary::default();
        let mut finished = BTreeSet::new();
        loop {
            tokio::select! {
                event = rx.recv() => match event {
                    Some(event) => {
                        if let Event::ScenarioFinished { index, result } = &event {
                            finished.insert(*index);
                            tally(&mut summary, result.status);
                        }
                        on_event(event);
                    }
                    None => break,
                },
                Some(joined) = tasks.join_next_with_id() => {
                    // A task that panicked never sent its ScenarioFinished: report it
                    // as errored so reporters waiting for that index do not stall.
                    if let Err(error) = joined
                        && let Some((index, loaded)) = task_index.get(&error.id())
                        && !finished.contains(index)
                    {
                        finished.insert(*index);
                        let result = crashed_result(loaded, &error.to_string());
                        tally(&mut summary, result.status);
                        on_event(Event::ScenarioFinished { index: *index, result: Box::new(result) });
                    }
                }
            }
        }
        summary.duration = started.elapsed();
        on_event(Event::RunFinished {
            summary: summary.clone(),
        });
        summary
    }
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
        name: loaded.scenario.name.value.clone(),
        file: loaded.file.as_ref().clone(),
        tags: loaded.scenario.tags.iter().map(|t| t.value.clone()).collect(),
        status: Status::Errored,
        steps: vec![step],
        duration: Duration::ZERO,
    }
}

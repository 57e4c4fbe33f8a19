//! Runs a whole plan: starts each scenario as a task when the lock manager
//! lets it (its locks free, at most `jobs` running), forwards their events
//! in order, reports lock waits, tallies the summary, reports a scenario
//! whose task crashed as errored, and gives back unused pool values at the end.
//!
//! Once the run stops starting scenarios (Ctrl-C, or `--fail-fast` after a
//! scenario failed for good), each one not started yet is reported as
//! skipped, saying why; those already running finish, `finally` included.
//!
//! Must not run steps itself (the scenario runner does), nor touch the
//! terminal, clap, JUnit or axum: reporters and the mock live elsewhere.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::model::SourceLocation;
use crate::model::load::LoadedScenario;

use super::config::RunPlan;
use super::event::{Event, RunContext};
use super::handle::Engine;
use super::hooks::Interrupt;
use super::locks::{Blocked, Schedule};
use super::rerun::{Stop, position_of, run_to_the_end};
use super::result::{Phase, RunSummary, ScenarioResult, Status, StepError, StepResult};

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
                started_at: context
                    .started_at
                    .or_else(|| Some(time::OffsetDateTime::now_utc())),
                hostname: context.hostname.clone(),
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
        let stop = Stop::default();
        let mut tally = Tally {
            finished: &mut finished,
            summary: &mut summary,
            stop: &stop,
            fail_fast: self.config.reruns.fail_fast,
        };
        loop {
            if let Some(reason) = self.why_start_no_more(&stop) {
                for index in schedule.abandon_pending() {
                    let result = not_started(&plan.scenarios[index], reason.clone());
                    tally.forward(
                        Event::ScenarioFinished {
                            index,
                            result: Arc::new(result),
                        },
                        &mut on_event,
                    );
                }
            }
            let (ready, blocked) = schedule.next(jobs);
            for waiting in blocked {
                on_event(self.waiting_event(plan, waiting));
            }
            for index in ready {
                let engine = self.clone();
                let loaded = Arc::clone(&plan.scenarios[index]);
                let tx = tx.clone();
                let stop = Arc::clone(&stop);
                let handle = tasks.spawn(async move {
                    run_to_the_end(&engine, index, &loaded, tx, stop).await;
                });
                task_index.insert(handle.id(), index);
            }
            if tasks.is_empty() && !schedule.has_pending() {
                // Every task has ended, so every event it sent is queued.
                while let Ok(event) = rx.try_recv() {
                    tally.forward(event, &mut on_event);
                }
                break;
            }
            tokio::select! {
                Some(event) = rx.recv() => tally.forward(event, &mut on_event),
                Some(joined) = tasks.join_next_with_id() => {
                    let id = match &joined {
                        Ok((id, ())) => *id,
                        Err(error) => error.id(),
                    };
                    let Some(index) = task_index.remove(&id) else { continue };
                    schedule.finish(index);
                    // The task's last events may still be queued; they come first,
                    // so a failure trips --fail-fast before its slot is given again.
                    while let Ok(event) = rx.try_recv() {
                        tally.forward(event, &mut on_event);
                    }
                    // A task that panicked never sent its ScenarioFinished: report it
                    // as errored so reporters waiting for that index do not stall.
                    if let Err(error) = joined {
                        let result = crashed_result(&plan.scenarios[index], &error.to_string());
                        tally.forward(Event::ScenarioFinished { index, result: Arc::new(result) }, &mut on_event);
                    }
                }
            }
        }
        drop(tx);
        self.pools.release_all();
        summary.duration = started.elapsed();
        summary.interrupted = self.config.interrupt.is_set();
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

/// Counts finished scenarios (once each) into the totals as their events
/// pass, and trips `--fail-fast` on the first that failed for good.
struct Tally<'a> {
    finished: &'a mut BTreeSet<usize>,
    summary: &'a mut RunSummary,
    stop: &'a Stop,
    fail_fast: bool,
}

impl Tally<'_> {
    /// Passes one event on, unless it repeats the end of a scenario already counted.
    fn forward(&mut self, event: Event, on_event: &mut impl FnMut(Event)) {
        if let Event::ScenarioFinished { index, result } = &event {
            if !self.finished.insert(*index) {
                return;
            }
            self.summary.add(result);
            if self.fail_fast && matches!(result.status, Status::Failed | Status::Errored) {
                let _ = self.stop.set(format!(
                    "--fail-fast after `{}` {}",
                    result.name,
                    result.status.label()
                ));
            }
        }
        on_event(event);
    }
}

impl Engine {
    /// Returns why scenarios not started yet never will, once the run
    /// stops starting them.
    fn why_start_no_more(&self, stop: &Stop) -> Option<String> {
        if self.config.interrupt.is_set() {
            return Some(Interrupt::NOT_STARTED.to_owned());
        }
        stop.get().map(|reason| format!("not started: {reason}"))
    }
}

/// Builds the result of a scenario the run never started.
fn not_started(loaded: &LoadedScenario, reason: String) -> ScenarioResult {
    ScenarioResult {
        position: position_of(loaded),
        ..ScenarioResult::not_started(loaded.id(), loaded.file.as_ref().clone(), tags_of(loaded), reason)
    }
}

fn tags_of(loaded: &LoadedScenario) -> Vec<String> {
    loaded.scenario.tags.iter().map(|t| t.value.clone()).collect()
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
        position: position_of(loaded),
        tags: tags_of(loaded),
        status: Status::Errored,
        steps: vec![Arc::new(step)],
        ..ScenarioResult::default()
    }
}

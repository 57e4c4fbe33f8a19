//! Owns running one scenario of the plan to its final result: the attempts
//! `--retries` allows (the run's `RerunPolicy`), and which failed attempts may run
//! again. A failed or errored scenario runs again, whole (steps and
//! `finally`), until it passes or has no attempt left; its final result is
//! the last attempt's, carrying the earlier ones.
//!
//! Not run again: a scenario the user interrupted (Ctrl-C), one that takes
//! single-use pool values (the run reserved one attempt's worth, and a
//! retry would use up more, unseen), and any once `--fail-fast` stopped the
//! run; its result says why in a note.
//!
//! What reporters see: one `ScenarioStarted`; every attempt's step events as
//! they happen; after an attempt that will be retried, `ScenarioRetrying`
//! with its result (reporters drop that attempt's steps then); one
//! `ScenarioFinished`.
//!
//! Must not decide which scenarios start (the runner and its lock manager
//! do), nor run steps itself; must not touch the terminal, clap, JUnit or axum.

use std::sync::{Arc, OnceLock};

use tokio::sync::mpsc::{self, UnboundedSender};

use crate::model::load::LoadedScenario;

use super::event::Event;
use super::handle::Engine;
use super::result::{ScenarioResult, Status};
use super::scenario::ScenarioRun;

/// Holds, once `--fail-fast` tripped, why no scenario starts any more.
pub(super) type Stop = Arc<OnceLock<String>>;

/// Returns where `loaded` stands among the scenarios its file yields.
pub(super) fn position_of(loaded: &LoadedScenario) -> usize {
    loaded.case.as_ref().map_or(0, |case| case.position)
}

/// Runs scenario `index` until it passes or may not run again, forwarding
/// its events to `events`, and sends its final result.
pub(super) async fn run_to_the_end(
    engine: &Engine,
    index: usize,
    loaded: &LoadedScenario,
    events: UnboundedSender<Event>,
    stop: Stop,
) {
    let limit = usize::try_from(engine.config.reruns.retries)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let mut earlier: Vec<Arc<ScenarioResult>> = Vec::new();
    loop {
        let Some(result) = attempt(engine, index, loaded, &events, earlier.is_empty()).await else {
            return;
        };
        let next = match result.status {
            Status::Passed | Status::Skipped => Next::Done(None),
            Status::Failed | Status::Errored => {
                next_after_failure(engine, index, &stop, earlier.len() + 1, limit)
            }
        };
        let note = match next {
            Next::Again => {
                let _ = events.send(Event::ScenarioRetrying {
                    index,
                    attempt: earlier.len() + 1,
                    limit,
                    result: Arc::clone(&result),
                });
                earlier.push(result);
                continue;
            }
            Next::Done(note) => note,
        };
        let mut last = Arc::unwrap_or_clone(result);
        last.position = position_of(loaded);
        last.notes.extend(note);
        last.earlier_attempts = earlier;
        let _ = events.send(Event::ScenarioFinished {
            index,
            result: Arc::new(last),
        });
        return;
    }
}

/// Says what follows an attempt.
enum Next {
    /// The scenario runs again.
    Again,
    /// That attempt's result is final; the note says why it is not retried
    /// when it could otherwise have been.
    Done(Option<String>),
}

/// Runs one attempt, passing its events on (its start only when it is the
/// first) and returning its result instead of sending it.
async fn attempt(
    engine: &Engine,
    index: usize,
    loaded: &LoadedScenario,
    events: &UnboundedSender<Event>,
    first: bool,
) -> Option<Arc<ScenarioResult>> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let run = ScenarioRun::new(engine, index, loaded, tx).run();
    let mut finished = None;
    let forward = async {
        // Ends when the attempt is over and its sender dropped.
        while let Some(event) = rx.recv().await {
            match event {
                Event::ScenarioFinished { result, .. } => finished = Some(result),
                Event::ScenarioStarted { .. } if !first => {}
                event => {
                    let _ = events.send(event);
                }
            }
        }
    };
    tokio::join!(run, forward);
    finished
}

/// Decides whether a failed attempt (number `done`, from 1) runs again.
fn next_after_failure(engine: &Engine, index: usize, stop: &Stop, done: usize, limit: usize) -> Next {
    if done >= limit {
        return Next::Done(None);
    }
    let refused = if engine.config.interrupt.is_set() {
        "not retried: the run was interrupted".to_owned()
    } else if let Some(reason) = stop.get() {
        format!("not retried: {reason}")
    } else if let Some(pools) = engine.config.reruns.single_use.get(&index) {
        let names: Vec<String> = pools
            .iter()
            .map(|pool| match pool.as_str() {
                "" => "a pool named at run time".to_owned(),
                name => format!("`{name}`"),
            })
            .collect();
        format!(
            "not retried: it takes single-use values from {}, and the run reserved them for one \
             attempt only",
            names.join(", ")
        )
    } else {
        return Next::Again;
    };
    Next::Done(Some(refused))
}

//! Owns merging the JSON reports of a suite's shards into one ([`merge`]):
//! the scenarios of every report, ordered as an unsharded run orders them (by
//! file, then by their place among the file's scenarios), the totals counted
//! again, and the merged report written as JUnit and/or JSON by the same
//! documents a run writes.
//!
//! A scenario (a file and an id) found in several reports keeps the result
//! of the last report given, so a report of a rerun may follow the original.
//!
//! Must not read report files itself (`read` does) nor print anything.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::read::{ReadReport, ReadScenario};
use super::{ReportError, ReportFiles};
use crate::engine::{Event, RunContext, RunSummary};

/// Explains why reports could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// No report was given.
    #[error("no report to merge: name the JSON reports of the shards")]
    NoInput,
    /// Two reports were written by different versions of the runner.
    #[error(
        "{first} was written by scenario {first_version} and {other} by {other_version}; merge reports \
         of one version"
    )]
    Versions {
        /// The first report.
        first: PathBuf,
        /// Its runner's version.
        first_version: String,
        /// A report of another version.
        other: PathBuf,
        /// That one's version.
        other_version: String,
    },
    /// A merged report could not be written.
    #[error(transparent)]
    Write(#[from] ReportError),
}

/// Says what the merged reports hold.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The totals, counted again over every scenario.
    pub summary: RunSummary,
    /// Whether every shard's run finished.
    pub complete: bool,
    /// One line per scenario found in more than one report, saying which
    /// report's result was kept.
    pub replaced: Vec<String>,
}

/// Merges `reports` (in the order given) and writes the merged reports to `outputs`.
///
/// # Errors
/// Returns [`MergeError`] when there is no report, the reports were written
/// by different versions, or an output cannot be written.
pub fn merge(reports: Vec<ReadReport>, outputs: &ReportFiles) -> Result<Merged, MergeError> {
    let Some(first) = reports.first() else {
        return Err(MergeError::NoInput);
    };
    if let Some(other) = reports.iter().find(|r| r.version != first.version) {
        return Err(MergeError::Versions {
            first: first.path.clone(),
            first_version: first.version.clone(),
            other: other.path.clone(),
            other_version: other.version.clone(),
        });
    }
    let context = RunContext {
        config: agreed(&reports, |r| r.config.clone()).map(PathBuf::from),
        environment: agreed(&reports, |r| r.environment.clone()),
        served_by: agreed(&reports, |r| r.served_by.clone()),
        // The suite started when its first shard did.
        started_at: reports.iter().filter_map(|r| r.started_at).min(),
        hostname: agreed(&reports, |r| r.hostname.clone()),
    };
    let target = agreed(&reports, |r| r.target.clone()).unwrap_or_default();
    let complete = reports.iter().all(|r| r.complete);
    let interrupted = reports.iter().any(|r| r.interrupted);
    let duration: Duration = reports.iter().filter_map(|r| r.duration).sum();
    let (scenarios, replaced) = in_run_order(reports);
    let (events, summary) = events_of(target, context, scenarios, complete, duration, interrupted);
    let mut reporters = outputs.reporters();
    for event in &events {
        for reporter in &mut reporters {
            reporter.on_event(event)?;
        }
    }
    for reporter in &mut reporters {
        reporter.finish()?;
    }
    Ok(Merged {
        complete: events.iter().any(|e| matches!(e, Event::RunFinished { .. })),
        summary,
        replaced,
    })
}

/// Returns the value every report gives, or their distinct values joined
/// (shards against built-in mocks each have their own port).
fn agreed(reports: &[ReadReport], value: impl Fn(&ReadReport) -> Option<String>) -> Option<String> {
    let mut distinct: Vec<String> = Vec::new();
    for found in reports.iter().filter_map(value) {
        if !distinct.contains(&found) {
            distinct.push(found);
        }
    }
    (!distinct.is_empty()).then(|| distinct.join(", "))
}

/// Returns every report's scenarios in the order an unsharded run gives
/// them, each (file, id) once (the last report's), and what was replaced.
fn in_run_order(reports: Vec<ReadReport>) -> (Vec<ReadScenario>, Vec<String>) {
    let mut kept: Vec<(PathBuf, ReadScenario)> = Vec::new();
    let mut at: HashMap<(PathBuf, String), usize> = HashMap::new();
    let mut replaced = Vec::new();
    for report in reports {
        for scenario in report.scenarios {
            let (file, name) = scenario.key();
            let key = (file.to_path_buf(), name.to_owned());
            if let Some(&slot) = at.get(&key) {
                replaced.push(format!(
                    "`{}` ({}) is in {} and in {}: the result in {} is kept",
                    key.1,
                    key.0.display(),
                    kept[slot].0.display(),
                    report.path.display(),
                    report.path.display()
                ));
                kept[slot] = (report.path.clone(), scenario);
            } else {
                at.insert(key, kept.len());
                kept.push((report.path.clone(), scenario));
            }
        }
    }
    // Path order compares component by component, as the run's folder walk sorts.
    kept.sort_by(|(_, a), (_, b)| {
        let (a_file, _) = a.key();
        let (b_file, _) = b.key();
        Path::cmp(a_file, b_file).then(a.position().cmp(&b.position()))
    });
    (kept.into_iter().map(|(_, scenario)| scenario).collect(), replaced)
}

/// Returns the events a run of these scenarios would have sent reporters,
/// and its totals; the run finished only when every shard's did.
fn events_of(
    target: String,
    context: RunContext,
    scenarios: Vec<ReadScenario>,
    complete: bool,
    duration: Duration,
    interrupted: bool,
) -> (Vec<Event>, RunSummary) {
    let mut events = vec![Event::RunStarted {
        target,
        scenarios: scenarios.len(),
        context,
    }];
    let mut summary = RunSummary::default();
    let mut unfinished = false;
    for (index, scenario) in scenarios.into_iter().enumerate() {
        match scenario {
            ReadScenario::Finished(result) => {
                summary.add(&result);
                events.push(Event::ScenarioFinished {
                    index,
                    result: Arc::new(result),
                });
            }
            ReadScenario::Incomplete { name, file } => {
                unfinished = true;
                events.push(Event::ScenarioStarted { index, name, file });
            }
        }
    }
    summary.duration = duration;
    summary.interrupted = interrupted;
    if complete && !unfinished {
        events.push(Event::RunFinished {
            summary: summary.clone(),
        });
    }
    (events, summary)
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;

//! Owns what explains a scenario that did not pass: its [`Problem`]s (each
//! failed expectation, step error, new or changed snapshot, with a one-line
//! summary and a detailed text), and which one headlines it.
//!
//! Pure string building over results. Must not serialise a report format
//! (JUnit and JSON read these) nor do I/O.

use std::sync::Arc;

use super::clean::{clean, one_line};
use crate::engine::{ScenarioResult, SnapshotStatus, Status, StepResult};
use crate::model::SourceLocation;

/// Returns the problem that headlines a scenario that did not pass: its
/// first failed expectation when it failed, its first step error when it
/// errored, else its first problem.
pub(crate) fn headline(result: &ScenarioResult) -> Option<Problem> {
    let problems = problems_of(&result.steps);
    let first = match result.status {
        Status::Failed => problems.iter().position(|p| p.kind == "assertion"),
        Status::Errored => problems.iter().position(|p| p.is_error),
        Status::Passed | Status::Skipped => return None,
    };
    let at = first.unwrap_or(0);
    problems.into_iter().nth(at)
}

/// One reason a scenario did not pass, as JUnit shows it.
#[derive(Debug)]
pub(crate) struct Problem {
    /// `assertion`, `snapshot`, `step`, or the step error's kind.
    pub(crate) kind: &'static str,
    pub(crate) is_error: bool,
    /// One line, for the `message` attribute.
    pub(crate) summary: String,
    /// Lines with locations, for the element's text.
    pub(crate) detail: String,
    /// Where it is written: the expectation, the erroring key, else the step.
    pub(crate) location: SourceLocation,
}

/// Lists every reason the steps (and the steps of used flows) did not pass, in order.
pub(crate) fn problems_of(steps: &[Arc<StepResult>]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for step in steps {
        collect_problems(step, &mut problems);
    }
    problems
}

fn collect_problems(step: &StepResult, problems: &mut Vec<Problem>) {
    if !matches!(step.status, Status::Failed | Status::Errored) {
        return;
    }
    let before = problems.len();
    let name = one_line(&step.name);
    let at = format!("step \"{name}\" at {}", step.location);
    if let Some(error) = &step.error {
        let message = clean(&error.message);
        let first_line = message.lines().next().unwrap_or_default();
        let location = error
            .location
            .as_ref()
            .map_or_else(String::new, |l| format!("\n  at {l}"));
        problems.push(Problem {
            kind: error.kind,
            is_error: true,
            summary: format!("{name}: {} error: {first_line}", error.kind),
            detail: format!("{at}: {} error: {}{location}", error.kind, indent_rest(&message)),
            location: error.location.clone().unwrap_or_else(|| step.location.clone()),
        });
    }
    for assertion in step.failures() {
        let subject = format!("{} {}", assertion.subject, assertion.predicate);
        let mut detail = format!(
            "{at}: {subject}\n  expected: {}\n  actual:   {}",
            indent_rest(&assertion.expected),
            indent_rest(&assertion.actual)
        );
        if let Some(message) = &assertion.message {
            detail.push_str(&format!("\n  why:      {}", indent_rest(message)));
        }
        detail.push_str(&format!("\n  at {}", assertion.location));
        problems.push(Problem {
            kind: "assertion",
            is_error: false,
            summary: one_line(&format!(
                "{name}: {subject}: expected {}, actual {}",
                assertion.expected, assertion.actual
            )),
            detail,
            location: assertion.location.clone(),
        });
    }
    if let Some(snapshot) = &step.snapshot {
        let what = match snapshot.status {
            SnapshotStatus::New => Some("snapshot is new, not accepted yet"),
            SnapshotStatus::Mismatched => Some("snapshot mismatched"),
            SnapshotStatus::Matched | SnapshotStatus::Updated => None,
        };
        if let Some(what) = what {
            let path = snapshot.path.display();
            let diff = snapshot
                .diff
                .as_deref()
                .map_or_else(String::new, |d| format!("\n{d}"));
            problems.push(Problem {
                kind: "snapshot",
                is_error: false,
                summary: format!("{name}: {what}: {path}"),
                detail: format!("{at}: {what}: {path}{diff}"),
                location: step.location.clone(),
            });
        }
    }
    let own = problems.len() > before;
    let children_before = problems.len();
    for child in &step.children {
        collect_problems(child, problems);
    }
    if !own && problems.len() == children_before {
        // Nothing explains the status: still say which step it was.
        problems.push(Problem {
            kind: "step",
            is_error: step.status == Status::Errored,
            summary: format!("{name}: {}", step.status.label()),
            detail: format!("{at}: {}", step.status.label()),
            location: step.location.clone(),
        });
    }
}

/// Returns `text` with every line after the first indented, so multi-line
/// values stay inside the problem they belong to.
fn indent_rest(text: &str) -> String {
    text.lines().collect::<Vec<_>>().join("\n  ")
}

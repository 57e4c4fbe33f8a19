//! Owns the HTML report's view: what the page shows of a run, built from the
//! fold as plain serializable data (labels, durations as text, the waterfall's
//! offsets and widths, diff lines), so the template only lays it out.
//!
//! Must not escape or write HTML (the template escapes every value) nor
//! decide what a result means: statuses and problems come from the engine.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::Serialize;

use super::diff::{DiffLine, failure_diff, unified_lines};
use crate::engine::{AssertionResult, ScenarioResult, StepResult};
use crate::report::clean::clean;
use crate::report::fold::{Progress, RunFold};
use crate::report::json_shape::{JsonSummary, phase_label, snapshot_label};
use crate::report::{format_duration, rfc3339};

/// Holds the whole page.
#[derive(Debug, Serialize)]
pub(super) struct PageView {
    pub(super) target: Option<String>,
    pub(super) started_at: Option<String>,
    pub(super) hostname: Option<String>,
    pub(super) version: &'static str,
    pub(super) complete: bool,
    pub(super) interrupted: bool,
    pub(super) summary: JsonSummary,
    pub(super) duration: Option<String>,
    pub(super) tags: Vec<String>,
    pub(super) scenarios: Vec<ScenarioView>,
}

/// Holds one scenario: its header line and its steps.
#[derive(Debug, Serialize)]
pub(super) struct ScenarioView {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) file: String,
    pub(super) status: &'static str,
    pub(super) tags: Vec<String>,
    /// The tags as a JSON array, for the filter: a tag may hold a space.
    pub(super) tags_json: String,
    pub(super) duration: Option<String>,
    pub(super) attempts: usize,
    pub(super) flaky: bool,
    pub(super) skip_reason: Option<String>,
    pub(super) notes: Vec<String>,
    pub(super) invalid: Option<[String; 2]>,
    /// Why each earlier attempt failed, one line each.
    pub(super) earlier: Vec<String>,
    pub(super) steps: Vec<StepView>,
}

/// Holds one step (a used flow's steps follow it, one level deeper).
#[derive(Debug, Serialize)]
pub(super) struct StepView {
    pub(super) name: String,
    pub(super) depth: usize,
    pub(super) location: String,
    pub(super) phase: &'static str,
    pub(super) status: &'static str,
    pub(super) skip_reason: Option<String>,
    pub(super) attempts: u32,
    pub(super) duration: String,
    /// Where the waterfall bar starts and how wide it is, in percent of the scenario.
    pub(super) offset: String,
    pub(super) width: String,
    pub(super) request: Option<Exchange>,
    pub(super) response: Option<Exchange>,
    pub(super) checks_passed: usize,
    pub(super) failures: Vec<FailureView>,
    pub(super) error: Option<[String; 2]>,
    pub(super) notes: Vec<String>,
    pub(super) captures: Vec<(String, String)>,
    pub(super) snapshot: Option<SnapshotView>,
    pub(super) curl: Option<String>,
}

/// Holds one side of an exchange: its first line, headers and body.
#[derive(Debug, Serialize)]
pub(super) struct Exchange {
    pub(super) line: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Option<String>,
    pub(super) truncated: bool,
}

/// Holds one failed expectation.
#[derive(Debug, Serialize)]
pub(super) struct FailureView {
    pub(super) subject: String,
    pub(super) predicate: String,
    pub(super) expected: String,
    pub(super) actual: String,
    pub(super) message: Option<String>,
    pub(super) location: String,
    pub(super) chain: Vec<(String, String)>,
    pub(super) diff: Vec<DiffLine>,
}

/// Holds a snapshot comparison.
#[derive(Debug, Serialize)]
pub(super) struct SnapshotView {
    pub(super) status: &'static str,
    pub(super) path: String,
    pub(super) pending: Option<String>,
    pub(super) unwritten: Option<String>,
    pub(super) diff: Vec<DiffLine>,
}

/// Builds the page for what `fold` holds.
pub(super) fn page(fold: &RunFold, summary: JsonSummary) -> PageView {
    let context = fold.context();
    let scenarios: Vec<ScenarioView> = fold
        .scenarios()
        .into_iter()
        .map(|(index, progress)| match progress {
            Progress::Finished(result) => scenario(index, result),
            Progress::Running(running) => ScenarioView {
                id: format!("s{index}"),
                name: running.name.clone(),
                file: running.file.display().to_string(),
                status: "incomplete",
                tags: Vec::new(),
                tags_json: "[]".to_owned(),
                duration: None,
                attempts: 1,
                flaky: false,
                skip_reason: Some("the run stopped before this scenario finished".to_owned()),
                notes: Vec::new(),
                invalid: None,
                earlier: Vec::new(),
                steps: steps(&running.steps, total_of(&running.steps)),
            },
        })
        .collect();
    let tags: BTreeSet<String> = scenarios.iter().flat_map(|s| s.tags.iter().cloned()).collect();
    PageView {
        target: fold.target().map(str::to_owned),
        started_at: context.started_at.map(rfc3339),
        hostname: context.hostname.clone(),
        version: env!("CARGO_PKG_VERSION"),
        complete: fold.complete(),
        interrupted: fold.summary().is_some_and(|s| s.interrupted),
        duration: fold.summary().map(|s| format_duration(s.duration)),
        summary,
        tags: tags.into_iter().collect(),
        scenarios,
    }
}

fn scenario(index: usize, result: &ScenarioResult) -> ScenarioView {
    ScenarioView {
        id: format!("s{index}"),
        name: result.name.clone(),
        file: result.file.display().to_string(),
        status: result.status.label(),
        tags: result.tags.clone(),
        tags_json: serde_json::to_string(&result.tags).unwrap_or_else(|_| "[]".to_owned()),
        duration: Some(format_duration(result.duration)),
        attempts: result.attempts(),
        flaky: result.is_flaky(),
        skip_reason: result.skip_reason.clone(),
        notes: result.notes.iter().map(|note| cleaned(note)).collect(),
        invalid: result
            .invalid
            .as_ref()
            .map(|invalid| [invalid.message.clone(), invalid.details.clone()]),
        earlier: result
            .earlier_attempts
            .iter()
            .enumerate()
            .map(|(at, attempt)| {
                let why = crate::report::problems::headline(attempt).map_or_else(String::new, |p| p.summary);
                cleaned(&format!(
                    "attempt {}: {} in {}: {why}",
                    at + 1,
                    attempt.status.label(),
                    format_duration(attempt.duration)
                ))
            })
            .collect(),
        steps: steps(&result.steps, result.duration.max(total_of(&result.steps))),
    }
}

/// Returns the steps' summed time: the scale of the waterfall when the
/// scenario's own time is not known yet.
fn total_of(steps: &[std::sync::Arc<StepResult>]) -> Duration {
    steps.iter().map(|step| step.duration).sum()
}

/// Lays the steps out on a waterfall of `total`: each bar starts where the
/// steps before it ended (steps run one after another), a used flow's
/// steps inside their parent's bar.
fn steps(steps: &[std::sync::Arc<StepResult>], total: Duration) -> Vec<StepView> {
    let mut views = Vec::new();
    let mut start = Duration::ZERO;
    for step in steps {
        lay_out(step, 0, start, total, &mut views);
        start += step.duration;
    }
    views
}

fn lay_out(step: &StepResult, depth: usize, start: Duration, total: Duration, views: &mut Vec<StepView>) {
    views.push(step_view(step, depth, start, total));
    let mut child_start = start;
    for child in &step.children {
        lay_out(child, depth + 1, child_start, total, views);
        child_start += child.duration;
    }
}

fn step_view(step: &StepResult, depth: usize, start: Duration, total: Duration) -> StepView {
    let (offset, width) = bar(start, step.duration, total);
    StepView {
        name: step.name.clone(),
        depth,
        location: step.location.to_string(),
        phase: phase_label(step.phase),
        status: step.status.label(),
        skip_reason: step.skip_reason.clone(),
        attempts: step.attempts,
        duration: format_duration(step.duration),
        offset,
        width,
        request: step.request.as_ref().map(|request| Exchange {
            line: cleaned(&format!("{} {}", request.method, request.url)),
            headers: request
                .headers
                .iter()
                .map(|(name, value)| (cleaned(name), cleaned(value)))
                .collect(),
            body: request
                .body
                .as_deref()
                .map(cleaned)
                .filter(|body| !body.is_empty()),
            truncated: false,
        }),
        response: step.response.as_ref().map(|response| Exchange {
            line: format!("{} {}", response.version, response.status)
                .trim()
                .to_owned(),
            headers: response
                .headers
                .iter()
                .map(|(name, value)| (cleaned(name), cleaned(value)))
                .collect(),
            body: Some(cleaned(&response.body)).filter(|body| !body.is_empty()),
            truncated: response.body_truncated,
        }),
        checks_passed: step.assertions.iter().filter(|a| a.passed).count(),
        failures: step
            .assertions
            .iter()
            .filter(|a| !a.passed)
            .map(failure)
            .collect(),
        error: step
            .error
            .as_ref()
            .map(|e| [e.kind.to_owned(), cleaned(&e.message)]),
        notes: step.notes.iter().map(|note| cleaned(note)).collect(),
        captures: step
            .captures
            .iter()
            .map(|(name, value)| (name.clone(), cleaned(value)))
            .collect(),
        snapshot: step.snapshot.as_ref().map(|snapshot| SnapshotView {
            status: snapshot_label(snapshot.status),
            path: snapshot.path.display().to_string(),
            pending: snapshot.pending.as_ref().map(|p| p.display().to_string()),
            unwritten: snapshot.unwritten.clone(),
            diff: snapshot
                .diff
                .as_deref()
                .map(unified_lines)
                .unwrap_or_default()
                .into_iter()
                .map(clean_line)
                .collect(),
        }),
        curl: step.curl.as_deref().map(cleaned),
    }
}

fn failure(assertion: &AssertionResult) -> FailureView {
    FailureView {
        subject: assertion.subject.clone(),
        predicate: assertion.predicate.clone(),
        expected: assertion.expected.clone(),
        actual: cleaned(&assertion.actual),
        message: assertion.message.as_deref().map(cleaned),
        location: assertion.location.to_string(),
        chain: assertion
            .chain
            .iter()
            .map(|step| (step.label.clone(), cleaned(&step.value)))
            .collect(),
        diff: failure_diff(assertion).into_iter().map(clean_line).collect(),
    }
}

/// Returns response-derived `text` without control characters or
/// bidirectional overrides, which could disguise what the page shows.
fn cleaned(text: &str) -> String {
    clean(text).into_owned()
}

fn clean_line(line: DiffLine) -> DiffLine {
    DiffLine {
        text: cleaned(&line.text),
        ..line
    }
}

/// Returns a bar's offset and width in percent of `total`, at least a sliver
/// wide so a 0 ms step still shows.
fn bar(start: Duration, length: Duration, total: Duration) -> (String, String) {
    let total = total.as_secs_f64();
    if total <= 0.0 {
        return ("0".to_owned(), "100".to_owned());
    }
    let offset = (start.as_secs_f64() / total * 100.0).clamp(0.0, 99.5);
    let width = (length.as_secs_f64() / total * 100.0).clamp(0.5, 100.0 - offset);
    (format!("{offset:.2}"), format!("{width:.2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_follow_each_other_and_never_vanish() {
        let ms = Duration::from_millis;
        assert_eq!(
            bar(ms(0), ms(250), ms(1000)),
            ("0.00".to_owned(), "25.00".to_owned())
        );
        assert_eq!(
            bar(ms(250), ms(750), ms(1000)),
            ("25.00".to_owned(), "75.00".to_owned())
        );
        assert_eq!(
            bar(ms(1000), ms(0), ms(1000)),
            ("99.50".to_owned(), "0.50".to_owned())
        );
        assert_eq!(bar(ms(0), ms(0), ms(0)), ("0".to_owned(), "100".to_owned()));
    }
}

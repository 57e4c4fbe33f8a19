//! Renders results as text: the per-scenario blocks the console prints (and
//! JUnit keeps in `system-out`), with their step, request, error, assertion
//! and snapshot lines, and what made earlier attempts of a flaky scenario fail.
//!
//! Pure string building. Must not do I/O or know how the text is delivered;
//! colours and durations come from `style`, cleaning from `clean`.

use super::clean::{clean, one_line};
use super::headline::scenario_header;
use super::style::{Styles, Tone, format_duration, status_mark};
use crate::engine::{
    AssertionResult, Phase, ResponseRecord, ScenarioResult, SnapshotReport, SnapshotStatus, Status,
    StepError, StepResult,
};

/// How many lines of a response body the failure view shows before cutting.
const EXCERPT_LINES: usize = 20;
/// Where step details start, relative to their step line.
const DETAIL_INDENT: usize = 4;
/// Where continuation lines of a labelled value start (`expected: `).
const LABEL_WIDTH: usize = 10;

/// Says how much the scenario blocks show.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Detail {
    /// 0: failures only; 1: every step with its request line; 2: failed
    /// exchanges in full; 3: every exchange in full.
    pub verbose: u8,
    /// Whether failed and errored steps show a curl line to replay them.
    pub curl: bool,
    /// Whether a flaky scenario's block shows what made its earlier attempts fail.
    pub earlier_attempts: bool,
}

/// Appends a scenario's block to `out`: its header line, its notes, what
/// made each earlier attempt of a flaky scenario fail, then the steps worth
/// showing at this level of detail.
pub(crate) fn render_scenario(out: &mut String, result: &ScenarioResult, styles: Styles, detail: Detail) {
    push_line(out, 0, &scenario_header(result, styles));
    for note in &result.notes {
        push_labelled(out, 2, "note:", note, None);
    }
    if result.is_flaky() && detail.earlier_attempts {
        for (number, attempt) in result.earlier_attempts.iter().enumerate() {
            render_earlier_attempt(out, number + 1, attempt, styles, detail);
        }
    }
    render_steps(out, result, 2, styles, detail);
}

/// Appends why an earlier attempt did not pass: a line, then its steps as a
/// failure shows them.
pub(crate) fn render_earlier_attempt(
    out: &mut String,
    number: usize,
    attempt: &ScenarioResult,
    styles: Styles,
    detail: Detail,
) {
    push_line(
        out,
        2,
        &format!(
            "attempt {number}: {}  {}",
            status_mark(attempt.status, styles),
            format_duration(attempt.duration)
        ),
    );
    render_steps(out, attempt, 4, styles, detail);
}

/// Appends the steps of `result` worth showing at this level of detail.
fn render_steps(out: &mut String, result: &ScenarioResult, indent: usize, styles: Styles, detail: Detail) {
    let scenario_passed = result.status == Status::Passed;
    for step in &result.steps {
        if shows_step(step, scenario_passed, detail) {
            render_step(out, step, indent, styles, detail);
        }
    }
}

/// Appends the block of a scenario that started but never finished (the run
/// was interrupted): a header, then the steps it reported, shown like a
/// failure's so whatever went wrong is visible.
pub(crate) fn render_unfinished(
    out: &mut String,
    name: &str,
    file: &std::path::Path,
    steps: &[std::sync::Arc<StepResult>],
    styles: Styles,
    detail: Detail,
) {
    push_line(
        out,
        0,
        &format!(
            "{}  {}  {}  (did not finish)",
            styles.paint(Tone::Error, "ABORT"),
            styles.paint(Tone::Bold, one_line(name)),
            styles.paint(Tone::Dim, one_line(&file.display().to_string())),
        ),
    );
    for step in steps {
        if shows_step(step, false, detail) {
            render_step(out, step, 2, styles, detail);
        }
    }
}

/// Tells whether a step appears in its scenario's block: every step in verbose
/// mode; otherwise, in a scenario that did not pass, the steps that did not
/// pass and every `finally` step (so cleanup is visible next to the failure).
fn shows_step(step: &StepResult, scenario_passed: bool, detail: Detail) -> bool {
    detail.verbose >= 1
        || (!scenario_passed && (step.status != Status::Passed || step.phase == Phase::Finally))
}

/// Appends a step's line and, when it failed or errored (or in verbose mode),
/// what explains it: request line, error, notes (a TOTP wait), failed
/// assertions, body or full exchange, snapshot, captures, curl line; then its
/// used flow's steps.
fn render_step(out: &mut String, step: &StepResult, indent: usize, styles: Styles, detail: Detail) {
    push_line(out, indent, &step_line(step, styles));
    let inner = indent + DETAIL_INDENT;
    let broken = matches!(step.status, Status::Failed | Status::Errored);
    if broken || detail.verbose >= 1 {
        render_request_line(out, inner, step, styles);
        render_redirects(out, inner + 2, step, styles);
    }
    if let Some(error) = &step.error {
        render_error(out, inner, error, styles);
    }
    for assertion in step.failures() {
        render_assertion(out, inner, assertion, styles);
    }
    for note in &step.notes {
        push_labelled(out, inner, "note:", note, None);
    }
    if detail.verbose >= 3 || (broken && detail.verbose >= 2) {
        if let Some(request) = &step.request {
            render_exchange_half(
                out,
                inner,
                '>',
                &request.headers,
                request.body.as_deref(),
                false,
                styles,
            );
        }
        if let Some(response) = &step.response {
            render_exchange_half(
                out,
                inner,
                '<',
                &response.headers,
                Some(&response.body),
                response.body_truncated,
                styles,
            );
        }
    } else if broken && let Some(response) = &step.response {
        render_body_excerpt(out, inner, response);
    }
    if let Some(snapshot) = &step.snapshot {
        render_snapshot(out, inner, snapshot, styles, broken || detail.verbose >= 1);
    }
    if detail.verbose >= 1 {
        for (name, value) in &step.captures {
            push_line(
                out,
                inner,
                &format!("captured {} = {}", one_line(name), one_line(value)),
            );
        }
    }
    if broken
        && detail.curl
        && let Some(curl) = &step.curl
    {
        push_line(out, inner, &replay_line(curl));
    }
    for child in &step.children {
        if detail.verbose >= 1 || child.status != Status::Passed {
            render_step(out, child, indent + 2, styles, detail);
        }
    }
}

/// Returns a step's line: mark, `finally:` when it belongs there, name,
/// location, duration and attempts (or why it was skipped).
fn step_line(step: &StepResult, styles: Styles) -> String {
    let phase = match step.phase {
        Phase::Steps => "",
        Phase::Finally => "finally: ",
    };
    let mut line = format!(
        "{}  {phase}{}  {}",
        status_mark(step.status, styles),
        one_line(&step.name),
        styles.paint(Tone::Dim, one_line(&step.location.to_string())),
    );
    if step.status == Status::Skipped {
        if let Some(reason) = &step.skip_reason {
            line.push_str(&format!("  ({})", one_line(reason)));
        }
        return line;
    }
    line.push_str(&format!("  {}", format_duration(step.duration)));
    if step.attempts > 1 {
        line.push_str(&format!(" ({} attempts)", step.attempts));
    }
    line
}

fn render_request_line(out: &mut String, indent: usize, step: &StepResult, styles: Styles) {
    let Some(request) = &step.request else {
        return;
    };
    let mut line = format!("{} {}", one_line(&request.method), one_line(&request.url));
    if let Some(response) = &step.response {
        let tone = if response.status < 400 {
            Tone::Pass
        } else {
            Tone::Fail
        };
        line.push_str(&format!(" -> {}", styles.paint(tone, response.status)));
        // HTTP/1.1 goes without saying; another version is worth seeing.
        if !response.version.is_empty() && response.version != "HTTP/1.1" {
            line.push_str(&format!(" ({})", one_line(&response.version)));
        }
    }
    push_line(out, indent, &line);
}

/// Appends one line per redirect the request followed, in order.
fn render_redirects(out: &mut String, indent: usize, step: &StepResult, styles: Styles) {
    let Some(response) = &step.response else {
        return;
    };
    for hop in &response.redirects {
        let line = format!(
            "redirected: {} {} -> {}",
            hop.status,
            one_line(&hop.url),
            one_line(&hop.location)
        );
        push_line(out, indent, &styles.paint(Tone::Dim, line));
    }
}

/// Appends headers, a blank separator and the body, each line behind `sign`
/// (`>` sent, `<` received), like curl's verbose output; the request line and
/// status code are already on the step's request line.
fn render_exchange_half(
    out: &mut String,
    indent: usize,
    sign: char,
    headers: &[(String, String)],
    body: Option<&str>,
    truncated: bool,
    styles: Styles,
) {
    for (name, value) in headers {
        let header = format!("{}: {}", one_line(name), one_line(value));
        push_line(
            out,
            indent,
            &format!("{sign} {}", styles.paint(Tone::Dim, header)),
        );
    }
    let Some(body) = body.filter(|b| !b.is_empty()) else {
        return;
    };
    push_line(out, indent, &sign.to_string());
    for line in clean(body).lines() {
        push_line(out, indent, &format!("{sign} {line}"));
    }
    if truncated {
        push_line(
            out,
            indent,
            &format!("{sign} {}", styles.paint(Tone::Dim, "... (truncated)")),
        );
    }
}

fn render_error(out: &mut String, indent: usize, error: &StepError, styles: Styles) {
    let message = clean(&error.message);
    let mut lines = message.lines();
    let first = lines.next().unwrap_or_default();
    push_line(
        out,
        indent,
        &format!(
            "{} {first}",
            styles.paint(Tone::Error, format!("error ({}):", error.kind))
        ),
    );
    for line in lines {
        push_line(out, indent + 2, line);
    }
    if let Some(location) = &error.location {
        push_line(out, indent + 2, &at(&location.to_string(), styles));
    }
}

fn render_assertion(out: &mut String, indent: usize, assertion: &AssertionResult, styles: Styles) {
    push_line(
        out,
        indent,
        &format!(
            "{} {} {}",
            styles.paint(Tone::Fail, "assertion failed:"),
            one_line(&assertion.subject),
            one_line(&assertion.predicate)
        ),
    );
    let inner = indent + 2;
    // The filter chain, step by step: the queried value, then each filter's output.
    for step in &assertion.chain {
        let label = if step.label == "value" {
            "value:".to_owned()
        } else {
            format!("| {}:", one_line(&step.label))
        };
        let label = format!("{label:<LABEL_WIDTH$}");
        let gap = if label.ends_with(' ') { "" } else { " " };
        push_line(
            out,
            inner,
            &format!("{label}{gap}{}", one_line(&clean(&step.value))),
        );
    }
    push_labelled(
        out,
        inner,
        "expected:",
        &assertion.expected,
        Some((Tone::Pass, styles)),
    );
    push_labelled(
        out,
        inner,
        "actual:",
        &assertion.actual,
        Some((Tone::Fail, styles)),
    );
    if let Some(message) = &assertion.message {
        push_labelled(out, inner, "why:", message, None);
    }
    push_line(out, inner, &at(&assertion.location.to_string(), styles));
}

fn render_body_excerpt(out: &mut String, indent: usize, response: &ResponseRecord) {
    if response.body.is_empty() {
        return;
    }
    push_line(out, indent, "response body:");
    let body = clean(&response.body);
    let mut lines = body.lines();
    for line in lines.by_ref().take(EXCERPT_LINES) {
        push_line(out, indent + 2, line);
    }
    let more = lines.count();
    if more > 0 {
        push_line(out, indent + 2, &format!("... ({more} more lines)"));
    } else if response.body_truncated {
        push_line(out, indent + 2, "... (truncated)");
    }
}

/// Returns the line that shows how to replay a step, naming the shell
/// variables its secrets are read from.
fn replay_line(curl: &str) -> String {
    let variables = crate::secret::replay_variables(curl);
    if variables.is_empty() {
        return format!("replay: {}", one_line(curl));
    }
    let names: Vec<String> = variables.iter().map(|name| format!("${name}")).collect();
    format!("replay (set {} first): {}", names.join(", "), one_line(curl))
}

/// Appends the snapshot outcome: always for new or mismatched snapshots (the
/// step failed because of them), for the others only when `show_all`.
fn render_snapshot(
    out: &mut String,
    indent: usize,
    snapshot: &SnapshotReport,
    styles: Styles,
    show_all: bool,
) {
    let path = one_line(&snapshot.path.display().to_string());
    let headline = match snapshot.status {
        SnapshotStatus::New => format!(
            "{} {path}",
            styles.paint(Tone::Fail, "snapshot is new, not accepted yet:")
        ),
        SnapshotStatus::Mismatched => format!("{} {path}", styles.paint(Tone::Fail, "snapshot mismatched:")),
        SnapshotStatus::Matched if show_all => format!("snapshot matched: {path}"),
        SnapshotStatus::Updated if show_all => format!("snapshot updated: {path}"),
        SnapshotStatus::Matched | SnapshotStatus::Updated => return,
    };
    push_line(out, indent, &headline);
    let inner = indent + 2;
    if let Some(pending) = &snapshot.pending {
        push_line(
            out,
            inner,
            &format!("pending: {}", one_line(&pending.display().to_string())),
        );
    }
    if let Some(diff) = &snapshot.diff {
        for line in clean(diff).lines() {
            push_line(out, inner, &paint_diff_line(line, styles));
        }
    }
    if let Some(hint) = snapshot_hint(snapshot) {
        push_line(out, inner, &hint);
    }
}

/// Returns how to accept a new or changed snapshot: the pending file's
/// command, or, when nothing was written, why and how to write it.
fn snapshot_hint(snapshot: &SnapshotReport) -> Option<String> {
    if !matches!(snapshot.status, SnapshotStatus::New | SnapshotStatus::Mismatched) {
        return None;
    }
    let name = snapshot
        .path
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".snap").to_owned())
        .unwrap_or_default();
    Some(match (&snapshot.pending, &snapshot.unwritten) {
        (Some(_), _) => format!(
            "to accept: scenario snapshots accept {} (or review each: scenario snapshots review)",
            one_line(&name)
        ),
        (None, Some(why)) => format!(
            "nothing written ({}): to accept, run `scenario run --snapshots update` where it may write",
            one_line(why)
        ),
        (None, None) => return None,
    })
}

/// Colours one line of a unified diff: headers bold, hunks cyan, `+` green, `-` red.
fn paint_diff_line(line: &str, styles: Styles) -> String {
    let tone = if line.starts_with("+++") || line.starts_with("---") {
        Tone::Bold
    } else if line.starts_with("@@") {
        Tone::Hunk
    } else if line.starts_with('+') {
        Tone::Added
    } else if line.starts_with('-') {
        Tone::Removed
    } else {
        return line.to_owned();
    };
    styles.paint(tone, line)
}

fn at(location: &str, styles: Styles) -> String {
    styles.paint(Tone::Dim, format!("at {}", one_line(location)))
}

/// Appends `label value`, the value's continuation lines aligned under its first.
fn push_labelled(out: &mut String, indent: usize, label: &str, value: &str, tone: Option<(Tone, Styles)>) {
    let value = clean(value);
    let paint = |text: &str| match tone {
        Some((tone, styles)) => styles.paint(tone, text),
        None => text.to_owned(),
    };
    let mut lines = value.lines();
    let first = lines.next().unwrap_or_default();
    push_line(out, indent, &format!("{label:<LABEL_WIDTH$}{}", paint(first)));
    for line in lines {
        push_line(out, indent + LABEL_WIDTH, &paint(line));
    }
}

/// Appends `text` on its own line behind `indent` spaces.
pub(crate) fn push_line(out: &mut String, indent: usize, text: &str) {
    out.extend(std::iter::repeat_n(' ', indent));
    out.push_str(text.trim_end());
    out.push('\n');
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;

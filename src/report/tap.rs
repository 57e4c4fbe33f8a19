//! Owns the TAP report (Test Anything Protocol, version 14), written
//! atomically on finish: a plan, then one test point per scenario in run
//! order (`ok` / `not ok`, `# SKIP` with why), each that did not pass (or
//! passed after retries) followed by a YAML block: file, severity, message,
//! every problem, duration and attempts. A run that did not finish, or that
//! Ctrl-C stopped, ends with `Bail out!`.
//!
//! Must not print anything: it only writes the file it was given.

use std::fmt::Write as _;
use std::path::Path;

use super::ReportError;
use super::clean::{clean, one_line};
use super::file::{Document, FileReporter};
use super::fold::{Progress, RunFold};
use super::problems::{headline, problems_of};
use crate::engine::{ScenarioResult, Status};

/// Collects scenario results and writes them as a TAP file on finish.
pub type TapReporter = FileReporter<TapDocument>;

/// Writes the TAP report.
#[derive(Debug)]
pub struct TapDocument;

impl Document for TapDocument {
    /// Builds the TAP text from what `fold` holds.
    fn text(fold: &RunFold, _path: &Path) -> Result<String, ReportError> {
        let scenarios = fold.scenarios();
        let mut out = format!("TAP version 14\n1..{}\n", scenarios.len());
        for (number, (_, progress)) in (1..).zip(&scenarios) {
            match progress {
                Progress::Finished(result) => point(&mut out, number, result),
                Progress::Running(running) => {
                    let _ = writeln!(out, "not ok {number} - {}", description(&running.name));
                    block(
                        &mut out,
                        &[
                            ("file", text(&clean(&running.file.display().to_string()))),
                            ("severity", text("incomplete")),
                            ("message", text("the run stopped before this scenario finished")),
                        ],
                    );
                }
            }
        }
        if fold.summary().is_some_and(|s| s.interrupted) {
            out.push_str("Bail out! the run was interrupted\n");
        } else if !fold.complete() {
            out.push_str("Bail out! the run stopped before every scenario finished\n");
        }
        Ok(out)
    }
}

/// Appends the test point of one finished scenario and, when it did not
/// pass at once, its YAML block.
fn point(out: &mut String, number: usize, result: &ScenarioResult) {
    let name = description(&result.name);
    let file = ("file", text(&clean(&result.file.display().to_string())));
    let duration = ("duration_ms", result.duration.as_millis().to_string());
    let attempts = ("attempts", result.attempts().to_string());
    match result.status {
        Status::Passed => {
            let _ = writeln!(out, "ok {number} - {name}");
            if result.is_flaky() {
                block(out, &[file, ("flaky", "true".to_owned()), attempts, duration]);
            }
        }
        Status::Skipped => {
            let reason = result
                .skip_reason
                .as_deref()
                .or_else(|| result.steps.iter().find_map(|s| s.skip_reason.as_deref()))
                .unwrap_or("skipped");
            let _ = writeln!(out, "ok {number} - {name} # SKIP {}", escaped(&one_line(reason)));
        }
        Status::Failed | Status::Errored => {
            let _ = writeln!(out, "not ok {number} - {name}");
            let severity = if result.status == Status::Failed {
                "fail"
            } else {
                "error"
            };
            let (message, problems) = match &result.invalid {
                Some(invalid) => (
                    clean(&invalid.message).into_owned(),
                    vec![clean(&invalid.details).into_owned()],
                ),
                None => (
                    headline(result).map(|p| p.summary).unwrap_or_default(),
                    problems_of(&result.steps).into_iter().map(|p| p.detail).collect(),
                ),
            };
            let problems = format!(
                "[{}]",
                problems.iter().map(|p| text(p)).collect::<Vec<_>>().join(", ")
            );
            block(
                out,
                &[
                    file,
                    ("severity", text(severity)),
                    ("message", text(&message)),
                    ("problems", problems),
                    attempts,
                    duration,
                ],
            );
        }
    }
}

/// Appends a YAML diagnostic block, indented under its test point.
fn block(out: &mut String, fields: &[(&str, String)]) {
    out.push_str("  ---\n");
    for (key, value) in fields {
        let _ = writeln!(out, "  {key}: {value}");
    }
    out.push_str("  ...\n");
}

/// Quotes a string as YAML: a JSON string is a YAML double-quoted scalar,
/// so newlines, quotes and colons need no YAML emitter.
fn text(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

/// Returns a test point's description: one line, with TAP's `#` and `\`
/// escaped so no name reads as a directive.
fn description(name: &str) -> String {
    escaped(&one_line(name))
}

fn escaped(line: &str) -> String {
    line.replace('\\', "\\\\").replace('#', "\\#")
}

#[cfg(test)]
impl TapReporter {
    fn to_tap(&self) -> Result<String, ReportError> {
        self.text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Event;
    use crate::report::fixtures;

    fn tap_of(events: &[Event]) -> String {
        let mut reporter = TapReporter::new("unused.tap");
        fixtures::feed(&mut reporter, events);
        reporter.to_tap().unwrap()
    }

    #[test]
    fn tap_report_of_a_mixed_run() {
        let mut results = fixtures::mixed_results();
        results.push(fixtures::retried(true));
        let events = fixtures::run_of(results);
        insta::assert_snapshot!(tap_of(&events));
    }

    #[test]
    fn names_cannot_read_as_directives() {
        let tap = tap_of(&fixtures::run_of(vec![fixtures::passed(
            "Issue #12 \\ fixed # SKIP",
            "a.yaml",
        )]));
        assert!(tap.contains("ok 1 - Issue \\#12 \\\\ fixed \\# SKIP\n"), "{tap}");
    }

    #[test]
    fn a_run_ctrl_c_stopped_bails_out_though_it_finished() {
        let mut events = fixtures::run_of(vec![fixtures::passed("A", "a.yaml")]);
        let Some(Event::RunFinished { summary }) = events.last_mut() else {
            panic!("a run ends with RunFinished")
        };
        summary.interrupted = true;
        assert!(tap_of(&events).ends_with("ok 1 - A\nBail out! the run was interrupted\n"));
    }

    #[test]
    fn an_unfinished_run_bails_out() {
        let tap = tap_of(&fixtures::interrupted());
        assert!(tap.contains("not ok 1 - First scenario\n"), "{tap}");
        assert!(tap.contains("  severity: \"incomplete\"\n"), "{tap}");
        assert!(
            tap.ends_with("Bail out! the run stopped before every scenario finished\n"),
            "{tap}"
        );
    }

    #[test]
    fn yaml_values_are_quoted_scalars() {
        assert_eq!(text("a: \"b\"\nc"), r#""a: \"b\"\nc""#);
    }
}

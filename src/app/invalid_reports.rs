//! Owns the reports of a run that stops because scenario files are invalid:
//! when `--junit` or `--report-json` asks for them, they are written all the
//! same, with one errored test case per invalid file (named after the file,
//! its first error on one line as the message, every diagnostic of the file
//! without colour as the details), as pytest reports files it could not
//! collect, so CI's test view shows why nothing ran; and GitHub Actions
//! annotations at each file's first diagnostic, when asked for.
//!
//! Must not validate files (`crate::validate` does) nor format reports
//! (`crate::report` does): it turns diagnostics into results and hands them over.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use super::options::RunOptions;
use super::target::ResolvedTarget;
use crate::engine::{Event, InvalidFile, RunContext, RunSummary, ScenarioResult, Status};
use crate::error::Error;
use crate::model::diag::{Diagnostic, RenderOptions, render_all};
use crate::report::github_annotations;
use crate::validate::CheckReport;

/// Writes the report files `options` asks for, one errored case per file
/// of `report` with an error.
///
/// # Errors
/// Returns [`Error::CouldNotRun`] when a report file cannot be written.
pub(super) fn write_invalid_reports(
    options: &RunOptions,
    report: &CheckReport,
    target: &ResolvedTarget,
    stderr: &mut dyn Write,
) -> Result<(), Error> {
    let results = invalid_files(report);
    if options.annotations.github() {
        // Beside the diagnostics on stderr, which the Actions runner reads too.
        for result in &results {
            let _ = write!(stderr, "{}", github_annotations(result));
        }
    }
    let mut reporters = options.reports.reporters();
    if reporters.is_empty() {
        return Ok(());
    }
    let mut summary = RunSummary::default();
    let mut events = vec![Event::RunStarted {
        target: target
            .base_url
            .clone()
            .unwrap_or_else(|| "(the built-in mock, not started)".to_owned()),
        scenarios: results.len(),
        context: RunContext {
            config: target.config_file.clone(),
            environment: target.name.clone(),
            served_by: None,
            started_at: Some(time::OffsetDateTime::now_utc()),
            hostname: super::host::hostname(),
        },
    }];
    for (index, result) in results.into_iter().enumerate() {
        summary.add(&result);
        events.push(Event::ScenarioFinished {
            index,
            result: Arc::new(result),
        });
    }
    events.push(Event::RunFinished { summary });
    let fail = |e: crate::report::ReportError| Error::CouldNotRun(e.to_string());
    for reporter in &mut reporters {
        for event in &events {
            reporter.on_event(event).map_err(fail)?;
        }
        reporter.finish().map_err(fail)?;
    }
    Ok(())
}

/// Returns one errored result per file with an error, in the report's order.
fn invalid_files(report: &CheckReport) -> Vec<ScenarioResult> {
    let mut files: Vec<(Arc<PathBuf>, Vec<Diagnostic>)> = Vec::new();
    // Diagnostics are sorted by file, so each file's are side by side.
    for diagnostic in &report.diagnostics {
        let file = &diagnostic.location.file;
        match files.last_mut().filter(|(known, _)| known == file) {
            Some((_, found)) => found.push(diagnostic.clone()),
            None => files.push((Arc::clone(file), vec![diagnostic.clone()])),
        }
    }
    files
        .into_iter()
        .filter_map(|(file, diagnostics)| {
            let first = diagnostics.iter().find(|d| d.is_error())?;
            let message = report.redactor.redact(&first.one_line()).into_owned();
            let details = render_all(
                &diagnostics,
                &report.sources,
                &report.redactor,
                RenderOptions { color: false },
            );
            Some(ScenarioResult {
                name: file.display().to_string(),
                file: file.as_ref().clone(),
                status: Status::Errored,
                invalid: Some(InvalidFile {
                    message,
                    details: details.trim_end().to_owned(),
                }),
                ..ScenarioResult::default()
            })
        })
        .collect()
}

//! Owns the report-file flags shared by `run` and `report merge`
//! (`--junit`, `--report-json`, `--report-tap`, `--report-html`).
//!
//! Must not check the paths: the app refuses two reports in one file.

use std::path::PathBuf;

use clap::Args;

use scenario::app::ReportFiles;

/// Holds the report files asked for on the command line.
#[derive(Debug, Args)]
pub struct ReportFileArgs {
    /// Write a JUnit XML report to FILE (one suite per file; `run` also writes it when files are invalid).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a JSON report to FILE (`run` also writes it when files are invalid).
    #[arg(long = "report-json", value_name = "FILE")]
    pub report_json: Option<PathBuf>,
    /// Write a TAP version 14 report to FILE (one test point per scenario).
    #[arg(long = "report-tap", value_name = "FILE")]
    pub report_tap: Option<PathBuf>,
    /// Write a self-contained HTML report to FILE (summary, filters, step waterfall, diffs).
    #[arg(long = "report-html", value_name = "FILE")]
    pub report_html: Option<PathBuf>,
}

impl ReportFileArgs {
    /// Converts the flags into the library's list of report files.
    #[must_use]
    pub fn into_files(self) -> ReportFiles {
        ReportFiles {
            junit: self.junit,
            json: self.report_json,
            tap: self.report_tap,
            html: self.report_html,
        }
    }
}

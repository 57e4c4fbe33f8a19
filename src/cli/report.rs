//! Declares the arguments of `scenario report` (its `merge` subcommand) and
//! turns them into the library's [`MergeOptions`].
//!
//! Must not read or write reports: it only checks what was typed and builds
//! plain settings.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use scenario::app::MergeOptions;

use super::report_files::ReportFileArgs;

/// Holds the arguments of `scenario report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: ReportAction,
}

/// Lists what `scenario report` does.
#[derive(Debug, Subcommand)]
pub enum ReportAction {
    /// Merge the JSON reports of a suite's shards into one JUnit, JSON and/or TAP report: scenarios in
    /// the order an unsharded run gives them, totals counted again. A scenario found in several
    /// reports keeps the last one's result. Exits as the unsharded run would have.
    #[command(after_help = super::EXIT_CODES)]
    Merge {
        /// JSON reports written by `scenario run --report-json`, of one version.
        #[arg(value_name = "REPORT", required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        reports: ReportFileArgs,
    },
}

impl ReportArgs {
    /// Converts the parsed arguments into library options.
    #[must_use]
    pub fn into_options(self) -> MergeOptions {
        match self.action {
            ReportAction::Merge { inputs, reports } => MergeOptions {
                inputs,
                reports: reports.into_files(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use clap::Parser;

    use crate::cli::{Cli, Command};

    #[test]
    fn merge_takes_reports_and_the_files_to_write() {
        let cli = Cli::try_parse_from([
            "scenario",
            "report",
            "merge",
            "a.json",
            "b.json",
            "--junit",
            "out.xml",
            "--report-json",
            "out.json",
            "--report-tap",
            "out.tap",
        ])
        .unwrap();
        let Command::Report(args) = cli.command else {
            panic!("not report")
        };
        let options = args.into_options();
        assert_eq!(options.inputs, [PathBuf::from("a.json"), PathBuf::from("b.json")]);
        assert_eq!(options.reports.junit, Some(PathBuf::from("out.xml")));
        assert_eq!(options.reports.json, Some(PathBuf::from("out.json")));
        assert_eq!(options.reports.tap, Some(PathBuf::from("out.tap")));
        assert!(
            Cli::try_parse_from(["scenario", "report", "merge"]).is_err(),
            "at least one report"
        );
    }
}

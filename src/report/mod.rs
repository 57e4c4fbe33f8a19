//! Consumes engine events and writes reports: console, JUnit, JSON, TAP, HTML.
//!
//! Every reporter sees the same stream of [`Event`]s, folds it the one same way
//! (`fold`) and owns its own output: `console` prints as scenarios finish,
//! `json` (its shape in `json_shape`) and `junit` serialise the fold into a
//! file (`file`) on finish, and `headline`, `render`, `problems`, `style` and
//! `clean` build the text. A JSON report is read back by `read`, and the
//! reports of a suite's shards become one by `merge`, which feeds the same
//! documents the events a run of them would have sent. All text inside the events is
//! already redacted, so reporters print what they get (after stripping
//! terminal control sequences from response-derived text).
//!
//! Must not call the engine, HTTP or anything that runs scenarios.

mod annotations;
mod clean;
mod console;
mod file;
mod files;
mod fold;
mod headline;
mod html;
mod json;
mod json_schema;
mod json_shape;
mod junit;
mod live;
mod merge;
mod problems;
mod read;
mod render;
mod snapshot_recap;
mod style;
mod tap;
mod timestamp;

#[cfg(test)]
mod fixtures;

use std::io;
use std::path::PathBuf;

use crate::engine::Event;

pub use annotations::github_annotations;
pub use console::{ConsoleOptions, ConsoleReporter};
pub use files::ReportFiles;
pub(crate) use headline::summary_line;
pub use html::HtmlReporter;
pub use json::JsonReporter;
pub use json_schema::{REPORT_SCHEMA_FILE, json_report_schema, render_report_schema};
pub use junit::JunitReporter;
pub use merge::{MergeError, Merged, merge};
pub use read::{ReadError, ReadReport, ReadScenario, read_report};
pub use style::format_duration;
pub use tap::TapReporter;
use timestamp::rfc3339;

/// Receives the events of one run, in order, and writes a report from them.
pub trait Reporter: Send {
    /// Takes one event; may write output right away or buffer it.
    ///
    /// # Errors
    /// Returns an error when the output cannot be written.
    fn on_event(&mut self, event: &Event) -> Result<(), ReportError>;

    /// Writes whatever is still buffered; called once, after the last event
    /// (also when the run was interrupted before `RunFinished`).
    ///
    /// # Errors
    /// Returns an error when the output cannot be written.
    fn finish(&mut self) -> Result<(), ReportError>;
}

/// Explains why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The console (or whatever stream the console reporter writes to) refused output.
    #[error("could not write to the console: {0}")]
    Console(#[source] io::Error),
    /// A report file could not be written.
    #[error("could not write report {path}: {source}")]
    Write {
        /// The report file asked for.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The JUnit document could not be serialized.
    #[error("could not serialize the JUnit report {path}: {source}")]
    Junit {
        /// The report file asked for.
        path: PathBuf,
        /// What the serializer said.
        #[source]
        source: quick_junit::SerializeError,
    },
    /// The HTML page could not be rendered.
    #[error("could not render the HTML report {path}: {source}")]
    Html {
        /// The report file asked for.
        path: PathBuf,
        /// What the template engine said.
        #[source]
        source: minijinja::Error,
    },
    /// The JSON document could not be serialized.
    #[error("could not serialize the JSON report {path}: {source}")]
    Json {
        /// The report file asked for.
        path: PathBuf,
        /// What the serializer said.
        #[source]
        source: serde_json::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reporters_work_side_by_side_as_trait_objects() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("junit.xml");
        let json = dir.path().join("report.json");
        let mut reporters: Vec<Box<dyn Reporter>> = vec![
            Box::new(ConsoleReporter::new(
                Box::new(std::io::sink()),
                ConsoleOptions::default(),
            )),
            Box::new(JunitReporter::new(&junit)),
            Box::new(JsonReporter::new(&json)),
        ];
        for event in fixtures::all_passed() {
            for reporter in &mut reporters {
                reporter.on_event(&event).unwrap();
            }
        }
        for reporter in &mut reporters {
            reporter.finish().unwrap();
        }
        assert!(std::fs::read_to_string(junit).unwrap().contains("<testsuites"));
        assert!(
            std::fs::read_to_string(json)
                .unwrap()
                .contains("\"complete\": true")
        );
    }

    #[test]
    fn errors_name_the_report_file() {
        let err = ReportError::Write {
            path: PathBuf::from("out/junit.xml"),
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        assert!(
            err.to_string()
                .starts_with("could not write report out/junit.xml: ")
        );
    }
}

//! Owns `scenario schema`: writes the JSON Schema editors use for scenario
//! files or `scenario.yaml`, or the one of the JSON report.
//!
//! Must not build a schema itself (`crate::model::schema` and
//! `crate::report` do); it only writes it out, and never sees clap.

use std::io::Write;

use crate::error::{Error, ExitStatus};
use crate::model::schema::SchemaFile;

/// Says which schema `scenario schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaOf {
    /// A file people write: a scenario or `scenario.yaml`.
    File(SchemaFile),
    /// The JSON report `run --report-json` writes.
    JsonReport,
}

/// Runs `scenario schema`: prints the JSON Schema of scenario files (or of
/// `scenario.yaml`) that editors complete and check YAML with, or the one
/// of the JSON report.
///
/// # Errors
/// Returns [`Error::CouldNotRun`] when the schema cannot be written to `stdout`.
pub fn schema(of: SchemaOf, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    let text = match of {
        SchemaOf::File(file) => file.render(),
        SchemaOf::JsonReport => crate::report::render_report_schema(),
    };
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::CouldNotRun(format!("could not write the schema: {e}")))?;
    Ok(ExitStatus::Passed)
}

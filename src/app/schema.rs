//! Owns `scenario schema`: writes the JSON Schema editors use for scenario
//! files or `scenario.yaml`.
//!
//! Must not build the schema itself (`crate::model::schema` does); it only
//! writes it out, and never sees clap.

use std::io::Write;

use crate::error::{Error, ExitStatus};
use crate::model::schema::SchemaFile;

/// Runs `scenario schema`: prints the JSON Schema of scenario files (or of
/// `scenario.yaml`) that editors complete and check YAML with.
///
/// # Errors
/// Returns [`Error::CouldNotRun`] when the schema cannot be written to `stdout`.
pub fn schema(file: SchemaFile, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    stdout
        .write_all(file.render().as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::CouldNotRun(format!("could not write the schema: {e}")))?;
    Ok(ExitStatus::Passed)
}

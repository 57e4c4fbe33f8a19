//! Owns `scenario report merge`: reads the JSON reports of a suite's shards,
//! merges them and writes the merged JUnit and/or JSON report, then says
//! what they hold and exits as the unsharded run would have.
//!
//! Must not read, order or write reports itself (`crate::report` does) and
//! must not see clap: the binary hands over a [`MergeOptions`].

use std::io::Write;

use super::options::MergeOptions;
use crate::error::{Error, ExitStatus};
use crate::report::{MergeError, merge, read_report};

/// Runs `scenario report merge`.
///
/// # Errors
/// Returns [`Error::Usage`] when an input is not a JSON report of ours, the
/// inputs are of different versions, or both outputs name one file;
/// [`Error::CouldNotRun`] when an output cannot be written, or (after writing
/// them) when a shard's run did not finish.
pub fn report_merge(
    options: &MergeOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    if let Some(clash) = options.reports.clash() {
        return Err(Error::Usage(clash));
    }
    let reports = options
        .inputs
        .iter()
        .map(|path| read_report(path).map_err(|e| Error::Usage(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = merge(reports, &options.reports).map_err(|e| match e {
        MergeError::NoInput | MergeError::Versions { .. } => Error::Usage(e.to_string()),
        MergeError::Write(_) => Error::CouldNotRun(e.to_string()),
    })?;
    for line in &merged.replaced {
        let _ = writeln!(stderr, "note: {line}");
    }
    let noun = if options.inputs.len() == 1 {
        "report"
    } else {
        "reports"
    };
    let _ = writeln!(
        stdout,
        "Merged {} {noun}: {}",
        options.inputs.len(),
        crate::report::summary_line(&merged.summary)
    );
    if !merged.complete {
        return Err(Error::CouldNotRun(
            "a shard's run did not finish (its report is incomplete); the merged reports say which \
             scenarios did not finish"
                .to_owned(),
        ));
    }
    Ok(if merged.summary.all_passed() {
        ExitStatus::Passed
    } else {
        ExitStatus::Failed
    })
}

//! Owns `scenario snapshots`: review, accept, reject, and list pending or
//! unused snapshots, printing what was done.
//!
//! Must not hold snapshot rules (`crate::snapshot` stores and compares them)
//! and must not remove a snapshot while the scenario files have problems; it
//! never sees clap.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::options::{SnapshotCommand, SnapshotsOptions};
use super::plan::plan_of;
use super::project::{environment_names, paths_or_default, read_project, snapshot_dir_or_default};
use crate::error::{Error, ExitStatus};

/// Runs `scenario snapshots`: review, accept, reject, list pending or unused.
///
/// # Errors
/// Returns [`Error::CouldNotRun`] when snapshot files cannot be read or moved.
pub fn snapshots(options: &SnapshotsOptions, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    let project = read_project(None)?;
    let dir = &snapshot_dir_or_default(options.dir.as_deref(), project.as_ref());
    match &options.command {
        SnapshotCommand::Review => {
            let term = console::Term::stdout();
            let color = options.color.enabled(term.is_term());
            let stdin = std::io::stdin();
            // On a terminal one key answers; from a pipe, one line does.
            let keys = term.is_term() && std::io::IsTerminal::is_terminal(&stdin);
            let mut answers: Box<dyn crate::snapshot::Answers> = if keys {
                Box::new(crate::snapshot::KeyPresses(term))
            } else {
                Box::new(stdin.lock())
            };
            // `review` prints its own summary, problems included.
            let _ = crate::snapshot::review(dir, answers.as_mut(), stdout, color).map_err(could_not_run)?;
        }
        SnapshotCommand::Accept(filter) => {
            let accepted = crate::snapshot::accept(dir, filter.as_deref()).map_err(could_not_run)?;
            for path in &accepted {
                let _ = writeln!(stdout, "accepted {}", path.display());
            }
            let _ = writeln!(stdout, "{} snapshot(s) accepted", accepted.len());
        }
        SnapshotCommand::Reject(filter) => {
            let rejected = crate::snapshot::reject(dir, filter.as_deref()).map_err(could_not_run)?;
            for path in &rejected {
                let _ = writeln!(stdout, "rejected {}", path.display());
            }
            let _ = writeln!(stdout, "{} snapshot(s) rejected", rejected.len());
        }
        SnapshotCommand::Pending => {
            let pending = crate::snapshot::pending(dir).map_err(could_not_run)?;
            for item in &pending {
                let kind = if item.stored { "changed" } else { "new" };
                let _ = writeln!(stdout, "{kind:8} {}", item.pending_path.display());
            }
            let _ = writeln!(stdout, "{} pending snapshot(s)", pending.len());
        }
        SnapshotCommand::Unused { paths, delete } => {
            let known = environment_names(project.as_ref(), None)?;
            let paths = paths_or_default(paths, project.as_ref());
            unused(dir, &paths, &known, *delete, stdout)?;
        }
    }
    Ok(ExitStatus::Passed)
}

/// Lists the snapshots no step of the scenario files produces, removing them
/// with `delete`; refuses while the files have problems.
fn unused(
    dir: &Path,
    paths: &[PathBuf],
    known: &BTreeSet<String>,
    delete: bool,
    stdout: &mut dyn Write,
) -> Result<(), Error> {
    let report = crate::validate::check_paths(paths, known);
    if report.has_errors() {
        return Err(Error::Usage(
            "the scenario files have problems; run `scenario check` first, so no snapshot is removed by mistake"
                .to_owned(),
        ));
    }
    // Every scenario counts, whatever its tags: any of them may produce a snapshot.
    let plan = plan_of(report);
    let produced = crate::engine::snapshot_names(&plan);
    let unused = crate::snapshot::unreferenced(dir, &produced).map_err(could_not_run)?;
    for path in &unused {
        if delete {
            std::fs::remove_file(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let _ = writeln!(stdout, "removed {}", path.display());
        } else {
            let _ = writeln!(stdout, "unused {}", path.display());
        }
    }
    let verb = if delete {
        "removed"
    } else {
        "unused (remove with --delete)"
    };
    let _ = writeln!(stdout, "{} snapshot(s) {verb}", unused.len());
    Ok(())
}

/// Reports a snapshot store that could not be read or changed as a run that could not finish.
fn could_not_run(e: crate::snapshot::SnapshotError) -> Error {
    Error::CouldNotRun(e.to_string())
}

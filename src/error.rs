//! Owns the exit codes and the top-level error of a run that could not start.
//!
//! Failed assertions and steps that could not run are results (see
//! [`crate::engine`]), never errors here. Only "the run could not start" or "the
//! input is invalid" becomes an [`Error`]. Every exit code the binary returns is
//! defined in [`ExitStatus`], and nowhere else.
//!
//! Must not depend on any other module of the crate nor print anything: the
//! binary reports errors, every layer may return them.

use std::path::PathBuf;

/// Lists the process exit codes, documented in the README and `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Every scenario passed (or `check` found nothing wrong).
    Passed = 0,
    /// At least one assertion failed or one step could not run.
    Failed = 1,
    /// Invalid scenario files or invocation (for `report merge`, inputs that
    /// are not JSON reports of one version): nothing was run.
    Invalid = 2,
    /// The run could not start or finish: mock, I/O, report files, or a
    /// first Ctrl-C (`finally` steps ran and reports were written); for
    /// `report merge`, a shard whose run did not finish.
    CouldNotRun = 3,
    /// A second Ctrl-C stopped the process at once, without `finally` steps
    /// or reports: 128 + SIGINT, as shells report a process killed by Ctrl-C.
    Interrupted = 130,
}

impl ExitStatus {
    /// Returns the numeric code handed to the operating system.
    #[must_use]
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Describes why a command could not start or finish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario files have problems; they were already reported in detail.
    #[error("{count} problem(s) found in scenario files; nothing was run")]
    InvalidInput {
        /// How many problems were reported.
        count: usize,
    },
    /// The invocation itself is wrong (bad flag value, unknown environment...).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing a file failed.
    #[error("could not access {path}: {source}")]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The built-in mock could not start.
    #[error("could not start the built-in mock: {0}")]
    Mock(String),
    /// Any other reason the run could not proceed.
    #[error("{0}")]
    CouldNotRun(String),
}

impl Error {
    /// Maps the error to the exit status the binary returns for it.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::InvalidInput { .. } | Error::Usage(_) => ExitStatus::Invalid,
            Error::Io { .. } | Error::Mock(_) | Error::CouldNotRun(_) => ExitStatus::CouldNotRun,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_distinct_and_stable() {
        assert_eq!(ExitStatus::Passed.code(), 0);
        assert_eq!(ExitStatus::Failed.code(), 1);
        assert_eq!(ExitStatus::Invalid.code(), 2);
        assert_eq!(ExitStatus::CouldNotRun.code(), 3);
    }

    #[test]
    fn usage_errors_mean_nothing_was_run() {
        assert_eq!(Error::Usage("x".into()).exit_status(), ExitStatus::Invalid);
        assert_eq!(Error::Mock("x".into()).exit_status(), ExitStatus::CouldNotRun);
    }
}

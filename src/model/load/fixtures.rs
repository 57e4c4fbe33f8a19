//! Holds the inputs the loader's unit tests share: a file name, and parses
//! that return the first problem or every problem.
//!
//! Test-only. Must not hold assertions: each stage's tests state their own.

use std::path::PathBuf;
use std::sync::Arc;

use super::{parse_source, parse_source_all_problems};
use crate::model::diag::Diagnostic;

/// Returns the file name every test parses as.
pub(super) fn file() -> Arc<PathBuf> {
    Arc::new("t.yaml".into())
}

/// Parses `src` expecting a problem, and returns the first one.
pub(super) fn parse_err(src: &str) -> Diagnostic {
    *parse_source(&file(), src).unwrap_err()
}

/// Parses `src` expecting problems, and returns every one.
pub(super) fn all_problems(src: &str) -> Vec<Diagnostic> {
    parse_source_all_problems(&file(), src).unwrap_err()
}

/// Reduces diagnostics to `(line, column, message)` for compact assertions.
pub(super) fn lines_and_messages(found: &[Diagnostic]) -> Vec<(u64, u64, &str)> {
    found
        .iter()
        .map(|d| (d.location.line, d.location.column, d.message.as_str()))
        .collect()
}

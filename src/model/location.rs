//! Owns source locations (file, line, column) carried by every authored node,
//! and the located wrappers ([`Spanned`], [`SpannedMap`]) the model types use.
//!
//! Must not know the scenario format or read files: a location is plain data.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
pub use serde_saphyr::Spanned;

/// Maps authored keys to authored values, keeping YAML order.
pub type SpannedMap<V> = IndexMap<Spanned<String>, Spanned<V>>;

/// Points at a place in a scenario file, 1-based, for diagnostics and reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceLocation {
    /// The scenario file, as given on the command line (relative when possible).
    pub file: Arc<PathBuf>,
    /// 1-based line; 0 when unknown.
    pub line: u64,
    /// 1-based column; 0 when unknown.
    pub column: u64,
}

impl SourceLocation {
    /// Builds a location in `file` from a serde-saphyr node position.
    #[must_use]
    pub fn of<T>(file: &Arc<PathBuf>, node: &Spanned<T>) -> Self {
        Self {
            file: Arc::clone(file),
            line: node.referenced.line(),
            column: node.referenced.column(),
        }
    }

    /// Builds a location for a whole file, when no node is known.
    #[must_use]
    pub fn file_only(file: &Path) -> Self {
        Self {
            file: Arc::new(file.to_path_buf()),
            line: 0,
            column: 0,
        }
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file.display())
        } else {
            write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_rustc() {
        let loc = SourceLocation {
            file: Arc::new("a/b.yaml".into()),
            line: 3,
            column: 7,
        };
        assert_eq!(loc.to_string(), "a/b.yaml:3:7");
        assert_eq!(
            SourceLocation::file_only(Path::new("x.yaml")).to_string(),
            "x.yaml"
        );
    }
}

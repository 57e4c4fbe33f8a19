//! Finds the scenario files under the PATHs given on the command line:
//! folders searched recursively in sorted order, hidden entries skipped, only
//! `*.yaml` / `*.yml` taken.
//!
//! Must not read or parse the files it finds (that is `read` and `parse`), and
//! must not print: a missing or unreadable PATH becomes a diagnostic.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::model::SourceLocation;
use crate::model::diag::Diagnostic;

/// Lists the scenario files found under the given PATHs, and the PATHs that
/// could not be searched.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Files to load, in a stable order (each PATH in turn, sorted within folders).
    pub files: Vec<PathBuf>,
    /// Missing PATHs, unreadable folders, folders without scenario files.
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds scenario files under `paths`: a file is taken as given; a folder is
/// searched recursively for `*.yaml` / `*.yml`, skipping hidden entries, in
/// sorted order so runs are deterministic.
#[must_use]
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    let mut seen = BTreeSet::new();
    for path in paths {
        let shown = SourceLocation::file_only(path);
        if path.is_file() {
            if seen.insert(path.clone()) {
                discovery.files.push(path.clone());
            }
            continue;
        }
        if !path.is_dir() {
            discovery.diagnostics.push(
                Diagnostic::error(format!("no such file or folder `{}`", path.display()), shown)
                    .with_help("give a scenario file or a folder that contains `*.yaml` files"),
            );
            continue;
        }
        let mut found = Vec::new();
        let walker = walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_yaml(entry.path()) => {
                    found.push(entry.into_path());
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().unwrap_or(path);
                    discovery.diagnostics.push(
                        Diagnostic::error(
                            format!("could not read folder `{}`: {}", at.display(), io_reason(&e)),
                            SourceLocation::file_only(at),
                        )
                        .with_help("check that the folder exists and is readable"),
                    );
                }
            }
        }
        if found.is_empty() {
            discovery.diagnostics.push(
                Diagnostic::error(format!("no scenario files in `{}`", path.display()), shown)
                    .with_help("scenario files end in `.yaml` or `.yml`; hidden folders are skipped"),
            );
        }
        for file in found {
            if seen.insert(file.clone()) {
                discovery.files.push(file);
            }
        }
    }
    discovery
}

fn io_reason(e: &walkdir::Error) -> String {
    e.io_error()
        .map_or_else(|| e.to_string(), |io| io.kind().to_string())
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_is_sorted_recursive_and_skips_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.hidden")).unwrap();
        std::fs::create_dir_all(root.join("a")).unwrap();
        for f in ["b/2.yml", "a/1.yaml", "b/.hidden/x.yaml", "b/notes.txt", "0.yaml"] {
            std::fs::write(root.join(f), "name: x\n").unwrap();
        }
        let found = discover(&[root.to_path_buf(), root.join("missing")]);
        let rel: Vec<String> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(rel, ["0.yaml", "a/1.yaml", "b/2.yml"]);
        assert_eq!(found.diagnostics.len(), 1);
        assert!(found.diagnostics[0].message.starts_with("no such file or folder"));
    }
}

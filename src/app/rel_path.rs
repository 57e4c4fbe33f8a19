//! Owns how selection spells a scenario's file: relative to the current
//! folder (what `--file-filter` globs and `list` show) or to the project's
//! folder (what `--partition hash:` hashes and the last run's record keeps,
//! so both stay the same from any subfolder), always with `/` separators.
//!
//! Must not touch the file system beyond asking for the current folder:
//! paths are compared lexically, as they were given.

use std::path::{Component, Path, PathBuf};

use crate::model::normalize;

/// Holds the folders file paths are measured from.
#[derive(Debug, Clone)]
pub(super) struct Places {
    /// The current folder, absolute; `None` when the system could not say.
    cwd: Option<PathBuf>,
    /// The project's folder, absolute when `cwd` is known.
    root: PathBuf,
}

impl Places {
    /// Measures from the current folder and the project's folder `root`
    /// (as a command sees it: relative to the current folder, or absolute;
    /// empty means the current folder).
    pub(super) fn new(root: &Path) -> Self {
        let cwd = std::env::current_dir().ok();
        Self::at(cwd, root)
    }

    /// Measures from `cwd` (when known) and `root`.
    fn at(cwd: Option<PathBuf>, root: &Path) -> Self {
        let root = absolute(cwd.as_deref(), root);
        Self { cwd, root }
    }

    /// Returns `file` relative to the current folder.
    pub(super) fn relative_to_cwd(&self, file: &Path) -> String {
        match &self.cwd {
            Some(cwd) => relative(&normalize(cwd), &absolute(Some(cwd), file)),
            None => slashed(&normalize(file)),
        }
    }

    /// Returns `file` relative to the project's folder.
    pub(super) fn relative_to_root(&self, file: &Path) -> String {
        relative(&self.root, &absolute(self.cwd.as_deref(), file))
    }
}

/// Returns `path` joined to `cwd` when it is relative, normalized.
fn absolute(cwd: Option<&Path>, path: &Path) -> PathBuf {
    match cwd {
        Some(cwd) if !path.is_absolute() => normalize(&cwd.join(path)),
        _ => normalize(path),
    }
}

/// Spells `target` from `base` (both normalized): `..` for each of `base`'s
/// components not shared, then the rest of `target`.
fn relative(base: &Path, target: &Path) -> String {
    let base: Vec<Component<'_>> = base.components().collect();
    let target: Vec<Component<'_>> = target.components().collect();
    let shared = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    // Nothing shared (another drive, or one path relative): the target as it is.
    if shared == 0 && !base.is_empty() {
        return slashed(&target.iter().collect::<PathBuf>());
    }
    let mut parts: Vec<String> = base[shared..].iter().map(|_| "..".to_owned()).collect();
    parts.extend(
        target[shared..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Joins a path's components with `/`, whatever the platform's separator.
fn slashed(path: &Path) -> String {
    let mut out = String::new();
    for component in path.components() {
        match component {
            Component::RootDir => out.push('/'),
            other => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_spelt_from_the_current_folder_and_from_the_project() {
        let places = Places::at(Some(PathBuf::from("/p/scenarios/deep")), Path::new("../.."));
        let file = Path::new("../login.yaml");
        assert_eq!(places.relative_to_cwd(file), "../login.yaml");
        assert_eq!(places.relative_to_root(file), "scenarios/login.yaml");
        assert_eq!(
            places.relative_to_root(Path::new("/p/scenarios/a/./b.yaml")),
            "scenarios/a/b.yaml"
        );
        assert_eq!(
            places.relative_to_cwd(Path::new("/p/scenarios/deep/x.yaml")),
            "x.yaml"
        );
        assert_eq!(
            places.relative_to_root(Path::new("/elsewhere/x.yaml")),
            "../elsewhere/x.yaml"
        );
    }

    #[test]
    fn the_project_folder_may_be_the_current_one() {
        let places = Places::at(Some(PathBuf::from("/p")), Path::new(""));
        assert_eq!(
            places.relative_to_root(Path::new("./scenarios/x.yaml")),
            "scenarios/x.yaml"
        );
        assert_eq!(
            places.relative_to_cwd(Path::new("scenarios/x.yaml")),
            "scenarios/x.yaml"
        );
        let unknown = Places::at(None, Path::new("."));
        assert_eq!(unknown.relative_to_cwd(Path::new("./a/../b.yaml")), "b.yaml");
        assert_eq!(unknown.relative_to_root(Path::new("./a/b.yaml")), "a/b.yaml");
    }
}

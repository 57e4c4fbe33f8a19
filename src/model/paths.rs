//! Resolves the file a step's `use` names, relative to the using file.
//!
//! Must not touch the file system: resolution is lexical, so it works on
//! files that do not exist yet.

use std::path::{Component, Path, PathBuf};

/// Returns the normalized path of the flow `use_path` names from `using_file`.
///
/// Resolution is lexical (no filesystem access), so the same flow reached by
/// two spellings (`a/../flows/x.yaml`, `flows/x.yaml`) has one key.
#[must_use]
pub fn resolve_use_path(using_file: &Path, use_path: &str) -> PathBuf {
    let base = using_file.parent().unwrap_or_else(|| Path::new(""));
    // `join` keeps an absolute `use_path` as it is.
    normalize(&base.join(use_path.trim()))
}

/// Removes `.` and resolves `..` lexically, without touching the file system
/// (canonical paths would turn relative ones absolute); `..` above the root
/// stays at the root.
#[must_use]
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_to_the_using_file() {
        assert_eq!(
            resolve_use_path(Path::new("scenarios/mfa/email.yaml"), "../flows/login.yaml"),
            PathBuf::from("scenarios/flows/login.yaml")
        );
        assert_eq!(
            resolve_use_path(Path::new("a.yaml"), "./b.yaml"),
            PathBuf::from("b.yaml")
        );
        assert_eq!(normalize(Path::new("../x/./y")), PathBuf::from("../x/y"));
    }
}

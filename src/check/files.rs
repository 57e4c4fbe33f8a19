//! Reads the files expectations name (`equals_file`, schema files and the
//! local files their `$ref`s point at), relative to the scenario file and
//! never outside the project folder.
//!
//! Must not reach the network: a `$ref` to anything but a local file is
//! refused. Must not evaluate what it reads.

use std::path::{Path, PathBuf};

use super::EvalContext;

/// Resolves `path` (relative to the scenario file's folder) and checks it
/// lies inside the project folder.
///
/// # Errors
/// Says why the file cannot be used: it does not exist, or it leaves the project.
pub(super) fn resolve(path: &str, context: &EvalContext) -> Result<PathBuf, String> {
    let joined = context.base_dir.join(path);
    inside_root(&joined, context)
}

/// Checks that `path` exists and lies inside the project folder, returning
/// its canonical form.
///
/// # Errors
/// Says why the file cannot be used.
pub(super) fn inside_root(path: &Path, context: &EvalContext) -> Result<PathBuf, String> {
    let canonical = path
        .canonicalize()
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let root = context
        .root
        .canonicalize()
        .map_err(|e| format!("cannot read the project folder `{}`: {e}", context.root.display()))?;
    if canonical.starts_with(&root) {
        Ok(canonical)
    } else {
        Err(format!(
            "`{}` lies outside the project folder `{}`; files checked against must be part of the project",
            path.display(),
            root.display()
        ))
    }
}

/// Reads the file at `path` (relative to the scenario file's folder).
///
/// # Errors
/// Says why the file cannot be read.
pub(super) fn read(path: &str, context: &EvalContext) -> Result<Vec<u8>, String> {
    let resolved = resolve(path, context)?;
    std::fs::read(&resolved).map_err(|e| format!("cannot read `{path}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_outside_the_project_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir_all(project.join("scenarios")).unwrap();
        std::fs::write(project.join("scenarios/a.txt"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let context = EvalContext {
            base_dir: project.join("scenarios"),
            root: project.clone(),
            ..EvalContext::default()
        };
        assert_eq!(read("a.txt", &context).unwrap(), b"a");
        assert!(
            read("../../secret.txt", &context)
                .unwrap_err()
                .contains("outside the project folder")
        );
        assert!(
            read("missing.txt", &context)
                .unwrap_err()
                .starts_with("cannot read `")
        );
    }
}

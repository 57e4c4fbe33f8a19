//! Owns finding and reading the project configuration (`scenario.yaml`) for a
//! command: the explicit file, else the nearest one in the current folder or
//! above it (as cargo finds `Cargo.toml`); the folder it sits in, which the
//! paths it implies are relative to (`scenarios/`, `snapshots/`, the local
//! overrides, a mock seed); and the variable and pool names its environments
//! (and their local overrides) define.
//!
//! Must not choose the environment a run uses or render its variables (see
//! `target`); the file's format and rules belong to `crate::model::project`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::project::{self, ProjectConfig};

/// Names the folder scenarios live in, below the project's folder.
const SCENARIOS_DIR: &str = "scenarios";
/// Names the folder snapshots live in, below the project's folder.
const SNAPSHOTS_DIR: &str = "snapshots";

/// Returns the nearest `scenario.yaml` in `cwd` or a folder above it, as a
/// path relative to `cwd` (`scenario.yaml`, `../scenario.yaml`, ...).
pub(super) fn find_project_file(cwd: &Path) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join(project::PROJECT_FILE).is_file() {
            return Some(relative.join(project::PROJECT_FILE));
        }
        relative.push("..");
    }
    None
}

/// Returns the folder of a project file, empty for one in the current folder,
/// so paths joined to it stay as short as the user would write them.
pub(super) fn folder_of(file: &Path) -> &Path {
    file.parent().unwrap_or_else(|| Path::new(""))
}

/// Returns `relative` joined to the project's folder (the current folder
/// without a project); an absolute path is kept.
pub(super) fn in_project(project: Option<&(PathBuf, ProjectConfig)>, relative: &str) -> PathBuf {
    match project {
        Some((file, _)) => folder_of(file).join(relative),
        None => PathBuf::from(relative),
    }
}

/// Returns the paths a command works on: the given ones, else the project's `scenarios/`.
pub(super) fn paths_or_default(
    paths: &[PathBuf],
    project: Option<&(PathBuf, ProjectConfig)>,
) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![in_project(project, SCENARIOS_DIR)]
    } else {
        paths.to_vec()
    }
}

/// Returns the snapshot folder: the given one, else the project's `snapshots/`.
pub(super) fn snapshot_dir_or_default(
    dir: Option<&Path>,
    project: Option<&(PathBuf, ProjectConfig)>,
) -> PathBuf {
    dir.map_or_else(|| in_project(project, SNAPSHOTS_DIR), Path::to_path_buf)
}

/// Returns the local overrides file that goes with a project (beside it).
pub(super) fn local_file(project: Option<&(PathBuf, ProjectConfig)>) -> PathBuf {
    in_project(project, project::LOCAL_FILE)
}

/// Reads the project configuration: the explicit file, else the nearest
/// `scenario.yaml` in the current folder or above (`None` when there is none).
///
/// # Errors
/// Returns [`Error::Usage`] when the file is invalid, or unreadable (missing
/// counts as unreadable only for an explicit file).
pub(super) fn read_project(explicit: Option<&Path>) -> Result<Option<(PathBuf, ProjectConfig)>, Error> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            match find_project_file(&cwd) {
                Some(found) => found,
                None => return Ok(None),
            }
        }
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let config = project::parse_project(&path, &text).map_err(|e| Error::Usage(e.to_string()))?;
            Ok(Some((path, config)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => Ok(None),
        Err(e) => Err(Error::Usage(format!(
            "cannot read the configuration {}: {e}",
            path.display()
        ))),
    }
}

/// Lists the variable names an environment defines (every environment's when
/// `env` is `None`, since any of them may be used at run time), plus `mock_url`.
///
/// # Errors
/// Returns [`Error::Usage`] for an unknown environment or an invalid `default_env`.
pub(super) fn environment_names(
    project: Option<&(PathBuf, ProjectConfig)>,
    env: Option<&str>,
) -> Result<BTreeSet<String>, Error> {
    let mut known = BTreeSet::from(["mock_url".to_owned()]);
    let Some((path, config)) = project else {
        return Ok(known);
    };
    if let Some(default) = &config.default_env
        && !config.environments.contains_key(default)
    {
        return Err(Error::Usage(format!(
            "{}: `default_env: {default}` names no environment; known: {}",
            path.display(),
            config
                .environments
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    match env {
        Some(name) => {
            let environment = config.environments.get(name).ok_or_else(|| {
                Error::Usage(format!("{} declares no environment `{name}`", path.display()))
            })?;
            known.extend(environment.value.vars.keys().cloned());
        }
        None => known.extend(
            config
                .environments
                .values()
                .flat_map(|e| e.value.vars.keys().cloned()),
        ),
    }
    // Local overrides may add variables too (credentials kept out of the repository).
    let local_path = local_file(project);
    if let Ok(text) = std::fs::read_to_string(&local_path) {
        let local = project::parse_local(&local_path, &text).map_err(|e| Error::Usage(e.to_string()))?;
        for (name, overrides) in &local.environments {
            if env.is_none_or(|e| e == name) {
                known.extend(overrides.vars.keys().cloned());
            }
        }
    }
    Ok(known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_project_file_above_is_found_as_a_relative_path() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("scenarios/mfa");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(find_project_file(&deep), None);
        std::fs::write(root.path().join(project::PROJECT_FILE), "environments: {}\n").unwrap();
        assert_eq!(
            find_project_file(&deep),
            Some(PathBuf::from("../../scenario.yaml"))
        );
        assert_eq!(
            find_project_file(root.path()),
            Some(PathBuf::from("scenario.yaml"))
        );
        std::fs::write(deep.join(project::PROJECT_FILE), "environments: {}\n").unwrap();
        assert_eq!(
            find_project_file(&deep),
            Some(PathBuf::from("scenario.yaml")),
            "the nearest one wins"
        );
    }

    #[test]
    fn default_folders_are_relative_to_the_project_file() {
        let above = (PathBuf::from("../scenario.yaml"), ProjectConfig::default());
        let here = (PathBuf::from("scenario.yaml"), ProjectConfig::default());
        assert_eq!(
            paths_or_default(&[], Some(&above)),
            [PathBuf::from("../scenarios")]
        );
        assert_eq!(paths_or_default(&[], Some(&here)), [PathBuf::from("scenarios")]);
        assert_eq!(paths_or_default(&[], None), [PathBuf::from("scenarios")]);
        let given = [PathBuf::from("x.yaml")];
        assert_eq!(
            paths_or_default(&given, Some(&above)),
            given,
            "given paths stay as typed"
        );
        assert_eq!(
            snapshot_dir_or_default(None, Some(&above)),
            PathBuf::from("../snapshots")
        );
        assert_eq!(
            snapshot_dir_or_default(Some(Path::new("s")), Some(&above)),
            PathBuf::from("s")
        );
        assert_eq!(local_file(Some(&above)), PathBuf::from("../.scenario.local.yaml"));
        assert_eq!(
            in_project(Some(&above), "/abs/seed.yaml"),
            PathBuf::from("/abs/seed.yaml")
        );
    }
}

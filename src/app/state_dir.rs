//! Owns where the state folder is: `--state-dir`, else the
//! `SCENARIO_STATE_DIR` environment variable, else `state_dir` in
//! `scenario.yaml` (relative to that file), else `.scenario-state` beside
//! `scenario.yaml` (or in the current directory when there is none).
//!
//! Must not open or create the folder (the engine does when it needs it, and
//! `scenario state` reads it); it only decides the path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::project::ProjectConfig;
use crate::state::DEFAULT_FOLDER;

/// Names the environment variable that sets the state folder.
pub(super) const STATE_DIR_VARIABLE: &str = "SCENARIO_STATE_DIR";

/// Returns the state folder for a command.
pub(super) fn state_dir(
    explicit: Option<&Path>,
    project: Option<&(PathBuf, ProjectConfig)>,
    process_env: &BTreeMap<String, String>,
) -> PathBuf {
    if let Some(path) = explicit {
        return path.to_path_buf();
    }
    if let Some(path) = process_env
        .get(STATE_DIR_VARIABLE)
        .filter(|p| !p.trim().is_empty())
    {
        return PathBuf::from(path);
    }
    let project_dir = project
        .and_then(|(path, _)| path.parent())
        .map_or_else(PathBuf::new, Path::to_path_buf);
    match project.and_then(|(_, config)| config.state_dir.as_deref()) {
        Some(configured) => project_dir.join(configured),
        None => project_dir.join(DEFAULT_FOLDER),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(path: &str, text: &str) -> (PathBuf, ProjectConfig) {
        let path = PathBuf::from(path);
        let config = crate::model::project::parse_project(&path, text).unwrap();
        (path, config)
    }

    #[test]
    fn the_option_wins_then_the_variable_then_the_project() {
        let configured = project("qa/scenario.yaml", "state_dir: .state\n");
        let env = BTreeMap::from([(STATE_DIR_VARIABLE.to_owned(), "/tmp/s".to_owned())]);
        assert_eq!(
            state_dir(Some(Path::new("x")), Some(&configured), &env),
            PathBuf::from("x")
        );
        assert_eq!(state_dir(None, Some(&configured), &env), PathBuf::from("/tmp/s"));
        assert_eq!(
            state_dir(None, Some(&configured), &BTreeMap::new()),
            PathBuf::from("qa/.state")
        );
        let plain = project("qa/scenario.yaml", "");
        assert_eq!(
            state_dir(None, Some(&plain), &BTreeMap::new()),
            PathBuf::from("qa/.scenario-state")
        );
        assert_eq!(
            state_dir(None, None, &BTreeMap::new()),
            PathBuf::from(".scenario-state")
        );
    }
}

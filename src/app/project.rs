//! Owns reading the project configuration (`scenario.yaml`) for a command, and
//! the variable and pool names its environments (and their local overrides) define.
//!
//! Must not choose the environment a run uses or render its variables (see
//! `target`); the file's format and rules belong to `crate::model::project`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::project::{self, ProjectConfig};

/// Reads the project configuration: the explicit file, else `./scenario.yaml`
/// when there is one (`None` when there is none).
///
/// # Errors
/// Returns [`Error::Usage`] when the file is invalid, or unreadable (missing
/// counts as unreadable only for an explicit file).
pub(super) fn read_project(explicit: Option<&Path>) -> Result<Option<(PathBuf, ProjectConfig)>, Error> {
    let path = explicit.map_or_else(|| PathBuf::from(project::PROJECT_FILE), Path::to_path_buf);
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
    if let Ok(text) = std::fs::read_to_string(project::LOCAL_FILE) {
        let local = project::parse_local(Path::new(project::LOCAL_FILE), &text)
            .map_err(|e| Error::Usage(e.to_string()))?;
        for (name, overrides) in &local.environments {
            if env.is_none_or(|e| e == name) {
                known.extend(overrides.vars.keys().cloned());
            }
        }
    }
    Ok(known)
}

/// Lists the pool names an environment declares (every environment's when
/// `env` is `None`); unknown environments are reported by [`environment_names`].
pub(super) fn environment_pools(
    project: Option<&(PathBuf, ProjectConfig)>,
    env: Option<&str>,
) -> BTreeSet<String> {
    let Some((_, config)) = project else {
        return BTreeSet::new();
    };
    config
        .environments
        .iter()
        .filter(|(name, _)| env.is_none_or(|e| e == name.as_str()))
        .flat_map(|(_, environment)| environment.value.pools.keys().cloned())
        .collect()
}

//! Declares the project configuration (`scenario.yaml`): named environments,
//! each with a base URL (or the built-in mock) and variables, and snapshot
//! redactions shared by every scenario.
//!
//! Pure data and parsing; rendering the variables (`env(...)`) is the app's job.

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use super::Spanned;

/// Names the file looked for in the working directory when `--config` is not given.
pub const PROJECT_FILE: &str = "scenario.yaml";
/// Names the git-ignored file whose variables override the project's (local credentials).
pub const LOCAL_FILE: &str = ".scenario.local.yaml";
/// Names the environment used when neither `--env` nor `default_env` says otherwise.
pub const DEFAULT_ENVIRONMENT: &str = "local";

/// Holds `scenario.yaml`: the environments scenarios run against, and
/// snapshot rules shared by every scenario.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    /// Chooses the environment when `--env` is not given.
    #[serde(default)]
    pub default_env: Option<String>,
    /// Declares the environments by name.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Environment>")]
    pub environments: IndexMap<String, Spanned<Environment>>,
    /// Sets snapshot rules for every scenario.
    #[serde(default)]
    pub snapshot: ProjectSnapshot,
}

/// Declares one environment.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// Explains the environment, for `--help`-style listings.
    #[serde(default)]
    pub description: Option<String>,
    /// Runs against the built-in Circularo mock, started on a free loopback port.
    #[serde(default)]
    pub mock: bool,
    /// Sets the base URL every relative step path joins (not with `mock: true`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub base_url: Option<Spanned<String>>,
    /// Sets variables; values may use `env("NAME")` to read credentials.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub vars: IndexMap<String, Spanned<Value>>,
    /// Names environment variables that must be set before anything is sent.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub require_env: Vec<Spanned<String>>,
    /// Names variables whose values are secret.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Compares snapshots in this environment (default true); a real service's
    /// data is not the mock's, so its environment usually turns them off.
    #[serde(default = "default_true")]
    pub snapshots: bool,
    /// Adds JSONPath redactions to every snapshot taken in this environment.
    #[serde(default)]
    pub snapshot_redact: Vec<String>,
}

fn default_true() -> bool {
    true
}

/// Holds project-wide snapshot rules.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectSnapshot {
    /// Redacts these JSONPaths in every snapshot (volatile fields such as tokens and dates).
    #[serde(default)]
    pub redact: Vec<String>,
}

/// Holds the git-ignored local overrides: variables per environment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalConfig {
    /// Variables by environment name.
    #[serde(default)]
    pub environments: BTreeMap<String, LocalEnvironment>,
}

/// Holds local variables of one environment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalEnvironment {
    /// Variables that override the environment's own.
    #[serde(default)]
    pub vars: IndexMap<String, Value>,
}

/// Explains why a configuration file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// What is wrong, with line and column.
    pub message: String,
}

/// Parses `scenario.yaml` text.
///
/// # Errors
/// Returns [`ConfigError`] with serde-saphyr's located message.
pub fn parse_project(file: &Path, text: &str) -> Result<ProjectConfig, ConfigError> {
    parse(file, text)
}

/// Parses `.scenario.local.yaml` text.
///
/// # Errors
/// Returns [`ConfigError`] with serde-saphyr's located message.
pub fn parse_local(file: &Path, text: &str) -> Result<LocalConfig, ConfigError> {
    parse(file, text)
}

fn parse<T: for<'de> Deserialize<'de>>(file: &Path, text: &str) -> Result<T, ConfigError> {
    let options = serde_saphyr::options! { strict_booleans: true, leading_zero_numbers_as_strings: true };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| ConfigError {
        file: file.display().to_string(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_environments_in_order() {
        let text = "default_env: local\nenvironments:\n  local:\n    mock: true\n  sandbox:\n    base_url: https://x/api/v1\n    vars: { user: \"{{ env('U') }}\" }\n    require_env: [U]\n    secrets: [password]\nsnapshot:\n  redact: [$.token]\n";
        let config = parse_project(Path::new("scenario.yaml"), text).unwrap();
        let names: Vec<&String> = config.environments.keys().collect();
        assert_eq!(names, ["local", "sandbox"]);
        assert!(config.environments["local"].value.mock);
        let sandbox = &config.environments["sandbox"].value;
        assert_eq!(sandbox.base_url.as_ref().unwrap().value, "https://x/api/v1");
        assert_eq!(sandbox.require_env[0].value, "U");
        assert_eq!(config.snapshot.redact, ["$.token"]);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_location() {
        let err =
            parse_project(Path::new("scenario.yaml"), "environments:\n  x:\n    base: y\n").unwrap_err();
        assert!(err.message.contains("base"), "{err}");
        assert!(err.to_string().starts_with("scenario.yaml:"), "{err}");
    }
}

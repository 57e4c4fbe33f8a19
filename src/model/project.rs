//! Declares the project configuration (`scenario.yaml`): named environments,
//! each with a base URL (or the built-in mock and its switches, in
//! `project_mock`) and variables, and snapshot redactions shared by every
//! scenario.
//!
//! Pure data and parsing of text handed in. Must not read files, the
//! environment or the terminal: rendering the variables (`env(...)`) is the
//! app's job.

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use super::Spanned;
use super::project_mock::MockSetting;

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
    /// Sets the state folder: what outlives a run (TOTP codes used, pool values
    /// consumed). Relative to this file; default `.scenario-state`. The
    /// `--state-dir` option and the `SCENARIO_STATE_DIR` variable win over it.
    #[serde(default)]
    pub state_dir: Option<String>,
}

/// Declares one environment.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// Explains the environment, for `--help`-style listings.
    #[serde(default)]
    pub description: Option<String>,
    /// Runs against the built-in Circularo mock, started on a free loopback
    /// port: `true`, or a mapping of its switches (and `seed` file), e.g.
    /// `{ invalid_token: status-401 }`; see docs/mock.md.
    #[serde(default)]
    pub mock: MockSetting,
    /// Sets the base URL every relative step path joins (not with `mock: true`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub base_url: Option<Spanned<String>>,
    /// Sets variables; values may use `env("NAME")` to read credentials.
    #[serde(default)]
    #[serde(deserialize_with = "super::exact::map")]
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
    /// Declares consumable pools by name: single-use values (recovery codes)
    /// that `take("name")` hands out, each at most once. Every value is secret.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, PoolSpec>")]
    pub pools: IndexMap<String, Spanned<PoolSpec>>,
    /// Keeps what outlives a run (TOTP codes used, pool values consumed) in the
    /// state folder. Default: true, except when the run starts the built-in
    /// mock itself (`mock: true` without `--target`), which starts afresh.
    #[serde(default)]
    pub persist_state: Option<bool>,
    /// `false` turns the cookie jar off for every scenario (a scenario or step may turn it back on).
    #[serde(default)]
    pub cookie_jar: Option<bool>,
    /// Sends every request through this proxy (`--proxy` wins); otherwise
    /// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` apply (never to loopback).
    #[serde(default)]
    pub proxy: Option<String>,
    /// Trusts the CAs of this PEM bundle besides the system's (relative to this file).
    #[serde(default)]
    pub ca_cert: Option<String>,
    /// Presents this client certificate (PEM, relative to this file) to servers that ask.
    #[serde(default)]
    pub client_cert: Option<String>,
    /// Reads the client certificate's private key from this PEM file (relative to this file).
    #[serde(default)]
    pub client_key: Option<String>,
}

/// Declares where one pool's values come from; the sources add up, in this
/// order, each value counted once.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    /// Lists values written here (fit for a mock's seeded codes, not for real ones).
    #[serde(default)]
    pub values: Vec<String>,
    /// Names an environment variable holding values separated by commas, spaces or new lines.
    #[serde(default)]
    pub env: Option<String>,
    /// Names a file (relative to scenario.yaml; keep it git-ignored) holding
    /// one value per line; `#` starts a comment.
    #[serde(default)]
    pub file: Option<String>,
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
    #[serde(deserialize_with = "super::exact::plain_map")]
    pub vars: IndexMap<String, Value>,
}

/// Holds a vars file (`--vars-file`): names mapped to values, numbers exact.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct VarsFile(#[serde(deserialize_with = "super::exact::plain_map")] pub IndexMap<String, Value>);

/// Explains why a configuration file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// What is wrong, starting with `file:line:col`.
    pub message: String,
}

/// Parses `scenario.yaml` text.
///
/// # Errors
/// Returns [`ConfigError`] located at the offending node, quoting the line.
pub fn parse_project(file: &Path, text: &str) -> Result<ProjectConfig, ConfigError> {
    parse_config(file, text, Quote::Source)
}

/// Parses `.scenario.local.yaml` text.
///
/// # Errors
/// Returns [`ConfigError`] located at the offending node, without quoting the
/// file: it holds credentials.
pub fn parse_local(file: &Path, text: &str) -> Result<LocalConfig, ConfigError> {
    parse_config(file, text, Quote::Nothing)
}

/// Says whether an error may quote the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// Show the offending line with a caret.
    Source,
    /// Show only the location: the file may hold secrets.
    Nothing,
}

/// Parses a configuration file (project, local overrides, vars) with the
/// same strict options as scenarios.
///
/// # Errors
/// Returns [`ConfigError`] whose message reads `file:line:col: what` (as a
/// rustc-style block quoting the line with [`Quote::Source`]).
pub fn parse_config<T: for<'de> Deserialize<'de>>(
    file: &Path,
    text: &str,
    quote: Quote,
) -> Result<T, ConfigError> {
    let options = serde_saphyr::options! { strict_booleans: true, leading_zero_numbers_as_strings: true };
    super::exact::with_source(text, || serde_saphyr::from_str_with_options(text, options))
        .map_err(|e| config_error(file, text, &e, quote))
}

/// Turns a serde-saphyr error into a located message naming `file`.
fn config_error(file: &Path, text: &str, error: &serde_saphyr::Error, quote: Quote) -> ConfigError {
    let plain = error.without_snippet().to_string();
    // serde-saphyr appends its own "at line X, column Y"; the location is shown once, our way.
    let what = plain
        .split(" at line ")
        .next()
        .unwrap_or(&plain)
        .trim()
        .to_owned();
    let (line, column) = error.location().map_or((0, 0), |l| (l.line(), l.column()));
    let location = super::SourceLocation {
        file: std::sync::Arc::new(file.to_path_buf()),
        line,
        column,
    };
    let mut diagnostic = super::diag::Diagnostic::error(what.clone(), location);
    if let Some(unknown) = what
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
        && let Some(valid) = what.split("expected one of ").nth(1)
        && let Some(suggestion) =
            super::diag::did_you_mean(unknown, valid.split(", ").map(|k| k.trim_matches('`')))
    {
        diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}`?"));
    }
    let message = match quote {
        Quote::Source if line > 0 => {
            diagnostic.render(Some(text), super::diag::RenderOptions { color: false })
        }
        _ => format!("{}:{line}:{column}: {what}", file.display()),
    };
    ConfigError {
        file: file.display().to_string(),
        message,
    }
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
        assert!(config.environments["local"].value.mock.enabled());
        let sandbox = &config.environments["sandbox"].value;
        assert_eq!(sandbox.base_url.as_ref().unwrap().value, "https://x/api/v1");
        assert_eq!(sandbox.require_env[0].value, "U");
        assert_eq!(config.snapshot.redact, ["$.token"]);
    }

    #[test]
    fn mock_switches_are_read_and_checked_with_a_location() {
        let text = "environments:\n  strict:\n    mock: { invalid_token: status-401 }\n";
        let config = parse_project(Path::new("scenario.yaml"), text).unwrap();
        let settings = config.environments["strict"]
            .value
            .mock
            .settings()
            .unwrap()
            .clone();
        assert_eq!(
            settings.switches(),
            [("invalid_token".to_owned(), "status-401".to_owned())]
        );
        let text = "environments:\n  strict:\n    mock:\n      invalid_tokn: status-401\n";
        let err = parse_project(Path::new("scenario.yaml"), text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--> scenario.yaml:4:7"), "{err}");
        assert!(err.contains("did you mean `invalid_token`?"), "{err}");
    }

    #[test]
    fn parses_pools_and_the_state_folder() {
        let text = "state_dir: .state
environments:
  sandbox:
    base_url: https://x
    persist_state: true
    pools:
      recovery_codes: { env: CODES, file: .codes, values: [\"1\"] }
";
        let config = parse_project(Path::new("scenario.yaml"), text).unwrap();
        assert_eq!(config.state_dir.as_deref(), Some(".state"));
        let sandbox = &config.environments["sandbox"].value;
        assert_eq!(sandbox.persist_state, Some(true));
        let pool = &sandbox.pools["recovery_codes"].value;
        assert_eq!(
            (pool.env.as_deref(), pool.file.as_deref(), pool.values.as_slice()),
            (Some("CODES"), Some(".codes"), ["1".to_owned()].as_slice())
        );
        let err = parse_project(
            Path::new("scenario.yaml"),
            "environments:
  x:
    pools:
      p: { fiel: X }
",
        )
        .unwrap_err();
        assert!(err.to_string().contains("did you mean `file`?"), "{err}");
    }

    #[test]
    fn unknown_keys_are_errors_with_a_location_and_a_suggestion() {
        let err =
            parse_project(Path::new("scenario.yaml"), "environments:\n  x:\n    varz: y\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("--> scenario.yaml:3:5"), "{text}");
        assert!(text.contains("did you mean `vars`?"), "{text}");
        assert!(
            !text.contains("<input>") && !text.contains("error: line"),
            "{text}"
        );
    }

    #[test]
    fn local_files_are_never_quoted() {
        let text = "environments:\n  sandbox:\n    vars: { password: \"RealPass99!\" }\n    varz: 1\n";
        let err = parse_local(Path::new(".scenario.local.yaml"), text).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(".scenario.local.yaml:4:5: unknown field `varz`"),
            "{err}"
        );
        assert!(!err.to_string().contains("RealPass99!"), "{err}");
    }
}

//! Owns what a run targets: which environment applies (the named one, the
//! project's default, or none), its base URL (or the built-in mock), and the
//! variables, secrets, snapshot settings, pools and state persistence it brings.
//!
//! Must not start the mock, send anything or read scenario files: it only
//! decides, before anything is sent. The project file's format belongs to
//! `crate::model::project`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::env_vars::{read_local_vars, render_vars, secret_vars_of};
use super::options::TargetChoice;
use super::pools::{DeclaredPool, read_pools};
use super::project::local_file;
use crate::error::Error;
use crate::model::project::{self, Environment, ProjectConfig};
use crate::model::project_mock::MockSettings;
use crate::template::Vars;

/// Checks a base URL before anything is sent: it must be absolute http(s).
pub(super) fn validate_base_url(url: &str) -> Result<(), Error> {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => Ok(()),
        Ok(parsed) => Err(Error::Usage(format!(
            "the target `{}` is not an http or https URL (scheme `{}`)",
            redact_url_password(url),
            parsed.scheme()
        ))),
        Err(e) => Err(Error::Usage(format!(
            "the target `{}` is not a URL ({e}); write it like http://localhost:8080/api/v1",
            redact_url_password(url)
        ))),
    }
}

/// Hides the password of a URL's user info, for messages.
fn redact_url_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("[secret]"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Returns the environment used when none is named: `default_env`, else `local` if declared.
pub(super) fn default_environment(config: &ProjectConfig) -> Option<String> {
    config.default_env.clone().or_else(|| {
        config
            .environments
            .contains_key(project::DEFAULT_ENVIRONMENT)
            .then(|| project::DEFAULT_ENVIRONMENT.to_owned())
    })
}

/// Returns the mock's root for a mock environment pointed at another server
/// with `--target` (a standalone `scenario mock`): the target without `/api/v1`.
fn mock_root_of(target: &str) -> String {
    let trimmed = target.trim_end_matches('/');
    trimmed.strip_suffix("/api/v1").unwrap_or(trimmed).to_owned()
}

/// Holds everything an environment decided for a run.
#[derive(Debug, Default)]
pub(super) struct ResolvedTarget {
    pub(super) base_url: Option<String>,
    pub(super) start_mock: bool,
    pub(super) vars: Vars,
    pub(super) secret_vars: BTreeSet<String>,
    pub(super) snapshot_redact: Vec<String>,
    pub(super) snapshots: bool,
    pub(super) name: Option<String>,
    /// The root of the mock a mock environment runs against (`mock_url`).
    pub(super) mock_url: Option<String>,
    /// Variables whose value could not be rendered (an unset environment
    /// variable), with the reason: an error only for scenarios that use them.
    pub(super) unavailable: BTreeMap<String, String>,
    /// The built-in mock's settings, when this run starts it.
    pub(super) mock_settings: Option<MockSettings>,
    /// The project file the environment came from.
    pub(super) config_file: Option<PathBuf>,
    /// The environment's consumable pools.
    pub(super) pools: Vec<DeclaredPool>,
    /// Whether what outlives the run is kept in the state folder: yes unless
    /// the run starts its own (fresh) mock, or the environment says otherwise.
    pub(super) persist_state: bool,
    /// Whether steps use cookie jars unless a scenario or step says otherwise.
    pub(super) cookie_jar: bool,
    /// The environment's proxy, CA bundle and client certificate.
    pub(super) network: Network,
}

/// Holds an environment's proxy and certificate files (paths relative to
/// the project file, resolved).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Network {
    pub(super) proxy: Option<String>,
    pub(super) ca_cert: Option<PathBuf>,
    pub(super) client_cert: Option<PathBuf>,
    pub(super) client_key: Option<PathBuf>,
}

/// Names where a run's requests go, before any mock is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Endpoint {
    /// The built-in mock, started for this run.
    Mock,
    /// This base URL.
    Url(String),
}

impl ResolvedTarget {
    /// Returns where requests go: the built-in mock when the environment asks
    /// for it, else its base URL.
    ///
    /// # Errors
    /// Returns [`Error::Usage`] when the environment sets neither.
    pub(super) fn endpoint(&self) -> Result<Endpoint, Error> {
        match (self.start_mock, &self.base_url) {
            (true, _) => Ok(Endpoint::Mock),
            (false, Some(url)) => Ok(Endpoint::Url(url.clone())),
            (false, None) => Err(Error::Usage(format!(
                "environment `{}` sets neither `base_url` nor `mock: true`",
                self.name.as_deref().unwrap_or("?")
            ))),
        }
    }
}

/// Tells what a target choice selects once the project's default is known.
enum Selection {
    /// No environment: this URL, or the built-in mock when there is none.
    Plain { base_url: Option<String> },
    /// This environment, with its base URL replaced when a URL is given.
    Environment {
        name: String,
        url_override: Option<String>,
    },
}

/// Applies the project's default environment to a target choice.
fn select(choice: &TargetChoice, default_env: Option<String>) -> Selection {
    match choice {
        // `--target` alone keeps the default environment's variables, at another URL.
        TargetChoice::Url(url) => match default_env {
            Some(name) => Selection::Environment {
                name,
                url_override: Some(url.clone()),
            },
            None => Selection::Plain {
                base_url: Some(url.clone()),
            },
        },
        TargetChoice::EnvironmentAt(name, url) => Selection::Environment {
            name: name.clone(),
            url_override: Some(url.clone()),
        },
        TargetChoice::Environment(name) => Selection::Environment {
            name: name.clone(),
            url_override: None,
        },
        TargetChoice::Default => match default_env {
            Some(name) => Selection::Environment {
                name,
                url_override: None,
            },
            None => Selection::Plain { base_url: None },
        },
    }
}

/// Chooses the target and renders the environment's variables, failing
/// before anything is sent when a required variable is missing.
pub(super) fn resolve_target(
    choice: &TargetChoice,
    project: Option<&(PathBuf, ProjectConfig)>,
    process_env: &BTreeMap<String, String>,
) -> Result<ResolvedTarget, Error> {
    let project_redact = project
        .map(|(_, c)| c.snapshot.redact.clone())
        .unwrap_or_default();
    let default_env = project.and_then(|(_, c)| default_environment(c));
    let (env_name, url_override) = match select(choice, default_env) {
        Selection::Plain { base_url } => {
            return Ok(ResolvedTarget {
                // Without an environment, no URL means the built-in mock.
                start_mock: base_url.is_none(),
                persist_state: base_url.is_some(),
                base_url,
                snapshot_redact: project_redact,
                snapshots: true,
                config_file: project.map(|(file, _)| file.clone()),
                cookie_jar: true,
                ..ResolvedTarget::default()
            });
        }
        Selection::Environment { name, url_override } => (name, url_override),
    };
    let (path, environment) = find_environment(project, &env_name)?;
    check_variable_names(path, environment)?;
    check_required_env(&env_name, environment, process_env)?;
    let local_vars = read_local_vars(&local_file(project), &env_name)?;
    let (vars, unavailable) = render_vars(path, &env_name, environment, local_vars, process_env);
    let mut snapshot_redact = project_redact;
    snapshot_redact.extend(environment.snapshot_redact.iter().cloned());
    let mock_url = url_override
        .as_deref()
        .filter(|_| environment.mock.enabled())
        .map(mock_root_of);
    let start_mock = environment.mock.enabled() && url_override.is_none();
    let project_dir = path.parent().unwrap_or(Path::new(""));
    Ok(ResolvedTarget {
        pools: read_pools(&env_name, environment, project_dir, process_env)?,
        persist_state: environment.persist_state.unwrap_or(!start_mock),
        start_mock,
        mock_settings: environment.mock.settings().filter(|_| start_mock).cloned(),
        config_file: Some(path.to_path_buf()),
        base_url: url_override.or_else(|| environment.base_url.as_ref().map(|u| u.value.clone())),
        vars,
        secret_vars: secret_vars_of(environment),
        snapshot_redact,
        snapshots: environment.snapshots,
        mock_url,
        name: Some(env_name),
        unavailable,
        cookie_jar: environment.cookie_jar.unwrap_or(true),
        network: network_of(path, environment),
    })
}

/// Returns an environment's proxy and certificate files, paths resolved
/// against the project file's folder.
fn network_of(project_file: &Path, environment: &Environment) -> Network {
    let dir = project_file.parent().unwrap_or_else(|| Path::new(""));
    let resolve = |file: &Option<String>| file.as_ref().map(|f| dir.join(f));
    Network {
        proxy: environment.proxy.clone(),
        ca_cert: resolve(&environment.ca_cert),
        client_cert: resolve(&environment.client_cert),
        client_key: resolve(&environment.client_key),
    }
}

/// Refuses environment variables whose names a template cannot read (`my-id`).
fn check_variable_names(path: &Path, environment: &Environment) -> Result<(), Error> {
    for (name, value) in &environment.vars {
        if let Some((problem, help)) = crate::model::load::variable_name_problem(name) {
            return Err(Error::Usage(format!(
                "{}:{}: {problem}; {help}",
                path.display(),
                value.referenced.line()
            )));
        }
    }
    Ok(())
}

/// Finds the named environment in the project file, with the file's path.
fn find_environment<'a>(
    project: Option<&'a (PathBuf, ProjectConfig)>,
    env_name: &str,
) -> Result<(&'a Path, &'a Environment), Error> {
    let Some((path, config)) = project else {
        return Err(Error::Usage(format!(
            "environment `{env_name}` needs a {} file declaring it; none was found in the current folder or above it",
            project::PROJECT_FILE
        )));
    };
    let Some(environment) = config.environments.get(env_name) else {
        let known: Vec<&str> = config.environments.keys().map(String::as_str).collect();
        return Err(Error::Usage(format!(
            "{} declares no environment `{env_name}`; known: {}",
            path.display(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )));
    };
    Ok((path, &environment.value))
}

/// Fails when a process environment variable the environment requires is unset or empty.
pub(super) fn check_required_env(
    env_name: &str,
    environment: &Environment,
    process_env: &BTreeMap<String, String>,
) -> Result<(), Error> {
    let missing: Vec<&str> = environment
        .require_env
        .iter()
        .map(|v| v.value.as_str())
        .filter(|name| process_env.get(*name).is_none_or(|v| v.is_empty()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "environment `{env_name}` needs {} set (nothing was sent); export {} or put the values under \
         `environments.{env_name}.vars` in {} (git-ignored)",
        missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", "),
        if missing.len() == 1 { "it" } else { "them" },
        project::LOCAL_FILE
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitStatus;
    use serde_json::json;

    fn project(text: &str) -> (PathBuf, ProjectConfig) {
        let path = PathBuf::from("scenario.yaml");
        let config = project::parse_project(&path, text).unwrap();
        (path, config)
    }

    const PROJECT: &str = "default_env: local\nenvironments:\n  local:\n    mock: true\n    vars: { user: mary }\n  sandbox:\n    base_url: https://sandbox.example/api/v1\n    snapshots: false\n    vars:\n      user: \"{{ env('SANDBOX_USER') }}\"\n      password: \"{{ env('SANDBOX_PASSWORD') }}\"\n    secrets: [password]\n";

    #[test]
    fn without_a_project_the_default_target_is_the_mock() {
        let resolved = resolve_target(&TargetChoice::Default, None, &BTreeMap::new()).unwrap();
        assert!(resolved.start_mock && resolved.snapshots && resolved.base_url.is_none());
    }

    #[test]
    fn the_default_environment_comes_from_the_project() {
        let project = project(PROJECT);
        let resolved = resolve_target(&TargetChoice::Default, Some(&project), &BTreeMap::new()).unwrap();
        assert!(resolved.start_mock);
        assert_eq!(resolved.vars["user"], json!("mary"));
        assert_eq!(resolved.name.as_deref(), Some("local"));
    }

    #[test]
    fn an_unknown_environment_lists_the_known_ones() {
        let project = project(PROJECT);
        let err = resolve_target(
            &TargetChoice::Environment("prod".into()),
            Some(&project),
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "scenario.yaml declares no environment `prod`; known: local, sandbox"
        );
        assert_eq!(err.exit_status(), ExitStatus::Invalid);
    }

    #[test]
    fn unset_environment_variables_make_variables_unavailable_not_fatal() {
        let project = project(PROJECT);
        let env = BTreeMap::from([("SANDBOX_USER".to_owned(), "qa@example.com".to_owned())]);
        let resolved =
            resolve_target(&TargetChoice::Environment("sandbox".into()), Some(&project), &env).unwrap();
        assert_eq!(resolved.vars["user"], json!("qa@example.com"));
        assert!(
            resolved.unavailable["password"].contains("SANDBOX_PASSWORD"),
            "{:?}",
            resolved.unavailable
        );
        assert!(!resolved.snapshots && !resolved.start_mock);
        assert!(resolved.secret_vars.contains("password"));
        assert!(resolved.persist_state, "a real server outlives the run");
    }

    #[test]
    fn variables_made_from_a_secret_are_secret() {
        let text = "environments:\n  e:\n    vars:\n      user: ann\n      pass: hunter22\n      basic: \"{{ (user ~ ':' ~ pass) | base64_encode }}\"\n      upper_key: \"{{ api_key | upper }}\"\n      api_key: k-123456\n      greeting: \"hi {{ user }}\"\n    secrets: [pass]\n";
        let project = project(text);
        let resolved = resolve_target(
            &TargetChoice::Environment("e".into()),
            Some(&project),
            &BTreeMap::new(),
        )
        .unwrap();
        let secret: Vec<&str> = resolved.secret_vars.iter().map(String::as_str).collect();
        assert_eq!(secret, ["basic", "pass", "upper_key"]);
    }

    #[test]
    fn only_a_mock_the_run_starts_itself_forgets_state() {
        let project = project(PROJECT);
        let local = resolve_target(&TargetChoice::Default, Some(&project), &BTreeMap::new()).unwrap();
        assert!(!local.persist_state);
        let elsewhere = TargetChoice::EnvironmentAt("local".into(), "http://127.0.0.1:9/api/v1".into());
        let standalone = resolve_target(&elsewhere, Some(&project), &BTreeMap::new()).unwrap();
        assert!(standalone.persist_state, "a standalone mock outlives the run");
        let plain = resolve_target(&TargetChoice::Default, None, &BTreeMap::new()).unwrap();
        assert!(!plain.persist_state);
    }

    #[test]
    fn a_mock_environment_brings_its_switches_unless_pointed_elsewhere() {
        let text = "environments:\n  strict:\n    mock: { invalid_token: status-401 }\n";
        let project = project(text);
        let choice = TargetChoice::Environment("strict".into());
        let resolved = resolve_target(&choice, Some(&project), &BTreeMap::new()).unwrap();
        assert!(resolved.start_mock);
        let settings = resolved.mock_settings.unwrap();
        assert_eq!(
            settings.switches(),
            [("invalid_token".to_owned(), "status-401".to_owned())]
        );
        assert_eq!(resolved.config_file.as_deref(), Some(Path::new("scenario.yaml")));
        let elsewhere = TargetChoice::EnvironmentAt("strict".into(), "http://127.0.0.1:9/api/v1".into());
        let resolved = resolve_target(&elsewhere, Some(&project), &BTreeMap::new()).unwrap();
        assert!(!resolved.start_mock && resolved.mock_settings.is_none());
    }

    #[test]
    fn a_target_with_an_environment_replaces_only_the_base_url() {
        let project = project(PROJECT);
        let choice = TargetChoice::EnvironmentAt("local".into(), "http://127.0.0.1:9/api/v1".into());
        let resolved = resolve_target(&choice, Some(&project), &BTreeMap::new()).unwrap();
        assert!(!resolved.start_mock);
        assert_eq!(resolved.base_url.as_deref(), Some("http://127.0.0.1:9/api/v1"));
        assert_eq!(resolved.vars["user"], json!("mary"));
    }

    #[test]
    fn a_target_alone_keeps_the_default_environment_and_finds_the_mock_root() {
        let project = project(PROJECT);
        let choice = TargetChoice::Url("http://127.0.0.1:9/api/v1/".into());
        let resolved = resolve_target(&choice, Some(&project), &BTreeMap::new()).unwrap();
        assert_eq!(
            resolved.vars["user"],
            json!("mary"),
            "the default environment's variables stay"
        );
        assert_eq!(resolved.mock_url.as_deref(), Some("http://127.0.0.1:9"));
        assert!(!resolved.start_mock);
        let without_project = resolve_target(&choice, None, &BTreeMap::new()).unwrap();
        assert!(without_project.vars.is_empty() && without_project.mock_url.is_none());
    }

    #[test]
    fn base_urls_must_be_http_and_passwords_stay_hidden() {
        assert!(validate_base_url("https://sandbox.circularo.com/api/v1").is_ok());
        let err = validate_base_url("ftp://qa:hunter2@host/x")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("not an http or https URL") && !err.contains("hunter2"),
            "{err}"
        );
        let err = validate_base_url("not a url").unwrap_err().to_string();
        assert!(err.contains("write it like http://"), "{err}");
    }

    #[test]
    fn required_environment_variables_are_named_when_missing() {
        let text = "environments:\n  ci:\n    base_url: http://x\n    require_env: [API_KEY, API_USER]\n";
        let project = project(text);
        let env = BTreeMap::from([("API_USER".to_owned(), "u".to_owned())]);
        let err = resolve_target(&TargetChoice::Environment("ci".into()), Some(&project), &env).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("`API_KEY`") && !message.contains("`API_USER`"),
            "{message}"
        );
    }
}

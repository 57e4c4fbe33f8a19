//! Owns turning switches named in `scenario.yaml` (an environment's `mock:`)
//! or on the `scenario mock` command line into the mock's configuration, its
//! seed (the built-in accounts, or a seed file relative to the project's
//! folder), and the one-line description run headers and banners show.
//!
//! Must not hold mock behaviour (`crate::mock` does) nor start a server; it
//! never sees clap.

use std::path::{Path, PathBuf};

use super::project::folder_of;
use crate::error::Error;
use crate::mock::{MockConfig, Seed};
use crate::model::project::ProjectConfig;
use crate::model::project_mock::MockSettings;

/// Returns the default configuration with each `(key, value)` switch set.
///
/// # Errors
/// Returns [`Error::Usage`] naming `origin` for an unknown switch or value.
pub(super) fn config_with_switches(switches: &[(String, String)], origin: &str) -> Result<MockConfig, Error> {
    let mut config = MockConfig::default();
    for (key, value) in switches {
        config
            .set_switch(key, value)
            .map_err(|e| Error::Usage(format!("{origin}: {e}")))?;
    }
    Ok(config)
}

/// Returns the configuration and seed an environment's `mock:` asks for;
/// `project_file` is the `scenario.yaml` a seed path is relative to.
///
/// # Errors
/// Returns [`Error::Usage`] for an unknown switch or a seed file that cannot
/// be read or is invalid, pointing at the `seed:` line.
pub(super) fn environment_mock(
    settings: Option<&MockSettings>,
    project_file: Option<&Path>,
) -> Result<(MockConfig, Seed), Error> {
    let Some(settings) = settings else {
        return Ok((MockConfig::default(), Seed::builtin()));
    };
    let origin = project_file.map_or_else(|| "mock".to_owned(), |p| p.display().to_string());
    let config = config_with_switches(&settings.switches(), &origin)?;
    let seed = match &settings.seed {
        None => Seed::builtin(),
        Some(seed) => {
            let path = seed_path(&seed.value, project_file);
            let at = format!("{origin}:{}:{}", seed.referenced.line(), seed.referenced.column());
            Seed::from_file(&path).map_err(|e| Error::Usage(format!("{at}: `mock.seed`: {e}")))?
        }
    };
    Ok((config, seed))
}

/// Reads every seed file the project's environments name, so `scenario check`
/// reports a missing or invalid one before any run.
///
/// # Errors
/// Returns [`Error::Usage`] for the first seed that cannot be read or is invalid.
pub(super) fn check_seeds(project: Option<&(PathBuf, ProjectConfig)>) -> Result<(), Error> {
    let Some((file, config)) = project else {
        return Ok(());
    };
    for environment in config.environments.values() {
        let settings = environment.value.mock.settings();
        if settings.is_some_and(|s| s.seed.is_some()) {
            environment_mock(settings, Some(file))?;
        }
    }
    Ok(())
}

/// Returns a seed path from `scenario.yaml`, relative to that file's folder.
fn seed_path(written: &str, project_file: Option<&Path>) -> PathBuf {
    match project_file {
        Some(file) => folder_of(file).join(written),
        None => PathBuf::from(written),
    }
}

/// Describes the mock a run or `scenario mock` serves: its switches that
/// differ from the defaults, or that there are none.
pub(super) fn describe_mock(config: &MockConfig, seeded_from: Option<&str>) -> String {
    let changed = config.changed_switches();
    let switches = if changed.is_empty() {
        "default switches".to_owned()
    } else {
        format!(
            "switches {}",
            changed
                .iter()
                .map(|(key, value)| format!("{key}={value}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match seeded_from {
        Some(seed) => format!("the built-in mock, {switches}, accounts from {seed}"),
        None => format!("the built-in mock, {switches}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::project::parse_project;

    fn settings(text: &str) -> MockSettings {
        let config = parse_project(Path::new("scenario.yaml"), text).unwrap();
        config.environments["e"].value.mock.settings().unwrap().clone()
    }

    #[test]
    fn switches_from_the_environment_reach_the_mock_config() {
        let s = settings("environments:\n  e:\n    mock: { invalid_token: status-401, mfa_codes: fixed }\n");
        let (config, _) = environment_mock(Some(&s), Some(Path::new("scenario.yaml"))).unwrap();
        assert_eq!(
            config.changed_switches(),
            [("invalid_token", "status-401"), ("mfa_codes", "fixed")]
        );
        assert_eq!(
            describe_mock(&config, None),
            "the built-in mock, switches invalid_token=status-401, mfa_codes=fixed"
        );
        assert_eq!(
            describe_mock(&MockConfig::default(), Some("seeds/qa.yaml")),
            "the built-in mock, default switches, accounts from seeds/qa.yaml"
        );
    }

    #[test]
    fn a_seed_is_read_relative_to_the_project_file_and_errors_point_at_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("seeds")).unwrap();
        std::fs::write(
            dir.path().join("seeds/qa.yaml"),
            "accounts:\n  - name: qa@example.com\n    password: pw\n",
        )
        .unwrap();
        let project_file = dir.path().join("scenario.yaml");
        let s = settings("environments:\n  e:\n    mock:\n      seed: seeds/qa.yaml\n");
        assert!(environment_mock(Some(&s), Some(&project_file)).is_ok());
        let text = "environments:\n  e:\n    mock:\n      seed: seeds/none.yaml\n";
        let project = (project_file.clone(), parse_project(&project_file, text).unwrap());
        assert!(
            check_seeds(Some(&project))
                .unwrap_err()
                .to_string()
                .contains("none.yaml")
        );
        let missing = settings(text);
        let err = environment_mock(Some(&missing), Some(&project_file))
            .unwrap_err()
            .to_string();
        assert!(err.contains("scenario.yaml:4:13: `mock.seed`"), "{err}");
        assert!(err.contains("none.yaml"), "{err}");
    }

    #[test]
    fn unknown_switches_from_the_command_line_name_their_origin() {
        let err = config_with_switches(&[("nope".to_owned(), "x".to_owned())], "--switch")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("--switch: invalid mock configuration: unknown switch `nope`"),
            "{err}"
        );
    }
}

//! Settles which environments `scenario check` checks the files against (the
//! one `run` would use: `--env`, else the default; or every one with
//! `--all-envs`), and what each makes of its variables: the names it
//! defines, and those `run` could not set (`env('UNSET')` without a default).
//!
//! Must not check scenario files (`crate::validate` does) nor send anything;
//! it reads the project file, its local overrides and the process environment.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::env_vars::{read_local_vars, render_vars};
use super::plan::{missing_variables, plan_of};
use super::project::local_file;
use super::target::{check_required_env, default_environment};
use crate::error::Error;
use crate::model::SourceLocation;
use crate::model::diag::Diagnostic;
use crate::model::project::{self, ProjectConfig};
use crate::validate::CheckReport;

/// Holds what one environment brings to a check.
#[derive(Debug, Clone, Default)]
pub(super) struct EnvScope {
    /// The environment's name; `None` without a project or default environment.
    pub name: Option<String>,
    /// Every variable name it defines (set or not), and `mock_url`.
    pub known: BTreeSet<String>,
    /// The variables `run` could not set, with why and where they are declared.
    pub unavailable: BTreeMap<String, (String, SourceLocation)>,
    /// The pools it declares.
    pub pools: BTreeSet<String>,
    /// Why `run` would refuse the environment itself (a `require_env`
    /// variable unset), and where the first missing one is declared.
    pub refused: Option<(String, SourceLocation)>,
}

/// Lists the environments to check against: every one with `all`, else the
/// named one, else the default (none without a project or a default).
///
/// # Errors
/// Returns [`Error::Usage`] for an unknown environment or unreadable local overrides.
pub(super) fn scopes(
    project: Option<&(PathBuf, ProjectConfig)>,
    env: Option<&str>,
    all: bool,
    process_env: &BTreeMap<String, String>,
) -> Result<Vec<EnvScope>, Error> {
    let bare = EnvScope {
        known: BTreeSet::from(["mock_url".to_owned()]),
        ..EnvScope::default()
    };
    let Some((path, config)) = project else {
        return match env {
            Some(name) => Err(Error::Usage(format!(
                "environment `{name}` needs a {} file declaring it; none was found in the current folder or above it",
                project::PROJECT_FILE
            ))),
            None => Ok(vec![bare]),
        };
    };
    let names: Vec<String> = match (all, env) {
        (true, _) => config.environments.keys().cloned().collect(),
        (false, Some(name)) => vec![name.to_owned()],
        (false, None) => default_environment(config).into_iter().collect(),
    };
    if names.is_empty() {
        return Ok(vec![bare]);
    }
    let local = local_file(project);
    let file = Arc::new(path.clone());
    names
        .into_iter()
        .map(|name| {
            let Some(environment) = config.environments.get(&name) else {
                let known: Vec<&str> = config.environments.keys().map(String::as_str).collect();
                return Err(Error::Usage(format!(
                    "{} declares no environment `{name}`; known: {}",
                    path.display(),
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            let environment = &environment.value;
            let local_vars = read_local_vars(&local, &name)?;
            let (vars, unavailable) = render_vars(path, &name, environment, local_vars, process_env);
            let mut known = bare.known.clone();
            known.extend(vars.into_keys());
            known.extend(unavailable.keys().cloned());
            let unavailable = unavailable
                .into_iter()
                .map(|(var, why)| {
                    let at = environment.vars.get(&var).map_or_else(
                        || SourceLocation::file_only(&file),
                        |v| SourceLocation {
                            file: Arc::clone(&file),
                            line: v.referenced.line(),
                            column: v.referenced.column(),
                        },
                    );
                    (var, (why, at))
                })
                .collect();
            let refused = check_required_env(&name, environment, process_env)
                .err()
                .map(|error| {
                    let at = environment
                        .require_env
                        .iter()
                        .find(|v| process_env.get(&v.value).is_none_or(String::is_empty))
                        .map_or_else(
                            || SourceLocation::file_only(&file),
                            |v| SourceLocation::of(&file, v),
                        );
                    (error.to_string(), at)
                });
            Ok(EnvScope {
                refused,
                pools: environment.pools.keys().cloned().collect(),
                name: Some(name),
                known,
                unavailable,
            })
        })
        .collect()
}

/// Returns the error `run` would stop on before loading anything: a
/// `require_env` variable of the environment that is not set.
pub(super) fn refused_environment(scope: &EnvScope) -> Option<Diagnostic> {
    let (why, at) = scope.refused.clone()?;
    Some(
        Diagnostic::error(why, at)
            .with_label("not set")
            .with_help("export the variable before `run`, or remove it from `require_env`"),
    )
}

/// Returns an error for every variable the checked scenarios use that the
/// environment could not set: `run` refuses to start on them.
pub(super) fn unavailable_used(report: &CheckReport, scope: &EnvScope) -> Vec<Diagnostic> {
    let reasons: BTreeMap<String, String> = scope
        .unavailable
        .iter()
        .map(|(name, (why, _))| (name.clone(), why.clone()))
        .collect();
    let plan = plan_of(report.clone());
    let env = scope.name.as_deref().unwrap_or_default();
    missing_variables(&plan, &reasons)
        .into_iter()
        .map(|(name, why)| {
            let at = scope.unavailable[name].1.clone();
            Diagnostic::error(
                format!("variable `{name}` of environment `{env}` cannot be set, and the scenarios use it"),
                at,
            )
            .with_label("not set")
            .with_note(why.clone())
            .with_help(format!(
                "set what it reads (an `env('NAME')` needs that variable exported), give it a default \
                 (`env('NAME', 'value')`), or put the value under `environments.{env}.vars` in {}",
                project::LOCAL_FILE
            ))
        })
        .collect()
}

/// Adds to an "undefined variable" error the environments that do define the
/// name, when checking against one that does not.
pub(super) fn explain_other_environments(d: Diagnostic, scope: &EnvScope, all: &[EnvScope]) -> Diagnostic {
    let Some(name) = d
        .message
        .strip_prefix("undefined variable `")
        .and_then(|rest| rest.strip_suffix('`'))
        .map(str::to_owned)
    else {
        return d;
    };
    let elsewhere: Vec<&str> = all
        .iter()
        .filter(|other| other.known.contains(&name))
        .filter_map(|other| other.name.as_deref())
        .collect();
    match (&scope.name, elsewhere.is_empty()) {
        (Some(env), false) => d.with_note(format!(
            "`{name}` is a variable of environment {} but not of `{env}`; add it under `environments.{env}.vars`",
            elsewhere.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
        )),
        _ => d,
    }
}

//! Owns `scenario state`: shows what the state folder holds (each pool's
//! used, refused and held values, counted against the environment's declared
//! values; the TOTP ledger) and resets it (named pools, the TOTP ledger, or
//! everything). Prints counts, times and short fingerprints, never a value.
//!
//! Must not hold the state's rules (`crate::state` does) and must not see
//! clap: the binary hands over a [`StateOptions`].

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::options::{StateCommand, StateOptions};
use super::pools::{DeclaredPool, read_pools};
use super::project::read_project;
use super::state_dir::state_dir;
use super::vars::process_env;
use crate::error::{Error, ExitStatus};
use crate::model::project::{self, ProjectConfig};
use crate::state::{PoolCounts, ResetScope, StateDir, StateError};

/// Runs `scenario state show` or `scenario state reset`.
///
/// # Errors
/// Returns [`Error::Usage`] for an unknown environment, [`Error::CouldNotRun`]
/// when the state folder cannot be read or written.
pub fn state(options: &StateOptions, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    let project = read_project(options.config.as_deref())?;
    let env = process_env();
    let dir = state_dir(options.state_dir.as_deref(), project.as_ref(), &env);
    let (env_name, declared) = declared_pools(project.as_ref(), options.env.as_deref(), &env)?;
    let Some(state) = StateDir::open_existing(&dir).map_err(could_not_run)? else {
        let _ = writeln!(
            stdout,
            "no state folder at {} yet: no run has kept anything there",
            dir.display()
        );
        return Ok(ExitStatus::Passed);
    };
    match &options.command {
        StateCommand::Show => show(&state, env_name.as_deref(), &declared, stdout).map_err(could_not_run)?,
        StateCommand::Reset { pools, totp } => {
            reset(&state, pools, *totp, &declared, stdout).map_err(could_not_run)?;
        }
    }
    Ok(ExitStatus::Passed)
}

fn could_not_run(error: StateError) -> Error {
    Error::CouldNotRun(error.to_string())
}

/// Returns the environment whose pools are shown (named, else the project's
/// default) and those pools; none without a project.
fn declared_pools(
    project: Option<&(PathBuf, ProjectConfig)>,
    env: Option<&str>,
    process_env: &BTreeMap<String, String>,
) -> Result<(Option<String>, Vec<DeclaredPool>), Error> {
    let Some((path, config)) = project else {
        return Ok((None, Vec::new()));
    };
    let name = env.map(str::to_owned).or_else(|| {
        config.default_env.clone().or_else(|| {
            config
                .environments
                .contains_key(project::DEFAULT_ENVIRONMENT)
                .then(|| project::DEFAULT_ENVIRONMENT.to_owned())
        })
    });
    let Some(name) = name else {
        return Ok((None, Vec::new()));
    };
    let environment = config
        .environments
        .get(&name)
        .ok_or_else(|| Error::Usage(format!("{} declares no environment `{name}`", path.display())))?;
    let project_dir = path.parent().unwrap_or(Path::new(""));
    let pools = read_pools(&name, &environment.value, project_dir, process_env)?;
    Ok((Some(name), pools))
}

fn show(
    state: &StateDir,
    env_name: Option<&str>,
    declared: &[DeclaredPool],
    out: &mut dyn Write,
) -> Result<(), StateError> {
    let _ = writeln!(out, "state folder: {}", state.root().display());
    let mut names: BTreeSet<String> = state.pool_names()?.into_iter().collect();
    names.extend(declared.iter().map(|p| p.name.clone()));
    let _ = match env_name {
        Some(env) => writeln!(out, "pools (values as environment `{env}` declares them):"),
        None => writeln!(out, "pools:"),
    };
    if names.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for name in &names {
        let line = match declared.iter().find(|p| p.name == *name) {
            Some(pool) => {
                let values: Vec<&str> = pool.values.iter().map(String::as_str).collect();
                let counts = state.pool_counts(name, Some(&values))?;
                format!(
                    "{} value(s): {}, {} unused",
                    counts.total,
                    describe(&counts),
                    counts.available()
                )
            }
            None => {
                let counts = state.pool_counts(name, None)?;
                format!("{} (not declared by this environment)", describe(&counts))
            }
        };
        let _ = writeln!(out, "  {name}: {line}");
    }
    let entries = state.totp_entries()?;
    let _ = writeln!(out, "TOTP codes handed out (by fingerprint of the secret):");
    if entries.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for entry in entries {
        let _ = writeln!(
            out,
            "  {}  {}-second windows: the latest code used is the one of the window from {} (handed out at {})",
            entry.fingerprint.short(),
            entry.period,
            rfc3339(entry.last_window),
            entry.at
        );
    }
    Ok(())
}

fn describe(counts: &PoolCounts) -> String {
    format!(
        "{} used, {} refused by the server, {} held by a running run",
        counts.used, counts.refused, counts.in_use
    )
}

fn reset(
    state: &StateDir,
    pools: &[String],
    totp: bool,
    declared: &[DeclaredPool],
    out: &mut dyn Write,
) -> Result<(), StateError> {
    let everything = pools.is_empty() && !totp;
    let scope = ResetScope {
        pools: if everything { None } else { Some(pools.to_vec()) },
        totp: everything || totp,
    };
    let report = state.reset(&scope)?;
    let known: Vec<String> = state
        .pool_names()?
        .into_iter()
        .chain(declared.iter().map(|p| p.name.clone()))
        .collect();
    for (name, forgotten) in &report.pools {
        let _ = writeln!(out, "pool `{name}`: forgot {forgotten} used or refused value(s)");
        if *forgotten == 0
            && !declared.iter().any(|p| p.name == *name)
            && let Some(suggestion) = crate::model::diag::did_you_mean(name, known.iter().map(String::as_str))
        {
            let _ = writeln!(out, "  (no such pool here; did you mean `{suggestion}`?)");
        }
    }
    if report.kept_in_use > 0 {
        let _ = writeln!(
            out,
            "kept {} value(s) a running run holds; they come back when it ends",
            report.kept_in_use
        );
    }
    if scope.totp {
        let _ = writeln!(
            out,
            "TOTP ledger: forgot {} entr{}",
            report.totp,
            if report.totp == 1 { "y" } else { "ies" }
        );
    }
    Ok(())
}

/// Formats a time as RFC 3339 in UTC, to the second.
fn rfc3339(at: std::time::SystemTime) -> String {
    let seconds = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| seconds.to_string())
}

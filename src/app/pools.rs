//! Owns reading an environment's consumable pools: the values each one
//! declares (written in `scenario.yaml`, in an environment variable, in a
//! git-ignored file), and how to refill it, said the way the user declared it;
//! and counting how many values the selected scenarios take from each.
//!
//! Must not reserve or hand out values (the engine does), nor print them:
//! every value is secret.

use std::collections::BTreeMap;
use std::path::Path;

use crate::engine::RunPlan;
use crate::error::Error;
use crate::model::SourceLocation;
use crate::model::load::LoadedScenario;
use crate::model::project::{Environment, PoolSpec};

/// Holds one pool as the environment declares it.
#[derive(Clone, Default)]
pub(super) struct DeclaredPool {
    pub(super) name: String,
    pub(super) values: Vec<String>,
    pub(super) refill: String,
}

impl std::fmt::Debug for DeclaredPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeclaredPool")
            .field("name", &self.name)
            .field("values", &self.values.len())
            .finish_non_exhaustive()
    }
}

/// Reads every pool of `environment` (named `env_name`); files are relative to `project_dir`.
///
/// # Errors
/// Returns [`Error::Usage`] when a pool's file exists but cannot be read.
pub(super) fn read_pools(
    env_name: &str,
    environment: &Environment,
    project_dir: &Path,
    process_env: &BTreeMap<String, String>,
) -> Result<Vec<DeclaredPool>, Error> {
    environment
        .pools
        .iter()
        .map(|(name, spec)| read_pool(env_name, name, &spec.value, project_dir, process_env))
        .collect()
}

fn read_pool(
    env_name: &str,
    name: &str,
    spec: &PoolSpec,
    project_dir: &Path,
    process_env: &BTreeMap<String, String>,
) -> Result<DeclaredPool, Error> {
    let mut values: Vec<String> = spec.values.iter().map(|v| v.trim().to_owned()).collect();
    let mut ways = Vec::new();
    if let Some(variable) = &spec.env {
        if let Some(text) = process_env.get(variable) {
            values.extend(split_values(text));
        }
        ways.push(format!(
            "set `{variable}` (values separated by commas, spaces or new lines)"
        ));
    }
    if let Some(file) = &spec.file {
        let path = project_dir.join(file);
        match std::fs::read_to_string(&path) {
            Ok(text) => values.extend(file_values(&text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::Usage(format!(
                    "cannot read the values of pool `{name}` from {}: {e}",
                    path.display()
                )));
            }
        }
        ways.push(format!(
            "list them one per line in `{}` (keep it git-ignored)",
            path.display()
        ));
    }
    if ways.is_empty() || !spec.values.is_empty() {
        ways.push(format!(
            "add them under `environments.{env_name}.pools.{name}.values` in scenario.yaml"
        ));
    }
    Ok(DeclaredPool {
        name: name.to_owned(),
        values: unique(values),
        refill: ways.join(", or "),
    })
}

/// Splits an environment variable's text into values: commas, spaces and new lines separate them.
fn split_values(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads a pool file: one value per line; blank lines and `#` comments are skipped.
fn file_values(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Drops repeated values (and empty ones), keeping the first of each.
fn unique(values: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    values
        .into_iter()
        .filter(|v| !v.is_empty() && seen.insert(v.clone()))
        .collect()
}

/// Counts, for each pool, how many values the plan's scenarios take (a flow
/// counts once per `use` of it), with where each pool is first taken.
pub(super) fn pool_demand(plan: &RunPlan) -> BTreeMap<String, (usize, SourceLocation)> {
    let mut demand = BTreeMap::new();
    for loaded in &plan.scenarios {
        count_takes(plan, loaded, 0, &mut demand);
    }
    demand
}

/// Lists, for each scenario of the plan (by position) that takes pool
/// values through its file or the flows it uses, the pools it takes from
/// (a `take(name)` whose name is computed at run time counts as the pool `""`).
pub(super) fn single_use_takers(plan: &RunPlan) -> BTreeMap<usize, Vec<String>> {
    let mut takers = BTreeMap::new();
    for (index, loaded) in plan.scenarios.iter().enumerate() {
        let mut pools = std::collections::BTreeSet::new();
        walk_takes(plan, loaded, 0, &mut |take| {
            pools.insert(take.pool.clone().unwrap_or_default());
        });
        if !pools.is_empty() {
            takers.insert(index, pools.into_iter().collect());
        }
    }
    takers
}

/// Caps `use` nesting while counting; `check` reports cycles, this guards anyway.
const MAX_DEPTH: usize = 16;

fn count_takes(
    plan: &RunPlan,
    loaded: &LoadedScenario,
    depth: usize,
    demand: &mut BTreeMap<String, (usize, SourceLocation)>,
) {
    walk_takes(plan, loaded, depth, &mut |take| {
        if let Some(pool) = &take.pool {
            demand.entry(pool.clone()).or_insert((0, take.location.clone())).0 += 1;
        }
    });
}

/// Calls `visit` with every `take(...)` of `loaded` and of the flows it uses
/// (a flow once per `use` of it).
fn walk_takes(
    plan: &RunPlan,
    loaded: &LoadedScenario,
    depth: usize,
    visit: &mut dyn FnMut(&crate::validate::PoolTake),
) {
    if depth > MAX_DEPTH {
        return;
    }
    for take in crate::validate::pool_takes_of(loaded) {
        visit(&take);
    }
    for step in loaded.scenario.steps.iter().chain(&loaded.scenario.finally) {
        if let Some(use_path) = &step.value.use_flow
            && let Some(flow) = plan
                .flows
                .get(&crate::model::resolve_use_path(&loaded.file, &use_path.value))
        {
            walk_takes(plan, flow, depth + 1, visit);
        }
    }
}

/// Fails, naming where, when the plan takes from a pool the environment does not declare.
pub(super) fn check_pools_declared(
    demand: &BTreeMap<String, (usize, SourceLocation)>,
    pools: &[DeclaredPool],
    env_name: Option<&str>,
) -> Result<(), Error> {
    let problems: Vec<String> = demand
        .iter()
        .filter(|(name, _)| !pools.iter().any(|p| p.name == **name))
        .map(|(name, (_, at))| {
            let hint = crate::model::diag::did_you_mean(name, pools.iter().map(|p| p.name.as_str()))
                .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
            format!("  - {at}: takes from pool `{name}`{hint}")
        })
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    let env = env_name.map_or_else(|| "the run".to_owned(), |e| format!("environment `{e}`"));
    Err(Error::Usage(format!(
        "the selected scenarios take from pools {env} does not declare, so nothing was sent:\n{}\n\
         declare them under `pools:` in scenario.yaml",
        problems.join("\n")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> Environment {
        let config = crate::model::project::parse_project(Path::new("scenario.yaml"), text).unwrap();
        config.environments.into_iter().next().unwrap().1.value
    }

    #[test]
    fn sources_add_up_in_order_without_repeats() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("codes.txt"),
            "# recovery codes\n333\n\n444  # spare\n111\n",
        )
        .unwrap();
        let environment = spec(
            "environments:\n  sandbox:\n    base_url: http://x\n    pools:\n      codes: { values: [\"111\"], env: CODES, file: codes.txt }\n",
        );
        let env = BTreeMap::from([("CODES".to_owned(), "222, 111\n 555".to_owned())]);
        let pools = read_pools("sandbox", &environment, dir.path(), &env).unwrap();
        assert_eq!(pools[0].values, ["111", "222", "555", "333", "444"]);
        assert!(pools[0].refill.contains("set `CODES`"), "{}", pools[0].refill);
        assert!(pools[0].refill.contains("codes.txt"), "{}", pools[0].refill);
        assert!(
            !format!("{:?}", pools[0]).contains("111"),
            "values stay out of Debug"
        );
    }

    #[test]
    fn a_missing_file_or_variable_is_an_empty_source() {
        let dir = tempfile::tempdir().unwrap();
        let environment = spec(
            "environments:\n  sandbox:\n    base_url: http://x\n    pools:\n      codes: { env: CODES, file: missing.txt }\n",
        );
        let pools = read_pools("sandbox", &environment, dir.path(), &BTreeMap::new()).unwrap();
        assert!(pools[0].values.is_empty());
        assert!(!pools[0].refill.contains("scenario.yaml"), "{}", pools[0].refill);
    }
}

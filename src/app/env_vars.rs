//! Owns an environment's variables as a run sees them: local overrides
//! (`.scenario.local.yaml`), rendering in order against the process
//! environment, which could not be set and why, and which are secret
//! (declared, or made by a template from one that is).
//!
//! Must not choose the environment or the target (`target` does), nor send
//! anything or print.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::Error;
use crate::model::project::{self, Environment};
use crate::template::{Templates, Vars};

/// Reads the local overrides of one environment's variables, when the local file exists.
pub(super) fn read_local_vars(local_path: &Path, env_name: &str) -> Result<Vars, Error> {
    let mut local_vars = Vars::new();
    if let Ok(text) = std::fs::read_to_string(local_path) {
        let local = project::parse_local(local_path, &text).map_err(|e| Error::Usage(e.to_string()))?;
        if let Some(overrides) = local.environments.get(env_name) {
            local_vars.extend(overrides.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    Ok(local_vars)
}

/// Returns the environment's secret variables: those it declares, and those
/// whose value a template makes from one (`basic: "{{ (user ~ ':' ~
/// password) | base64_encode }}"`), so no transform of a secret is plain.
pub(super) fn secret_vars_of(environment: &Environment) -> BTreeSet<String> {
    let mut secret: BTreeSet<String> = environment.secrets.iter().cloned().collect();
    for (name, value) in &environment.vars {
        let mut reads = BTreeSet::new();
        collect_reads(&value.value, &mut reads);
        if reads
            .iter()
            .any(|read| secret.contains(read) || crate::engine::is_sensitive_name(read))
        {
            secret.insert(name.clone());
        }
    }
    secret
}

/// Adds the variables every template string inside `value` reads.
fn collect_reads(value: &serde_json::Value, reads: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(text) => {
            reads.extend(crate::template::referenced_variables(text).unwrap_or_default());
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_reads(item, reads)),
        serde_json::Value::Object(map) => map.values().for_each(|item| collect_reads(item, reads)),
        _ => {}
    }
}

/// Renders an environment's variables in order (local overrides win, and are
/// not rendered), returning those that could not be rendered with the reason.
pub(super) fn render_vars(
    path: &Path,
    env_name: &str,
    environment: &Environment,
    mut local_vars: Vars,
    process_env: &BTreeMap<String, String>,
) -> (Vars, BTreeMap<String, String>) {
    let templates = Templates::new(process_env.clone());
    let mut vars = Vars::new();
    let mut unavailable = BTreeMap::new();
    for (name, value) in &environment.vars {
        if let Some(local) = local_vars.remove(name) {
            vars.insert(name.clone(), local);
            continue;
        }
        match templates.render_value(&value.value, &vars) {
            Ok(rendered) => {
                vars.insert(name.clone(), rendered.value);
            }
            Err(e) => {
                let at = format!(
                    "{}:{}:{}",
                    path.display(),
                    value.referenced.line(),
                    value.referenced.column()
                );
                unavailable.insert(name.clone(), format!("{e} ({at}, environment `{env_name}`)"));
            }
        }
    }
    vars.extend(local_vars);
    (vars, unavailable)
}

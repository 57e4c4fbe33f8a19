//! Owns the variables a command starts with from outside the scenario files:
//! `--var` values, vars files, and the process environment.
//!
//! Must not decide which environment applies or render templates (see
//! `target`), and must not quote a vars file's content in errors: vars files
//! often hold credentials.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Error;
use crate::model::project;
use crate::template::Vars;

/// Reads a `--var` value: JSON scalars (numbers, booleans, null) keep their
/// type, anything else is a string, so `--var size=10` is the number 10.
#[must_use]
pub fn parse_var_value(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(value @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => value,
        _ => Value::String(text.to_owned()),
    }
}

/// Reads a vars file: a YAML (or JSON) mapping of names to values.
///
/// # Errors
/// Returns [`Error::Usage`] naming the file and the problem.
pub fn read_vars_file(path: &Path) -> Result<Vars, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("cannot read the vars file {}: {e}", path.display())))?;
    // Vars files often hold credentials: errors name the place, never quote it.
    let map: project::VarsFile = project::parse_config(path, &text, project::Quote::Nothing)
        .map_err(|e| Error::Usage(format!("{e} (a vars file is a mapping of names to values)")))?;
    Ok(map.0.into_iter().collect())
}

/// Collects the run's starting variables: vars files, then `--var` (later wins),
/// over the environment's.
pub(super) fn command_line_vars(vars_files: &[PathBuf], vars: &[(String, String)]) -> Result<Vars, Error> {
    let mut out = Vars::new();
    for file in vars_files {
        out.extend(read_vars_file(file)?);
    }
    for (name, value) in vars {
        if let Some((problem, help)) = crate::model::load::variable_name_problem(name) {
            return Err(Error::Usage(format!("--var {name}=...: {problem}; {help}")));
        }
        out.insert(name.clone(), parse_var_value(value));
    }
    Ok(out)
}

/// Returns the process environment, skipping names or values that are not UTF-8.
pub(super) fn process_env() -> BTreeMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn vars_files_keep_numbers_exact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vars.yaml");
        std::fs::write(&path, "big: 18446744073709551617\nsmall: 1e-400\n").unwrap();
        let vars = read_vars_file(&path).unwrap();
        assert_eq!(vars["big"].to_string(), "18446744073709551617");
        assert_eq!(vars["small"].to_string(), "1e-400");
        assert_eq!(
            parse_var_value("18446744073709551617").to_string(),
            "18446744073709551617"
        );
    }

    #[test]
    fn var_values_keep_json_scalar_types() {
        assert_eq!(parse_var_value("10"), json!(10));
        assert_eq!(parse_var_value("true"), json!(true));
        assert_eq!(parse_var_value("null"), Value::Null);
        assert_eq!(parse_var_value("012345"), json!("012345"));
        assert_eq!(parse_var_value("mary"), json!("mary"));
        assert_eq!(parse_var_value("[1]"), json!("[1]"));
    }
}

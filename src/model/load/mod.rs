//! Loads scenario files from disk into [`crate::model::Scenario`]s, one stage
//! per file: discovery under PATHs (`discover`), reading a file within its
//! limits (`read`), the parser options, budgets and syntax pre-pass (`yaml`),
//! the typed parse (`parse`), the wording of serde-saphyr errors and of the
//! shape walk's problems as diagnostics (`yaml_diag`, `shape_diag`, with the
//! phrases both share in `messages`), and the checks that need nothing but the
//! parsed file (`structure`, with the request fields' own in `wire`, declared
//! names in `names`, and `secrets`).
//!
//! Must not evaluate templates or JSONPath (that is `crate::validate`, one
//! layer up) and must not print: every problem is returned as a diagnostic.

mod cookie_check;
mod discover;
#[cfg(test)]
mod fixtures;
mod messages;
mod names;
mod parse;
mod read;
mod secrets;
mod shape_diag;
mod structure;
mod wire;
mod yaml;
mod yaml_diag;

pub use discover::{Discovery, discover};
pub use names::variable_name_problem;
pub use parse::{
    FileLoad, LoadError, LoadedScenario, load_file, parse_scenario, parse_source, parse_source_all_problems,
};
pub use read::MAX_FILE_BYTES;
pub use secrets::check_secrets;
pub use structure::structural_checks;
pub use yaml::{MAX_DEPTH, MAX_NODES, parse_data};

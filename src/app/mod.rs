//! Wires a command together: load and validate scenarios, pick the target
//! (an environment, a URL, or the built-in mock), run the engine, feed the
//! reporters, and turn the outcome into an [`ExitStatus`](crate::error::ExitStatus).
//! One file per command (`run`, `check`, `list`, `mock`, `snapshots`,
//! `state`, `schema`, `report`), beside the pieces they share: option structs,
//! variables, the project file, the target, an environment's variables
//! (`env_vars`), the mock's set-up, a run's network settings, the run plan,
//! the selection `run` and `list` share (`select`, with `tag_expr`,
//! `partition`, `rel_path` and the `last_run` record), pools, reruns
//! (`--retries`, `--fail-fast`), the reports of invalid files, where the
//! state folder is, and the terminal prompter.
//!
//! Must not own domain rules (validation, step semantics, mock behaviour and
//! report formats live in their layers) and must not see clap: the binary
//! hands it plain option structs.

mod check;
mod check_env;
mod check_env_calls;
mod env_vars;
mod host;
mod invalid_reports;
mod last_run;
mod list;
mod mock;
mod mock_setup;
mod network;
mod options;
mod partition;
mod plan;
mod pools;
mod project;
mod prompt;
mod rel_path;
mod report;
mod reruns;
mod run;
mod schema;
mod select;
mod snapshots;
mod state;
mod state_dir;
mod tag_expr;
mod target;
mod vars;

pub use crate::report::ReportFiles;
pub use check::check;
pub use list::list;
pub use mock::mock;
pub use options::{
    Annotations, CheckOptions, ColorChoice, ListFormat, ListOptions, MergeOptions, MockOptions, RunOptions,
    SelectOptions, SnapshotCommand, SnapshotsOptions, StateCommand, StateOptions, TargetChoice,
};
pub use report::report_merge;
pub use run::run;
pub use schema::{SchemaOf, schema};
pub use snapshots::snapshots;
pub use state::state;
pub use vars::{parse_var_value, read_vars_file};

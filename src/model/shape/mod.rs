//! Finds every unknown key and every wrongly typed node of a scenario file in
//! one pass, for the files the typed parse refuses: serde stops at the first
//! problem, and `check` promises them all.
//!
//! The file is read a second time into a generic located tree (`node`) and
//! walked (`walk`) against the format's shape (`format`). The shape has one
//! source of truth, the model types: which keys and kinds are allowed comes
//! from the JSON Schema generated from them
//! ([`super::schema::scenario_schema`]), and the order in which a mapping's
//! keys are listed comes from serde's own field list, asked of the typed
//! parse itself.
//!
//! The walk reports only what the typed parse (or the checks after it) would
//! also refuse, so it never invents a problem: a scalar where a string is
//! expected is fine (serde reads any scalar as a string), a `null` is left
//! alone where the key is optional, and free JSON values (request bodies,
//! literal expectations) are not looked into.
//!
//! Must not decide whether a file loads (the typed parse does) and must not
//! word messages (the loader turns [`ShapeProblem`]s into diagnostics).

mod format;
mod node;
mod problem;
mod walk;

#[cfg(test)]
mod tests;

pub(super) use problem::{Found, Kind, Problem, ShapeProblem};
pub(super) use walk::find_problems;

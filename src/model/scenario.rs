//! Declares the serde types of a scenario file as a whole (see
//! `docs/format.md`): its name, variables, secrets, the inputs and outputs of
//! a reusable flow, snapshot defaults, and its lists of steps (the steps
//! themselves are in `super::step`).
//!
//! Every authored value that a diagnostic may point at is wrapped in
//! [`Spanned`]. Enums are never `untagged` or `flatten`ed, because both lose
//! serde-saphyr's locations and give poor messages; "a string or a mapping"
//! shorthands use hand-written visitors instead, and hand-written
//! `JsonSchema` impls describe them to editors (see `super::schema_parts`).
//!
//! Must not touch HTTP, the terminal or templates: these are plain data, read
//! by the loader and run by the engine.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::exact;
use super::location::{Spanned, SpannedMap};
use super::step::Step;

/// Describes one scenario file: a named flow of steps, or a reusable flow
/// (a file with `inputs` or `outputs`, run only through a step's `use`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Names the scenario in reports; shown with every failure.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Explains what the scenario proves, for `list` and reports.
    #[serde(default)]
    pub description: Option<String>,
    /// Labels used by `--tag` to select scenarios.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tags: Vec<Spanned<String>>,
    /// Names what the scenario holds exclusively while it runs, such as the
    /// shared account it logs in to: two scenarios holding one lock never run
    /// at the same time. Templates over the run's variables (environment,
    /// `--var`), e.g. `"{{ email_user }}"`, rendered before anything is sent.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub locks: Vec<Spanned<String>>,
    /// Declares variables; values may be templates over earlier variables.
    #[serde(default)]
    #[serde(deserialize_with = "exact::map")]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub vars: SpannedMap<Value>,
    /// Names variables and captures whose values must never be printed.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub secrets: Vec<Spanned<String>>,
    /// Declares the inputs of a reusable flow (name -> declaration).
    #[serde(default)]
    #[schemars(with = "Option<BTreeMap<String, InputSpec>>")]
    pub inputs: Option<SpannedMap<InputSpec>>,
    /// Declares the variables a reusable flow hands back to the caller.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub outputs: Option<Vec<Spanned<String>>>,
    /// Sets snapshot defaults (redactions) for every step of the scenario.
    #[serde(default)]
    #[schemars(with = "SnapshotDefaults")]
    pub snapshot: Option<Spanned<SnapshotDefaults>>,
    /// Runs the scenario once per combination: each key is a variable with
    /// its list of values (the combinations are their cartesian product),
    /// `rows` gives whole combinations (a list of mappings, or a CSV, YAML or
    /// JSON file next to the scenario), and `exclude` drops the combinations
    /// that match one of its mappings. Each combination is its own test case,
    /// with an id such as `Login [account=sms]`.
    #[serde(default)]
    #[serde(deserialize_with = "exact::option_map")]
    #[schemars(schema_with = "super::schema_parts::matrix")]
    pub matrix: Option<SpannedMap<Value>>,
    /// Runs the scenario this many times, each run its own test case
    /// (`Login [repeat=2]`) with the variable `repeat` set to its number.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub repeat: Option<Spanned<u64>>,
    /// Lists the steps, run in order until one fails or errors.
    #[serde(default)]
    #[schemars(with = "Vec<Step>")]
    pub steps: Vec<Spanned<Step>>,
    /// Lists steps that always run after `steps`, even after a failure.
    #[serde(default)]
    #[schemars(with = "Vec<Step>")]
    pub finally: Vec<Spanned<Step>>,
    /// `false` turns the cookie jar off for every step (a step may turn it back on).
    #[serde(default)]
    pub cookie_jar: Option<bool>,
}

impl Scenario {
    /// Tells whether this file is a reusable flow rather than a runnable scenario.
    #[must_use]
    pub fn is_flow(&self) -> bool {
        self.inputs.is_some() || self.outputs.is_some()
    }

    /// Returns the names of the flow's inputs, in declaration order.
    #[must_use]
    pub fn input_names(&self) -> Vec<&str> {
        self.inputs
            .iter()
            .flatten()
            .map(|(name, _)| name.value.as_str())
            .collect()
    }

    /// Returns the names of the flow's outputs, in declaration order.
    #[must_use]
    pub fn output_names(&self) -> Vec<&str> {
        self.outputs
            .iter()
            .flatten()
            .map(|name| name.value.as_str())
            .collect()
    }
}

/// Declares one input of a reusable flow.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Explains the input, for `list` and `check` messages.
    #[serde(default)]
    pub description: Option<String>,
    /// Supplies the value when the caller gives none; without it the input is required.
    #[serde(default)]
    #[serde(deserialize_with = "exact::option_value")]
    pub default: Option<Value>,
    /// Marks the input's value as secret in every output.
    #[serde(default)]
    pub secret: bool,
}

/// Snapshot rules shared by every step of a scenario.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotDefaults {
    /// Redacts these JSONPaths in every snapshot of the scenario.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub redact: Vec<Spanned<String>>,
}

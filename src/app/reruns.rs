//! Owns the run's rerun policy: how often `--retries` runs a failed
//! scenario again, whether `--fail-fast` is on, and which scenarios are
//! never retried because they take single-use pool values.
//!
//! Must not run anything nor decide what a retry does (the engine does):
//! it only turns options and the plan into settings.

use super::options::RunOptions;
use super::pools::single_use_takers;
use crate::engine::{RerunPolicy, RunPlan};

/// Returns how the run treats failed scenarios, for the scenarios of `plan`.
pub(super) fn rerun_policy(options: &RunOptions, plan: &RunPlan) -> RerunPolicy {
    RerunPolicy {
        retries: options.retries,
        fail_fast: options.fail_fast,
        // Counted only when a retry could happen: the scan reads every file.
        single_use: if options.retries > 0 {
            single_use_takers(plan)
        } else {
            Default::default()
        },
    }
}

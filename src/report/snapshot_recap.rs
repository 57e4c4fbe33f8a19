//! Owns the lines the console ends a run with about snapshot files: which
//! `.snap` files `--snapshots update` rewrote, which `.snap.new` files wait
//! for review, and, when nothing could be written (CI, `--snapshots no`),
//! how many new or changed snapshots that leaves unsaved.
//!
//! Must not print: it returns lines for the console, in scenario order.

use std::path::PathBuf;

use crate::engine::{ScenarioResult, SnapshotReport, SnapshotStatus, StepResult};

/// Returns the closing lines about snapshot files for `results`, or none
/// when no snapshot was written or left unwritten.
pub(crate) fn snapshot_recap<'a>(results: impl Iterator<Item = &'a ScenarioResult>) -> Vec<String> {
    let mut updated: Vec<PathBuf> = Vec::new();
    let mut pending: Vec<PathBuf> = Vec::new();
    let mut unwritten: Vec<(PathBuf, String)> = Vec::new();
    let mut visit = |report: &SnapshotReport| match report.status {
        SnapshotStatus::Updated => updated.push(report.path.clone()),
        SnapshotStatus::New | SnapshotStatus::Mismatched => match (&report.pending, &report.unwritten) {
            (Some(path), _) => pending.push(path.clone()),
            (None, Some(why)) => unwritten.push((report.path.clone(), why.clone())),
            (None, None) => {}
        },
        SnapshotStatus::Matched => {}
    };
    for result in results {
        each_snapshot(&result.steps, &mut visit);
    }
    // A flow used twice can reach one snapshot twice: list it once.
    for paths in [&mut updated, &mut pending] {
        dedup_keeping_order(paths, |path| path.clone());
    }
    dedup_keeping_order(&mut unwritten, |(path, _)| path.clone());
    let mut lines = Vec::new();
    if !updated.is_empty() {
        lines.push(format!("updated {}:", count(updated.len(), "snapshot")));
        lines.extend(updated.iter().map(|path| format!("  {}", path.display())));
    }
    if !pending.is_empty() {
        lines.push(format!(
            "wrote {} to review (`scenario snapshots review`, or `accept`):",
            count(pending.len(), "pending snapshot")
        ));
        lines.extend(pending.iter().map(|path| format!("  {}", path.display())));
    }
    if let Some((_, why)) = unwritten.first() {
        lines.push(format!(
            "{} new or changed, nothing written ({why}); `--snapshots update` where it may write accepts them:",
            count(unwritten.len(), "snapshot")
        ));
        lines.extend(unwritten.iter().map(|(path, _)| format!("  {}", path.display())));
    }
    lines
}

fn each_snapshot<S: std::borrow::Borrow<StepResult>>(steps: &[S], visit: &mut impl FnMut(&SnapshotReport)) {
    for step in steps {
        let step = step.borrow();
        if let Some(report) = &step.snapshot {
            visit(report);
        }
        each_snapshot(&step.children, visit);
    }
}

/// Keeps the first of the items that share a key, in order.
fn dedup_keeping_order<T>(items: &mut Vec<T>, key: impl Fn(&T) -> PathBuf) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(key(item)));
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn pending_and_unwritten_snapshots_are_listed_in_order() {
        let result = fixtures::snapshot_mismatch();
        assert_eq!(
            snapshot_recap(std::iter::once(&result)),
            [
                "wrote 1 pending snapshot to review (`scenario snapshots review`, or `accept`):",
                "  snapshots/mfa-email__unlock.snap.new",
                "1 snapshot new or changed, nothing written (CI is set); `--snapshots update` where it may write accepts them:",
                "  snapshots/mfa-email__search.snap",
            ]
        );
    }

    #[test]
    fn updated_snapshots_are_listed_and_matched_ones_are_not() {
        let mut result = fixtures::snapshot_mismatch();
        for (step, status) in result
            .steps
            .iter_mut()
            .zip([SnapshotStatus::Updated, SnapshotStatus::Matched])
        {
            let step = std::sync::Arc::make_mut(step);
            if let Some(report) = step.snapshot.as_mut() {
                report.status = status;
            }
        }
        assert_eq!(
            snapshot_recap(std::iter::once(&result)),
            ["updated 1 snapshot:", "  snapshots/mfa-email__unlock.snap"]
        );
        assert!(snapshot_recap(std::iter::once(&fixtures::passed("A", "a.yaml"))).is_empty());
    }

    #[test]
    fn a_snapshot_reached_twice_is_listed_once() {
        let mut result = fixtures::snapshot_mismatch();
        let first = result.steps[0].snapshot.clone();
        for step in &mut result.steps {
            std::sync::Arc::make_mut(step).snapshot.clone_from(&first);
        }
        assert_eq!(
            snapshot_recap(std::iter::once(&result)),
            [
                "wrote 1 pending snapshot to review (`scenario snapshots review`, or `accept`):",
                "  snapshots/mfa-email__unlock.snap.new",
            ]
        );
    }
}

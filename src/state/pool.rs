//! Owns the marks of consumable pools: which single-use values a running run
//! holds (taken), which the server accepted (used) or refused, and what goes
//! back. Reserving, settling, releasing, counting and resetting each happen
//! in one locked transaction, so two runs at once never take the same value;
//! marks a crashed run left (its lease is gone) go back to the pool.
//!
//! Must not know where a pool's values come from (the caller passes them)
//! and must not store a value: only its fingerprint.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use super::StateError;
use super::file::{PoolMark, StateFile, timestamp};
use super::folder::StateDir;
use super::lease::is_alive;

/// Says how a value a run took ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The server accepted it: never handed out again.
    Used,
    /// The server refused it with this status: kept out of the pool too.
    Refused(u16),
    /// It was never sent, or the answer says nothing about it: back to the pool.
    Returned,
}

/// Counts what the values of a pool came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolCounts {
    /// Values declared (0 when counted from the marks alone).
    pub total: usize,
    /// Values the server accepted.
    pub used: usize,
    /// Values the server refused.
    pub refused: usize,
    /// Values a running run holds (this one included).
    pub in_use: usize,
}

impl PoolCounts {
    /// Returns how many declared values are free to take.
    #[must_use]
    pub fn available(&self) -> usize {
        self.total.saturating_sub(self.used + self.refused + self.in_use)
    }
}

/// Chooses what `scenario state reset` forgets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetScope {
    /// Pools whose used and refused marks are forgotten; `None` means every pool.
    pub pools: Option<Vec<String>>,
    /// Forgets the TOTP ledger too.
    pub totp: bool,
}

/// Tells what a reset forgot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResetReport {
    /// Marks forgotten, by pool.
    pub pools: BTreeMap<String, usize>,
    /// Values kept because a running run holds them.
    pub kept_in_use: usize,
    /// TOTP entries forgotten.
    pub totp: usize,
}

impl StateDir {
    /// Takes `count` free values of `pool` among `values` for this run,
    /// returning their positions in `values`.
    ///
    /// # Errors
    /// Returns [`StateError::Empty`] when fewer are free (nothing is taken
    /// then), or another [`StateError`] when the folder cannot be used.
    pub fn reserve(&self, pool: &str, values: &[&str], count: usize) -> Result<Vec<usize>, StateError> {
        let run = self.lease_id()?.to_owned();
        let fingerprints = self.pool_fingerprints(pool, values);
        let root = self.root().to_path_buf();
        self.transact(|state| {
            forget_stale(state, &root, &run);
            let marks = state.pools.entry(pool.to_owned()).or_default();
            let free: Vec<usize> = (0..values.len())
                .filter(|i| !marks.contains_key(&fingerprints[*i]))
                .collect();
            if free.len() < count {
                let counts = count_marks(marks, Some(&fingerprints));
                let available = free.len();
                if marks.is_empty() {
                    state.pools.remove(pool);
                }
                return Err(StateError::Empty {
                    pool: pool.to_owned(),
                    needed: count,
                    counts,
                    available,
                });
            }
            let at = timestamp(SystemTime::now());
            let taken: Vec<usize> = free.into_iter().take(count).collect();
            for i in &taken {
                marks.insert(
                    fingerprints[*i].clone(),
                    PoolMark::Taken {
                        run: run.clone(),
                        at: at.clone(),
                    },
                );
            }
            Ok(taken)
        })?
    }

    /// Records how a value this run took ended.
    ///
    /// # Errors
    /// Returns [`StateError`] when the folder cannot be used.
    pub fn settle(&self, pool: &str, value: &str, settled: Settled) -> Result<(), StateError> {
        let run = self.lease_id()?.to_owned();
        let fingerprint = self.pool_fingerprints(pool, &[value]).remove(0);
        self.transact(|state| {
            let marks = state.pools.entry(pool.to_owned()).or_default();
            let at = timestamp(SystemTime::now());
            match settled {
                Settled::Used => {
                    marks.insert(fingerprint, PoolMark::Used { at });
                }
                Settled::Refused(http_status) => {
                    marks.insert(fingerprint, PoolMark::Refused { at, http_status });
                }
                Settled::Returned => {
                    if matches!(marks.get(&fingerprint), Some(PoolMark::Taken { run: r, .. }) if *r == run) {
                        marks.remove(&fingerprint);
                    }
                }
            }
            if marks.is_empty() {
                state.pools.remove(pool);
            }
        })
    }

    /// Counts the marks of `pool`: over `values` when given, else every mark.
    ///
    /// # Errors
    /// Returns [`StateError`] when the folder cannot be read.
    pub fn pool_counts(&self, pool: &str, values: Option<&[&str]>) -> Result<PoolCounts, StateError> {
        let fingerprints = values.map(|values| self.pool_fingerprints(pool, values));
        let state = self.read()?;
        let root = self.root();
        let marks: BTreeMap<String, PoolMark> = state
            .pools
            .get(pool)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, mark)| !matches!(mark, PoolMark::Taken { run, .. } if !is_alive(root, run)))
            .collect();
        Ok(count_marks(&marks, fingerprints.as_deref()))
    }

    /// Lists the names of the pools the state holds marks for.
    ///
    /// # Errors
    /// Returns [`StateError`] when the folder cannot be read.
    pub fn pool_names(&self) -> Result<Vec<String>, StateError> {
        Ok(self.read()?.pools.into_keys().collect())
    }

    /// Forgets what `scope` names; values a running run holds are kept.
    ///
    /// # Errors
    /// Returns [`StateError`] when the folder cannot be used; a corrupt state
    /// file is started afresh only by a reset of everything.
    pub fn reset(&self, scope: &ResetScope) -> Result<ResetReport, StateError> {
        let everything = scope.pools.is_none() && scope.totp;
        let root = self.root().to_path_buf();
        let outcome = self.transact(|state| {
            let mut report = ResetReport::default();
            let own = String::new();
            forget_stale(state, &root, &own);
            let names: Vec<String> = match &scope.pools {
                None => state.pools.keys().cloned().collect(),
                Some(names) => names.clone(),
            };
            for name in names {
                let Some(marks) = state.pools.get_mut(&name) else {
                    report.pools.insert(name, 0);
                    continue;
                };
                let before = marks.len();
                marks.retain(|_, mark| matches!(mark, PoolMark::Taken { .. }));
                report.kept_in_use += marks.len();
                report.pools.insert(name.clone(), before - marks.len());
                if marks.is_empty() {
                    state.pools.remove(&name);
                }
            }
            if scope.totp {
                report.totp = state.totp.len();
                state.totp.clear();
            }
            report
        });
        match outcome {
            Err(StateError::Corrupt { .. }) if everything => {
                self.overwrite(&StateFile::default())?;
                Ok(ResetReport::default())
            }
            other => other,
        }
    }

    fn pool_fingerprints(&self, pool: &str, values: &[&str]) -> Vec<String> {
        values
            .iter()
            .map(|value| {
                self.fingerprint("pool", &[pool.as_bytes(), value.as_bytes()])
                    .as_str()
                    .to_owned()
            })
            .collect()
    }
}

/// Drops the taken marks of runs that are gone (other than `own`), so their
/// values go back to their pools.
fn forget_stale(state: &mut StateFile, root: &Path, own: &str) {
    let mut alive: BTreeMap<String, bool> = BTreeMap::new();
    for marks in state.pools.values_mut() {
        marks.retain(|_, mark| match mark {
            PoolMark::Taken { run, .. } if run != own => {
                *alive.entry(run.clone()).or_insert_with(|| is_alive(root, run))
            }
            _ => true,
        });
    }
    state.pools.retain(|_, marks| !marks.is_empty());
}

/// Counts marks: those of `fingerprints` (with their number as the total), or all.
fn count_marks(marks: &BTreeMap<String, PoolMark>, fingerprints: Option<&[String]>) -> PoolCounts {
    let mut counts = PoolCounts {
        total: fingerprints.map_or(0, <[String]>::len),
        ..PoolCounts::default()
    };
    let selected: Vec<&PoolMark> = match fingerprints {
        Some(fingerprints) => fingerprints.iter().filter_map(|f| marks.get(f)).collect(),
        None => marks.values().collect(),
    };
    for mark in selected {
        match mark {
            PoolMark::Taken { .. } => counts.in_use += 1,
            PoolMark::Used { .. } => counts.used += 1,
            PoolMark::Refused { .. } => counts.refused += 1,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: [&str; 4] = ["11223344", "55667788", "99001122", "33445566"];

    #[test]
    fn two_runs_never_take_the_same_value() {
        let dir = tempfile::tempdir().unwrap();
        let a = StateDir::open_for_run(dir.path()).unwrap();
        let b = StateDir::open_for_run(dir.path()).unwrap();
        let first = a.reserve("codes", &CODES, 2).unwrap();
        let second = b.reserve("codes", &CODES, 2).unwrap();
        assert_eq!(first, [0, 1]);
        assert_eq!(second, [2, 3]);
        let err = b.reserve("codes", &CODES, 1).unwrap_err();
        assert!(
            matches!(err, StateError::Empty { available: 0, needed: 1, counts, .. } if counts.in_use == 4),
            "{err:?}"
        );
    }

    #[test]
    fn used_and_refused_values_stay_out_and_returned_ones_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let run = StateDir::open_for_run(dir.path()).unwrap();
        run.reserve("codes", &CODES, 3).unwrap();
        run.settle("codes", CODES[0], Settled::Used).unwrap();
        run.settle("codes", CODES[1], Settled::Refused(401)).unwrap();
        run.settle("codes", CODES[2], Settled::Returned).unwrap();
        let counts = run.pool_counts("codes", Some(&CODES)).unwrap();
        assert_eq!(
            counts,
            PoolCounts {
                total: 4,
                used: 1,
                refused: 1,
                in_use: 0
            }
        );
        assert_eq!(counts.available(), 2);
        assert_eq!(run.reserve("codes", &CODES, 2).unwrap(), [2, 3]);
    }

    #[test]
    fn a_crashed_runs_values_go_back_to_the_pool() {
        let dir = tempfile::tempdir().unwrap();
        let crashed = StateDir::open_for_run(dir.path()).unwrap();
        crashed.reserve("codes", &CODES, 4).unwrap();
        drop(crashed);
        let next = StateDir::open_for_run(dir.path()).unwrap();
        assert_eq!(next.reserve("codes", &CODES, 4).unwrap(), [0, 1, 2, 3]);
    }

    #[test]
    fn reset_forgets_marks_but_keeps_values_a_live_run_holds() {
        let dir = tempfile::tempdir().unwrap();
        let run = StateDir::open_for_run(dir.path()).unwrap();
        run.reserve("codes", &CODES, 2).unwrap();
        run.settle("codes", CODES[0], Settled::Used).unwrap();
        let now = SystemTime::now();
        let step = now.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() / 30;
        run.claim_totp_step(b"secret", 30, step, now).unwrap();
        let inspect = StateDir::open_existing(dir.path()).unwrap().unwrap();
        let report = inspect
            .reset(&ResetScope {
                pools: Some(vec!["codes".into(), "other".into()]),
                totp: false,
            })
            .unwrap();
        assert_eq!(report.pools["codes"], 1);
        assert_eq!(report.pools["other"], 0);
        assert_eq!(report.kept_in_use, 1);
        assert_eq!(inspect.totp_entries().unwrap().len(), 1);
        let report = inspect
            .reset(&ResetScope {
                pools: None,
                totp: true,
            })
            .unwrap();
        assert_eq!(report.totp, 1);
        assert_eq!(inspect.pool_counts("codes", None).unwrap().in_use, 1);
    }

    #[test]
    fn concurrent_transactions_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let values: Vec<String> = (0..40).map(|i| format!("value-{i}")).collect();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let root = dir.path().to_path_buf();
                let values = values.clone();
                std::thread::spawn(move || {
                    let run = StateDir::open_for_run(&root).unwrap();
                    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
                    let mut mine = Vec::new();
                    for _ in 0..10 {
                        let taken = run.reserve("p", &refs, 1).unwrap();
                        run.settle("p", refs[taken[0]], Settled::Used).unwrap();
                        mine.push(taken[0]);
                    }
                    mine
                })
            })
            .collect();
        let mut all: Vec<usize> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 40, "every value went to exactly one run");
    }

    #[test]
    fn the_state_file_holds_no_value_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let run = StateDir::open_for_run(dir.path()).unwrap();
        run.reserve("codes", &CODES, 4).unwrap();
        run.settle("codes", CODES[0], Settled::Used).unwrap();
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let text = std::fs::read_to_string(&path).unwrap();
                for code in CODES {
                    assert!(!text.contains(code), "{} holds {code}", path.display());
                }
            }
        }
    }
}

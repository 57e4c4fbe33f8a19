//! Owns the lock manager ([`Schedule`]): which scenarios of a plan may start
//! now. A scenario takes all its locks at once when it starts and gives them
//! back when it ends, so two scenarios holding one lock never overlap and no
//! two can deadlock; scenarios start in plan order, and one waiting for a
//! lock keeps that lock for itself against later scenarios (so nobody
//! starves), while scenarios that need none of its locks start at once.
//!
//! Pure bookkeeping, no clock and no I/O. Must not run scenarios (the
//! runner does), nor touch the terminal, clap, JUnit or axum.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

/// Tracks which scenarios wait, run and hold which locks.
#[derive(Debug)]
pub(super) struct Schedule {
    locks: Vec<BTreeSet<String>>,
    /// Not started yet, in plan order.
    pending: BTreeSet<usize>,
    /// The pending scenarios that take locks: once every slot is taken, only
    /// these can newly wait.
    pending_with_locks: BTreeSet<usize>,
    running: BTreeSet<usize>,
    /// Each held lock and the scenario holding it.
    held: BTreeMap<String, usize>,
    /// Scenarios already reported as waiting for a lock.
    announced: BTreeSet<usize>,
}

/// Returns the locks of `wants` that are held, or wanted first by an earlier
/// waiting scenario, each with that scenario.
fn contention(
    wants: &BTreeSet<String>,
    held: &BTreeMap<String, usize>,
    wanted: &BTreeMap<String, usize>,
) -> Vec<(String, usize)> {
    wants
        .iter()
        .filter_map(|lock| {
            held.get(lock)
                .or_else(|| wanted.get(lock))
                .map(|by| (lock.clone(), *by))
        })
        .collect()
}

/// Holds a pending scenario that cannot start now, with its contended locks.
struct Waiting<'a> {
    index: usize,
    locks: &'a BTreeSet<String>,
    contended: Vec<(String, usize)>,
}

impl Waiting<'_> {
    /// Keeps the scenario waiting: announces it the first time a lock it
    /// needs is contended, and claims its locks against later scenarios.
    fn keep(
        self,
        announced: &mut BTreeSet<usize>,
        wanted: &mut BTreeMap<String, usize>,
        blocked: &mut Vec<Blocked>,
    ) {
        if !self.contended.is_empty() && announced.insert(self.index) {
            let mut behind: Vec<usize> = self.contended.iter().map(|(_, by)| *by).collect();
            behind.sort_unstable();
            behind.dedup();
            blocked.push(Blocked {
                index: self.index,
                locks: self.contended.into_iter().map(|(lock, _)| lock).collect(),
                behind,
            });
        }
        for lock in self.locks {
            wanted.entry(lock.clone()).or_insert(self.index);
        }
    }
}

/// Describes a scenario that must wait for locks, and for whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Blocked {
    /// The waiting scenario.
    pub(super) index: usize,
    /// Its locks that are held (or wanted first by an earlier scenario).
    pub(super) locks: Vec<String>,
    /// The scenarios holding them, or waiting for them first.
    pub(super) behind: Vec<usize>,
}

impl Schedule {
    /// Plans scenarios whose locks are `locks` (by plan index).
    pub(super) fn new(locks: Vec<BTreeSet<String>>) -> Self {
        Self {
            pending: (0..locks.len()).collect(),
            pending_with_locks: (0..locks.len()).filter(|&i| !locks[i].is_empty()).collect(),
            locks,
            running: BTreeSet::new(),
            held: BTreeMap::new(),
            announced: BTreeSet::new(),
        }
    }

    /// Starts, in plan order, the scenarios that may run now (at most `jobs`
    /// at once in all), and reports those that newly wait for a lock.
    ///
    /// Once every slot is taken only scenarios with locks can newly wait, so
    /// the rest of the plan is not walked: a call costs the scenarios it
    /// starts plus those with locks, not the whole plan.
    pub(super) fn next(&mut self, jobs: usize) -> (Vec<usize>, Vec<Blocked>) {
        let mut started = Vec::new();
        let mut blocked = Vec::new();
        // Locks an earlier waiting scenario wants: later ones must not take them first.
        let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
        let mut walked_to = None;
        for &index in &self.pending {
            if self.running.len() >= jobs {
                break;
            }
            walked_to = Some(index);
            let contended = contention(&self.locks[index], &self.held, &wanted);
            if contended.is_empty() {
                for lock in &self.locks[index] {
                    self.held.insert(lock.clone(), index);
                }
                self.running.insert(index);
                started.push(index);
                continue;
            }
            let waiting = Waiting {
                index,
                locks: &self.locks[index],
                contended,
            };
            waiting.keep(&mut self.announced, &mut wanted, &mut blocked);
        }
        let rest = walked_to.map_or(Bound::Unbounded, Bound::Excluded);
        let later: Vec<usize> = self
            .pending_with_locks
            .range((rest, Bound::Unbounded))
            .copied()
            .collect();
        for index in later {
            let contended = contention(&self.locks[index], &self.held, &wanted);
            let waiting = Waiting {
                index,
                locks: &self.locks[index],
                contended,
            };
            waiting.keep(&mut self.announced, &mut wanted, &mut blocked);
        }
        for index in &started {
            self.pending.remove(index);
            self.pending_with_locks.remove(index);
        }
        (started, blocked)
    }

    /// Ends scenario `index`, giving back its locks.
    pub(super) fn finish(&mut self, index: usize) {
        if self.running.remove(&index) {
            self.held.retain(|_, holder| *holder != index);
        }
    }

    /// Gives up every scenario not started yet, returning them in plan
    /// order: the run starts no more (`--fail-fast`, Ctrl-C).
    pub(super) fn abandon_pending(&mut self) -> Vec<usize> {
        self.pending_with_locks.clear();
        std::mem::take(&mut self.pending).into_iter().collect()
    }

    /// Tells whether scenarios remain that have not started.
    pub(super) fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(locks: &[&[&str]]) -> Schedule {
        Schedule::new(
            locks
                .iter()
                .map(|l| l.iter().map(|s| (*s).to_owned()).collect())
                .collect(),
        )
    }

    #[test]
    fn one_lock_serialises_while_the_rest_run_at_once() {
        let mut s = schedule(&[&["mail"], &["mail"], &[], &["sms"]]);
        let (started, blocked) = s.next(8);
        assert_eq!(started, [0, 2, 3]);
        assert_eq!(
            blocked,
            [Blocked {
                index: 1,
                locks: vec!["mail".into()],
                behind: vec![0]
            }]
        );
        assert_eq!(s.next(8), (vec![], vec![]), "reported once");
        s.finish(2);
        assert_eq!(s.next(8).0, Vec::<usize>::new());
        s.finish(0);
        assert_eq!(s.next(8).0, [1]);
        assert!(!s.has_pending());
    }

    #[test]
    fn a_waiting_scenario_is_not_overtaken_on_its_locks() {
        // 1 needs both locks; 2 needs one of them and comes later: it waits behind 1.
        let mut s = schedule(&[&["a"], &["a", "b"], &["b"], &["c"]]);
        let (started, blocked) = s.next(8);
        assert_eq!(started, [0, 3]);
        assert_eq!(blocked.len(), 2);
        assert_eq!(blocked[1].behind, [1], "2 waits behind 1, which wants `b` first");
        s.finish(0);
        assert_eq!(s.next(8).0, [1]);
        s.finish(1);
        assert_eq!(s.next(8).0, [2]);
    }

    #[test]
    fn abandoned_scenarios_never_start() {
        let mut plan = schedule(&[&["a"], &["a"], &[]]);
        assert_eq!(plan.next(1).0, [0]);
        assert_eq!(plan.abandon_pending(), [1, 2]);
        plan.finish(0);
        assert!(plan.next(4).0.is_empty());
        assert!(!plan.has_pending());
    }

    #[test]
    fn job_slots_bound_how_many_run() {
        let mut s = schedule(&[&[], &[], &[]]);
        assert_eq!(s.next(2).0, [0, 1]);
        assert_eq!(s.next(2).0, Vec::<usize>::new());
        s.finish(1);
        assert_eq!(s.next(2).0, [2]);
    }

    #[test]
    fn all_locks_are_taken_at_once_so_crossed_orders_cannot_deadlock() {
        let mut s = schedule(&[&["a", "b"], &["b", "a"]]);
        assert_eq!(s.next(8).0, [0]);
        s.finish(0);
        assert_eq!(s.next(8).0, [1]);
    }
}

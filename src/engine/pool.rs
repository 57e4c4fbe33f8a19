//! Owns the run's consumable pools ([`PoolHub`]): reserves, before anything
//! is sent, as many values as the selected files take (in the state folder
//! when state persists, so two runs at once never get the same value), hands
//! them out to `take()`, records how each ended, and gives back what was not
//! used when the run ends.
//!
//! A value counts as used once a request that carried it got a 2xx answer;
//! a 4xx answer other than 408 and 429 marks it refused (kept out of the pool
//! too: the server says it is not valid); a value never sent, or sent without
//! an answer that says anything about it (no answer, 408, 429, 5xx), goes
//! back to the pool.
//!
//! Must not scan scenario files (the app counts the demand) nor touch the
//! terminal, clap, JUnit or axum.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use crate::state::{Settled, StateError};
use crate::template::PoolSource;

use super::config::PoolConfig;
use super::state_link::StateLink;

/// Holds every pool of a run; shared by all its scenarios.
#[derive(Debug)]
pub(super) struct PoolHub {
    pools: BTreeMap<String, Pool>,
    /// Where marks persist; `None` keeps them in this process.
    state: Option<Arc<StateLink>>,
}

#[derive(Debug)]
struct Pool {
    config: PoolConfig,
    inner: Mutex<Handed>,
}

/// Tracks a pool's values in this run, by position.
#[derive(Debug, Default)]
struct Handed {
    /// Reserved for this run and not handed out, in the order to hand them out.
    ready: VecDeque<usize>,
    /// Handed out and not settled.
    out: Vec<usize>,
}

/// Explains why the pools could not be set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PoolError {
    /// A pool has too few unused values: what they came to and how to refill it.
    Empty(String),
    /// The state folder cannot be used.
    State(String),
}

impl PoolError {
    fn message(self) -> String {
        match self {
            PoolError::Empty(message) | PoolError::State(message) => message,
        }
    }
}

/// Says how the requests that carried a value ended, to settle it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Carried {
    /// A request carrying it got this status (the last answer, or the first 2xx).
    Answered(u16),
    /// No answer came back (timeout, connection error, interruption).
    Unanswered,
}

impl Carried {
    /// Returns what the answer means for the value.
    pub(super) fn settled(self) -> Settled {
        match self {
            Carried::Answered(status) if (200..300).contains(&status) => Settled::Used,
            Carried::Answered(status) if (400..500).contains(&status) && status != 408 && status != 429 => {
                Settled::Refused(status)
            }
            _ => Settled::Returned,
        }
    }
}

impl PoolHub {
    /// Prepares the pools and reserves each one's demand.
    ///
    /// # Errors
    /// Returns a message naming the pool, what its values came to and how to
    /// refill it, when one has fewer unused values than the files take; or
    /// why the state folder cannot be used.
    pub(super) fn new(configs: &[PoolConfig], state: Option<Arc<StateLink>>) -> Result<Self, PoolError> {
        let mut pools = BTreeMap::new();
        for config in configs {
            let ready: VecDeque<usize> = match &state {
                None if config.values.len() < config.demand => {
                    return Err(PoolError::Empty(empty_message(config, config.values.len(), None)));
                }
                None => (0..config.values.len()).collect(),
                Some(_) if config.demand == 0 => VecDeque::new(),
                Some(link) => reserve(link, config, config.demand)?.into(),
            };
            pools.insert(
                config.name.clone(),
                Pool {
                    config: config.clone(),
                    inner: Mutex::new(Handed {
                        ready,
                        out: Vec::new(),
                    }),
                },
            );
        }
        Ok(Self { pools, state })
    }

    /// Records how a handed-out value ended: used and refused values are
    /// never handed out again; returned ones go back to this run's pool.
    ///
    /// # Errors
    /// Returns why the state folder could not record it.
    pub(super) fn settle(&self, pool: &str, value: &str, settled: Settled) -> Result<(), String> {
        let Some(entry) = self.pools.get(pool) else {
            return Ok(());
        };
        let Some(position) = entry.config.values.iter().position(|v| v == value) else {
            return Ok(());
        };
        {
            let mut handed = entry.inner.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(at) = handed.out.iter().position(|p| *p == position) else {
                return Ok(());
            };
            handed.out.remove(at);
            if settled == Settled::Returned {
                // Still reserved for this run: another scenario may take it.
                handed.ready.push_front(position);
                return Ok(());
            }
        }
        match &self.state {
            Some(link) => link
                .dir()?
                .settle(pool, value, settled)
                .map_err(|e| format!("could not record the use of a `{pool}` value: {e}")),
            None => Ok(()),
        }
    }

    /// Gives back every value this run reserved and did not use.
    pub(super) fn release_all(&self) {
        let Some(link) = &self.state else { return };
        for (name, pool) in &self.pools {
            let positions: Vec<usize> = {
                let mut handed = pool.inner.lock().unwrap_or_else(PoisonError::into_inner);
                let mut all: Vec<usize> = handed.ready.drain(..).collect();
                all.append(&mut handed.out);
                all
            };
            if positions.is_empty() {
                continue;
            }
            if let Ok(dir) = link.dir() {
                for position in positions {
                    // A release that fails leaves the mark to this run's lease,
                    // which goes stale when the run ends: the value still comes back.
                    let _ = dir.settle(name, &pool.config.values[position], Settled::Returned);
                }
            }
        }
    }

    /// Lists every pool's name and values, to redact them.
    pub(super) fn values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pools.iter().flat_map(|(name, pool)| {
            pool.config
                .values
                .iter()
                .map(move |value| (name.as_str(), value.as_str()))
        })
    }
}

impl PoolSource for PoolHub {
    fn take(&self, name: &str) -> Result<String, String> {
        let Some(pool) = self.pools.get(name) else {
            let known: Vec<&str> = self.pools.keys().map(String::as_str).collect();
            return Err(if known.is_empty() {
                format!("no pool `{name}`: the environment declares no pools (`pools:` in scenario.yaml)")
            } else {
                format!("no pool `{name}`; the environment declares {}", known.join(", "))
            });
        };
        let mut handed = pool.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if handed.ready.is_empty()
            && let Some(link) = &self.state
        {
            // More takes than the files showed (a loop): reserve one more now.
            handed
                .ready
                .extend(reserve(link, &pool.config, 1).map_err(PoolError::message)?);
        }
        let Some(position) = handed.ready.pop_front() else {
            return Err(empty_message(&pool.config, 0, None));
        };
        handed.out.push(position);
        Ok(pool.config.values[position].clone())
    }
}

impl Drop for PoolHub {
    fn drop(&mut self) {
        self.release_all();
    }
}

/// Reserves `count` values of `config` in the state folder.
fn reserve(link: &StateLink, config: &PoolConfig, count: usize) -> Result<Vec<usize>, PoolError> {
    let values: Vec<&str> = config.values.iter().map(String::as_str).collect();
    match link
        .dir()
        .map_err(PoolError::State)?
        .reserve(&config.name, &values, count)
    {
        Ok(positions) => Ok(positions),
        Err(StateError::Empty {
            counts, available, ..
        }) => Err(PoolError::Empty(empty_message(
            &PoolConfig {
                demand: count,
                ..config.clone()
            },
            available,
            Some(counts),
        ))),
        Err(e) => Err(PoolError::State(e.to_string())),
    }
}

/// Says that a pool has too few unused values, what its values came to, and how to refill it.
fn empty_message(config: &PoolConfig, available: usize, counts: Option<crate::state::PoolCounts>) -> String {
    let name = &config.name;
    let total = config.values.len();
    let detail = match counts {
        Some(c) => format!(
            "{available} of its {total} value(s) unused: {} used, {} refused by the server, {} held by another run",
            c.used, c.refused, c.in_use
        ),
        None => format!("{available} of its {total} value(s) unused"),
    };
    format!(
        "pool `{name}` is empty: {} needed, {detail}. Add unused values: {}. `scenario state show` lists \
         what is used; `scenario state reset --pool {name}` forgets it",
        config.demand.max(1),
        config.refill
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(values: &[&str], demand: usize) -> PoolConfig {
        PoolConfig {
            name: "codes".into(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            demand,
            refill: "set CODES".into(),
        }
    }

    #[test]
    fn answers_settle_values_as_documented() {
        assert_eq!(Carried::Answered(200).settled(), Settled::Used);
        assert_eq!(Carried::Answered(204).settled(), Settled::Used);
        assert_eq!(Carried::Answered(401).settled(), Settled::Refused(401));
        assert_eq!(Carried::Answered(429).settled(), Settled::Returned);
        assert_eq!(Carried::Answered(408).settled(), Settled::Returned);
        assert_eq!(Carried::Answered(503).settled(), Settled::Returned);
        assert_eq!(Carried::Answered(302).settled(), Settled::Returned);
        assert_eq!(Carried::Unanswered.settled(), Settled::Returned);
    }

    #[test]
    fn in_memory_pools_hand_each_value_once_and_take_back_returned_ones() {
        let hub = PoolHub::new(&[config(&["a", "b"], 1)], None).unwrap();
        assert_eq!(hub.take("codes").unwrap(), "a");
        assert_eq!(hub.take("codes").unwrap(), "b");
        let err = hub.take("codes").unwrap_err();
        assert!(
            err.starts_with("pool `codes` is empty") && err.contains("set CODES"),
            "{err}"
        );
        hub.settle("codes", "a", Settled::Used).unwrap();
        hub.settle("codes", "b", Settled::Returned).unwrap();
        assert_eq!(hub.take("codes").unwrap(), "b");
        assert!(hub.take("other").unwrap_err().contains("declares codes"));
    }

    #[test]
    fn too_small_a_pool_stops_before_anything_is_taken() {
        let err = PoolHub::new(&[config(&["a"], 2)], None).unwrap_err().message();
        assert!(err.contains("2 needed, 1 of its 1 value(s) unused"), "{err}");
    }

    #[test]
    fn persisted_pools_reserve_up_front_and_give_back_unused_values() {
        let dir = tempfile::tempdir().unwrap();
        let link = || Some(Arc::new(StateLink::new(dir.path().to_path_buf())));
        let values = ["a", "b", "c"];
        let first = PoolHub::new(&[config(&values, 2)], link()).unwrap();
        let err = PoolHub::new(&[config(&values, 2)], link()).unwrap_err().message();
        assert!(err.contains("1 of its 3 value(s) unused"), "{err}");
        assert!(err.contains("2 held by another run"), "{err}");
        let second = PoolHub::new(&[config(&values, 1)], link()).unwrap();
        assert_eq!(second.take("codes").unwrap(), "c");
        assert_eq!(first.take("codes").unwrap(), "a");
        first.settle("codes", "a", Settled::Used).unwrap();
        drop(first);
        drop(second);
        let third = PoolHub::new(&[config(&values, 2)], link()).unwrap();
        let mut taken = vec![third.take("codes").unwrap(), third.take("codes").unwrap()];
        taken.sort();
        assert_eq!(taken, ["b", "c"], "`a` was used; `b` and `c` came back");
    }
}

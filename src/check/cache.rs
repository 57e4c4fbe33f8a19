//! Compiles regexes, JSONPath queries and JSON Schemas once per process and hands out the
//! compiled form, so an expectation evaluated on every attempt of every
//! scenario never compiles the same pattern twice.
//!
//! Bounded: past [`CAPACITY`] entries a cache is emptied and refilled, so a
//! run with endless distinct (templated) patterns cannot grow without end.
//! Must not evaluate anything.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;

use super::query::{JsonPathQuery, QueryError};

/// Bounds the entries of each cache.
pub(super) const CAPACITY: usize = 4096;

/// Holds compiled values by key.
pub(super) struct Cache<K, V> {
    entries: OnceLock<Mutex<HashMap<K, Arc<V>>>>,
}

impl<K: Eq + Hash, V> Cache<K, V> {
    /// Creates an empty cache (usable in a `static`).
    pub(super) const fn new() -> Self {
        Self {
            entries: OnceLock::new(),
        }
    }

    /// Returns the value for `key`, compiling it with `make` the first time.
    ///
    /// # Errors
    /// Returns what `make` returns when it fails; failures are not cached.
    pub(super) fn get_or_try<Q, E>(&self, key: &Q, make: impl FnOnce() -> Result<V, E>) -> Result<Arc<V>, E>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let map = self.entries.get_or_init(|| Mutex::new(HashMap::new()));
        if let Some(found) = map.lock().ok().and_then(|m| m.get(key).cloned()) {
            return Ok(found);
        }
        // Compiled outside the lock: a slow schema never blocks other checks.
        let made = Arc::new(make()?);
        if let Ok(mut m) = map.lock() {
            if m.len() >= CAPACITY {
                m.clear();
            }
            m.insert(key.to_owned(), Arc::clone(&made));
        }
        Ok(made)
    }
}

static REGEXES: Cache<String, Regex> = Cache::new();

/// Returns `pattern` compiled.
///
/// # Errors
/// Returns the regex crate's error when the pattern is invalid.
pub(super) fn regex(pattern: &str) -> Result<Arc<Regex>, regex::Error> {
    REGEXES.get_or_try(pattern, || Regex::new(pattern))
}

static QUERIES: Cache<String, JsonPathQuery> = Cache::new();

/// Returns the JSONPath `path` parsed; a path written once in a suite is
/// parsed once, however many scenarios and attempts evaluate it.
///
/// # Errors
/// Returns why the path does not parse.
pub(super) fn jsonpath(path: &str) -> Result<Arc<JsonPathQuery>, QueryError> {
    QUERIES.get_or_try(path, || JsonPathQuery::parse(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_once_and_reports_errors_each_time() {
        let a = regex("^a+$").unwrap();
        let b = regex("^a+$").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(regex("(").is_err());
        let cache: Cache<u32, u32> = Cache::new();
        for n in 0..(CAPACITY as u32 + 10) {
            assert_eq!(*cache.get_or_try(&n, || Ok::<_, ()>(n)).unwrap(), n);
        }
    }
}

//! Owns [`map_in_order`]: runs one pure function over many files on every
//! core and hands the results back in the files' order, so a suite of
//! thousands loads and validates in a fraction of the time one core takes.
//!
//! Must not know what it runs: loading and checking stay in their modules,
//! and the order of results (hence of diagnostics) never depends on timing.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Items one worker takes at a time: large enough that taking is cheap,
/// small enough that the cores finish together.
const CHUNK: usize = 16;

/// Below this many items one thread is faster than starting more.
const PARALLEL_FROM: usize = 64;

/// Stack of each worker: as much as the main thread has, so a file that
/// parses there parses on a worker too.
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// Returns `f` applied to every item, in the items' order, computed on up
/// to one thread per core.
pub(super) fn map_in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(items.len().div_ceil(CHUNK));
    if workers <= 1 || items.len() < PARALLEL_FROM {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= items.len() {
                break done;
            }
            let end = (start + CHUNK).min(items.len());
            done.extend((start..end).map(|i| (i, f(&items[i]))));
        }
    };
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        // The calling thread works too; a helper that could not start leaves
        // its share to the others.
        let mut results = vec![work()];
        for helper in helpers {
            match helper.join() {
                Ok(done) => results.push(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (index, result) in results.into_iter().flatten() {
            slots[index] = Some(result);
        }
    });
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_whatever_the_size() {
        for size in [0, 1, 63, 64, 65, 1_000] {
            let items: Vec<usize> = (0..size).collect();
            let doubled = map_in_order(&items, |n| n * 2);
            assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>(), "{size}");
        }
    }
}

//! Owns the budget of response-body bytes that every running scenario holds
//! at once: one shared count, so memory is bounded by the budget and not by
//! `--jobs` times the largest body one response may have.
//!
//! Must not know requests, steps or scenarios; the client reserves bytes as
//! chunks arrive, and a [`BodyLease`] gives them back when dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Caps the response bodies held by all running scenarios together.
pub const DEFAULT_BODIES_BUDGET: usize = 256 * 1024 * 1024;

/// Counts the body bytes held across the run against a limit.
#[derive(Debug)]
pub struct BodyBudget {
    limit: usize,
    held: AtomicUsize,
}

impl BodyBudget {
    /// Creates a budget of `limit` bytes shared by every response of a run.
    #[must_use]
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit,
            held: AtomicUsize::new(0),
        })
    }

    /// Returns the limit, in bytes.
    #[must_use]
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Returns how many bytes are held now.
    #[must_use]
    pub fn held(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }
}

/// Holds bytes of the budget for one response body; dropping it gives them back.
#[derive(Debug)]
pub struct BodyLease {
    budget: Arc<BodyBudget>,
    bytes: usize,
}

impl BodyLease {
    /// Starts an empty lease on `budget`.
    #[must_use]
    pub fn new(budget: &Arc<BodyBudget>) -> Self {
        Self {
            budget: Arc::clone(budget),
            bytes: 0,
        }
    }

    /// Reserves `more` bytes, or returns the limit when the run's bodies
    /// would then hold more than it (nothing is reserved then).
    ///
    /// # Errors
    /// Returns the budget's limit in bytes when it would be exceeded.
    pub fn grow(&mut self, more: usize) -> Result<(), usize> {
        let limit = self.budget.limit;
        // Added only if it fits, so a refused body never makes another one fail.
        self.budget
            .held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(more).filter(|total| *total <= limit)
            })
            .map_err(|_| limit)?;
        self.bytes += more;
        Ok(())
    }
}

impl Drop for BodyLease {
    fn drop(&mut self) {
        self.budget.held.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

/// Carries a lease inside a response that is cloned and compared: clones
/// share it (the bytes go back when the last one is dropped), and it never
/// makes two responses differ.
#[derive(Debug, Clone, Default)]
pub struct HeldBody(
    #[allow(dead_code, reason = "held only so that dropping it gives the bytes back")] Option<Arc<BodyLease>>,
);

impl HeldBody {
    /// Wraps `lease`.
    #[must_use]
    pub fn new(lease: BodyLease) -> Self {
        Self(Some(Arc::new(lease)))
    }
}

impl PartialEq for HeldBody {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for HeldBody {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leases_share_one_limit_and_give_bytes_back_when_dropped() {
        let budget = BodyBudget::new(100);
        let mut first = BodyLease::new(&budget);
        let mut second = BodyLease::new(&budget);
        first.grow(60).unwrap();
        assert_eq!(second.grow(50), Err(100));
        assert_eq!(budget.held(), 60);
        second.grow(40).unwrap();
        drop(first);
        assert_eq!(budget.held(), 40);
        let held = HeldBody::new(second);
        let copy = held.clone();
        drop(held);
        assert_eq!(budget.held(), 40);
        drop(copy);
        assert_eq!(budget.held(), 0);
    }
}

//! Declares what a run plugs into its templates from outside: the TOTP
//! history other runs left ([`TotpHistory`]) and the consumable pools
//! `take()` hands values out of ([`PoolSource`]).
//!
//! Traits only, so the template layer stays pure. Must not read files or the
//! environment itself: the engine implements these over the state folder.

use std::sync::Arc;

/// Remembers, beyond this process, which TOTP time steps were already used.
pub trait TotpHistory: Send + Sync {
    /// Claims the earliest time step from `earliest` on that no earlier run
    /// used for `secret` (raw bytes) and `period`, records it, and returns it.
    ///
    /// # Errors
    /// Returns why the history could not be read or written.
    fn claim(&self, secret: &[u8], period: u64, earliest: u64) -> Result<u64, String>;
}

/// Hands out the single-use values of the run's pools.
pub trait PoolSource: Send + Sync {
    /// Hands out an unused value of pool `name`, never the same one twice.
    ///
    /// # Errors
    /// Returns why none can be given: an unknown pool, or an empty one (and how to refill it).
    fn take(&self, name: &str) -> Result<String, String>;
}

/// Holds the hooks a run's templates use; each is optional.
#[derive(Clone, Default)]
pub struct TemplateHooks {
    /// Where TOTP steps used by earlier runs are remembered; without it,
    /// only this run's own codes are never replayed.
    pub totp_history: Option<Arc<dyn TotpHistory>>,
    /// Where `take()` gets values; without it, `take()` fails naming the pool.
    pub pools: Option<Arc<dyn PoolSource>>,
}

impl std::fmt::Debug for TemplateHooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplateHooks")
            .field("totp_history", &self.totp_history.is_some())
            .field("pools", &self.pools.is_some())
            .finish()
    }
}

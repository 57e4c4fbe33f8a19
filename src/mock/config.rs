//! Owns [`MockConfig`]: every behaviour of the mock that Circularo does not
//! document and that a test may want to switch, plus its validation.
//!
//! Holds plain values only. Must not act on them: the state and handlers read
//! them.

use std::time::Duration;

use super::MockError;

/// Decides which MFA factors must be unlocked before a token is usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MfaPolicy {
    /// Every factor of the account must be unlocked (the default).
    #[default]
    All,
    /// Any one unlocked factor unlocks the token.
    Any,
}

/// Sets the Argon2id cost used to hash seeded passwords and recovery codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    /// Memory in KiB (Argon2 `m`), at least 8.
    pub memory_kib: u32,
    /// Passes over memory (Argon2 `t`), at least 1.
    pub iterations: u32,
    /// Lanes (Argon2 `p`), at least 1.
    pub parallelism: u32,
}

impl HashCost {
    /// Returns a deliberately cheap cost (256 KiB, 1 pass, 1 lane) so the mock
    /// starts and logs in instantly; it protects only throw-away test secrets.
    #[must_use]
    pub const fn fast() -> Self {
        Self {
            memory_kib: 256,
            iterations: 1,
            parallelism: 1,
        }
    }

    /// Returns the OWASP-recommended Argon2id cost (19 MiB, 2 passes, 1 lane),
    /// for runs that want login timings close to a production server.
    #[must_use]
    pub const fn recommended() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }

    /// Returns the Argon2 parameters, or why they are out of range.
    pub(crate) fn params(self) -> Result<argon2::Params, MockError> {
        argon2::Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| MockError::InvalidConfig(format!("hash cost {self:?}: {e}")))
    }
}

impl Default for HashCost {
    fn default() -> Self {
        Self::fast()
    }
}

/// Configures the mock's undocumented behaviour; [`Default`] gives the
/// choices listed in `docs/mock.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockConfig {
    /// Argon2id cost for seeded passwords and recovery codes.
    pub hash_cost: HashCost,
    /// Answers `GET /login` with an invalid token by 401 instead of
    /// `200 {"logged": false, "isUnlocked": false}`.
    pub invalid_token_status_401: bool,
    /// Which factors must be unlocked.
    pub mfa_policy: MfaPolicy,
    /// How long a session token lives after its creation or last use.
    pub session_lifetime: Duration,
    /// How long an MFA challenge (its e-mail/SMS code) stays valid.
    pub mfa_code_lifetime: Duration,
    /// How many codes may be tried per factor and token.
    pub mfa_attempts: u32,
    /// How many failed recovery codes a token may send within
    /// [`MockConfig::recovery_failure_window`] before it gets 429.
    pub recovery_failure_limit: u32,
    /// The window over which recovery failures are counted.
    pub recovery_failure_window: Duration,
    /// Wraps each search hit as `{"document": {...}}`, as the OpenAPI schema
    /// literally reads, instead of the flat items the guides show.
    pub search_results_wrapped: bool,
    /// How many sent e-mail/SMS messages the outbox keeps (oldest dropped).
    pub outbox_limit: usize,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            hash_cost: HashCost::fast(),
            invalid_token_status_401: false,
            mfa_policy: MfaPolicy::All,
            session_lifetime: Duration::from_secs(30 * 24 * 60 * 60),
            mfa_code_lifetime: Duration::from_secs(10 * 60),
            mfa_attempts: 3,
            recovery_failure_limit: 5,
            recovery_failure_window: Duration::from_secs(15 * 60),
            search_results_wrapped: false,
            outbox_limit: 1000,
        }
    }
}

/// Holds a validated [`MockConfig`] in the units the state computes with.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) hash_params: argon2::Params,
    pub(crate) invalid_token_status_401: bool,
    pub(crate) mfa_policy: MfaPolicy,
    pub(crate) session_lifetime: time::Duration,
    pub(crate) mfa_code_lifetime: time::Duration,
    pub(crate) mfa_attempts: u32,
    pub(crate) recovery_failure_limit: u32,
    pub(crate) recovery_failure_window: time::Duration,
    pub(crate) search_results_wrapped: bool,
    pub(crate) outbox_limit: usize,
}

impl MockConfig {
    /// Checks every value and converts durations, so handlers never meet an
    /// impossible setting.
    pub(crate) fn validate(&self) -> Result<Settings, MockError> {
        let duration = |name: &str, value: Duration| -> Result<time::Duration, MockError> {
            match time::Duration::try_from(value) {
                Ok(d) if d.is_positive() && d < time::Duration::days(365 * 100) => Ok(d),
                _ => Err(MockError::InvalidConfig(format!(
                    "{name} must be more than zero and less than 100 years, got {value:?}"
                ))),
            }
        };
        if self.mfa_attempts == 0 {
            return Err(MockError::InvalidConfig("mfa_attempts must be at least 1".into()));
        }
        if self.recovery_failure_limit == 0 {
            return Err(MockError::InvalidConfig(
                "recovery_failure_limit must be at least 1".into(),
            ));
        }
        if self.outbox_limit == 0 {
            return Err(MockError::InvalidConfig("outbox_limit must be at least 1".into()));
        }
        Ok(Settings {
            hash_params: self.hash_cost.params()?,
            invalid_token_status_401: self.invalid_token_status_401,
            mfa_policy: self.mfa_policy,
            session_lifetime: duration("session_lifetime", self.session_lifetime)?,
            mfa_code_lifetime: duration("mfa_code_lifetime", self.mfa_code_lifetime)?,
            mfa_attempts: self.mfa_attempts,
            recovery_failure_limit: self.recovery_failure_limit,
            recovery_failure_window: duration("recovery_failure_window", self.recovery_failure_window)?,
            search_results_wrapped: self.search_results_wrapped,
            outbox_limit: self.outbox_limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid_and_matches_documented_lifetimes() {
        let settings = MockConfig::default().validate().unwrap();
        assert_eq!(settings.session_lifetime.whole_milliseconds(), 2_592_000_000);
        assert_eq!(settings.mfa_code_lifetime.whole_minutes(), 10);
        assert_eq!(settings.mfa_attempts, 3);
    }

    #[test]
    fn rejects_out_of_range_values() {
        let zero_attempts = MockConfig {
            mfa_attempts: 0,
            ..MockConfig::default()
        };
        assert!(matches!(
            zero_attempts.validate(),
            Err(MockError::InvalidConfig(_))
        ));
        let tiny_memory = MockConfig {
            hash_cost: HashCost {
                memory_kib: 1,
                iterations: 1,
                parallelism: 1,
            },
            ..MockConfig::default()
        };
        assert!(
            tiny_memory
                .validate()
                .unwrap_err()
                .to_string()
                .contains("hash cost")
        );
        let no_lifetime = MockConfig {
            session_lifetime: Duration::ZERO,
            ..MockConfig::default()
        };
        assert!(
            no_lifetime
                .validate()
                .unwrap_err()
                .to_string()
                .contains("session_lifetime")
        );
    }
}

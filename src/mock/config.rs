//! Owns [`MockConfig`]: every behaviour of the mock that Circularo does not
//! document and that a test may want to switch, its validation, and setting
//! or reading a switch by its name (`scenario.yaml`, `scenario mock` flags).
//!
//! Holds plain values only. Must not act on them: the state and handlers read
//! them. The switches' names and values live in `switches`.

use std::time::Duration;

use super::MockError;
use super::switches::{
    ErrorDetails, InvalidTokenStatus, LockedTokenStatus, MfaCodes, MfaPolicy, RequestIdFormat, SWITCHES,
    SearchResults, StatusToken, Switch, TokenFormat, TokenPrecedence, WrongCodeStatus, parse_value,
};

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
    /// How `GET /login` answers an invalid token: `200 {"logged": false,
    /// "isUnlocked": false}` or 401.
    pub invalid_token: InvalidTokenStatus,
    /// Which token counts when the query and the cookie both carry one.
    pub token_precedence: TokenPrecedence,
    /// The form of `requestId` in error bodies.
    pub request_id: RequestIdFormat,
    /// Whether e-mail and SMS codes are random or fixed per account.
    pub mfa_codes: MfaCodes,
    /// The status of an unlock call with a wrong code while attempts remain.
    pub wrong_mfa_code: WrongCodeStatus,
    /// The status a locked token gets on a protected endpoint.
    pub locked_token: LockedTokenStatus,
    /// The alphabet and length of session tokens.
    pub token_format: TokenFormat,
    /// Whether error bodies without details carry `"details": null`.
    pub error_details: ErrorDetails,
    /// Whether `GET /login` without `returnToken` includes the token.
    pub status_token: StatusToken,
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
    /// Flat search hits (the guides) or `{"document": {...}}` (the OpenAPI schema).
    pub search_results: SearchResults,
    /// How many sent e-mail/SMS messages the outbox keeps (oldest dropped).
    pub outbox_limit: usize,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            hash_cost: HashCost::fast(),
            invalid_token: InvalidTokenStatus::default(),
            token_precedence: TokenPrecedence::default(),
            request_id: RequestIdFormat::default(),
            mfa_codes: MfaCodes::default(),
            wrong_mfa_code: WrongCodeStatus::default(),
            locked_token: LockedTokenStatus::default(),
            token_format: TokenFormat::default(),
            error_details: ErrorDetails::default(),
            status_token: StatusToken::default(),
            mfa_policy: MfaPolicy::default(),
            session_lifetime: Duration::from_secs(30 * 24 * 60 * 60),
            mfa_code_lifetime: Duration::from_secs(10 * 60),
            mfa_attempts: 3,
            recovery_failure_limit: 5,
            recovery_failure_window: Duration::from_secs(15 * 60),
            search_results: SearchResults::default(),
            outbox_limit: 1000,
        }
    }
}

/// Holds a validated [`MockConfig`] in the units the state computes with.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) hash_params: argon2::Params,
    pub(crate) invalid_token: InvalidTokenStatus,
    pub(crate) token_precedence: TokenPrecedence,
    pub(crate) request_id: RequestIdFormat,
    pub(crate) mfa_codes: MfaCodes,
    pub(crate) wrong_mfa_code: WrongCodeStatus,
    pub(crate) locked_token: LockedTokenStatus,
    pub(crate) token_format: TokenFormat,
    pub(crate) error_details: ErrorDetails,
    pub(crate) status_token: StatusToken,
    pub(crate) mfa_policy: MfaPolicy,
    pub(crate) session_lifetime: time::Duration,
    pub(crate) mfa_code_lifetime: time::Duration,
    pub(crate) mfa_attempts: u32,
    pub(crate) recovery_failure_limit: u32,
    pub(crate) recovery_failure_window: time::Duration,
    pub(crate) search_results: SearchResults,
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
            invalid_token: self.invalid_token,
            token_precedence: self.token_precedence,
            request_id: self.request_id,
            mfa_codes: self.mfa_codes,
            wrong_mfa_code: self.wrong_mfa_code,
            locked_token: self.locked_token,
            token_format: self.token_format,
            error_details: self.error_details,
            status_token: self.status_token,
            mfa_policy: self.mfa_policy,
            session_lifetime: duration("session_lifetime", self.session_lifetime)?,
            mfa_code_lifetime: duration("mfa_code_lifetime", self.mfa_code_lifetime)?,
            mfa_attempts: self.mfa_attempts,
            recovery_failure_limit: self.recovery_failure_limit,
            recovery_failure_window: duration("recovery_failure_window", self.recovery_failure_window)?,
            search_results: self.search_results,
            outbox_limit: self.outbox_limit,
        })
    }

    /// Sets the switch `key` (as listed in [`SWITCHES`]) to the value named `value`.
    ///
    /// # Errors
    /// Returns [`MockError::InvalidConfig`] for an unknown switch (listing the
    /// known ones) or a value the switch does not take (listing its values).
    pub fn set_switch(&mut self, key: &str, value: &str) -> Result<(), MockError> {
        fn set<S: Switch>(field: &mut S, value: &str) -> Result<(), MockError> {
            *field = parse_value(value).map_err(MockError::InvalidConfig)?;
            Ok(())
        }
        match key {
            "invalid_token" => set(&mut self.invalid_token, value),
            "token_precedence" => set(&mut self.token_precedence, value),
            "request_id" => set(&mut self.request_id, value),
            "mfa_codes" => set(&mut self.mfa_codes, value),
            "wrong_mfa_code" => set(&mut self.wrong_mfa_code, value),
            "locked_token" => set(&mut self.locked_token, value),
            "token_format" => set(&mut self.token_format, value),
            "error_details" => set(&mut self.error_details, value),
            "status_token" => set(&mut self.status_token, value),
            "search_results" => set(&mut self.search_results, value),
            "mfa_policy" => set(&mut self.mfa_policy, value),
            _ => Err(MockError::InvalidConfig(format!(
                "unknown switch `{key}`; the switches are {}",
                SWITCHES.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
            ))),
        }
    }

    /// Returns every switch with its value here, in the order of [`SWITCHES`].
    #[must_use]
    pub fn switches(&self) -> Vec<(&'static str, &'static str)> {
        fn entry<S: Switch>(value: S) -> (&'static str, &'static str) {
            (S::KEY, value.label())
        }
        vec![
            entry(self.invalid_token),
            entry(self.token_precedence),
            entry(self.request_id),
            entry(self.mfa_codes),
            entry(self.wrong_mfa_code),
            entry(self.locked_token),
            entry(self.token_format),
            entry(self.error_details),
            entry(self.status_token),
            entry(self.search_results),
            entry(self.mfa_policy),
        ]
    }

    /// Returns the switches whose value is not the default, for banners and run headers.
    #[must_use]
    pub fn changed_switches(&self) -> Vec<(&'static str, &'static str)> {
        self.switches()
            .into_iter()
            .zip(SWITCHES)
            .filter(|((_, value), info)| *value != info.default_value())
            .map(|(entry, _)| entry)
            .collect()
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
    fn every_registered_switch_can_be_set_and_read_back_by_name() {
        let defaults = MockConfig::default();
        let keys: Vec<&str> = defaults.switches().iter().map(|(k, _)| *k).collect();
        let registered: Vec<&str> = SWITCHES.iter().map(|s| s.key).collect();
        assert_eq!(
            keys, registered,
            "switches() and SWITCHES list the same keys in order"
        );
        assert!(defaults.changed_switches().is_empty());
        for info in SWITCHES {
            assert_eq!(
                defaults
                    .switches()
                    .iter()
                    .find(|(k, _)| *k == info.key)
                    .unwrap()
                    .1,
                info.default_value()
            );
            for value in info.values {
                let mut config = MockConfig::default();
                config.set_switch(info.key, value).unwrap();
                assert!(
                    config.switches().contains(&(info.key, value)),
                    "{} = {value}",
                    info.key
                );
                let changed = config.changed_switches();
                assert_eq!(changed.is_empty(), *value == info.default_value(), "{changed:?}");
            }
        }
    }

    #[test]
    fn unknown_switches_and_values_are_refused_with_the_choices() {
        let mut config = MockConfig::default();
        let err = config
            .set_switch("invalid_tokens", "status-401")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown switch `invalid_tokens`") && err.contains("invalid_token,"),
            "{err}"
        );
        let err = config.set_switch("invalid_token", "401").unwrap_err().to_string();
        assert!(err.contains("`status-200` or `status-401`, not `401`"), "{err}");
        assert_eq!(config, MockConfig::default(), "a refused switch changes nothing");
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

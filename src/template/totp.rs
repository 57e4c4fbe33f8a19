//! Generates RFC 6238 codes and remembers, for one run, which (secret, time
//! step) codes were already handed out, so a step never sends a replayed code.
//! Beneath this in-process ledger, an optional [`TotpHistory`] remembers the
//! steps earlier runs used, so a second run in the same window waits too.
//!
//! Pure apart from the ledger's lock and the history it is handed. Must not
//! read the clock: the time comes from the caller.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use totp_rs::{Algorithm, Builder, Secret};

use super::hooks::TotpHistory;

/// Describes which code to generate: `totp(secret, digits=6, period=30, algorithm="SHA1")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TotpSpec {
    /// The shared secret, decoded from base32.
    pub(super) secret: Vec<u8>,
    /// 6, 7 or 8.
    pub(super) digits: u8,
    /// The time step in seconds.
    pub(super) period: u64,
    /// The HMAC hash.
    pub(super) algorithm: Algorithm,
}

impl TotpSpec {
    /// Parses the function's arguments, with RFC 6238's defaults for the ones not given.
    ///
    /// # Errors
    /// Returns a message for an empty or non-base32 secret, digits outside
    /// 6..=8, a zero period or an unknown algorithm.
    pub(super) fn parse(
        secret: &str,
        digits: Option<u8>,
        period: Option<u64>,
        algorithm: Option<&str>,
    ) -> Result<Self, String> {
        let digits = digits.unwrap_or(6);
        if !(6..=8).contains(&digits) {
            return Err(format!("totp: digits must be 6, 7 or 8, got {digits}"));
        }
        let period = period.unwrap_or(30);
        if period == 0 {
            return Err("totp: period must be at least 1 second".to_owned());
        }
        let algorithm = match algorithm {
            None => Algorithm::SHA1,
            Some(name) => parse_algorithm(name)
                .ok_or_else(|| format!("totp: unknown algorithm `{name}`; use SHA1, SHA256 or SHA512"))?,
        };
        Ok(Self {
            secret: decode_secret(secret)?,
            digits,
            period,
            algorithm,
        })
    }

    /// Returns the code valid during time step `step`.
    pub(super) fn code_at_step(&self, step: u64) -> String {
        // `build_noncompliant` so that short (under 128 bits) secrets, common in
        // test fixtures, still work; digits and period were checked in `parse`.
        Builder::new()
            .with_algorithm(self.algorithm)
            .with_digits(self.digits)
            .with_step_duration(self.period)
            .with_secret(Secret::from(self.secret.clone()))
            .build_noncompliant()
            .generate(step.saturating_mul(self.period))
            .to_string()
    }
}

fn parse_algorithm(name: &str) -> Option<Algorithm> {
    match name.to_ascii_uppercase().replace('-', "").as_str() {
        "SHA1" => Some(Algorithm::SHA1),
        "SHA256" => Some(Algorithm::SHA256),
        "SHA512" => Some(Algorithm::SHA512),
        _ => None,
    }
}

/// Decodes a base32 secret as authenticator apps show it: spaces, padding and
/// lowercase are tolerated.
fn decode_secret(secret: &str) -> Result<Vec<u8>, String> {
    let normalized: String = secret
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=' && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if normalized.is_empty() {
        return Err("totp: the secret is empty".to_owned());
    }
    Secret::try_from_base32(&normalized)
        .map(|secret| secret.as_bytes().to_vec())
        .map_err(|_| "totp: the secret is not valid base32 (letters A-Z and digits 2-7)".to_owned())
}

/// Identifies a code handed out: the same secret and step always give the same code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct UsedStep {
    secret: Vec<u8>,
    period: u64,
    step: u64,
}

/// Records the codes handed out during one run.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    used: Mutex<HashSet<UsedStep>>,
}

/// Carries a code and when it may be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Issued {
    /// The code.
    pub(super) code: String,
    /// The start of the code's time step, when that lies after `now`.
    pub(super) not_before: Option<SystemTime>,
    /// Whether an earlier run's use (not only this run's) moved the code on.
    pub(super) earlier_run: bool,
}

impl Ledger {
    /// Returns the code of the earliest time step, from the one containing
    /// `now` onwards, whose code neither this run nor (through `history`) an
    /// earlier run has handed out yet, and marks it used in both.
    ///
    /// # Errors
    /// Returns the history's message when it cannot be read or written: a
    /// code that cannot be recorded is not handed out.
    pub(super) fn issue(
        &self,
        spec: &TotpSpec,
        now: SystemTime,
        history: Option<&dyn TotpHistory>,
    ) -> Result<Issued, String> {
        let current = unix_seconds(now) / spec.period;
        // Held across the history's claim, so two renders of this run never
        // claim the same step in between.
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let mut step = current;
        let mut earlier_run = false;
        loop {
            let key = |step| UsedStep {
                secret: spec.secret.clone(),
                period: spec.period,
                step,
            };
            if used.contains(&key(step)) {
                step += 1;
                continue;
            }
            if let Some(history) = history {
                let claimed = history
                    .claim(&spec.secret, spec.period, step)
                    .map_err(|e| format!("totp: {e}"))?;
                if claimed != step {
                    earlier_run = true;
                    step = claimed;
                    if used.contains(&key(step)) {
                        continue;
                    }
                }
            }
            used.insert(key(step));
            break;
        }
        drop(used);
        let not_before =
            (step > current).then(|| UNIX_EPOCH + Duration::from_secs(step.saturating_mul(spec.period)));
        Ok(Issued {
            code: spec.code_at_step(step),
            not_before,
            earlier_run: earlier_run && not_before.is_some(),
        })
    }
}

/// Returns whole seconds since the Unix epoch; 0 for times before it.
pub(super) fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 6238 Appendix B seeds, as base32 (20, 32 and 64 ASCII bytes).
    fn rfc_seed(algorithm: &str) -> String {
        let ascii = match algorithm {
            "SHA1" => "12345678901234567890".to_owned(),
            "SHA256" => "12345678901234567890123456789012".to_owned(),
            _ => "1234567890".repeat(6) + "1234",
        };
        Secret::from(ascii.into_bytes()).to_base32()
    }

    #[test]
    fn matches_rfc_6238_appendix_b() {
        let vectors = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ];
        for (time, sha1, sha256, sha512) in vectors {
            for (algorithm, expected) in [("SHA1", sha1), ("SHA256", sha256), ("SHA512", sha512)] {
                let spec = TotpSpec::parse(&rfc_seed(algorithm), Some(8), None, Some(algorithm)).unwrap();
                assert_eq!(spec.code_at_step(time / 30), expected, "{algorithm} at {time}");
            }
        }
    }

    #[test]
    fn six_digits_keep_leading_zeros() {
        let spec = TotpSpec::parse(&rfc_seed("SHA1"), None, None, None).unwrap();
        assert_eq!(spec.code_at_step(1_111_111_111 / 30), "050471");
    }

    #[test]
    fn tolerates_spaces_padding_and_lowercase() {
        let secret = rfc_seed("SHA1").to_lowercase();
        let spaced: String = secret
            .chars()
            .enumerate()
            .flat_map(|(i, c)| (i % 4 == 0 && i > 0).then_some(' ').into_iter().chain([c]))
            .collect();
        let spec = TotpSpec::parse(&format!("{spaced}===="), None, None, None).unwrap();
        assert_eq!(spec.secret, b"12345678901234567890");
    }

    #[test]
    fn accepts_short_secrets() {
        let spec = TotpSpec::parse("JBSWY3DP", None, None, None).unwrap();
        assert_eq!(spec.code_at_step(0).len(), 6);
    }

    #[test]
    fn rejects_bad_arguments() {
        let parse = |secret, digits, period, algorithm| {
            TotpSpec::parse(secret, digits, period, algorithm).unwrap_err()
        };
        assert_eq!(parse("", None, None, None), "totp: the secret is empty");
        assert!(parse("not base32!", None, None, None).starts_with("totp: the secret is not valid base32"));
        assert_eq!(
            parse("JBSWY3DP", Some(9), None, None),
            "totp: digits must be 6, 7 or 8, got 9"
        );
        assert_eq!(
            parse("JBSWY3DP", None, Some(0), None),
            "totp: period must be at least 1 second"
        );
        assert_eq!(
            parse("JBSWY3DP", None, None, Some("md5")),
            "totp: unknown algorithm `md5`; use SHA1, SHA256 or SHA512"
        );
        assert!(TotpSpec::parse("JBSWY3DP", None, None, Some("sha-256")).is_ok());
    }

    #[test]
    fn hands_out_the_next_step_when_the_current_one_was_used() {
        let spec = TotpSpec::parse(&rfc_seed("SHA1"), None, None, None).unwrap();
        let ledger = Ledger::default();
        let now = UNIX_EPOCH + Duration::from_secs(1_111_111_111);
        let first = ledger.issue(&spec, now, None).unwrap();
        assert_eq!(
            first,
            Issued {
                code: "050471".to_owned(),
                not_before: None,
                earlier_run: false,
            }
        );
        let second = ledger.issue(&spec, now, None).unwrap();
        let next_step_start = UNIX_EPOCH + Duration::from_secs(1_111_111_111 / 30 * 30 + 30);
        assert_eq!(second.code, spec.code_at_step(1_111_111_111 / 30 + 1));
        assert_eq!(second.not_before, Some(next_step_start));
        assert!(!second.earlier_run, "this run used the window");
        let third = ledger.issue(&spec, now, None).unwrap();
        assert_eq!(third.not_before, Some(next_step_start + Duration::from_secs(30)));
    }

    #[test]
    fn keeps_secrets_apart() {
        let ledger = Ledger::default();
        let now = UNIX_EPOCH + Duration::from_secs(90);
        let a = TotpSpec::parse("JBSWY3DP", None, None, None).unwrap();
        let b = TotpSpec::parse("KRSXG5CT", None, None, None).unwrap();
        assert_eq!(ledger.issue(&a, now, None).unwrap().not_before, None);
        assert_eq!(ledger.issue(&b, now, None).unwrap().not_before, None);
    }

    /// Remembers claimed steps the way another process's state folder would.
    #[derive(Default)]
    struct Remembered(Mutex<HashSet<(Vec<u8>, u64, u64)>>);

    impl TotpHistory for Remembered {
        fn claim(&self, secret: &[u8], period: u64, earliest: u64) -> Result<u64, String> {
            let mut used = self.0.lock().unwrap();
            let mut step = earliest;
            while !used.insert((secret.to_vec(), period, step)) {
                step += 1;
            }
            Ok(step)
        }
    }

    #[test]
    fn a_window_an_earlier_run_used_waits_for_the_next_and_says_why() {
        let spec = TotpSpec::parse(&rfc_seed("SHA1"), None, None, None).unwrap();
        let history = Remembered::default();
        let now = UNIX_EPOCH + Duration::from_secs(1_111_111_111);
        let earlier_run = Ledger::default();
        let first = earlier_run.issue(&spec, now, Some(&history)).unwrap();
        assert_eq!((first.not_before, first.earlier_run), (None, false));
        let this_run = Ledger::default();
        let second = this_run.issue(&spec, now, Some(&history)).unwrap();
        assert_eq!(second.code, spec.code_at_step(1_111_111_111 / 30 + 1));
        assert!(second.earlier_run && second.not_before.is_some());
        let third = this_run.issue(&spec, now, Some(&history)).unwrap();
        assert_eq!(third.code, spec.code_at_step(1_111_111_111 / 30 + 2));
    }

    #[test]
    fn a_history_that_fails_hands_out_no_code() {
        struct Broken;
        impl TotpHistory for Broken {
            fn claim(&self, _: &[u8], _: u64, _: u64) -> Result<u64, String> {
                Err("the state folder is read-only".to_owned())
            }
        }
        let spec = TotpSpec::parse("JBSWY3DP", None, None, None).unwrap();
        let err = Ledger::default()
            .issue(&spec, UNIX_EPOCH, Some(&Broken))
            .unwrap_err();
        assert_eq!(err, "totp: the state folder is read-only");
    }
}

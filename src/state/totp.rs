//! Owns the persisted TOTP ledger: for each (secret, period), the latest time
//! step whose code any run handed out, so a later run never replays it. A
//! server refuses a code at or before the last one it accepted (RFC 6238
//! §5.2), so one step number per secret is all there is to keep.
//!
//! Must not generate codes or read the clock's meaning (the caller passes the
//! step it would use), and must not store the secret: only its fingerprint.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::StateError;
use super::file::{TotpMark, timestamp};
use super::fingerprint::Fingerprint;
use super::folder::StateDir;

/// How long an entry is kept after its window ended; older ones can never
/// delay a code again.
const KEEP_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// Describes one entry of the ledger, for `scenario state show`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpEntry {
    /// The fingerprint of the secret and period.
    pub fingerprint: Fingerprint,
    /// The time step in seconds.
    pub period: u64,
    /// When the window of the latest code handed out starts.
    pub last_window: SystemTime,
    /// When it was handed out (RFC 3339).
    pub at: String,
}

impl StateDir {
    /// Claims the earliest time step from `earliest` on that no run used for
    /// `secret` and `period`, records it, and returns it.
    ///
    /// # Errors
    /// Returns [`StateError`] when the folder cannot be read or written.
    pub fn claim_totp_step(
        &self,
        secret: &[u8],
        period: u64,
        earliest: u64,
        now: SystemTime,
    ) -> Result<u64, StateError> {
        let fingerprint = self.fingerprint("totp", &[secret, &period.to_be_bytes()]);
        self.transact(|state| {
            let claimed = match state.totp.get(fingerprint.as_str()) {
                Some(mark) if mark.last_step >= earliest => mark.last_step + 1,
                _ => earliest,
            };
            state.totp.insert(
                fingerprint.as_str().to_owned(),
                TotpMark {
                    period,
                    last_step: claimed,
                    at: timestamp(now),
                },
            );
            state.totp.retain(|_, mark| !expired(mark, now));
            claimed
        })
    }

    /// Lists the ledger's entries, latest window first.
    ///
    /// # Errors
    /// Returns [`StateError`] when the folder cannot be read.
    pub fn totp_entries(&self) -> Result<Vec<TotpEntry>, StateError> {
        let state = self.read()?;
        let mut entries: Vec<TotpEntry> = state
            .totp
            .iter()
            .map(|(fingerprint, mark)| TotpEntry {
                fingerprint: Fingerprint::from_stored(fingerprint),
                period: mark.period,
                last_window: window_start(mark),
                at: mark.at.clone(),
            })
            .collect();
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.last_window));
        Ok(entries)
    }
}

fn window_start(mark: &TotpMark) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(mark.last_step.saturating_mul(mark.period))
}

/// Tells whether an entry's window ended long enough ago to forget it.
fn expired(mark: &TotpMark, now: SystemTime) -> bool {
    let window_end = window_start(mark) + Duration::from_secs(mark.period);
    now.duration_since(window_end).is_ok_and(|since| since > KEEP_FOR)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn a_step_used_by_an_earlier_run_moves_the_next_claim_on() {
        let dir = tempfile::tempdir().unwrap();
        let first = StateDir::open_for_run(dir.path()).unwrap();
        assert_eq!(first.claim_totp_step(b"secret", 30, 100, at(3000)).unwrap(), 100);
        drop(first);
        let second = StateDir::open_for_run(dir.path()).unwrap();
        assert_eq!(second.claim_totp_step(b"secret", 30, 100, at(3001)).unwrap(), 101);
        assert_eq!(second.claim_totp_step(b"secret", 30, 100, at(3001)).unwrap(), 102);
        assert_eq!(
            second.claim_totp_step(b"secret", 30, 200, at(6000)).unwrap(),
            200,
            "a later window is free"
        );
        assert_eq!(
            second.claim_totp_step(b"other", 30, 100, at(3001)).unwrap(),
            100,
            "secrets are apart"
        );
        assert_eq!(
            second.claim_totp_step(b"secret", 60, 50, at(3001)).unwrap(),
            50,
            "periods are apart"
        );
    }

    #[test]
    fn old_entries_are_forgotten_and_the_secret_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open_for_run(dir.path()).unwrap();
        state
            .claim_totp_step(b"JBSWY3DPEHPK3PXP", 30, 10, at(300))
            .unwrap();
        state
            .claim_totp_step(b"KRSXG5CTKRSXG5CT", 30, 10_000, at(300_000))
            .unwrap();
        let entries = state.totp_entries().unwrap();
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert_eq!(entries[0].last_window, at(300_000));
        let text = std::fs::read_to_string(dir.path().join("state.json")).unwrap();
        assert!(!text.contains("KRSXG5CT") && !text.contains("JBSWY3DP"), "{text}");
    }
}

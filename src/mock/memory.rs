//! Owns [`State`], the mock's changing memory that lives behind one mutex:
//! the clock offset, sessions by token, the outbox, the newest TOTP step
//! accepted per account and which recovery codes were used.
//!
//! Must not lock, hash or know HTTP: `state` holds the mutex and applies the
//! rules; this file only keeps the values and answers simple questions.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::crypto;
use super::directory::Directory;
use super::outbox::Outbox;
use super::session::Session;
use super::switches::TokenFormat;

/// Holds everything that changes while the mock runs.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) clock_offset: time::Duration,
    pub(crate) sessions: HashMap<String, Session>,
    pub(crate) outbox: Outbox,
    /// The newest TOTP time step accepted per account; older or equal steps are replays.
    pub(crate) totp_last_step: HashMap<usize, u64>,
    /// Per account, which recovery codes were consumed.
    pub(crate) recovery_used: Vec<Vec<bool>>,
}

impl State {
    /// Returns the memory of a mock that just started: no session, no message,
    /// every recovery code unused, the real time.
    pub(crate) fn fresh(directory: &Directory) -> Self {
        Self {
            clock_offset: time::Duration::ZERO,
            sessions: HashMap::new(),
            outbox: Outbox::default(),
            totp_last_step: HashMap::new(),
            recovery_used: directory
                .accounts()
                .iter()
                .map(|a| vec![false; a.recovery_code_count()])
                .collect(),
        }
    }

    /// Returns the mock's current time: real time plus the test offset, in whole milliseconds.
    pub(crate) fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc() + self.clock_offset;
        now.replace_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000)
            .unwrap_or(now)
    }

    /// Returns the live session for `token`, refreshing its sliding expiry;
    /// drops it when it has expired.
    pub(crate) fn live_session(
        &mut self,
        token: &str,
        now: OffsetDateTime,
        lifetime: time::Duration,
    ) -> Option<&mut Session> {
        let expired = now >= self.sessions.get(token)?.last_used + lifetime;
        if expired {
            self.sessions.remove(token);
            return None;
        }
        let session = self.sessions.get_mut(token)?;
        session.last_used = now;
        Some(session)
    }

    /// Drops every session expired at `now`.
    pub(crate) fn sweep_sessions(&mut self, now: OffsetDateTime, lifetime: time::Duration) {
        self.sessions.retain(|_, s| now < s.last_used + lifetime);
    }

    /// Returns a random token in `format` that no session uses.
    pub(crate) fn unused_token(&self, format: TokenFormat) -> Result<String, getrandom::Error> {
        loop {
            let candidate = crypto::random_token(format)?;
            if !self.sessions.contains_key(&candidate) {
                return Ok(candidate);
            }
        }
    }

    /// Returns how many of `account`'s recovery codes are still unused.
    pub(crate) fn recovery_codes_left(&self, account: usize) -> usize {
        self.recovery_used
            .get(account)
            .map_or(0, |used| used.iter().filter(|u| !**u).count())
    }
}

//! Owns [`Mock`]: everything the handlers share (settings, the accounts, the
//! changing memory behind one mutex) and every operation that reads or changes
//! that memory: opening, reading and ending sessions, unlocking factors,
//! recovery attempts, the outbox, the clock, reset and the account list.
//!
//! Knows no HTTP parsing: handlers hand it checked values and get back views
//! or [`ApiError`]s. Must not run expensive hashing while the mutex is held.

use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::http::StatusCode;
use serde_json::json;
use time::OffsetDateTime;

use super::account::{Factor, SEARCH_RIGHT};
use super::api_error::{ApiError, FieldProblem};
use super::config::Settings;
use super::crypto::CodeDigest;
use super::directory::{Account, Directory};
use super::memory::State;
use super::mfa;
use super::outbox::{OutboxFilter, OutboxMessage};
use super::recovery::{self, RecoveryCheck, RecoveryOutcome};
use super::session::{Session, SessionView};
use super::switches::{MfaCodes, WrongCodeStatus};
use super::{MockConfig, MockError, Seed};

/// How many sessions may pile up before expired ones are swept.
const SESSION_SWEEP_THRESHOLD: usize = 4096;

/// Holds everything the handlers share: settings, accounts, state.
#[derive(Debug)]
pub(crate) struct Mock {
    pub(crate) settings: Settings,
    /// Every switch by name, for `GET /__mock/switches`.
    pub(crate) switches: Vec<(&'static str, &'static str)>,
    pub(crate) directory: Directory,
    state: Mutex<State>,
}

impl Mock {
    /// Validates `config`, hashes the seed's secrets and returns a fresh mock.
    pub(crate) fn build(config: &MockConfig, seed: Seed) -> Result<Self, MockError> {
        let settings = config.validate()?;
        let seed = match settings.mfa_codes {
            MfaCodes::Random => seed,
            MfaCodes::Fixed => seed.with_fixed_codes(),
        };
        let directory = Directory::build(seed, &settings)?;
        let state = Mutex::new(State::fresh(&directory));
        Ok(Self {
            settings,
            switches: config.switches(),
            directory,
            state,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not take the whole mock down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Returns the mock's current time.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.lock().now()
    }

    /// Returns the account at `index`, which a session or a lookup gave.
    pub(crate) fn account(&self, index: usize) -> Result<&Account, ApiError> {
        self.directory
            .get(index)
            .ok_or_else(|| ApiError::internal("unknown account"))
    }

    fn view(&self, token: &str, session: &Session) -> SessionView {
        SessionView::of(token, session, self.settings.mfa_policy)
    }

    /// Creates a session for `account`; an MFA account gets a locked token and
    /// its e-mail/SMS codes go to the outbox at once.
    pub(crate) fn create_session(&self, account: usize) -> Result<SessionView, ApiError> {
        let profile = self.account(account)?;
        let random_failed = |e: getrandom::Error| ApiError::internal(format!("random source failed: {e}"));
        let mut state = self.lock();
        let now = state.now();
        if state.sessions.len() >= SESSION_SWEEP_THRESHOLD {
            state.sweep_sessions(now, self.settings.session_lifetime);
        }
        let token = state
            .unused_token(self.settings.token_format)
            .map_err(random_failed)?;
        let challenges = mfa::open_challenges(profile, &self.settings, now).map_err(random_failed)?;
        for challenge in &challenges {
            if let (Some(code), Some(address)) = (&challenge.code, &challenge.address) {
                let message = OutboxMessage {
                    name: profile.profile.name.clone(),
                    factor: challenge.factor,
                    address: address.clone(),
                    code: code.clone(),
                    token: token.clone(),
                    sent_at: now,
                };
                state.outbox.send(message, self.settings.outbox_limit);
            }
        }
        let session = Session {
            account,
            last_used: now,
            challenges,
            recovery_failures: Vec::new(),
        };
        let view = self.view(&token, &session);
        state.sessions.insert(token, session);
        Ok(view)
    }

    /// Returns the session behind `token` (refreshing its expiry), or `None`
    /// when the token is unknown, expired or logged out.
    pub(crate) fn session(&self, token: &str) -> Option<SessionView> {
        let mut state = self.lock();
        let now = state.now();
        let session = state.live_session(token, now, self.settings.session_lifetime)?;
        let session = session.clone();
        Some(self.view(token, &session))
    }

    /// Checks MFA codes for `token`. Right codes unlock their factor, wrong
    /// ones cost an attempt (and, under `wrong_mfa_code: status-401`, make the
    /// answer a 401); exhausted or expired factors refuse the whole call.
    pub(crate) fn unlock(&self, token: &str, attempts: &[(Factor, String)]) -> Result<SessionView, ApiError> {
        let mut guard = self.lock();
        let now = guard.now();
        if guard
            .live_session(token, now, self.settings.session_lifetime)
            .is_none()
        {
            return Err(ApiError::token_invalid(
                "Incorrect or missing authentication token was specified.",
            ));
        }
        let State {
            sessions,
            totp_last_step,
            ..
        } = &mut *guard;
        let session = sessions
            .get_mut(token)
            .ok_or_else(|| ApiError::internal("session vanished"))?;
        if !session.is_unlocked(self.settings.mfa_policy) {
            mfa::refuse_attempts(session, attempts, now)?;
            let account = self.account(session.account)?;
            let wrong = mfa::try_codes(session, account, attempts, now, totp_last_step);
            if self.settings.wrong_mfa_code == WrongCodeStatus::Status401
                && let Some(factor) = wrong.first()
            {
                let left = session
                    .challenges
                    .iter()
                    .find(|c| c.factor == *factor)
                    .map_or(0, |c| c.attempts_left);
                return Err(mfa::wrong_code_refused(*factor, left));
            }
        }
        let session = session.clone();
        Ok(self.view(token, &session))
    }

    /// Checks that `token` may try a recovery code now, and returns what the
    /// code must be hashed with (outside the lock).
    pub(crate) fn recovery_begin(&self, token: &str) -> Result<RecoveryCheck, ApiError> {
        let mut guard = self.lock();
        let state = &mut *guard;
        let now = state.now();
        let session = self.recovery_session(state, token, now)?;
        let account = self.account(session.account)?;
        Ok(RecoveryCheck {
            hasher: account.recovery_hasher().cloned(),
        })
    }

    /// Finishes a recovery attempt with the candidate's digest (`None` when the
    /// account has no codes): consumes a matching unused code and unlocks every
    /// factor, or records a failure.
    pub(crate) fn recovery_finish(
        &self,
        token: &str,
        digest: Option<CodeDigest>,
    ) -> Result<RecoveryOutcome, ApiError> {
        let mut guard = self.lock();
        let state = &mut *guard;
        let now = state.now();
        // Checked again: the token may have been unlocked, logged out or
        // rate-limited while the code was being hashed.
        let account_index = self.recovery_session(state, token, now)?.account;
        let account = self.account(account_index)?;
        let remaining = recovery::consume(digest, account, state.recovery_used.get_mut(account_index));
        let session = state
            .sessions
            .get_mut(token)
            .ok_or_else(|| ApiError::internal("session vanished"))?;
        match remaining {
            Some(remaining) => {
                for challenge in &mut session.challenges {
                    challenge.unlocked = true;
                }
                Ok(RecoveryOutcome {
                    remaining,
                    created_on: account.profile.recovery_codes_created_on,
                })
            }
            None => {
                session.recovery_failures.push(now);
                Err(recovery::code_invalid())
            }
        }
    }

    /// Returns the live, locked, not rate-limited session for a recovery attempt.
    fn recovery_session<'s>(
        &self,
        state: &'s mut State,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<&'s mut Session, ApiError> {
        let session = state
            .live_session(token, now, self.settings.session_lifetime)
            .ok_or_else(|| ApiError::token_invalid("Authentication failed."))?;
        if session.is_unlocked(self.settings.mfa_policy) {
            return Err(ApiError::invalid_input(
                "Invalid request.",
                vec![FieldProblem::new("token", "the token is not locked")],
            ));
        }
        recovery::throttle(session, &self.settings, now)?;
        Ok(session)
    }

    /// Returns the account behind `token` if it may search: live, unlocked,
    /// and holding `use_document_management`.
    pub(crate) fn search_account(&self, token: &str) -> Result<usize, ApiError> {
        let view = self
            .session(token)
            .ok_or_else(|| ApiError::token_invalid("Authentication failed."))?;
        if !view.unlocked {
            return Err(ApiError::token_locked(self.settings.locked_token));
        }
        let account = self.account(view.account)?;
        if !account.profile.has_right(SEARCH_RIGHT) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "AUTH:ACCESS_DENIED",
                format!("Insufficient permissions: the right {SEARCH_RIGHT} is required."),
            ));
        }
        Ok(view.account)
    }

    /// Ends the session behind `token` only; other sessions stay valid.
    pub(crate) fn logout(&self, token: &str) -> Result<(), ApiError> {
        let mut state = self.lock();
        let now = state.now();
        if state
            .live_session(token, now, self.settings.session_lifetime)
            .is_none()
        {
            return Err(ApiError::token_invalid(
                "No valid authentication token was provided.",
            ));
        }
        state.sessions.remove(token);
        Ok(())
    }

    /// Returns the sent messages matching `filter`, newest first.
    pub(crate) fn outbox(&self, filter: &OutboxFilter) -> Vec<OutboxMessage> {
        self.lock().outbox.newest_first(filter)
    }

    /// Moves the mock's clock forward and returns the new time.
    pub(crate) fn advance_clock(&self, seconds: u64) -> Result<OffsetDateTime, ApiError> {
        let mut state = self.lock();
        let step = i64::try_from(seconds).ok().map(time::Duration::seconds);
        let offset = step.and_then(|s| state.clock_offset.checked_add(s));
        let now = offset.and_then(|o| OffsetDateTime::now_utc().checked_add(o));
        match (offset, now) {
            (Some(offset), Some(_)) => {
                state.clock_offset = offset;
                Ok(state.now())
            }
            _ => Err(ApiError::invalid_input(
                "The clock cannot move that far.",
                vec![FieldProblem::new("advanceSeconds", "too large")],
            )),
        }
    }

    /// Puts sessions, outbox, used codes and the clock back to the seed state.
    pub(crate) fn reset(&self) {
        *self.lock() = State::fresh(&self.directory);
    }

    /// Returns the seeded accounts without secrets, with recovery codes left.
    pub(crate) fn accounts_summary(&self) -> serde_json::Value {
        let state = self.lock();
        let accounts: Vec<_> = self
            .directory
            .accounts()
            .iter()
            .enumerate()
            .map(|(index, a)| {
                let a = &a.profile;
                json!({
                    "name": a.name,
                    "tenant": a.tenant,
                    "factors": a.factors.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                    "status": a.status.as_str(),
                    "canSearch": a.has_right(SEARCH_RIGHT),
                    "recoveryCodesLeft": state.recovery_codes_left(index),
                    "documents": a.documents.len(),
                })
            })
            .collect();
        json!({ "accounts": accounts })
    }
}

//! Owns the mock's memory: the hashed accounts (fixed at start) and the
//! changing state behind one mutex (sessions, outbox, used TOTP steps, used
//! recovery codes, clock offset), with every rule that changes it.
//!
//! Knows no HTTP parsing: handlers hand it checked values and get back views
//! or [`ApiError`]s. Expensive hashing never runs while the mutex is held.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::http::StatusCode;
use serde_json::json;
use time::OffsetDateTime;

use super::api_error::{ApiError, FieldProblem};
use super::config::{MfaPolicy, Settings};
use super::crypto::{self, CodeDigest, CodeHasher};
use super::seed::{AccountSeed, AccountStatus, Credential, DocumentSeed, Factor, SEARCH_RIGHT, Seed};
use super::{MockConfig, MockError};

/// The password the dummy hash is made of; only its cost matters.
const DUMMY_PASSWORD: &str = "no account has this password";

/// How many sessions may pile up before expired ones are swept.
const SESSION_SWEEP_THRESHOLD: usize = 4096;

/// Holds one seeded account with its secrets hashed.
#[derive(Debug)]
pub(crate) struct Account {
    pub(crate) name: String,
    pub(crate) tenant: String,
    pub(crate) fullname: String,
    pub(crate) mail: String,
    pub(crate) phone: Option<String>,
    pub(crate) role: String,
    pub(crate) status: AccountStatus,
    pub(crate) rights: Vec<String>,
    pub(crate) factors: Vec<Factor>,
    /// Newest first, the order search answers in.
    pub(crate) documents: Vec<DocumentSeed>,
    pub(crate) recovery_codes_created_on: OffsetDateTime,
    pub(crate) mfa_code: Option<String>,
    password_hash: String,
    totp: Option<totp_rs::Totp>,
    recovery: Option<RecoveryCodes>,
}

/// Holds an account's recovery codes as Argon2id digests.
#[derive(Debug)]
struct RecoveryCodes {
    hasher: CodeHasher,
    digests: Vec<CodeDigest>,
}

impl Account {
    /// Returns whether the account holds `right`.
    pub(crate) fn has_right(&self, right: &str) -> bool {
        self.rights.iter().any(|r| r == right)
    }

    /// Returns the destination of an e-mail or SMS code.
    fn address(&self, factor: Factor) -> Option<String> {
        match factor {
            Factor::Email => Some(self.mail.clone()),
            Factor::Sms => self.phone.clone(),
            Factor::Totp => None,
        }
    }

    /// Returns how many recovery codes the account was seeded with.
    fn recovery_code_count(&self) -> usize {
        self.recovery.as_ref().map_or(0, |r| r.digests.len())
    }
}

/// Describes one pending or passed second factor of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub(crate) factor: Factor,
    /// The full destination (e-mail or phone); `None` for TOTP.
    pub(crate) address: Option<String>,
    /// The code sent by e-mail/SMS; `None` for TOTP.
    code: Option<String>,
    pub(crate) attempts_left: u32,
    pub(crate) unlocked: bool,
    pub(crate) valid_until: OffsetDateTime,
}

#[derive(Debug, Clone)]
struct Session {
    account: usize,
    last_used: OffsetDateTime,
    challenges: Vec<Challenge>,
    recovery_failures: Vec<OffsetDateTime>,
}

impl Session {
    fn is_unlocked(&self, policy: MfaPolicy) -> bool {
        self.challenges.is_empty()
            || match policy {
                MfaPolicy::All => self.challenges.iter().all(|c| c.unlocked),
                MfaPolicy::Any => self.challenges.iter().any(|c| c.unlocked),
            }
    }
}

/// Describes a session as handlers show it.
#[derive(Debug, Clone)]
pub(crate) struct SessionView {
    pub(crate) token: String,
    pub(crate) account: usize,
    pub(crate) last_used: OffsetDateTime,
    pub(crate) unlocked: bool,
    pub(crate) challenges: Vec<Challenge>,
}

/// Describes one e-mail or SMS the mock "sent".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutboxMessage {
    pub(crate) name: String,
    pub(crate) factor: Factor,
    pub(crate) address: String,
    pub(crate) code: String,
    pub(crate) token: String,
    pub(crate) sent_at: OffsetDateTime,
}

/// Selects outbox messages; every field is optional.
#[derive(Debug, Clone, Default)]
pub(crate) struct OutboxFilter {
    pub(crate) name: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) factor: Option<String>,
    pub(crate) token: Option<String>,
}

/// Describes a successful recovery-code unlock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecoveryOutcome {
    pub(crate) remaining: usize,
    pub(crate) created_on: OffsetDateTime,
}

/// Describes the first half of a recovery attempt: what to hash outside the lock.
#[derive(Debug)]
pub(crate) struct RecoveryCheck {
    pub(crate) hasher: Option<CodeHasher>,
}

#[derive(Debug)]
struct State {
    clock_offset: time::Duration,
    sessions: HashMap<String, Session>,
    /// Oldest first; answers reverse it.
    outbox: VecDeque<OutboxMessage>,
    /// The newest TOTP time step accepted per account; older or equal steps are replays.
    totp_last_step: HashMap<usize, u64>,
    /// Per account, which recovery codes were consumed.
    recovery_used: Vec<Vec<bool>>,
}

impl State {
    fn fresh(accounts: &[Account]) -> Self {
        Self {
            clock_offset: time::Duration::ZERO,
            sessions: HashMap::new(),
            outbox: VecDeque::new(),
            totp_last_step: HashMap::new(),
            recovery_used: accounts
                .iter()
                .map(|a| vec![false; a.recovery_code_count()])
                .collect(),
        }
    }

    /// Returns the mock's current time: real time plus the test offset, in whole milliseconds.
    fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc() + self.clock_offset;
        now.replace_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000)
            .unwrap_or(now)
    }

    /// Returns the live session for `token`, refreshing its sliding expiry;
    /// drops it when it has expired.
    fn live_session(
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
}

/// Holds everything the handlers share: settings, accounts, state.
#[derive(Debug)]
pub(crate) struct Mock {
    pub(crate) settings: Settings,
    pub(crate) accounts: Vec<Account>,
    dummy_hash: String,
    state: Mutex<State>,
}

impl Mock {
    /// Validates `config`, hashes the seed's secrets and returns a fresh mock.
    pub(crate) fn build(config: &MockConfig, seed: Seed) -> Result<Self, MockError> {
        let settings = config.validate()?;
        let accounts = seed
            .accounts
            .into_iter()
            .map(|a| hash_account(a, &settings))
            .collect::<Result<Vec<_>, _>>()?;
        let dummy_hash = crypto::hash_password(DUMMY_PASSWORD, &settings.hash_params)?;
        let state = Mutex::new(State::fresh(&accounts));
        Ok(Self {
            settings,
            accounts,
            dummy_hash,
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

    /// Returns whether any account lives in `tenant`.
    pub(crate) fn tenant_exists(&self, tenant: &str) -> bool {
        self.accounts.iter().any(|a| a.tenant == tenant)
    }

    /// Returns the index of the account `name` (case-insensitive) in `tenant`.
    pub(crate) fn find_account(&self, tenant: &str, name: &str) -> Option<usize> {
        self.accounts
            .iter()
            .position(|a| a.tenant == tenant && a.name.eq_ignore_ascii_case(name))
    }

    /// Returns the PHC string to verify a login against: the account's, or a
    /// dummy of the same cost so unknown names take as long as wrong passwords.
    pub(crate) fn password_hash_for(&self, account: Option<usize>) -> String {
        account
            .and_then(|i| self.accounts.get(i))
            .map_or_else(|| self.dummy_hash.clone(), |a| a.password_hash.clone())
    }

    /// Creates a session for `account`; an MFA account gets a locked token and
    /// its e-mail/SMS codes go to the outbox at once.
    pub(crate) fn create_session(&self, account: usize) -> Result<SessionView, ApiError> {
        let profile = self
            .accounts
            .get(account)
            .ok_or_else(|| ApiError::internal("unknown account"))?;
        let random_failed = |e: getrandom::Error| ApiError::internal(format!("random source failed: {e}"));
        let mut state = self.lock();
        let now = state.now();
        if state.sessions.len() >= SESSION_SWEEP_THRESHOLD {
            let lifetime = self.settings.session_lifetime;
            state.sessions.retain(|_, s| now < s.last_used + lifetime);
        }
        let token = loop {
            let candidate = crypto::random_token().map_err(random_failed)?;
            if !state.sessions.contains_key(&candidate) {
                break candidate;
            }
        };
        let mut challenges = Vec::with_capacity(profile.factors.len());
        for &factor in &profile.factors {
            let address = profile.address(factor);
            let code = match factor {
                Factor::Email | Factor::Sms => match &profile.mfa_code {
                    Some(fixed) => Some(fixed.clone()),
                    None => Some(crypto::random_digits(6).map_err(random_failed)?),
                },
                Factor::Totp => None,
            };
            if let (Some(code), Some(address)) = (&code, &address) {
                state.outbox.push_back(OutboxMessage {
                    name: profile.name.clone(),
                    factor,
                    address: address.clone(),
                    code: code.clone(),
                    token: token.clone(),
                    sent_at: now,
                });
                while state.outbox.len() > self.settings.outbox_limit {
                    state.outbox.pop_front();
                }
            }
            challenges.push(Challenge {
                factor,
                address,
                code,
                attempts_left: self.settings.mfa_attempts,
                unlocked: false,
                valid_until: now + self.settings.mfa_code_lifetime,
            });
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

    fn view(&self, token: &str, session: &Session) -> SessionView {
        SessionView {
            token: token.to_owned(),
            account: session.account,
            last_used: session.last_used,
            unlocked: session.is_unlocked(self.settings.mfa_policy),
            challenges: session.challenges.clone(),
        }
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
    /// ones cost an attempt; exhausted or expired factors refuse the whole call.
    pub(crate) fn unlock(&self, token: &str, attempts: &[(Factor, String)]) -> Result<SessionView, ApiError> {
        let mut guard = self.lock();
        let now = guard.now();
        let policy = self.settings.mfa_policy;
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
        if session.is_unlocked(policy) {
            let session = session.clone();
            return Ok(self.view(token, &session));
        }
        let mut problems = Vec::new();
        for (index, (factor, _)) in attempts.iter().enumerate() {
            if !session.challenges.iter().any(|c| c.factor == *factor) {
                problems.push(FieldProblem::new(
                    &format!("factors[{index}].factor"),
                    format!("factor {} is not pending on this token", factor.as_str()),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(ApiError::invalid_input(
                "Incorrect request properties were specified.",
                problems,
            ));
        }
        for (factor, _) in attempts {
            if let Some(challenge) = session
                .challenges
                .iter()
                .find(|c| c.factor == *factor && !c.unlocked)
            {
                if challenge.attempts_left == 0 {
                    return Err(code_refused(
                        *factor,
                        "attempts_exhausted",
                        "No attempts are left for this code",
                    ));
                }
                if now > challenge.valid_until {
                    return Err(code_refused(*factor, "expired", "The code has expired"));
                }
            }
        }
        let account = self
            .accounts
            .get(session.account)
            .ok_or_else(|| ApiError::internal("unknown account"))?;
        for (factor, code) in attempts {
            let Some(challenge) = session.challenges.iter_mut().find(|c| c.factor == *factor) else {
                continue;
            };
            if challenge.unlocked {
                continue;
            }
            let accepted = match (&challenge.code, &account.totp) {
                (Some(expected), _) => crypto::secrets_equal(code.as_bytes(), expected.as_bytes()),
                (None, Some(totp)) => {
                    let unix = u64::try_from(now.unix_timestamp()).unwrap_or(0);
                    match totp.check(code, unix) {
                        Some(step)
                            if totp_last_step
                                .get(&session.account)
                                .is_none_or(|last| step > *last) =>
                        {
                            totp_last_step.insert(session.account, step);
                            true
                        }
                        _ => false,
                    }
                }
                (None, None) => false,
            };
            if accepted {
                challenge.unlocked = true;
            } else {
                challenge.attempts_left = challenge.attempts_left.saturating_sub(1);
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
        let account = self
            .accounts
            .get(session.account)
            .ok_or_else(|| ApiError::internal("unknown account"))?;
        Ok(RecoveryCheck {
            hasher: account.recovery.as_ref().map(|r| r.hasher.clone()),
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
        let account = self
            .accounts
            .get(account_index)
            .ok_or_else(|| ApiError::internal("unknown account"))?;
        let used = state.recovery_used.get_mut(account_index);
        let matched = match (digest, &account.recovery, used) {
            (Some(digest), Some(codes), Some(used)) => {
                let unused: Vec<(usize, CodeDigest)> = codes
                    .digests
                    .iter()
                    .copied()
                    .enumerate()
                    .filter(|(i, _)| !used[*i])
                    .collect();
                let found = crypto::find_digest(&digest, &unused);
                if let Some(index) = found {
                    used[index] = true;
                }
                found.map(|_| used.iter().filter(|u| !**u).count())
            }
            _ => None,
        };
        let session = state
            .sessions
            .get_mut(token)
            .ok_or_else(|| ApiError::internal("session vanished"))?;
        match matched {
            Some(remaining) => {
                for challenge in &mut session.challenges {
                    challenge.unlocked = true;
                }
                Ok(RecoveryOutcome {
                    remaining,
                    created_on: account.recovery_codes_created_on,
                })
            }
            None => {
                session.recovery_failures.push(now);
                Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "AUTH:RECOVERY_CODE_INVALID",
                    "Authentication failed.",
                ))
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
        let window = self.settings.recovery_failure_window;
        session.recovery_failures.retain(|at| now < *at + window);
        let limit = usize::try_from(self.settings.recovery_failure_limit).unwrap_or(usize::MAX);
        if session.recovery_failures.len() >= limit {
            let oldest = session.recovery_failures.iter().min().copied().unwrap_or(now);
            let wait = oldest + window - now;
            let whole = wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0);
            return Err(ApiError {
                retry_after_seconds: Some(u64::try_from(whole).unwrap_or(0).max(1)),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "AUTH:TOO_MANY_ATTEMPTS",
                    "Too many recovery attempts. Please try again later.",
                )
            });
        }
        Ok(session)
    }

    /// Returns the account behind `token` if it may search: live, unlocked,
    /// and holding `use_document_management`.
    pub(crate) fn search_account(&self, token: &str) -> Result<usize, ApiError> {
        let view = self
            .session(token)
            .ok_or_else(|| ApiError::token_invalid("Authentication failed."))?;
        if !view.unlocked {
            return Err(ApiError::token_locked());
        }
        let account = self
            .accounts
            .get(view.account)
            .ok_or_else(|| ApiError::internal("unknown account"))?;
        if !account.has_right(SEARCH_RIGHT) {
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
        let state = self.lock();
        let matches = |m: &&OutboxMessage| {
            filter
                .name
                .as_deref()
                .is_none_or(|n| m.name.eq_ignore_ascii_case(n))
                && filter.address.as_deref().is_none_or(|a| m.address == a)
                && filter.factor.as_deref().is_none_or(|f| m.factor.as_str() == f)
                && filter.token.as_deref().is_none_or(|t| m.token == t)
        };
        state.outbox.iter().rev().filter(matches).cloned().collect()
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
        *self.lock() = State::fresh(&self.accounts);
    }

    /// Returns the seeded accounts without secrets, with recovery codes left.
    pub(crate) fn accounts_summary(&self) -> serde_json::Value {
        let state = self.lock();
        let accounts: Vec<_> = self
            .accounts
            .iter()
            .enumerate()
            .map(|(index, a)| {
                let left = state
                    .recovery_used
                    .get(index)
                    .map_or(0, |used| used.iter().filter(|u| !**u).count());
                json!({
                    "name": a.name,
                    "tenant": a.tenant,
                    "factors": a.factors.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                    "status": a.status.as_str(),
                    "canSearch": a.has_right(SEARCH_RIGHT),
                    "recoveryCodesLeft": left,
                    "documents": a.documents.len(),
                })
            })
            .collect();
        json!({ "accounts": accounts })
    }
}

fn code_refused(factor: Factor, reason: &str, message: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "AUTH:MFA_CODE_INVALID",
        format!(
            "{message} (factor {}); log in again to get a new code.",
            factor.as_str()
        ),
    )
    .with_details(json!({ "factor": factor.as_str(), "reason": reason }))
}

/// Hashes one seeded account's password and recovery codes.
fn hash_account(seed: AccountSeed, settings: &Settings) -> Result<Account, MockError> {
    let invalid = |message: String| MockError::InvalidSeed {
        origin: "(accounts)".into(),
        message,
    };
    let password_hash = match &seed.credential {
        Credential::Password(password) => crypto::hash_password(password, &settings.hash_params)?,
        Credential::Hash(hash) => hash.clone(),
    };
    let totp = seed
        .totp_secret
        .as_deref()
        .map(super::seed::totp_from_secret)
        .transpose()
        .map_err(|e| invalid(format!("account `{}`: {e}", seed.name)))?;
    let recovery = if seed.recovery_codes.is_empty() {
        None
    } else {
        let hasher = CodeHasher::new(&settings.hash_params)?;
        let digests = seed
            .recovery_codes
            .iter()
            .map(|c| hasher.digest(c))
            .collect::<Result<Vec<_>, _>>()?;
        Some(RecoveryCodes { hasher, digests })
    };
    let mut documents = seed.documents;
    documents.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
    Ok(Account {
        name: seed.name,
        tenant: seed.tenant,
        fullname: seed.fullname,
        mail: seed.mail,
        phone: seed.phone,
        role: seed.role,
        status: seed.status,
        rights: seed.rights,
        factors: seed.factors,
        documents,
        recovery_codes_created_on: seed.recovery_codes_created_on,
        mfa_code: seed.mfa_code.clone(),
        password_hash,
        totp,
        recovery,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost_prefix(phc: &str) -> String {
        phc.split('$').take(4).collect::<Vec<_>>().join("$")
    }

    #[test]
    fn unknown_names_are_checked_against_a_hash_of_the_same_cost() {
        let mock = Mock::build(&MockConfig::default(), Seed::builtin()).unwrap();
        let dummy = mock.password_hash_for(None);
        let mary = mock.password_hash_for(mock.find_account("default", "MARY.GRIFFIN@circularo.com"));
        assert_ne!(dummy, mary);
        assert_eq!(cost_prefix(&dummy), "$argon2id$v=19$m=256,t=1,p=1");
        assert_eq!(cost_prefix(&dummy), cost_prefix(&mary));
        assert!(!crypto::verify_password(super::super::builtin::PASSWORD, &dummy));
    }

    #[test]
    fn policies_decide_when_a_session_is_unlocked() {
        let challenge = |unlocked| Challenge {
            factor: Factor::Email,
            address: None,
            code: None,
            attempts_left: 3,
            unlocked,
            valid_until: OffsetDateTime::UNIX_EPOCH,
        };
        let session = |challenges| Session {
            account: 0,
            last_used: OffsetDateTime::UNIX_EPOCH,
            challenges,
            recovery_failures: Vec::new(),
        };
        assert!(session(vec![]).is_unlocked(MfaPolicy::All));
        let half = session(vec![challenge(true), challenge(false)]);
        assert!(!half.is_unlocked(MfaPolicy::All));
        assert!(half.is_unlocked(MfaPolicy::Any));
        assert!(!session(vec![challenge(false)]).is_unlocked(MfaPolicy::Any));
    }
}

//! Owns the recovery-code rules: how many failed attempts a session may make
//! in the failure window before it must wait (and for how long), how a
//! candidate's digest consumes one unused code, and what the answers say.
//!
//! Must not lock, hash or know HTTP: `state` hashes outside its lock and
//! hands this file the digest and the bookkeeping to update.

use axum::http::StatusCode;
use time::OffsetDateTime;

use super::api_error::ApiError;
use super::config::Settings;
use super::crypto::{self, CodeDigest, CodeHasher};
use super::directory::Account;
use super::session::Session;

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

/// Forgets failures older than the window and refuses with 429 (and when to
/// retry) once the session has failed as often as the limit allows.
pub(crate) fn throttle(
    session: &mut Session,
    settings: &Settings,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let window = settings.recovery_failure_window;
    session.recovery_failures.retain(|at| now < *at + window);
    let limit = usize::try_from(settings.recovery_failure_limit).unwrap_or(usize::MAX);
    if session.recovery_failures.len() < limit {
        return Ok(());
    }
    let oldest = session.recovery_failures.iter().min().copied().unwrap_or(now);
    let wait = oldest + window - now;
    let whole = wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0);
    Err(ApiError {
        retry_after_seconds: Some(u64::try_from(whole).unwrap_or(0).max(1)),
        ..ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "AUTH:TOO_MANY_ATTEMPTS",
            "Too many recovery attempts. Please try again later.",
        )
    })
}

/// Marks the unused code of `account` whose digest is `digest` as used and
/// returns how many codes are left; `None` when no unused code matches (or
/// the account has no codes).
pub(crate) fn consume(
    digest: Option<CodeDigest>,
    account: &Account,
    used: Option<&mut Vec<bool>>,
) -> Option<usize> {
    let (digest, used) = digest.zip(used)?;
    let unused: Vec<(usize, CodeDigest)> = account
        .recovery_digests()
        .iter()
        .copied()
        .enumerate()
        .filter(|(i, _)| !used[*i])
        .collect();
    let index = crypto::find_digest(&digest, &unused)?;
    used[index] = true;
    Some(used.iter().filter(|u| !**u).count())
}

/// Returns the answer to a wrong or already used recovery code.
pub(crate) fn code_invalid() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "AUTH:RECOVERY_CODE_INVALID",
        "Authentication failed.",
    )
}

//! Owns the second-factor rules: which challenges a login opens (and which
//! codes it sends), which unlock attempts are refused outright (factor not
//! pending, attempts exhausted, code expired), and how codes are checked
//! (e-mail and SMS codes in constant time, TOTP codes once per time step).
//!
//! Must not lock, keep sessions or know HTTP: it works on the values `state`
//! hands it and answers with [`ApiError`]s.

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::json;
use time::OffsetDateTime;

use super::account::Factor;
use super::api_error::{ApiError, FieldProblem};
use super::config::Settings;
use super::crypto;
use super::directory::Account;
use super::session::{Challenge, Session};

/// How many digits an e-mail or SMS code has.
const CODE_DIGITS: usize = 6;

/// Returns the challenges a login of `account` opens at `now`: one per
/// factor, with the code to send for e-mail and SMS (the account's fixed
/// code, or a random one).
pub(crate) fn open_challenges(
    account: &Account,
    settings: &Settings,
    now: OffsetDateTime,
) -> Result<Vec<Challenge>, getrandom::Error> {
    let profile = &account.profile;
    let mut challenges = Vec::with_capacity(profile.factors.len());
    for &factor in &profile.factors {
        let code = match factor {
            Factor::Email | Factor::Sms => match &account.mfa_code {
                Some(fixed) => Some(fixed.clone()),
                None => Some(crypto::random_digits(CODE_DIGITS)?),
            },
            Factor::Totp => None,
        };
        challenges.push(Challenge {
            factor,
            address: profile.address(factor),
            code,
            attempts_left: settings.mfa_attempts,
            unlocked: false,
            valid_until: now + settings.mfa_code_lifetime,
        });
    }
    Ok(challenges)
}

/// Refuses the whole unlock call when an attempt names a factor the session
/// does not have, or one still locked whose attempts are spent or whose code
/// expired.
pub(crate) fn refuse_attempts(
    session: &Session,
    attempts: &[(Factor, String)],
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let problems: Vec<FieldProblem> = attempts
        .iter()
        .enumerate()
        .filter(|(_, (factor, _))| !session.challenges.iter().any(|c| c.factor == *factor))
        .map(|(index, (factor, _))| {
            FieldProblem::new(
                &format!("factors[{index}].factor"),
                format!("factor {} is not pending on this token", factor.as_str()),
            )
        })
        .collect();
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
    Ok(())
}

/// Checks each attempt against its locked challenge: a right code unlocks
/// it, a wrong one costs an attempt. A TOTP code is right only in a newer
/// time step than the last one `account` used, so a code cannot be replayed.
/// Returns the factors whose code was wrong.
pub(crate) fn try_codes(
    session: &mut Session,
    account: &Account,
    attempts: &[(Factor, String)],
    now: OffsetDateTime,
    totp_last_step: &mut HashMap<usize, u64>,
) -> Vec<Factor> {
    let mut wrong = Vec::new();
    for (factor, code) in attempts {
        let Some(challenge) = session.challenges.iter_mut().find(|c| c.factor == *factor) else {
            continue;
        };
        if challenge.unlocked {
            continue;
        }
        let accepted = match (&challenge.code, account.totp()) {
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
            wrong.push(*factor);
        }
    }
    wrong
}

/// Returns the 401 a wrong code gets under `wrong_mfa_code: status-401`; the
/// attempt is already spent, and `details` says how many are left.
pub(crate) fn wrong_code_refused(factor: Factor, attempts_left: u32) -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "AUTH:MFA_CODE_INVALID",
        format!(
            "The code is wrong (factor {}); {attempts_left} attempt(s) left.",
            factor.as_str()
        ),
    )
    .with_details(json!({
        "factor": factor.as_str(),
        "reason": "wrong_code",
        "attemptsLeft": attempts_left,
    }))
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

//! Owns the JSON shapes of successful answers: the login/status body, factor
//! objects, the user record, unlock and recovery answers, outbox messages.
//!
//! Pure functions from state views to `serde_json::Value`. Must not lock,
//! know HTTP, or show a secret (passwords, TOTP secrets, recovery codes).

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::account::Profile;
use super::outbox::OutboxMessage;
use super::recovery::RecoveryOutcome;
use super::session::{Challenge, SessionView};
use super::stable_id::stable_uuid;

/// Formats a date-time as RFC 3339 (the formatter cannot fail for UTC times
/// within years 0..9999, which is all the mock produces).
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// Masks an e-mail as `m*****@example.com`, or a phone number as `*****89`.
pub(crate) fn mask_address(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first = local.chars().next().map(String::from).unwrap_or_default();
            format!("{first}*****@{domain}")
        }
        None => {
            let digits: Vec<char> = address.chars().filter(char::is_ascii_digit).collect();
            let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
            format!("*****{tail}")
        }
    }
}

/// Returns one factor object: `{factor, address, attemptsLeft, unlocked, validUntil}`.
pub(crate) fn factor_json(challenge: &Challenge) -> Value {
    json!({
        "factor": challenge.factor.as_str(),
        "address": challenge.address.as_deref().map(mask_address),
        "attemptsLeft": challenge.attempts_left,
        "unlocked": challenge.unlocked,
        "validUntil": rfc3339(challenge.valid_until),
    })
}

/// Returns the user record shown at login: a subset of Circularo's user,
/// never a password hash.
pub(crate) fn user_json(account: &Profile) -> Value {
    let signature_id = stable_uuid(&format!("signature/{}/{}", account.tenant, account.name));
    json!({
        "name": account.name,
        "id": account.name,
        "mail": account.mail,
        "fullname": account.fullname,
        "role": account.role,
        "status": account.status.as_str(),
        "phone": account.phone,
        "group": [],
        "timezone": "Europe/Prague",
        "timeformat": "HH:mm",
        "dateformat": "DD.MM.YYYY",
        "termsAccepted": true,
        "registeredOn": "2024-03-01T08:00:00Z",
        "customFields": {},
        "config": {
            "language": "en",
            "notifications": {},
            "signature": [{ "imageId": signature_id.to_string(), "name": "default" }],
        },
    })
}

/// Returns the login / status body for a live session.
pub(crate) fn session_json(
    account: &Profile,
    view: &SessionView,
    include_token: bool,
    valid_for_ms: i128,
) -> Value {
    let mut body = Map::new();
    body.insert("logged".into(), Value::Bool(true));
    body.insert("isUnlocked".into(), Value::Bool(view.unlocked));
    if include_token {
        body.insert("token".into(), Value::String(view.token.clone()));
    }
    body.insert("tenant".into(), Value::String(account.tenant.clone()));
    body.insert("hasPassword".into(), Value::Bool(true));
    body.insert("user".into(), user_json(account));
    body.insert(
        "settings".into(),
        json!({ "type": "user", "name": account.name, "data": { "allowedDashboards": [] } }),
    );
    body.insert("rights".into(), json!(account.rights));
    body.insert("lastUsed".into(), Value::String(rfc3339(view.last_used)));
    body.insert("validForMilliseconds".into(), json!(valid_for_ms));
    if !view.unlocked {
        body.insert(
            "authentication".into(),
            Value::Array(view.challenges.iter().map(factor_json).collect()),
        );
    }
    Value::Object(body)
}

/// Returns the status body for a missing or invalid token.
pub(crate) fn logged_out_json() -> Value {
    json!({ "logged": false, "isUnlocked": false })
}

/// Returns the unlock answer: overall state and every factor of the token.
pub(crate) fn unlock_json(view: &SessionView) -> Value {
    json!({
        "isUnlocked": view.unlocked,
        "factors": view.challenges.iter().map(factor_json).collect::<Vec<_>>(),
    })
}

/// Returns the recovery answer.
pub(crate) fn recovery_json(outcome: &RecoveryOutcome) -> Value {
    json!({
        "remainingRecoveryCodes": outcome.remaining,
        "codesCreatedOn": rfc3339(outcome.created_on),
    })
}

/// Returns one outbox message with the full address and the code.
pub(crate) fn message_json(message: &OutboxMessage) -> Value {
    json!({
        "name": message.name,
        "factor": message.factor.as_str(),
        "address": message.address,
        "code": message.code,
        "token": message.token,
        "sentAt": rfc3339(message.sent_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_a_hint() {
        assert_eq!(mask_address("mary.griffin@circularo.com"), "m*****@circularo.com");
        assert_eq!(mask_address("+420777123489"), "*****89");
        assert_eq!(mask_address("7"), "*****7");
        assert_eq!(mask_address(""), "*****");
    }

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(
            rfc3339(time::macros::datetime!(2025-01-15 09:30:00 UTC)),
            "2025-01-15T09:30:00Z"
        );
        assert_eq!(
            rfc3339(time::macros::datetime!(2025-01-15 09:30:00.25 UTC)),
            "2025-01-15T09:30:00.25Z"
        );
    }
}

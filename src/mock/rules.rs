//! Owns the rules a seed must follow so the server never meets an impossible
//! account: name and tenant patterns, usable TOTP secrets, factors that have
//! somewhere to send codes, recovery codes, and uniqueness across accounts.
//!
//! Must not parse YAML or build accounts: it checks what it is given and says
//! what is wrong (with the YAML position when it has one).

use std::collections::HashSet;

use serde_saphyr::Location;

use super::account::{AccountSeed, Factor};

/// Returns whether `name` fits Circularo's user-name pattern `^[A-Za-z0-9.@_-]+$`.
pub(crate) fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".@_-".contains(&b))
}

/// Returns whether `tenant` fits Circularo's tenant pattern `^[a-z0-9]+$`.
pub(crate) fn is_valid_tenant(tenant: &str) -> bool {
    !tenant.is_empty()
        && tenant
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Normalises a base32 TOTP secret (spaces, padding, case) and checks that it
/// is long enough for RFC 6238 (128 bits).
pub(crate) fn totp_from_secret(secret: &str) -> Result<totp_rs::Totp, String> {
    let cleaned: String = secret
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = totp_rs::Secret::try_from_base32(&cleaned)
        .map_err(|_| "totp_secret is not valid base32".to_owned())?;
    totp_rs::Builder::new()
        .with_secret(bytes)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .build()
        .map_err(|e| format!("totp_secret is unusable: {e}"))
}

/// Prefixes `message` with a YAML position.
pub(crate) fn located(at: &Location, message: &str) -> String {
    format!("line {}, column {}: {message}", at.line(), at.column())
}

/// Checks the rules one account must follow on its own.
pub(crate) fn check_account(account: &AccountSeed) -> Result<(), String> {
    let profile = &account.profile;
    if !is_valid_name(&profile.name) {
        return Err("name must match ^[A-Za-z0-9.@_-]+$".into());
    }
    if !is_valid_tenant(&profile.tenant) {
        return Err(format!("tenant `{}` must match ^[a-z0-9]+$", profile.tenant));
    }
    let mut seen = HashSet::new();
    if let Some(dup) = profile.factors.iter().find(|f| !seen.insert(**f)) {
        return Err(format!("factor {} is listed twice", dup.as_str()));
    }
    let has = |factor| profile.factors.contains(&factor);
    if has(Factor::Email) && !profile.mail.contains('@') {
        return Err("the email factor needs an e-mail address in `mail` (or an e-mail as name)".into());
    }
    if has(Factor::Sms) && profile.phone.as_deref().is_none_or(str::is_empty) {
        return Err("the sms factor needs a `phone`".into());
    }
    if let Some(code) = &account.mfa_code {
        if !(4..=10).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err("`mfa_code` must be 4 to 10 digits".into());
        }
        if !has(Factor::Email) && !has(Factor::Sms) {
            return Err("`mfa_code` is set but `factors` has neither email nor sms".into());
        }
    }
    match (&account.totp_secret, has(Factor::Totp)) {
        (Some(secret), true) => {
            totp_from_secret(secret)?;
        }
        (None, true) => return Err("the totp factor needs a `totp_secret` (base32)".into()),
        (Some(_), false) => return Err("`totp_secret` is set but `factors` has no totp".into()),
        (None, false) => {}
    }
    if !account.recovery_codes.is_empty() && profile.factors.is_empty() {
        return Err("`recovery_codes` only make sense with at least one factor".into());
    }
    let mut codes = HashSet::new();
    for code in &account.recovery_codes {
        if code.trim().is_empty() {
            return Err("a recovery code is empty".into());
        }
        if !codes.insert(code) {
            return Err(format!("recovery code {code} is listed twice"));
        }
    }
    if let Some(doc) = profile.documents.iter().find(|d| d.title.trim().is_empty()) {
        return Err(format!("document {} has an empty title", doc.id));
    }
    Ok(())
}

/// Checks the rules across accounts: unique names per tenant, unique document ids.
pub(crate) fn check_accounts(accounts: &[AccountSeed], locations: &[Option<Location>]) -> Result<(), String> {
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    for (index, account) in accounts.iter().enumerate() {
        let profile = &account.profile;
        let at = |message: String| match locations.get(index).copied().flatten() {
            Some(loc) => located(&loc, &message),
            None => message,
        };
        if !names.insert((profile.tenant.clone(), profile.name.to_ascii_lowercase())) {
            return Err(at(format!(
                "account `{}` appears twice in tenant `{}` (names are case-insensitive)",
                profile.name, profile.tenant
            )));
        }
        for doc in &profile.documents {
            if !ids.insert(doc.id) {
                return Err(at(format!(
                    "account `{}`: document id {} is used twice",
                    profile.name, doc.id
                )));
            }
        }
    }
    Ok(())
}

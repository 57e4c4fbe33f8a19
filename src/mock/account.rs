//! Owns what a seeded account is: its [`Profile`] (who it is, what it may do,
//! its documents), its secrets in plain text ([`AccountSeed`]), the factor,
//! status and document-state names, and the defaults every account starts
//! from ([`AccountSeed::new`]), whether it comes from a seed file or is built in.
//!
//! Holds plain-text secrets because it describes test fixtures. Must not hash
//! or validate them, read seed files, nor know about sessions or HTTP.

use std::fmt;

use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

/// Rights of an account that may do everything the mock serves.
pub(crate) const FULL_RIGHTS: &[&str] = &[
    "use_document_management",
    "use_file_management",
    "use_sign",
    "view_attachments",
    "add_file_attachments",
    "use_webhooks",
    "view_users",
    "view_groups",
    "view_logs",
    "use_all_documents_export",
];

/// The right `POST /search` requires.
pub(crate) const SEARCH_RIGHT: &str = "use_document_management";

/// The tenant of accounts that name none, and of logins that name none.
pub(crate) const DEFAULT_TENANT: &str = "default";

/// The document type of seeded documents that give none.
pub(crate) const DEFAULT_DOCUMENT_TYPE: &str = "d_default";

/// Names one second factor of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Factor {
    /// A code sent by e-mail.
    Email,
    /// A code sent by SMS.
    Sms,
    /// An RFC 6238 code from an authenticator app.
    Totp,
}

impl Factor {
    /// Returns the name Circularo uses for the factor.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Factor::Email => "email",
            Factor::Sms => "sms",
            Factor::Totp => "totp",
        }
    }

    /// Parses a factor name as sent by clients.
    pub(crate) fn parse(name: &str) -> Option<Factor> {
        match name {
            "email" => Some(Factor::Email),
            "sms" => Some(Factor::Sms),
            "totp" => Some(Factor::Totp),
            _ => None,
        }
    }
}

/// Tells whether an account may log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AccountStatus {
    /// The account may log in.
    #[default]
    Active,
    /// Login answers 428 "Account is not active.".
    Suspended,
}

impl AccountStatus {
    /// Returns the status name used in user records.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Suspended => "suspended",
        }
    }
}

/// Names a document's workflow state (`workflow.shareStateName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ShareState {
    /// Every party signed.
    #[default]
    Completed,
    /// Waiting for someone.
    Inprogress,
    /// A party refused.
    Rejected,
    /// The deadline passed.
    Expired,
    /// The sender withdrew it.
    Cancelled,
}

impl ShareState {
    /// Returns the state name Circularo uses.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ShareState::Completed => "completed",
            ShareState::Inprogress => "inprogress",
            ShareState::Rejected => "rejected",
            ShareState::Expired => "expired",
            ShareState::Cancelled => "cancelled",
        }
    }
}

/// Holds how an account's password is given.
#[derive(Clone)]
pub(crate) enum Credential {
    /// A plain password, hashed when the mock starts.
    Password(String),
    /// A ready Argon2 PHC string (its own cost applies).
    Hash(String),
}

/// Describes one seeded document.
#[derive(Debug, Clone)]
pub(crate) struct DocumentSeed {
    pub(crate) id: Uuid,
    pub(crate) title: String,
    pub(crate) state: ShareState,
    pub(crate) date: OffsetDateTime,
    pub(crate) pages: u32,
    pub(crate) size: u64,
    pub(crate) version: u32,
    pub(crate) document_type: String,
}

/// Describes who an account is and what it holds, without any secret: what
/// the mock shows in user records, search answers and the account list.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub(crate) name: String,
    pub(crate) tenant: String,
    pub(crate) fullname: String,
    pub(crate) mail: String,
    pub(crate) phone: Option<String>,
    pub(crate) role: String,
    pub(crate) status: AccountStatus,
    pub(crate) rights: Vec<String>,
    pub(crate) factors: Vec<Factor>,
    pub(crate) recovery_codes_created_on: OffsetDateTime,
    pub(crate) documents: Vec<DocumentSeed>,
}

impl Profile {
    /// Returns whether the account holds `right`.
    pub(crate) fn has_right(&self, right: &str) -> bool {
        self.rights.iter().any(|r| r == right)
    }

    /// Returns the destination of an e-mail or SMS code.
    pub(crate) fn address(&self, factor: Factor) -> Option<String> {
        match factor {
            Factor::Email => Some(self.mail.clone()),
            Factor::Sms => self.phone.clone(),
            Factor::Totp => None,
        }
    }
}

/// Describes one seeded account: its profile and its secrets in plain text.
#[derive(Clone)]
pub(crate) struct AccountSeed {
    pub(crate) profile: Profile,
    pub(crate) credential: Credential,
    pub(crate) totp_secret: Option<String>,
    /// Sends this code by email and SMS instead of a random one, so a client that
    /// cannot read the outbox (an environment variable, a person) can know it.
    pub(crate) mfa_code: Option<String>,
    /// The code this account sends under `mfa_codes: fixed` when it has no
    /// `mfa_code` (the built-in accounts list theirs in `docs/mock.md`).
    pub(crate) fixed_code: Option<String>,
    pub(crate) recovery_codes: Vec<String>,
}

impl AccountSeed {
    /// Builds an account with the defaults every seed shares: the full name
    /// derived from the name, the name as e-mail, role `user`, active, full
    /// rights, no factors, codes, documents or phone.
    pub(crate) fn new(name: &str, tenant: &str, credential: Credential) -> Self {
        Self {
            profile: Profile {
                name: name.to_owned(),
                tenant: tenant.to_owned(),
                fullname: fullname_from(name),
                mail: name.to_owned(),
                phone: None,
                role: "user".to_owned(),
                status: AccountStatus::Active,
                rights: FULL_RIGHTS.iter().map(|r| (*r).to_owned()).collect(),
                factors: Vec::new(),
                recovery_codes_created_on: default_codes_created_on(),
                documents: Vec::new(),
            },
            credential,
            totp_secret: None,
            mfa_code: None,
            fixed_code: None,
            recovery_codes: Vec::new(),
        }
    }
}

impl fmt::Debug for AccountSeed {
    // Never shows passwords, TOTP secrets or recovery codes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountSeed")
            .field("name", &self.profile.name)
            .field("tenant", &self.profile.tenant)
            .field("status", &self.profile.status)
            .field("factors", &self.profile.factors)
            .field("recovery_codes", &self.recovery_codes.len())
            .field("documents", &self.profile.documents.len())
            .finish_non_exhaustive()
    }
}

/// Returns the date recovery codes were created when a seed does not say.
pub(crate) fn default_codes_created_on() -> OffsetDateTime {
    time::macros::datetime!(2025-01-15 09:30:00 UTC)
}

/// Derives a full name from an e-mail-like account name: `mary.griffin@x` -> `Mary Griffin`.
pub(crate) fn fullname_from(name: &str) -> String {
    let local = name.split('@').next().unwrap_or(name);
    local
        .split(['.', '_', '-'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Returns a plausible PDF size for a page count, so seeds need not give one.
pub(crate) fn typical_pdf_size(pages: u32) -> u64 {
    18_432 + u64::from(pages) * 41_237
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_come_from_email_local_parts() {
        assert_eq!(fullname_from("mary.griffin@circularo.com"), "Mary Griffin");
        assert_eq!(fullname_from("no_search"), "No Search");
    }
}

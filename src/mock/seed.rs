//! Owns [`Seed`]: the accounts, factors, recovery codes and documents the mock
//! starts with, read from YAML (`--seed FILE`) or built in, and validated so
//! the server never meets an impossible account.
//!
//! Holds plain-text secrets because it describes test fixtures; hashing happens
//! when the state is built. Must not know about sessions or HTTP.

use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::MockError;

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

/// Describes one seeded account.
#[derive(Clone)]
pub(crate) struct AccountSeed {
    pub(crate) name: String,
    pub(crate) tenant: String,
    pub(crate) credential: Credential,
    pub(crate) fullname: String,
    pub(crate) mail: String,
    pub(crate) phone: Option<String>,
    pub(crate) role: String,
    pub(crate) status: AccountStatus,
    pub(crate) rights: Vec<String>,
    pub(crate) factors: Vec<Factor>,
    pub(crate) totp_secret: Option<String>,
    /// Sends this code by email and SMS instead of a random one, so a client that
    /// cannot read the outbox (an environment variable, a person) can know it.
    pub(crate) mfa_code: Option<String>,
    pub(crate) recovery_codes: Vec<String>,
    pub(crate) recovery_codes_created_on: OffsetDateTime,
    pub(crate) documents: Vec<DocumentSeed>,
}

impl fmt::Debug for AccountSeed {
    // Never shows passwords, TOTP secrets or recovery codes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountSeed")
            .field("name", &self.name)
            .field("tenant", &self.tenant)
            .field("status", &self.status)
            .field("factors", &self.factors)
            .field("recovery_codes", &self.recovery_codes.len())
            .field("documents", &self.documents.len())
            .finish_non_exhaustive()
    }
}

/// Holds the accounts (and their documents) the mock starts with.
#[derive(Debug, Clone)]
pub struct Seed {
    pub(crate) accounts: Vec<AccountSeed>,
}

/// The date recovery codes were created when a seed does not say.
pub(crate) fn default_codes_created_on() -> OffsetDateTime {
    time::macros::datetime!(2025-01-15 09:30:00 UTC)
}

/// The date of a seeded document that gives none.
fn default_document_date() -> OffsetDateTime {
    time::macros::datetime!(2025-01-02 09:00:00 UTC)
}

impl Seed {
    /// Returns the built-in accounts described in `docs/mock.md`.
    #[must_use]
    pub fn builtin() -> Seed {
        Seed {
            accounts: super::builtin::accounts(),
        }
    }

    /// Parses a YAML seed.
    ///
    /// # Errors
    /// Returns [`MockError::InvalidSeed`] with the line and column of the problem.
    pub fn from_yaml(text: &str) -> Result<Seed, MockError> {
        parse_yaml(text, "(text)")
    }

    /// Reads and parses a YAML seed file.
    ///
    /// # Errors
    /// Returns [`MockError::ReadSeed`] when the file cannot be read, or
    /// [`MockError::InvalidSeed`] naming the file, line and column.
    pub fn from_file(path: &Path) -> Result<Seed, MockError> {
        let text = std::fs::read_to_string(path).map_err(|source| MockError::ReadSeed {
            path: path.to_path_buf(),
            source,
        })?;
        parse_yaml(&text, &path.display().to_string())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    accounts: Vec<Spanned<AccountFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountFile {
    name: String,
    #[serde(default)]
    tenant: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    password_hash: Option<String>,
    #[serde(default)]
    fullname: Option<String>,
    #[serde(default)]
    mail: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    status: AccountStatus,
    #[serde(default)]
    rights: Option<Vec<String>>,
    #[serde(default)]
    factors: Vec<Factor>,
    #[serde(default)]
    totp_secret: Option<String>,
    #[serde(default)]
    mfa_code: Option<String>,
    #[serde(default)]
    recovery_codes: Vec<String>,
    #[serde(default)]
    recovery_codes_created_on: Option<String>,
    #[serde(default)]
    documents: Vec<Spanned<DocumentFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentFile {
    #[serde(default)]
    id: Option<String>,
    title: String,
    #[serde(default)]
    state: ShareState,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    pages: Option<u32>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    document_type: Option<String>,
}

fn yaml_options() -> serde_saphyr::Options {
    // Strict booleans and leading-zero strings keep a recovery code such as
    // 06482719 or a phone number exactly as written.
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
    }
}

/// Describes a YAML error by line and column without quoting the seed: seed
/// files hold passwords and recovery codes.
fn yaml_error(error: &serde_saphyr::Error) -> String {
    let plain = error.without_snippet().to_string();
    let what = plain.split(" at line ").next().unwrap_or(&plain).trim();
    match error.location() {
        Some(at) => format!("line {}, column {}: {what}", at.line(), at.column()),
        None => what.to_owned(),
    }
}

fn parse_yaml(text: &str, origin: &str) -> Result<Seed, MockError> {
    let invalid = |message: String| MockError::InvalidSeed {
        origin: origin.to_owned(),
        message,
    };
    // A first pass without types reports true syntax errors instead of the
    // misleading "missing field" a typed pass gives for a bad indentation.
    serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(text, yaml_options())
        .map_err(|e| invalid(yaml_error(&e)))?;
    let file: SeedFile =
        serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|e| invalid(yaml_error(&e)))?;
    let mut accounts = Vec::with_capacity(file.accounts.len());
    let mut locations = Vec::with_capacity(file.accounts.len());
    for spanned in file.accounts {
        let at = spanned.referenced;
        let account = convert_account(spanned.value).map_err(|message| invalid(located(&at, &message)))?;
        accounts.push(account);
        locations.push(Some(at));
    }
    check_accounts(&accounts, &locations).map_err(invalid)?;
    Ok(Seed { accounts })
}

/// Prefixes `message` with a YAML position.
fn located(at: &Location, message: &str) -> String {
    format!("line {}, column {}: {message}", at.line(), at.column())
}

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

fn parse_date(field: &str, value: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|e| format!("{field} `{value}` is not an RFC 3339 date-time: {e}"))
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

fn convert_account(file: AccountFile) -> Result<AccountSeed, String> {
    let name = file.name;
    let label = name.clone();
    let context = |message: String| format!("account `{label}`: {message}");
    let credential = match (file.password, file.password_hash) {
        (Some(password), None) => Credential::Password(password),
        (None, Some(hash)) => {
            super::crypto::check_phc(&hash).map_err(|e| context(format!("password_hash: {e}")))?;
            Credential::Hash(hash)
        }
        _ => {
            return Err(context(
                "give exactly one of `password` or `password_hash`".into(),
            ));
        }
    };
    let recovery_codes_created_on = match file.recovery_codes_created_on {
        Some(text) => parse_date("recovery_codes_created_on", &text).map_err(context)?,
        None => default_codes_created_on(),
    };
    let mut documents = Vec::with_capacity(file.documents.len());
    let tenant = file.tenant.unwrap_or_else(|| DEFAULT_TENANT.to_owned());
    for (index, spanned) in file.documents.into_iter().enumerate() {
        let at = spanned.referenced;
        let doc = spanned.value;
        let in_doc = |message: String| located(&at, &context(format!("document `{}`: {message}", doc.title)));
        let id = match &doc.id {
            Some(text) => Uuid::parse_str(text).map_err(|e| in_doc(format!("id is not a UUID: {e}")))?,
            None => stable_uuid(&format!("{tenant}/{name}/{index}/{}", doc.title)),
        };
        let date = match &doc.date {
            Some(text) => parse_date("date", text).map_err(in_doc)?,
            None => default_document_date(),
        };
        let pages = doc.pages.unwrap_or(1);
        documents.push(DocumentSeed {
            id,
            title: doc.title,
            state: doc.state,
            date,
            pages,
            size: doc.size.unwrap_or_else(|| typical_pdf_size(pages)),
            version: doc.version.unwrap_or(1),
            document_type: doc.document_type.unwrap_or_else(|| "d_default".to_owned()),
        });
    }
    let account = AccountSeed {
        fullname: file.fullname.unwrap_or_else(|| fullname_from(&name)),
        mail: file.mail.unwrap_or_else(|| name.clone()),
        tenant,
        credential,
        phone: file.phone,
        role: file.role.unwrap_or_else(|| "user".to_owned()),
        status: file.status,
        rights: file
            .rights
            .unwrap_or_else(|| FULL_RIGHTS.iter().map(|r| (*r).to_owned()).collect()),
        factors: file.factors,
        totp_secret: file.totp_secret,
        mfa_code: file.mfa_code,
        recovery_codes: file.recovery_codes,
        recovery_codes_created_on,
        documents,
        name,
    };
    check_account(&account).map_err(context)?;
    Ok(account)
}

/// Returns a plausible PDF size for a page count, so seeds need not give one.
pub(crate) fn typical_pdf_size(pages: u32) -> u64 {
    18_432 + u64::from(pages) * 41_237
}

/// Checks the rules one account must follow on its own.
pub(crate) fn check_account(account: &AccountSeed) -> Result<(), String> {
    if !is_valid_name(&account.name) {
        return Err("name must match ^[A-Za-z0-9.@_-]+$".into());
    }
    if !is_valid_tenant(&account.tenant) {
        return Err(format!("tenant `{}` must match ^[a-z0-9]+$", account.tenant));
    }
    let mut seen = HashSet::new();
    if let Some(dup) = account.factors.iter().find(|f| !seen.insert(**f)) {
        return Err(format!("factor {} is listed twice", dup.as_str()));
    }
    let has = |factor| account.factors.contains(&factor);
    if has(Factor::Email) && !account.mail.contains('@') {
        return Err("the email factor needs an e-mail address in `mail` (or an e-mail as name)".into());
    }
    if has(Factor::Sms) && account.phone.as_deref().is_none_or(str::is_empty) {
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
    if !account.recovery_codes.is_empty() && account.factors.is_empty() {
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
    if let Some(doc) = account.documents.iter().find(|d| d.title.trim().is_empty()) {
        return Err(format!("document {} has an empty title", doc.id));
    }
    Ok(())
}

/// Checks the rules across accounts: unique names per tenant, unique document ids.
fn check_accounts(accounts: &[AccountSeed], locations: &[Option<Location>]) -> Result<(), String> {
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    for (index, account) in accounts.iter().enumerate() {
        let at = |message: String| match locations.get(index).copied().flatten() {
            Some(loc) => located(&loc, &message),
            None => message,
        };
        if !names.insert((account.tenant.clone(), account.name.to_ascii_lowercase())) {
            return Err(at(format!(
                "account `{}` appears twice in tenant `{}` (names are case-insensitive)",
                account.name, account.tenant
            )));
        }
        for doc in &account.documents {
            if !ids.insert(doc.id) {
                return Err(at(format!(
                    "account `{}`: document id {} is used twice",
                    account.name, doc.id
                )));
            }
        }
    }
    Ok(())
}

/// Returns a UUID (version 4 layout) derived only from `key`, so seeded
/// documents keep the same ids on every start.
pub(crate) fn stable_uuid(key: &str) -> Uuid {
    let high = mix(fnv1a(key.as_bytes(), 0xcbf2_9ce4_8422_2325));
    let low = mix(fnv1a(key.as_bytes(), 0x6c62_272e_07bb_0142));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn fnv1a(bytes: &[u8], basis: u64) -> u64 {
    bytes.iter().fold(basis, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Spreads the bits of an FNV hash (splitmix64 finaliser).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Returns the banner `scenario mock` prints: one line per account with its
/// tenant and factors, and with `show_secrets` also its password, TOTP secret
/// and recovery codes.
#[must_use]
pub fn describe_accounts(seed: &Seed, show_secrets: bool) -> String {
    let width = seed.accounts.iter().map(|a| a.name.len()).max().unwrap_or(0);
    let tenant_width = seed.accounts.iter().map(|a| a.tenant.len()).max().unwrap_or(0);
    let mut out = String::new();
    for account in &seed.accounts {
        let factors = if account.factors.is_empty() {
            "none".to_owned()
        } else {
            account
                .factors
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join("+")
        };
        let mut line = format!(
            "{:width$}  tenant {:tenant_width$}  factors {factors}",
            account.name, account.tenant
        );
        if !account.rights.iter().any(|r| r == SEARCH_RIGHT) {
            line.push_str("  (no search right)");
        }
        if account.status == AccountStatus::Suspended {
            line.push_str("  (suspended)");
        }
        // Writing into a String cannot fail, so the `write!` results are ignored.
        if show_secrets {
            match &account.credential {
                Credential::Password(password) => {
                    let _ = write!(line, "  password {password}");
                }
                Credential::Hash(_) => line.push_str("  password (given as hash)"),
            }
            if let Some(secret) = &account.totp_secret {
                let _ = write!(line, "  totp_secret {secret}");
            }
            if !account.recovery_codes.is_empty() {
                let _ = write!(line, "  recovery_codes {}", account.recovery_codes.join(","));
            }
        } else if !account.recovery_codes.is_empty() {
            let _ = write!(line, "  {} recovery codes", account.recovery_codes.len());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
accounts:
  - name: alice@example.com
    password: "s3cret!"
    factors: [email, totp]
    totp_secret: jbswy3dpehpk3pxp jbswy3dpehpk3pxp
    recovery_codes: [06482719, "12345678"]
    documents:
      - title: Lease agreement
        state: inprogress
        date: 2025-03-01T10:00:00Z
        pages: 4
  - name: bob
    tenant: acme
    password: pw
    phone: "+420777123489"
    factors: [sms]
"#;

    #[test]
    fn parses_an_example_with_defaults() {
        let seed = Seed::from_yaml(EXAMPLE).unwrap();
        let alice = &seed.accounts[0];
        assert_eq!(alice.tenant, "default");
        assert_eq!(alice.fullname, "Alice");
        assert_eq!(alice.mail, "alice@example.com");
        assert_eq!(alice.recovery_codes, ["06482719", "12345678"]);
        assert_eq!(alice.rights.len(), FULL_RIGHTS.len());
        let doc = &alice.documents[0];
        assert_eq!(doc.state, ShareState::Inprogress);
        assert_eq!(doc.pages, 4);
        assert_eq!(doc.id, stable_uuid("default/alice@example.com/0/Lease agreement"));
        assert_eq!(seed.accounts[1].tenant, "acme");
        assert_eq!(seed.accounts[1].factors, [Factor::Sms]);
    }

    #[test]
    fn unknown_fields_are_reported_with_line_and_column() {
        let err = Seed::from_yaml("accounts:\n  - name: a\n    password: b\n    pasword: c\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("pasword"), "{text}");
        assert!(text.contains("line 4"), "{text}");
    }

    #[test]
    fn semantic_errors_point_at_the_account() {
        let err = Seed::from_yaml(
            "accounts:\n  - name: a\n    password: b\n  - name: t\n    password: p\n    factors: [totp]\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("line 4, column 5"), "{text}");
        assert!(text.contains("totp_secret"), "{text}");
    }

    #[test]
    fn rejects_impossible_accounts() {
        let cases = [
            ("accounts:\n  - name: a b\n    password: p\n", "name must match"),
            (
                "accounts:\n  - name: a\n    tenant: Acme\n    password: p\n",
                "tenant `Acme`",
            ),
            ("accounts:\n  - name: a\n", "exactly one of"),
            (
                "accounts:\n  - name: a\n    password: p\n    password_hash: x\n",
                "exactly one of",
            ),
            (
                "accounts:\n  - name: a\n    password_hash: nope\n",
                "password_hash",
            ),
            (
                "accounts:\n  - name: a\n    password: p\n    factors: [sms]\n",
                "phone",
            ),
            (
                "accounts:\n  - name: a\n    password: p\n    factors: [email]\n",
                "e-mail address",
            ),
            (
                "accounts:\n  - name: a\n    password: p\n    factors: [totp]\n    totp_secret: JBSW\n",
                "unusable",
            ),
            (
                "accounts:\n  - name: a\n    password: p\n    factors: [totp]\n    totp_secret: '1!'\n",
                "base32",
            ),
            (
                "accounts:\n  - name: a\n    password: p\n    recovery_codes: ['1']\n",
                "at least one factor",
            ),
            (
                "accounts:\n  - name: a\n    password: p\n  - name: A\n    password: q\n",
                "appears twice",
            ),
            (
                "accounts:\n  - name: a\n    password: p\n    factors: [fax]\n",
                "fax",
            ),
            (
                "accounts:\n  - name: a\n    password: p\n    documents: [{title: x, id: nope}]\n",
                "not a UUID",
            ),
            (
                "accounts:\n  - name: a\n    password: p\n    documents: [{title: x, date: today}]\n",
                "RFC 3339",
            ),
            ("accounts: [\n", "line"),
        ];
        for (yaml, needle) in cases {
            let text = Seed::from_yaml(yaml).unwrap_err().to_string();
            assert!(text.contains(needle), "{yaml:?} gave {text}");
        }
    }

    #[test]
    fn from_file_names_the_file_or_the_io_error() {
        let missing = Seed::from_file(Path::new("no/such/seed.yaml")).unwrap_err();
        assert!(matches!(missing, MockError::ReadSeed { .. }));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seed.yaml");
        std::fs::write(&path, "accounts: 3\n").unwrap();
        let text = Seed::from_file(&path).unwrap_err().to_string();
        assert!(text.contains("seed.yaml"), "{text}");
    }

    #[test]
    fn builtin_seed_passes_its_own_rules_and_ids_are_stable() {
        let seed = Seed::builtin();
        let locations = vec![None; seed.accounts.len()];
        for account in &seed.accounts {
            check_account(account).unwrap();
        }
        check_accounts(&seed.accounts, &locations).unwrap();
        let again = Seed::builtin();
        let ids = |s: &Seed| {
            s.accounts
                .iter()
                .flat_map(|a| a.documents.iter().map(|d| d.id))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&seed), ids(&again));
        assert_eq!(stable_uuid("x").get_version_num(), 4);
        assert_ne!(stable_uuid("x"), stable_uuid("y"));
    }

    #[test]
    fn describe_hides_secrets_unless_asked() {
        let seed = Seed::from_yaml(EXAMPLE).unwrap();
        let quiet = describe_accounts(&seed, false);
        assert!(quiet.contains("alice@example.com  tenant default  factors email+totp  2 recovery codes"));
        assert!(quiet.contains("bob                tenant acme     factors sms"));
        assert!(!quiet.contains("s3cret!") && !quiet.contains("06482719"));
        let loud = describe_accounts(&seed, true);
        assert!(loud.contains("password s3cret!"));
        assert!(loud.contains("recovery_codes 06482719,12345678"));
        assert!(loud.contains("totp_secret jbswy3dpehpk3pxp jbswy3dpehpk3pxp"));
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let seed = Seed::from_yaml(EXAMPLE).unwrap();
        let debug = format!("{seed:?}");
        assert!(!debug.contains("s3cret!") && !debug.contains("06482719") && !debug.contains("jbswy"));
    }

    #[test]
    fn full_names_come_from_email_local_parts() {
        assert_eq!(fullname_from("mary.griffin@circularo.com"), "Mary Griffin");
        assert_eq!(fullname_from("no_search"), "No Search");
    }
}

//! Owns the seed file format (`--seed FILE`): its YAML shape, strict parsing
//! that keeps recovery codes and phone numbers as written, error messages by
//! line and column, and the conversion of each entry into an [`AccountSeed`]
//! (defaults filled, then checked against the seed rules).
//!
//! Must not quote the file in errors (it holds passwords and codes), nor know
//! about hashing, sessions or HTTP.

use serde::Deserialize;
use serde_saphyr::Spanned;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::MockError;
use super::account::{
    AccountSeed, AccountStatus, Credential, DEFAULT_DOCUMENT_TYPE, DEFAULT_TENANT, DocumentSeed, Factor,
    ShareState, typical_pdf_size,
};
use super::crypto::check_phc;
use super::rules::{check_account, check_accounts, located};
use super::stable_id::stable_uuid;

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

/// Returns the date of a seeded document that gives none.
fn default_document_date() -> OffsetDateTime {
    time::macros::datetime!(2025-01-02 09:00:00 UTC)
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

/// Parses a YAML seed read from `origin` (a file name, or `(text)`) into its
/// checked accounts.
///
/// # Errors
/// Returns [`MockError::InvalidSeed`] with the line and column of the problem.
pub(crate) fn parse_accounts(text: &str, origin: &str) -> Result<Vec<AccountSeed>, MockError> {
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
    Ok(accounts)
}

fn parse_date(field: &str, value: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|e| format!("{field} `{value}` is not an RFC 3339 date-time: {e}"))
}

fn convert_account(file: AccountFile) -> Result<AccountSeed, String> {
    let name = file.name;
    let context = |message: String| format!("account `{name}`: {message}");
    let credential = match (file.password, file.password_hash) {
        (Some(password), None) => Credential::Password(password),
        (None, Some(hash)) => {
            check_phc(&hash).map_err(|e| context(format!("password_hash: {e}")))?;
            Credential::Hash(hash)
        }
        _ => {
            return Err(context(
                "give exactly one of `password` or `password_hash`".into(),
            ));
        }
    };
    let tenant = file.tenant.unwrap_or_else(|| DEFAULT_TENANT.to_owned());
    let mut account = AccountSeed::new(&name, &tenant, credential);
    let profile = &mut account.profile;
    if let Some(text) = file.recovery_codes_created_on {
        profile.recovery_codes_created_on =
            parse_date("recovery_codes_created_on", &text).map_err(context)?;
    }
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
        profile.documents.push(DocumentSeed {
            id,
            title: doc.title,
            state: doc.state,
            date,
            pages,
            size: doc.size.unwrap_or_else(|| typical_pdf_size(pages)),
            version: doc.version.unwrap_or(1),
            document_type: doc
                .document_type
                .unwrap_or_else(|| DEFAULT_DOCUMENT_TYPE.to_owned()),
        });
    }
    if let Some(fullname) = file.fullname {
        profile.fullname = fullname;
    }
    if let Some(mail) = file.mail {
        profile.mail = mail;
    }
    if let Some(role) = file.role {
        profile.role = role;
    }
    if let Some(rights) = file.rights {
        profile.rights = rights;
    }
    profile.phone = file.phone;
    profile.status = file.status;
    profile.factors = file.factors;
    account.totp_secret = file.totp_secret;
    account.mfa_code = file.mfa_code;
    account.recovery_codes = file.recovery_codes;
    check_account(&account).map_err(context)?;
    Ok(account)
}

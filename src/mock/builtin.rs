//! Owns the built-in seed: the accounts every documented Circularo flow needs
//! (plain, e-mail, SMS, TOTP, recovery codes, two factors, no search right,
//! suspended, a second tenant) and their stable document catalogues.
//!
//! Everything here is fixed data: the same ids, titles and dates on every
//! start. Must not read files or the environment, nor repeat the defaults
//! every account starts from (those live in `account`).

use time::{Duration, OffsetDateTime};

use super::account::{
    AccountSeed, AccountStatus, Credential, DEFAULT_DOCUMENT_TYPE, DEFAULT_TENANT, DocumentSeed, FULL_RIGHTS,
    Factor, SEARCH_RIGHT, ShareState, typical_pdf_size,
};
use super::stable_id::stable_uuid;

/// The password of every built-in account (the one in Circularo's guides).
pub(crate) const PASSWORD: &str = "#32Password1!";

/// The base32 TOTP secret of `mfa.totp@circularo.com`.
pub(crate) const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The e-mail code of `mfa.email@circularo.com` under `mfa_codes: fixed` (the guide's example).
pub(crate) const EMAIL_CODE: &str = "271008";

/// The SMS code of `mfa.sms@circularo.com` under `mfa_codes: fixed`.
pub(crate) const SMS_CODE: &str = "510429";

/// The recovery codes of `mfa.recovery@circularo.com`.
pub(crate) const RECOVERY_CODES: [&str; 10] = [
    "40718623", "59302714", "82146039", "13579246", "97531864", "24680135", "61820473", "35074918",
    "78293056", "06482719",
];

/// Mary Griffin's documents: enough for three pages of ten.
const MARY_DOCUMENTS: &[(&str, ShareState, u32)] = &[
    (
        "Master Services Agreement - Northwind Traders",
        ShareState::Completed,
        14,
    ),
    ("Mutual NDA - Contoso Ltd.", ShareState::Completed, 3),
    ("Employment Contract - Jan Novak", ShareState::Inprogress, 6),
    ("Purchase Order PO-2025-0412", ShareState::Completed, 2),
    ("Office Lease Amendment No. 2", ShareState::Inprogress, 5),
    ("Data Processing Agreement - Fabrikam", ShareState::Completed, 9),
    (
        "Consulting Agreement - Adatum Corporation",
        ShareState::Rejected,
        7,
    ),
    ("Invoice Approval INV-88213", ShareState::Completed, 1),
    ("Board Resolution - Q3 Budget", ShareState::Completed, 2),
    ("Supplier Code of Conduct Acknowledgement", ShareState::Expired, 4),
    ("Software License Agreement - Litware", ShareState::Completed, 11),
    ("Change Request CR-1187", ShareState::Cancelled, 2),
    ("Vehicle Handover Protocol", ShareState::Completed, 1),
    ("Loan Agreement - Woodgrove Bank", ShareState::Inprogress, 12),
    (
        "Service Level Agreement - Tailspin Toys",
        ShareState::Completed,
        8,
    ),
    ("Remote Work Policy Acknowledgement", ShareState::Completed, 2),
    ("Partnership Agreement - Proseware", ShareState::Inprogress, 10),
    ("Statement of Work SOW-07", ShareState::Completed, 3),
    (
        "Termination Notice - Lucerne Publishing",
        ShareState::Completed,
        1,
    ),
    (
        "Distribution Agreement - Wide World Importers",
        ShareState::Expired,
        15,
    ),
    ("Power of Attorney - Regional Office", ShareState::Completed, 2),
    ("GDPR Consent Form - Marketing", ShareState::Completed, 1),
    (
        "Framework Agreement - Blue Yonder Airlines",
        ShareState::Rejected,
        18,
    ),
    ("Equipment Rental Contract", ShareState::Completed, 4),
];

/// Documents of the other default-tenant accounts, taken three at a time.
const TEAM_DOCUMENTS: &[(&str, ShareState, u32)] = &[
    ("Travel Expense Report - March", ShareState::Completed, 2),
    ("Training Certificate Confirmation", ShareState::Completed, 1),
    ("Project Charter - Atlas Migration", ShareState::Inprogress, 6),
    ("Access Request - Finance Share", ShareState::Completed, 1),
    ("Quality Audit Checklist", ShareState::Inprogress, 3),
    ("Customer Complaint Resolution CC-204", ShareState::Completed, 2),
    ("Vendor Onboarding Form - Trey Research", ShareState::Completed, 5),
    ("Overtime Approval - Week 14", ShareState::Rejected, 1),
    ("Asset Disposal Record", ShareState::Completed, 2),
    ("Security Incident Report SIR-31", ShareState::Completed, 4),
    ("Budget Transfer Request", ShareState::Cancelled, 1),
    ("Maintenance Contract - HVAC", ShareState::Inprogress, 7),
    (
        "Client Onboarding Checklist - Fourth Coffee",
        ShareState::Completed,
        3,
    ),
    ("Annual Leave Request", ShareState::Completed, 1),
    ("Procurement Approval - Laptops", ShareState::Expired, 2),
    ("Internal Memo - Office Move", ShareState::Completed, 1),
    ("Risk Assessment - Warehouse", ShareState::Completed, 5),
    ("Sponsorship Agreement - City Marathon", ShareState::Inprogress, 4),
    ("Insurance Claim Form IC-552", ShareState::Completed, 3),
    ("Warranty Extension - Printers", ShareState::Completed, 2),
    ("Contractor Timesheet - April", ShareState::Completed, 1),
];

/// Documents of the `acme` tenant's user.
const ACME_DOCUMENTS: &[(&str, ShareState, u32)] = &[
    ("ACME Supply Agreement 2025", ShareState::Completed, 9),
    ("ACME Rocket Skates Purchase Order", ShareState::Inprogress, 2),
    ("ACME Anvil Safety Certificate", ShareState::Completed, 1),
    ("ACME Distributor NDA - Road Runner Inc.", ShareState::Rejected, 3),
    ("ACME Warehouse Lease", ShareState::Completed, 12),
];

/// The newest built-in document date; older ones step back from it.
fn newest_document_date() -> OffsetDateTime {
    time::macros::datetime!(2025-11-20 14:05:00 UTC)
}

fn documents(tenant: &str, owner: &str, catalogue: &[(&str, ShareState, u32)]) -> Vec<DocumentSeed> {
    catalogue
        .iter()
        .enumerate()
        .map(|(index, &(title, state, pages))| {
            let step = i64::try_from(index).unwrap_or(0);
            DocumentSeed {
                id: stable_uuid(&format!("{tenant}/{owner}/{index}/{title}")),
                title: title.to_owned(),
                state,
                date: newest_document_date() - Duration::days(step * 8) - Duration::minutes(step * 37),
                pages,
                size: typical_pdf_size(pages) + (index % 7) as u64 * 1_031,
                version: 1 + (index % 3) as u32,
                document_type: DEFAULT_DOCUMENT_TYPE.to_owned(),
            }
        })
        .collect()
}

/// Builds one account with the shared password, full rights and no factors.
fn account(name: &str, tenant: &str) -> AccountSeed {
    AccountSeed::new(name, tenant, Credential::Password(PASSWORD.to_owned()))
}

/// Builds a default-tenant account with `factors` and three team documents.
fn team_member(name: &str, factors: &[Factor], phone: Option<&str>, slot: usize) -> AccountSeed {
    let start = (slot * 3) % TEAM_DOCUMENTS.len();
    let end = (start + 3).min(TEAM_DOCUMENTS.len());
    let mut member = account(name, DEFAULT_TENANT);
    member.profile.factors = factors.to_vec();
    member.profile.phone = phone.map(str::to_owned);
    member.profile.documents = documents(DEFAULT_TENANT, name, &TEAM_DOCUMENTS[start..end]);
    member
}

/// Returns the built-in accounts in a fixed order.
pub(crate) fn accounts() -> Vec<AccountSeed> {
    let mary_name = "mary.griffin@circularo.com";
    let mut mary = account(mary_name, DEFAULT_TENANT);
    mary.profile.role = "admin".to_owned();
    mary.profile.phone = Some("+420777123489".to_owned());
    mary.profile.documents = documents(DEFAULT_TENANT, mary_name, MARY_DOCUMENTS);
    let mut totp = team_member("mfa.totp@circularo.com", &[Factor::Totp], None, 2);
    totp.totp_secret = Some(TOTP_SECRET.to_owned());
    let mut recovery = team_member("mfa.recovery@circularo.com", &[Factor::Email], None, 3);
    recovery.recovery_codes = RECOVERY_CODES.iter().map(|c| (*c).to_owned()).collect();
    recovery.fixed_code = Some("318642".to_owned());
    let mut email = team_member("mfa.email@circularo.com", &[Factor::Email], None, 0);
    email.fixed_code = Some(EMAIL_CODE.to_owned());
    let mut sms = team_member("mfa.sms@circularo.com", &[Factor::Sms], Some("+420777100201"), 1);
    sms.fixed_code = Some(SMS_CODE.to_owned());
    let mut wrong_code = team_member(
        "mfa.wrongcode@circularo.com",
        &[Factor::Sms],
        Some("+420777100202"),
        4,
    );
    wrong_code.fixed_code = Some("624180".to_owned());
    let mut both = team_member(
        "mfa.both@circularo.com",
        &[Factor::Email, Factor::Sms],
        Some("+420777100203"),
        5,
    );
    both.fixed_code = Some("902715".to_owned());
    let mut no_search = team_member("no.search@circularo.com", &[], None, 6);
    no_search.profile.rights = FULL_RIGHTS
        .iter()
        .filter(|r| **r != SEARCH_RIGHT)
        .map(|r| (*r).to_owned())
        .collect();
    let mut suspended = account("suspended.user@circularo.com", DEFAULT_TENANT);
    suspended.profile.status = AccountStatus::Suspended;
    let jane_name = "jane.doe@acme.example";
    let mut jane = account(jane_name, "acme");
    jane.profile.documents = documents("acme", jane_name, ACME_DOCUMENTS);
    vec![
        mary, email, sms, totp, recovery, wrong_code, both, no_search, suspended, jane,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::Seed;
    use crate::mock::rules::{check_account, check_accounts};

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
                .flat_map(|a| a.profile.documents.iter().map(|d| d.id))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&seed), ids(&again));
        assert_eq!(stable_uuid("x").get_version_num(), 4);
        assert_ne!(stable_uuid("x"), stable_uuid("y"));
    }
}

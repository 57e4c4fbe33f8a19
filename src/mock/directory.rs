//! Owns the accounts as the server holds them from start to stop: each seeded
//! [`Profile`] with its secrets hashed ([`Account`]), and the lookups a login
//! needs (by tenant and name, and the hash to verify a password against, a
//! dummy one of the same cost for unknown names).
//!
//! Must not hold anything that changes while the mock runs (sessions and used
//! codes live in `memory`); all hashing happens once, before serving.

use super::account::{AccountSeed, Credential, Profile};
use super::config::Settings;
use super::crypto::{self, CodeDigest, CodeHasher};
use super::rules::totp_from_secret;
use super::{MockError, Seed};

/// The password the dummy hash is made of; only its cost matters.
const DUMMY_PASSWORD: &str = "no account has this password";

/// Holds one seeded account with its secrets hashed.
#[derive(Debug)]
pub(crate) struct Account {
    /// Documents newest first, the order search answers in.
    pub(crate) profile: Profile,
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
    /// Returns the authenticator that checks this account's TOTP codes.
    pub(crate) fn totp(&self) -> Option<&totp_rs::Totp> {
        self.totp.as_ref()
    }

    /// Returns what a recovery-code candidate must be hashed with.
    pub(crate) fn recovery_hasher(&self) -> Option<&CodeHasher> {
        self.recovery.as_ref().map(|r| &r.hasher)
    }

    /// Returns the digests of the seeded recovery codes, in seed order.
    pub(crate) fn recovery_digests(&self) -> &[CodeDigest] {
        self.recovery.as_ref().map_or(&[], |r| r.digests.as_slice())
    }

    /// Returns how many recovery codes the account was seeded with.
    pub(crate) fn recovery_code_count(&self) -> usize {
        self.recovery_digests().len()
    }
}

/// Holds every account, in seed order, and the dummy hash unknown names are
/// checked against.
#[derive(Debug)]
pub(crate) struct Directory {
    accounts: Vec<Account>,
    dummy_hash: String,
}

impl Directory {
    /// Hashes every seeded secret at the configured cost.
    pub(crate) fn build(seed: Seed, settings: &Settings) -> Result<Self, MockError> {
        let accounts = seed
            .accounts
            .into_iter()
            .map(|a| hash_account(a, settings))
            .collect::<Result<Vec<_>, _>>()?;
        let dummy_hash = crypto::hash_password(DUMMY_PASSWORD, &settings.hash_params)?;
        Ok(Self { accounts, dummy_hash })
    }

    /// Returns the account at `index`.
    pub(crate) fn get(&self, index: usize) -> Option<&Account> {
        self.accounts.get(index)
    }

    /// Returns every account, in seed order.
    pub(crate) fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// Returns whether any account lives in `tenant`.
    pub(crate) fn tenant_exists(&self, tenant: &str) -> bool {
        self.accounts.iter().any(|a| a.profile.tenant == tenant)
    }

    /// Returns the index of the account `name` (case-insensitive) in `tenant`.
    pub(crate) fn find_account(&self, tenant: &str, name: &str) -> Option<usize> {
        self.accounts
            .iter()
            .position(|a| a.profile.tenant == tenant && a.profile.name.eq_ignore_ascii_case(name))
    }

    /// Returns the PHC string to verify a login against: the account's, or a
    /// dummy of the same cost so unknown names take as long as wrong passwords.
    pub(crate) fn password_hash_for(&self, account: Option<usize>) -> String {
        account
            .and_then(|i| self.accounts.get(i))
            .map_or_else(|| self.dummy_hash.clone(), |a| a.password_hash.clone())
    }
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
        .map(totp_from_secret)
        .transpose()
        .map_err(|e| invalid(format!("account `{}`: {e}", seed.profile.name)))?;
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
    let mut profile = seed.profile;
    profile
        .documents
        .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
    Ok(Account {
        profile,
        mfa_code: seed.mfa_code,
        password_hash,
        totp,
        recovery,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::MockConfig;

    fn cost_prefix(phc: &str) -> String {
        phc.split('$').take(4).collect::<Vec<_>>().join("$")
    }

    #[test]
    fn unknown_names_are_checked_against_a_hash_of_the_same_cost() {
        let settings = MockConfig::default().validate().unwrap();
        let directory = Directory::build(Seed::builtin(), &settings).unwrap();
        let dummy = directory.password_hash_for(None);
        let mary =
            directory.password_hash_for(directory.find_account("default", "MARY.GRIFFIN@circularo.com"));
        assert_ne!(dummy, mary);
        assert_eq!(cost_prefix(&dummy), "$argon2id$v=19$m=256,t=1,p=1");
        assert_eq!(cost_prefix(&dummy), cost_prefix(&mary));
        assert!(!crypto::verify_password(crate::mock::builtin::PASSWORD, &dummy));
    }
}

//! Owns [`Seed`]: the accounts, factors, recovery codes and documents the mock
//! starts with, read from YAML (`--seed FILE`, see `seed_file`) or built in
//! (`builtin`), and the banner `scenario mock` prints about them.
//!
//! Holds plain-text secrets because it describes test fixtures; hashing happens
//! when the state is built. Must not know about sessions or HTTP.

use std::fmt::Write as _;
use std::path::Path;

use super::MockError;
use super::account::{AccountSeed, AccountStatus, Credential, Factor, SEARCH_RIGHT};
use super::stable_id::stable_digits;
use super::{builtin, seed_file};

/// Holds the accounts (and their documents) the mock starts with.
#[derive(Debug, Clone)]
pub struct Seed {
    pub(crate) accounts: Vec<AccountSeed>,
}

impl Seed {
    /// Returns the built-in accounts described in `docs/mock.md`.
    #[must_use]
    pub fn builtin() -> Seed {
        Seed {
            accounts: builtin::accounts(),
        }
    }

    /// Parses a YAML seed.
    ///
    /// # Errors
    /// Returns [`MockError::InvalidSeed`] with the line and column of the problem.
    pub fn from_yaml(text: &str) -> Result<Seed, MockError> {
        let accounts = seed_file::parse_accounts(text, "(text)")?;
        Ok(Seed { accounts })
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
        let accounts = seed_file::parse_accounts(&text, &path.display().to_string())?;
        Ok(Seed { accounts })
    }

    /// Returns the seed as `mfa_codes: fixed` serves it: every account with an
    /// e-mail or SMS factor sends one fixed code, its `mfa_code` if it has one,
    /// else its listed built-in code, else six digits derived from its tenant
    /// and name (the same on every start; `scenario mock --show-secrets` shows it).
    #[must_use]
    pub fn with_fixed_codes(mut self) -> Seed {
        for account in &mut self.accounts {
            let sends_codes = account
                .profile
                .factors
                .iter()
                .any(|f| matches!(f, Factor::Email | Factor::Sms));
            if sends_codes && account.mfa_code.is_none() {
                let derived = || {
                    stable_digits(
                        &format!("mfa-code/{}/{}", account.profile.tenant, account.profile.name),
                        6,
                    )
                };
                account.mfa_code = Some(account.fixed_code.clone().unwrap_or_else(derived));
            }
        }
        self
    }
}

/// Returns the banner `scenario mock` prints: one line per account with its
/// tenant and factors, and with `show_secrets` also its password, TOTP secret
/// and recovery codes.
#[must_use]
pub fn describe_accounts(seed: &Seed, show_secrets: bool) -> String {
    let width = seed
        .accounts
        .iter()
        .map(|a| a.profile.name.len())
        .max()
        .unwrap_or(0);
    let tenant_width = seed
        .accounts
        .iter()
        .map(|a| a.profile.tenant.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for account in &seed.accounts {
        let profile = &account.profile;
        let factors = if profile.factors.is_empty() {
            "none".to_owned()
        } else {
            profile
                .factors
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join("+")
        };
        let mut line = format!(
            "{:width$}  tenant {:tenant_width$}  factors {factors}",
            profile.name, profile.tenant
        );
        if !profile.has_right(SEARCH_RIGHT) {
            line.push_str("  (no search right)");
        }
        if profile.status == AccountStatus::Suspended {
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
            if let Some(code) = &account.mfa_code {
                let _ = write!(line, "  mfa_code {code}");
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
    use crate::mock::account::{FULL_RIGHTS, Factor, ShareState};
    use crate::mock::stable_id::stable_uuid;

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
        assert_eq!(alice.profile.tenant, "default");
        assert_eq!(alice.profile.fullname, "Alice");
        assert_eq!(alice.profile.mail, "alice@example.com");
        assert_eq!(alice.recovery_codes, ["06482719", "12345678"]);
        assert_eq!(alice.profile.rights.len(), FULL_RIGHTS.len());
        let doc = &alice.profile.documents[0];
        assert_eq!(doc.state, ShareState::Inprogress);
        assert_eq!(doc.pages, 4);
        assert_eq!(doc.id, stable_uuid("default/alice@example.com/0/Lease agreement"));
        assert_eq!(seed.accounts[1].profile.tenant, "acme");
        assert_eq!(seed.accounts[1].profile.factors, [Factor::Sms]);
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
    fn fixed_codes_come_from_the_seed_the_builtin_list_or_the_name() {
        let seed = Seed::from_yaml(EXAMPLE).unwrap().with_fixed_codes();
        let alice = seed.accounts[0].mfa_code.clone().unwrap();
        let bob = seed.accounts[1].mfa_code.clone().unwrap();
        assert!(
            alice.len() == 6 && alice.bytes().all(|b| b.is_ascii_digit()),
            "{alice}"
        );
        assert_ne!(alice, bob);
        let again = Seed::from_yaml(EXAMPLE).unwrap().with_fixed_codes();
        assert_eq!(
            again.accounts[0].mfa_code.as_deref(),
            Some(alice.as_str()),
            "stable"
        );
        assert!(describe_accounts(&seed, true).contains(&format!("mfa_code {alice}")));
        let given = Seed::from_yaml("accounts:\n  - name: c\n    password: p\n    factors: [email]\n    mail: c@x.y\n    mfa_code: '4321'\n").unwrap();
        assert_eq!(
            given.with_fixed_codes().accounts[0].mfa_code.as_deref(),
            Some("4321")
        );
        let builtin = Seed::builtin().with_fixed_codes();
        let code_of = |name: &str| {
            builtin
                .accounts
                .iter()
                .find(|a| a.profile.name == name)
                .and_then(|a| a.mfa_code.clone())
        };
        assert_eq!(
            code_of("mfa.email@circularo.com").as_deref(),
            Some(builtin::EMAIL_CODE)
        );
        assert_eq!(
            code_of("mfa.sms@circularo.com").as_deref(),
            Some(builtin::SMS_CODE)
        );
        assert_eq!(code_of("mary.griffin@circularo.com"), None, "no factor, no code");
        assert_eq!(code_of("mfa.totp@circularo.com"), None, "TOTP codes are computed");
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let seed = Seed::from_yaml(EXAMPLE).unwrap();
        let debug = format!("{seed:?}");
        assert!(!debug.contains("s3cret!") && !debug.contains("06482719") && !debug.contains("jbswy"));
    }
}

//! Owns the names whose values are secret by default (tokens, passwords,
//! keys, codes), so a forgotten `secrets:` entry leaks nothing.
//!
//! A pure test over a name. Must not know where names come from nor hold
//! any value.

/// Name endings whose values are secret by default: tokens, passwords, keys,
/// session ids, one-time codes and credentials (compared ignoring ASCII case).
const SENSITIVE_ENDINGS: &[&str] = &[
    "token",
    "password",
    "passwd",
    "pwd",
    "secret",
    "secret_key",
    "secretkey",
    "private_key",
    "privatekey",
    "access_key",
    "accesskey",
    "code",
    "pin",
    "otp",
    "apikey",
    "api_key",
    "api-key",
    "authorization",
    "bearer",
    "jwt",
    "cookie",
    "session_id",
    "sessionid",
    "session-id",
    "credential",
    "credentials",
];

/// Returns true for names whose values are secret by default: tokens,
/// passwords, secrets, keys, session ids, PINs and codes, so a forgotten
/// `secrets:` entry leaks nothing.
///
/// Allocation-free: it runs for every variable, header, field and cookie.
#[must_use]
pub fn is_sensitive_name(name: &str) -> bool {
    let name = name.as_bytes();
    SENSITIVE_ENDINGS.iter().any(|ending| {
        let ending = ending.as_bytes();
        name.len() >= ending.len() && name[name.len() - ending.len()..].eq_ignore_ascii_case(ending)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_names_cover_tokens_passwords_and_codes() {
        for name in [
            "token",
            "sessionToken",
            "password",
            "totp_secret",
            "code",
            "recoveryCode",
            "mfa_code",
            "session_id",
            "sessionId",
            "private_key",
            "secret_key",
            "pwd",
            "passwd",
            "pin",
            "user_pin",
            "otp",
            "jwt",
            "bearer",
            "credentials",
            "X-API-Key",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in [
            "name", "tenant", "from", "size", "factor", "shipping", "keyword", "session",
        ] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }
}

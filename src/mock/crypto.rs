//! Owns the mock's secret material: random tokens and codes from the OS
//! CSPRNG, Argon2id hashing of passwords and recovery codes, and constant-time
//! comparison. Must not know sessions or HTTP, nor keep the secrets it makes.

use std::sync::atomic::{AtomicU64, Ordering};

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use base64::Engine as _;
use subtle::ConstantTimeEq;

use super::MockError;
use super::switches::{RequestIdFormat, TokenFormat};

const TOKEN_ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Length of a session token, as in Circularo's examples.
pub(crate) const TOKEN_LEN: usize = 64;

/// Length of the Argon2 output kept for each recovery code.
const CODE_DIGEST_LEN: usize = 32;

/// Returns a session token in `format`: 64 characters from `[A-Za-z0-9]`
/// (the default), 64 lowercase hex digits, or 32 random bytes in base64url.
pub(crate) fn random_token(format: TokenFormat) -> Result<String, getrandom::Error> {
    match format {
        // 248 = 4 * 62: dropping bytes at or above it keeps every character equally likely.
        TokenFormat::Alphanumeric64 => random_symbols(TOKEN_LEN, 248, |b| {
            char::from(TOKEN_ALPHABET[usize::from(b % 62)])
        }),
        TokenFormat::Hex64 => {
            let mut bytes = [0u8; TOKEN_LEN / 2];
            getrandom::fill(&mut bytes)?;
            Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
        }
        TokenFormat::Base64url43 => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes)?;
            Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
        }
    }
}

/// Returns `count` random decimal digits (an e-mail/SMS code keeps its leading zeros).
pub(crate) fn random_digits(count: usize) -> Result<String, getrandom::Error> {
    random_symbols(count, 250, |b| char::from(b'0' + b % 10))
}

/// Draws `count` symbols, rejecting bytes at or above `limit` so `symbol` sees a
/// uniform distribution.
fn random_symbols(count: usize, limit: u8, symbol: impl Fn(u8) -> char) -> Result<String, getrandom::Error> {
    let mut out = String::with_capacity(count);
    let mut buf = [0u8; 64];
    while out.len() < count {
        getrandom::fill(&mut buf)?;
        for &b in buf.iter().filter(|&&b| b < limit) {
            if out.len() == count {
                break;
            }
            out.push(symbol(b));
        }
    }
    Ok(out)
}

/// Returns a fresh id for one error answer: 32 lowercase hexadecimal
/// characters, or a lowercase UUID (v4) with dashes.
pub(crate) fn request_id(format: RequestIdFormat) -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // A request id only needs to be unique, so a failing CSPRNG must not
        // turn an error answer into a second error.
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos() as u64;
        bytes[..8].copy_from_slice(&nanos.to_be_bytes());
        bytes[8..].copy_from_slice(&count.to_be_bytes());
    }
    match format {
        RequestIdFormat::Hex => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        RequestIdFormat::Uuid => uuid::Builder::from_random_bytes(bytes).into_uuid().to_string(),
    }
}

/// Returns the Argon2id hasher for `params`.
fn argon2id(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` into an Argon2id PHC string with a fresh salt.
pub(crate) fn hash_password(password: &str, params: &Params) -> Result<String, MockError> {
    argon2id(params.clone())
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| MockError::Hashing(e.to_string()))
}

/// Checks that `phc` is a PHC string this mock can verify against.
pub(crate) fn check_phc(phc: &str) -> Result<(), String> {
    let hash = PasswordHash::new(phc).map_err(|e| e.to_string())?;
    if !hash.algorithm.as_str().starts_with("argon2") {
        return Err(format!(
            "unsupported algorithm `{}` (use argon2id)",
            hash.algorithm
        ));
    }
    Ok(())
}

/// Returns whether `password` matches the PHC string `phc`; the comparison of
/// the outputs is constant-time, and a malformed hash simply does not match.
pub(crate) fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// Hashes one account's recovery codes with a shared per-account salt, so that
/// checking a candidate costs one Argon2 run whatever the number of codes.
#[derive(Clone)]
pub(crate) struct CodeHasher {
    salt: [u8; 16],
    params: Params,
}

impl std::fmt::Debug for CodeHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeHasher")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

/// Holds the Argon2id output of one recovery code.
pub(crate) type CodeDigest = [u8; CODE_DIGEST_LEN];

impl CodeHasher {
    /// Creates a hasher with a fresh random salt.
    pub(crate) fn new(params: &Params) -> Result<Self, MockError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| MockError::Random(e.to_string()))?;
        Ok(Self {
            salt,
            params: params.clone(),
        })
    }

    /// Returns the digest of `code`.
    pub(crate) fn digest(&self, code: &str) -> Result<CodeDigest, MockError> {
        let mut out = [0u8; CODE_DIGEST_LEN];
        argon2id(self.params.clone())
            .hash_password_into(code.as_bytes(), &self.salt, &mut out)
            .map_err(|e| MockError::Hashing(e.to_string()))?;
        Ok(out)
    }
}

/// Returns whether two secrets are equal, in time that depends only on their lengths.
pub(crate) fn secrets_equal(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

/// Finds which of `candidates` equals `digest`, comparing against every entry
/// so the time taken does not reveal the position of a match.
pub(crate) fn find_digest(digest: &CodeDigest, candidates: &[(usize, CodeDigest)]) -> Option<usize> {
    let mut found = None;
    for (index, candidate) in candidates {
        if secrets_equal(digest, candidate) {
            found = Some(*index);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_alphanumerics_and_differ() {
        let a = random_token(TokenFormat::Alphanumeric64).unwrap();
        let b = random_token(TokenFormat::Alphanumeric64).unwrap();
        assert_eq!(a.len(), TOKEN_LEN);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn other_token_formats_keep_their_alphabet_and_length() {
        let hex = random_token(TokenFormat::Hex64).unwrap();
        assert_eq!(hex.len(), 64);
        assert!(
            hex.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)),
            "{hex}"
        );
        // Enough draws that a `-` or `_` shows up, so the alphabet is really base64url.
        let urls: String = (0..20)
            .map(|_| random_token(TokenFormat::Base64url43).unwrap())
            .collect();
        assert_eq!(urls.len(), 20 * 43);
        assert!(
            urls.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert!(urls.contains(['-', '_']), "{urls}");
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..50 {
            let code = random_digits(6).unwrap();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn request_ids_are_32_hex() {
        let id = request_id(RequestIdFormat::Hex);
        assert_eq!(id.len(), 32);
        assert!(
            id.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(id, request_id(RequestIdFormat::Hex));
    }

    #[test]
    fn request_ids_can_be_uuids() {
        let id = request_id(RequestIdFormat::Uuid);
        let parsed = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(parsed.to_string(), id, "lowercase and hyphenated");
        assert_eq!(parsed.get_version_num(), 4);
    }

    #[test]
    fn password_hash_round_trip_uses_configured_cost() {
        let params = Params::new(1024, 1, 1, None).unwrap();
        let phc = hash_password("#32Password1!", &params).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{phc}");
        assert!(verify_password("#32Password1!", &phc));
        assert!(!verify_password("#32Password1?", &phc));
        assert!(!verify_password("#32Password1!", "not a hash"));
        assert!(check_phc(&phc).is_ok());
        assert!(check_phc("$pbkdf2-sha256$i=1000$c2FsdA$aGFzaA").is_err());
    }

    #[test]
    fn code_digests_match_only_the_same_code() {
        let hasher = CodeHasher::new(&Params::new(64, 1, 1, None).unwrap()).unwrap();
        let stored = vec![
            (0, hasher.digest("11111111").unwrap()),
            (1, hasher.digest("22222222").unwrap()),
        ];
        assert_eq!(find_digest(&hasher.digest("22222222").unwrap(), &stored), Some(1));
        assert_eq!(find_digest(&hasher.digest("33333333").unwrap(), &stored), None);
        assert!(secrets_equal(b"123456", b"123456"));
        assert!(!secrets_equal(b"123456", b"12345"));
    }
}

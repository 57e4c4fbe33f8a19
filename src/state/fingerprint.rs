//! Owns fingerprints: what the state folder keeps instead of a secret. A
//! fingerprint is HMAC-SHA256 keyed by the folder's random 256-bit key, over
//! a domain (`totp`, `pool`) and length-prefixed parts, truncated to 128 bits
//! and written in lowercase hex.
//!
//! Keyed rather than plainly salted: the key lives in its own file, so
//! `state.json` alone (attached to a bug report, say) cannot be used to test
//! guesses of an 8-digit code. Must not store, print or log the inputs.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Bytes of the folder key.
pub(super) const KEY_LEN: usize = 32;
/// Bytes of a fingerprint kept (128 bits: collisions are out of reach).
const FINGERPRINT_LEN: usize = 16;

/// Holds the folder's random key; never printed.
#[derive(Clone)]
pub(super) struct Key([u8; KEY_LEN]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key([hidden])")
    }
}

/// Names one secret value without revealing it: 32 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(String);

impl Fingerprint {
    /// Returns the full fingerprint, as stored.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns its first 12 digits, enough to tell entries apart when shown.
    #[must_use]
    pub fn short(&self) -> &str {
        &self.0[..12.min(self.0.len())]
    }

    pub(super) fn from_stored(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl Key {
    /// Draws a new key from the OS random source.
    pub(super) fn generate() -> std::io::Result<Self> {
        let mut bytes = [0_u8; KEY_LEN];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(Self(bytes))
    }

    /// Reads a key written by [`Key::to_hex`].
    pub(super) fn from_hex(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() != KEY_LEN * 2 {
            return None;
        }
        let mut bytes = [0_u8; KEY_LEN];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
        }
        Some(Self(bytes))
    }

    /// Writes the key as hex, for its file.
    pub(super) fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// Fingerprints `parts` under `domain`; parts are length-prefixed so
    /// (`ab`, `c`) and (`a`, `bc`) never collide.
    pub(super) fn fingerprint(&self, domain: &str, parts: &[&[u8]]) -> Fingerprint {
        // An HMAC takes a key of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        let digest = mac.finalize().into_bytes();
        Fingerprint(hex(&digest[..FINGERPRINT_LEN]))
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key::from_hex(&"0f".repeat(KEY_LEN)).unwrap()
    }

    #[test]
    fn matches_python_hmac_sha256() {
        // python3: hmac.new(bytes([15]*32), b"pool\0" + (14).to_bytes(8,'big') + b"recovery_codes"
        //   + (8).to_bytes(8,'big') + b"40718623", hashlib.sha256).hexdigest()[:32]
        let fingerprint = key().fingerprint("pool", &[b"recovery_codes", b"40718623"]);
        assert_eq!(fingerprint.as_str(), EXPECTED_POOL);
    }

    const EXPECTED_POOL: &str = "58b7be7e15821b4fc9b7e15393265377";

    #[test]
    fn parts_are_length_prefixed_and_domains_apart() {
        let k = key();
        assert_ne!(
            k.fingerprint("pool", &[b"ab", b"c"]),
            k.fingerprint("pool", &[b"a", b"bc"])
        );
        assert_ne!(k.fingerprint("pool", &[b"x"]), k.fingerprint("totp", &[b"x"]));
        let other = Key::from_hex(&"10".repeat(KEY_LEN)).unwrap();
        assert_ne!(k.fingerprint("pool", &[b"x"]), other.fingerprint("pool", &[b"x"]));
    }

    #[test]
    fn keys_round_trip_through_hex_and_bad_files_are_refused() {
        let generated = Key::generate().unwrap();
        let again = Key::from_hex(&generated.to_hex()).unwrap();
        assert_eq!(again.0, generated.0);
        assert!(Key::from_hex("abc").is_none());
        assert!(Key::from_hex(&"zz".repeat(KEY_LEN)).is_none());
        assert_eq!(format!("{generated:?}"), "Key([hidden])");
    }
}

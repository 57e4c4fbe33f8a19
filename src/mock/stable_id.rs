//! Owns [`stable_uuid`]: ids derived only from a key, so seeded documents,
//! their files and signatures keep the same ids on every start; and
//! [`stable_digits`], the deliberately predictable codes of `mfa_codes: fixed`.
//!
//! Must not be used for anything meant to be unguessable: tokens and random
//! codes come from `crypto`.

use uuid::Uuid;

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

/// Returns `count` decimal digits (at most 19) derived only from `key`: the
/// fixed e-mail/SMS code of a seeded account that names none.
pub(crate) fn stable_digits(key: &str, count: u32) -> String {
    let modulus = 10u64.pow(count.min(19));
    let value = mix(fnv1a(key.as_bytes(), 0x9e37_79b9_7f4a_7c15)) % modulus;
    format!("{value:0width$}", width = count as usize)
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

//! Evaluates the byte family: `sha256` and `md5` (a hex digest of the
//! bytes), `equals_base64` and `equals_hex` (the bytes written in base64 or
//! hex). A string is read as its UTF-8 bytes.
//!
//! Must not know subjects or locations.

use base64::Engine;
use md5::Md5;
use sha2::{Digest, Sha256};

use crate::model::Predicate;

use super::super::display::show_typed;
use super::{Judge, PredicateOutcome};

/// Evaluates a byte predicate on a present value.
pub(super) fn eval(judge: &Judge<'_>) -> PredicateOutcome {
    let Some(bytes) = judge.actual.bytes() else {
        let shown = judge
            .actual
            .json()
            .map_or_else(|| judge.actual.show(), show_typed);
        return judge.broken(format!(
            "`{}` applies to bytes and strings; the value is {shown}",
            judge.predicate.keyword()
        ));
    };
    let operand = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    match judge.predicate {
        Predicate::Sha256(hex) => digest_outcome(judge, &to_hex(&Sha256::digest(bytes)), &operand(hex)),
        Predicate::Md5(hex) => digest_outcome(judge, &to_hex(&Md5::digest(bytes)), &operand(hex)),
        Predicate::EqualsBase64(text) => match decode_base64(&operand(text)) {
            Ok(expected) => same_bytes(judge, bytes, &expected),
            Err(e) => judge.broken(format!("`equals_base64` is not valid base64: {e}")),
        },
        Predicate::EqualsHex(text) => match decode_hex(&operand(text)) {
            Ok(expected) => same_bytes(judge, bytes, &expected),
            Err(e) => judge.broken(format!("`equals_hex` is not valid hex: {e}")),
        },
        _ => judge.broken("not a byte predicate".to_owned()),
    }
}

fn digest_outcome(judge: &Judge<'_>, actual: &str, expected: &str) -> PredicateOutcome {
    let expected = expected.trim().to_ascii_lowercase();
    PredicateOutcome {
        actual: actual.to_owned(),
        ..judge.outcome(actual == expected, None)
    }
}

fn same_bytes(judge: &Judge<'_>, actual: &[u8], expected: &[u8]) -> PredicateOutcome {
    if actual == expected {
        return judge.outcome(true, None);
    }
    judge.outcome(false, Some(first_difference(actual, expected)))
}

/// Says where two byte strings first differ.
pub(crate) fn first_difference(actual: &[u8], expected: &[u8]) -> String {
    let at = actual.iter().zip(expected).position(|(a, e)| a != e);
    match at {
        Some(at) => format!(
            "the bytes differ first at offset {at}: 0x{:02x} instead of 0x{:02x}",
            actual[at], expected[at]
        ),
        None => format!(
            "the value has {} bytes, the expected {}",
            actual.len(),
            expected.len()
        ),
    }
}

/// Writes bytes as lowercase hex.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes standard or URL-safe base64, padding optional, blanks ignored.
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let config = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let standard = GeneralPurpose::new(&base64::alphabet::STANDARD, config);
    let url_safe = GeneralPurpose::new(&base64::alphabet::URL_SAFE, config);
    standard
        .decode(&compact)
        .or_else(|_| url_safe.decode(&compact))
        .map_err(|e| e.to_string())
}

/// Decodes hex digits, blanks and `:` separators ignored.
fn decode_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && *c != ':').collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("{} digits is an odd number", digits.len()));
    }
    digits
        .chunks(2)
        .map(|pair| {
            let text: String = pair.iter().collect();
            u8::from_str_radix(&text, 16).map_err(|_| format!("`{text}` is not a hex byte"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_hex_and_base64_leniently() {
        assert_eq!(decode_hex("89 50:4e47").unwrap(), [0x89, 0x50, 0x4e, 0x47]);
        assert!(decode_hex("abc").unwrap_err().contains("odd"));
        assert_eq!(decode_base64("aGk").unwrap(), b"hi");
        assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
        assert_eq!(decode_base64("-_8").unwrap(), [0xfb, 0xff], "URL-safe too");
        assert_eq!(to_hex(&[0, 255]), "00ff");
        assert_eq!(
            first_difference(b"abc", b"abd"),
            "the bytes differ first at offset 2: 0x63 instead of 0x64"
        );
    }
}

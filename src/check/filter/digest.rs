//! Applies the digest family: `sha256` and `md5` (lowercase hex digests of
//! a string's UTF-8 or of bytes) and `to_hex` (the bytes themselves in hex).
//!
//! Must not evaluate predicates.

use md5::Md5;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::model::Filter;

use super::super::actual::Actual;
use super::super::predicate::to_hex;

/// Applies one digest filter.
pub(super) fn apply(filter: &Filter, actual: Actual) -> Result<Actual, String> {
    let bytes = actual
        .bytes()
        .ok_or_else(|| format!("`{}` applies to strings and bytes", filter.name()))?;
    let hex = match filter {
        Filter::Sha256 => to_hex(&Sha256::digest(bytes)),
        Filter::Md5 => to_hex(&Md5::digest(bytes)),
        Filter::ToHex => to_hex(bytes),
        _ => return Err("not a digest filter".to_owned()),
    };
    Ok(Actual::Json(Value::String(hex)))
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use serde_json::json;

    #[test]
    fn hashes_and_hexes() {
        assert_eq!(
            run(json!(["sha256"]), json!("")),
            Ok(json!(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            ))
        );
        assert_eq!(
            run(json!(["md5"]), json!("")),
            Ok(json!("d41d8cd98f00b204e9800998ecf8427e"))
        );
        assert_eq!(run(json!(["to_hex"]), json!("hi")), Ok(json!("6869")));
        assert!(run(json!(["md5"]), json!(1)).is_err());
    }
}

//! Owns the encoded forms a secret may appear in: as written, URL-encoded
//! (`%20` and `+` for spaces), JSON-escaped, base64 (standard and URL-safe),
//! and shell-quoted as curl lines write it (`'` as `'\''`).
//!
//! Must not know secret names, markers or how text is searched.

use base64::Engine as _;

/// Returns `value` as written, URL-encoded (`%20` and `+` for spaces),
/// JSON-escaped, base64-encoded (standard and URL-safe), and as a
/// single-quoted shell word holds it.
pub(super) fn encoded_forms(value: &str) -> [String; 7] {
    let json_escaped = serde_json::to_string(value).unwrap_or_default();
    let json_inner = json_escaped
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(value)
        .to_owned();
    let url = url_encode(value);
    let url_plus = url.replace("%20", "+");
    [
        value.to_owned(),
        url,
        url_plus,
        json_inner,
        base64::engine::general_purpose::STANDARD.encode(value),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value),
        value.replace('\'', "'\\''"),
    ]
}

fn url_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

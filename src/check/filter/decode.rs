//! Applies the decoding family: `base64_decode`, `base64url_decode`,
//! `url_decode`, `html_unescape`, and their inverses `base64_encode`,
//! `url_encode`, `html_escape`.
//!
//! Decoded bytes that are UTF-8 become text, others stay bytes (for
//! `sha256`, `to_hex`, `length`). Must not evaluate predicates.

use base64::Engine;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde_json::Value;

use crate::model::Filter;

use super::super::actual::Actual;
use super::super::predicate::decode_base64;
use super::text_of;

/// Leaves RFC 3986's unreserved characters as they are.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Applies one decoding or encoding filter.
pub(super) fn apply(filter: &Filter, actual: Actual) -> Result<Actual, String> {
    let name = filter.name();
    match filter {
        Filter::Base64Decode | Filter::Base64UrlDecode => {
            let text = text_of(&actual, name)?;
            decode_base64(&text)
                .map(bytes_or_text)
                .map_err(|e| format!("not base64: {e}"))
        }
        Filter::Base64Encode => {
            let bytes = actual
                .bytes()
                .ok_or_else(|| format!("`{name}` applies to strings and bytes"))?;
            Ok(text(base64::engine::general_purpose::STANDARD.encode(bytes)))
        }
        Filter::UrlDecode => {
            let text = text_of(&actual, name)?.replace('+', " ");
            Ok(bytes_or_text(percent_decode_str(&text).collect()))
        }
        Filter::UrlEncode => Ok(text(
            utf8_percent_encode(&text_of(&actual, name)?, COMPONENT).to_string(),
        )),
        Filter::HtmlUnescape => Ok(text(html_unescape(&text_of(&actual, name)?))),
        Filter::HtmlEscape => Ok(text(html_escape(&text_of(&actual, name)?))),
        _ => Err("not a decoding filter".to_owned()),
    }
}

fn text(text: String) -> Actual {
    Actual::Json(Value::String(text))
}

/// Keeps decoded bytes as text when they are UTF-8.
pub(super) fn bytes_or_text(bytes: Vec<u8>) -> Actual {
    match String::from_utf8(bytes) {
        Ok(text) => Actual::Json(Value::String(text)),
        Err(e) => Actual::Bytes(e.into_bytes()),
    }
}

/// Decodes every HTML entity (the HTML standard's whole named table and
/// numeric references) with the HTML parser, which owns that table.
fn html_unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    // Markup in the text is kept as text: only `&` starts something here.
    let escaped = text.replace('<', "&lt;");
    let fragment = scraper::Html::parse_fragment(&escaped);
    fragment.root_element().text().collect()
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use serde_json::json;

    #[test]
    fn decodes_and_encodes() {
        assert_eq!(
            run(json!(["base64_decode"]), json!("aGVsbG8gd29ybGQ=")),
            Ok(json!("hello world"))
        );
        assert_eq!(
            run(json!(["base64url_decode"]), json!("eyJhIjoxfQ")),
            Ok(json!("{\"a\":1}"))
        );
        assert_eq!(run(json!(["base64_encode"]), json!("hi")), Ok(json!("aGk=")));
        assert_eq!(
            run(json!(["url_decode"]), json!("a%20b+c%C3%A9")),
            Ok(json!("a b cé"))
        );
        assert_eq!(
            run(json!(["url_encode"]), json!("a b/é")),
            Ok(json!("a%20b%2F%C3%A9"))
        );
        assert_eq!(
            run(
                json!(["html_unescape"]),
                json!("Tom &amp; Jerry &lt;3 &eacute; &#x27;x&#39;")
            ),
            Ok(json!("Tom & Jerry <3 é 'x'"))
        );
        assert_eq!(
            run(json!(["html_unescape"]), json!("<b>bold</b> &amp;")),
            Ok(json!("<b>bold</b> &"))
        );
        assert_eq!(
            run(json!(["html_escape"]), json!("<a href=\"x\">&</a>")),
            Ok(json!("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"))
        );
        assert!(
            run(json!(["base64_decode"]), json!("***"))
                .unwrap_err()
                .contains("not base64")
        );
        assert_eq!(
            run(json!(["base64_decode"]), json!(5)).unwrap_err(),
            "filter `base64_decode`: `base64_decode` applies to strings; the value is integer 5"
        );
    }
}

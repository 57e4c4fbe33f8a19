//! Owns secret redaction: the one place every output path (console, verbose
//! exchanges, curl lines, error messages, reports, snapshots) sends text
//! through before it leaves the process.
//!
//! Must not know where secrets come from; the engine registers values as it
//! learns them (declared secrets, secret inputs, captured tokens, codes).

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine as _;

/// Values shorter than this are not redacted: replacing every `1` or `ab` in a
/// body would make output unreadable and hide nothing worth hiding.
const MIN_SECRET_LEN: usize = 4;

/// Replaces known secret values (and their URL-, JSON- and base64-encoded
/// forms) with `[secret:NAME]` markers.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Every form of every secret, longest first, so a secret that contains
    /// another is replaced whole.
    needles: Vec<(String, String)>,
    names: BTreeMap<String, String>,
}

impl Redactor {
    /// Creates a redactor that knows no secret yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `value` under `name`; later calls to [`Redactor::redact`] hide it.
    pub fn add(&mut self, name: &str, value: &str) {
        if value.chars().count() < MIN_SECRET_LEN || self.names.get(value).is_some_and(|n| n == name) {
            return;
        }
        self.names.insert(value.to_owned(), name.to_owned());
        let marker = format!("[secret:{name}]");
        let json_escaped = serde_json::to_string(value).unwrap_or_default();
        let json_inner = json_escaped.trim_matches('"').to_owned();
        let forms = [
            value.to_owned(),
            url_encode(value),
            url_encode(value).replace("%20", "+"),
            json_inner,
            base64::engine::general_purpose::STANDARD.encode(value),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value),
        ];
        for form in forms {
            if form.len() >= MIN_SECRET_LEN && !self.needles.iter().any(|(n, _)| *n == form) {
                self.needles.push((form, marker.clone()));
            }
        }
        self.needles
            .sort_by_key(|(needle, _)| std::cmp::Reverse(needle.len()));
    }

    /// Registers a JSON value: strings as they are, numbers by their text.
    pub fn add_value(&mut self, name: &str, value: &serde_json::Value) {
        match value {
            serde_json::Value::String(s) => self.add(name, s),
            serde_json::Value::Number(n) => self.add(name, &n.to_string()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| self.add_value(name, v)),
            serde_json::Value::Object(map) => map.values().for_each(|v| self.add_value(name, v)),
            serde_json::Value::Bool(_) | serde_json::Value::Null => {}
        }
    }

    /// Tells whether any secret is registered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// Returns `text` with every registered secret replaced by its marker.
    #[must_use]
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for (needle, marker) in &self.needles {
            if out.contains(needle.as_str()) {
                out = Cow::Owned(out.replace(needle.as_str(), marker));
            }
        }
        out
    }

    /// Returns a copy of `value` with secrets redacted in every string.
    #[must_use]
    pub fn redact_json(&self, value: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.redact(s).into_owned()),
            Value::Number(n) if self.names.contains_key(&n.to_string()) => {
                Value::String(self.redact(&n.to_string()).into_owned())
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| self.redact_json(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.redact(k).into_owned(), self.redact_json(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

fn url_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_plain_and_encoded_forms() {
        let mut r = Redactor::new();
        r.add("password", "#32Password1!");
        assert_eq!(r.redact("pw=#32Password1!"), "pw=[secret:password]");
        assert_eq!(r.redact("pw=%2332Password1%21"), "pw=[secret:password]");
        let b64 = base64::engine::general_purpose::STANDARD.encode("#32Password1!");
        assert_eq!(r.redact(&b64), "[secret:password]");
    }

    #[test]
    fn leaves_short_values_and_unrelated_text_alone() {
        let mut r = Redactor::new();
        r.add("flag", "ab");
        assert!(r.is_empty());
        assert!(matches!(r.redact("abc"), Cow::Borrowed(_)));
    }

    #[test]
    fn longer_secrets_win_over_their_substrings() {
        let mut r = Redactor::new();
        r.add("short", "abcd");
        r.add("long", "abcdefgh");
        assert_eq!(r.redact("abcdefgh abcd"), "[secret:long] [secret:short]");
    }

    #[test]
    fn redacts_inside_json_values_and_numbers() {
        let mut r = Redactor::new();
        r.add_value("code", &json!(271008));
        r.add("token", "tok-123456");
        let got = r.redact_json(&json!({"code": 271008, "t": ["x tok-123456"], "n": 5}));
        assert_eq!(
            got,
            json!({"code": "[secret:code]", "t": ["x [secret:token]"], "n": 5})
        );
    }
}

//! Reads `Set-Cookie` headers (RFC 6265 section 5.2) into cookies with their
//! attributes: value, `Path`, `Domain`, `Expires`, `Max-Age`, `Secure`,
//! `HttpOnly`, `SameSite`. Attribute names are case-insensitive; the last
//! header naming a cookie wins, as in a browser.
//!
//! Pure text reading: must not evaluate predicates nor keep a cookie jar.

use serde_json::{Map, Number, Value};

use super::Response;

/// Lists the attribute keys a cookie expectation may name.
pub(super) const COOKIE_KEYS: &[&str] = crate::model::COOKIE_ATTRIBUTES;

/// Returns the cookie `name` as the response's last `Set-Cookie` for it sets
/// it: an object keyed by [`COOKIE_KEYS`] (flags `true`/`false`, `max_age`
/// a number when it is one, attributes not given left out).
pub(super) fn cookie(response: &Response, name: &str) -> Option<Value> {
    response
        .header_values("set-cookie")
        .filter_map(parse_set_cookie)
        .filter(|(n, _)| n == name)
        .last()
        .map(|(_, attributes)| Value::Object(attributes))
}

/// Returns the names of the cookies the response sets, without repeats.
pub(super) fn cookie_names(response: &Response) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (name, _) in response.header_values("set-cookie").filter_map(parse_set_cookie) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Splits `name=value; Path=/; HttpOnly` into the name and its attributes.
fn parse_set_cookie(header: &str) -> Option<(String, Map<String, Value>)> {
    let mut parts = header.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut attributes = Map::new();
    attributes.insert("value".into(), Value::String(value.trim().to_owned()));
    attributes.insert("secure".into(), Value::Bool(false));
    attributes.insert("http_only".into(), Value::Bool(false));
    for part in parts {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let value = value.trim().to_owned();
        match key.trim().to_ascii_lowercase().as_str() {
            "path" => attributes.insert("path".into(), Value::String(value)),
            "domain" => attributes.insert("domain".into(), Value::String(value)),
            "expires" => attributes.insert("expires".into(), Value::String(value)),
            "max-age" => attributes.insert(
                "max_age".into(),
                value
                    .parse::<Number>()
                    .map_or(Value::String(value), Value::Number),
            ),
            "secure" => attributes.insert("secure".into(), Value::Bool(true)),
            "httponly" => attributes.insert("http_only".into(), Value::Bool(true)),
            "samesite" => attributes.insert("same_site".into(), Value::String(value)),
            _ => None,
        };
    }
    Some((name.to_owned(), attributes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_attribute_and_keeps_the_last_cookie() {
        let response = Response {
            headers: vec![
                ("set-cookie".into(), "sid=old".into()),
                (
                    "Set-Cookie".into(),
                    "sid=abc; Path=/; Domain=example.com; Max-Age=3600; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; HttpOnly; SameSite=Lax".into(),
                ),
                ("set-cookie".into(), "lang=en".into()),
            ],
            ..Response::default()
        };
        assert_eq!(
            cookie(&response, "sid"),
            Some(json!({
                "value": "abc", "path": "/", "domain": "example.com", "max_age": 3600,
                "expires": "Wed, 21 Oct 2026 07:28:00 GMT", "secure": true, "http_only": true, "same_site": "Lax"
            }))
        );
        assert_eq!(
            cookie(&response, "lang"),
            Some(json!({"value": "en", "secure": false, "http_only": false}))
        );
        assert_eq!(cookie(&response, "nope"), None);
        assert_eq!(cookie_names(&response), ["sid", "lang"]);
    }
}

//! Decides what the run must hide and what it reports: secrets a response
//! reveals (cookies, JSON fields named like secrets), and
//! the redacted request and response records (excerpts, or whole bodies at
//! `-vv` for a failed step and `-vvv` for every step).
//!
//! Pure functions over a [`Redactor`]. Must not use the scenario runner, nor
//! touch the terminal, clap, JUnit or axum.

use serde_json::Value;

use crate::check::Response;
use crate::http::{RequestBody, RequestSpec};
use crate::secret::{Redactor, is_sensitive_name};

use super::result::{HopRecord, RequestRecord, ResponseRecord};

/// Caps a body excerpt in a failure report; `-vv` shows more.
const EXCERPT_CHARS: usize = 600;
/// Caps a body in verbose results, and a step's curl line, so one huge
/// request or response cannot flood a report.
pub(super) const VERBOSE_BODY_CHARS: usize = 64 * 1024;

/// Registers what a response reveals that must not be printed: every cookie
/// value it sets (sessions, API keys), and JSON fields named like a token,
/// password or code, even when no capture asks for them.
pub(super) fn learn_response_secrets(redactor: &mut Redactor, response: &Response) {
    for (name, value) in &response.headers {
        if name.eq_ignore_ascii_case("set-cookie")
            && let Some((cookie, rest)) = value.split_once('=')
        {
            let cookie_value = rest
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches('"');
            redactor.add(cookie.trim(), cookie_value);
        }
    }
    if let Ok(json) = response.json() {
        learn_sensitive_fields(redactor, json);
    }
}

/// Registers values of sensitive-looking JSON fields (`password`, `code`...) as secrets.
pub(super) fn learn_sensitive_fields(redactor: &mut Redactor, value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if is_sensitive_name(key) && !inner.is_object() && !inner.is_array() {
                    redactor.add_value(key, inner);
                } else {
                    learn_sensitive_fields(redactor, inner);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| learn_sensitive_fields(redactor, v)),
        _ => {}
    }
}

/// Builds the redacted record of a request with the headers it went out
/// with (`sent`: only what was on the wire, so a step's own `Cookie` header
/// shows instead of the jar's); `verbose` indents a JSON body.
pub(super) fn record_request(
    redactor: &Redactor,
    spec: &RequestSpec,
    sent: &[(String, String)],
    shown: Shown,
) -> RequestRecord {
    let redact = |text: &str| redactor.redact(text).into_owned();
    if !shown.exchange {
        return RequestRecord {
            method: spec.method.clone(),
            url: redact(spec.url.as_str()),
            headers: Vec::new(),
            body: None,
        };
    }
    let verbose = shown.verbose;
    let headers: Vec<(String, String)> = sent.iter().map(|(k, v)| (k.clone(), redact(v))).collect();
    // Verbose output is read whole, so JSON is indented; otherwise it stays compact.
    let body = spec.body.as_ref().map(|body| match body {
        RequestBody::Json(json) if verbose => {
            serde_json::to_string_pretty(json).unwrap_or_else(|_| body.to_text())
        }
        _ => body.to_text(),
    });
    RequestRecord {
        method: spec.method.clone(),
        url: redact(spec.url.as_str()),
        headers,
        // Redacted first, then cut: a secret is never half shown.
        body: body.map(|b| excerpt(&redact(&b), VERBOSE_BODY_CHARS).0),
    }
}

/// Builds the redacted record of a response: a body excerpt, or with
/// `verbose` the (capped) whole body, JSON indented.
pub(super) fn record_response(redactor: &Redactor, response: &Response, shown: Shown) -> ResponseRecord {
    let redirects = response
        .redirects
        .iter()
        .map(|hop| HopRecord {
            status: hop.status,
            url: redactor.redact(&hop.url).into_owned(),
            location: redactor.redact(&hop.location).into_owned(),
        })
        .collect();
    if !shown.exchange {
        return ResponseRecord {
            status: response.status,
            headers: Vec::new(),
            body: String::new(),
            body_truncated: false,
            version: response.version.clone(),
            url: redactor.redact(&response.url).into_owned(),
            redirects,
        };
    }
    let verbose = shown.verbose;
    let limit = if verbose {
        VERBOSE_BODY_CHARS
    } else {
        EXCERPT_CHARS
    };
    // Verbose output is read whole, so JSON is indented; an excerpt stays compact.
    // Borrowed where possible: a large body is not copied to be cut.
    let text = match response.json() {
        Ok(json) if verbose => {
            serde_json::to_string_pretty(&json).map_or_else(|_| response.text(), std::borrow::Cow::Owned)
        }
        _ => response.text(),
    };
    let text = redactor.redact(&text);
    let (body, body_truncated) = excerpt(&text, limit);
    ResponseRecord {
        status: response.status,
        headers: response
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), redactor.redact(v).into_owned()))
            .collect(),
        body,
        body_truncated,
        version: response.version.clone(),
        url: redactor.redact(&response.url).into_owned(),
        redirects,
    }
}

/// Says how much of a step's exchange its reporters can show.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shown {
    /// Headers, bodies and the curl line: for a step that did not pass, or
    /// every step at `-vvv`. Otherwise only the request line is recorded.
    pub(super) exchange: bool,
    /// Whole bodies, JSON indented (a failed step's at `-vv`, every step's at
    /// `-vvv`), rather than excerpts.
    pub(super) verbose: bool,
}

/// Cuts `text` to `limit` characters, never inside a character.
pub(super) fn excerpt(text: &str, limit: usize) -> (String, bool) {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => (format!("{}...", &text[..cut]), true),
        None => (text.to_owned(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_on_character_boundaries() {
        assert_eq!(excerpt("žluťoučký", 3), ("žlu...".to_owned(), true));
        assert_eq!(excerpt("ab", 3), ("ab".to_owned(), false));
    }
}

//! Checks the request fields of one step that the parsed file alone can
//! tell about: one `auth` scheme, the shape of `multipart` fields, file
//! bodies naming a file, cookie names, session names, and numbers written
//! as text where a template may stand (`retry.attempts`).
//!
//! Must not read the files named (that is `crate::validate`, which knows
//! where the scenario lives) nor evaluate templates.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use serde_json::Value;

use crate::model::diag::{Diagnostic, did_you_mean, quote_list};
use crate::model::{MULTIPART_KEYS, Spanned, Step, Templated};

/// Returns the literal a [`Templated`] number holds: `None` for a template
/// (known only at run time), an error for text that is neither.
///
/// # Errors
/// Returns the message for text that is no number and no template.
pub(crate) fn literal_number<T: FromStr + Copy>(
    key: &str,
    value: &Templated<T>,
) -> Result<Option<T>, String> {
    match value {
        Templated::Value(v) => Ok(Some(*v)),
        Templated::Text(text) if text.contains("{{") => Ok(None),
        Templated::Text(text) => text.trim().parse().map(Some).map_err(|_| {
            // Worded as the shape walk words it, which reports it when other problems stop the parse.
            let (kind, _) = super::messages::scalar_kind(std::any::type_name::<T>());
            format!("`{key}`: expected {kind}, found `{text}`")
        }),
    }
}

/// Returns every problem of one step's request fields.
pub(super) fn check_step(file: &Arc<PathBuf>, step: &Spanned<Step>) -> Vec<Diagnostic> {
    let s = &step.value;
    let mut out = Vec::new();
    if let Some(auth) = &s.auth {
        let a = &auth.value;
        let schemes: Vec<&str> = [
            ("basic", a.basic.is_some()),
            ("digest", a.digest.is_some()),
            ("bearer", a.bearer.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        let message = match schemes.as_slice() {
            [] => Some("`auth` names no scheme".to_owned()),
            [_] => None,
            several => Some(format!(
                "`auth` names several schemes: {}",
                quote_list(several.iter().copied())
            )),
        };
        if let Some(message) = message {
            out.push(Diagnostic::error_at(message, file, auth).with_help(
                "write one of `basic: { user, password }`, `digest: { user, password }` or `bearer: TOKEN`",
            ));
        }
    }
    for (name, field) in s.multipart.iter().flatten() {
        match &field.value {
            Value::Array(items) => {
                for item in items {
                    multipart_field(file, name, field, item, &mut out);
                }
            }
            value => multipart_field(file, name, field, value, &mut out),
        }
    }
    for (key, spec) in [("body_file", &s.body_file), ("json_file", &s.json_file)] {
        if let Some(spec) = spec
            && spec.value.file.trim().is_empty()
        {
            out.push(
                Diagnostic::error_at(format!("`{key}` names no file"), file, spec)
                    .with_help("write the file's path, relative to this scenario file"),
            );
        }
    }
    for (name, _) in &s.cookies {
        if name.value.is_empty()
            || name
                .value
                .contains(|c: char| c.is_whitespace() || "=;,\"".contains(c))
        {
            out.push(
                Diagnostic::error_at(format!("`{}` is not a cookie name", name.value), file, name)
                    .with_help("a cookie name is a token: no spaces, `=`, `;`, `,` or quotes"),
            );
        }
    }
    if let Some(session) = &s.session
        && session.value.trim().is_empty()
    {
        out.push(
            Diagnostic::error_at("`session` names no session", file, session)
                .with_help("name the session, e.g. `session: second`; leave the key out for the main one"),
        );
    }
    out
}

/// Checks one multipart field: a scalar, or a mapping with exactly one of
/// `file` and `value` and nothing but the known keys.
fn multipart_field(
    file: &Arc<PathBuf>,
    name: &Spanned<String>,
    field: &Spanned<Value>,
    value: &Value,
    out: &mut Vec<Diagnostic>,
) {
    let at = |message: String| {
        if field.referenced == serde_saphyr::Location::UNKNOWN {
            Diagnostic::error_at(message, file, name)
        } else {
            Diagnostic::error_at(message, file, field)
        }
    };
    let n = &name.value;
    let Value::Object(map) = value else {
        if value.is_null() || value.is_array() {
            out.push(
                at(format!("multipart field `{n}` has no value"))
                    .with_help("give it a text value, or `{ file: PATH }` to send a file"),
            );
        }
        return;
    };
    for key in map.keys() {
        if !MULTIPART_KEYS.contains(&key.as_str()) {
            let mut d = at(format!("unknown key `{key}` in multipart field `{n}`")).with_note(format!(
                "a field may hold {}",
                quote_list(MULTIPART_KEYS.iter().copied())
            ));
            if let Some(s) = did_you_mean(key, MULTIPART_KEYS.iter().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
    match (map.get("file"), map.get("value")) {
        (Some(_), Some(_)) => out.push(
            at(format!("multipart field `{n}` has both `file` and `value`"))
                .with_help("a part sends a file or a text value; split it into two fields"),
        ),
        (None, None) => out.push(
            at(format!("multipart field `{n}` has neither `file` nor `value`"))
                .with_help("add `file: PATH` to send a file, or `value: TEXT`"),
        ),
        (Some(path), None) if !path.is_string() => out.push(
            at(format!("multipart field `{n}`: `file` must be a path"))
                .with_help("write the file's path as text, relative to this scenario file"),
        ),
        _ => {}
    }
    for key in ["type", "filename"] {
        if map.get(key).is_some_and(|v| !v.is_string()) {
            out.push(at(format!("multipart field `{n}`: `{key}` must be text")));
        }
    }
    if map.get("secret").is_some_and(|v| !v.is_boolean()) {
        out.push(at(format!(
            "multipart field `{n}`: `secret` must be `true` or `false`"
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::file;
    use super::super::parse_source;
    use super::*;

    fn messages(src: &str) -> Vec<String> {
        let s = parse_source(&file(), src).unwrap_or_else(|d| panic!("{}", d.one_line()));
        super::super::structural_checks(&file(), &s)
            .into_iter()
            .map(|d| format!("{}: {}", d.location.line, d.message))
            .collect()
    }

    #[test]
    fn request_fields_that_parse_can_still_be_wrong() {
        let src = "name: x\nsteps:\n  - post: /a\n    auth: { basic: { user: u, password: p }, bearer: t }\n    multipart:\n      a: { file: x.pdf, value: y }\n      b: { fiel: x.pdf }\n      c: [one, { file: 3 }]\n      d: null\n    cookies: { 'a b': 1 }\n    session: ' '\n    retry: { attempts: 0, backoff: \"{{ b }}\" }\n  - get: /b\n    auth: {}\n    body_file: ''\n    retry: { attempts: \"0\" }\n";
        assert_eq!(
            messages(src),
            [
                "4: `auth` names several schemes: `basic`, `bearer`",
                "6: multipart field `a` has both `file` and `value`",
                "7: unknown key `fiel` in multipart field `b`",
                "7: multipart field `b` has neither `file` nor `value`",
                "8: multipart field `c`: `file` must be a path",
                "9: multipart field `d` has no value",
                "10: `a b` is not a cookie name",
                "11: `session` names no session",
                "12: `attempts` must be at least 1",
                "14: `auth` names no scheme",
                "15: `body_file` names no file",
                "16: `attempts` must be at least 1",
            ]
        );
    }

    #[test]
    fn templated_and_quoted_numbers_are_accepted() {
        assert_eq!(
            literal_number::<u32>("attempts", &Templated::Text(" 3 ".into())),
            Ok(Some(3))
        );
        assert_eq!(
            literal_number::<u32>("attempts", &Templated::Text("{{ n }}".into())),
            Ok(None)
        );
        assert_eq!(
            literal_number::<f64>("backoff", &Templated::Value(1.5)),
            Ok(Some(1.5))
        );
        let src = "name: x\nsteps:\n  - get: /a\n    timeout: \"{{ t }}\"\n    connect_timeout: 2s\n    retry: { attempts: \"{{ n }}\", backoff: 2, interval: \"{{ i }}\" }\n    follow_redirects: { max: 30, trusted_hosts: [auth.example.com] }\n    http_version: 2\n    json: null\n    cookie_jar: false\n    session: admin\n";
        assert_eq!(messages(src), Vec::<String>::new());
    }
}

//! Turns minijinja errors into short, specific messages: which variable is
//! undefined (and which one was probably meant), which function is unknown.
//!
//! Pure: reads the error, the variables in scope and the names of the globals.
//! Must not render templates or change the error it explains.

use std::collections::BTreeSet;

use minijinja::{Error, ErrorKind};

use super::Vars;
use super::functions::FunctionFailure;

/// Filters this crate registers (see `functions::register`), offered as "did you mean" candidates.
pub(super) const OWN_FILTERS: &[&str] = &[
    "base64_encode",
    "base64_decode",
    "b64encode",
    "b64decode",
    "urlencode",
];

/// Returns the message for `error`, raised while rendering with `vars` in scope.
pub(super) fn describe(error: &Error, vars: &Vars, globals: &BTreeSet<String>) -> String {
    if let Some(own) = std::error::Error::source(error).and_then(|s| s.downcast_ref::<FunctionFailure>()) {
        return own.0.clone();
    }
    let detail = error.detail();
    if let Some((expr, context)) = detail.and_then(split_undefined) {
        let message = undefined_message(expr, vars, globals);
        return match context {
            Some(context) => format!("{message}; {context}"),
            None => message,
        };
    }
    match (error.kind(), detail) {
        (ErrorKind::UnknownFunction, Some(detail)) => match detail.strip_suffix(" is unknown") {
            Some(name) => format!(
                "unknown function `{name}`{}",
                did_you_mean(name, globals.iter().map(String::as_str))
            ),
            None => format!("unknown function: {detail}"),
        },
        (ErrorKind::UnknownFilter, Some(detail)) => {
            match detail
                .strip_prefix("filter ")
                .and_then(|d| d.strip_suffix(" is unknown"))
            {
                Some(name) => format!(
                    "unknown filter `{name}`{}",
                    did_you_mean(name, OWN_FILTERS.iter().copied())
                ),
                None => format!("unknown filter: {detail}"),
            }
        }
        (kind, Some(detail)) => format!("{kind}: {detail}"),
        (kind, None) => kind.to_string(),
    }
}

/// Splits minijinja's "`expr` is undefined" detail (alone, or in parentheses
/// after another explanation) into the expression and the other explanation.
fn split_undefined(detail: &str) -> Option<(&str, Option<&str>)> {
    let end = detail.find("` is undefined")?;
    let start = detail[..end].rfind('`')?;
    let expr = &detail[start + 1..end];
    let context = detail[..start].trim_end().trim_end_matches('(').trim_end();
    Some((expr, (!context.is_empty()).then_some(context)))
}

fn undefined_message(expr: &str, vars: &Vars, globals: &BTreeSet<String>) -> String {
    if is_identifier(expr) {
        return format!(
            "undefined variable `{expr}`{}",
            did_you_mean(expr, vars.keys().map(String::as_str))
        );
    }
    if let Some(name) = expr.strip_prefix("env.")
        && is_identifier(name)
        && globals.contains("env")
        && !vars.contains_key("env")
    {
        return format!("environment variable `{name}` is not set");
    }
    format!("undefined value `{expr}`{}", suggest_member(expr, vars))
}

/// Suggests a sibling key for a missing `a.b.c`, when `a.b` is an object in `vars`.
fn suggest_member(expr: &str, vars: &Vars) -> String {
    let Some((parent, leaf)) = expr.rsplit_once('.') else {
        return String::new();
    };
    let mut segments = parent.split('.');
    let Some(mut node) = segments.next().and_then(|root| vars.get(root)) else {
        return String::new();
    };
    for segment in segments {
        match node.get(segment) {
            Some(child) => node = child,
            None => return String::new(),
        }
    }
    let Some(object) = node.as_object() else {
        return String::new();
    };
    match closest(leaf, object.keys().map(String::as_str)) {
        Some(key) => format!(" (did you mean `{parent}.{key}`?)"),
        None => String::new(),
    }
}

fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    closest(name, candidates).map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"))
}

/// Returns the candidate nearest to `name`, if it is near enough to be a typo.
pub(super) fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lowered = name.to_lowercase();
    let max_distance = (name.chars().count() / 3).max(1);
    candidates
        .filter(|candidate| *candidate != name)
        .map(|candidate| {
            (
                strsim::damerau_levenshtein(&lowered, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= max_distance)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_undefined_details() {
        assert_eq!(split_undefined("`tokn` is undefined"), Some(("tokn", None)));
        assert_eq!(
            split_undefined(
                "tried to use + operator on unsupported types number and undefined (`x` is undefined)"
            ),
            Some((
                "x",
                Some("tried to use + operator on unsupported types number and undefined")
            ))
        );
        assert_eq!(
            split_undefined("`a.b` is undefined, from <string>:1"),
            Some(("a.b", None))
        );
        assert_eq!(split_undefined("something else"), None);
    }

    #[test]
    fn finds_near_names_only() {
        let names = ["token", "password", "user"];
        assert_eq!(closest("tokn", names.into_iter()), Some("token"));
        assert_eq!(closest("passwrod", names.into_iter()), Some("password"));
        assert_eq!(closest("TOKEN", names.into_iter()), Some("token"));
        assert_eq!(closest("xyz", names.into_iter()), None);
        assert_eq!(closest("token", names.into_iter()), None);
    }

    #[test]
    fn suggests_sibling_members() {
        let vars = Vars::from([(
            "login".to_owned(),
            json!({"isUnlocked": true, "nested": {"code": 1}}),
        )]);
        assert_eq!(
            suggest_member("login.isUnlockd", &vars),
            " (did you mean `login.isUnlocked`?)"
        );
        assert_eq!(
            suggest_member("login.nested.cod", &vars),
            " (did you mean `login.nested.code`?)"
        );
        assert_eq!(suggest_member("login.zzz", &vars), "");
        assert_eq!(suggest_member("other.x", &vars), "");
    }

    #[test]
    fn recognises_identifiers() {
        assert!(is_identifier("token"));
        assert!(is_identifier("_x1"));
        assert!(!is_identifier("1x"));
        assert!(!is_identifier("a.b"));
        assert!(!is_identifier(""));
    }
}

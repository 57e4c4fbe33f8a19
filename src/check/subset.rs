//! Matches an expected JSON value as a subset of an actual one and, when it
//! does not hold, names the first place where they diverge and why.
//!
//! Must not know subjects, locations or results (the caller words the
//! failure), nor render templates.

use serde_json::Value;

use super::compare::json_eq;
use super::display::{show, show_typed};

/// Says where an actual value stops containing the expected one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Divergence {
    /// The JSONPath of the first place that differs.
    pub(super) path: String,
    /// What was expected there and what was found.
    pub(super) reason: String,
    /// How many steps below the root `path` is, to pick the closest array element.
    depth: usize,
}

/// Checks that `expected` is contained in `actual`: objects by key subset
/// (recursively), arrays element-wise, scalars by equality (numbers by value).
///
/// Arrays: order does not matter, the actual array may hold more elements, and
/// each expected element needs some actual element containing it; two expected
/// elements may be satisfied by the same actual element. This keeps the rule
/// predictable (`[{id: 1}]` holds if any element has `id: 1`) without trying
/// every one-to-one assignment.
pub(super) fn subset_divergence(expected: &Value, actual: &Value) -> Option<Divergence> {
    diverge(expected, actual, "$", 0)
}

fn diverge(expected: &Value, actual: &Value, path: &str, depth: usize) -> Option<Divergence> {
    let at = |reason: String| {
        Some(Divergence {
            path: path.to_owned(),
            reason,
            depth,
        })
    };
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => want.iter().find_map(|(key, want_value)| {
            let child = child_path(path, key);
            match have.get(key) {
                Some(have_value) => diverge(want_value, have_value, &child, depth + 1),
                None => Some(Divergence {
                    path: child,
                    reason: format!("the key is missing; the object has {}", key_list(have)),
                    depth: depth + 1,
                }),
            }
        }),
        (Value::Object(_), other) => at(format!("expected an object, found {}", show_typed(other))),
        (Value::Array(want), Value::Array(have)) => want
            .iter()
            .find_map(|want_item| diverge_in_array(want_item, have, actual, path, depth)),
        (Value::Array(_), other) => at(format!("expected an array, found {}", show_typed(other))),
        (want, have) if json_eq(want, have) => None,
        (want, have) => at(format!("expected {}, found {}", show(want), show(have))),
    }
}

fn diverge_in_array(
    want: &Value,
    have: &[Value],
    array: &Value,
    path: &str,
    depth: usize,
) -> Option<Divergence> {
    if have.is_empty() {
        return Some(Divergence {
            path: path.to_owned(),
            reason: format!(
                "expected an element containing {}, found an empty array",
                show(want)
            ),
            depth,
        });
    }
    let mut closest: Option<Divergence> = None;
    for (index, item) in have.iter().enumerate() {
        match diverge(want, item, &format!("{path}[{index}]"), depth + 1) {
            None => return None,
            Some(d) if closest.as_ref().is_none_or(|c| d.depth > c.depth) => closest = Some(d),
            Some(_) => {}
        }
    }
    match closest {
        // The closest element matched part of what was wanted: point inside it.
        Some(c) if c.depth > depth + 1 => Some(Divergence {
            reason: format!(
                "{} (no element of {path} contains {}; this is the closest)",
                c.reason,
                show(want)
            ),
            ..c
        }),
        _ => Some(Divergence {
            path: path.to_owned(),
            reason: format!("no element contains {}; found {}", show(want), show(array)),
            depth,
        }),
    }
}

fn key_list(map: &serde_json::Map<String, Value>) -> String {
    const SHOWN: usize = 10;
    if map.is_empty() {
        return "no keys".to_owned();
    }
    let mut keys: Vec<String> = map.keys().take(SHOWN).map(|k| format!("`{k}`")).collect();
    if map.len() > SHOWN {
        keys.push(format!("and {} more", map.len() - SHOWN));
    }
    format!("keys {}", keys.join(", "))
}

/// Appends member `key` to a JSONPath, in dot form when the name allows it.
fn child_path(path: &str, key: &str) -> String {
    let mut chars = key.chars();
    let plain = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}['{}']", key.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::expect::{BODY, one, response};

    #[test]
    fn subset_holds_for_contained_values() {
        let r = response(BODY);
        assert!(
            one(
                "subset: { count: 2.0, user: { tags: [b] }, factors: [{ factor: totp }] }",
                &r
            )
            .passed
        );
        assert!(
            one(
                "subset: { factors: [{ unlocked: false }, { unlocked: true }] }",
                &r
            )
            .passed
        );
    }

    #[test]
    fn subset_failures_name_the_first_divergence() {
        let r = response(BODY);
        let message = |yaml: &str| one(yaml, &r).message.unwrap_or_default();
        assert_eq!(
            message("subset: { user: { id: 8 } }"),
            "diverges at $.user.id: expected 8, found 7"
        );
        assert_eq!(
            message("subset: { user: { 'first name': x } }"),
            "diverges at $.user['first name']: the key is missing; the object has keys `id`, `tags`, `type`"
        );
        assert_eq!(
            message("subset: { token: { a: 1 } }"),
            "diverges at $.token: expected an object, found string \"abc123\""
        );
        assert_eq!(
            message("subset: { factors: [{ factor: sms, unlocked: true }] }"),
            "diverges at $.factors[0].factor: expected \"sms\", found \"email\" (no element of $.factors contains {\"factor\":\"sms\",\"unlocked\":true}; this is the closest)"
        );
        assert_eq!(
            message("subset: { user: { tags: [c] } }"),
            "diverges at $.user.tags: no element contains \"c\"; found [\"a\",\"b\"]"
        );
        let failed = one("subset: { count: 3 }", &r);
        assert_eq!(
            (failed.predicate.as_str(), failed.expected.as_str()),
            ("subset", "{\"count\":3}")
        );
    }
}

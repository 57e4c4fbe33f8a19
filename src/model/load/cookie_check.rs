//! Checks a `cookies:` expectation before anything runs: a literal or
//! predicates on the cookie's value, or a mapping of its attributes to
//! expectations, with a "did you mean" for a misspelt attribute.
//!
//! Pure: must not read responses or evaluate expectations.

use serde_json::Value;

use crate::model::{FILTERS_KEY, PREDICATE_KEYS, parse_expectation};

/// Says what is wrong with a cookie expectation (a literal or predicates on
/// the value, or a mapping of attributes to expectations), if anything.
pub(super) fn cookie_expectation_problem(value: &Value) -> Option<String> {
    const ATTRIBUTES: &[&str] = crate::model::COOKIE_ATTRIBUTES;
    let Value::Object(map) = value else {
        return None;
    };
    if map.keys().all(|k| ATTRIBUTES.contains(&k.as_str())) {
        return map
            .values()
            .find_map(|v| parse_expectation(v).err().map(|e| e.to_string()));
    }
    match parse_expectation(value) {
        Err(e) => Some(e.to_string()),
        Ok(_)
            if map
                .keys()
                .any(|k| PREDICATE_KEYS.contains(&k.as_str()) || k == FILTERS_KEY) =>
        {
            None
        }
        Ok(_) => {
            let unknown: Vec<&str> = map
                .keys()
                .map(String::as_str)
                .filter(|k| !ATTRIBUTES.contains(k))
                .collect();
            let hint = unknown
                .iter()
                .find_map(|k| crate::model::diag::did_you_mean(k, ATTRIBUTES.iter().copied()))
                .map(|close| format!("; did you mean `{close}`?"))
                .unwrap_or_default();
            Some(format!(
                "`{}` is not a cookie attribute{hint}",
                unknown.join("`, `")
            ))
        }
    }
}

//! Evaluates `cookies:` expectations on the cookies a response sets: a
//! literal or predicates test the cookie's value (absent when it is not
//! set); a mapping of attribute names (`value`, `path`, `domain`, `expires`,
//! `max_age`, `secure`, `http_only`, `same_site`) tests each attribute.
//!
//! Must not render templates, keep a cookie jar, or know other subjects.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{FILTERS_KEY, PREDICATE_KEYS, SourceLocation, Spanned};

use super::Response;
use super::actual::Actual;
use super::cookie::{COOKIE_KEYS, cookie, cookie_names};
use super::display::show;
use super::evaluate::Evaluator;
use super::outcome::{AssertionResult, all_with_subject, broken, subject_key};

/// Evaluates what is written for cookie `name`.
pub(super) fn eval_cookie(
    name: &Spanned<String>,
    value: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, name);
    let cookie_name = match subject_key(eval, &name.value, "cookie", "cookie", String::new(), &location) {
        Ok(rendered) => rendered,
        Err(broken) => return broken,
    };
    let found = cookie(response, &cookie_name);
    let attributes = match attribute_map(&value.value) {
        Ok(Some(attributes)) => attributes,
        Ok(None) => {
            let actual = Actual::from_option(found.as_ref().and_then(|c| c.get("value")).cloned());
            let subject = format!("cookie {cookie_name}");
            return all_with_subject(eval.expectation(&value.value, actual, None), &subject, &location);
        }
        Err(message) => {
            return vec![broken(
                &format!("cookie {cookie_name}"),
                "cookie",
                show(&value.value),
                message,
                &location,
            )];
        }
    };
    if found.is_none() {
        let sets = cookie_names(response);
        let sets = if sets.is_empty() {
            "none".to_owned()
        } else {
            sets.join(", ")
        };
        return vec![broken(
            &format!("cookie {cookie_name}"),
            "cookie",
            show(&value.value),
            format!("the response sets no cookie `{cookie_name}` (it sets: {sets})"),
            &location,
        )];
    }
    attributes
        .into_iter()
        .flat_map(|(attribute, expected)| {
            let actual = Actual::from_option(found.as_ref().and_then(|c| c.get(&attribute)).cloned());
            let subject = format!("cookie {cookie_name} {attribute}");
            all_with_subject(eval.expectation(&expected, actual, None), &subject, &location)
        })
        .collect()
}

/// Returns the attribute expectations when `value` is a mapping of cookie
/// attributes, `None` when it tests the value itself.
fn attribute_map(value: &Value) -> Result<Option<Vec<(String, Value)>>, String> {
    let Value::Object(map) = value else {
        return Ok(None);
    };
    let is_attribute = |k: &str| COOKIE_KEYS.contains(&k);
    let is_predicate = |k: &str| PREDICATE_KEYS.contains(&k) || k == FILTERS_KEY;
    if map.keys().all(|k| is_predicate(k)) {
        return Ok(None);
    }
    if map.keys().all(|k| is_attribute(k)) {
        return Ok(Some(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()));
    }
    let unknown: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| !is_attribute(k))
        .collect();
    let hint = unknown
        .iter()
        .find_map(|k| crate::model::diag::did_you_mean(k, COOKIE_KEYS.iter().copied()))
        .map(|close| format!("; did you mean `{close}`?"))
        .unwrap_or_default();
    Err(format!(
        "a cookie expectation is its value's predicates, or a mapping of attributes ({}); `{}` is neither{hint}",
        COOKIE_KEYS.join(", "),
        unknown.join("`, `")
    ))
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::expect::{BODY, one, response, run};

    fn with_cookies() -> crate::check::Response {
        let mut r = response(BODY);
        r.headers.push((
            "set-cookie".into(),
            "sid=abc123; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Strict".into(),
        ));
        r.headers.push((
            "set-cookie".into(),
            "lang=en; Expires=Wed, 21 Oct 2026 07:28:00 GMT".into(),
        ));
        r
    }

    #[test]
    fn cookie_values_and_attributes_are_checked() {
        let r = with_cookies();
        assert!(one("cookies:\n  sid: abc123", &r).passed);
        assert!(one("cookies:\n  sid: { length: 6 }", &r).passed);
        assert!(one("cookies:\n  gone: { absent: true }", &r).passed);
        let all = run(
            "cookies:\n  sid: { value: abc123, path: /, max_age: { '>': 0 }, secure: true, http_only: true, same_site: Strict }",
            &r,
        );
        assert_eq!(all.len(), 6);
        assert!(all.iter().all(|a| a.passed), "{all:#?}");
        assert!(
            all.iter()
                .any(|a| a.subject == "cookie sid max_age" && a.actual == "3600")
        );
        let lang = one("cookies:\n  lang: { secure: true }", &r);
        assert!(!lang.passed);
        assert!(
            one(
                "cookies:\n  lang: { expires: { filters: [days_after_now], '>': -100000 } }",
                &r
            )
            .passed
        );
        let missing = one("cookies:\n  nope: { path: / }", &r);
        assert_eq!(
            missing.message.as_deref(),
            Some("the response sets no cookie `nope` (it sets: sid, lang)")
        );
        let typo = one("cookies:\n  sid: { pth: / }", &r);
        assert!(typo.message.unwrap().ends_with("did you mean `path`?"));
    }
}

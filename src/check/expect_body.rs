//! Evaluates `body:` expectations: each JSONPath's predicates over the node it
//! selects (a singular path) or over the list of nodes (any other path).
//!
//! Must not parse the body (the caller does, once, for every body check), nor
//! render templates.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{Predicate, SourceLocation, Spanned};

use super::actual::Actual;
use super::display::show;
use super::evaluate::Evaluator;
use super::outcome::{AssertionResult, all_with_subject, broken, subject_key};
use super::predicate::describe_expected;

/// Evaluates the predicates written for JSONPath `path` (which may be a
/// template), one result each; `document` is the parsed body, or the
/// message saying why it is not JSON.
pub(super) fn eval_body_path(
    path: &Spanned<String>,
    value: &Spanned<Value>,
    document: &Result<&Value, String>,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, path);
    let written = match subject_key(
        eval,
        &path.value,
        "body",
        "jsonpath",
        show(&value.value),
        &location,
    ) {
        Ok(rendered) => rendered,
        Err(broken) => return broken,
    };
    let subject = format!("body {written}");
    let query = match super::cache::jsonpath(&written) {
        Ok(query) => query,
        Err(e) => {
            return vec![broken(
                &subject,
                "jsonpath",
                show(&value.value),
                e.to_string(),
                &location,
            )];
        }
    };
    let document = match document {
        Ok(document) => document,
        Err(message) => {
            let predicates = crate::model::parse_predicates(&value.value).unwrap_or_default();
            if predicates.is_empty() {
                return vec![broken(
                    &subject,
                    "expect",
                    show(&value.value),
                    message.clone(),
                    &location,
                )];
            }
            return predicates
                .iter()
                .map(|p| {
                    broken(
                        &subject,
                        p.keyword(),
                        describe_expected(p),
                        message.clone(),
                        &location,
                    )
                })
                .collect();
        }
    };
    let nodes: Vec<Value> = query.select(document).values().cloned().collect();
    let singular = query.is_singular();
    let selected = if singular {
        Actual::from_option(nodes.into_iter().next())
    } else {
        Actual::Json(Value::Array(nodes))
    };
    // For a query that may select many nodes, "exists" means "selects at
    // least one", not "the list of nodes exists".
    let adapt = move |p: &Predicate, actual: &Actual| match (p, actual) {
        (Predicate::Exists(_), Actual::Json(Value::Array(nodes))) if !singular && nodes.is_empty() => {
            Some((p.clone(), Actual::Absent))
        }
        _ => None,
    };
    all_with_subject(
        eval.expectation(&value.value, selected, Some(&adapt)),
        &subject,
        &location,
    )
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::expect::{BODY, one, response, run};

    #[test]
    fn singular_paths_compare_one_node() {
        let r = response(BODY);
        let results = run(
            "body:\n  $.token: { type: string, length: 6, matches: '^[a-z0-9]+$' }",
            &r,
        );
        assert_eq!(results.len(), 3);
        assert!(results.iter().all(|a| a.passed), "{results:#?}");
        assert_eq!(results[0].subject, "body $.token");
        assert!(
            one("body:\n  $.count: 2.0", &r).passed,
            "1 == 1.0 across int/float"
        );
        assert!(!one("body:\n  $.user: { equals: '{{ user }}' }", &r).passed);
        assert!(one("body:\n  $.user.type: admin", &r).passed);
        let absent = one("body:\n  $.nope: { type: string }", &r);
        assert_eq!((absent.passed, absent.actual.as_str()), (false, "(absent)"));
        assert!(one("body:\n  $.nope: { absent: true }", &r).passed);
    }

    #[test]
    fn non_singular_paths_compare_the_list_of_nodes() {
        let r = response(BODY);
        assert!(one("body:\n  $.factors[?@.factor=='totp'].unlocked: [false]", &r).passed);
        let failed = one("body:\n  $.factors[*].unlocked: [true]", &r);
        assert!(!failed.passed);
        assert_eq!(failed.actual, "[true,false]");
        assert!(one("body:\n  $.factors[*]: { length: 2 }", &r).passed);
        assert!(one("body:\n  $.factors[?@.factor=='sms']: { exists: false }", &r).passed);
        let none = one("body:\n  $.factors[?@.factor=='sms']: { exists: true }", &r);
        assert_eq!((none.passed, none.actual.as_str()), (false, "(absent)"));
        assert!(one("body:\n  $..type: { contains: admin }", &r).passed);
    }

    #[test]
    fn invalid_paths_and_expectations_fail_with_a_message() {
        let r = response(BODY);
        let path = one("body:\n  token: x", &r);
        assert!(!path.passed);
        assert_eq!(path.predicate, "jsonpath");
        assert_eq!(
            path.message.as_deref(),
            Some("invalid JSONPath `token`: a JSONPath starts with `$`; did you mean `$.token`?")
        );
        let mixed = one("body:\n  $.user: { type: object, id: 7 }", &r);
        assert!(!mixed.passed);
        assert!(mixed.message.unwrap().contains("mixes predicates"));
    }
}

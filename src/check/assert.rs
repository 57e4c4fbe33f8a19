//! Evaluates expectations (status, headers, body predicates, subset, time)
//! into one [`AssertionResult`] per check, passed or not.
//!
//! Failures are data: a bad operand, an invalid regex, a template that does
//! not render or a body that is not JSON become failed results with a
//! message, never errors or panics. Must not render templates itself (the
//! caller's callback does) nor redact (the caller does, after).

use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use regex::Regex;
use serde_json::{Number, Value};

use crate::model::{Expect, JsonType, Predicate, SourceLocation, Spanned, StatusExpect, parse_predicates};

use super::display::{body_excerpt, show, show_typed};
use super::{JsonPathQuery, Response};

/// Stands for a value that is not there, in the `actual` column.
const ABSENT: &str = "(absent)";

/// Records the outcome of one expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct AssertionResult {
    /// What was tested: `status`, `header content-type`, `body $.token`,
    /// `body (subset)`, `response time`.
    pub subject: String,
    /// The predicate keyword: `equals`, `type`, `<`...
    pub predicate: String,
    /// The expected value, rendered for display.
    pub expected: String,
    /// The actual value, rendered for display (shortened).
    pub actual: String,
    /// Whether it held.
    pub passed: bool,
    /// Explains a failure beyond expected/actual (e.g. "body is not JSON").
    pub message: Option<String>,
    /// Where the expectation is written.
    pub location: SourceLocation,
}

/// Records what one predicate came to on one value, before it is tied to a
/// subject and a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredicateOutcome {
    /// The predicate keyword: `equals`, `type`, `<`...
    pub predicate: String,
    /// The expected side, rendered for display.
    pub expected: String,
    /// The actual value, rendered for display, or `(absent)`.
    pub actual: String,
    /// Whether it held.
    pub passed: bool,
    /// Explains a failure beyond expected/actual (wrong operand type, invalid regex).
    pub message: Option<String>,
}

/// Renders an operand (templates inside) before it is compared.
pub type RenderOperand<'a> = dyn FnMut(&Value) -> Result<Value, String> + 'a;

/// Evaluates every expectation of `expect` over `response`.
///
/// Returns, in this order: status, headers, body paths (one result per
/// predicate), subset, response time. Operands go through `render` first; a
/// render error fails that one result.
#[must_use]
pub fn eval_expect(
    expect: &Expect,
    response: &Response,
    file: &Arc<PathBuf>,
    render: &mut RenderOperand<'_>,
) -> Vec<AssertionResult> {
    let mut results = Vec::new();
    if let Some(status) = &expect.status {
        results.push(eval_status(status, response, file, render));
    }
    for (name, value) in &expect.headers {
        results.extend(eval_header(name, value, response, file, render));
    }
    let needs_json = !expect.body.is_empty() || expect.subset.is_some();
    let document = if needs_json {
        parse_body(response)
    } else {
        Err(String::new())
    };
    for (path, value) in &expect.body {
        results.extend(eval_body_path(path, value, &document, file, render));
    }
    if let Some(subset) = &expect.subset {
        results.push(eval_subset(subset, &document, file, render));
    }
    if let Some(max_time) = &expect.max_time {
        results.push(eval_max_time(max_time, response.elapsed, file, render));
    }
    results
}

/// Evaluates `predicates` on `actual` (`None` when absent), one outcome each.
///
/// An absent value fails every predicate except `absent` (`exists: false`).
#[must_use]
pub fn eval_predicates(predicates: &[Predicate], actual: Option<&Value>) -> Vec<PredicateOutcome> {
    predicates.iter().map(|p| eval_predicate(p, actual)).collect()
}

/// Parses the body for body expectations; the error is the full failure message.
fn parse_body(response: &Response) -> Result<&Value, String> {
    let text = response.text();
    if text.trim().is_empty() {
        return Err("body is not JSON: the body is empty".to_owned());
    }
    response.json().map_err(|reason| {
        format!(
            "body is not JSON: {reason}; it starts with: {}",
            body_excerpt(&text)
        )
    })
}

fn render_failure(message: &str) -> String {
    format!("could not render the expected value: {message}")
}

/// Builds a result for an expectation that could not be evaluated at all.
fn broken(
    subject: &str,
    predicate: &str,
    expected: String,
    message: String,
    location: &SourceLocation,
) -> AssertionResult {
    AssertionResult {
        subject: subject.to_owned(),
        predicate: predicate.to_owned(),
        expected,
        actual: String::new(),
        passed: false,
        message: Some(message),
        location: location.clone(),
    }
}

fn with_subject(outcome: PredicateOutcome, subject: &str, location: &SourceLocation) -> AssertionResult {
    AssertionResult {
        subject: subject.to_owned(),
        predicate: outcome.predicate,
        expected: outcome.expected,
        actual: outcome.actual,
        passed: outcome.passed,
        message: outcome.message,
        location: location.clone(),
    }
}

fn eval_status(
    status: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    render: &mut RenderOperand<'_>,
) -> AssertionResult {
    let location = SourceLocation::of(file, status);
    let subject = "status";
    let rendered = match render(&status.value) {
        Ok(rendered) => rendered,
        Err(e) => {
            return broken(
                subject,
                "equals",
                show(&status.value),
                render_failure(&e),
                &location,
            );
        }
    };
    match StatusExpect::parse(&rendered) {
        Ok(expected) => AssertionResult {
            subject: subject.to_owned(),
            predicate: "equals".to_owned(),
            expected: expected.to_string(),
            actual: response.status.to_string(),
            passed: expected.accepts(response.status),
            message: None,
            location,
        },
        Err(e) => broken(subject, "equals", show(&rendered), e.to_string(), &location),
    }
}

/// Holds a predicate ready to evaluate, or the failed outcome that replaces it.
enum Prepared {
    Ready(Predicate),
    Unusable(PredicateOutcome),
}

fn unusable(predicate: &str, expected: String, message: String) -> Prepared {
    Prepared::Unusable(PredicateOutcome {
        predicate: predicate.to_owned(),
        expected,
        actual: String::new(),
        passed: false,
        message: Some(message),
    })
}

/// Parses an authored expectation, then renders each predicate's operands.
///
/// Parsing comes first so that a rendered value that happens to be a mapping
/// (`"{{ user }}"` -> `{"type": ...}`) is compared, not read as predicates.
fn parse_and_render(value: &Value, render: &mut RenderOperand<'_>) -> Vec<Prepared> {
    let predicates = match parse_predicates(value) {
        Ok(predicates) => predicates,
        Err(e) => return vec![unusable("expect", show(value), e.to_string())],
    };
    predicates
        .iter()
        .map(|p| match p.try_map_operands(&mut |v: &Value| render(v)) {
            Ok(rendered) => Prepared::Ready(rendered),
            Err(e) => unusable(p.keyword(), describe_expected(p), render_failure(&e)),
        })
        .collect()
}

fn eval_header(
    name: &Spanned<String>,
    value: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    render: &mut RenderOperand<'_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, name);
    let subject = format!("header {}", name.value);
    let header = response.header(&name.value);
    parse_and_render(&value.value, render)
        .into_iter()
        .map(|prepared| {
            let outcome = match prepared {
                Prepared::Ready(predicate) => {
                    let (predicate, actual) = header_view(&predicate, header);
                    eval_predicate(&predicate, actual.as_ref())
                }
                Prepared::Unusable(outcome) => outcome,
            };
            with_subject(outcome, &subject, &location)
        })
        .collect()
}

/// Adapts a predicate to a header, whose value is always text: scalar
/// operands compare by their text (`content-length: 42`), and an ordering
/// against a number reads the header as a number.
fn header_view(predicate: &Predicate, header: Option<&str>) -> (Predicate, Option<Value>) {
    let text = header.map(|h| Value::String(h.to_owned()));
    let as_text = |v: &Value| match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        other => other.clone(),
    };
    match predicate {
        Predicate::Compare(_, Value::Number(_)) => {
            let number = header
                .and_then(|h| h.trim().parse::<Number>().ok())
                .map(Value::Number);
            (predicate.clone(), number.or(text))
        }
        Predicate::Equals(v) => (Predicate::Equals(as_text(v)), text),
        Predicate::NotEquals(v) => (Predicate::NotEquals(as_text(v)), text),
        Predicate::Contains(v) => (Predicate::Contains(as_text(v)), text),
        Predicate::NotContains(v) => (Predicate::NotContains(as_text(v)), text),
        Predicate::StartsWith(v) => (Predicate::StartsWith(as_text(v)), text),
        Predicate::EndsWith(v) => (Predicate::EndsWith(as_text(v)), text),
        Predicate::OneOf(Value::Array(items)) => (
            Predicate::OneOf(Value::Array(items.iter().map(as_text).collect())),
            text,
        ),
        other => (other.clone(), text),
    }
}

fn eval_body_path(
    path: &Spanned<String>,
    value: &Spanned<Value>,
    document: &Result<&Value, String>,
    file: &Arc<PathBuf>,
    render: &mut RenderOperand<'_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, path);
    let subject = format!("body {}", path.value);
    let query = match JsonPathQuery::parse(&path.value) {
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
    let selected: Result<Option<Value>, &String> = document.as_ref().map(|document| {
        let nodes = query.select(document).nodes.into_iter().map(|(_, v)| v);
        if query.is_singular() {
            nodes.into_iter().next()
        } else {
            Some(Value::Array(nodes.collect()))
        }
    });
    parse_and_render(&value.value, render)
        .into_iter()
        .map(|prepared| {
            let outcome = match (prepared, &selected) {
                (Prepared::Unusable(outcome), _) => outcome,
                (Prepared::Ready(predicate), Err(message)) => PredicateOutcome {
                    predicate: predicate.keyword().to_owned(),
                    expected: describe_expected(&predicate),
                    actual: String::new(),
                    passed: false,
                    message: Some((*message).clone()),
                },
                (Prepared::Ready(predicate), Ok(selected)) => {
                    // For a query that may select many nodes, "exists" means
                    // "selects at least one", not "the list of nodes exists".
                    let actual = match (&predicate, selected) {
                        (Predicate::Exists(_), Some(Value::Array(nodes)))
                            if !query.is_singular() && nodes.is_empty() =>
                        {
                            None
                        }
                        _ => selected.as_ref(),
                    };
                    eval_predicate(&predicate, actual)
                }
            };
            with_subject(outcome, &subject, &location)
        })
        .collect()
}

fn eval_subset(
    subset: &Spanned<Value>,
    document: &Result<&Value, String>,
    file: &Arc<PathBuf>,
    render: &mut RenderOperand<'_>,
) -> AssertionResult {
    let location = SourceLocation::of(file, subset);
    let subject = "body (subset)";
    let expected = match render(&subset.value) {
        Ok(expected) => expected,
        Err(e) => {
            return broken(
                subject,
                "subset",
                show(&subset.value),
                render_failure(&e),
                &location,
            );
        }
    };
    let actual = match document {
        Ok(actual) => actual,
        Err(message) => return broken(subject, "subset", show(&expected), message.clone(), &location),
    };
    let divergence = subset_divergence(&expected, actual);
    AssertionResult {
        subject: subject.to_owned(),
        predicate: "subset".to_owned(),
        expected: show(&expected),
        actual: show(actual),
        passed: divergence.is_none(),
        message: divergence.map(|d| format!("diverges at {}: {}", d.path, d.reason)),
        location,
    }
}

fn eval_max_time(
    max_time: &Spanned<String>,
    elapsed: Duration,
    file: &Arc<PathBuf>,
    render: &mut RenderOperand<'_>,
) -> AssertionResult {
    let location = SourceLocation::of(file, max_time);
    let subject = "response time";
    let raw = Value::String(max_time.value.clone());
    let limit = match render(&raw) {
        Ok(Value::String(text)) => text,
        Ok(other) => {
            return broken(
                subject,
                "<=",
                show(&other),
                "max_time expects a duration such as `500ms` or `2s`".to_owned(),
                &location,
            );
        }
        Err(e) => {
            return broken(
                subject,
                "<=",
                max_time.value.clone(),
                render_failure(&e),
                &location,
            );
        }
    };
    match humantime::parse_duration(limit.trim()) {
        Ok(max) => AssertionResult {
            subject: subject.to_owned(),
            predicate: "<=".to_owned(),
            expected: limit.trim().to_owned(),
            actual: show_duration(elapsed),
            passed: elapsed <= max,
            message: None,
            location,
        },
        Err(e) => broken(
            subject,
            "<=",
            limit.clone(),
            format!("invalid duration `{limit}`: {e}; write a duration such as `500ms` or `2s`"),
            &location,
        ),
    }
}

/// Shows a duration in whole milliseconds (microseconds below one).
fn show_duration(duration: Duration) -> String {
    if duration < Duration::from_millis(1) {
        format!("{}µs", duration.as_micros())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

/// Describes the expected side of `predicate` for the `expected` column.
fn describe_expected(predicate: &Predicate) -> String {
    match predicate {
        Predicate::Equals(v)
        | Predicate::NotEquals(v)
        | Predicate::Matches(v)
        | Predicate::Contains(v)
        | Predicate::NotContains(v)
        | Predicate::StartsWith(v)
        | Predicate::EndsWith(v)
        | Predicate::Compare(_, v)
        | Predicate::OneOf(v) => show(v),
        Predicate::Exists(true) => "(present)".to_owned(),
        Predicate::Exists(false) => ABSENT.to_owned(),
        Predicate::Type(t) => t.to_string(),
        Predicate::Length(inner) => inner
            .iter()
            .map(|p| match p {
                Predicate::Equals(_) => describe_expected(p),
                other => format!("{} {}", other.keyword(), describe_expected(other)),
            })
            .collect::<Vec<_>>()
            .join(" and "),
    }
}

fn eval_predicate(predicate: &Predicate, actual: Option<&Value>) -> PredicateOutcome {
    let outcome = |passed: bool, message: Option<String>| PredicateOutcome {
        predicate: predicate.keyword().to_owned(),
        expected: describe_expected(predicate),
        actual: actual.map_or_else(|| ABSENT.to_owned(), show),
        passed,
        message,
    };
    let Some(value) = actual else {
        return outcome(matches!(predicate, Predicate::Exists(false)), None);
    };
    let verdict = |check: Result<bool, String>| match check {
        Ok(passed) => outcome(passed, None),
        Err(message) => outcome(false, Some(message)),
    };
    match predicate {
        Predicate::Equals(expected) => {
            let passed = json_eq(value, expected);
            outcome(passed, (!passed).then(|| type_hint(value, expected)).flatten())
        }
        Predicate::NotEquals(expected) => outcome(!json_eq(value, expected), None),
        Predicate::Exists(present) => outcome(*present, None),
        Predicate::Type(t) => PredicateOutcome {
            actual: show_typed(value),
            ..outcome(t.matches(value), None)
        },
        Predicate::Matches(pattern) => verdict(matches_regex(value, pattern)),
        Predicate::Contains(needle) => verdict(contains(value, needle)),
        Predicate::NotContains(needle) => verdict(contains(value, needle).map(|found| !found)),
        Predicate::StartsWith(affix) => {
            verdict(text_pair("starts_with", value, affix).map(|(s, a)| s.starts_with(a)))
        }
        Predicate::EndsWith(affix) => {
            verdict(text_pair("ends_with", value, affix).map(|(s, a)| s.ends_with(a)))
        }
        Predicate::Compare(op, bound) => verdict(compare(value, bound).map(|ordering| match op {
            crate::model::CmpOp::Lt => ordering == Ordering::Less,
            crate::model::CmpOp::Le => ordering != Ordering::Greater,
            crate::model::CmpOp::Gt => ordering == Ordering::Greater,
            crate::model::CmpOp::Ge => ordering != Ordering::Less,
        })),
        Predicate::Length(inner) => eval_length(predicate, inner, value),
        Predicate::OneOf(Value::Array(options)) => outcome(options.iter().any(|o| json_eq(value, o)), None),
        Predicate::OneOf(other) => outcome(
            false,
            Some(format!("`one_of` needs a list, got {}", show_typed(other))),
        ),
    }
}

fn eval_length(predicate: &Predicate, inner: &[Predicate], value: &Value) -> PredicateOutcome {
    let length = match value {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(items) => Some(items.len()),
        Value::Object(map) => Some(map.len()),
        _ => None,
    };
    let Some(length) = length else {
        return PredicateOutcome {
            predicate: predicate.keyword().to_owned(),
            expected: describe_expected(predicate),
            actual: show(value),
            passed: false,
            message: Some(format!(
                "`length` applies to strings, arrays and objects; the value is {}",
                show_typed(value)
            )),
        };
    };
    let outcomes = eval_predicates(inner, Some(&Value::from(length)));
    let messages: Vec<String> = outcomes.iter().filter_map(|o| o.message.clone()).collect();
    PredicateOutcome {
        predicate: predicate.keyword().to_owned(),
        expected: describe_expected(predicate),
        actual: length.to_string(),
        passed: outcomes.iter().all(|o| o.passed),
        message: (!messages.is_empty()).then(|| messages.join("; ")),
    }
}

/// Explains an `equals` failure between values of different types, where the
/// two may look alike in the report (`200` and `"200"`).
fn type_hint(actual: &Value, expected: &Value) -> Option<String> {
    let (a, e) = (JsonType::name_of(actual), JsonType::name_of(expected));
    (a != e && !(actual.is_number() && expected.is_number())).then(|| {
        format!(
            "the value is {} {a}, the expected value {} {e}",
            article(a),
            article(e)
        )
    })
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Compares JSON values, numbers by value (`1 == 1.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y) == Some(Ordering::Equal),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len() && xs.iter().all(|(k, x)| ys.get(k).is_some_and(|y| json_eq(x, y)))
        }
        _ => a == b,
    }
}

/// Orders numbers exactly when both are integers of the same sign range,
/// through `f64` otherwise.
fn compare_numbers(x: &Number, y: &Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (x.as_i64(), y.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (x.as_u64(), y.as_u64()) {
        return Some(a.cmp(&b));
    }
    x.as_f64()?.partial_cmp(&y.as_f64()?)
}

fn compare(value: &Value, bound: &Value) -> Result<Ordering, String> {
    match (value, bound) {
        (Value::Number(a), Value::Number(b)) => {
            compare_numbers(a, b).ok_or_else(|| format!("cannot order {} and {}", show(value), show(bound)))
        }
        (Value::String(a), Value::String(b)) => Ok(a.cmp(b)),
        _ => Err(format!(
            "cannot compare {} with {}; ordering needs two numbers or two strings",
            show_typed(value),
            show_typed(bound)
        )),
    }
}

fn matches_regex(value: &Value, pattern: &Value) -> Result<bool, String> {
    let Value::String(pattern) = pattern else {
        return Err(format!(
            "`matches` needs a regex string, got {}",
            show_typed(pattern)
        ));
    };
    let regex = Regex::new(pattern).map_err(|e| format!("invalid regex: {e}"))?;
    match value {
        Value::String(s) => Ok(regex.is_match(s)),
        other => Err(format!(
            "`matches` applies to strings; the value is {}",
            show_typed(other)
        )),
    }
}

/// Tells whether a string holds a substring, an array an element, or an object a key.
fn contains(value: &Value, needle: &Value) -> Result<bool, String> {
    match (value, needle) {
        (Value::String(s), Value::String(n)) => Ok(s.contains(n.as_str())),
        (Value::String(_), other) => Err(format!(
            "a string can only contain a string; the expected value is {}",
            show_typed(other)
        )),
        (Value::Array(items), needle) => Ok(items.iter().any(|item| json_eq(item, needle))),
        (Value::Object(map), Value::String(key)) => Ok(map.contains_key(key)),
        (Value::Object(_), other) => Err(format!(
            "an object contains keys, which are strings; the expected value is {}",
            show_typed(other)
        )),
        (other, _) => Err(format!(
            "`contains` applies to strings, arrays and objects; the value is {}",
            show_typed(other)
        )),
    }
}

fn text_pair<'a>(keyword: &str, value: &'a Value, affix: &'a Value) -> Result<(&'a str, &'a str), String> {
    match (value, affix) {
        (Value::String(s), Value::String(a)) => Ok((s, a)),
        (Value::String(_), other) => Err(format!("`{keyword}` needs a string, got {}", show_typed(other))),
        (other, _) => Err(format!(
            "`{keyword}` applies to strings; the value is {}",
            show_typed(other)
        )),
    }
}

/// Says where an actual value stops containing the expected one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Divergence {
    /// The JSONPath of the first place that differs.
    path: String,
    /// What was expected there and what was found.
    reason: String,
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
fn subset_divergence(expected: &Value, actual: &Value) -> Option<Divergence> {
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
    use super::*;
    use crate::model::{CmpOp, load::parse_scenario};
    use serde_json::json;
    use std::path::Path;

    /// Parses `expect_yaml` (the body of an `expect:` mapping) with real spans.
    fn expect(expect_yaml: &str) -> Expect {
        let indented: String = expect_yaml.lines().map(|l| format!("      {l}\n")).collect();
        let source = format!("name: t\nsteps:\n  - get: /x\n    expect:\n{indented}");
        let scenario = parse_scenario(Path::new("t.yaml"), &source).unwrap();
        scenario.steps[0].value.expect.clone().unwrap().value
    }

    fn response(body: &str) -> Response {
        Response::new(
            200,
            vec![
                ("content-type".into(), "application/json; charset=utf-8".into()),
                ("content-length".into(), "42".into()),
            ],
            body.as_bytes().to_vec(),
            Duration::from_millis(120),
        )
    }

    /// Renders `"{{ name }}"` from a fixed set of variables, like the engine would.
    fn render(value: &Value) -> Result<Value, String> {
        match value.as_str() {
            Some("{{ code }}") => Ok(json!(200)),
            Some("{{ user }}") => Ok(json!({"type": "admin"})),
            Some("{{ limit }}") => Ok(json!("1s")),
            Some(s) if s.contains("{{") => {
                Err(format!("undefined value: `{}`", s.trim_matches(['{', '}', ' '])))
            }
            _ => Ok(value.clone()),
        }
    }

    fn run(expect_yaml: &str, response: &Response) -> Vec<AssertionResult> {
        eval_expect(
            &expect(expect_yaml),
            response,
            &Arc::new("t.yaml".into()),
            &mut render,
        )
    }

    fn one(expect_yaml: &str, response: &Response) -> AssertionResult {
        let mut results = run(expect_yaml, response);
        assert_eq!(results.len(), 1, "{results:#?}");
        results.remove(0)
    }

    fn outcome(predicate: Predicate, actual: Option<Value>) -> PredicateOutcome {
        eval_predicates(&[predicate], actual.as_ref()).remove(0)
    }

    const BODY: &str = r#"{
        "token": "abc123", "count": 2, "ratio": 1.0, "name": "Žofie",
        "factors": [{"factor": "email", "unlocked": true}, {"factor": "totp", "unlocked": false}],
        "user": {"type": "admin", "id": 7, "tags": ["a", "b"]}
    }"#;

    #[test]
    fn status_accepts_codes_classes_and_lists() {
        let r = response(BODY);
        let passed = one("status: 200", &r);
        assert!(passed.passed);
        assert_eq!(
            (
                passed.subject.as_str(),
                passed.expected.as_str(),
                passed.actual.as_str()
            ),
            ("status", "200", "200")
        );
        assert!(one("status: 2xx", &r).passed);
        let failed = one("status: [201, 4xx]", &r);
        assert!(!failed.passed);
        assert_eq!(failed.expected, "one of 201, 4xx");
        assert!(one("status: '{{ code }}'", &r).passed, "operands are rendered");
        let bad = one("status: ok", &r);
        assert!(!bad.passed);
        assert_eq!(
            bad.message.as_deref(),
            Some("invalid status `\"ok\"`; write a code (200), a list ([200, 204]) or a class (2xx)")
        );
    }

    #[test]
    fn results_point_at_the_yaml() {
        let results = run(
            "status: 200\nheaders:\n  content-type: { contains: json }\nbody:\n  $.token: abc123",
            &response(BODY),
        );
        let lines: Vec<(u64, u64)> = results
            .iter()
            .map(|r| (r.location.line, r.location.column))
            .collect();
        assert_eq!(lines, [(5, 15), (7, 9), (9, 9)]);
        assert_eq!(results[2].location.to_string(), "t.yaml:9:9");
    }

    #[test]
    fn headers_compare_case_insensitively_as_text() {
        let r = response(BODY);
        assert!(one("headers:\n  Content-Type: application/json; charset=utf-8", &r).passed);
        let length = one("headers:\n  content-length: 42", &r);
        assert!(length.passed, "{length:?}");
        assert!(one("headers:\n  content-length: { '>': 10 }", &r).passed);
        assert!(one("headers:\n  content-length: { one_of: [41, 42] }", &r).passed);
        assert!(one("headers:\n  content-type: { starts_with: application/json }", &r).passed);
        assert!(one("headers:\n  x-request-id: { exists: false }", &r).passed);
        let missing = one("headers:\n  x-request-id: { matches: '^r-' }", &r);
        assert!(!missing.passed);
        assert_eq!(missing.actual, "(absent)");
        assert_eq!(missing.subject, "header x-request-id");
        let wrong = one("headers:\n  content-type: text/html", &r);
        assert!(!wrong.passed);
        assert_eq!(wrong.actual, "\"application/json; charset=utf-8\"");
    }

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
    fn a_rendered_mapping_is_compared_not_read_as_predicates() {
        let r = response(r#"{"user": {"type": "admin"}}"#);
        let result = one("body:\n  $.user: '{{ user }}'", &r);
        assert!(result.passed, "{result:?}");
        assert_eq!(result.predicate, "equals");
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
    fn a_body_that_is_not_json_fails_each_body_check() {
        let r = response("<html>Service Unavailable</html>");
        let results = run(
            "body:\n  $.token: { type: string, exists: true }\nsubset: { a: 1 }",
            &r,
        );
        assert_eq!(results.len(), 3);
        assert!(results.iter().all(|a| !a.passed));
        assert_eq!(
            results[0].message.as_deref(),
            Some(
                "body is not JSON: expected value at line 1 column 1; it starts with: <html>Service Unavailable</html>"
            )
        );
        assert_eq!(results[2].subject, "body (subset)");
        let empty = one("body:\n  $.token: x", &response(""));
        assert_eq!(
            empty.message.as_deref(),
            Some("body is not JSON: the body is empty")
        );
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

    #[test]
    fn render_errors_fail_only_their_predicate() {
        let r = response(BODY);
        let results = run("body:\n  $.token: { type: string, equals: '{{ missing }}' }", &r);
        let by = |keyword: &str| results.iter().find(|a| a.predicate == keyword).unwrap();
        assert!(by("type").passed);
        assert!(!by("equals").passed);
        assert_eq!(
            by("equals").message.as_deref(),
            Some("could not render the expected value: undefined value: `missing`")
        );
        let status = one("status: '{{ nope }}'", &r);
        assert_eq!(
            status.message.as_deref(),
            Some("could not render the expected value: undefined value: `nope`")
        );
    }

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

    #[test]
    fn max_time_bounds_the_elapsed_time() {
        let r = response(BODY);
        let fast = one("max_time: 500ms", &r);
        assert!(fast.passed);
        assert_eq!(
            (
                fast.subject.as_str(),
                fast.predicate.as_str(),
                fast.expected.as_str(),
                fast.actual.as_str()
            ),
            ("response time", "<=", "500ms", "120ms")
        );
        assert!(!one("max_time: 100ms", &r).passed);
        assert!(one("max_time: '{{ limit }}'", &r).passed);
        let bad = one("max_time: soon", &r);
        assert!(!bad.passed);
        assert!(bad.message.unwrap().starts_with("invalid duration `soon`: "));
        assert_eq!(show_duration(Duration::from_micros(250)), "250µs");
    }

    #[test]
    fn equals_and_not_equals() {
        assert!(outcome(Predicate::Equals(json!(1)), Some(json!(1.0))).passed);
        assert!(
            outcome(
                Predicate::Equals(json!({"a": [1, 2.0]})),
                Some(json!({"a": [1.0, 2]}))
            )
            .passed
        );
        let failed = outcome(Predicate::Equals(json!(200)), Some(json!("200")));
        assert!(!failed.passed);
        assert_eq!(
            failed.message.as_deref(),
            Some("the value is a string, the expected value an integer")
        );
        assert!(outcome(Predicate::NotEquals(json!("a")), Some(json!("b"))).passed);
        assert!(!outcome(Predicate::NotEquals(json!(2)), Some(json!(2.0))).passed);
        assert!(
            !outcome(Predicate::NotEquals(json!(2)), None).passed,
            "absent fails everything but absent"
        );
    }

    #[test]
    fn exists_absent_and_type() {
        assert!(outcome(Predicate::Exists(true), Some(json!(null))).passed);
        assert!(!outcome(Predicate::Exists(true), None).passed);
        assert!(outcome(Predicate::Exists(false), None).passed);
        let present = outcome(Predicate::Exists(false), Some(json!(1)));
        assert_eq!((present.passed, present.expected.as_str()), (false, "(absent)"));
        assert!(outcome(Predicate::Type(JsonType::Integer), Some(json!(3))).passed);
        let wrong = outcome(Predicate::Type(JsonType::String), Some(json!(3)));
        assert_eq!(
            (wrong.passed, wrong.expected.as_str(), wrong.actual.as_str()),
            (false, "string", "integer 3")
        );
        let absent = outcome(Predicate::Type(JsonType::String), None);
        assert_eq!((absent.passed, absent.actual.as_str()), (false, "(absent)"));
    }

    #[test]
    fn matches_searches_strings_and_reports_bad_regexes() {
        assert!(
            outcome(Predicate::Matches(json!("[0-9]+")), Some(json!("abc123"))).passed,
            "unanchored"
        );
        assert!(!outcome(Predicate::Matches(json!("^[0-9]+$")), Some(json!("abc123"))).passed);
        let invalid = outcome(Predicate::Matches(json!("(")), Some(json!("x")));
        assert!(!invalid.passed);
        assert!(
            invalid
                .message
                .unwrap()
                .starts_with("invalid regex: regex parse error")
        );
        let number = outcome(Predicate::Matches(json!("1")), Some(json!(1)));
        assert_eq!(
            number.message.as_deref(),
            Some("`matches` applies to strings; the value is integer 1")
        );
    }

    #[test]
    fn contains_and_not_contains() {
        assert!(outcome(Predicate::Contains(json!("bc")), Some(json!("abc"))).passed);
        assert!(outcome(Predicate::Contains(json!(2.0)), Some(json!([1, 2]))).passed);
        assert!(outcome(Predicate::Contains(json!({"a": 1})), Some(json!([{"a": 1}]))).passed);
        assert!(outcome(Predicate::Contains(json!("k")), Some(json!({"k": 0}))).passed);
        assert!(!outcome(Predicate::Contains(json!("z")), Some(json!("abc"))).passed);
        assert!(outcome(Predicate::NotContains(json!("z")), Some(json!("abc"))).passed);
        assert!(!outcome(Predicate::NotContains(json!(1)), Some(json!([1]))).passed);
        let typed = outcome(Predicate::NotContains(json!(1)), Some(json!(5)));
        assert!(!typed.passed, "a type error never passes, even negated");
        assert_eq!(
            typed.message.as_deref(),
            Some("`contains` applies to strings, arrays and objects; the value is integer 5")
        );
        assert_eq!(
            outcome(Predicate::Contains(json!(1)), Some(json!("1")))
                .message
                .as_deref(),
            Some("a string can only contain a string; the expected value is integer 1")
        );
    }

    #[test]
    fn starts_with_and_ends_with() {
        assert!(outcome(Predicate::StartsWith(json!("Bearer ")), Some(json!("Bearer x"))).passed);
        assert!(!outcome(Predicate::StartsWith(json!("x")), Some(json!("Bearer x"))).passed);
        assert!(outcome(Predicate::EndsWith(json!("fie")), Some(json!("Žofie"))).passed);
        assert!(!outcome(Predicate::EndsWith(json!("Ž")), Some(json!("Žofie"))).passed);
        assert_eq!(
            outcome(Predicate::EndsWith(json!("1")), Some(json!(1)))
                .message
                .as_deref(),
            Some("`ends_with` applies to strings; the value is integer 1")
        );
    }

    #[test]
    fn comparisons_order_numbers_and_strings() {
        let cmp = |op, bound: Value, actual: Value| outcome(Predicate::Compare(op, bound), Some(actual));
        assert!(cmp(CmpOp::Lt, json!(3), json!(2.5)).passed);
        assert!(cmp(CmpOp::Le, json!(2), json!(2.0)).passed);
        assert!(cmp(CmpOp::Gt, json!(-1), json!(0)).passed);
        assert!(cmp(CmpOp::Ge, json!(u64::MAX), json!(u64::MAX)).passed);
        assert!(!cmp(CmpOp::Gt, json!(2), json!(2)).passed);
        assert!(cmp(CmpOp::Lt, json!("2026-02-01"), json!("2026-01-31")).passed);
        let mixed = cmp(CmpOp::Lt, json!(10), json!("9"));
        assert!(!mixed.passed);
        assert_eq!(mixed.predicate, "<");
        assert_eq!(
            mixed.message.as_deref(),
            Some("cannot compare string \"9\" with integer 10; ordering needs two numbers or two strings")
        );
    }

    #[test]
    fn length_counts_characters_elements_and_keys() {
        let length = |inner: Vec<Predicate>, actual: Value| outcome(Predicate::Length(inner), Some(actual));
        assert!(length(vec![Predicate::Equals(json!(5))], json!("Žofie")).passed);
        assert!(length(vec![Predicate::Equals(json!(2))], json!([1, 2])).passed);
        assert!(length(vec![Predicate::Equals(json!(1))], json!({"a": 1})).passed);
        let range = length(
            vec![
                Predicate::Compare(CmpOp::Gt, json!(10)),
                Predicate::Compare(CmpOp::Lt, json!(100)),
            ],
            json!("short"),
        );
        assert!(!range.passed);
        assert_eq!(
            (range.expected.as_str(), range.actual.as_str()),
            ("> 10 and < 100", "5")
        );
        let number = length(vec![Predicate::Equals(json!(1))], json!(7));
        assert_eq!(
            number.message.as_deref(),
            Some("`length` applies to strings, arrays and objects; the value is integer 7")
        );
    }

    #[test]
    fn one_of_lists_allowed_values() {
        assert!(outcome(Predicate::OneOf(json!(["a", 2])), Some(json!(2.0))).passed);
        assert!(!outcome(Predicate::OneOf(json!(["a", 2])), Some(json!("b"))).passed);
        assert_eq!(
            outcome(Predicate::OneOf(json!("a")), Some(json!("a")))
                .message
                .as_deref(),
            Some("`one_of` needs a list, got string \"a\"")
        );
    }

    #[test]
    fn long_values_are_shortened_for_display() {
        let long = json!("x".repeat(1000));
        let shown = outcome(Predicate::Equals(json!("y")), Some(long));
        assert!(shown.actual.ends_with("...") && shown.actual.chars().count() < 210);
    }
}

//! Parses authored expectations (`$.x: {type: string, length: 64}`) into an
//! [`Expectation`]: the filters applied first (`filters: [...]`), then the
//! [`Predicate`]s that must all hold.
//!
//! Pure: operands stay unrendered [`Value`]s (they may hold templates).
//! Must not render or evaluate them: the engine renders them and `check`
//! evaluates them.

use serde_json::Value;

use super::diag::did_you_mean;
use super::filter::{Filter, parse_filters};
pub use super::predicate_error::PredicateError;
use super::predicate_error::{describe, is_template};
use super::value_type::{CmpOp, FORMAT_NAMES, JsonType, TYPE_NAMES, TextFormat};

/// Names every predicate key accepted in an expectation mapping.
pub const PREDICATE_KEYS: &[&str] = &[
    "equals",
    "not_equals",
    "exists",
    "absent",
    "type",
    "format",
    "empty",
    "matches",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
    "<",
    "<=",
    ">",
    ">=",
    "length",
    "one_of",
    "not",
    "sha256",
    "md5",
    "equals_base64",
    "equals_hex",
    "equals_file",
    "schema",
];

/// Names the key of an expectation mapping that holds its filter chain.
pub const FILTERS_KEY: &str = "filters";

/// Describes one test on a value (a body node, a header, a length).
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    /// The value equals the operand (numbers compare by value: `1 == 1.0`).
    Equals(Value),
    /// The value differs from the operand.
    NotEquals(Value),
    /// The value is present (`true`) or absent (`false`).
    Exists(bool),
    /// The value has this JSON type.
    Type(JsonType),
    /// The string value has this well-known format.
    Format(TextFormat),
    /// The value is empty (`""`, `[]`, `{}`, no bytes): `true`; or is not: `false`.
    Empty(bool),
    /// The string value matches this regex (unanchored search).
    Matches(Value),
    /// A string contains a substring, an array an element, an object a key.
    Contains(Value),
    /// The negation of [`Predicate::Contains`].
    NotContains(Value),
    /// The string value starts with the operand.
    StartsWith(Value),
    /// The string value ends with the operand.
    EndsWith(Value),
    /// The value compares to the operand (numbers, or strings lexicographically).
    Compare(CmpOp, Value),
    /// The length of a string (in characters), array, object or bytes satisfies these.
    Length(Vec<Predicate>),
    /// The value equals one of the listed values.
    OneOf(Value),
    /// The inner predicates do not all hold.
    Not(Vec<Predicate>),
    /// The SHA-256 of the value's bytes (a string's UTF-8) is this hex digest.
    Sha256(Value),
    /// The MD5 of the value's bytes is this hex digest.
    Md5(Value),
    /// The value's bytes are these, written in base64.
    EqualsBase64(Value),
    /// The value's bytes are these, written in hex.
    EqualsHex(Value),
    /// The value equals the content of this file (relative to the scenario
    /// file): bytes, text, or JSON compared by value.
    EqualsFile(Value),
    /// The value is valid against this JSON Schema (inline, or a file path).
    Schema(Value),
}

impl Predicate {
    /// Returns the predicate's key as written in YAML, for messages.
    #[must_use]
    pub fn keyword(&self) -> &'static str {
        match self {
            Self::Equals(_) => "equals",
            Self::NotEquals(_) => "not_equals",
            Self::Exists(true) => "exists",
            Self::Exists(false) => "absent",
            Self::Type(_) => "type",
            Self::Format(_) => "format",
            Self::Empty(_) => "empty",
            Self::Matches(_) => "matches",
            Self::Contains(_) => "contains",
            Self::NotContains(_) => "not_contains",
            Self::StartsWith(_) => "starts_with",
            Self::EndsWith(_) => "ends_with",
            Self::Compare(op, _) => op.symbol(),
            Self::Length(_) => "length",
            Self::OneOf(_) => "one_of",
            Self::Not(_) => "not",
            Self::Sha256(_) => "sha256",
            Self::Md5(_) => "md5",
            Self::EqualsBase64(_) => "equals_base64",
            Self::EqualsHex(_) => "equals_hex",
            Self::EqualsFile(_) => "equals_file",
            Self::Schema(_) => "schema",
        }
    }

    /// Returns the value the predicate compares with, when it takes one
    /// (`equals`, `contains`, `<`, `sha256`...); not a file name, a schema
    /// or inner predicates.
    #[must_use]
    pub fn operand(&self) -> Option<&Value> {
        match self {
            Self::Equals(v)
            | Self::NotEquals(v)
            | Self::Matches(v)
            | Self::Contains(v)
            | Self::NotContains(v)
            | Self::StartsWith(v)
            | Self::EndsWith(v)
            | Self::Compare(_, v)
            | Self::OneOf(v)
            | Self::Sha256(v)
            | Self::Md5(v)
            | Self::EqualsBase64(v)
            | Self::EqualsHex(v) => Some(v),
            Self::EqualsFile(_)
            | Self::Schema(_)
            | Self::Length(_)
            | Self::Not(_)
            | Self::Exists(_)
            | Self::Type(_)
            | Self::Format(_)
            | Self::Empty(_) => None,
        }
    }

    /// Applies `f` to every operand value, e.g. to render templates in them.
    ///
    /// # Errors
    /// Returns the first error `f` returns.
    pub fn try_map_operands<E>(
        &self,
        f: &mut impl FnMut(&Value) -> Result<Value, E>,
    ) -> Result<Predicate, E> {
        let mut all = |ps: &[Predicate]| ps.iter().map(|p| p.try_map_operands(f)).collect::<Result<_, _>>();
        Ok(match self {
            Self::Equals(v) => Self::Equals(f(v)?),
            Self::NotEquals(v) => Self::NotEquals(f(v)?),
            Self::Matches(v) => Self::Matches(f(v)?),
            Self::Contains(v) => Self::Contains(f(v)?),
            Self::NotContains(v) => Self::NotContains(f(v)?),
            Self::StartsWith(v) => Self::StartsWith(f(v)?),
            Self::EndsWith(v) => Self::EndsWith(f(v)?),
            Self::Compare(op, v) => Self::Compare(*op, f(v)?),
            Self::OneOf(v) => Self::OneOf(f(v)?),
            Self::Sha256(v) => Self::Sha256(f(v)?),
            Self::Md5(v) => Self::Md5(f(v)?),
            Self::EqualsBase64(v) => Self::EqualsBase64(f(v)?),
            Self::EqualsHex(v) => Self::EqualsHex(f(v)?),
            Self::EqualsFile(v) => Self::EqualsFile(f(v)?),
            // A schema's own keys (`{{`-free by nature) are not rendered.
            Self::Schema(v) => Self::Schema(v.clone()),
            Self::Length(ps) => Self::Length(all(ps)?),
            Self::Not(ps) => Self::Not(all(ps)?),
            other @ (Self::Exists(_) | Self::Type(_) | Self::Format(_) | Self::Empty(_)) => other.clone(),
        })
    }
}

/// Holds an authored expectation: filters applied in order, then predicates
/// that must all hold on the result.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expectation {
    /// The filter chain (empty when none is written).
    pub filters: Vec<Filter>,
    /// The predicates, in the order written.
    pub predicates: Vec<Predicate>,
}

/// Parses an authored expectation into predicates, refusing filters.
///
/// # Errors
/// As [`parse_expectation`].
pub fn parse_predicates(value: &Value) -> Result<Vec<Predicate>, PredicateError> {
    parse_expectation(value).map(|e| e.predicates)
}

/// Parses an authored expectation into its filters and predicates.
///
/// A mapping whose keys are all predicate keys (or `filters`) is a set of
/// predicates; any other value (a scalar, a list, a plain mapping) means
/// `equals`.
///
/// # Errors
/// Returns a [`PredicateError`] when the mapping mixes predicate and plain
/// keys, an operand has the wrong kind, or the filter chain is malformed.
pub fn parse_expectation(value: &Value) -> Result<Expectation, PredicateError> {
    let Value::Object(map) = value else {
        return Ok(Expectation {
            filters: Vec::new(),
            predicates: vec![Predicate::Equals(value.clone())],
        });
    };
    let known = |k: &str| PREDICATE_KEYS.contains(&k) || k == FILTERS_KEY;
    let (predicates, plain): (Vec<&String>, Vec<&String>) = map.keys().partition(|k| known(k));
    if predicates.is_empty() || map.is_empty() {
        return Ok(Expectation {
            filters: Vec::new(),
            predicates: vec![Predicate::Equals(value.clone())],
        });
    }
    if !plain.is_empty() {
        let join = |keys: &[&String]| {
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let hint = plain
            .iter()
            .find_map(|k| {
                did_you_mean(k, PREDICATE_KEYS.iter().copied().chain([FILTERS_KEY]))
                    .map(|close| format!(" (did you mean `{close}` for `{k}`?)"))
            })
            .unwrap_or_default();
        return Err(PredicateError::Mixed {
            predicates: join(&predicates),
            plain: join(&plain),
            hint,
        });
    }
    let filters = match map.get(FILTERS_KEY) {
        Some(chain) => parse_filters(chain)?,
        None => Vec::new(),
    };
    let predicates = map
        .iter()
        .filter(|(key, _)| key.as_str() != FILTERS_KEY)
        .map(|(key, operand)| parse_one(key, operand))
        .collect::<Result<Vec<_>, _>>()?;
    if predicates.is_empty() {
        return Err(PredicateError::FiltersAlone);
    }
    Ok(Expectation { filters, predicates })
}

/// Parses the operand of a predicate that holds predicates (`length`, `not`):
/// a mapping of predicates, or a literal meaning `equals`. Filters are not
/// allowed inside.
fn nested(key: &str, operand: &Value) -> Result<Vec<Predicate>, PredicateError> {
    let inner = parse_expectation(operand)?;
    if inner.filters.is_empty() {
        Ok(inner.predicates)
    } else {
        Err(PredicateError::BadFilter(format!(
            "`filters` go at the top of an expectation, not inside `{key}`"
        )))
    }
}

fn parse_one(key: &str, operand: &Value) -> Result<Predicate, PredicateError> {
    let bad = |expected| PredicateError::BadOperand {
        key: key.to_owned(),
        expected,
        found: describe(operand),
    };
    let boolean = || operand.as_bool().ok_or_else(|| bad("true or false"));
    let text = || {
        if operand.is_string() {
            Ok(operand.clone())
        } else {
            Err(bad("a string"))
        }
    };
    let suggest = |name: &str, names: &[&str]| {
        did_you_mean(name, names.iter().copied())
            .map(|close| format!("; did you mean `{close}`?"))
            .unwrap_or_default()
    };
    Ok(match key {
        "equals" => Predicate::Equals(operand.clone()),
        "not_equals" => Predicate::NotEquals(operand.clone()),
        "exists" => Predicate::Exists(boolean()?),
        "absent" => Predicate::Exists(!boolean()?),
        "empty" => Predicate::Empty(boolean()?),
        "type" => {
            let name = operand.as_str().ok_or_else(|| bad("a type name"))?;
            Predicate::Type(
                JsonType::parse(name)
                    .ok_or_else(|| PredicateError::UnknownType(name.to_owned(), suggest(name, TYPE_NAMES)))?,
            )
        }
        "format" => {
            let name = operand.as_str().ok_or_else(|| bad("a format name"))?;
            Predicate::Format(
                TextFormat::parse(name).ok_or_else(|| {
                    PredicateError::UnknownFormat(name.to_owned(), suggest(name, FORMAT_NAMES))
                })?,
            )
        }
        "matches" => Predicate::Matches(text()?),
        "contains" => Predicate::Contains(operand.clone()),
        "not_contains" => Predicate::NotContains(operand.clone()),
        "starts_with" => Predicate::StartsWith(text()?),
        "ends_with" => Predicate::EndsWith(text()?),
        "<" | "<=" | ">" | ">=" => {
            if !(operand.is_number() || operand.is_string()) {
                return Err(bad("a number (or a string)"));
            }
            let op = match key {
                "<" => CmpOp::Lt,
                "<=" => CmpOp::Le,
                ">" => CmpOp::Gt,
                _ => CmpOp::Ge,
            };
            Predicate::Compare(op, operand.clone())
        }
        "length" => match operand {
            // A length is a count: `length: -1` or `length: 1.5` never holds.
            Value::Number(n) if n.as_u64().is_none() => {
                return Err(bad(
                    "a whole number, 0 or more (a length is never negative or fractional)",
                ));
            }
            Value::Number(_) => Predicate::Length(vec![Predicate::Equals(operand.clone())]),
            Value::Object(_) => Predicate::Length(nested(key, operand)?),
            _ if is_template(operand) => Predicate::Length(vec![Predicate::Equals(operand.clone())]),
            _ => return Err(bad("a number or predicates such as {\">\": 0}")),
        },
        "one_of" => {
            if !(operand.is_array() || is_template(operand)) {
                return Err(bad("a list of values"));
            }
            Predicate::OneOf(operand.clone())
        }
        "not" => Predicate::Not(nested(key, operand)?),
        "sha256" => Predicate::Sha256(text()?),
        "md5" => Predicate::Md5(text()?),
        "equals_base64" => Predicate::EqualsBase64(text()?),
        "equals_hex" => Predicate::EqualsHex(text()?),
        "equals_file" => Predicate::EqualsFile(text()?),
        "schema" => {
            if !(operand.is_object() || operand.is_boolean() || operand.is_string()) {
                return Err(bad("a JSON Schema (a mapping) or the path of a schema file"));
            }
            Predicate::Schema(operand.clone())
        }
        other => {
            return Err(PredicateError::BadOperand {
                key: other.to_owned(),
                expected: "a known predicate",
                found: describe(operand),
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_lists_and_plain_objects_mean_equals() {
        assert_eq!(
            parse_predicates(&json!(true)).unwrap(),
            vec![Predicate::Equals(json!(true))]
        );
        assert_eq!(
            parse_predicates(&json!([1])).unwrap(),
            vec![Predicate::Equals(json!([1]))]
        );
        let obj = json!({"logged": true});
        assert_eq!(parse_predicates(&obj).unwrap(), vec![Predicate::Equals(obj)]);
    }

    #[test]
    fn predicate_mappings_parse_every_key() {
        let got = parse_predicates(&json!({
            "type": "string", "length": {">": 10}, "matches": "^a", "absent": false, "one_of": [1, 2]
        }))
        .unwrap();
        assert_eq!(got.len(), 5);
        assert!(got.contains(&Predicate::Type(JsonType::String)));
        assert!(got.contains(&Predicate::Length(vec![Predicate::Compare(CmpOp::Gt, json!(10))])));
        assert!(got.contains(&Predicate::Exists(true)));
        assert!(got.iter().any(|p| p.keyword() == "one_of"));
    }

    #[test]
    fn not_wraps_predicates_or_a_literal() {
        assert_eq!(
            parse_predicates(&json!({"not": {"matches": "^x"}})).unwrap(),
            vec![Predicate::Not(vec![Predicate::Matches(json!("^x"))])]
        );
        assert_eq!(
            parse_predicates(&json!({"not": 3})).unwrap(),
            vec![Predicate::Not(vec![Predicate::Equals(json!(3))])]
        );
        assert_eq!(
            parse_predicates(&json!({"format": "uuid", "empty": false})).unwrap(),
            vec![Predicate::Empty(false), Predicate::Format(TextFormat::Uuid)]
        );
    }

    #[test]
    fn filters_come_before_predicates() {
        let e = parse_expectation(&json!({"filters": ["count"], "equals": 2})).unwrap();
        assert_eq!(e.filters, vec![Filter::Count]);
        assert_eq!(e.predicates, vec![Predicate::Equals(json!(2))]);
        assert_eq!(
            parse_expectation(&json!({"filters": ["count"]})).unwrap_err(),
            PredicateError::FiltersAlone
        );
        assert!(parse_expectation(&json!({"not": {"filters": ["count"], "equals": 1}})).is_err());
    }

    #[test]
    fn mixed_mappings_are_rejected_with_a_hint() {
        let err = parse_predicates(&json!({"type": "string", "name": "x"})).unwrap_err();
        assert!(err.to_string().contains("equals:"), "{err}");
        let err = parse_predicates(&json!({"type": "string", "lenght": 3})).unwrap_err();
        assert!(
            err.to_string().contains("(did you mean `length` for `lenght`?)"),
            "{err}"
        );
    }

    #[test]
    fn bad_operands_say_what_was_expected() {
        let err = parse_predicates(&json!({"exists": "yes"})).unwrap_err();
        assert_eq!(err.to_string(), "`exists` expects true or false, found \"yes\"");
        assert!(matches!(
            parse_predicates(&json!({"type": "text"})),
            Err(PredicateError::UnknownType(..))
        ));
        assert_eq!(
            parse_predicates(&json!({"type": "flaot"}))
                .unwrap_err()
                .to_string(),
            "unknown type `flaot`; expected one of string, number, integer, float, boolean, array, object, null; did you mean `float`?"
        );
        assert_eq!(
            parse_predicates(&json!({"format": "uiid"}))
                .unwrap_err()
                .to_string(),
            "unknown format `uiid`; expected one of uuid, iso_date, date_time, email, ipv4, ipv6, url; did you mean `uuid`?"
        );
    }
}

//! Parses authored expectations (`$.x: {type: string, length: 64}`) into
//! [`Predicate`]s, and status expectations into [`StatusExpect`].
//!
//! Pure: operands stay unrendered [`Value`]s (they may hold templates).
//! Must not render or evaluate them: the engine renders them and `check`
//! evaluates them.

use std::fmt;

use serde_json::Value;

/// Names every predicate key accepted in an expectation mapping.
pub const PREDICATE_KEYS: &[&str] = &[
    "equals",
    "not_equals",
    "exists",
    "absent",
    "type",
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
];

/// Names the JSON types `type:` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// `string`
    String,
    /// `number` (integer or float)
    Number,
    /// `integer`
    Integer,
    /// `boolean`
    Boolean,
    /// `array`
    Array,
    /// `object`
    Object,
    /// `null`
    Null,
}

impl JsonType {
    /// Parses a type name as written in YAML.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "string" => Self::String,
            "number" => Self::Number,
            "integer" => Self::Integer,
            "boolean" | "bool" => Self::Boolean,
            "array" | "list" => Self::Array,
            "object" | "map" => Self::Object,
            "null" => Self::Null,
            _ => return None,
        })
    }

    /// Tells whether `value` has this type.
    #[must_use]
    pub fn matches(self, value: &Value) -> bool {
        match self {
            Self::String => value.is_string(),
            Self::Number => value.is_number(),
            Self::Integer => value.as_number().is_some_and(is_integer),
            Self::Boolean => value.is_boolean(),
            Self::Array => value.is_array(),
            Self::Object => value.is_object(),
            Self::Null => value.is_null(),
        }
    }

    /// Returns the JSON type name of `value`, for "actual" in failure messages.
    #[must_use]
    pub fn name_of(value: &Value) -> &'static str {
        match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if !is_integer(n) => "number",
            Value::Number(_) => "integer",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

/// Tells whether a number is written as an integer (no fraction, no
/// exponent), however many digits it has: `1000000000000000000000` is one.
#[must_use]
pub fn is_integer(number: &serde_json::Number) -> bool {
    !number.to_string().contains(['.', 'e', 'E'])
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::String => "string",
            Self::Number => "number",
            Self::Integer => "integer",
            Self::Boolean => "boolean",
            Self::Array => "array",
            Self::Object => "object",
            Self::Null => "null",
        })
    }
}

/// Names the ordering comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// Returns the operator as written in YAML.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }
}

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
    /// The length of a string (in characters), array or object satisfies these.
    Length(Vec<Predicate>),
    /// The value equals one of the listed values.
    OneOf(Value),
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
            Self::Matches(_) => "matches",
            Self::Contains(_) => "contains",
            Self::NotContains(_) => "not_contains",
            Self::StartsWith(_) => "starts_with",
            Self::EndsWith(_) => "ends_with",
            Self::Compare(op, _) => op.symbol(),
            Self::Length(_) => "length",
            Self::OneOf(_) => "one_of",
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
        Ok(match self {
            Self::Equals(v) => Self::Equals(f(v)?),
            Self::NotEquals(v) => Self::NotEquals(f(v)?),
            Self::Exists(b) => Self::Exists(*b),
            Self::Type(t) => Self::Type(*t),
            Self::Matches(v) => Self::Matches(f(v)?),
            Self::Contains(v) => Self::Contains(f(v)?),
            Self::NotContains(v) => Self::NotContains(f(v)?),
            Self::StartsWith(v) => Self::StartsWith(f(v)?),
            Self::EndsWith(v) => Self::EndsWith(f(v)?),
            Self::Compare(op, v) => Self::Compare(*op, f(v)?),
            Self::Length(ps) => Self::Length(
                ps.iter()
                    .map(|p| p.try_map_operands(f))
                    .collect::<Result<_, _>>()?,
            ),
            Self::OneOf(v) => Self::OneOf(f(v)?),
        })
    }
}

/// Explains why an expectation could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PredicateError {
    /// A mapping mixes predicate keys with other keys.
    #[error(
        "this mapping mixes predicates ({predicates}) with plain keys ({plain}); to compare with a literal object, write `equals: {{...}}`"
    )]
    Mixed {
        /// The predicate keys found.
        predicates: String,
        /// The other keys found.
        plain: String,
    },
    /// A predicate got an operand of the wrong kind.
    #[error("`{key}` expects {expected}, found {found}")]
    BadOperand {
        /// The predicate key.
        key: String,
        /// What it accepts.
        expected: &'static str,
        /// What was written.
        found: String,
    },
    /// `type:` names no JSON type.
    #[error("unknown type `{0}`; expected one of string, number, integer, boolean, array, object, null")]
    UnknownType(String),
    /// A status expectation is not a code, a list of codes or a class.
    #[error("invalid status `{0}`; write a code (200), a list ([200, 204]) or a class (2xx)")]
    BadStatus(String),
}

fn describe(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

fn is_template(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.contains("{{"))
}

/// Parses an authored expectation into predicates.
///
/// A mapping whose keys are all predicate keys is a set of predicates; any
/// other value (a scalar, a list, a plain mapping) means `equals`.
///
/// # Errors
/// Returns a [`PredicateError`] when the mapping mixes predicate and plain
/// keys, or an operand has the wrong kind.
pub fn parse_predicates(value: &Value) -> Result<Vec<Predicate>, PredicateError> {
    let Value::Object(map) = value else {
        return Ok(vec![Predicate::Equals(value.clone())]);
    };
    let (predicates, plain): (Vec<&String>, Vec<&String>) =
        map.keys().partition(|k| PREDICATE_KEYS.contains(&k.as_str()));
    if predicates.is_empty() || map.is_empty() {
        return Ok(vec![Predicate::Equals(value.clone())]);
    }
    if !plain.is_empty() {
        let join = |keys: &[&String]| {
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(PredicateError::Mixed {
            predicates: join(&predicates),
            plain: join(&plain),
        });
    }
    map.iter().map(|(key, operand)| parse_one(key, operand)).collect()
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
    Ok(match key {
        "equals" => Predicate::Equals(operand.clone()),
        "not_equals" => Predicate::NotEquals(operand.clone()),
        "exists" => Predicate::Exists(boolean()?),
        "absent" => Predicate::Exists(!boolean()?),
        "type" => {
            let name = operand.as_str().ok_or_else(|| bad("a type name"))?;
            Predicate::Type(
                JsonType::parse(name).ok_or_else(|| PredicateError::UnknownType(name.to_owned()))?,
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
            Value::Number(_) => Predicate::Length(vec![Predicate::Equals(operand.clone())]),
            Value::Object(_) => Predicate::Length(parse_predicates(operand)?),
            _ if is_template(operand) => Predicate::Length(vec![Predicate::Equals(operand.clone())]),
            _ => return Err(bad("a number or predicates such as {\">\": 0}")),
        },
        "one_of" => {
            if !(operand.is_array() || is_template(operand)) {
                return Err(bad("a list of values"));
            }
            Predicate::OneOf(operand.clone())
        }
        _ => unreachable!("key filtered by PREDICATE_KEYS"),
    })
}

/// Describes the accepted status codes of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusExpect {
    /// Exactly this code.
    Code(u16),
    /// Any code of this class: `2` for `2xx`.
    Class(u8),
    /// Any of these.
    AnyOf(Vec<StatusExpect>),
}

impl StatusExpect {
    /// Parses `200`, `"200"`, `"2xx"` or a list of those.
    ///
    /// # Errors
    /// Returns [`PredicateError::BadStatus`] for anything else.
    pub fn parse(value: &Value) -> Result<Self, PredicateError> {
        let bad = || PredicateError::BadStatus(describe(value));
        match value {
            Value::Number(n) => n
                .as_u64()
                .filter(|c| (100..=599).contains(c))
                .map(|c| Self::Code(c as u16))
                .ok_or_else(bad),
            Value::String(s) => {
                let s = s.trim();
                if let Ok(code) = s.parse::<u16>() {
                    return if (100..=599).contains(&code) {
                        Ok(Self::Code(code))
                    } else {
                        Err(bad())
                    };
                }
                let lower = s.to_ascii_lowercase();
                match lower.as_bytes() {
                    [d @ b'1'..=b'5', b'x', b'x'] => Ok(Self::Class(d - b'0')),
                    _ => Err(bad()),
                }
            }
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(Self::parse)
                .collect::<Result<_, _>>()
                .map(Self::AnyOf),
            _ => Err(bad()),
        }
    }

    /// Tells whether `code` is accepted.
    #[must_use]
    pub fn accepts(&self, code: u16) -> bool {
        match self {
            Self::Code(c) => *c == code,
            Self::Class(class) => code / 100 == u16::from(*class),
            Self::AnyOf(all) => all.iter().any(|s| s.accepts(code)),
        }
    }
}

impl fmt::Display for StatusExpect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Code(c) => write!(f, "{c}"),
            Self::Class(c) => write!(f, "{c}xx"),
            Self::AnyOf(all) => {
                let parts: Vec<String> = all.iter().map(ToString::to_string).collect();
                write!(f, "one of {}", parts.join(", "))
            }
        }
    }
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
    fn mixed_mappings_are_rejected_with_a_hint() {
        let err = parse_predicates(&json!({"type": "string", "name": "x"})).unwrap_err();
        assert!(err.to_string().contains("equals:"), "{err}");
    }

    #[test]
    fn bad_operands_say_what_was_expected() {
        let err = parse_predicates(&json!({"exists": "yes"})).unwrap_err();
        assert_eq!(err.to_string(), "`exists` expects true or false, found \"yes\"");
        assert!(matches!(
            parse_predicates(&json!({"type": "text"})),
            Err(PredicateError::UnknownType(_))
        ));
    }

    #[test]
    fn status_accepts_codes_lists_and_classes() {
        assert!(StatusExpect::parse(&json!(200)).unwrap().accepts(200));
        assert!(StatusExpect::parse(&json!("2xx")).unwrap().accepts(204));
        assert!(!StatusExpect::parse(&json!("2XX")).unwrap().accepts(301));
        let any = StatusExpect::parse(&json!([200, "4xx"])).unwrap();
        assert!(any.accepts(404) && !any.accepts(500));
        assert_eq!(any.to_string(), "one of 200, 4xx");
        assert!(StatusExpect::parse(&json!(999)).is_err());
        assert!(StatusExpect::parse(&json!("ok")).is_err());
    }
}

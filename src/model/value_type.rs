//! Names what a value can be checked to be: its JSON type (`type:`), the
//! well-known text formats (`format:`), and the ordering operators.
//!
//! Pure names and tests on a JSON value. Must not parse expectations (the
//! predicate parser beside it does) nor word failures.

use std::fmt;

use serde_json::Value;

/// Names the JSON types `type:` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// `string`
    String,
    /// `number` (integer or float)
    Number,
    /// `integer`: a number written without fraction or exponent.
    Integer,
    /// `float`: a number written with a fraction or an exponent (`1.0`, `2e3`).
    Float,
    /// `boolean`
    Boolean,
    /// `array`
    Array,
    /// `object`
    Object,
    /// `null`
    Null,
}

/// Lists the type names `type:` accepts, aliases included.
pub const TYPE_NAMES: &[&str] = &[
    "string", "number", "integer", "float", "boolean", "array", "object", "null", "bool", "list", "map",
];

impl JsonType {
    /// Parses a type name as written in YAML.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "string" => Self::String,
            "number" => Self::Number,
            "integer" => Self::Integer,
            "float" => Self::Float,
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
            Self::Float => value.as_number().is_some_and(|n| !is_integer(n)),
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
            Self::Float => "float",
            Self::Boolean => "boolean",
            Self::Array => "array",
            Self::Object => "object",
            Self::Null => "null",
        })
    }
}

/// Names the text formats `format:` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// `uuid`: `8-4-4-4-12` hexadecimal digits (RFC 9562), any version.
    Uuid,
    /// `iso_date`: a calendar date, `2026-01-31` (RFC 3339 `full-date`).
    IsoDate,
    /// `date_time`: an RFC 3339 date and time with an offset, `2026-01-31T12:00:00Z`.
    DateTime,
    /// `email`: an address such as `mary@example.com` (one `@`, a dotted domain).
    Email,
    /// `ipv4`: four decimal octets, `192.0.2.1`.
    Ipv4,
    /// `ipv6`: an IPv6 address, `2001:db8::1`.
    Ipv6,
    /// `url`: an absolute URL with a scheme, `https://example.com/a`.
    Url,
}

/// Lists the format names `format:` accepts.
pub const FORMAT_NAMES: &[&str] = &["uuid", "iso_date", "date_time", "email", "ipv4", "ipv6", "url"];

impl TextFormat {
    /// Parses a format name as written in YAML.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "uuid" => Self::Uuid,
            "iso_date" | "date" => Self::IsoDate,
            "date_time" | "datetime" => Self::DateTime,
            "email" => Self::Email,
            "ipv4" => Self::Ipv4,
            "ipv6" => Self::Ipv6,
            "url" | "uri" => Self::Url,
            _ => return None,
        })
    }
}

impl fmt::Display for TextFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Uuid => "uuid",
            Self::IsoDate => "iso_date",
            Self::DateTime => "date_time",
            Self::Email => "email",
            Self::Ipv4 => "ipv4",
            Self::Ipv6 => "ipv6",
            Self::Url => "url",
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_and_floats_are_told_apart_by_how_they_are_written() {
        let big: Value = serde_json::from_str("1000000000000000000000").unwrap();
        assert!(JsonType::Integer.matches(&big));
        assert_eq!(JsonType::name_of(&big), "integer");
        assert!(JsonType::Float.matches(&json!(1.5)));
        assert!(JsonType::Float.matches(&serde_json::from_str::<Value>("1.0").unwrap()));
        assert!(!JsonType::Float.matches(&json!(3)));
        assert!(JsonType::Number.matches(&json!(3)) && JsonType::Number.matches(&json!(0.5)));
        assert_eq!(JsonType::parse("list"), Some(JsonType::Array));
        assert_eq!(TextFormat::parse("datetime"), Some(TextFormat::DateTime));
    }
}

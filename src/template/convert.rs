//! Converts values between `serde_json` (the scenario's data) and minijinja
//! (the template engine's), and formats printed values for text output.
//! Numbers stay exact: integers beyond 64 bits become 128-bit integers
//! (arithmetic still works), and numbers no `f64` or 128-bit integer holds
//! (`1e400`, `0.1000000000000000055511`) pass through as their text.
//!
//! Pure. Must not know the template functions, clocks or the render ledger.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use minijinja::value::{Object, ObjectRepr, ValueKind};
use minijinja::{Error, ErrorKind, State, Value};
use serde_json::{Map, Number};

/// Carries a number no template number type holds exactly, as its JSON text:
/// it prints and converts back as written; arithmetic on it is an error.
#[derive(Debug)]
struct ExactNumber(String);

impl Object for ExactNumber {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Returns `value` as a minijinja value (objects become maps, arrays sequences).
pub(super) fn to_jinja(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::from(()),
        serde_json::Value::Bool(flag) => Value::from(*flag),
        serde_json::Value::Number(number) => number_to_jinja(number),
        serde_json::Value::String(text) => Value::from(text.as_str()),
        serde_json::Value::Array(items) => items.iter().map(to_jinja).collect(),
        serde_json::Value::Object(map) => {
            Value::from_pairs(map.iter().map(|(key, item)| (key.as_str(), to_jinja(item))))
        }
    }
}

fn number_to_jinja(number: &Number) -> Value {
    if let Some(int) = number.as_i64() {
        return Value::from(int);
    }
    if let Some(int) = number.as_u64() {
        return Value::from(int);
    }
    let text = number.to_string();
    if let Ok(int) = text.parse::<i128>() {
        return Value::from(int);
    }
    if let Ok(int) = text.parse::<u128>() {
        return Value::from(int);
    }
    match text.parse::<f64>() {
        Ok(float) if float.is_finite() && same_decimal(&text, &float.to_string()) => Value::from(float),
        _ => Value::from_object(ExactNumber(text)),
    }
}

/// Tells whether two decimal texts (`1.50`, `1.5e0`, `15e-1`) write one value.
fn same_decimal(a: &str, b: &str) -> bool {
    decimal_parts(a).is_some_and(|a| decimal_parts(b) == Some(a))
}

/// Returns a decimal's sign, significant digits and power of ten (`-1.50e2`
/// is `(true, "15", 1)`); zero is `(false, "", 0)` whatever its spelling.
fn decimal_parts(text: &str) -> Option<(bool, String, i64)> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], unsigned[at + 1..].parse::<i64>().ok()?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return Some((false, String::new(), 0));
    }
    let power = exponent - i64::try_from(fraction.len()).ok()?
        + i64::try_from(significant.len() - trimmed.len()).ok()?;
    Some((negative, trimmed.to_owned(), power))
}

/// Returns `value` as JSON: `none` and silent undefined become `null`, map
/// keys become strings, anything else without a JSON shape becomes its text.
///
/// # Errors
/// Fails for numbers JSON cannot hold (NaN, infinities, integers beyond 64 bits)
/// and for values that carry an engine error.
pub(super) fn to_json(value: &Value) -> Result<serde_json::Value, Error> {
    if let Some(exact) = value.downcast_object_ref::<ExactNumber>()
        && Number::from_str(&exact.0).is_ok()
    {
        // The text came from a JSON number and was checked again just now.
        return Ok(serde_json::Value::Number(Number::from_string_unchecked(
            exact.0.clone(),
        )));
    }
    Ok(match value.kind() {
        ValueKind::Undefined | ValueKind::None => serde_json::Value::Null,
        ValueKind::Bool => serde_json::Value::Bool(value.is_true()),
        ValueKind::Number => serde_json::Value::Number(number_to_json(value)?),
        ValueKind::String => serde_json::Value::String(value.as_str().unwrap_or_default().to_owned()),
        ValueKind::Bytes => serde_json::Value::String(
            String::from_utf8_lossy(value.as_bytes().unwrap_or_default()).into_owned(),
        ),
        ValueKind::Seq | ValueKind::Iterable => serde_json::Value::Array(
            value
                .try_iter()?
                .map(|item| to_json(&item))
                .collect::<Result<_, _>>()?,
        ),
        ValueKind::Map => {
            let mut map = Map::new();
            for key in value.try_iter()? {
                let item = value.get_item(&key)?;
                let key = key.as_str().map_or_else(|| key.to_string(), str::to_owned);
                map.insert(key, to_json(&item)?);
            }
            serde_json::Value::Object(map)
        }
        ValueKind::Invalid => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "the expression produced an invalid value",
            ));
        }
        _ => serde_json::Value::String(value.to_string()),
    })
}

fn number_to_json(value: &Value) -> Result<Number, Error> {
    if value.is_integer() {
        if let Ok(int) = i64::try_from(value.clone()) {
            return Ok(Number::from(int));
        }
        if let Ok(int) = u64::try_from(value.clone()) {
            return Ok(Number::from(int));
        }
        // Wider integers are written out digit for digit: JSON numbers have no size limit.
        return Number::from_str(&value.to_string()).map_err(|e| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("the integer {value} is not a JSON number: {e}"),
            )
        });
    }
    f64::try_from(value.clone())
        .ok()
        .and_then(Number::from_f64)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("{value} is not a finite number"),
            )
        })
}

/// Returns a printed value's text the way HTTP text wants it:
/// `true`/`false`/`null` and compact JSON for lists and maps (minijinja's
/// defaults are Python's `True`/`None` and `{'a': 1}`); strings and numbers
/// as they are (templates here never auto-escape).
///
/// # Errors
/// Fails for undefined values, like minijinja's own strict printing does.
pub(super) fn value_text(state: &mut State<'_, '_>, value: &Value) -> Result<String, Error> {
    Ok(match value.kind() {
        ValueKind::Undefined => require_defined(state, value)?,
        ValueKind::None => "null".to_owned(),
        ValueKind::Bool => if value.is_true() { "true" } else { "false" }.to_owned(),
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => to_json(value)?.to_string(),
        _ => value.to_string(),
    })
}

/// Returns the text of a silent undefined (`'a' if false`), and fails for any
/// other undefined value.
///
/// A custom formatter bypasses minijinja's strict check on printing, so this
/// passes the value to a `String` parameter: the engine then raises the same
/// error, naming the undefined expression.
fn require_defined(state: &mut State<'_, '_>, value: &Value) -> Result<String, Error> {
    let as_text = Value::from_function(|text: String| text);
    let text = as_text.call(state, std::slice::from_ref(value))?;
    Ok(text.as_str().unwrap_or_default().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_every_json_type() {
        let value = json!({
            "null": null,
            "yes": true,
            "no": false,
            "int": -3,
            "big": 18_446_744_073_709_551_615_u64,
            "float": 1.5,
            "text": "a b",
            "list": [1, "two", [3]],
            "nested": {"a": {"b": []}},
        });
        assert_eq!(to_json(&to_jinja(&value)).unwrap(), value);
    }

    #[test]
    fn keeps_floats_that_look_like_integers() {
        let value = json!(2.0);
        let back = to_json(&to_jinja(&value)).unwrap();
        assert!(back.is_f64(), "{back}");
    }

    #[test]
    fn stringifies_non_string_keys() {
        let map = Value::from_pairs([(1, "one"), (2, "two")]);
        assert_eq!(to_json(&map).unwrap(), json!({"1": "one", "2": "two"}));
    }

    #[test]
    fn numbers_beyond_64_bits_and_f64_stay_exact() {
        for text in [
            "18446744073709551617",
            "-170141183460469231731687303715884105728",
            "340282366920938463463374607431768211455",
            "1e400",
            "1e-400",
            "0.1000000000000000055511",
            "1.5",
        ] {
            let number = serde_json::Value::Number(Number::from_string_unchecked(text.to_owned()));
            assert_eq!(to_json(&to_jinja(&number)).unwrap().to_string(), text);
        }
        let big: serde_json::Value = serde_json::from_str("18446744073709551617").unwrap();
        assert!(to_jinja(&big).is_integer(), "arithmetic still works on it");
        assert!(same_decimal("1.50", "1.5") && same_decimal("15e-1", "1.5") && same_decimal("0.0", "0"));
        assert!(!same_decimal("0.1000000000000000055511", "0.1"));
    }

    #[test]
    fn rejects_non_finite_numbers() {
        let err = to_json(&Value::from(f64::NAN)).unwrap_err();
        assert_eq!(err.detail(), Some("NaN is not a finite number"));
    }
}

//! Converts values between `serde_json` (the scenario's data) and minijinja
//! (the template engine's), and formats printed values for text output.
//!
//! Pure. Must not know the template functions, clocks or the render ledger.

use minijinja::value::ValueKind;
use minijinja::{Error, ErrorKind, Output, State, Value, escape_formatter};
use serde_json::{Map, Number};

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
        Value::from(int)
    } else if let Some(int) = number.as_u64() {
        Value::from(int)
    } else {
        number
            .as_f64()
            .map_or_else(|| Value::from(number.to_string()), Value::from)
    }
}

/// Returns `value` as JSON: `none` and silent undefined become `null`, map
/// keys become strings, anything else without a JSON shape becomes its text.
///
/// # Errors
/// Fails for numbers JSON cannot hold (NaN, infinities, integers beyond 64 bits)
/// and for values that carry an engine error.
pub(super) fn to_json(value: &Value) -> Result<serde_json::Value, Error> {
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
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("the integer {value} does not fit in 64 bits"),
        ));
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

/// Writes a printed value the way HTTP text wants it: `true`/`false`/`null`
/// and compact JSON for lists and maps (minijinja's defaults are Python's
/// `True`/`None` and `{'a': 1}`); strings and numbers as they are.
///
/// # Errors
/// Fails for undefined values, like minijinja's own strict printing does.
pub(super) fn write_value(
    out: &mut Output<'_>,
    state: &mut State<'_, '_>,
    value: &Value,
) -> Result<(), Error> {
    match value.kind() {
        ValueKind::Undefined => {
            let text = require_defined(state, value)?;
            out.write_str(&text)?;
        }
        ValueKind::None => out.write_str("null")?,
        ValueKind::Bool => out.write_str(if value.is_true() { "true" } else { "false" })?,
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => {
            out.write_str(&to_json(value)?.to_string())?;
        }
        _ => escape_formatter(out, state, value)?,
    }
    Ok(())
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
    fn rejects_non_finite_numbers() {
        let err = to_json(&Value::from(f64::NAN)).unwrap_err();
        assert_eq!(err.detail(), Some("NaN is not a finite number"));
    }
}

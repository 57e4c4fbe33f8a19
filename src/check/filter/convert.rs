//! Applies the conversion family: `to_int`, `to_float` (reading strings as
//! numbers, exactly), `to_string` (writing any value as text) and
//! `utf8_decode` (bytes to text).
//!
//! Must not evaluate predicates.

use serde_json::{Number, Value};

use crate::model::{Filter, is_integer};

use super::super::actual::Actual;
use super::super::display::show_typed;
use super::text_of;

/// Applies one conversion filter.
pub(super) fn apply(filter: &Filter, actual: Actual) -> Result<Actual, String> {
    let name = filter.name();
    match filter {
        Filter::ToInt => match number(&actual, name)? {
            n if is_integer(&n) => Ok(Actual::Json(Value::Number(n))),
            n => {
                // `to_int` truncates toward zero, as Hurl's `toInt` does.
                let text = n.to_string();
                let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
                if text.contains(['e', 'E']) {
                    return Err(format!("`{text}` has an exponent; read it with `to_float`"));
                }
                let int = mantissa.split('.').next().unwrap_or("0");
                let int = if int == "-0" || int.is_empty() { "0" } else { int };
                parse_number(int).map(|n| Actual::Json(Value::Number(n)))
            }
        },
        Filter::ToFloat => number(&actual, name).map(|n| Actual::Json(Value::Number(n))),
        Filter::ToString => Ok(Actual::Json(Value::String(match actual {
            Actual::Json(Value::String(text)) => text,
            Actual::Json(other) => other.to_string(),
            other => text_of(&other, name)?,
        }))),
        Filter::Utf8Decode => Ok(Actual::Json(Value::String(text_of(&actual, name)?))),
        _ => Err("not a conversion filter".to_owned()),
    }
}

/// Reads a number or a string holding one (blanks around it ignored), exactly.
fn number(actual: &Actual, name: &str) -> Result<Number, String> {
    match actual {
        Actual::Json(Value::Number(n)) => Ok(n.clone()),
        Actual::Json(Value::String(text)) => parse_number(text.trim()),
        Actual::Json(other) => Err(format!(
            "`{name}` applies to strings and numbers; the value is {}",
            show_typed(other)
        )),
        other => parse_number(text_of(other, name)?.trim()),
    }
}

fn parse_number(text: &str) -> Result<Number, String> {
    let plus = text.strip_prefix('+').unwrap_or(text);
    plus.parse::<Number>()
        .map_err(|_| format!("`{text}` is not a number"))
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use serde_json::{Value, json};

    #[test]
    fn converts_exactly() {
        assert_eq!(run(json!(["to_int"]), json!(" 42 ")), Ok(json!(42)));
        assert_eq!(run(json!(["to_int"]), json!("-3.9")), Ok(json!(-3)));
        let big: Value = serde_json::from_str("18446744073709551617").unwrap();
        assert_eq!(run(json!(["to_int"]), json!("18446744073709551617")), Ok(big));
        assert_eq!(run(json!(["to_float"]), json!("1.5")), Ok(json!(1.5)));
        assert!(
            run(json!(["to_int"]), json!("4x"))
                .unwrap_err()
                .ends_with("`4x` is not a number")
        );
        assert_eq!(run(json!(["to_string"]), json!(12)), Ok(json!("12")));
        assert_eq!(
            run(json!(["to_string"]), json!({"a": [1]})),
            Ok(json!("{\"a\":[1]}"))
        );
        assert!(run(json!(["to_int"]), json!([1])).is_err());
    }
}

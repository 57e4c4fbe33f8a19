//! Applies the list family: `split` (a string into a list), `nth`, `first`,
//! `last` (one item of a list) and `count` (items, keys or characters).
//!
//! Must not evaluate predicates.

use serde_json::Value;

use crate::model::Filter;

use super::super::actual::Actual;
use super::super::display::show_typed;
use super::text_of;

/// Applies one list filter.
pub(super) fn apply(filter: &Filter, actual: Actual) -> Result<Actual, String> {
    let name = filter.name();
    match filter {
        Filter::Split(Value::String(separator)) => {
            if separator.is_empty() {
                return Err("the separator is empty".to_owned());
            }
            let text = text_of(&actual, name)?;
            Ok(Actual::Json(Value::Array(
                text.split(separator.as_str())
                    .map(|part| Value::String(part.to_owned()))
                    .collect(),
            )))
        }
        Filter::Nth(index) => {
            let index = index
                .as_i64()
                .ok_or_else(|| format!("the index {index} is not a whole number"))?;
            item(actual, name, index)
        }
        Filter::First => item(actual, name, 0),
        Filter::Last => item(actual, name, -1),
        Filter::Count => {
            let count = match &actual {
                Actual::Json(Value::Array(items)) => items.len(),
                Actual::Json(Value::Object(map)) => map.len(),
                Actual::Json(Value::String(text)) => text.chars().count(),
                Actual::Bytes(bytes) => bytes.len(),
                Actual::Json(other) => {
                    return Err(format!(
                        "`count` applies to lists, objects, strings and bytes; the value is {}",
                        show_typed(other)
                    ));
                }
                Actual::Absent => 0,
            };
            Ok(Actual::Json(Value::from(count)))
        }
        _ => Err("not a list filter".to_owned()),
    }
}

/// Takes item `index` of a list (negative from the end).
fn item(actual: Actual, name: &str, index: i64) -> Result<Actual, String> {
    let Actual::Json(Value::Array(mut items)) = actual else {
        let shown = actual.json().map_or_else(|| actual.show(), show_typed);
        return Err(format!(
            "`{name}` applies to lists; the value is {shown} (split a string first)"
        ));
    };
    let len = items.len();
    let at = if index < 0 {
        len.checked_sub(usize::try_from(index.unsigned_abs()).unwrap_or(usize::MAX))
    } else {
        usize::try_from(index).ok().filter(|&i| i < len)
    };
    match at {
        Some(at) => Ok(Actual::Json(items.swap_remove(at))),
        None if len == 0 => Err("the list is empty".to_owned()),
        None => Err(format!("index {index} is past the end of a list of {len} items")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use serde_json::json;

    #[test]
    fn splits_picks_and_counts() {
        assert_eq!(
            run(json!([{"split": ", "}]), json!("a, b, c")),
            Ok(json!(["a", "b", "c"]))
        );
        assert_eq!(
            run(json!([{"split": ","}, {"nth": -1}]), json!("a,b,c")),
            Ok(json!("c"))
        );
        assert_eq!(run(json!(["first"]), json!([1, 2])), Ok(json!(1)));
        assert_eq!(run(json!(["last"]), json!([1, 2])), Ok(json!(2)));
        assert_eq!(run(json!(["count"]), json!([1, 2, 3])), Ok(json!(3)));
        assert_eq!(run(json!(["count"]), json!({"a": 1})), Ok(json!(1)));
        assert_eq!(run(json!(["count"]), json!("Žofie")), Ok(json!(5)));
        assert_eq!(
            run(json!(["first"]), json!([])).unwrap_err(),
            "filter `first`: the list is empty"
        );
        assert_eq!(
            run(json!(["first"]), json!("a,b")).unwrap_err(),
            "filter `first`: `first` applies to lists; the value is string \"a,b\" (split a string first)"
        );
        assert!(
            run(json!([{"nth": -3}]), json!([1, 2]))
                .unwrap_err()
                .contains("past the end")
        );
    }
}

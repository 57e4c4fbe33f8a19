//! Applies `jsonpath` as a filter: queries a JSON value, or a string that
//! holds JSON (a JWT payload, an embedded document), and takes the one node
//! selected (a list when the path may select several).
//!
//! Must not evaluate predicates.

use serde_json::Value;

use crate::model::Filter;

use super::super::JsonPathQuery;
use super::super::actual::Actual;

/// Applies `jsonpath`.
pub(super) fn apply(filter: &Filter, actual: Actual) -> Result<Actual, String> {
    let Filter::JsonPath(Value::String(path)) = filter else {
        return Err("`jsonpath` needs a JSONPath".to_owned());
    };
    let query = JsonPathQuery::parse(path).map_err(|e| e.to_string())?;
    let document = match actual {
        Actual::Json(Value::String(text)) => serde_json::from_str(&text)
            .map_err(|e| format!("the string is not JSON ({e}), so `{path}` cannot query it"))?,
        Actual::Json(value) => value,
        Actual::Bytes(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| format!("the bytes are not JSON ({e}), so `{path}` cannot query them"))?,
        Actual::Absent => return Err("there is no value (absent)".to_owned()),
    };
    let mut nodes: Vec<Value> = query.select(&document).values().cloned().collect();
    if !query.is_singular() {
        return Ok(Actual::Json(Value::Array(nodes)));
    }
    match nodes.pop() {
        Some(node) => Ok(Actual::Json(node)),
        None => Ok(Actual::Absent),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use serde_json::json;

    #[test]
    fn queries_values_and_strings_of_json() {
        assert_eq!(
            run(json!([{"jsonpath": "$.a.b"}]), json!("{\"a\":{\"b\":[1]}}")),
            Ok(json!([1]))
        );
        assert_eq!(
            run(json!([{"jsonpath": "$[*].id"}]), json!([{"id": 1}, {"id": 2}])),
            Ok(json!([1, 2]))
        );
        assert!(
            run(json!([{"jsonpath": "$.a"}]), json!("not json"))
                .unwrap_err()
                .contains("is not JSON")
        );
        assert!(
            run(json!([{"jsonpath": "a"}]), json!({}))
                .unwrap_err()
                .contains("did you mean `$.a`?")
        );
    }
}

//! Applies the text family: `replace` (literal), `replace_regex` (`$1` for
//! groups), `regex` (the first group, or the whole match), `trim`, `lower`
//! and `upper`.
//!
//! Must not evaluate predicates.

use serde_json::Value;

use crate::model::Filter;

use super::super::actual::Actual;
use super::super::cache::regex;
use super::text_of;

/// Applies one text filter.
pub(super) fn apply(filter: &Filter, actual: Actual) -> Result<Actual, String> {
    let text = text_of(&actual, filter.name())?;
    let out = match filter {
        Filter::Replace(Value::String(old), Value::String(new)) => {
            if old.is_empty() {
                return Err("the text to replace is empty".to_owned());
            }
            text.replace(old.as_str(), new)
        }
        Filter::ReplaceRegex(Value::String(pattern), Value::String(new)) => {
            let regex = regex(pattern).map_err(|e| format!("invalid regex: {e}"))?;
            regex.replace_all(&text, new.as_str()).into_owned()
        }
        Filter::Regex(Value::String(pattern)) => {
            let regex = regex(pattern).map_err(|e| format!("invalid regex: {e}"))?;
            let captures = regex.captures(&text).ok_or_else(|| {
                format!(
                    "`{pattern}` matches nothing in {}",
                    Actual::Json(Value::String(text.clone())).show()
                )
            })?;
            let group = usize::from(regex.captures_len() > 1);
            captures
                .get(group)
                .map(|m| m.as_str().to_owned())
                .ok_or_else(|| format!("`{pattern}` matches, but its group 1 takes no part in the match"))?
        }
        Filter::Trim => text.trim().to_owned(),
        Filter::Lower => text.to_lowercase(),
        Filter::Upper => text.to_uppercase(),
        _ => return Err("not a text filter".to_owned()),
    };
    Ok(Actual::Json(Value::String(out)))
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use serde_json::json;

    #[test]
    fn replaces_extracts_and_cases() {
        assert_eq!(
            run(json!([{"replace": ["-", ""]}]), json!("a-b-c")),
            Ok(json!("abc"))
        );
        assert_eq!(
            run(json!([{"replace_regex": ["(\\d+)", "<$1>"]}]), json!("a1b22")),
            Ok(json!("a<1>b<22>"))
        );
        assert_eq!(
            run(json!([{"regex": "order (\\d+)"}]), json!("your order 123 ok")),
            Ok(json!("123"))
        );
        assert_eq!(run(json!([{"regex": "\\d+"}]), json!("a42")), Ok(json!("42")));
        assert_eq!(
            run(json!([{"regex": "\\d+"}]), json!("none")).unwrap_err(),
            "filter `regex \"\\\\d+\"`: `\\d+` matches nothing in \"none\""
        );
        assert_eq!(run(json!(["trim", "upper"]), json!("  ab ")), Ok(json!("AB")));
        assert_eq!(run(json!(["lower"]), json!("ŽOFIE")), Ok(json!("žofie")));
    }
}

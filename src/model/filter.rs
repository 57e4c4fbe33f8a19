//! Parses filter chains (`filters: [{ split: "." }, { nth: 1 }, base64_decode]`)
//! into [`Filter`]s: each item is a bare name, or a mapping of one name to
//! its argument. Filters turn a queried value into another before the
//! predicates test it, in expectations and captures alike.
//!
//! Pure: arguments stay unrendered [`Value`]s (they may hold templates).
//! Must not apply filters (`crate::check` does) nor render templates.

use serde_json::Value;

use super::diag::did_you_mean;
use super::predicate_error::{PredicateError, describe, is_template};

/// Lists every filter name, in the order the documentation gives them.
pub const FILTER_NAMES: &[&str] = &[
    "base64_decode",
    "base64url_decode",
    "base64_encode",
    "url_decode",
    "url_encode",
    "html_unescape",
    "html_escape",
    "to_int",
    "to_float",
    "to_string",
    "split",
    "nth",
    "first",
    "last",
    "count",
    "replace",
    "replace_regex",
    "regex",
    "trim",
    "lower",
    "upper",
    "to_date",
    "days_before_now",
    "days_after_now",
    "jsonpath",
    "sha256",
    "md5",
    "to_hex",
    "utf8_decode",
];

/// Describes one step of a filter chain.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Decodes standard base64 (padding optional) into text.
    Base64Decode,
    /// Decodes URL-safe base64 (JWT segments), padding optional, into text.
    Base64UrlDecode,
    /// Encodes text (or bytes) as standard base64.
    Base64Encode,
    /// Decodes percent-encoding (`%20`, and `+` as a space).
    UrlDecode,
    /// Percent-encodes text for a query component.
    UrlEncode,
    /// Decodes HTML entities (`&amp;`, `&#39;`, `&#x27;`).
    HtmlUnescape,
    /// Escapes `&`, `<`, `>`, `"` and `'` as HTML entities.
    HtmlEscape,
    /// Reads a string (or number) as an integer.
    ToInt,
    /// Reads a string (or number) as a number.
    ToFloat,
    /// Writes a value as text (strings stay as they are, others as JSON).
    ToString,
    /// Splits a string on this separator into a list.
    Split(Value),
    /// Takes the item at this index of a list (negative counts from the end).
    Nth(Value),
    /// Takes the first item of a list.
    First,
    /// Takes the last item of a list.
    Last,
    /// Counts the items of a list, the keys of an object or the characters of a string.
    Count,
    /// Replaces every occurrence of a text: `[old, new]`.
    Replace(Value, Value),
    /// Replaces every match of a regex: `[pattern, replacement]` (`$1` for groups).
    ReplaceRegex(Value, Value),
    /// Takes a regex's first group (or the whole match when it has none).
    Regex(Value),
    /// Removes leading and trailing whitespace.
    Trim,
    /// Lowercases text.
    Lower,
    /// Uppercases text.
    Upper,
    /// Reads a date with a strftime format (RFC 3339 or an HTTP date without one),
    /// giving an RFC 3339 UTC timestamp.
    ToDate(Option<Value>),
    /// Counts whole days from a date to now (positive for past dates).
    DaysBeforeNow,
    /// Counts whole days from now to a date (positive for future dates).
    DaysAfterNow,
    /// Queries a value, or a string holding JSON, with a JSONPath (one node expected).
    JsonPath(Value),
    /// Hashes text (or bytes) with SHA-256, giving lowercase hex.
    Sha256,
    /// Hashes text (or bytes) with MD5, giving lowercase hex.
    Md5,
    /// Writes text (or bytes) as lowercase hex.
    ToHex,
    /// Reads bytes as UTF-8 text.
    Utf8Decode,
}

impl Filter {
    /// Returns the filter's name as written in YAML.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Base64Decode => "base64_decode",
            Self::Base64UrlDecode => "base64url_decode",
            Self::Base64Encode => "base64_encode",
            Self::UrlDecode => "url_decode",
            Self::UrlEncode => "url_encode",
            Self::HtmlUnescape => "html_unescape",
            Self::HtmlEscape => "html_escape",
            Self::ToInt => "to_int",
            Self::ToFloat => "to_float",
            Self::ToString => "to_string",
            Self::Split(_) => "split",
            Self::Nth(_) => "nth",
            Self::First => "first",
            Self::Last => "last",
            Self::Count => "count",
            Self::Replace(..) => "replace",
            Self::ReplaceRegex(..) => "replace_regex",
            Self::Regex(_) => "regex",
            Self::Trim => "trim",
            Self::Lower => "lower",
            Self::Upper => "upper",
            Self::ToDate(_) => "to_date",
            Self::DaysBeforeNow => "days_before_now",
            Self::DaysAfterNow => "days_after_now",
            Self::JsonPath(_) => "jsonpath",
            Self::Sha256 => "sha256",
            Self::Md5 => "md5",
            Self::ToHex => "to_hex",
            Self::Utf8Decode => "utf8_decode",
        }
    }

    /// Returns the filter as shown in a failure's chain: its name and argument.
    #[must_use]
    pub fn label(&self) -> String {
        let args: Vec<&Value> = match self {
            Self::Split(a) | Self::Nth(a) | Self::Regex(a) | Self::JsonPath(a) | Self::ToDate(Some(a)) => {
                vec![a]
            }
            Self::Replace(a, b) | Self::ReplaceRegex(a, b) => vec![a, b],
            _ => Vec::new(),
        };
        let mut label = self.name().to_owned();
        for arg in args {
            label.push(' ');
            label.push_str(&describe(arg));
        }
        label
    }

    /// Applies `f` to every argument, e.g. to render templates in them.
    ///
    /// # Errors
    /// Returns the first error `f` returns.
    pub fn try_map_operands<E>(&self, f: &mut impl FnMut(&Value) -> Result<Value, E>) -> Result<Filter, E> {
        Ok(match self {
            Self::Split(a) => Self::Split(f(a)?),
            Self::Nth(a) => Self::Nth(f(a)?),
            Self::Replace(a, b) => Self::Replace(f(a)?, f(b)?),
            Self::ReplaceRegex(a, b) => Self::ReplaceRegex(f(a)?, f(b)?),
            Self::Regex(a) => Self::Regex(f(a)?),
            Self::ToDate(Some(a)) => Self::ToDate(Some(f(a)?)),
            Self::JsonPath(a) => Self::JsonPath(f(a)?),
            other => other.clone(),
        })
    }
}

/// Parses the value of a `filters:` key: a list of filters.
///
/// # Errors
/// Returns [`PredicateError::BadFilter`] for an unknown name (with a "did
/// you mean"), a missing or ill-typed argument, or a value that is not a list.
pub fn parse_filters(value: &Value) -> Result<Vec<Filter>, PredicateError> {
    let Value::Array(items) = value else {
        return Err(PredicateError::BadFilter(format!(
            "`filters` takes a list, such as `[{{ split: \",\" }}, first]`; found {}",
            describe(value)
        )));
    };
    items.iter().map(parse_filter).collect()
}

fn parse_filter(item: &Value) -> Result<Filter, PredicateError> {
    let (name, arg) = match item {
        Value::String(name) => (name.as_str(), None),
        Value::Object(map) if map.len() == 1 => {
            let (name, arg) = map
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), Some(v)))
                .unwrap_or(("", None));
            (name, arg)
        }
        other => {
            return Err(PredicateError::BadFilter(format!(
                "a filter is a name (`first`) or a mapping of one name to its argument (`{{ nth: 1 }}`); found {}",
                describe(other)
            )));
        }
    };
    let bad = |expected: &str| {
        PredicateError::BadFilter(format!(
            "filter `{name}` takes {expected}; found {}",
            arg.map_or_else(|| "no argument".to_owned(), describe)
        ))
    };
    let text = || match arg {
        Some(v @ Value::String(_)) => Ok(v.clone()),
        _ => Err(bad("a string")),
    };
    let none = |filter: Filter| match arg {
        None | Some(Value::Null) => Ok(filter),
        Some(_) => Err(bad("no argument")),
    };
    let pair = || match arg {
        Some(Value::Array(pair)) if pair.len() == 2 && pair.iter().all(Value::is_string) => {
            Ok((pair[0].clone(), pair[1].clone()))
        }
        _ => Err(bad("a list of two strings, `[old, new]`")),
    };
    match name {
        "base64_decode" => none(Filter::Base64Decode),
        "base64url_decode" => none(Filter::Base64UrlDecode),
        "base64_encode" => none(Filter::Base64Encode),
        "url_decode" => none(Filter::UrlDecode),
        "url_encode" => none(Filter::UrlEncode),
        "html_unescape" => none(Filter::HtmlUnescape),
        "html_escape" => none(Filter::HtmlEscape),
        "to_int" => none(Filter::ToInt),
        "to_float" => none(Filter::ToFloat),
        "to_string" => none(Filter::ToString),
        "split" => text().map(Filter::Split),
        "nth" => match arg {
            Some(v @ Value::Number(n)) if n.as_i64().is_some() => Ok(Filter::Nth(v.clone())),
            Some(v) if is_template(v) => Ok(Filter::Nth(v.clone())),
            _ => Err(bad("an index: 0 for the first item, -1 for the last")),
        },
        "first" => none(Filter::First),
        "last" => none(Filter::Last),
        "count" => none(Filter::Count),
        "replace" => pair().map(|(a, b)| Filter::Replace(a, b)),
        "replace_regex" => pair().map(|(a, b)| Filter::ReplaceRegex(a, b)),
        "regex" => text().map(Filter::Regex),
        "trim" => none(Filter::Trim),
        "lower" => none(Filter::Lower),
        "upper" => none(Filter::Upper),
        "to_date" => match arg {
            None | Some(Value::Null) => Ok(Filter::ToDate(None)),
            Some(v @ Value::String(_)) => Ok(Filter::ToDate(Some(v.clone()))),
            Some(_) => Err(bad(
                "a strftime format such as \"%Y-%m-%d\", or nothing for RFC 3339",
            )),
        },
        "days_before_now" => none(Filter::DaysBeforeNow),
        "days_after_now" => none(Filter::DaysAfterNow),
        "jsonpath" => text().map(Filter::JsonPath),
        "sha256" => none(Filter::Sha256),
        "md5" => none(Filter::Md5),
        "to_hex" => none(Filter::ToHex),
        "utf8_decode" => none(Filter::Utf8Decode),
        unknown => Err(PredicateError::BadFilter(
            match did_you_mean(unknown, FILTER_NAMES.iter().copied()) {
                Some(close) => format!("unknown filter `{unknown}`; did you mean `{close}`?"),
                None => format!(
                    "unknown filter `{unknown}`; the filters are {}",
                    FILTER_NAMES.join(", ")
                ),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_and_single_key_mappings_parse() {
        let chain =
            parse_filters(&json!([{"split": "."}, {"nth": 1}, "base64url_decode", {"jsonpath": "$.sub"}]))
                .unwrap();
        assert_eq!(
            chain,
            vec![
                Filter::Split(json!(".")),
                Filter::Nth(json!(1)),
                Filter::Base64UrlDecode,
                Filter::JsonPath(json!("$.sub"))
            ]
        );
        assert_eq!(chain[0].label(), "split \".\"");
        assert_eq!(
            parse_filters(&json!([{"replace": ["a", "b"]}, {"to_date": "%Y-%m-%d"}, "to_date"]))
                .unwrap()
                .len(),
            3
        );
        assert_eq!(FILTER_NAMES.len(), 29);
    }

    #[test]
    fn mistakes_say_what_was_expected() {
        let message = |v: Value| parse_filters(&v).unwrap_err().to_string();
        assert_eq!(
            message(json!(["frist"])),
            "unknown filter `frist`; did you mean `first`?"
        );
        assert_eq!(
            message(json!([{"nth": "one"}])),
            "filter `nth` takes an index: 0 for the first item, -1 for the last; found \"one\""
        );
        assert_eq!(
            message(json!([{"split": 1}])),
            "filter `split` takes a string; found 1"
        );
        assert_eq!(
            message(json!([{"first": 1}])),
            "filter `first` takes no argument; found 1"
        );
        assert_eq!(
            message(json!([{"replace": "a"}])),
            "filter `replace` takes a list of two strings, `[old, new]`; found \"a\""
        );
        assert!(message(json!("first")).starts_with("`filters` takes a list"));
        assert!(message(json!([{"a": 1, "b": 2}])).starts_with("a filter is a name"));
    }
}

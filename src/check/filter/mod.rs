//! Applies a filter chain to a queried value, step by step, recording each
//! step's output for the failure view. Each family lives in its own room:
//! `decode` (base64, URL, HTML entities and their encodings), `convert`
//! (to_int, to_float, to_string, utf8_decode), `list` (split, nth, first,
//! last, count), `text` (replace, replace_regex, regex, trim, lower, upper),
//! `date` (to_date, days_before_now, days_after_now), `digest` (sha256,
//! md5, to_hex) and `query` (jsonpath on a value or on a string of JSON).
//!
//! Shared by expectations and captures. Must not evaluate predicates, know
//! subjects or locations, or render templates (arguments arrive rendered).

mod convert;
mod date;
mod decode;
mod digest;
mod list;
mod query;
mod text;

use crate::model::Filter;

use super::EvalContext;
use super::actual::Actual;

/// Records one step of a filter chain as the failure view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainStep {
    /// `value` for the queried value, else the filter with its argument (`split "."`).
    pub label: String,
    /// The step's output, shown compactly (`(absent)` before a filter that
    /// had nothing to work on).
    pub value: String,
}

/// Says why a filter could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterFailure {
    /// The filter with its argument, as in the chain.
    pub filter: String,
    /// What went wrong, worded for the author.
    pub reason: String,
}

impl std::fmt::Display for FilterFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "filter `{}`: {}", self.filter, self.reason)
    }
}

/// Applies `filters` to `actual` in order; returns the final value (or the
/// failure that stopped the chain) and the chain as shown: the queried value,
/// then each filter's output. An empty chain when there are no filters.
pub(crate) fn apply_filters(
    filters: &[Filter],
    actual: Actual,
    context: &EvalContext,
) -> (Result<Actual, FilterFailure>, Vec<ChainStep>) {
    if filters.is_empty() {
        return (Ok(actual), Vec::new());
    }
    let mut chain = vec![ChainStep {
        label: "value".to_owned(),
        value: actual.show(),
    }];
    let mut current = actual;
    for filter in filters {
        let label = filter.label();
        match apply_filter(filter, current, context) {
            Ok(next) => {
                chain.push(ChainStep {
                    label,
                    value: next.show(),
                });
                current = next;
            }
            Err(reason) => {
                return (
                    Err(FilterFailure {
                        filter: label,
                        reason,
                    }),
                    chain,
                );
            }
        }
    }
    (Ok(current), chain)
}

/// Applies one filter; an absent value stays absent only for `count`-less
/// chains that cannot work on nothing, which is every filter.
fn apply_filter(filter: &Filter, actual: Actual, context: &EvalContext) -> Result<Actual, String> {
    if actual == Actual::Absent {
        return Err("there is no value to filter (absent)".to_owned());
    }
    match filter {
        Filter::Base64Decode
        | Filter::Base64UrlDecode
        | Filter::Base64Encode
        | Filter::UrlDecode
        | Filter::UrlEncode
        | Filter::HtmlUnescape
        | Filter::HtmlEscape => decode::apply(filter, actual),
        Filter::ToInt | Filter::ToFloat | Filter::ToString | Filter::Utf8Decode => {
            convert::apply(filter, actual)
        }
        Filter::Split(_) | Filter::Nth(_) | Filter::First | Filter::Last | Filter::Count => {
            list::apply(filter, actual)
        }
        Filter::Replace(..)
        | Filter::ReplaceRegex(..)
        | Filter::Regex(_)
        | Filter::Trim
        | Filter::Lower
        | Filter::Upper => text::apply(filter, actual),
        Filter::ToDate(_) | Filter::DaysBeforeNow | Filter::DaysAfterNow => {
            date::apply(filter, actual, context)
        }
        Filter::Sha256 | Filter::Md5 | Filter::ToHex => digest::apply(filter, actual),
        Filter::JsonPath(_) => query::apply(filter, actual),
    }
}

/// Returns the text a text filter works on: a string, or bytes that are UTF-8.
pub(super) fn text_of(actual: &Actual, filter: &str) -> Result<String, String> {
    match actual {
        Actual::Json(serde_json::Value::String(text)) => Ok(text.clone()),
        Actual::Bytes(bytes) => String::from_utf8(bytes.clone())
            .map_err(|_| format!("`{filter}` needs text, and these bytes are not UTF-8")),
        Actual::Json(other) => Err(format!(
            "`{filter}` applies to strings; the value is {}",
            super::display::show_typed(other)
        )),
        Actual::Absent => Err("there is no value (absent)".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_filters;
    use serde_json::json;

    /// Applies the chain written as JSON to a JSON value.
    pub(super) fn run(
        chain: serde_json::Value,
        value: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        let filters = parse_filters(&chain).unwrap();
        match apply_filters(&filters, Actual::Json(value), &EvalContext::default()).0 {
            Ok(Actual::Json(v)) => Ok(v),
            Ok(other) => Err(format!("not JSON: {other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn the_chain_records_every_step() {
        let filters =
            parse_filters(&json!([{"split": "."}, {"nth": 1}, "base64url_decode", {"jsonpath": "$.sub"}]))
                .unwrap();
        let (result, chain) = apply_filters(
            &filters,
            Actual::Json(json!("h.eyJzdWIiOiJtYXJ5In0.s")),
            &EvalContext::default(),
        );
        assert_eq!(result, Ok(Actual::Json(json!("mary"))));
        let labels: Vec<&str> = chain.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "value",
                "split \".\"",
                "nth 1",
                "base64url_decode",
                "jsonpath \"$.sub\""
            ]
        );
        assert_eq!(chain[3].value, "\"{\\\"sub\\\":\\\"mary\\\"}\"");
    }

    #[test]
    fn a_failing_filter_stops_the_chain_and_says_why() {
        let filters = parse_filters(&json!([{"split": ","}, {"nth": 5}, "to_int"])).unwrap();
        let (result, chain) = apply_filters(&filters, Actual::Json(json!("a,b")), &EvalContext::default());
        assert_eq!(
            result.unwrap_err().to_string(),
            "filter `nth 5`: index 5 is past the end of a list of 2 items"
        );
        assert_eq!(chain.len(), 2);
        let (absent, _) = apply_filters(&filters, Actual::Absent, &EvalContext::default());
        assert!(absent.unwrap_err().reason.contains("absent"));
        assert_eq!(
            apply_filters(&[], Actual::Absent, &EvalContext::default()).1,
            Vec::new()
        );
    }
}

//! Applies the date family: `to_date` (a date read with a strftime format,
//! or as RFC 3339 / an HTTP date without one, giving an RFC 3339 UTC
//! timestamp that orders and compares as text), `days_before_now` and
//! `days_after_now` (whole days between a date and the evaluation's clock).
//!
//! Must not evaluate predicates; "now" comes from the evaluation context.

use serde_json::Value;
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::model::Filter;

use super::super::EvalContext;
use super::super::actual::Actual;
use super::text_of;

/// Applies one date filter.
pub(super) fn apply(filter: &Filter, actual: Actual, context: &EvalContext) -> Result<Actual, String> {
    let text = text_of(&actual, filter.name())?;
    match filter {
        Filter::ToDate(format) => {
            let format = format.as_ref().and_then(Value::as_str);
            let date = parse_date(text.trim(), format)?;
            let shown = date.format(&Rfc3339).map_err(|e| e.to_string())?;
            Ok(Actual::Json(Value::String(shown)))
        }
        Filter::DaysBeforeNow | Filter::DaysAfterNow => {
            let date = parse_date(text.trim(), None)?;
            let days = (context.now - date).whole_days();
            let days = if matches!(filter, Filter::DaysAfterNow) {
                -days
            } else {
                days
            };
            Ok(Actual::Json(Value::from(days)))
        }
        _ => Err("not a date filter".to_owned()),
    }
}

/// Reads a date or timestamp with a strftime `format`, else as RFC 3339, an
/// RFC 2822 / HTTP date, or a bare `YYYY-MM-DD` (midnight UTC).
fn parse_date(text: &str, format: Option<&str>) -> Result<OffsetDateTime, String> {
    if let Some(format) = format {
        let items = time::format_description::parse_strftime_borrowed(format)
            .map_err(|e| format!("invalid format `{format}`: {e}"))?;
        return OffsetDateTime::parse(text, &items)
            .or_else(|_| PrimitiveDateTime::parse(text, &items).map(PrimitiveDateTime::assume_utc))
            .or_else(|_| Date::parse(text, &items).map(|d| d.with_time(Time::MIDNIGHT).assume_utc()))
            .map_err(|e| format!("`{text}` does not match the format `{format}`: {e}"));
    }
    OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &Rfc2822))
        .or_else(|_| {
            let iso = time::macros::format_description!("[year]-[month]-[day]");
            Date::parse(text, iso).map(|d| d.with_time(Time::MIDNIGHT).assume_utc())
        })
        .map(|d| d.to_offset(time::UtcOffset::UTC))
        .map_err(|_| {
            format!("`{text}` is not an RFC 3339 date (2026-01-31T12:00:00Z), an HTTP date or YYYY-MM-DD; give `to_date` a format")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_filters;
    use serde_json::json;
    use time::macros::datetime;

    fn at_noon(chain: Value, value: &str) -> Result<Value, String> {
        let filters = parse_filters(&chain).unwrap();
        let context = EvalContext {
            now: datetime!(2026-03-10 12:00 UTC),
            ..EvalContext::default()
        };
        match super::super::apply_filters(&filters, Actual::Json(json!(value)), &context).0 {
            Ok(Actual::Json(v)) => Ok(v),
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn reads_dates_and_counts_days() {
        assert_eq!(
            at_noon(json!([{"to_date": "%d/%m/%Y"}]), "31/01/2026"),
            Ok(json!("2026-01-31T00:00:00Z"))
        );
        assert_eq!(
            at_noon(json!(["to_date"]), "2026-01-31T13:00:00+01:00"),
            Ok(json!("2026-01-31T12:00:00Z"))
        );
        assert_eq!(
            at_noon(json!(["to_date"]), "Wed, 21 Oct 2015 07:28:00 GMT"),
            Ok(json!("2015-10-21T07:28:00Z"))
        );
        assert_eq!(at_noon(json!(["days_before_now"]), "2026-03-01"), Ok(json!(9)));
        assert_eq!(
            at_noon(json!(["days_after_now"]), "2026-03-20T12:00:00Z"),
            Ok(json!(10))
        );
        assert_eq!(
            at_noon(json!([{"to_date": "%d/%m/%Y"}, "days_before_now"]), "10/02/2026"),
            Ok(json!(28))
        );
        assert!(
            at_noon(json!(["to_date"]), "yesterday")
                .unwrap_err()
                .contains("give `to_date` a format")
        );
    }
}

//! Evaluates `format:` on a string: `uuid`, `iso_date`, `date_time`,
//! `email`, `ipv4`, `ipv6`, `url`.
//!
//! Strict where a standard exists (RFC 9562 UUIDs in their hyphenated form,
//! RFC 3339 dates, the address parsers of `std::net`, WHATWG URLs with a
//! host); `email` checks the shape only (one `@`, a dotted domain), since
//! only delivery proves an address. Must not know subjects or locations.

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::model::{Predicate, TextFormat};

use super::super::display::show_typed;
use super::{Judge, PredicateOutcome};

/// Evaluates `format` on a present value.
pub(super) fn eval(judge: &Judge<'_>) -> PredicateOutcome {
    let Predicate::Format(format) = judge.predicate else {
        return judge.broken("not a format predicate".to_owned());
    };
    match judge.actual.json() {
        Some(Value::String(text)) => judge.outcome(has_format(*format, text), None),
        Some(other) => judge.broken(format!(
            "`format` applies to strings; the value is {}",
            show_typed(other)
        )),
        None => judge.broken("`format` applies to strings, not bytes".to_owned()),
    }
}

/// Tells whether `text` is written in `format`.
pub(crate) fn has_format(format: TextFormat, text: &str) -> bool {
    match format {
        TextFormat::Uuid => text.len() == 36 && uuid::Uuid::try_parse(text).is_ok(),
        TextFormat::IsoDate => time::Date::parse(text, format_description!("[year]-[month]-[day]")).is_ok(),
        TextFormat::DateTime => time::OffsetDateTime::parse(text, &Rfc3339).is_ok(),
        TextFormat::Email => is_email(text),
        TextFormat::Ipv4 => text.parse::<std::net::Ipv4Addr>().is_ok(),
        TextFormat::Ipv6 => text.parse::<std::net::Ipv6Addr>().is_ok(),
        TextFormat::Url => url::Url::parse(text).is_ok_and(|u| u.has_host()),
    }
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && !local.contains('@')
        && domain.contains('.')
        && domain.split('.').all(label_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_accepts_its_form_and_refuses_near_misses() {
        let cases: &[(TextFormat, &[&str], &[&str])] = &[
            (
                TextFormat::Uuid,
                &["123e4567-e89b-12d3-a456-426614174000"],
                &[
                    "123e4567e89b12d3a456426614174000",
                    "123e4567-e89b-12d3-a456-42661417400g",
                    "",
                ],
            ),
            (
                TextFormat::IsoDate,
                &["2026-01-31"],
                &["2026-02-30", "2026-1-31", "2026-01-31T00:00:00Z"],
            ),
            (
                TextFormat::DateTime,
                &["2026-01-31T12:00:00Z", "2026-01-31T12:00:00.5+01:00"],
                &["2026-01-31 12:00", "2026-01-31"],
            ),
            (
                TextFormat::Email,
                &["mary@example.com", "a.b+c@mail.example.org"],
                &["mary", "a@b", "a b@c.d", "a@-b.c"],
            ),
            (
                TextFormat::Ipv4,
                &["192.0.2.1"],
                &["192.0.2", "256.0.0.1", "01.2.3.4"],
            ),
            (
                TextFormat::Ipv6,
                &["2001:db8::1", "::1"],
                &["2001:db8:::1", "192.0.2.1"],
            ),
            (
                TextFormat::Url,
                &["https://example.com/a?b=1", "http://127.0.0.1:8080"],
                &["/relative", "mailto:a@b.c", "example.com"],
            ),
        ];
        for (format, good, bad) in cases {
            for text in *good {
                assert!(has_format(*format, text), "{format} should accept {text}");
            }
            for text in *bad {
                assert!(!has_format(*format, text), "{format} should refuse {text}");
            }
        }
    }
}

//! Owns how reports write a point in time: RFC 3339 in UTC, to the second
//! (`2026-12-03T11:40:05Z`), which JUnit readers (Jenkins, GitLab) and JSON
//! consumers parse alike.
//!
//! Must not read the clock: the run's start comes with its events.

use time::OffsetDateTime;
use time::macros::format_description;

/// Formats `at` in UTC, whole seconds, with a `Z`.
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap_or_else(|_| utc.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn times_are_written_in_utc_to_the_second() {
        assert_eq!(
            rfc3339(datetime!(2026-12-03 12:40:05.987 +01:00)),
            "2026-12-03T11:40:05Z"
        );
        assert_eq!(
            rfc3339(datetime!(0999-01-02 03:04:05 UTC)),
            "0999-01-02T03:04:05Z"
        );
    }
}

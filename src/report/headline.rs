//! Owns the one-line headlines of a report: a scenario's header (mark,
//! name, file, duration, attempts or why it never started) and the run's
//! summary line.
//!
//! Pure string building. Must not build multi-line blocks (`render` does)
//! nor do I/O.

use super::clean::one_line;
use super::style::{Styles, Tone, flaky_mark, format_duration, status_mark};
use crate::engine::{RunSummary, ScenarioResult};

/// Returns the run's summary line:
/// `N passed, N failed, N errored (N scenarios) in 1.23s`, with ` (N flaky)`
/// after the passed count when some passed only on a retry, and `, N skipped`
/// after the errored count when some scenarios were neither.
#[must_use]
pub(crate) fn summary_line(summary: &RunSummary) -> String {
    let skipped = summary
        .total
        .saturating_sub(summary.passed + summary.failed + summary.errored);
    let skipped = if skipped > 0 {
        format!(", {skipped} skipped")
    } else {
        String::new()
    };
    let flaky = if summary.flaky > 0 {
        format!(" ({} flaky)", summary.flaky)
    } else {
        String::new()
    };
    let noun = if summary.total == 1 {
        "scenario"
    } else {
        "scenarios"
    };
    format!(
        "{} passed{flaky}, {} failed, {} errored{skipped} ({} {noun}) in {}",
        summary.passed,
        summary.failed,
        summary.errored,
        summary.total,
        format_duration(summary.duration)
    )
}

/// Returns a scenario's one-line header: mark (`FLAKY` when it passed on a
/// retry), name, file, then its duration and attempts, or why it never started.
pub(crate) fn scenario_header(result: &ScenarioResult, styles: Styles) -> String {
    let mark = if result.is_flaky() {
        flaky_mark(styles)
    } else {
        status_mark(result.status, styles)
    };
    let tail = match &result.skip_reason {
        Some(reason) => format!("({})", one_line(reason)),
        None if result.is_flaky() => format!(
            "{}  (passed on attempt {})",
            format_duration(result.duration),
            result.attempts()
        ),
        None if result.attempts() > 1 => format!(
            "{}  ({} attempts)",
            format_duration(result.duration),
            result.attempts()
        ),
        None => format_duration(result.duration),
    };
    format!(
        "{}  {}  {}  {tail}",
        mark,
        styles.paint(Tone::Bold, one_line(&result.name)),
        styles.paint(Tone::Dim, one_line(&result.file.display().to_string())),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::engine::Status;

    #[test]
    fn summary_line_keeps_its_fixed_shape() {
        let mut summary = RunSummary {
            total: 4,
            passed: 2,
            failed: 1,
            errored: 1,
            duration: Duration::from_millis(1230),
            ..RunSummary::default()
        };
        assert_eq!(
            summary_line(&summary),
            "2 passed, 1 failed, 1 errored (4 scenarios) in 1.23s"
        );
        summary.total = 6;
        assert_eq!(
            summary_line(&summary),
            "2 passed, 1 failed, 1 errored, 2 skipped (6 scenarios) in 1.23s"
        );
        summary.flaky = 1;
        assert_eq!(
            summary_line(&summary),
            "2 passed (1 flaky), 1 failed, 1 errored, 2 skipped (6 scenarios) in 1.23s"
        );
        let one = RunSummary {
            total: 1,
            passed: 1,
            ..RunSummary::default()
        };
        assert_eq!(
            summary_line(&one),
            "1 passed, 0 failed, 0 errored (1 scenario) in 0ms"
        );
    }

    #[test]
    fn headers_say_flaky_attempts_and_why_a_scenario_never_started() {
        let failed = Arc::new(ScenarioResult {
            name: "Login".to_owned(),
            file: "login.yaml".into(),
            status: Status::Failed,
            ..ScenarioResult::default()
        });
        let flaky = ScenarioResult {
            earlier_attempts: vec![Arc::clone(&failed)],
            status: Status::Passed,
            duration: Duration::from_millis(12),
            ..ScenarioResult::clone(&failed)
        };
        let styles = Styles::new(false);
        assert_eq!(
            scenario_header(&flaky, styles),
            "FLAKY  Login  login.yaml  12ms  (passed on attempt 2)"
        );
        let failed_twice = ScenarioResult {
            status: Status::Failed,
            ..flaky.clone()
        };
        assert_eq!(
            scenario_header(&failed_twice, styles),
            "FAIL   Login  login.yaml  12ms  (2 attempts)"
        );
        let never = ScenarioResult::not_started(
            "Later".to_owned(),
            "later.yaml".into(),
            Vec::new(),
            "not started: --fail-fast after `Login` failed".to_owned(),
        );
        assert_eq!(
            scenario_header(&never, styles),
            "SKIP   Later  later.yaml  (not started: --fail-fast after `Login` failed)"
        );
    }
}

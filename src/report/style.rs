//! Owns how report text looks: the colour palette ([`Tone`], [`Styles`]), the
//! status marks, and the one shape every report gives a duration.
//!
//! Must not build whole lines or blocks, nor clean text: it only paints and
//! formats single values.

use std::fmt::Display;
use std::time::Duration;

use console::Style;

use crate::engine::Status;

/// Formats a duration the one way every report shows it: whole milliseconds
/// under a second (`250ms`), else seconds with two decimals (`1.23s`).
///
/// Output tests can rely on this shape to filter durations out.
#[must_use]
pub fn format_duration(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{}ms", duration.as_millis())
    } else {
        format!("{:.2}s", duration.as_secs_f64())
    }
}

/// Names the colours used in reports, so the palette lives in one place.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tone {
    Pass,
    Fail,
    Error,
    Skip,
    Dim,
    Bold,
    Added,
    Removed,
    Hunk,
}

/// Paints text when colour is on and leaves it untouched otherwise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Styles {
    color: bool,
}

impl Styles {
    /// Creates styles that emit ANSI colours only when `color` is true,
    /// whatever the terminal looks like.
    pub(crate) fn new(color: bool) -> Self {
        Self { color }
    }

    /// Returns `text` painted in `tone` (or as is without colour).
    pub(crate) fn paint(self, tone: Tone, text: impl Display) -> String {
        if !self.color {
            return text.to_string();
        }
        let style = match tone {
            Tone::Pass | Tone::Added => Style::new().green(),
            Tone::Fail | Tone::Removed => Style::new().red(),
            Tone::Error => Style::new().red().bold(),
            Tone::Skip => Style::new().yellow(),
            Tone::Dim => Style::new().dim(),
            Tone::Bold => Style::new().bold(),
            Tone::Hunk => Style::new().cyan(),
        };
        style.force_styling(true).apply_to(text).to_string()
    }
}

/// Returns the mark of a scenario that passed on a retry, as wide as the others.
pub(crate) fn flaky_mark(styles: Styles) -> String {
    styles.paint(Tone::Skip, "FLAKY")
}

/// Returns the status mark of a scenario, padded so names line up.
pub(crate) fn status_mark(status: Status, styles: Styles) -> String {
    let (text, tone) = match status {
        Status::Passed => ("PASS ", Tone::Pass),
        Status::Failed => ("FAIL ", Tone::Fail),
        Status::Errored => ("ERROR", Tone::Error),
        Status::Skipped => ("SKIP ", Tone::Skip),
    };
    styles.paint(tone, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_durations_in_one_shape() {
        assert_eq!(format_duration(Duration::ZERO), "0ms");
        assert_eq!(format_duration(Duration::from_micros(999_900)), "999ms");
        assert_eq!(format_duration(Duration::from_millis(1000)), "1.00s");
        assert_eq!(format_duration(Duration::from_millis(1234)), "1.23s");
        assert_eq!(format_duration(Duration::from_secs(75)), "75.00s");
    }

    #[test]
    fn styles_without_colour_leave_text_alone() {
        assert_eq!(Styles::new(false).paint(Tone::Fail, "FAIL"), "FAIL");
        let painted = Styles::new(true).paint(Tone::Fail, "FAIL");
        assert!(
            painted.contains("\u{1b}[") && painted.contains("FAIL"),
            "{painted:?}"
        );
    }
}

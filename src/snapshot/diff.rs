//! Renders differences between a stored snapshot and a new result.
//!
//! Must not read or write snapshot files, nor decide whether a difference
//! fails a step.

use similar::TextDiff;

use super::file::normalize_body;

/// Returns a unified diff (three lines of context) from `old` to `new`, as
/// plain text, comparing bodies the way snapshots are compared (trailing
/// whitespace ignored, CRLF as LF). Returns an empty string when they match.
#[must_use]
pub fn diff_text(old: &str, new: &str) -> String {
    let old = normalize_body(old) + "\n";
    let new = normalize_body(new) + "\n";
    TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header("stored", "new")
        .to_string()
}

/// Returns `diff` with removed lines red, added lines green and hunk headers
/// cyan, for a terminal; unchanged when `color` is off.
pub(crate) fn colorize_diff(diff: &str, color: bool) -> String {
    if !color {
        return diff.to_owned();
    }
    let removed = console::Style::new().red().force_styling(true);
    let added = console::Style::new().green().force_styling(true);
    let hunk = console::Style::new().cyan().force_styling(true);
    let file = console::Style::new().bold().force_styling(true);
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let (text, newline) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        let styled = if text.starts_with("---") || text.starts_with("+++") {
            file.apply_to(text).to_string()
        } else if text.starts_with('-') {
            removed.apply_to(text).to_string()
        } else if text.starts_with('+') {
            added.apply_to(text).to_string()
        } else if text.starts_with("@@") {
            hunk.apply_to(text).to_string()
        } else {
            text.to_owned()
        };
        out.push_str(&styled);
        out.push_str(newline);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            diff_text(old, new),
            "--- stored\n+++ new\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn ignores_what_comparison_ignores() {
        assert_eq!(diff_text("a\r\nb\n\n", "a\nb"), "");
    }

    #[test]
    fn colours_only_when_asked() {
        let diff = diff_text("x\n", "y\n");
        assert_eq!(colorize_diff(&diff, false), diff);
        let coloured = colorize_diff(&diff, true);
        assert!(coloured.contains("\u{1b}[31m-x"));
        assert!(coloured.contains("\u{1b}[32m+y"));
        assert_eq!(console::strip_ansi_codes(&coloured), diff);
    }
}

//! Tests the rendering of results into console text.
//!
//! Test-only. Must not hold anything the renderer itself uses.

use std::time::Duration;

use super::*;

#[test]
fn summary_line_keeps_its_fixed_shape() {
    let mut summary = RunSummary {
        total: 4,
        passed: 2,
        failed: 1,
        errored: 1,
        duration: Duration::from_millis(1230),
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
fn body_excerpt_is_cut_after_a_screenful() {
    let response = ResponseRecord {
        status: 500,
        headers: Vec::new(),
        body: (1..=25).map(|n| format!("line {n}\n")).collect(),
        body_truncated: true,
        ..ResponseRecord::default()
    };
    let mut out = String::new();
    render_body_excerpt(&mut out, 0, &response);
    assert!(out.contains("  line 20\n"));
    assert!(!out.contains("line 21"));
    assert!(out.ends_with("  ... (5 more lines)\n"), "{out}");

    let short = ResponseRecord {
        body: "cut here".to_owned(),
        ..response
    };
    let mut out = String::new();
    render_body_excerpt(&mut out, 0, &short);
    assert_eq!(out, "response body:\n  cut here\n  ... (truncated)\n");
}

#[test]
fn diff_lines_are_coloured_by_sign() {
    let styles = Styles::new(true);
    assert_eq!(paint_diff_line(" same", styles), " same");
    assert_eq!(
        paint_diff_line("+added", styles),
        styles.paint(Tone::Added, "+added")
    );
    assert_eq!(
        paint_diff_line("-gone", styles),
        styles.paint(Tone::Removed, "-gone")
    );
    assert_eq!(
        paint_diff_line("--- old", styles),
        styles.paint(Tone::Bold, "--- old")
    );
}

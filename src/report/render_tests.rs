//! Tests the rendering of results into console text.
//!
//! Test-only. Must not hold anything the renderer itself uses.

use super::*;

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

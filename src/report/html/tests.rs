//! Tests the HTML page built from canned runs: what it counts and shows, that
//! it needs nothing from the network, and that response text cannot inject
//! markup. Must not start a browser: tests/html_browser.rs does.

use crate::engine::Event;
use crate::report::fixtures;

use super::HtmlReporter;

fn page_of(events: &[Event]) -> String {
    let mut reporter = HtmlReporter::new("unused.html");
    fixtures::feed(&mut reporter, events);
    reporter.text().unwrap()
}

/// Returns the page's `<main>`: the results, without the inline style and script.
fn main_of(page: &str) -> &str {
    let start = page.find("<main>").unwrap();
    let end = page.find("</main>").unwrap();
    &page[start..end + "</main>".len()]
}

#[test]
fn html_report_of_a_mixed_run() {
    let mut results = fixtures::mixed_results();
    results.push(fixtures::retried(true));
    let page = page_of(&fixtures::run_of(results));
    insta::assert_snapshot!(main_of(&page));
}

#[test]
fn counts_and_filters_match_the_run() {
    let page = page_of(&fixtures::run_of(fixtures::mixed_results()));
    for (status, count) in [
        ("passed", 1),
        ("failed", 2),
        ("errored", 1),
        ("skipped", 1),
        ("total", 5),
    ] {
        assert!(
            page.contains(&format!(
                "<span class=\"count\" data-status=\"{status}\">{count}</span>"
            )),
            "{status}: {page}"
        );
    }
    assert_eq!(page.matches("<details class=\"scenario ").count(), 5);
    assert!(page.contains("<option value=\"mfa\">mfa</option>"));
    assert!(
        page.contains("data-tags=\"[&quot;mfa&quot;,&quot;totp&quot;]\""),
        "tags as JSON, a tag may hold a space"
    );
}

#[test]
fn the_page_fetches_nothing() {
    let page = page_of(&fixtures::run_of(fixtures::mixed_results()));
    assert!(
        page.contains("content=\"default-src 'none';"),
        "a CSP forbids every fetch"
    );
    for external in ["<link", "src=", "@import", "url(", "@font-face"] {
        assert!(!page.contains(external), "{external} in the page");
    }
}

#[test]
fn failures_show_both_sides_and_a_diff() {
    let page = page_of(&fixtures::run_of(vec![fixtures::failed_assertion()]));
    let failure = &page[page.find("<details class=\"failure\">").unwrap()..];
    let failure = &failure[..failure.find("</details>").unwrap()];
    assert!(
        failure.contains("<b>status</b> equals: expected 200, got 401"),
        "{failure}"
    );
    assert!(
        failure.contains("<pre class=\"diff\"><span class=\"file\">--- expected</span>"),
        "{failure}"
    );
    assert!(
        failure.contains("<span class=\"del\">-200</span><span class=\"ins\">+401</span>"),
        "{failure}"
    );
}

#[test]
fn snapshot_mismatches_show_their_diff() {
    let page = page_of(&fixtures::run_of(vec![fixtures::snapshot_mismatch()]));
    assert!(page.contains("<pre class=\"diff snapshot-diff\">"), "{page}");
    assert!(page.contains("snapshot <b>mismatched</b>"), "{page}");
}

#[test]
fn response_text_cannot_inject_markup_or_control_characters() {
    let mut hostile = fixtures::hostile_body();
    let step = std::sync::Arc::make_mut(&mut hostile.steps[0]);
    if let Some(response) = step.response.as_mut() {
        response.body = "<script>alert(1)</script><img src=x onerror=alert(2)>\u{202e}txt.exe".to_owned();
    }
    let page = page_of(&fixtures::run_of(vec![hostile]));
    let main = main_of(&page);
    assert!(!main.contains("<script>alert"), "{main}");
    assert!(
        main.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{main}"
    );
    assert!(!main.contains('\u{1b}') && !main.contains('\u{202e}'), "{main}");
}

#[test]
fn an_interrupted_run_says_so() {
    let page = page_of(&fixtures::interrupted());
    assert!(page.contains("class=\"banner\""), "{page}");
}

//! Owns the HTML report (`--report-html`): one self-contained page, its
//! style and script inline and a Content-Security-Policy that forbids every
//! fetch, so it opens from a CI artifact with no network. It shows the
//! summary, filters by status, tag and name, each scenario's steps as a
//! waterfall, requests and responses, failed expectations with expected,
//! actual and a diff, and snapshot diffs. `view` builds what it shows,
//! `diff` the diff lines, and `page.html` (with `page.css` and `page.js`)
//! lays it out, escaping every value.
//!
//! Must not print, nor show anything the events did not carry: their text is
//! already redacted.

mod diff;
mod view;

use std::path::Path;

use minijinja::Environment;

use super::ReportError;
use super::file::{Document, FileReporter};
use super::fold::RunFold;
use super::json::summary_of;

/// Collects scenario results and writes them as one HTML page on finish.
pub type HtmlReporter = FileReporter<HtmlDocument>;

/// Writes the HTML report.
#[derive(Debug)]
pub struct HtmlDocument;

const TEMPLATE: &str = include_str!("page.html");
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

impl Document for HtmlDocument {
    /// Returns the page for what `fold` holds.
    fn text(fold: &RunFold, path: &Path) -> Result<String, ReportError> {
        let page = view::page(fold, summary_of(fold));
        let mut environment = Environment::new();
        // Named `.html`, so every value is HTML-escaped unless marked safe.
        environment
            .add_template("report.html", TEMPLATE)
            .and_then(|()| environment.get_template("report.html"))
            .and_then(|template| {
                template.render(minijinja::context! {
                    page => minijinja::Value::from(minijinja::value::Serde(&page)),
                    style => minijinja::Value::from_safe_string(STYLE.to_owned()),
                    script => minijinja::Value::from_safe_string(SCRIPT.to_owned()),
                })
            })
            .map_err(|source| ReportError::Html {
                path: path.to_path_buf(),
                source,
            })
    }
}

#[cfg(test)]
mod tests;

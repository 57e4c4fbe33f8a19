//! Owns which report files a command writes ([`ReportFiles`]: JUnit, JSON,
//! TAP, HTML) and the reporters that write them, so `run`, a run of invalid files
//! and `report merge` offer the same reports.
//!
//! Must not know a format: each has its own file beside this one.

use std::path::PathBuf;

use super::Reporter;
use super::html::HtmlReporter;
use super::json::JsonReporter;
use super::junit::JunitReporter;
use super::tap::TapReporter;

/// Names the report files asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFiles {
    /// The JUnit XML report (`--junit`).
    pub junit: Option<PathBuf>,
    /// The JSON report (`--report-json`).
    pub json: Option<PathBuf>,
    /// The TAP version 14 report (`--report-tap`).
    pub tap: Option<PathBuf>,
    /// The self-contained HTML report (`--report-html`).
    pub html: Option<PathBuf>,
}

impl ReportFiles {
    /// Returns a reporter for each file asked for.
    #[must_use]
    pub fn reporters(&self) -> Vec<Box<dyn Reporter>> {
        let mut reporters: Vec<Box<dyn Reporter>> = Vec::new();
        if let Some(path) = &self.junit {
            reporters.push(Box::new(JunitReporter::new(path.clone())));
        }
        if let Some(path) = &self.json {
            reporters.push(Box::new(JsonReporter::new(path.clone())));
        }
        if let Some(path) = &self.tap {
            reporters.push(Box::new(TapReporter::new(path.clone())));
        }
        if let Some(path) = &self.html {
            reporters.push(Box::new(HtmlReporter::new(path.clone())));
        }
        reporters
    }

    /// Tells whether no report file is asked for.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.junit.is_none() && self.json.is_none() && self.tap.is_none() && self.html.is_none()
    }

    /// Returns why two reports cannot be written, when two flags name one file.
    #[must_use]
    pub fn clash(&self) -> Option<String> {
        let named = [
            ("--junit", &self.junit),
            ("--report-json", &self.json),
            ("--report-tap", &self.tap),
            ("--report-html", &self.html),
        ];
        let given: Vec<(&str, &PathBuf)> = named
            .iter()
            .filter_map(|(flag, path)| path.as_ref().map(|path| (*flag, path)))
            .collect();
        given.iter().enumerate().find_map(|(at, (flag, path))| {
            given[at + 1..]
                .iter()
                .find(|(_, other)| other == path)
                .map(|(other, _)| {
                    format!(
                        "{flag} and {other} both name {}; give each report its own file",
                        path.display()
                    )
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_flags_naming_one_file_clash() {
        let files = ReportFiles {
            junit: Some("a.xml".into()),
            json: Some("b.json".into()),
            tap: Some("a.xml".into()),
            html: None,
        };
        assert_eq!(
            files.clash().unwrap(),
            "--junit and --report-tap both name a.xml; give each report its own file"
        );
        let apart = ReportFiles {
            tap: Some("c.tap".into()),
            html: Some("d.html".into()),
            ..files.clone()
        };
        assert_eq!(apart.clash(), None);
        assert_eq!(apart.reporters().len(), 4);
        assert!(ReportFiles::default().is_empty());
    }
}

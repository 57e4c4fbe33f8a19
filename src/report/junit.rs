//! Owns the JUnit XML report (quick-junit), written atomically on finish.
//!
//! Layout: one `testsuites` report and one `testsuite`, both named `scenario`,
//! holding one `testcase` per scenario in run order (name = scenario name,
//! classname = scenario file). A scenario that failed an expectation (or a
//! snapshot) becomes a `failure` whose message is its first failed assertion
//! and whose text lists every failure with its location; a scenario with a step
//! that could not run becomes an `error`; a skipped scenario is `skipped`; a
//! scenario the run never finished is an `error` of type `incomplete`.
//! `system-out` holds the console's step listing without colour.
//!
//! Must not print anything: it only writes the file it was given.

use std::path::Path;
use std::sync::Arc;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::ReportError;
use super::clean::{clean, one_line};
use super::file::{Document, FileReporter};
use super::fold::{Progress, RunFold};
use super::render::{self, Detail};
use super::style::Styles;
use crate::engine::{ScenarioResult, SnapshotStatus, Status, StepResult};

/// Names the report and its one suite.
const SUITE_NAME: &str = "scenario";

/// Collects scenario results and writes them as a JUnit XML file on finish.
pub type JunitReporter = FileReporter<JunitDocument>;

/// Writes the JUnit XML report.
#[derive(Debug)]
pub struct JunitDocument;

impl Document for JunitDocument {
    /// Builds the XML document from what `fold` holds.
    fn text(fold: &RunFold, path: &Path) -> Result<String, ReportError> {
        let mut suite = TestSuite::new(SUITE_NAME);
        if let Some(target) = fold.target() {
            suite.add_property(Property::new("target", target));
        }
        let context = fold.context();
        if let Some(config) = &context.config {
            suite.add_property(Property::new("config", config.display().to_string()));
        }
        if let Some(environment) = &context.environment {
            suite.add_property(Property::new("environment", environment.as_str()));
        }
        if let Some(served_by) = &context.served_by {
            suite.add_property(Property::new("served_by", served_by.as_str()));
        }
        suite.add_test_cases(fold.scenarios().into_iter().map(|(_, progress)| match progress {
            Progress::Finished(result) => scenario_case(result),
            Progress::Running(running) => unfinished_case(&running.name, &running.file),
        }));
        let mut report = Report::new(SUITE_NAME);
        if let Some(summary) = fold.summary() {
            suite.set_time(summary.duration);
            report.set_time(summary.duration);
        }
        report.add_test_suite(suite);
        report.to_string().map_err(|source| ReportError::Junit {
            path: path.to_path_buf(),
            source,
        })
    }
}

#[cfg(test)]
impl JunitReporter {
    fn to_xml(&self) -> Result<String, ReportError> {
        self.text()
    }
}

/// Converts a finished scenario into a test case.
fn scenario_case(result: &ScenarioResult) -> TestCase {
    let problems = problems_of(&result.steps);
    let status = match result.status {
        Status::Passed => TestCaseStatus::success(),
        Status::Skipped => {
            let mut status = TestCaseStatus::skipped();
            if let Some(reason) = result.steps.iter().find_map(|s| s.skip_reason.as_deref()) {
                status.set_message(reason);
            }
            status
        }
        Status::Failed => non_success(NonSuccessKind::Failure, &problems, |p| p.kind == "assertion"),
        Status::Errored => non_success(NonSuccessKind::Error, &problems, |p| p.is_error),
    };
    let mut case = TestCase::new(result.name.as_str(), status);
    case.set_classname(result.file.display().to_string());
    case.set_time(result.duration);
    case.set_assertions(count_assertions(&result.steps));
    let mut detail = String::new();
    render::render_scenario(
        &mut detail,
        result,
        Styles::new(false),
        Detail {
            verbose: 1,
            curl: true,
        },
    );
    case.set_system_out(detail);
    case
}

/// Builds a test case for a scenario that started and never finished.
fn unfinished_case(name: &str, file: &Path) -> TestCase {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_message("the run stopped before this scenario finished")
        .set_type("incomplete");
    let mut case = TestCase::new(name, status);
    case.set_classname(file.display().to_string());
    case
}

/// Builds a failure or error: the message is the first problem `headline`
/// accepts (or the first problem), the text lists them all.
fn non_success(
    kind: NonSuccessKind,
    problems: &[Problem],
    headline: impl Fn(&Problem) -> bool,
) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    if let Some(first) = problems.iter().find(|p| headline(p)).or_else(|| problems.first()) {
        status.set_message(first.summary.as_str()).set_type(first.kind);
    }
    let text: Vec<&str> = problems.iter().map(|p| p.detail.as_str()).collect();
    if !text.is_empty() {
        status.set_description(text.join("\n"));
    }
    status
}

/// One reason a scenario did not pass, as JUnit shows it.
#[derive(Debug)]
struct Problem {
    /// `assertion`, `snapshot`, `step`, or the step error's kind.
    kind: &'static str,
    is_error: bool,
    /// One line, for the `message` attribute.
    summary: String,
    /// Lines with locations, for the element's text.
    detail: String,
}

/// Lists every reason the steps (and the steps of used flows) did not pass, in order.
fn problems_of(steps: &[Arc<StepResult>]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for step in steps {
        collect_problems(step, &mut problems);
    }
    problems
}

fn collect_problems(step: &StepResult, problems: &mut Vec<Problem>) {
    if !matches!(step.status, Status::Failed | Status::Errored) {
        return;
    }
    let before = problems.len();
    let name = one_line(&step.name);
    let at = format!("step \"{name}\" at {}", step.location);
    if let Some(error) = &step.error {
        let message = clean(&error.message);
        let first_line = message.lines().next().unwrap_or_default();
        let location = error
            .location
            .as_ref()
            .map_or_else(String::new, |l| format!("\n  at {l}"));
        problems.push(Problem {
            kind: error.kind,
            is_error: true,
            summary: format!("{name}: {} error: {first_line}", error.kind),
            detail: format!("{at}: {} error: {}{location}", error.kind, indent_rest(&message)),
        });
    }
    for assertion in step.failures() {
        let subject = format!("{} {}", assertion.subject, assertion.predicate);
        let mut detail = format!(
            "{at}: {subject}\n  expected: {}\n  actual:   {}",
            indent_rest(&assertion.expected),
            indent_rest(&assertion.actual)
        );
        if let Some(message) = &assertion.message {
            detail.push_str(&format!("\n  why:      {}", indent_rest(message)));
        }
        detail.push_str(&format!("\n  at {}", assertion.location));
        problems.push(Problem {
            kind: "assertion",
            is_error: false,
            summary: one_line(&format!(
                "{name}: {subject}: expected {}, actual {}",
                assertion.expected, assertion.actual
            )),
            detail,
        });
    }
    if let Some(snapshot) = &step.snapshot {
        let what = match snapshot.status {
            SnapshotStatus::New => Some("snapshot is new, not accepted yet"),
            SnapshotStatus::Mismatched => Some("snapshot mismatched"),
            SnapshotStatus::Matched | SnapshotStatus::Updated => None,
        };
        if let Some(what) = what {
            let path = snapshot.path.display();
            let diff = snapshot
                .diff
                .as_deref()
                .map_or_else(String::new, |d| format!("\n{d}"));
            problems.push(Problem {
                kind: "snapshot",
                is_error: false,
                summary: format!("{name}: {what}: {path}"),
                detail: format!("{at}: {what}: {path}{diff}"),
            });
        }
    }
    let own = problems.len() > before;
    let children_before = problems.len();
    for child in &step.children {
        collect_problems(child, problems);
    }
    if !own && problems.len() == children_before {
        // Nothing explains the status: still say which step it was.
        problems.push(Problem {
            kind: "step",
            is_error: step.status == Status::Errored,
            summary: format!("{name}: {}", step.status.label()),
            detail: format!("{at}: {}", step.status.label()),
        });
    }
}

/// Returns `text` with every line after the first indented, so multi-line
/// values stay inside the problem they belong to.
fn indent_rest(text: &str) -> String {
    text.lines().collect::<Vec<_>>().join("\n  ")
}

fn count_assertions<S: std::borrow::Borrow<StepResult>>(steps: &[S]) -> usize {
    steps
        .iter()
        .map(|s| s.borrow().assertions.len() + count_assertions(&s.borrow().children))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Event;
    use crate::report::{Reporter, fixtures};

    fn xml_of(events: &[Event]) -> String {
        let mut reporter = JunitReporter::new("unused.xml");
        fixtures::feed(&mut reporter, events);
        reporter.to_xml().unwrap()
    }

    #[test]
    fn junit_report_of_a_mixed_run() {
        let events = fixtures::run_of(vec![
            fixtures::passed("Login with password", "login.yaml"),
            fixtures::failed_assertion(),
            fixtures::transport_error(),
            fixtures::snapshot_mismatch(),
            fixtures::skipped_scenario(),
        ]);
        insta::assert_snapshot!(xml_of(&events));
    }

    #[test]
    fn failure_message_is_the_first_failed_assertion() {
        let case = scenario_case(&fixtures::failed_assertion());
        let TestCaseStatus::NonSuccess {
            kind,
            message,
            description,
            ..
        } = &case.status
        else {
            panic!("expected a failure, got {:?}", case.status);
        };
        assert_eq!(*kind, NonSuccessKind::Failure);
        assert_eq!(
            message.as_ref().unwrap().as_str(),
            "Unlock the token with the authenticator code: status equals: expected 200, actual 401"
        );
        let text = description.as_ref().unwrap().as_str();
        assert!(text.contains("at scenarios/mfa-totp.yaml:20:15"));
        assert!(text.contains("at scenarios/mfa-totp.yaml:22:9"));
        assert!(!text.contains("content-type"), "passed assertions stay out");
    }

    #[test]
    fn unfinished_scenarios_become_errors() {
        let events = fixtures::interrupted();
        let xml = xml_of(&events);
        assert!(xml.contains(r#"<testcase name="First scenario" classname="scenarios/first.yaml">"#));
        assert!(xml.contains(r#"type="incomplete""#));
        let first = xml.find("First scenario").unwrap();
        let second = xml.find("Second scenario").unwrap();
        assert!(first < second, "cases keep the run order");
    }

    #[test]
    fn finish_writes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reports/junit.xml");
        let mut reporter = JunitReporter::new(&path);
        fixtures::feed(&mut reporter, &fixtures::all_passed());
        reporter.finish().unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written, reporter.to_xml().unwrap());
        assert!(
            written.contains(r#"<testsuite name="scenario" tests="2" skipped="0" errors="0" failures="0""#)
        );
    }

    #[test]
    fn hostile_text_is_stripped_from_xml() {
        let xml = xml_of(&fixtures::run_of(vec![fixtures::hostile_body()]));
        assert!(!xml.contains('\u{1b}'));
        assert!(xml.contains("you have been pwned"));
    }
}

//! Owns the JUnit XML report (quick-junit), written atomically on finish.
//!
//! Layout: one `testsuites` report named `scenario`, one `testsuite` per
//! scenario file in run order (name and `file` = the file; `timestamp` = the
//! run's start, `hostname`; the run's target and environment as properties),
//! holding one `testcase` per scenario (name = scenario id, classname = the
//! file without extension and dots, so Jenkins does not split it). The
//! document is valid against the Jenkins xunit junit-10.xsd. A scenario that failed an expectation (or a
//! snapshot) becomes a `failure` whose message is its first failed assertion
//! and whose text lists every failure with its location; a scenario with a step
//! that could not run becomes an `error`; a skipped scenario is `skipped`
//! (with why, e.g. `not started: --fail-fast after ...`); a scenario the run
//! never finished is an `error` of type `incomplete`; an invalid file is an
//! `error` of type `invalid` named after the file. `system-out` holds the
//! console's step listing without colour. Earlier attempts of a retried
//! scenario are `flakyFailure`/`flakyError` elements of a case that passed at
//! last, `rerunFailure`/`rerunError` of one that failed every attempt, each
//! with its message, type, text and `system-out` as a failure has them.
//!
//! Must not print anything: it only writes the file it was given.

use std::path::Path;

use indexmap::IndexMap;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestRerun, TestSuite};

use super::ReportError;
use super::clean::clean;
use super::file::{Document, FileReporter};
use super::fold::{Progress, RunFold};
use super::problems::{Problem, problems_of};
use super::render::{self, Detail};
use super::rfc3339;
use super::style::Styles;
use crate::engine::{InvalidFile, ScenarioResult, Status};

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
        let context = fold.context();
        let mut properties = Vec::new();
        if let Some(target) = fold.target() {
            properties.push(Property::new("target", target));
        }
        if let Some(config) = &context.config {
            properties.push(Property::new("config", config.display().to_string()));
        }
        if let Some(environment) = &context.environment {
            properties.push(Property::new("environment", environment.as_str()));
        }
        if let Some(served_by) = &context.served_by {
            properties.push(Property::new("served_by", served_by.as_str()));
        }
        let mut files: IndexMap<&Path, Vec<TestCase>> = IndexMap::new();
        for (_, progress) in fold.scenarios() {
            let (file, case) = match progress {
                Progress::Finished(result) => (result.file.as_path(), scenario_case(result)),
                Progress::Running(running) => (
                    running.file.as_path(),
                    unfinished_case(&running.name, &running.file),
                ),
            };
            files.entry(file).or_default().push(case);
        }
        let mut report = Report::new(SUITE_NAME);
        for (file, cases) in files {
            let mut suite = TestSuite::new(file.display().to_string());
            suite.add_properties(properties.iter().cloned());
            let mut extra = vec![("file", file.display().to_string())];
            extra.extend(context.started_at.map(|at| ("timestamp", rfc3339(at))));
            extra.extend(context.hostname.clone().map(|host| ("hostname", host)));
            for (key, value) in extra {
                suite.extra.insert(key.into(), value.into());
            }
            suite.set_time(cases.iter().filter_map(|case| case.time).sum());
            suite.add_test_cases(cases);
            report.add_test_suite(suite);
        }
        if let Some(summary) = fold.summary() {
            report.set_time(summary.duration);
        }
        let xml = report.to_string().map_err(|source| ReportError::Junit {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(without_report_skipped(xml))
    }
}

/// Drops the `skipped` count quick-junit always writes on `<testsuites>`,
/// which the Jenkins xunit schema (junit-10.xsd) does not allow there; each
/// `<testsuite>` keeps its own.
fn without_report_skipped(xml: String) -> String {
    let Some(start) = xml.find("<testsuites ") else {
        return xml;
    };
    let end = xml[start..].find('>').map_or(xml.len(), |end| start + end);
    let Some(found) = xml[start..end].find(" skipped=\"") else {
        return xml;
    };
    let from = start + found;
    let value_start = from + " skipped=\"".len();
    let Some(close) = xml[value_start..end].find('"') else {
        return xml;
    };
    let mut cleaned = String::with_capacity(xml.len());
    cleaned.push_str(&xml[..from]);
    cleaned.push_str(&xml[value_start + close + 1..]);
    cleaned
}

/// Returns the JUnit classname of a scenario file: its path without the
/// extension and with no dot, since Jenkins takes what follows the last dot
/// as the class (`login.yaml` would be class `yaml`).
fn classname(file: &Path) -> String {
    file.with_extension("").display().to_string().replace('.', "_")
}

#[cfg(test)]
impl JunitReporter {
    fn to_xml(&self) -> Result<String, ReportError> {
        self.text()
    }
}

/// Converts a finished scenario into a test case, its earlier attempts
/// (`--retries`) inside it as nextest writes them: `flakyFailure` (or
/// `flakyError`) in a case that passed at last, `rerunFailure` (or
/// `rerunError`) beside the `failure` of one that never did.
fn scenario_case(result: &ScenarioResult) -> TestCase {
    if let Some(invalid) = &result.invalid {
        return invalid_case(result, invalid);
    }
    let mut status = attempt_status(result);
    status.add_reruns(result.earlier_attempts.iter().map(|attempt| rerun_of(attempt)));
    let mut case = TestCase::new(result.name.as_str(), status);
    case.set_classname(classname(&result.file));
    case.set_time(result.duration);
    case.set_system_out(listing(result));
    case
}

/// Returns how one attempt of a scenario ended, as JUnit says it.
fn attempt_status(result: &ScenarioResult) -> TestCaseStatus {
    let problems = problems_of(&result.steps);
    match result.status {
        Status::Passed => TestCaseStatus::success(),
        Status::Skipped => {
            let mut status = TestCaseStatus::skipped();
            let reason = result
                .skip_reason
                .as_deref()
                .or_else(|| result.steps.iter().find_map(|s| s.skip_reason.as_deref()));
            if let Some(reason) = reason {
                status.set_message(reason);
            }
            status
        }
        Status::Failed => non_success(NonSuccessKind::Failure, &problems, |p| p.kind == "assertion"),
        Status::Errored => non_success(NonSuccessKind::Error, &problems, |p| p.is_error),
    }
}

/// Describes an earlier, failed attempt the way a failure is described,
/// without `time`, which junit-10.xsd has not there (its listing's headline
/// says how long it took).
fn rerun_of(attempt: &ScenarioResult) -> TestRerun {
    let kind = if attempt.status == Status::Errored {
        NonSuccessKind::Error
    } else {
        NonSuccessKind::Failure
    };
    let mut rerun = TestRerun::new(kind);
    if let TestCaseStatus::NonSuccess {
        message,
        ty,
        description,
        ..
    } = attempt_status(attempt)
    {
        rerun.message = message;
        rerun.ty = ty;
        rerun.description = description;
    }
    rerun.set_system_out(listing(attempt));
    rerun
}

/// Returns the console's listing of every step of one attempt, without colour.
fn listing(result: &ScenarioResult) -> String {
    let mut detail = String::new();
    render::render_scenario(
        &mut detail,
        result,
        Styles::new(false),
        Detail {
            verbose: 1,
            curl: true,
            // Each earlier attempt has an element of its own.
            earlier_attempts: false,
        },
    );
    detail
}

/// Builds the test case of a file that could not run because it is invalid:
/// an error whose message is its first problem, every problem in its text
/// and `system-out`, as pytest reports a file it could not collect.
fn invalid_case(result: &ScenarioResult, invalid: &InvalidFile) -> TestCase {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_message(clean(&invalid.message))
        .set_type("invalid")
        .set_description(clean(&invalid.details));
    let mut case = TestCase::new(result.name.as_str(), status);
    case.set_classname(classname(&result.file));
    case.set_time(result.duration);
    case.set_system_out(clean(&invalid.details));
    case
}

/// Builds a test case for a scenario that started and never finished.
fn unfinished_case(name: &str, file: &Path) -> TestCase {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_message("the run stopped before this scenario finished")
        .set_type("incomplete");
    let mut case = TestCase::new(name, status);
    case.set_classname(classname(file));
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
        let events = fixtures::run_of(fixtures::mixed_results());
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
        assert!(xml.contains(r#"<testcase name="First scenario" classname="scenarios/first">"#));
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
            written.contains(r#"<testsuites name="scenario" tests="2" failures="0" errors="0""#),
            "no `skipped` on the report, which junit-10.xsd has not: {written}"
        );
        assert!(
            written.contains(
                r#"<testsuite name="scenarios/logout.yaml" tests="1" skipped="0" errors="0" failures="0" time="0.043" file="scenarios/logout.yaml">"#
            ),
            "{written}"
        );
    }

    #[test]
    fn each_file_is_a_suite_stamped_with_the_run_start_and_host() {
        let mut events = fixtures::run_of(vec![
            fixtures::passed("One", "v1.2/a.yaml"),
            fixtures::passed("Two", "b.yaml"),
            fixtures::passed("Three", "v1.2/a.yaml"),
        ]);
        let Event::RunStarted { context, .. } = &mut events[0] else {
            panic!("a run starts with RunStarted")
        };
        context.started_at = Some(time::macros::datetime!(2026-12-03 09:30:00.5 +01:00));
        context.hostname = Some("ci-7".to_owned());
        let xml = xml_of(&events);
        assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
        assert!(
            xml.contains(r#"file="scenarios/v1.2/a.yaml" timestamp="2026-12-03T08:30:00Z" hostname="ci-7">"#),
            "{xml}"
        );
        assert_eq!(xml.matches(r#"classname="scenarios/v1_2/a""#).count(), 2, "{xml}");
        assert!(xml.find("Three").unwrap() < xml.find("Two").unwrap(), "{xml}");
    }

    #[test]
    fn only_the_report_loses_its_skipped_count() {
        let xml = r#"<testsuites name="s" tests="1" skipped="0" failures="0"><testsuite skipped="0">"#;
        assert_eq!(
            without_report_skipped(xml.to_owned()),
            r#"<testsuites name="s" tests="1" failures="0"><testsuite skipped="0">"#
        );
        let none = r#"<testsuites name="s"><testsuite skipped="1">"#;
        assert_eq!(without_report_skipped(none.to_owned()), none);
    }

    #[test]
    fn retried_scenarios_keep_their_earlier_attempts_as_nextest_writes_them() {
        let flaky = xml_of(&fixtures::run_of(vec![fixtures::retried(true)]));
        assert!(flaky.contains("<flakyFailure"), "{flaky}");
        assert!(flaky.contains("<flakyError"), "{flaky}");
        assert!(!flaky.contains("<failure"), "a flaky case passes: {flaky}");
        assert!(flaky.contains(r#"failures="0""#), "{flaky}");
        assert!(
            flaky.contains(
                r#"message="Unlock the token with the authenticator code: status equals: expected 200, actual 401" type="assertion""#
            ),
            "{flaky}"
        );
        let failed = xml_of(&fixtures::run_of(vec![fixtures::retried(false)]));
        assert_eq!(failed.matches("<failure").count(), 1, "{failed}");
        assert!(
            failed.contains("<rerunFailure") && failed.contains("<rerunError"),
            "{failed}"
        );
        assert!(!failed.contains("flaky"), "{failed}");
        // Each attempt carries its own listing, as a failure does.
        assert_eq!(failed.matches("<system-out>").count(), 3, "{failed}");
    }

    #[test]
    fn scenarios_never_started_are_skipped_with_why() {
        let never = ScenarioResult::not_started(
            "Later".to_owned(),
            "scenarios/later.yaml".into(),
            Vec::new(),
            "not started: --fail-fast after `Login` failed".to_owned(),
        );
        let xml = xml_of(&fixtures::run_of(vec![never]));
        assert!(
            xml.contains(r#"<skipped message="not started: --fail-fast after `Login` failed"/>"#),
            "{xml}"
        );
    }

    #[test]
    fn an_invalid_file_is_an_error_named_after_it() {
        let invalid = ScenarioResult {
            name: "scenarios/broken.yaml".to_owned(),
            file: "scenarios/broken.yaml".into(),
            status: Status::Errored,
            invalid: Some(InvalidFile {
                message: "scenarios/broken.yaml:3:5: error: unknown key `methd`".to_owned(),
                details: "error: unknown key `methd`\n --> scenarios/broken.yaml:3:5".to_owned(),
            }),
            ..ScenarioResult::default()
        };
        let xml = xml_of(&fixtures::run_of(vec![invalid]));
        assert!(
            xml.contains(r#"<testcase name="scenarios/broken.yaml" classname="scenarios/broken""#),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<error message="scenarios/broken.yaml:3:5: error: unknown key `methd`" type="invalid">"#
            ),
            "{xml}"
        );
        assert!(xml.contains("<system-out>error: unknown key `methd`"), "{xml}");
    }

    #[test]
    fn hostile_text_is_stripped_from_xml() {
        let xml = xml_of(&fixtures::run_of(vec![fixtures::hostile_body()]));
        assert!(!xml.contains('\u{1b}'));
        assert!(xml.contains("you have been pwned"));
    }
}

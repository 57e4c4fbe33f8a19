//! Owns GitHub Actions annotations: the `::error` / `::warning` workflow
//! commands that put a run's problems on the lines of the scenario files
//! (in the pull request's diff and the job summary).
//!
//! One `::error` per problem of a scenario that failed or errored, at the
//! expectation or step it is written at, titled with the scenario's id; one
//! `::warning` per flaky scenario; an invalid file's first diagnostic at
//! its line.
//!
//! Must not write anything: it returns text, and the console (or, for
//! invalid files, the run) writes it among its own output.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::clean;
use super::problems::problems_of;
use crate::engine::{ScenarioResult, Status};
use crate::model::SourceLocation;

/// Returns the workflow commands for one finished scenario, one per line
/// (empty when it passed at once or was skipped).
#[must_use]
pub fn github_annotations(result: &ScenarioResult) -> String {
    let file = result.file.display().to_string();
    // An invalid file's case is named after the file already.
    let title = if result.name == file {
        file.clone()
    } else {
        format!("{} ({file})", result.name)
    };
    let mut out = String::new();
    if let Some(invalid) = &result.invalid {
        let (file, line, column, message) = located(&clean(&invalid.message), &file);
        command(&mut out, "error", &file, line, column, &title, &message);
        return out;
    }
    match result.status {
        Status::Failed | Status::Errored => {
            for problem in problems_of(&result.steps) {
                let SourceLocation { file, line, column } = &problem.location;
                command(
                    &mut out,
                    "error",
                    &file.display().to_string(),
                    *line,
                    *column,
                    &title,
                    &problem.detail,
                );
            }
        }
        Status::Passed if result.is_flaky() => {
            let attempts = result.attempts();
            let message = format!(
                "flaky: passed on attempt {attempts}, after {} failed (--retries)",
                attempts - 1
            );
            command(&mut out, "warning", &file, 0, 0, &title, &message);
        }
        Status::Passed | Status::Skipped => {}
    }
    out
}

/// Splits an invalid file's message, `FILE:LINE:COL: text`, into its parts;
/// a message without a location points at the file.
fn located(message: &str, file: &str) -> (String, u64, u64, String) {
    static AT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?s)(.+?):(\d+):(\d+): (.*)$").expect("a valid pattern"));
    match AT.captures(message) {
        Some(found) => (
            found[1].to_owned(),
            found[2].parse().unwrap_or(0),
            found[3].parse().unwrap_or(0),
            found[4].to_owned(),
        ),
        None => (file.to_owned(), 0, 0, message.to_owned()),
    }
}

/// Appends one workflow command; a line or column of 0 (unknown) is left out.
fn command(out: &mut String, level: &str, file: &str, line: u64, column: u64, title: &str, message: &str) {
    out.push_str("::");
    out.push_str(level);
    out.push_str(" file=");
    out.push_str(&property(file));
    if line > 0 {
        out.push_str(&format!(",line={line}"));
        if column > 0 {
            out.push_str(&format!(",col={column}"));
        }
    }
    out.push_str(",title=");
    out.push_str(&property(title));
    out.push_str("::");
    out.push_str(&data(message));
    out.push('\n');
}

/// Escapes a command's message as the Actions runner reads it back.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value: a message's escapes, plus `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn each_failed_expectation_is_an_error_at_its_line() {
        let text = github_annotations(&fixtures::failed_assertion());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0].starts_with(
                "::error file=scenarios/mfa-totp.yaml,line=20,col=15,title=Login with MFA (authenticator app) (scenarios/mfa-totp.yaml)::step \"Unlock"
            ),
            "{text}"
        );
        assert!(
            lines[0].contains("%0A  expected: 200%0A  actual:   401"),
            "{text}"
        );
        assert!(lines[1].contains("line=22,col=9"), "{text}");
    }

    #[test]
    fn passed_and_skipped_scenarios_say_nothing_and_flaky_ones_warn() {
        assert_eq!(github_annotations(&fixtures::passed("A", "a.yaml")), "");
        assert_eq!(github_annotations(&fixtures::skipped_scenario()), "");
        let flaky = github_annotations(&fixtures::retried(true));
        assert!(
            flaky.starts_with("::warning file=scenarios/unlock.yaml,title="),
            "{flaky}"
        );
        assert!(
            flaky.contains("::flaky: passed on attempt 3, after 2 failed (--retries)"),
            "{flaky}"
        );
    }

    #[test]
    fn an_invalid_file_points_at_its_first_diagnostic() {
        assert_eq!(
            located("scenarios/a.yaml:3:5: error: unknown key `gett`", "x"),
            (
                "scenarios/a.yaml".to_owned(),
                3,
                5,
                "error: unknown key `gett`".to_owned()
            )
        );
        assert_eq!(
            located("no place", "b.yaml"),
            ("b.yaml".to_owned(), 0, 0, "no place".to_owned())
        );
    }

    #[test]
    fn values_are_escaped_as_the_runner_reads_them() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}

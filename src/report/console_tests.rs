//! Tests the console reporter with canned events; its snapshots live in
//! `snapshots/` beside this file.
//!
//! Test-only. Must not hold anything the reporter itself uses.

use std::sync::{Arc, Mutex};

use super::*;
use crate::report::fixtures;

/// Collects what the reporter writes, readable after the reporter is gone.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

fn run(events: &[Event], options: ConsoleOptions) -> String {
    let captured = Captured::default();
    let mut reporter = ConsoleReporter::new(Box::new(captured.clone()), options);
    fixtures::feed(&mut reporter, events);
    reporter.finish().unwrap();
    captured.text()
}

fn plain() -> ConsoleOptions {
    ConsoleOptions::default()
}

#[test]
fn all_passed() {
    let out = run(&fixtures::all_passed(), plain());
    insta::assert_snapshot!(out);
}

#[test]
fn the_header_names_the_configuration_environment_and_mock() {
    let mut events = fixtures::all_passed();
    let Event::RunStarted { context, .. } = &mut events[0] else {
        panic!("a run starts with RunStarted")
    };
    *context = RunContext {
        config: Some("../scenario.yaml".into()),
        environment: Some("local".to_owned()),
        served_by: Some("the built-in mock, switches invalid_token=status-401".to_owned()),
        ..RunContext::default()
    };
    let out = run(&events, plain());
    let mut lines = out.lines();
    assert!(lines.next().unwrap().starts_with("Running "), "{out}");
    assert_eq!(
        lines.next().unwrap(),
        "Using ../scenario.yaml, environment `local`: the built-in mock, switches invalid_token=status-401"
    );
    assert_eq!(lines.next().unwrap(), "", "a blank line before the scenarios");
    let no_env = RunContext {
        config: Some("scenario.yaml".into()),
        ..RunContext::default()
    };
    assert_eq!(
        context_line(&no_env).unwrap(),
        "Using scenario.yaml, no environment"
    );
    assert_eq!(context_line(&RunContext::default()), None);
}

#[test]
fn failed_assertion() {
    let out = run(&fixtures::run_of(vec![fixtures::failed_assertion()]), plain());
    insta::assert_snapshot!(out);
}

#[test]
fn errored_step_transport() {
    let out = run(&fixtures::run_of(vec![fixtures::transport_error()]), plain());
    insta::assert_snapshot!(out);
}

#[test]
fn snapshot_mismatch_with_diff() {
    let out = run(&fixtures::run_of(vec![fixtures::snapshot_mismatch()]), plain());
    insta::assert_snapshot!(out);
}

#[test]
fn finally_step_after_a_failure() {
    let out = run(&fixtures::run_of(vec![fixtures::failure_then_finally()]), plain());
    insta::assert_snapshot!(out);
}

/// Returns a passing run with a lock wait and a TOTP wait among its events.
fn run_with_waits() -> Vec<Event> {
    let mut events = fixtures::run_of(vec![fixtures::passed("Login with password", "login.yaml")]);
    events.insert(
        1,
        Event::ScenarioWaiting {
            index: 0,
            name: "Login with password".into(),
            locks: vec!["qa@example.com".into()],
            behind: vec!["Session status".into()],
        },
    );
    events.insert(
        2,
        Event::StepWaiting {
            index: 0,
            scenario: "Login with password".into(),
            step: "Unlock".into(),
            wait: std::time::Duration::from_secs(17),
            reason: "waiting 17s for the next TOTP window (10:00:30 UTC): an earlier run already used \
                     the current window's TOTP code"
                .into(),
        },
    );
    events
}

#[test]
fn a_totp_wait_always_shows_and_a_lock_wait_only_in_verbose_mode() {
    let quiet = run(&run_with_waits(), plain());
    assert!(
        quiet.contains("Login with password / Unlock is waiting 17s for the next TOTP window"),
        "{quiet}"
    );
    assert!(!quiet.contains("waits for lock"), "{quiet}");
    let verbose = run(
        &run_with_waits(),
        ConsoleOptions {
            verbose: 1,
            ..plain()
        },
    );
    assert!(
        verbose.contains(r#"Login with password waits for lock qa@example.com (taken by "Session status")"#),
        "{verbose}"
    );
}

#[test]
fn verbose_lists_every_step() {
    let events = fixtures::run_of(vec![fixtures::passed("Login with password", "login.yaml")]);
    let out = run(
        &events,
        ConsoleOptions {
            verbose: 1,
            ..plain()
        },
    );
    insta::assert_snapshot!(out);
}

/// Returns the console of a passed and a failed scenario at `verbose`.
fn pass_and_failure_at(verbose: u8) -> String {
    let events = fixtures::run_of(vec![
        fixtures::passed("Login with password", "login.yaml"),
        fixtures::failed_assertion(),
    ]);
    run(&events, ConsoleOptions { verbose, ..plain() })
}

#[test]
fn very_verbose_shows_full_exchanges() {
    insta::assert_snapshot!(pass_and_failure_at(3));
}

#[test]
fn vv_shows_the_full_exchanges_of_failed_steps_only() {
    let out = pass_and_failure_at(2);
    insta::assert_snapshot!(out);
    let passed = &out[..out.find("Login with MFA").unwrap()];
    assert!(
        passed.contains("POST") && !passed.contains("> content-type"),
        "{passed}"
    );
    let failed = &out[out.find("Unlock the token").unwrap()..];
    assert!(failed.contains("> content-type: application/json"), "{failed}");
    assert!(failed.contains("< content-type: application/json"), "{failed}");
}

#[test]
fn interleaved_scenarios_print_in_index_order() {
    let out = run(&fixtures::interleaved(), plain());
    insta::assert_snapshot!(out);
    let first = out.find("First scenario").unwrap();
    let second = out.find("Second scenario").unwrap();
    let third = out.find("Third scenario").unwrap();
    assert!(first < second && second < third);
}

#[test]
fn prints_a_scenario_as_soon_as_its_predecessors_finished() {
    let captured = Captured::default();
    let mut reporter = ConsoleReporter::new(Box::new(captured.clone()), plain());
    let events = fixtures::interleaved();
    // Events up to and including the second scenario's finish (index 1),
    // while scenario 0 is still running: nothing of either may be printed.
    let second_finished = events
        .iter()
        .position(|e| matches!(e, Event::ScenarioFinished { index: 1, .. }))
        .unwrap();
    fixtures::feed(&mut reporter, &events[..=second_finished]);
    assert!(!captured.text().contains("Second scenario"));
    let first_finished = events
        .iter()
        .position(|e| matches!(e, Event::ScenarioFinished { index: 0, .. }))
        .unwrap();
    fixtures::feed(&mut reporter, &events[second_finished + 1..=first_finished]);
    let text = captured.text();
    assert!(text.contains("First scenario") && text.contains("Second scenario"));
    assert!(reporter.ready.is_empty(), "printed blocks are dropped");
}

#[test]
fn interrupted_run_shows_unfinished_scenarios() {
    let out = run(&fixtures::interrupted(), plain());
    insta::assert_snapshot!(out);
}

#[test]
fn hostile_bodies_cannot_reach_the_terminal() {
    let out = run(&fixtures::run_of(vec![fixtures::hostile_body()]), plain());
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(!out.contains('\r'));
    assert!(!out.contains('\u{7}'));
    assert!(out.contains("you have been pwned"));
}

#[test]
fn colour_marks_status_and_diff_lines() {
    let out = run(
        &fixtures::run_of(vec![fixtures::snapshot_mismatch()]),
        ConsoleOptions {
            color: true,
            ..plain()
        },
    );
    assert!(out.contains(&console::style("FAIL ").red().force_styling(true).to_string()));
    assert!(
        out.contains(
            &console::style("+  \"isUnlocked\": false,")
                .green()
                .force_styling(true)
                .to_string()
        )
    );
    let stripped = console::strip_ansi_codes(&out);
    let plain_out = run(&fixtures::run_of(vec![fixtures::snapshot_mismatch()]), plain());
    assert_eq!(stripped, plain_out);
}

#[test]
fn curl_lines_can_be_turned_off() {
    let events = fixtures::run_of(vec![fixtures::failed_assertion()]);
    assert!(run(&events, plain()).contains("replay (set $SECRET_TOKEN, $SECRET_TOTP_CODE first): curl"));
    let out = run(
        &events,
        ConsoleOptions {
            curl: false,
            ..plain()
        },
    );
    assert!(!out.contains("curl"));
}

#[test]
fn summary_line_stands_alone_at_the_end() {
    let out = run(&fixtures::run_of(vec![fixtures::failed_assertion()]), plain());
    let last = out.lines().last().unwrap();
    assert_eq!(last, "0 passed, 1 failed, 0 errored (1 scenario) in 1.50s");
}

#[test]
fn a_flaky_scenario_is_marked_with_why_its_attempts_failed() {
    let out = run(
        &fixtures::run_of(vec![fixtures::retried(true), fixtures::retried(false)]),
        plain(),
    );
    insta::assert_snapshot!(out);
}

#[test]
fn a_discarded_attempt_shows_only_as_a_retry_in_verbose_mode() {
    let mut events = fixtures::run_of(vec![fixtures::retried(true)]);
    // The first attempt's steps, then its end as a retry, before the final attempt.
    let first = Arc::clone(&fixtures::retried(true).earlier_attempts[0]);
    let mut discarded: Vec<Event> = first
        .steps
        .iter()
        .map(|step| Event::StepFinished {
            index: 0,
            step: Arc::clone(step),
        })
        .collect();
    discarded.push(Event::ScenarioRetrying {
        index: 0,
        attempt: 1,
        limit: 3,
        result: first,
    });
    events.splice(2..2, discarded);
    let quiet = run(&events, plain());
    assert!(!quiet.contains("running it again"), "{quiet}");
    assert_eq!(quiet.matches("Unlock the token").count(), 1, "{quiet}");
    let verbose = run(
        &events,
        ConsoleOptions {
            verbose: 1,
            ..plain()
        },
    );
    assert!(
        verbose.contains("Log in, unlock and search failed on attempt 1 of 3; running it again"),
        "{verbose}"
    );
}

#[test]
fn an_interrupted_retry_shows_only_the_attempt_that_was_running() {
    let first = Arc::clone(&fixtures::retried(true).earlier_attempts[0]);
    let mut events = fixtures::run_of(vec![fixtures::retried(true)]);
    events.truncate(2);
    events.extend(first.steps.iter().map(|step| Event::StepFinished {
        index: 0,
        step: Arc::clone(step),
    }));
    events.push(Event::ScenarioRetrying {
        index: 0,
        attempt: 1,
        limit: 2,
        result: first,
    });
    let out = run(&events, plain());
    assert!(out.contains("(did not finish)"), "{out}");
    assert!(
        !out.contains("Unlock the token"),
        "the discarded attempt's steps: {out}"
    );
}

#[test]
fn with_the_live_line_scenarios_print_as_they_finish() {
    // The line itself goes to stderr, which is no terminal here: hidden.
    let out = run(
        &fixtures::interleaved(),
        ConsoleOptions {
            live: true,
            ..plain()
        },
    );
    insta::assert_snapshot!(out);
    // The fixture finishes the second scenario first, then the third, then the first.
    let at = |name: &str| out.find(name).unwrap();
    assert!(at("Second scenario") < at("Third scenario") && at("Third scenario") < at("First scenario"));
    assert!(
        !out.contains('\r') && !out.contains('\u{1b}'),
        "no drawing in the output: {out:?}"
    );
}

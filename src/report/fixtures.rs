//! Builds synthetic events and results for the reporters' tests: canned runs
//! that cover passing, failing, erroring, snapshots, `finally` and interleaving.
//!
//! Must not be used outside tests, nor build anything an engine run could not
//! produce.
//!
//! Long file: one catalogue of canned runs, so that every reporter (console,
//! JUnit, JSON, TAP, HTML, annotations) is tested on the very same results.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::engine::{
    AssertionResult, Event, Phase, RequestRecord, ResponseRecord, RunSummary, ScenarioResult, SnapshotReport,
    SnapshotStatus, Status, StepError, StepResult,
};
use crate::model::SourceLocation;
use crate::report::Reporter;

const BASE: &str = "http://127.0.0.1:4000/api/v1";

pub(crate) fn loc(file: &str, line: u64, column: u64) -> SourceLocation {
    SourceLocation {
        file: Arc::new(PathBuf::from(file)),
        line,
        column,
    }
}

fn step(name: &str, file: &str, line: u64, phase: Phase, status: Status) -> StepResult {
    let mut step = StepResult::new(name.to_owned(), loc(file, line, 5), phase);
    step.status = status;
    if status != Status::Skipped {
        step.attempts = 1;
        step.duration = Duration::from_millis(12 + line);
    }
    step
}

fn skipped(name: &str, file: &str, line: u64, phase: Phase, reason: &str) -> StepResult {
    let mut step = step(name, file, line, phase, Status::Skipped);
    step.skip_reason = Some(reason.to_owned());
    step
}

/// Records a request and its response on `step`, with a replaying curl line.
fn exchange(
    step: &mut StepResult,
    method: &str,
    path: &str,
    request_body: Option<&str>,
    status: u16,
    body: &str,
) {
    let url = format!("{BASE}{path}");
    let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
    if request_body.is_some() {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    let data = request_body
        .map(|b| format!(" -H 'content-type: application/json' --data-raw '{b}'"))
        .unwrap_or_default();
    // As the engine stores it: secrets read from shell variables.
    step.curl = Some(crate::secret::replayable(&format!(
        "curl -X {method} '{url}'{data}"
    )));
    step.request = Some(RequestRecord {
        method: method.to_owned(),
        url,
        headers,
        body: request_body.map(str::to_owned),
    });
    step.response = Some(ResponseRecord {
        status,
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: body.to_owned(),
        body_truncated: false,
        ..ResponseRecord::default()
    });
}

fn assertion(
    subject: &str,
    predicate: &str,
    expected: &str,
    actual: &str,
    at: SourceLocation,
) -> AssertionResult {
    AssertionResult {
        subject: subject.to_owned(),
        predicate: predicate.to_owned(),
        expected: expected.to_owned(),
        actual: actual.to_owned(),
        passed: expected == actual,
        message: None,
        location: at,
        chain: Vec::new(),
        // A failure keeps the sides that are JSON values, as the engine does.
        expected_value: serde_json::from_str(expected).ok().filter(|_| expected != actual),
        actual_value: serde_json::from_str(actual).ok().filter(|_| expected != actual),
    }
}

/// Builds a scenario whose status is its worst step's, as the engine does.
pub(crate) fn scenario(name: &str, file: &str, tags: &[&str], steps: Vec<StepResult>) -> ScenarioResult {
    let status = steps
        .iter()
        .map(|s| s.status)
        .filter(|s| *s != Status::Skipped)
        .max()
        .unwrap_or(Status::Passed);
    let duration = steps.iter().map(|s| s.duration).sum::<Duration>() + Duration::from_millis(3);
    ScenarioResult {
        name: name.to_owned(),
        file: PathBuf::from(file),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        status,
        steps: steps.into_iter().map(Arc::new).collect(),
        duration,
        ..ScenarioResult::default()
    }
}

fn summary_of(results: &[&ScenarioResult]) -> RunSummary {
    let count = |status| results.iter().filter(|r| r.status == status).count();
    RunSummary {
        total: results.len(),
        passed: count(Status::Passed),
        failed: count(Status::Failed),
        errored: count(Status::Errored),
        flaky: results.iter().filter(|r| r.is_flaky()).count(),
        duration: Duration::from_millis(1500),
        interrupted: false,
    }
}

/// Returns one scenario of each outcome: passed, failed, errored, snapshot, skipped.
pub(crate) fn mixed_results() -> Vec<ScenarioResult> {
    vec![
        passed("Login with password", "login.yaml"),
        failed_assertion(),
        transport_error(),
        snapshot_mismatch(),
        skipped_scenario(),
    ]
}

/// Returns the events of a run where `results` ran one after the other.
pub(crate) fn run_of(results: Vec<ScenarioResult>) -> Vec<Event> {
    let mut events = vec![Event::RunStarted {
        target: BASE.to_owned(),
        scenarios: results.len(),
        context: crate::engine::RunContext::default(),
    }];
    for (index, result) in results.iter().enumerate() {
        events.push(Event::ScenarioStarted {
            index,
            name: result.name.clone(),
            file: result.file.clone(),
        });
        for step in &result.steps {
            events.push(Event::StepFinished {
                index,
                step: Arc::clone(step),
            });
        }
        events.push(Event::ScenarioFinished {
            index,
            result: Arc::new(result.clone()),
        });
    }
    events.push(Event::RunFinished {
        summary: summary_of(&results.iter().collect::<Vec<_>>()),
    });
    events
}

/// Returns a passed password login of `user` that answers a token, locked
/// unless `unlocked`.
fn login_step(name: &str, file: &str, line: u64, user: &str, unlocked: bool) -> StepResult {
    let mut login = step(name, file, line, Phase::Steps, Status::Passed);
    exchange(
        &mut login,
        "POST",
        "/login",
        Some(&format!(r#"{{"name":"{user}","password":"[secret:password]"}}"#)),
        200,
        &format!(r#"{{"token":"[secret:token]","isUnlocked":{unlocked}}}"#),
    );
    login
}

/// Returns a failed unlock of the locked token with the `factor` code the
/// scenario holds as the secret `{factor}_code`, answered `status` and `body`.
fn unlock_step(name: &str, file: &str, line: u64, factor: &str, status: u16, body: &str) -> StepResult {
    let mut unlock = step(name, file, line, Phase::Steps, Status::Failed);
    exchange(
        &mut unlock,
        "POST",
        "/login/unlock?token=[secret:token]",
        Some(&format!(
            r#"{{"factors":[{{"factor":"{factor}","password":"[secret:{factor}_code]"}}]}}"#
        )),
        status,
        body,
    );
    unlock
}

/// Hands every event to `reporter`, in order.
pub(crate) fn feed(reporter: &mut (impl Reporter + ?Sized), events: &[Event]) {
    for event in events {
        reporter.on_event(event).unwrap();
    }
}

/// Returns a passing scenario: a reused login flow, then a logout.
pub(crate) fn passed(name: &str, file: &str) -> ScenarioResult {
    let file = &format!("scenarios/{file}");
    let flow = "scenarios/flows/password-login.yaml";
    let mut login = login_step("POST /login", flow, 4, "alice@example.com", true);
    login.captures = vec![("token".to_owned(), "[secret:token]".to_owned())];
    login.assertions = vec![assertion("status", "equals", "200", "200", loc(flow, 9, 15))];
    let mut used = step(
        "use flows/password-login.yaml",
        file,
        6,
        Phase::Steps,
        Status::Passed,
    );
    used.children = vec![login];
    let mut logout = step("Log out", file, 10, Phase::Steps, Status::Passed);
    exchange(&mut logout, "GET", "/logout?token=[secret:token]", None, 200, "");
    logout.assertions = vec![assertion("status", "equals", "200", "200", loc(file, 13, 15))];
    scenario(name, file, &["smoke"], vec![used, logout])
}

/// Returns two passing scenarios.
pub(crate) fn all_passed() -> Vec<Event> {
    run_of(vec![
        passed("Login with password", "login.yaml"),
        passed("Log out twice", "logout.yaml"),
    ])
}

/// Returns a scenario whose unlock step fails two expectations; the step
/// after it is skipped.
pub(crate) fn failed_assertion() -> ScenarioResult {
    let file = "scenarios/mfa-totp.yaml";
    let login = login_step("Log in with password", file, 8, "bob@example.com", false);
    let mut unlock = unlock_step(
        "Unlock the token with the authenticator code",
        file,
        14,
        "totp",
        401,
        "{\n  \"status\": 401,\n  \"type\": \"AUTHENTICATION\",\n  \"message\": \"Invalid authentication code\",\n  \"requestId\": \"req-7\"\n}",
    );
    let mut missing = assertion(
        "body $.isUnlocked",
        "equals",
        "true",
        "(nothing)",
        loc(file, 22, 9),
    );
    missing.message = Some("no value at $.isUnlocked".to_owned());
    unlock.assertions = vec![
        assertion("status", "equals", "200", "401", loc(file, 20, 15)),
        assertion(
            "header content-type",
            "contains",
            "json",
            "json",
            loc(file, 21, 9),
        ),
        missing,
    ];
    let search = skipped(
        "Search documents",
        file,
        30,
        Phase::Steps,
        "an earlier step failed",
    );
    scenario(
        "Login with MFA (authenticator app)",
        file,
        &["mfa", "totp"],
        vec![login, unlock, search],
    )
}

/// Returns a scenario whose search step could not reach the server.
pub(crate) fn transport_error() -> ScenarioResult {
    let file = "scenarios/search.yaml";
    let mut search = step("Search documents", file, 12, Phase::Steps, Status::Errored);
    search.attempts = 3;
    let url = format!("{BASE}/search?token=[secret:token]");
    search.request = Some(RequestRecord {
        method: "POST".to_owned(),
        url: url.clone(),
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: Some(r#"{"from":0,"size":10}"#.to_owned()),
    });
    search.curl = Some(format!(
        "curl -X POST '{url}' --data-raw '{{\"from\":0,\"size\":10}}'"
    ));
    search.error = Some(StepError {
        kind: "transport",
        message: format!(
            "could not connect to {BASE}/search: connection refused\nis the target running? check --target or --env"
        ),
        location: Some(loc(file, 12, 5)),
    });
    let mut logout = step("Log out", file, 20, Phase::Finally, Status::Errored);
    logout.error = Some(StepError {
        kind: "capture",
        message: "variable `token` is undefined: the step that captures it did not run".to_owned(),
        location: Some(loc(file, 22, 18)),
    });
    scenario("Search with an unlocked token", file, &[], vec![search, logout])
}

/// Returns a scenario whose snapshot no longer matches.
pub(crate) fn snapshot_mismatch() -> ScenarioResult {
    let file = "scenarios/mfa-email.yaml";
    let mut unlock = unlock_step(
        "Unlock with the email code",
        file,
        16,
        "email",
        200,
        r#"{"isUnlocked":false,"token":"[secret:token]"}"#,
    );
    unlock.assertions = vec![assertion("status", "equals", "200", "200", loc(file, 22, 15))];
    unlock.snapshot = Some(SnapshotReport {
        status: SnapshotStatus::Mismatched,
        path: PathBuf::from("snapshots/mfa-email__unlock.snap"),
        pending: Some(PathBuf::from("snapshots/mfa-email__unlock.snap.new")),
        diff: Some(
            "--- old\n+++ new\n@@ -1,4 +1,4 @@\n {\n-  \"isUnlocked\": true,\n+  \"isUnlocked\": false,\n   \"token\": \"[token]\"\n }\n"
                .to_owned(),
        ),
        unwritten: None,
    });
    let mut fresh = step("Search the inbox", file, 30, Phase::Steps, Status::Failed);
    exchange(
        &mut fresh,
        "POST",
        "/search",
        Some(r#"{"from":0}"#),
        200,
        r#"{"results":[]}"#,
    );
    fresh.snapshot = Some(SnapshotReport {
        status: SnapshotStatus::New,
        path: PathBuf::from("snapshots/mfa-email__search.snap"),
        // In CI nothing is written: the report says so and how to accept.
        pending: None,
        diff: None,
        unwritten: Some("CI is set".to_owned()),
    });
    scenario("Login with MFA (email)", file, &["mfa"], vec![unlock, fresh])
}

/// Returns a scenario that fails, skips a step, then runs its `finally` steps.
pub(crate) fn failure_then_finally() -> ScenarioResult {
    let file = "scenarios/recovery.yaml";
    let mut create = step("Log in", file, 7, Phase::Steps, Status::Passed);
    exchange(
        &mut create,
        "POST",
        "/login",
        Some("{}"),
        200,
        r#"{"token":"[secret:token]"}"#,
    );
    let mut recover = step("Recover with a used code", file, 15, Phase::Steps, Status::Failed);
    exchange(
        &mut recover,
        "POST",
        "/login/recovery?token=[secret:token]",
        Some(r#"{"code":"[secret:recovery_code]"}"#),
        400,
        r#"{"status":400,"message":"Recovery code already used"}"#,
    );
    recover.assertions = vec![assertion("status", "equals", "200", "400", loc(file, 19, 15))];
    let search = skipped("Search", file, 25, Phase::Steps, "an earlier step failed");
    let mut logout = step("Log out", file, 33, Phase::Finally, Status::Passed);
    exchange(&mut logout, "GET", "/logout?token=[secret:token]", None, 200, "");
    let cleanup = skipped(
        "Delete the test document",
        file,
        38,
        Phase::Finally,
        "`if` was false: {{ document_id is defined }}",
    );
    scenario(
        "Recover access with a recovery code",
        file,
        &["recovery"],
        vec![create, recover, search, logout, cleanup],
    )
}

/// Returns a run of three scenarios whose events interleave: the second
/// finishes first, then the third, then the first.
pub(crate) fn interleaved() -> Vec<Event> {
    let first = passed("First scenario", "first.yaml");
    let mut second = failure_then_finally();
    second.name = "Second scenario".to_owned();
    let third = passed("Third scenario", "third.yaml");
    let started = |index: usize, result: &ScenarioResult| Event::ScenarioStarted {
        index,
        name: result.name.clone(),
        file: result.file.clone(),
    };
    let step_of = |index: usize, result: &ScenarioResult, n: usize| Event::StepFinished {
        index,
        step: Arc::clone(&result.steps[n]),
    };
    let finished = |index: usize, result: &ScenarioResult| Event::ScenarioFinished {
        index,
        result: Arc::new(result.clone()),
    };
    let mut events = vec![
        Event::RunStarted {
            target: BASE.to_owned(),
            scenarios: 3,
            context: crate::engine::RunContext::default(),
        },
        started(0, &first),
        started(1, &second),
        step_of(1, &second, 0),
        step_of(0, &first, 0),
        started(2, &third),
    ];
    events.extend((1..second.steps.len()).map(|n| step_of(1, &second, n)));
    events.push(step_of(2, &third, 0));
    events.push(finished(1, &second));
    events.push(step_of(2, &third, 1));
    events.push(finished(2, &third));
    events.push(step_of(0, &first, 1));
    events.push(finished(0, &first));
    events.push(Event::RunFinished {
        summary: summary_of(&[&first, &second, &third]),
    });
    events
}

/// Returns the interleaved run stopped before its first scenario finished:
/// no `ScenarioFinished` for index 0 and no `RunFinished`.
pub(crate) fn interrupted() -> Vec<Event> {
    let mut events = interleaved();
    events.retain(|e| {
        !matches!(
            e,
            Event::ScenarioFinished { index: 0, .. } | Event::RunFinished { .. }
        )
    });
    events
}

/// Returns a scenario none of whose steps ran.
pub(crate) fn skipped_scenario() -> ScenarioResult {
    let file = "scenarios/staging.yaml";
    let reason = "`if` was false: {{ env.STAGING is defined }}";
    let mut result = scenario(
        "Only on staging",
        file,
        &["staging"],
        vec![skipped("Log in", file, 6, Phase::Steps, reason)],
    );
    result.status = Status::Skipped;
    result
}

/// Returns a failing scenario whose response tries to drive the terminal.
pub(crate) fn hostile_body() -> ScenarioResult {
    let file = "scenarios/hostile.yaml";
    let mut evil = step("Fetch a hostile page", file, 5, Phase::Steps, Status::Failed);
    exchange(
        &mut evil,
        "GET",
        "/search",
        None,
        500,
        "\u{1b}[2J\u{1b}[31myou have been pwned\r\u{1b}]0;title\u{7}\u{1b}]8;;http://evil\u{1b}\\x\u{1b}]8;;\u{1b}\\",
    );
    if let Some(response) = evil.response.as_mut() {
        response
            .headers
            .push(("x-evil".to_owned(), "\u{1b}[1A\u{1b}[Kerased".to_owned()));
    }
    evil.assertions = vec![assertion(
        "body $.message",
        "equals",
        "ok",
        "\"\u{1b}[32mok\u{1b}[0m\r\"",
        loc(file, 9, 9),
    )];
    scenario("Hostile", file, &[], vec![evil])
}

/// Returns a scenario that failed an expectation once, then errored, then
/// passed on its third attempt (`--retries 2`); `passed_at_last` false
/// makes the last attempt fail too.
pub(crate) fn retried(passed_at_last: bool) -> ScenarioResult {
    let named = |result: ScenarioResult| ScenarioResult {
        name: "Log in, unlock and search".to_owned(),
        file: PathBuf::from("scenarios/unlock.yaml"),
        ..result
    };
    let failed = named(failed_assertion());
    let errored = named(transport_error());
    let last = if passed_at_last {
        named(passed("", ""))
    } else {
        failed.clone()
    };
    ScenarioResult {
        earlier_attempts: vec![Arc::new(failed), Arc::new(errored)],
        ..last
    }
}

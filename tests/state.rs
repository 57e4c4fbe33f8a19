//! Drives the binary against a recording server to prove what outlives a
//! run: a second process in the same TOTP window waits for the next one and
//! says so; a pool hands each value out once across two processes running at
//! once; an empty pool stops the run before anything is sent; refused and
//! unsent values are told apart; `scenario state` shows and resets; and the
//! state folder never holds a secret in clear.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use support::recorder::{Recorder, TOTP_PERIOD, TOTP_SECRET};
use support::{Ran, RunToEnd, scenario};

const CODES: [&str; 4] = ["11110001", "11110002", "11110003", "11110004"];

/// Writes a project whose `sut` environment targets `server`, with a pool
/// `codes` read from `TEST_CODES` and `codes.txt`.
fn project(server: &Recorder, codes: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "default_env: sut\nenvironments:\n  sut:\n    base_url: {}\n    vars: {{ secret: {TOTP_SECRET} }}\n    secrets: [secret]\n    pools:\n      codes: {{ env: TEST_CODES, file: codes.txt }}\n",
        server.api_url
    );
    std::fs::write(dir.path().join("scenario.yaml"), config).unwrap();
    std::fs::write(dir.path().join("codes.txt"), codes.join("\n") + "\n").unwrap();
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir(&scenarios).unwrap();
    std::fs::write(
        scenarios.join("pair.yaml"),
        "name: Use two codes\nvars:\n  first: \"{{ take('codes') }}\"\n  second: \"{{ take('codes') }}\"\nsteps:\n  - name: Use the first code\n    post: /use\n    json: { code: \"{{ first }}\" }\n    expect: { status: 200 }\n  - name: Use the second code\n    post: /use\n    json: { code: \"{{ second }}\" }\n    expect: { status: 200 }\n",
    )
    .unwrap();
    std::fs::write(
        scenarios.join("totp.yaml"),
        format!(
            "name: Unlock with the authenticator code\nsteps:\n  - name: Send the code\n    post: /totp\n    json: {{ code: \"{{{{ totp(secret, period={TOTP_PERIOD}) }}}}\" }}\n    expect: {{ status: 200 }}\n"
        ),
    )
    .unwrap();
    dir
}

/// Runs `scenario` in `dir` with `args`, keeping state in `state`.
fn run_in(dir: &Path, state: &Path, args: &[&str]) -> Ran {
    scenario(dir).args(args).env("SCENARIO_STATE_DIR", state).ran()
}

/// Returns every file below `dir` with its text.
fn files_below(dir: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
            (e.into_path(), text)
        })
        .collect()
}

/// Fails when a file of `dir` holds `secret` or any 8-character window of it.
fn assert_never_in_clear(dir: &Path, secret: &str) {
    let files = files_below(dir);
    assert!(files.iter().any(|(p, _)| p.ends_with("state.json")), "{files:?}");
    let windows: Vec<&str> = (0..=secret.len().saturating_sub(8))
        .map(|i| &secret[i..(i + 8).min(secret.len())])
        .collect();
    for (path, text) in &files {
        for window in &windows {
            assert!(
                !text.contains(window),
                "{} holds `{window}` of a secret",
                path.display()
            );
        }
    }
}

fn unix_now() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap()
}

/// Sleeps until just after the start of the next TOTP window.
fn wait_for_a_fresh_window() {
    let period = Duration::from_secs(TOTP_PERIOD);
    let into = Duration::from_nanos((unix_now().as_nanos() % period.as_nanos()) as u64);
    std::thread::sleep(period - into + Duration::from_millis(50));
}

fn step_now() -> u64 {
    unix_now().as_secs() / TOTP_PERIOD
}

#[test]
fn a_second_process_in_the_same_totp_window_waits_for_the_next_and_says_so() {
    for _attempt in 0..3 {
        let server = Recorder::start();
        let dir = project(&server, &CODES);
        let state = dir.path().join("shared-state");
        wait_for_a_fresh_window();
        let window = step_now();
        let first = run_in(dir.path(), &state, &["run", "scenarios/totp.yaml"]);
        assert_eq!(first.status.code(), Some(0), "{}{}", first.stdout, first.stderr);
        if step_now() != window {
            // This machine was too slow to start the second run in the same window: try again.
            continue;
        }
        let report = dir.path().join("report.json");
        let second = run_in(
            dir.path(),
            &state,
            &[
                "run",
                "scenarios/totp.yaml",
                "--report-json",
                report.to_str().unwrap(),
            ],
        );
        assert_eq!(
            second.status.code(),
            Some(0),
            "{}{}",
            second.stdout,
            second.stderr
        );
        assert!(
            second
                .stdout
                .contains("Unlock with the authenticator code / Send the code is waiting")
                && second.stdout.contains("for the next TOTP window")
                && second
                    .stdout
                    .contains("an earlier run already used the current window's TOTP code"),
            "{}",
            second.stdout
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        let note = json["scenarios"][0]["steps"][0]["notes"][0]
            .as_str()
            .unwrap_or_default();
        assert!(
            note.starts_with("waited ") && note.contains("an earlier run"),
            "{json}"
        );
        let accepted: Vec<u16> = server.seen().iter().map(|s| s.status).collect();
        assert_eq!(
            accepted,
            [200, 200],
            "both codes were accepted: {:?}",
            server.seen()
        );

        // A run that does not share the state replays the window the second run used.
        let unshared = run_in(
            dir.path(),
            &dir.path().join("other-state"),
            &["run", "scenarios/totp.yaml"],
        );
        assert_eq!(unshared.status.code(), Some(1), "{}", unshared.stdout);
        assert_eq!(server.seen().last().map(|s| s.status), Some(401));

        assert_never_in_clear(&state, TOTP_SECRET);
        let shown = run_in(dir.path(), &state, &["state", "show"]);
        assert!(shown.stdout.contains("4-second windows"), "{}", shown.stdout);
        assert!(!shown.stdout.contains(&TOTP_SECRET[..8]), "{}", shown.stdout);
        let reset = run_in(dir.path(), &state, &["state", "reset", "--totp"]);
        assert!(
            reset.stdout.contains("TOTP ledger: forgot 1 entry"),
            "{}",
            reset.stdout
        );
        return;
    }
    panic!("three attempts never started two runs within one {TOTP_PERIOD}-second window");
}

#[test]
fn a_pool_hands_each_value_out_once_across_two_processes_running_at_once() {
    let server = Recorder::start();
    let dir = project(&server, &CODES);
    let state = dir.path().join("state");
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let (dir, state) = (dir.path().to_path_buf(), state.clone());
            std::thread::spawn(move || run_in(&dir, &state, &["run", "scenarios/pair.yaml"]))
        })
        .collect();
    for run in runs {
        let ran = run.join().unwrap();
        assert_eq!(ran.status.code(), Some(0), "{}{}", ran.stdout, ran.stderr);
        for code in CODES {
            assert!(
                !ran.stdout.contains(code),
                "a pool value is secret:\n{}",
                ran.stdout
            );
        }
    }
    let seen = server.seen();
    let mut sent: Vec<&str> = seen.iter().map(|s| s.label.as_str()).collect();
    sent.sort_unstable();
    assert_eq!(sent, CODES, "each value was sent exactly once");
    // One run sends its codes one after the other, so overlapping requests are two runs at once.
    let at_once = seen.iter().any(|a| {
        seen.iter()
            .any(|b| a.label != b.label && a.start < b.end && b.start < a.end)
    });
    assert!(at_once, "the two runs were in flight at once: {seen:?}");

    let shown = run_in(dir.path(), &state, &["state", "show"]);
    assert!(
        shown.stdout.contains(
            "codes: 4 value(s): 4 used, 0 refused by the server, 0 held by a running run, 0 unused"
        ),
        "{}",
        shown.stdout
    );
    assert_never_in_clear(&state, &CODES.concat());
    for code in CODES {
        assert_never_in_clear(&state, code);
    }

    // Every value is used: the next run stops before anything is sent, saying how to refill.
    let empty = run_in(dir.path(), &state, &["run", "scenarios/pair.yaml"]);
    assert_eq!(empty.status.code(), Some(2), "{}", empty.stderr);
    assert!(
        empty
            .stderr
            .contains("pool `codes` is empty: 2 needed, 0 of its 4 value(s) unused: 4 used")
            && empty.stderr.contains("set `TEST_CODES`")
            && empty.stderr.contains("codes.txt")
            && empty.stderr.contains("nothing was sent"),
        "{}",
        empty.stderr
    );
    assert_eq!(server.seen().len(), 4, "nothing more was sent");

    // Fresh values in the variable refill it.
    let refilled = scenario(dir.path())
        .args(["run", "scenarios/pair.yaml"])
        .env("SCENARIO_STATE_DIR", &state)
        .env("TEST_CODES", "22220001, 22220002")
        .ran();
    assert_eq!(
        refilled.status.code(),
        Some(0),
        "{}{}",
        refilled.stdout,
        refilled.stderr
    );
    let reset = run_in(dir.path(), &state, &["state", "reset", "--pool", "codes"]);
    assert!(
        reset
            .stdout
            .contains("pool `codes`: forgot 6 used or refused value(s)"),
        "{}",
        reset.stdout
    );
    let again = run_in(dir.path(), &state, &["run", "scenarios/pair.yaml"]);
    assert_eq!(again.status.code(), Some(0), "{}{}", again.stdout, again.stderr);
}

#[test]
fn an_empty_pool_stops_the_run_before_the_server_sees_anything() {
    let server = Recorder::start();
    let dir = project(&server, &CODES[..1]);
    let output = run_in(dir.path(), &dir.path().join("state"), &["run"]);
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("pool `codes` is empty: 2 needed, 1 of its 1 value(s) unused"),
        "{}",
        output.stderr
    );
    assert!(server.seen().is_empty(), "the server saw {:?}", server.seen());
}

#[test]
fn a_refused_value_stays_out_and_one_never_sent_comes_back() {
    let server = Recorder::start();
    let dir = project(&server, &["90000001", "11110005"]);
    let state = dir.path().join("state");
    let refused = run_in(dir.path(), &state, &["run", "scenarios/pair.yaml"]);
    assert_eq!(refused.status.code(), Some(1), "{}", refused.stdout);
    let shown = run_in(dir.path(), &state, &["state", "show"]);
    assert!(
        shown.stdout.contains(
            "codes: 2 value(s): 0 used, 1 refused by the server, 0 held by a running run, 1 unused"
        ),
        "{}",
        shown.stdout
    );
    std::fs::write(
        dir.path().join("scenarios/pair.yaml"),
        "name: Use one code\nsteps:\n  - post: /use\n    json: { code: \"{{ take('codes') }}\" }\n    expect: { status: 200 }\n",
    )
    .unwrap();
    let next = run_in(dir.path(), &state, &["run", "scenarios/pair.yaml"]);
    assert_eq!(next.status.code(), Some(0), "{}{}", next.stdout, next.stderr);
    let sent: Vec<String> = server.seen().iter().map(|s| s.label.clone()).collect();
    assert_eq!(sent, ["90000001", "11110005"]);
}

#[test]
fn a_take_from_an_undeclared_pool_is_a_located_error() {
    let server = Recorder::start();
    let dir = project(&server, &CODES);
    std::fs::write(
        dir.path().join("scenarios/pair.yaml"),
        "name: Misspelt\nsteps:\n  - post: /use\n    json: { code: \"{{ take('coeds') }}\" }\n",
    )
    .unwrap();
    let check = run_in(dir.path(), &dir.path().join("state"), &["check"]);
    assert_eq!(check.status.code(), Some(2), "{}", check.stderr);
    assert!(
        check.stderr.contains("no environment declares pool `coeds`")
            && check.stderr.contains("did you mean `codes`?"),
        "{}",
        check.stderr
    );
    let run = run_in(
        dir.path(),
        &dir.path().join("state"),
        &["run", "scenarios/pair.yaml"],
    );
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("pair.yaml:3:5: takes from pool `coeds`; did you mean `codes`?"),
        "{}",
        run.stderr
    );
    assert!(server.seen().is_empty());
}

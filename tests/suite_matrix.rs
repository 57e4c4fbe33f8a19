//! Runs the whole shipped suite through the binary against the built-in mock
//! under every combination of the switches for what Circularo's docs leave
//! open, the way a QA engineer would run it against a server that reads the
//! docs differently: the `circularo-sandbox` environment pointed at the mock
//! with `--target`, credentials and e-mail/SMS codes from environment
//! variables (so `mfa_codes: fixed`), scenarios running concurrently and
//! several combinations at once, with nothing to type.
//!
//! Switches that no shipped assertion can tell apart are left out of the
//! product, each for a stated reason, and instead run once per value.
//! No combination is skipped, and every scenario must pass in every one.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use futures::StreamExt;
use scenario::mock::{MockConfig, MockServer, SWITCHES, Seed};
use support::{root, run_blocking, scenario};

/// Switches held at one value: the sandbox environment reads e-mail and SMS
/// codes from variables, so they must be the accounts' fixed codes.
const PINNED: &[(&str, &str)] = &[("mfa_codes", "fixed")];

/// Switches left out of the product, with why: varying them would only
/// repeat identical runs. Each of their values still runs once (with the
/// other switches at their defaults), and each has its own end-to-end check
/// (`tests/mock_switches_run.rs`).
const NOT_VARIED: &[(&str, &str)] = &[
    (
        "mfa_policy",
        "no shipped scenario logs in an account with several factors",
    ),
    ("search_results", "no shipped assertion reads inside a search hit"),
    ("status_token", "every shipped status check passes returnToken"),
];

/// How many combinations run at once (each run also runs its scenarios concurrently).
const AT_ONCE: usize = 4;

/// The environment variables a QA engineer sets for the sandbox, here
/// naming the built-in accounts and their fixed codes.
const SANDBOX_VARIABLES: &[(&str, &str)] = &[
    ("CIRCULARO_USER", "mary.griffin@circularo.com"),
    ("CIRCULARO_PASSWORD", "#32Password1!"),
    ("CIRCULARO_NO_SEARCH_USER", "no.search@circularo.com"),
    ("CIRCULARO_EMAIL_USER", "mfa.email@circularo.com"),
    ("CIRCULARO_SMS_USER", "mfa.sms@circularo.com"),
    ("CIRCULARO_TOTP_USER", "mfa.totp@circularo.com"),
    ("CIRCULARO_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
    ("CIRCULARO_RECOVERY_USER", "mfa.recovery@circularo.com"),
    ("CIRCULARO_RECOVERY_CODES", "40718623, 59302714"),
    ("CIRCULARO_WRONG_CODE_USER", "mfa.wrongcode@circularo.com"),
    ("CIRCULARO_MFA_PASSWORD", "#32Password1!"),
    ("CIRCULARO_EMAIL_CODE", "271008"),
    ("CIRCULARO_SMS_CODE", "510429"),
];

type Combination = Vec<(&'static str, &'static str)>;

/// Returns every combination of the varied switches' values, pinned ones added.
fn combinations() -> Vec<Combination> {
    let mut all: Vec<Combination> = vec![PINNED.to_vec()];
    let pinned_or_left: BTreeSet<&str> = PINNED
        .iter()
        .map(|(k, _)| *k)
        .chain(NOT_VARIED.iter().map(|(k, _)| *k))
        .collect();
    for info in SWITCHES.iter().filter(|s| !pinned_or_left.contains(s.key)) {
        all = all
            .into_iter()
            .flat_map(|combination| {
                info.values.iter().map(move |value| {
                    let mut next = combination.clone();
                    next.push((info.key, *value));
                    next
                })
            })
            .collect();
    }
    all
}

/// Returns one run per value of each switch left out of the product (its
/// default included in [`combinations`]), the pinned switches added.
fn once_each() -> Vec<Combination> {
    NOT_VARIED
        .iter()
        .filter_map(|(key, _)| scenario::mock::switch_info(key))
        .flat_map(|info| {
            info.values[1..].iter().map(move |value| {
                let mut run = PINNED.to_vec();
                run.push((info.key, *value));
                run
            })
        })
        .collect()
}

/// Copies the project (configuration and scenarios) into `dir`, so each run
/// has its own files and any state a run keeps beside them.
fn copy_project(dir: &Path) {
    let source = root();
    std::fs::copy(source.join("scenario.yaml"), dir.join("scenario.yaml")).unwrap();
    for entry in walkdir::WalkDir::new(source.join("scenarios")) {
        let entry = entry.unwrap();
        let target = dir.join(entry.path().strip_prefix(&source).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Holds how one combination went: each scenario file with its status.
struct Outcome {
    combination: Combination,
    statuses: BTreeMap<String, String>,
    stdout: String,
}

/// Starts a mock with `combination`, runs the shipped suite against it from
/// a fresh copy of the project, and reads the JSON report.
async fn run_combination(combination: Combination) -> Outcome {
    let mut config = MockConfig::default();
    for (key, value) in &combination {
        config.set_switch(key, value).unwrap();
    }
    let mock = MockServer::start(support::mock::loopback(), config, Seed::builtin())
        .await
        .expect("the mock starts");
    let dir = tempfile::tempdir().unwrap();
    copy_project(dir.path());
    let report = dir.path().join("report.json");
    let mut command = scenario(dir.path());
    command
        .args(["run", "--env", "circularo-sandbox", "--target", &mock.base_url()])
        .arg("--report-json")
        .arg(&report)
        .envs(SANDBOX_VARIABLES.iter().copied())
        // State a run keeps for later runs stays inside this combination.
        .env("HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"));
    let output = run_blocking(command).await;
    mock.shutdown().await;
    let text = std::fs::read_to_string(&report).unwrap_or_else(|e| {
        panic!(
            "{combination:?}: no report ({e}):\n{}{}",
            output.stdout, output.stderr
        )
    });
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let statuses = json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["file"].as_str().unwrap().to_owned(),
                s["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    Outcome {
        combination,
        statuses,
        stdout: output.stdout,
    }
}

#[test]
fn every_switch_is_varied_pinned_or_left_for_a_stated_reason() {
    let pinned: BTreeSet<&str> = PINNED.iter().map(|(k, _)| *k).collect();
    let left: BTreeSet<&str> = NOT_VARIED.iter().map(|(k, _)| *k).collect();
    let varied: Vec<_> = SWITCHES
        .iter()
        .filter(|s| !pinned.contains(s.key) && !left.contains(s.key))
        .collect();
    assert!(varied.len() >= 7, "{varied:?}");
    let product: usize = varied.iter().map(|s| s.values.len()).product();
    let combinations = combinations();
    assert_eq!(combinations.len(), product, "the full product, nothing dropped");
    let distinct: BTreeSet<&Combination> = combinations.iter().collect();
    assert_eq!(distinct.len(), product);
    for combination in &combinations {
        let keys: BTreeSet<&str> = combination.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys.len() + left.len(), SWITCHES.len(), "{combination:?}");
    }
    let extra: usize = SWITCHES
        .iter()
        .filter(|s| left.contains(s.key))
        .map(|s| s.values.len() - 1)
        .sum();
    assert_eq!(
        once_each().len(),
        extra,
        "every other value of a switch left out runs once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shipped_suite_passes_under_every_combination_of_switches() {
    let started = Instant::now();
    let runs: Vec<Combination> = combinations().into_iter().chain(once_each()).collect();
    let count = runs.len();
    let outcomes: Vec<Outcome> = futures::stream::iter(runs)
        .map(run_combination)
        .buffer_unordered(AT_ONCE)
        .collect()
        .await;
    assert_eq!(outcomes.len(), count);
    let shipped = outcomes[0].statuses.len();
    assert!(shipped >= 11, "the whole suite ran: {:?}", outcomes[0].statuses);
    let mut problems = Vec::new();
    let mut fully_green = 0;
    for outcome in &outcomes {
        assert_eq!(outcome.statuses.len(), shipped, "{:?}", outcome.combination);
        let not_passed: BTreeSet<&str> = outcome
            .statuses
            .iter()
            .filter(|(_, status)| status.as_str() != "passed")
            .map(|(file, _)| file.as_str())
            .collect();
        if not_passed.is_empty() {
            fully_green += 1;
        }
        for file in &not_passed {
            problems.push(format!(
                "{:?}: {file} did not pass\n{}",
                outcome.combination, outcome.stdout
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!(
        "{count} runs x {shipped} scenarios in {:.1?}: {fully_green} fully green",
        started.elapsed()
    );
    assert_eq!(fully_green, count);
}

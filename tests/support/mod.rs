//! Shared test helpers: local HTTP servers on port 0 (one exercising every
//! feature, one recording what it was sent and when, one recording the exact
//! bytes of each request), the Circularo mock (served, or driven through its
//! router), and binary runners whose output comes back as text.

#![allow(dead_code)]

pub mod mixed;
pub mod mock;
pub mod recorder;
pub mod responses;
pub mod router;
pub mod serve;
pub mod server;
pub mod tls;
pub mod tls_h2;
pub mod wire;

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Output};

use assert_cmd::Command;

/// Returns a client builder for a test's own requests, with the crypto
/// provider the runner installs (reqwest is built without one).
pub fn client_builder() -> reqwest::ClientBuilder {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// Runs `script` of tests/consumers (a real consumer of a report, on Node.js)
/// with `args` and returns the JSON it printed; `package` must be installed.
pub fn consumer(script: &str, package: &str, args: &[&Path]) -> serde_json::Value {
    let consumers = root().join("tests/consumers");
    assert!(
        consumers.join("node_modules").join(package).is_dir(),
        "{package} is not installed: run `bash .ci/report-consumers`"
    );
    let output = std::process::Command::new("node")
        .arg(consumers.join(script))
        .args(args)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Returns a plain client for a test's own requests.
pub fn client() -> reqwest::Client {
    client_builder().build().expect("a reqwest client")
}

/// Returns the crate root, where `scenarios/` and `tests/fixtures/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Returns a command for the `scenario` binary, run from `dir`, with a
/// scrubbed environment (no colour, no CI or GitHub Actions flag leaking
/// from the caller) and
/// a state folder of its own under cargo's test scratch space, so no test
/// writes the repository's `.scenario-state` or waits on another test's
/// TOTP codes; tests of the state folder set `SCENARIO_STATE_DIR` themselves.
pub fn scenario(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("scenario").expect("binary is built");
    cmd.current_dir(dir)
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("SCENARIO_STATE_DIR", fresh_state_dir())
        .env("NO_COLOR", "1")
        .arg("--color")
        .arg("never");
    cmd
}

/// Returns a state folder path no other command of this test run uses.
pub fn fresh_state_dir() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("state-{}-{n}", std::process::id()))
}

/// Replaces run-dependent text (ports, durations, temp dirs) with stable markers.
pub fn stable(text: &str) -> String {
    let text = regex::Regex::new(r"127\.0\.0\.1:\d+")
        .unwrap()
        .replace_all(text, "127.0.0.1:[port]");
    let text = regex::Regex::new(r"\b\d+(\.\d+)?(ms|s)\b")
        .unwrap()
        .replace_all(&text, "[duration]");
    text.into_owned()
}

/// Holds how a finished run of a program exited and what it printed, as text.
#[derive(Debug)]
pub struct Ran {
    /// How the program exited.
    pub status: ExitStatus,
    /// Standard output, invalid UTF-8 replaced.
    pub stdout: String,
    /// Standard error, invalid UTF-8 replaced.
    pub stderr: String,
}

impl Ran {
    /// Fails, showing both outputs, unless the program exited with `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.status.code(), Some(code), "{}\n{}", self.stdout, self.stderr);
        self
    }
}

impl From<Output> for Ran {
    fn from(output: Output) -> Self {
        Self {
            status: output.status,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs a command to its end and keeps what it printed as text.
pub trait RunToEnd {
    /// Runs the command, waits for it and returns its exit and output.
    fn ran(&mut self) -> Ran;
}

impl RunToEnd for Command {
    fn ran(&mut self) -> Ran {
        self.output().expect("the binary runs").into()
    }
}

/// Runs `command` on the blocking pool, so a server on this test's runtime
/// keeps answering it, and returns its exit and output.
pub async fn run_blocking(mut command: Command) -> Ran {
    tokio::task::spawn_blocking(move || command.ran())
        .await
        .expect("the runner thread finishes")
}

/// Starts the binary in `dir` with `args` after `--color never`, with the
/// environment [`scenario`] scrubs, its output piped: for tests that
/// interrupt a run while it goes on.
pub fn spawn_scenario(dir: &Path, args: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_scenario"))
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("SCENARIO_STATE_DIR", fresh_state_dir())
        .args(["--color", "never"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// Sends Ctrl-C (SIGINT) to the process `pid`, through `kill` so no unsafe
/// code is needed here.
pub fn interrupt(pid: u32) {
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -INT {pid} failed");
}

/// Returns the names of the entries of `dir`, sorted.
pub fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Reads a JSON report (or any JSON file) that a run wrote.
pub fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Returns each scenario of a JSON report as (id, status), in report order.
pub fn statuses(report: &serde_json::Value) -> Vec<(&str, &str)> {
    report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect()
}

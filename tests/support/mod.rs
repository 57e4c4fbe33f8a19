//! Shared test helpers: a local HTTP server on port 0 and binary runners.

#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Returns the crate root, where `scenarios/` and `tests/fixtures/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Returns a command for the `scenario` binary, run from `dir`, with a
/// scrubbed environment (no colour, no CI flag leaking from the caller).
pub fn scenario(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("scenario").expect("binary is built");
    cmd.current_dir(dir)
        .env_remove("CI")
        .env("NO_COLOR", "1")
        .arg("--color")
        .arg("never");
    cmd
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

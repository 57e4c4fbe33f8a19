//! Owns the plain option structs the binary hands to each command
//! (`RunOptions`, `CheckOptions`, ...) and the choices they carry
//! (`ColorChoice`, `TargetChoice`, `SnapshotCommand`), and the selection
//! `run` and `list` share (`SelectOptions`).
//!
//! Must not parse a command line (the binary's clap layer fills these in),
//! read files or decide anything: these are settings, not behaviour.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::report::ReportFiles;
use crate::snapshot::SnapshotMode;

/// Chooses when output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Tells whether to colour output written to a stream that is (or isn't) a terminal.
    #[must_use]
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

/// Chooses what a run targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetChoice {
    /// The project's default environment, or the built-in mock when there is none.
    Default,
    /// This base URL, with no environment.
    Url(String),
    /// The named environment of `scenario.yaml`.
    Environment(String),
    /// The named environment, with its base URL replaced by this one.
    EnvironmentAt(String, String),
}

/// Holds the settings of `scenario run`.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Files or folders to run; none means the project's `scenarios/`.
    pub paths: Vec<PathBuf>,
    /// What to run against.
    pub target: TargetChoice,
    /// `--var` pairs, in order (later wins).
    pub vars: Vec<(String, String)>,
    /// Vars files, in order (later wins; `--var` wins over all).
    pub vars_files: Vec<PathBuf>,
    /// The project configuration file, when not `./scenario.yaml`.
    pub config: Option<PathBuf>,
    /// Which of the loaded scenarios run.
    pub select: SelectOptions,
    /// Scenarios at once (default: [`crate::engine::default_jobs`]).
    pub jobs: Option<usize>,
    /// Default request timeout.
    pub timeout: Duration,
    /// Accepts invalid TLS certificates.
    pub insecure: bool,
    /// Bounds connecting (`--connect-timeout`).
    pub connect_timeout: Duration,
    /// Bounds, in bytes, the response bodies all running scenarios hold at once.
    pub bodies_budget: usize,
    /// Sends every request through this proxy (`--proxy`), over the environment's.
    pub proxy: Option<String>,
    /// Trusts the CAs of this PEM bundle too (`--cacert`), over the environment's.
    pub ca_cert: Option<PathBuf>,
    /// Presents this client certificate (`--cert`), over the environment's.
    pub client_cert: Option<PathBuf>,
    /// Reads the client certificate's key from this file (`--key`), over the environment's.
    pub client_key: Option<PathBuf>,
    /// 0 failures only, 1 every step, 2 failed exchanges in full, 3 every exchange in full.
    pub verbose: u8,
    /// Prints curl lines for failed steps.
    pub curl: bool,
    /// When to write GitHub Actions annotations (`--annotations`).
    pub annotations: Annotations,
    /// Never shows the live status line (`--no-progress`).
    pub no_progress: bool,
    /// How many more times a failed or errored scenario runs (`--retries`).
    pub retries: u32,
    /// Starts no new scenario after the first that failed for good (`--fail-fast`).
    pub fail_fast: bool,
    /// The report files to write (also when files are invalid).
    pub reports: ReportFiles,
    /// How snapshots are compared.
    pub snapshot_mode: SnapshotMode,
    /// Where snapshots live; `None` means the project's `snapshots/`.
    pub snapshot_dir: Option<PathBuf>,
    /// The state folder, when not the default (see `scenario state`).
    pub state_dir: Option<PathBuf>,
    /// Colour choice.
    pub color: ColorChoice,
}

/// Holds the settings of `scenario check`.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Files or folders to check; none means the project's `scenarios/`.
    pub paths: Vec<PathBuf>,
    /// `--var` pairs: their names count as defined.
    pub vars: Vec<(String, String)>,
    /// Vars files: their names count as defined.
    pub vars_files: Vec<PathBuf>,
    /// The environment to check against (else the default one, as `run`).
    pub env: Option<String>,
    /// Checks against every environment of the project file, one after the other.
    pub all_envs: bool,
    /// The project configuration file.
    pub config: Option<PathBuf>,
    /// Colour choice.
    pub color: ColorChoice,
}

/// Holds the settings of `scenario list`.
#[derive(Debug, Clone)]
pub struct ListOptions {
    /// Files or folders to list; none means the project's `scenarios/`.
    pub paths: Vec<PathBuf>,
    /// Which of the loaded scenarios are listed.
    pub select: SelectOptions,
    /// How the list is written.
    pub format: ListFormat,
    /// The state folder `--rerun-failed` reads, when not the default.
    pub state_dir: Option<PathBuf>,
}

/// Chooses how `scenario list` writes what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListFormat {
    /// Lines for people: each scenario with its tags and steps, then flows.
    #[default]
    Text,
    /// One JSON object: `{"scenarios": [...], "flows": [...]}`.
    Json,
}

/// Holds which of the loaded scenarios a command selects, as typed (the
/// command parses them, so a bad value is a usage error naming its flag).
/// Every kind given must hold; the values of one kind are alternatives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SelectOptions {
    /// Tag expressions (`mfa and not sms`); a scenario satisfying any is kept.
    pub tags: Vec<String>,
    /// Tags whose scenarios are left out.
    pub exclude_tags: Vec<String>,
    /// Regexes; a scenario whose id matches any is kept.
    pub filters: Vec<String>,
    /// Globs; a scenario whose file (relative to the current folder) matches any is kept.
    pub file_filters: Vec<String>,
    /// `count:K/N` or `hash:K/N`: keeps one shard of what the rest selects.
    pub partition: Option<String>,
    /// Keeps only the scenarios that did not pass in the last run.
    pub rerun_failed: bool,
}

/// Holds the settings of `scenario mock`.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Seed file replacing the built-in accounts.
    pub seed: Option<PathBuf>,
    /// Prints secrets of seeded accounts too.
    pub show_secrets: bool,
    /// Switches to set, as `(key, value)` names from `crate::mock::SWITCHES`.
    pub switches: Vec<(String, String)>,
}

/// Lists what `scenario snapshots` does.
#[derive(Debug, Clone)]
pub enum SnapshotCommand {
    /// Review pending snapshots interactively.
    Review,
    /// Accept pending snapshots matching the filter (all when `None`).
    Accept(Option<String>),
    /// Reject pending snapshots matching the filter.
    Reject(Option<String>),
    /// List pending snapshots.
    Pending,
    /// List (and with `delete`, remove) snapshots no step produces.
    Unused {
        /// Scenario files or folders whose steps define what is used; none
        /// means the project's `scenarios/`.
        paths: Vec<PathBuf>,
        /// Removes them.
        delete: bool,
    },
}

/// Lists what `scenario state` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateCommand {
    /// Show the state folder: pools (used, refused, held) and the TOTP ledger.
    Show,
    /// Forget what is used: the named pools, the TOTP ledger, or (neither
    /// given) everything.
    Reset {
        /// Pools whose used and refused values are forgotten.
        pools: Vec<String>,
        /// Forgets the TOTP ledger.
        totp: bool,
    },
}

/// Holds the settings of `scenario state`.
#[derive(Debug, Clone)]
pub struct StateOptions {
    /// What to do.
    pub command: StateCommand,
    /// The state folder, when not the default.
    pub state_dir: Option<PathBuf>,
    /// The environment whose pools are counted against their declared values.
    pub env: Option<String>,
    /// The project configuration file.
    pub config: Option<PathBuf>,
}

/// Holds the settings of `scenario snapshots`.
#[derive(Debug, Clone)]
pub struct SnapshotsOptions {
    /// Where snapshots live; `None` means the project's `snapshots/`.
    pub dir: Option<PathBuf>,
    /// What to do.
    pub command: SnapshotCommand,
    /// Colour choice.
    pub color: ColorChoice,
}

/// Holds the settings of `scenario report merge`.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    /// The JSON reports to merge, in order (a later one's result wins for a
    /// scenario found in several).
    pub inputs: Vec<PathBuf>,
    /// The merged report files to write.
    pub reports: ReportFiles,
}

/// Says when the console writes GitHub Actions annotations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Annotations {
    /// When the run is a GitHub Actions job (`GITHUB_ACTIONS=true`).
    #[default]
    Auto,
    /// Always, in the GitHub Actions format.
    Github,
    /// Never.
    Off,
}

impl Annotations {
    /// Tells whether to write GitHub annotations, reading `GITHUB_ACTIONS` for `Auto`.
    #[must_use]
    pub fn github(self) -> bool {
        match self {
            Annotations::Auto => std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true"),
            Annotations::Github => true,
            Annotations::Off => false,
        }
    }
}

//! Declares the arguments of `scenario run` and turns them into the
//! library's [`RunOptions`].
//!
//! Must not read scenarios, send requests or print results: it only checks
//! what was typed and builds plain settings.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use scenario::app::{Annotations, RunOptions, TargetChoice};
use scenario::snapshot::SnapshotMode;

use super::report_files::ReportFileArgs;
use super::select::SelectArgs;
use super::{ColorArg, SnapshotModeArg, VarArgs, parse_duration};

/// Holds the arguments of `scenario run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files or folders (default: scenarios/ beside scenario.yaml).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Run against this base URL instead of the built-in mock (e.g. http://localhost:8080/api/v1);
    /// with --env, replaces only that environment's base URL.
    #[arg(long, value_name = "URL")]
    pub target: Option<String>,
    #[command(flatten)]
    pub vars: VarArgs,
    #[command(flatten)]
    pub select: SelectArgs,
    /// How many scenarios run at once [default: 4 per CPU core, from 4 to 32].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// Default timeout of each request, e.g. 10s or 500ms.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30s")]
    pub timeout: std::time::Duration,
    /// Accept invalid TLS certificates.
    #[arg(long)]
    pub insecure: bool,
    /// Timeout of connecting (not the whole exchange), e.g. 2s.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "10s")]
    pub connect_timeout: std::time::Duration,
    /// Most MiB of response bodies all running scenarios hold at once; a step
    /// whose response would pass it is an error.
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub max_body_memory: u32,
    /// Send every request through this proxy (default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY,
    /// never for loopback targets; or the environment's `proxy`).
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Trust the CAs of this PEM bundle too (or the environment's `ca_cert`).
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
    /// Present this client certificate, PEM (or the environment's `client_cert`).
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// Read the client certificate's private key from this PEM file (or the environment's `client_key`).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Show more: -v every step (request line, captures), -vv also a failed step's whole request
    /// and response, -vvv every step's (headers and bodies, secrets redacted).
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Do not print curl command lines for failed steps.
    #[arg(long)]
    pub no_curl: bool,
    /// Do not show the live status line (shown on a terminal, outside CI); results then print
    /// in run order, as they do when output is not a terminal.
    #[arg(long)]
    pub no_progress: bool,
    /// Put each failure on its file and line in GitHub Actions (`::error file=...`); auto: when
    /// GITHUB_ACTIONS=true.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = AnnotationsArg::Auto)]
    pub annotations: AnnotationsArg,
    /// Run a failed or errored scenario again, whole (steps and finally), up to N more times;
    /// one that passes on a retry is reported as flaky and counts as passed. Never retried:
    /// scenarios that take single-use pool values, and any after Ctrl-C.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub retries: u32,
    /// Start no new scenario after the first one that fails or errors (after its retries);
    /// running ones finish, finally steps included, and the rest are reported as skipped.
    #[arg(long)]
    pub fail_fast: bool,
    #[command(flatten)]
    pub reports: ReportFileArgs,
    /// How snapshots are compared: check (write .snap.new on change, never in CI), update, no (never write).
    #[arg(long, value_enum, default_value_t = SnapshotModeArg::Check)]
    pub snapshots: SnapshotModeArg,
    /// Where snapshots live (default: snapshots/ beside scenario.yaml).
    #[arg(long, value_name = "DIR")]
    pub snapshot_dir: Option<PathBuf>,
    /// Where what outlives a run is kept (default: SCENARIO_STATE_DIR, else `state_dir` in scenario.yaml, else .scenario-state).
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

impl RunArgs {
    /// Converts the parsed arguments into library options.
    #[must_use]
    pub fn into_options(self, color: ColorArg) -> RunOptions {
        let target = match (self.target, self.vars.env.clone()) {
            (Some(url), Some(env)) => TargetChoice::EnvironmentAt(env, url),
            (Some(url), None) => TargetChoice::Url(url),
            (None, Some(env)) => TargetChoice::Environment(env),
            (None, None) => TargetChoice::Default,
        };
        RunOptions {
            paths: self.paths,
            target,
            vars: self.vars.vars,
            vars_files: self.vars.vars_files,
            config: self.vars.config,
            select: self.select.into_options(),
            jobs: self.jobs.map(usize::from),
            timeout: self.timeout,
            insecure: self.insecure,
            connect_timeout: self.connect_timeout,
            bodies_budget: usize::try_from(self.max_body_memory)
                .unwrap_or(usize::MAX)
                .saturating_mul(1024 * 1024),
            proxy: self.proxy,
            ca_cert: self.cacert,
            client_cert: self.cert,
            client_key: self.key,
            verbose: self.verbose.min(3),
            curl: !self.no_curl,
            no_progress: self.no_progress,
            annotations: match self.annotations {
                AnnotationsArg::Auto => Annotations::Auto,
                AnnotationsArg::Github => Annotations::Github,
                AnnotationsArg::None => Annotations::Off,
            },
            retries: self.retries,
            fail_fast: self.fail_fast,
            reports: self.reports.into_files(),
            snapshot_mode: match self.snapshots {
                SnapshotModeArg::Check => SnapshotMode::Check,
                SnapshotModeArg::Update => SnapshotMode::Update,
                SnapshotModeArg::No => SnapshotMode::No,
            },
            snapshot_dir: self.snapshot_dir,
            state_dir: self.state_dir,
            color: color.choice(),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::RunOptions;
    use crate::cli::{Cli, ColorArg, Command};

    fn run_options(args: &[&str]) -> RunOptions {
        let cli = Cli::try_parse_from(["scenario", "run"].iter().chain(args)).unwrap();
        let Command::Run(args) = cli.command else {
            panic!("not run")
        };
        args.into_options(ColorArg::Never)
    }

    #[test]
    fn retries_and_fail_fast_are_off_unless_asked_for() {
        let options = run_options(&[]);
        assert_eq!((options.retries, options.fail_fast), (0, false));
        let options = run_options(&["--retries", "2", "--fail-fast"]);
        assert_eq!((options.retries, options.fail_fast), (2, true));
        assert!(Cli::try_parse_from(["scenario", "run", "--retries", "-1"]).is_err());
        assert!(Cli::try_parse_from(["scenario", "run", "--retries", "101"]).is_err());
    }
}

/// Chooses when to write CI annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnnotationsArg {
    /// GitHub annotations when GITHUB_ACTIONS=true.
    Auto,
    /// Always GitHub annotations.
    Github,
    /// No annotations.
    None,
}

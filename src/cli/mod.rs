//! Parses the command line (clap) into the library's option types.
//!
//! The only module that knows clap; it validates what the user typed and
//! builds plain settings for `app`. Must not read scenarios, send requests or
//! print results.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use scenario::app::{
    CheckOptions, ColorChoice, ListOptions, MockOptions, RunOptions, SnapshotCommand, SnapshotsOptions,
    TargetChoice,
};
use scenario::model::schema::SchemaFile;
use scenario::snapshot::SnapshotMode;

const EXIT_CODES: &str = "\
Exit codes:
  0  every scenario passed (check: no problem found)
  1  a scenario failed: an expectation did not hold, or a step could not run
  2  invalid scenario files or invocation: nothing was run
  3  the run could not start or finish (mock, I/O, report files, Ctrl-C)";

/// Runs declarative API scenarios written in YAML.
#[derive(Debug, Parser)]
#[command(name = "scenario", version, about, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Lists the subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios (default target: the built-in Circularo mock).
    #[command(after_help = EXIT_CODES)]
    Run(Box<RunArgs>),
    /// Validate scenario files offline: syntax, types, keys, variables, JSONPath, regex, flows.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// List scenarios with their tags and steps.
    List(ListArgs),
    /// Serve the built-in Circularo mock standalone.
    Mock(MockArgs),
    /// Review, accept or reject pending snapshots.
    Snapshots(SnapshotsArgs),
    /// Print the JSON Schema of scenario files (or of scenario.yaml), for editor completion.
    Schema(SchemaArgs),
}

/// Selects variables and the environment, shared by `run` and `check`.
#[derive(Debug, Args)]
pub struct VarArgs {
    /// Set a variable, e.g. `--var user=mary` (repeatable; wins over vars files).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Read variables from a YAML or JSON file of `name: value` pairs (repeatable).
    #[arg(long = "vars-file", value_name = "FILE")]
    pub vars_files: Vec<PathBuf>,
    /// Use a named environment from scenario.yaml (e.g. `local`, `circularo-sandbox`).
    #[arg(long, short = 'e', value_name = "NAME")]
    pub env: Option<String>,
    /// The project configuration (environments); default: ./scenario.yaml if present.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Holds the arguments of `scenario run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files or folders (default: scenarios/).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Run against this base URL instead of the built-in mock (e.g. http://localhost:8080/api/v1);
    /// with --env, replaces only that environment's base URL.
    #[arg(long, value_name = "URL")]
    pub target: Option<String>,
    #[command(flatten)]
    pub vars: VarArgs,
    /// Run only scenarios with this tag (repeatable: any of them).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// How many scenarios run at once.
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
    /// Show every step with its full request and response (headers and bodies, secrets redacted).
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Do not print curl command lines for failed steps.
    #[arg(long)]
    pub no_curl: bool,
    /// Write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a JSON report to FILE.
    #[arg(long = "report-json", value_name = "FILE")]
    pub report_json: Option<PathBuf>,
    /// How snapshots are compared: check (write .snap.new on change, never in CI), update, no (never write).
    #[arg(long, value_enum, default_value_t = SnapshotModeArg::Check)]
    pub snapshots: SnapshotModeArg,
    /// Where snapshots live.
    #[arg(long, value_name = "DIR", default_value = "snapshots")]
    pub snapshot_dir: PathBuf,
}

/// Holds the arguments of `scenario check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files or folders (default: scenarios/).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub vars: VarArgs,
}

/// Holds the arguments of `scenario list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Scenario files or folders (default: scenarios/).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// List only scenarios with this tag (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

/// Holds the arguments of `scenario mock`.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, short = 'p', default_value_t = 8080)]
    pub port: u16,
    /// Address to bind (loopback by default).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Replace the built-in accounts with this YAML seed file.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Also print passwords, TOTP secrets and recovery codes of the seeded accounts.
    #[arg(long)]
    pub show_secrets: bool,
}

/// Holds the arguments of `scenario snapshots`.
#[derive(Debug, Args)]
pub struct SnapshotsArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: SnapshotsAction,
    /// Where snapshots live.
    #[arg(long, value_name = "DIR", default_value = "snapshots", global = true)]
    pub dir: PathBuf,
}

/// Holds the arguments of `scenario schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of scenario.yaml instead of the scenario files' one.
    #[arg(long)]
    pub config: bool,
}

impl SchemaArgs {
    /// Returns which file format's schema to print.
    #[must_use]
    pub fn file(&self) -> SchemaFile {
        if self.config {
            SchemaFile::Config
        } else {
            SchemaFile::Scenario
        }
    }
}

/// Lists what `scenario snapshots` can do.
#[derive(Debug, Subcommand)]
pub enum SnapshotsAction {
    /// Show each pending snapshot with its diff and ask: accept, reject or skip.
    Review,
    /// Accept pending snapshots (all, or those whose name contains FILTER).
    Accept {
        /// Only snapshots whose name contains this.
        filter: Option<String>,
    },
    /// Reject (delete) pending snapshots (all, or those whose name contains FILTER).
    Reject {
        /// Only snapshots whose name contains this.
        filter: Option<String>,
    },
    /// List pending snapshots.
    Pending,
    /// List snapshots no step produces any more; delete them with --delete.
    Unused {
        /// Scenario files or folders (default: scenarios/).
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Delete them.
        #[arg(long)]
        delete: bool,
    },
}

/// Chooses colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Chooses the snapshot mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SnapshotModeArg {
    /// Fail on new or changed snapshots and write .snap.new beside them (never when CI is set).
    Check,
    /// Write new and changed snapshots in place.
    Update,
    /// Never write anything.
    No,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE, got `{text}`"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("expected NAME=VALUE, got `{text}`"));
    }
    if let Some((problem, help)) = scenario::model::load::variable_name_problem(name) {
        return Err(format!("{problem}; {help}"));
    }
    Ok((name.to_owned(), value.to_owned()))
}

fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{e} (examples: 30s, 500ms, 2m)"))
}

impl ColorArg {
    fn choice(self) -> ColorChoice {
        match self {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }
    }
}

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths
    }
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
            paths: default_paths(self.paths),
            target,
            vars: self.vars.vars,
            vars_files: self.vars.vars_files,
            config: self.vars.config,
            tags: self.tags,
            jobs: self.jobs.map(usize::from),
            timeout: self.timeout,
            insecure: self.insecure,
            connect_timeout: self.connect_timeout,
            proxy: self.proxy,
            ca_cert: self.cacert,
            client_cert: self.cert,
            client_key: self.key,
            // One level: `-v` shows every exchange in full; `-vv` is accepted as the same.
            verbose: if self.verbose > 0 { 2 } else { 0 },
            curl: !self.no_curl,
            junit: self.junit,
            json_report: self.report_json,
            snapshot_mode: match self.snapshots {
                SnapshotModeArg::Check => SnapshotMode::Check,
                SnapshotModeArg::Update => SnapshotMode::Update,
                SnapshotModeArg::No => SnapshotMode::No,
            },
            snapshot_dir: self.snapshot_dir,
            color: color.choice(),
        }
    }
}

impl Cli {
    /// Converts a `check` invocation into library options.
    #[must_use]
    pub fn check_options(args: CheckArgs, color: ColorArg) -> CheckOptions {
        CheckOptions {
            paths: default_paths(args.paths),
            vars: args.vars.vars,
            vars_files: args.vars.vars_files,
            env: args.vars.env,
            config: args.vars.config,
            color: color.choice(),
        }
    }

    /// Converts a `list` invocation into library options.
    #[must_use]
    pub fn list_options(args: ListArgs) -> ListOptions {
        ListOptions {
            paths: default_paths(args.paths),
            tags: args.tags,
        }
    }

    /// Converts a `mock` invocation into library options.
    #[must_use]
    pub fn mock_options(args: MockArgs) -> MockOptions {
        MockOptions {
            addr: std::net::SocketAddr::new(args.host, args.port),
            seed: args.seed,
            show_secrets: args.show_secrets,
        }
    }

    /// Converts a `snapshots` invocation into library options.
    #[must_use]
    pub fn snapshots_options(args: SnapshotsArgs, color: ColorArg) -> SnapshotsOptions {
        let command = match args.action {
            SnapshotsAction::Review => SnapshotCommand::Review,
            SnapshotsAction::Accept { filter } => SnapshotCommand::Accept(filter),
            SnapshotsAction::Reject { filter } => SnapshotCommand::Reject(filter),
            SnapshotsAction::Pending => SnapshotCommand::Pending,
            SnapshotsAction::Unused { paths, delete } => SnapshotCommand::Unused {
                paths: default_paths(paths),
                delete,
            },
        };
        SnapshotsOptions {
            dir: args.dir,
            command,
            color: color.choice(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("scenario").chain(args.iter().copied()))
    }

    #[test]
    fn run_defaults_to_scenarios_and_the_mock() {
        let Command::Run(args) = parse(&["run"]).unwrap().command else {
            panic!("not run")
        };
        let options = args.into_options(ColorArg::Never);
        assert_eq!(options.paths, vec![PathBuf::from("scenarios")]);
        assert!(matches!(options.target, TargetChoice::Default));
        assert_eq!(options.snapshot_mode, SnapshotMode::Check);
        assert_eq!(options.timeout, std::time::Duration::from_secs(30));
    }

    #[test]
    fn run_reads_vars_tags_target_and_reports() {
        let cli = parse(&[
            "run",
            "a.yaml",
            "--target",
            "http://x/api",
            "--var",
            "user=mary",
            "--var",
            "n=a=b",
            "--tag",
            "mfa",
            "-vv",
            "--junit",
            "out.xml",
            "-j",
            "3",
            "--timeout",
            "2s",
        ])
        .unwrap();
        let Command::Run(args) = cli.command else {
            panic!("not run")
        };
        let options = args.into_options(ColorArg::Never);
        assert!(matches!(options.target, TargetChoice::Url(ref u) if u == "http://x/api"));
        assert_eq!(
            options.vars,
            vec![("user".into(), "mary".into()), ("n".into(), "a=b".into())]
        );
        assert_eq!(options.verbose, 2);
        let Command::Run(args) = parse(&["run", "-v"]).unwrap().command else {
            panic!("not run")
        };
        assert_eq!(
            args.into_options(ColorArg::Never).verbose,
            2,
            "-v shows full exchanges"
        );
        assert_eq!(options.jobs, Some(3));
        assert_eq!(options.timeout, std::time::Duration::from_secs(2));
    }

    #[test]
    fn bad_values_are_refused_with_a_reason() {
        let err = parse(&["run", "--var", "no-equals"]).unwrap_err().to_string();
        assert!(err.contains("expected NAME=VALUE"), "{err}");
        let err = parse(&["run", "--var", "1x=2"]).unwrap_err().to_string();
        assert!(err.contains("`1x` is not a name a template can read"), "{err}");
        let err = parse(&["run", "--var", "my-id=2"]).unwrap_err().to_string();
        assert!(
            err.contains("reads as a subtraction (`my - id`); name it `my_id`"),
            "{err}"
        );
        let err = parse(&["run", "--timeout", "soon"]).unwrap_err().to_string();
        assert!(err.contains("examples"), "{err}");
        assert!(parse(&["run", "-j", "0"]).is_err());
    }

    #[test]
    fn help_documents_exit_codes() {
        let help = parse(&["--help"]).unwrap_err().to_string();
        assert!(
            help.contains("Exit codes:") && help.contains("2  invalid scenario files"),
            "{help}"
        );
    }

    #[test]
    fn snapshots_subcommands_parse() {
        let Command::Snapshots(args) = parse(&["snapshots", "accept", "login"]).unwrap().command else {
            panic!()
        };
        let options = Cli::snapshots_options(args, ColorArg::Never);
        assert!(matches!(options.command, SnapshotCommand::Accept(Some(ref f)) if f == "login"));
    }

    #[test]
    fn schema_prints_the_scenario_schema_unless_asked_for_the_config() {
        let Command::Schema(args) = parse(&["schema"]).unwrap().command else {
            panic!("not schema")
        };
        assert_eq!(args.file(), SchemaFile::Scenario);
        let Command::Schema(args) = parse(&["schema", "--config"]).unwrap().command else {
            panic!("not schema")
        };
        assert_eq!(args.file(), SchemaFile::Config);
    }
}

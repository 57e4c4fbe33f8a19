//! Parses the command line (clap) into the library's option types.
//!
//! The only module that knows clap; it validates what the user typed and
//! builds plain settings for `app`. Must not read scenarios, send requests or
//! print results.

mod completions;
mod report;
mod report_files;
mod run;
mod select;
mod state;
mod suggest;
mod switches;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use completions::CompletionsArgs;
pub use report::ReportArgs;
pub use run::RunArgs;
pub use select::SelectArgs;
pub use state::StateArgs;
pub use suggest::add_subcommand_tip;
use switches::SwitchArgs;

use scenario::app::{
    CheckOptions, ColorChoice, ListFormat, ListOptions, MockOptions, SchemaOf, SnapshotCommand,
    SnapshotsOptions,
};
use scenario::model::schema::SchemaFile;

const EXIT_CODES: &str = "\
Exit codes:
  0  every scenario passed (check: no problem found)
  1  a scenario failed: an expectation did not hold, or a step could not run
  2  invalid scenario files or invocation (report merge: inputs that are not our JSON reports): nothing was run
  3  the run could not start or finish (mock, I/O, report files, Ctrl-C, an incomplete shard)
  130  a second Ctrl-C stopped the run at once (no finally steps, no reports)";

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
    /// List the scenarios a run would select, with their tags and steps, and the flows.
    List(ListArgs),
    /// Serve the built-in Circularo mock standalone.
    Mock(MockArgs),
    /// Review, accept or reject pending snapshots.
    Snapshots(SnapshotsArgs),
    /// Show or reset what outlives a run: consumable pools and the TOTP ledger.
    State(StateArgs),
    /// Print the JSON Schema of scenario files (or of scenario.yaml), for editor completion.
    Schema(SchemaArgs),
    /// Merge the JSON reports of a suite's shards into one JUnit and/or JSON report.
    #[command(after_help = EXIT_CODES)]
    Report(ReportArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
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

/// Holds the arguments of `scenario check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files or folders (default: scenarios/ beside scenario.yaml).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub vars: VarArgs,
    /// Check against every environment of scenario.yaml, one after the other
    /// (default: the one `run` would use, `--env` or `default_env`).
    #[arg(long, conflicts_with = "env")]
    pub all_envs: bool,
}

/// Holds the arguments of `scenario list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Scenario files or folders (default: scenarios/ beside scenario.yaml).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Write lines for people, or one JSON object: {"scenarios": [...], "flows": [...]}.
    #[arg(long, value_enum, default_value_t = ListFormatArg::Text)]
    pub format: ListFormatArg,
    /// The state folder --rerun-failed reads (default: SCENARIO_STATE_DIR, else `state_dir` in scenario.yaml, else .scenario-state).
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

/// Chooses how `list` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormatArg {
    /// Each scenario with its tags and steps, then the flows.
    Text,
    /// One JSON object with a `scenarios` and a `flows` array.
    Json,
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
    /// Also print passwords, TOTP secrets, fixed MFA codes and recovery codes of the seeded accounts.
    #[arg(long)]
    pub show_secrets: bool,
    /// The behaviours Circularo's docs leave open, one flag each (docs/mock.md).
    #[command(flatten)]
    pub switches: SwitchArgs,
}

/// Holds the arguments of `scenario snapshots`.
#[derive(Debug, Args)]
pub struct SnapshotsArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: SnapshotsAction,
    /// Where snapshots live (default: snapshots/ beside scenario.yaml).
    #[arg(long, value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,
}

/// Holds the arguments of `scenario schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of scenario.yaml instead of the scenario files' one.
    #[arg(long, conflicts_with = "report")]
    pub config: bool,
    /// Print the schema of the JSON report (`run --report-json`) instead.
    #[arg(long)]
    pub report: bool,
}

impl SchemaArgs {
    /// Returns which schema to print.
    #[must_use]
    pub fn of(&self) -> SchemaOf {
        match (self.config, self.report) {
            (_, true) => SchemaOf::JsonReport,
            (true, false) => SchemaOf::File(SchemaFile::Config),
            (false, false) => SchemaOf::File(SchemaFile::Scenario),
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
        /// Scenario files or folders (default: scenarios/ beside scenario.yaml).
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

impl Cli {
    /// Converts a `check` invocation into library options.
    #[must_use]
    pub fn check_options(args: CheckArgs, color: ColorArg) -> CheckOptions {
        CheckOptions {
            paths: args.paths,
            vars: args.vars.vars,
            vars_files: args.vars.vars_files,
            env: args.vars.env,
            all_envs: args.all_envs,
            config: args.vars.config,
            color: color.choice(),
        }
    }

    /// Converts a `list` invocation into library options.
    #[must_use]
    pub fn list_options(args: ListArgs) -> ListOptions {
        ListOptions {
            paths: args.paths,
            select: args.select.into_options(),
            format: match args.format {
                ListFormatArg::Text => ListFormat::Text,
                ListFormatArg::Json => ListFormat::Json,
            },
            state_dir: args.state_dir,
        }
    }

    /// Converts a `mock` invocation into library options.
    #[must_use]
    pub fn mock_options(args: MockArgs) -> MockOptions {
        MockOptions {
            addr: std::net::SocketAddr::new(args.host, args.port),
            seed: args.seed,
            show_secrets: args.show_secrets,
            switches: args.switches.switches,
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
            SnapshotsAction::Unused { paths, delete } => SnapshotCommand::Unused { paths, delete },
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
    use scenario::app::TargetChoice;
    use scenario::snapshot::SnapshotMode;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("scenario").chain(args.iter().copied()))
    }

    #[test]
    fn run_defaults_to_scenarios_and_the_mock() {
        let Command::Run(args) = parse(&["run"]).unwrap().command else {
            panic!("not run")
        };
        let options = args.into_options(ColorArg::Never);
        assert!(options.paths.is_empty(), "the app picks the project's scenarios/");
        assert_eq!(options.snapshot_dir, None);
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
        for (flag, level) in [("-v", 1), ("-vvv", 3), ("-vvvvv", 3)] {
            let Command::Run(args) = parse(&["run", flag]).unwrap().command else {
                panic!("not run")
            };
            assert_eq!(args.into_options(ColorArg::Never).verbose, level, "{flag}");
        }
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
    fn mock_switches_are_flags_with_their_values() {
        let Command::Mock(args) = parse(&[
            "mock",
            "--invalid-token",
            "status-401",
            "--token-format",
            "hex-64",
        ])
        .unwrap()
        .command
        else {
            panic!("not mock")
        };
        let options = Cli::mock_options(args);
        assert_eq!(
            options.switches,
            [
                ("invalid_token".to_owned(), "status-401".to_owned()),
                ("token_format".to_owned(), "hex-64".to_owned())
            ]
        );
        let err = parse(&["mock", "--locked-token", "402"]).unwrap_err().to_string();
        assert!(err.contains("status-401") && err.contains("status-403"), "{err}");
    }

    #[test]
    fn every_mock_switch_has_a_flag_in_help() {
        use clap::CommandFactory;
        let mut command = Cli::command();
        let help = command
            .find_subcommand_mut("mock")
            .unwrap()
            .render_long_help()
            .to_string();
        for info in scenario::mock::SWITCHES {
            assert!(
                help.contains(&format!("--{}", info.flag)),
                "{} missing:\n{help}",
                info.flag
            );
            assert!(help.contains(info.about), "{help}");
        }
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
    fn state_subcommands_parse() {
        let Command::State(args) = parse(&["state", "reset", "--pool", "codes", "--state-dir", "s"])
            .unwrap()
            .command
        else {
            panic!("not state")
        };
        let options = args.into_options();
        assert_eq!(
            options.command,
            scenario::app::StateCommand::Reset {
                pools: vec!["codes".into()],
                totp: false
            }
        );
        assert_eq!(options.state_dir, Some(PathBuf::from("s")));
        let Command::Run(args) = parse(&["run", "--state-dir", "t"]).unwrap().command else {
            panic!("not run")
        };
        assert_eq!(
            args.into_options(ColorArg::Never).state_dir,
            Some(PathBuf::from("t"))
        );
    }

    #[test]
    fn schema_prints_the_scenario_schema_unless_asked_for_the_config() {
        let Command::Schema(args) = parse(&["schema"]).unwrap().command else {
            panic!("not schema")
        };
        assert_eq!(args.of(), SchemaOf::File(SchemaFile::Scenario));
        let Command::Schema(args) = parse(&["schema", "--config"]).unwrap().command else {
            panic!("not schema")
        };
        assert_eq!(args.of(), SchemaOf::File(SchemaFile::Config));
        let Command::Schema(args) = parse(&["schema", "--report"]).unwrap().command else {
            panic!("not schema")
        };
        assert_eq!(args.of(), SchemaOf::JsonReport);
    }
}

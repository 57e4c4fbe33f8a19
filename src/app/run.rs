//! Owns `scenario run` as a short sequence of named steps: load the plan,
//! resolve the target, start the mock, build the engine, attach the reporters,
//! run (watching for Ctrl-C), and turn the outcome into an exit status.
//!
//! Must not hold domain rules: validation, environments, step semantics and
//! report formats belong to `validate`, `target`, `engine` and `report`. Must
//! not see clap: the binary hands over a [`RunOptions`].

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use super::invalid_reports::write_invalid_reports;
use super::last_run::LastRunRecorder;
use super::mock_setup::{describe_mock, environment_mock};
use super::network::{check_network_files, http_options};
use super::options::RunOptions;
use super::plan::{missing_variables, plan_of};
use super::pools::{check_pools_declared, pool_demand};
use super::project::{folder_of, paths_or_default, read_project, snapshot_dir_or_default};
use super::prompt::TerminalPrompter;
use super::reruns::rerun_policy;
use super::select::{Selected, Selection};
use super::state_dir::state_dir;
use super::target::{Endpoint, ResolvedTarget, resolve_target, validate_base_url};
use super::vars::{command_line_vars, process_env};
use crate::engine::{
    Engine, EngineConfig, EngineError, Event, Interrupt, PoolConfig, RerunPolicy, RunContext, RunPlan,
    RunSummary,
};
use crate::error::{Error, ExitStatus};
use crate::mock::MockServer;
use crate::model::diag::RenderOptions;
use crate::report::{ConsoleOptions, ConsoleReporter, ReportError, Reporter};
use crate::template::Vars;

/// Runs `scenario run`: validates every file first (nothing is sent when one
/// is invalid), then runs the selected scenarios and reports.
///
/// # Errors
/// Returns [`Error`] when the files are invalid or the run could not start.
pub async fn run(
    options: RunOptions,
    stdout: Box<dyn Write + Send>,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let LoadedPlan {
        plan,
        target,
        mut vars,
        env,
        color,
        folders,
        state,
    } = match load_plan(&options, stderr)? {
        Prepared::Run(loaded) => *loaded,
        Prepared::Nothing(why) => {
            let mut stdout = stdout;
            let _ = writeln!(stdout, "{why}");
            return Ok(ExitStatus::Passed);
        }
    };
    let recorder = LastRunRecorder::new(&plan.scenarios, &folders.root, state.record.clone());
    let endpoint = target.endpoint()?;
    let (mock, serving) = start_mock(endpoint, &target, &mut vars).await?;
    check_network_files(&options, &target)?;
    let mut config = engine_config(&options, target, serving, vars, env, folders, state);
    config.reruns = rerun_policy(&options, &plan);
    let interrupt = Arc::clone(&config.interrupt);
    let engine = Engine::new(config, &plan).map_err(|e| match e {
        // Nothing was sent: the environment lacks what the scenarios need.
        EngineError::Lock { .. } | EngineError::PoolEmpty(_) => Error::Usage(e.to_string()),
        EngineError::Http(_) | EngineError::State(_) => Error::CouldNotRun(e.to_string()),
    })?;
    let mut reporters = attach_reporters(&options, stdout, color);
    reporters.push(Box::new(recorder));
    let outcome = execute(&engine, &plan, reporters, Arc::clone(&interrupt)).await;
    if let Some(server) = mock {
        server.shutdown().await;
    }
    exit_status(outcome, &interrupt)
}

/// Tells what the checks before a run settled: a plan to run, or that
/// the selection leaves nothing to do (and why), which is no failure.
enum Prepared {
    Run(Box<LoadedPlan>),
    Nothing(String),
}

/// Holds what the checks before a run settled: the plan, the environment's
/// decisions, the variables the run starts with, and what outlives it.
struct LoadedPlan {
    plan: RunPlan,
    target: ResolvedTarget,
    vars: Vars,
    env: BTreeMap<String, String>,
    color: bool,
    folders: ProjectFolders,
    state: RunState,
}

/// Holds the folders a run works in, relative to the project's `scenario.yaml`
/// unless the command line gave them.
struct ProjectFolders {
    paths: Vec<PathBuf>,
    snapshots: PathBuf,
    root: PathBuf,
}

/// Names where the run's requests go, and what serves them when the run
/// started the built-in mock itself (for the run's header).
struct Serving {
    base_url: String,
    served_by: Option<String>,
}

/// Holds what a run keeps beyond itself: where, and the pools it takes from.
struct RunState {
    /// The state folder, when state persists.
    dir: Option<PathBuf>,
    /// The project's state folder, where the record for `--rerun-failed`
    /// is kept whether state persists or not.
    record: PathBuf,
    pools: Vec<PoolConfig>,
}

/// Loads the plan, checking everything that can be checked before anything
/// is sent, in a fixed order: the selection flags, report paths, project,
/// environment, variables, base URL, scenario files (diagnostics go to
/// `stderr`), then the selection itself.
/// The environment is resolved here, not later, because its variables are
/// what the files are checked against.
fn load_plan(options: &RunOptions, stderr: &mut dyn Write) -> Result<Prepared, Error> {
    let selection = Selection::parse(&options.select)?;
    check_report_paths(options)?;
    let env = process_env();
    let project = read_project(options.config.as_deref())?;
    let folders = ProjectFolders {
        paths: paths_or_default(&options.paths, project.as_ref()),
        snapshots: snapshot_dir_or_default(options.snapshot_dir.as_deref(), project.as_ref()),
        root: project
            .as_ref()
            .map(|(file, _)| folder_of(file).to_path_buf())
            .filter(|folder| !folder.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    let target = resolve_target(&options.target, project.as_ref(), &env)?;
    let vars = starting_vars(options, &target)?;
    if let Some(url) = &target.base_url {
        validate_base_url(url)?;
    }
    let color = options.color.enabled(console::Term::stdout().is_term());
    let mut known: BTreeSet<String> = vars.keys().cloned().collect();
    known.extend(target.unavailable.keys().cloned());
    known.insert("mock_url".to_owned());
    let mut report = crate::validate::check_paths(&folders.paths, &known);
    if report.has_errors() {
        let _ = write!(stderr, "{}", report.render(RenderOptions { color }));
        write_invalid_reports(options, &report, &target, stderr)?;
        return Err(Error::InvalidInput {
            count: report.error_count(),
        });
    }
    if report.warning_count() > 0 {
        // What `check` warns about (a misspelt predicate) is as likely a
        // mistake in a run; the run goes on.
        let _ = write!(stderr, "{}", report.render(RenderOptions { color }));
    }
    let scenarios = std::mem::take(&mut report.scenarios);
    let record = || state_dir(options.state_dir.as_deref(), project.as_ref(), &env);
    report.scenarios = match selection.pick(scenarios, &folders.root, record)? {
        Selected::Scenarios(kept) => kept,
        Selected::Nothing(why) => return Ok(Prepared::Nothing(why)),
    };
    let plan = plan_of(report);
    check_variables_are_available(&plan, &target.unavailable)?;
    check_plan_is_not_empty(&plan, &folders.paths)?;
    let state = run_state(options, &plan, &target, project.as_ref(), &env)?;
    Ok(Prepared::Run(Box::new(LoadedPlan {
        plan,
        target,
        vars,
        env,
        color,
        folders,
        state,
    })))
}

/// Settles what the run keeps beyond itself: the state folder (when state
/// persists) and each pool with how many values the plan takes from it.
fn run_state(
    options: &RunOptions,
    plan: &RunPlan,
    target: &ResolvedTarget,
    project: Option<&(PathBuf, crate::model::project::ProjectConfig)>,
    env: &BTreeMap<String, String>,
) -> Result<RunState, Error> {
    let demand = pool_demand(plan);
    check_pools_declared(&demand, &target.pools, target.name.as_deref())?;
    let pools = target
        .pools
        .iter()
        .map(|pool| PoolConfig {
            name: pool.name.clone(),
            values: pool.values.clone(),
            demand: demand.get(&pool.name).map_or(0, |(count, _)| *count),
            refill: pool.refill.clone(),
        })
        .collect();
    let record = state_dir(options.state_dir.as_deref(), project, env);
    let dir = target.persist_state.then(|| record.clone());
    Ok(RunState { dir, record, pools })
}

/// Refuses two reports written to one file.
fn check_report_paths(options: &RunOptions) -> Result<(), Error> {
    match options.reports.clash() {
        Some(clash) => Err(Error::Usage(clash)),
        None => Ok(()),
    }
}

/// Collects the variables a run starts with: the environment's, then vars
/// files and `--var`, and the mock root of a mock environment served elsewhere.
fn starting_vars(options: &RunOptions, target: &ResolvedTarget) -> Result<Vars, Error> {
    let mut vars = target.vars.clone();
    vars.extend(command_line_vars(&options.vars_files, &options.vars)?);
    if let Some(root) = &target.mock_url {
        vars.entry("mock_url".to_owned())
            .or_insert_with(|| Value::String(root.clone()));
    }
    Ok(vars)
}

/// Fails, naming each one, when the selected scenarios use variables the
/// environment could not set.
fn check_variables_are_available(
    plan: &RunPlan,
    unavailable: &BTreeMap<String, String>,
) -> Result<(), Error> {
    let missing = missing_variables(plan, unavailable);
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "the selected scenarios need variables that could not be set, so nothing was sent:\n{}",
        missing
            .iter()
            .map(|(name, why)| format!("  - `{name}`: {why}"))
            .collect::<Vec<_>>()
            .join("\n")
    )))
}

/// Fails when the files hold no scenario, saying why (only flows, or no
/// files); a selection that matches none failed earlier, naming its flags.
fn check_plan_is_not_empty(plan: &RunPlan, paths: &[PathBuf]) -> Result<(), Error> {
    if !plan.scenarios.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(if !plan.flows.is_empty() {
        format!(
            "{} holds only reusable flows (files with `inputs` or `outputs`); they run through a \
                 scenario step's `use:`, not on their own",
            display_paths(paths)
        )
    } else {
        format!("no scenario found under {}", display_paths(paths))
    }))
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Starts the built-in mock, with the environment's switches and seed, when
/// the run targets it (setting `mock_url` to its root), and returns it with
/// the base URL requests go to and a description for the run's header.
async fn start_mock(
    endpoint: Endpoint,
    target: &ResolvedTarget,
    vars: &mut Vars,
) -> Result<(Option<MockServer>, Serving), Error> {
    match endpoint {
        Endpoint::Url(base_url) => Ok((
            None,
            Serving {
                base_url,
                served_by: None,
            },
        )),
        Endpoint::Mock => {
            let settings = target.mock_settings.as_ref();
            let (config, seed) = environment_mock(settings, target.config_file.as_deref())?;
            let seeded_from = settings.and_then(|s| s.seed.as_ref()).map(|s| s.value.clone());
            let served_by = describe_mock(&config, seeded_from.as_deref());
            let server = MockServer::start(SocketAddr::from(([127, 0, 0, 1], 0)), config, seed)
                .await
                .map_err(|e| Error::Mock(e.to_string()))?;
            vars.insert("mock_url".to_owned(), Value::String(server.root_url()));
            let serving = Serving {
                base_url: server.base_url(),
                served_by: Some(served_by),
            };
            Ok((Some(server), serving))
        }
    }
}

/// Builds the engine's settings from the options and what the environment decided.
fn engine_config(
    options: &RunOptions,
    target: ResolvedTarget,
    serving: Serving,
    vars: Vars,
    env: BTreeMap<String, String>,
    folders: ProjectFolders,
    state: RunState,
) -> EngineConfig {
    let http = http_options(options, &target, &env);
    let context = RunContext {
        config: target.config_file.clone(),
        environment: target.name.clone(),
        served_by: serving.served_by,
        started_at: None,
        hostname: super::host::hostname(),
    };
    EngineConfig {
        target: serving.base_url,
        jobs: options.jobs.unwrap_or_else(crate::engine::default_jobs),
        vars,
        secret_vars: target.secret_vars,
        http,
        cookie_jar: target.cookie_jar,
        exchanges: crate::engine::ExchangeDetail::from_verbosity(options.verbose),
        env,
        snapshots: target.snapshots.then(|| {
            Arc::new(crate::snapshot::SnapshotStore::new(
                folders.snapshots.clone(),
                options.snapshot_mode,
                is_ci(),
            ))
        }),
        prompter: Arc::new(TerminalPrompter::default()),
        interrupt: Arc::new(Interrupt::default()),
        snapshot_redactions: target.snapshot_redact,
        root: folders.root,
        context,
        state_dir: state.dir,
        pools: state.pools,
        reruns: RerunPolicy::default(),
    }
}

/// Tells whether the console shows the live status line: on a terminal
/// (stdout and stderr both), not in CI, not with `--no-progress`.
fn live_line_wanted(options: &RunOptions) -> bool {
    !options.no_progress && !is_ci() && console::Term::stdout().is_term() && console::Term::stderr().is_term()
}

fn is_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Returns the reporters of a run: the console first, then the report files asked for.
fn attach_reporters(
    options: &RunOptions,
    stdout: Box<dyn Write + Send>,
    color: bool,
) -> Vec<Box<dyn Reporter>> {
    let mut reporters: Vec<Box<dyn Reporter>> = vec![Box::new(ConsoleReporter::new(
        stdout,
        ConsoleOptions {
            color,
            verbose: options.verbose,
            curl: options.curl,
            github_annotations: options.annotations.github(),
            live: live_line_wanted(options),
        },
    ))];
    reporters.extend(options.reports.reporters());
    reporters
}

/// Holds how a run ended: the engine's summary and the first report that failed.
struct Outcome {
    summary: RunSummary,
    report_error: Option<ReportError>,
}

/// Runs the plan while a Ctrl-C watcher stands by, delivering every event
/// (and then the end of the run) to the reporters.
async fn execute(
    engine: &Engine,
    plan: &RunPlan,
    mut reporters: Vec<Box<dyn Reporter>>,
    interrupt: Arc<Interrupt>,
) -> Outcome {
    let watcher = watch_ctrl_c(interrupt);
    let mut delivery = Delivery::default();
    let summary = engine
        .run(plan, |event| delivery.deliver(&mut reporters, Some(&event)))
        .await;
    delivery.deliver(&mut reporters, None);
    watcher.abort();
    Outcome {
        summary,
        report_error: delivery.report_error,
    }
}

/// Spawns the Ctrl-C watcher. First Ctrl-C: stop starting steps, still run
/// `finally` (log out) and write the reports. A second one stops at once.
fn watch_ctrl_c(interrupt: Arc<Interrupt>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            interrupt.trigger();
            eprintln!(
                "\ninterrupted: running `finally` steps and writing reports (Ctrl-C again to stop now)"
            );
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(i32::from(ExitStatus::Interrupted.code()));
            }
        }
    })
}

/// Tracks delivery to the reporters: the first error, and whether the console went away.
#[derive(Default)]
struct Delivery {
    report_error: Option<ReportError>,
    // A console whose reader went away (`run | head`) is not a failed run.
    console_closed: bool,
}

impl Delivery {
    /// Hands an event (or, with `None`, the end of the run) to every reporter.
    fn deliver(&mut self, reporters: &mut [Box<dyn Reporter>], event: Option<&Event>) {
        for (position, reporter) in reporters.iter_mut().enumerate() {
            if position == 0 && self.console_closed {
                continue;
            }
            let outcome = match event {
                Some(event) => reporter.on_event(event),
                None => reporter.finish(),
            };
            match outcome {
                Err(ReportError::Console(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    self.console_closed = true;
                }
                Err(e) => {
                    self.report_error.get_or_insert(e);
                }
                Ok(()) => {}
            }
        }
    }
}

/// Turns how the run ended into its exit status: a failed report or an
/// interruption means the run could not finish.
fn exit_status(outcome: Outcome, interrupt: &Interrupt) -> Result<ExitStatus, Error> {
    if let Some(e) = outcome.report_error {
        return Err(Error::CouldNotRun(e.to_string()));
    }
    if interrupt.is_set() {
        return Err(Error::CouldNotRun(
            "the run was interrupted (Ctrl-C); the report above and the report files show what finished"
                .to_owned(),
        ));
    }
    Ok(if outcome.summary.all_passed() {
        ExitStatus::Passed
    } else {
        ExitStatus::Failed
    })
}

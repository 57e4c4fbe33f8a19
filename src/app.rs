//! Wires a command together: load and validate scenarios, pick the target
//! (an environment, a URL, or the built-in mock), run the engine, feed the
//! reporters, and turn the outcome into an [`ExitStatus`].
//!
//! Owns no domain rules of its own and never sees clap: the binary hands it
//! plain option structs.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::engine::{Engine, EngineConfig, RunPlan};
use crate::error::{Error, ExitStatus};
use crate::http::HttpOptions;
use crate::model::diag::RenderOptions;
use crate::model::project::{self, Environment, ProjectConfig};
use crate::model::schema::SchemaFile;
use crate::report::{ConsoleOptions, ConsoleReporter, JsonReporter, JunitReporter, Reporter};
use crate::snapshot::SnapshotMode;
use crate::template::{Templates, Vars};

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
    /// Files or folders to run.
    pub paths: Vec<PathBuf>,
    /// What to run against.
    pub target: TargetChoice,
    /// `--var` pairs, in order (later wins).
    pub vars: Vec<(String, String)>,
    /// Vars files, in order (later wins; `--var` wins over all).
    pub vars_files: Vec<PathBuf>,
    /// The project configuration file, when not `./scenario.yaml`.
    pub config: Option<PathBuf>,
    /// Runs only scenarios carrying one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Scenarios at once (default: [`crate::engine::default_jobs`]).
    pub jobs: Option<usize>,
    /// Default request timeout.
    pub timeout: Duration,
    /// Accepts invalid TLS certificates.
    pub insecure: bool,
    /// 0 quiet, 1 every step, 2 full exchanges.
    pub verbose: u8,
    /// Prints curl lines for failed steps.
    pub curl: bool,
    /// Writes a JUnit report here.
    pub junit: Option<PathBuf>,
    /// Writes a JSON report here.
    pub json_report: Option<PathBuf>,
    /// How snapshots are compared.
    pub snapshot_mode: SnapshotMode,
    /// Where snapshots live.
    pub snapshot_dir: PathBuf,
    /// Colour choice.
    pub color: ColorChoice,
}

/// Holds the settings of `scenario check`.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Files or folders to check.
    pub paths: Vec<PathBuf>,
    /// `--var` pairs: their names count as defined.
    pub vars: Vec<(String, String)>,
    /// Vars files: their names count as defined.
    pub vars_files: Vec<PathBuf>,
    /// The environment whose variables count as defined.
    pub env: Option<String>,
    /// The project configuration file.
    pub config: Option<PathBuf>,
    /// Colour choice.
    pub color: ColorChoice,
}

/// Holds the settings of `scenario list`.
#[derive(Debug, Clone)]
pub struct ListOptions {
    /// Files or folders to list.
    pub paths: Vec<PathBuf>,
    /// Lists only scenarios carrying one of these tags.
    pub tags: Vec<String>,
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
        /// Scenario files or folders whose steps define what is used.
        paths: Vec<PathBuf>,
        /// Removes them.
        delete: bool,
    },
}

/// Holds the settings of `scenario snapshots`.
#[derive(Debug, Clone)]
pub struct SnapshotsOptions {
    /// Where snapshots live.
    pub dir: PathBuf,
    /// What to do.
    pub command: SnapshotCommand,
    /// Colour choice.
    pub color: ColorChoice,
}

/// Reads a `--var` value: JSON scalars (numbers, booleans, null) keep their
/// type, anything else is a string, so `--var size=10` is the number 10.
#[must_use]
pub fn parse_var_value(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(value @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => value,
        _ => Value::String(text.to_owned()),
    }
}

/// Reads a vars file: a YAML (or JSON) mapping of names to values.
///
/// # Errors
/// Returns [`Error::Usage`] naming the file and the problem.
pub fn read_vars_file(path: &Path) -> Result<Vars, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("cannot read the vars file {}: {e}", path.display())))?;
    // Vars files often hold credentials: errors name the place, never quote it.
    let map: BTreeMap<String, Value> = project::parse_config(path, &text, project::Quote::Nothing)
        .map_err(|e| Error::Usage(format!("{e} (a vars file is a mapping of names to values)")))?;
    Ok(map.into_iter().collect())
}

fn read_project(explicit: Option<&Path>) -> Result<Option<(PathBuf, ProjectConfig)>, Error> {
    let path = explicit.map_or_else(|| PathBuf::from(project::PROJECT_FILE), Path::to_path_buf);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let config = project::parse_project(&path, &text).map_err(|e| Error::Usage(e.to_string()))?;
            Ok(Some((path, config)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => Ok(None),
        Err(e) => Err(Error::Usage(format!(
            "cannot read the configuration {}: {e}",
            path.display()
        ))),
    }
}

/// Checks a base URL before anything is sent: it must be absolute http(s).
fn validate_base_url(url: &str) -> Result<(), Error> {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => Ok(()),
        Ok(parsed) => Err(Error::Usage(format!(
            "the target `{}` is not an http or https URL (scheme `{}`)",
            redact_url_password(url),
            parsed.scheme()
        ))),
        Err(e) => Err(Error::Usage(format!(
            "the target `{}` is not a URL ({e}); write it like http://localhost:8080/api/v1",
            redact_url_password(url)
        ))),
    }
}

/// Hides the password of a URL's user info, for messages.
fn redact_url_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("[secret]"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Returns the environment used when none is named: `default_env`, else `local` if declared.
fn default_environment(config: &ProjectConfig) -> Option<String> {
    config.default_env.clone().or_else(|| {
        config
            .environments
            .contains_key(project::DEFAULT_ENVIRONMENT)
            .then(|| project::DEFAULT_ENVIRONMENT.to_owned())
    })
}

/// Returns the mock's root for a mock environment pointed at another server
/// with `--target` (a standalone `scenario mock`): the target without `/api/v1`.
fn mock_root_of(target: &str) -> String {
    let trimmed = target.trim_end_matches('/');
    trimmed.strip_suffix("/api/v1").unwrap_or(trimmed).to_owned()
}

/// Holds everything an environment decided for a run.
#[derive(Debug, Default)]
struct ResolvedTarget {
    base_url: Option<String>,
    start_mock: bool,
    vars: Vars,
    secret_vars: BTreeSet<String>,
    snapshot_redact: Vec<String>,
    snapshots: bool,
    name: Option<String>,
    /// The root of the mock a mock environment runs against (`mock_url`).
    mock_url: Option<String>,
    /// Variables whose value could not be rendered (an unset environment
    /// variable), with the reason: an error only for scenarios that use them.
    unavailable: BTreeMap<String, String>,
}

/// Chooses the target and renders the environment's variables, failing
/// before anything is sent when a required variable is missing.
fn resolve_target(
    choice: &TargetChoice,
    project: Option<&(PathBuf, ProjectConfig)>,
    process_env: &BTreeMap<String, String>,
) -> Result<ResolvedTarget, Error> {
    let project_redact = project
        .map(|(_, c)| c.snapshot.redact.clone())
        .unwrap_or_default();
    let plain_target = |base_url: Option<String>, start_mock| ResolvedTarget {
        base_url,
        start_mock,
        snapshot_redact: project_redact.clone(),
        snapshots: true,
        ..ResolvedTarget::default()
    };
    let default_env = project.and_then(|(_, c)| default_environment(c));
    let (env_name, url_override) = match choice {
        // `--target` alone keeps the default environment's variables, at another URL.
        TargetChoice::Url(url) => match default_env {
            Some(name) => (name, Some(url.clone())),
            None => return Ok(plain_target(Some(url.clone()), false)),
        },
        TargetChoice::EnvironmentAt(name, url) => (name.clone(), Some(url.clone())),
        TargetChoice::Environment(name) => (name.clone(), None),
        TargetChoice::Default => match default_env {
            Some(name) => (name, None),
            None => return Ok(plain_target(None, true)),
        },
    };
    let Some((path, config)) = project else {
        return Err(Error::Usage(format!(
            "environment `{env_name}` needs a {} file declaring it; none was found in the current directory",
            project::PROJECT_FILE
        )));
    };
    let Some(environment) = config.environments.get(&env_name) else {
        let known: Vec<&str> = config.environments.keys().map(String::as_str).collect();
        return Err(Error::Usage(format!(
            "{} declares no environment `{env_name}`; known: {}",
            path.display(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )));
    };
    let environment: &Environment = &environment.value;
    let missing: Vec<&str> = environment
        .require_env
        .iter()
        .map(|v| v.value.as_str())
        .filter(|name| process_env.get(*name).is_none_or(|v| v.is_empty()))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "environment `{env_name}` needs {} set (nothing was sent); export {} or put the values under \
             `environments.{env_name}.vars` in {} (git-ignored)",
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if missing.len() == 1 { "it" } else { "them" },
            project::LOCAL_FILE
        )));
    }
    let templates = Templates::new(process_env.clone());
    let mut local_vars = Vars::new();
    let local_path = PathBuf::from(project::LOCAL_FILE);
    if let Ok(text) = std::fs::read_to_string(&local_path) {
        let local = project::parse_local(&local_path, &text).map_err(|e| Error::Usage(e.to_string()))?;
        if let Some(overrides) = local.environments.get(&env_name) {
            local_vars.extend(overrides.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    let mut vars = Vars::new();
    let mut unavailable = BTreeMap::new();
    for (name, value) in &environment.vars {
        if let Some(local) = local_vars.remove(name) {
            vars.insert(name.clone(), local);
            continue;
        }
        match templates.render_value(&value.value, &vars) {
            Ok(rendered) => {
                vars.insert(name.clone(), rendered.value);
            }
            Err(e) => {
                let at = format!(
                    "{}:{}:{}",
                    path.display(),
                    value.referenced.line(),
                    value.referenced.column()
                );
                unavailable.insert(name.clone(), format!("{e} ({at}, environment `{env_name}`)"));
            }
        }
    }
    vars.extend(local_vars);
    let mut snapshot_redact = project_redact;
    snapshot_redact.extend(environment.snapshot_redact.iter().cloned());
    let mock_url = url_override
        .as_deref()
        .filter(|_| environment.mock)
        .map(mock_root_of);
    Ok(ResolvedTarget {
        start_mock: environment.mock && url_override.is_none(),
        base_url: url_override.or_else(|| environment.base_url.as_ref().map(|u| u.value.clone())),
        vars,
        secret_vars: environment.secrets.iter().cloned().collect(),
        snapshot_redact,
        snapshots: environment.snapshots,
        mock_url,
        name: Some(env_name),
        unavailable,
    })
}

/// Collects the run's starting variables: vars files, then `--var` (later wins),
/// over the environment's.
fn command_line_vars(vars_files: &[PathBuf], vars: &[(String, String)]) -> Result<Vars, Error> {
    let mut out = Vars::new();
    for file in vars_files {
        out.extend(read_vars_file(file)?);
    }
    for (name, value) in vars {
        out.insert(name.clone(), parse_var_value(value));
    }
    Ok(out)
}

fn process_env() -> BTreeMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

fn has_tag(loaded: &crate::model::load::LoadedScenario, tags: &[String]) -> bool {
    tags.is_empty() || loaded.scenario.tags.iter().any(|t| tags.contains(&t.value))
}

fn is_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

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
    if let (Some(junit), Some(json)) = (&options.junit, &options.json_report)
        && junit == json
    {
        return Err(Error::Usage(format!(
            "--junit and --report-json both name {}; give each report its own file",
            junit.display()
        )));
    }
    let env = process_env();
    let project = read_project(options.config.as_deref())?;
    let resolved = resolve_target(&options.target, project.as_ref(), &env)?;
    let mut vars = resolved.vars.clone();
    vars.extend(command_line_vars(&options.vars_files, &options.vars)?);
    if let Some(root) = &resolved.mock_url {
        vars.entry("mock_url".to_owned())
            .or_insert_with(|| Value::String(root.clone()));
    }
    if let Some(url) = &resolved.base_url {
        validate_base_url(url)?;
    }
    let color = options.color.enabled(console::Term::stdout().is_term());
    let mut known: BTreeSet<String> = vars.keys().cloned().collect();
    known.extend(resolved.unavailable.keys().cloned());
    known.insert("mock_url".to_owned());
    let report = crate::validate::check_paths(&options.paths, &known);
    if report.has_errors() {
        let _ = write!(stderr, "{}", report.render(RenderOptions { color }));
        return Err(Error::InvalidInput {
            count: report.error_count(),
        });
    }
    let plan = RunPlan {
        scenarios: report
            .scenarios
            .into_iter()
            .filter(|s| has_tag(s, &options.tags))
            .map(Arc::new)
            .collect(),
        flows: report
            .flows
            .into_iter()
            .map(|(path, flow)| (path, Arc::new(flow)))
            .collect(),
    };
    let missing = missing_variables(&plan, &resolved.unavailable);
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "the selected scenarios need variables that could not be set, so nothing was sent:\n{}",
            missing
                .iter()
                .map(|(name, why)| format!("  - `{name}`: {why}"))
                .collect::<Vec<_>>()
                .join("\n")
        )));
    }
    if plan.scenarios.is_empty() {
        return Err(Error::Usage(
            if options.tags.is_empty() && !plan.flows.is_empty() {
                format!(
                    "{} holds only reusable flows (files with `inputs` or `outputs`); they run through a \
                 scenario step's `use:`, not on their own",
                    display_paths(&options.paths)
                )
            } else if options.tags.is_empty() {
                format!("no scenario found under {}", display_paths(&options.paths))
            } else {
                format!("no scenario has the tag(s) {}", options.tags.join(", "))
            },
        ));
    }

    let mock = if resolved.start_mock {
        let server = crate::mock::MockServer::start(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            crate::mock::MockConfig::default(),
            crate::mock::Seed::builtin(),
        )
        .await
        .map_err(|e| Error::Mock(e.to_string()))?;
        vars.insert("mock_url".to_owned(), Value::String(server.root_url()));
        Some(server)
    } else {
        None
    };
    let target = match (&mock, &resolved.base_url) {
        (Some(server), _) => server.base_url(),
        (None, Some(url)) => url.clone(),
        (None, None) => {
            return Err(Error::Usage(format!(
                "environment `{}` sets neither `base_url` nor `mock: true`",
                resolved.name.as_deref().unwrap_or("?")
            )));
        }
    };

    let secret_vars = resolved.secret_vars.clone();
    let config = EngineConfig {
        target,
        jobs: options.jobs.unwrap_or_else(crate::engine::default_jobs),
        vars,
        secret_vars,
        http: HttpOptions {
            timeout: options.timeout,
            insecure: options.insecure,
            ..HttpOptions::default()
        },
        verbose: options.verbose >= 2,
        env,
        snapshots: resolved.snapshots.then(|| {
            Arc::new(crate::snapshot::SnapshotStore::new(
                options.snapshot_dir.clone(),
                options.snapshot_mode,
                is_ci(),
            ))
        }),
        prompter: Arc::new(TerminalPrompter::default()),
        interrupt: Arc::new(crate::engine::Interrupt::default()),
        snapshot_redactions: resolved.snapshot_redact.clone(),
        root: PathBuf::from("."),
    };
    let interrupted = Arc::clone(&config.interrupt);
    let interrupt = Arc::clone(&config.interrupt);
    let engine = Engine::new(config, &plan).map_err(|e| Error::CouldNotRun(e.to_string()))?;

    let mut reporters: Vec<Box<dyn Reporter>> = vec![Box::new(ConsoleReporter::new(
        stdout,
        ConsoleOptions {
            color,
            verbose: options.verbose,
            curl: options.curl,
        },
    ))];
    if let Some(path) = &options.junit {
        reporters.push(Box::new(JunitReporter::new(path.clone())));
    }
    if let Some(path) = &options.json_report {
        reporters.push(Box::new(JsonReporter::new(path.clone())));
    }
    // First Ctrl-C: stop starting steps, still run `finally` (log out) and write
    // the reports. A second one stops at once.
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            interrupt.trigger();
            eprintln!(
                "\ninterrupted: running `finally` steps and writing reports (Ctrl-C again to stop now)"
            );
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    let mut report_error = None;
    // A console whose reader went away (`run | head`) is not a failed run.
    let mut console_closed = false;
    let mut deliver = |reporters: &mut Vec<Box<dyn Reporter>>, event: Option<&crate::engine::Event>| {
        for (position, reporter) in reporters.iter_mut().enumerate() {
            if position == 0 && console_closed {
                continue;
            }
            let outcome = match event {
                Some(event) => reporter.on_event(event),
                None => reporter.finish(),
            };
            match outcome {
                Err(crate::report::ReportError::Console(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    console_closed = true;
                }
                Err(e) => {
                    report_error.get_or_insert(e);
                }
                Ok(()) => {}
            }
        }
    };
    let summary = engine
        .run(&plan, |event| deliver(&mut reporters, Some(&event)))
        .await;
    deliver(&mut reporters, None);
    watcher.abort();
    if let Some(server) = mock {
        server.shutdown().await;
    }
    if let Some(e) = report_error {
        return Err(Error::CouldNotRun(e.to_string()));
    }
    if interrupted.is_set() {
        return Err(Error::CouldNotRun(
            "the run was interrupted (Ctrl-C); the report above and the report files show what finished"
                .to_owned(),
        ));
    }
    Ok(if summary.all_passed() {
        ExitStatus::Passed
    } else {
        ExitStatus::Failed
    })
}

/// Lists the unavailable variables the plan's scenarios (and the flows they
/// use) refer to, with the reason each could not be set.
fn missing_variables<'a>(
    plan: &RunPlan,
    unavailable: &'a BTreeMap<String, String>,
) -> Vec<(&'a String, &'a String)> {
    if unavailable.is_empty() {
        return Vec::new();
    }
    let mut used = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut pending: Vec<&crate::model::load::LoadedScenario> =
        plan.scenarios.iter().map(AsRef::as_ref).collect();
    while let Some(loaded) = pending.pop() {
        let scenario = &loaded.scenario;
        // Names the file defines itself (vars, inputs, captures, asked values,
        // outputs of the flows it uses) never come from the environment.
        let mut defined: BTreeSet<&str> = scenario.vars.keys().map(|k| k.value.as_str()).collect();
        defined.extend(scenario.input_names());
        for step in scenario.steps.iter().chain(&scenario.finally) {
            let step = &step.value;
            defined.extend(step.capture.keys().map(|k| k.value.as_str()));
            defined.extend(step.ask.iter().map(|a| a.value.var.value.as_str()));
            if let Some(use_path) = &step.use_flow {
                let path = crate::model::resolve_use_path(&loaded.file, &use_path.value);
                let flow = plan.flows.get(&path);
                match &step.outputs {
                    Some(outputs) => defined.extend(outputs.iter().map(|o| o.value.as_str())),
                    None => defined.extend(flow.iter().flat_map(|f| f.scenario.output_names())),
                }
                if seen.insert(path.clone())
                    && let Some(flow) = flow
                {
                    pending.push(flow);
                }
            }
        }
        used.extend(
            crate::validate::referenced_names(scenario)
                .into_iter()
                .filter(|name| !defined.contains(name.as_str())),
        );
    }
    unavailable
        .iter()
        .filter(|(name, _)| used.contains(*name))
        .collect()
}

/// Asks at the terminal (stderr), one question at a time across scenarios.
#[derive(Debug, Default)]
struct TerminalPrompter {
    lock: std::sync::Mutex<()>,
}

impl crate::engine::Prompter for TerminalPrompter {
    fn ask(&self, prompt: &str, secret: bool) -> Result<String, String> {
        let term = console::Term::stderr();
        if !term.is_term() || !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            return Err("there is no terminal to ask at".to_owned());
        }
        // Concurrent scenarios may ask at once; questions must not interleave.
        let _guard = self
            .lock
            .lock()
            .map_err(|_| "the prompt is unavailable".to_owned())?;
        term.write_str(&format!("{prompt}: "))
            .map_err(|e| e.to_string())?;
        let answer = if secret {
            term.read_secure_line()
        } else {
            term.read_line()
        };
        let answer = answer.map_err(|e| format!("could not read the answer: {e}"))?;
        if answer.trim().is_empty() {
            return Err("no answer was given".to_owned());
        }
        Ok(answer)
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lists the variable names an environment defines (every environment's when
/// `env` is `None`, since any of them may be used at run time), plus `mock_url`.
///
/// # Errors
/// Returns [`Error::Usage`] for an unknown environment or an invalid `default_env`.
fn environment_names(
    project: Option<&(PathBuf, ProjectConfig)>,
    env: Option<&str>,
) -> Result<BTreeSet<String>, Error> {
    let mut known = BTreeSet::from(["mock_url".to_owned()]);
    let Some((path, config)) = project else {
        return Ok(known);
    };
    if let Some(default) = &config.default_env
        && !config.environments.contains_key(default)
    {
        return Err(Error::Usage(format!(
            "{}: `default_env: {default}` names no environment; known: {}",
            path.display(),
            config
                .environments
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    match env {
        Some(name) => {
            let environment = config.environments.get(name).ok_or_else(|| {
                Error::Usage(format!("{} declares no environment `{name}`", path.display()))
            })?;
            known.extend(environment.value.vars.keys().cloned());
        }
        None => known.extend(
            config
                .environments
                .values()
                .flat_map(|e| e.value.vars.keys().cloned()),
        ),
    }
    // Local overrides may add variables too (credentials kept out of the repository).
    if let Ok(text) = std::fs::read_to_string(project::LOCAL_FILE) {
        let local = project::parse_local(Path::new(project::LOCAL_FILE), &text)
            .map_err(|e| Error::Usage(e.to_string()))?;
        for (name, overrides) in &local.environments {
            if env.is_none_or(|e| e == name) {
                known.extend(overrides.vars.keys().cloned());
            }
        }
    }
    Ok(known)
}

/// Runs `scenario check`: reports every problem of every file, sends nothing.
///
/// # Errors
/// Returns [`Error::InvalidInput`] when a problem was found, [`Error::Usage`]
/// for a bad environment or vars file.
pub fn check(
    options: &CheckOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let mut known: BTreeSet<String> = command_line_vars(&options.vars_files, &options.vars)?
        .into_keys()
        .collect();
    let project = read_project(options.config.as_deref())?;
    known.extend(environment_names(project.as_ref(), options.env.as_deref())?);
    let color = options.color.enabled(console::Term::stderr().is_term());
    let report = crate::validate::check_paths(&options.paths, &known);
    let _ = write!(stderr, "{}", report.render(RenderOptions { color }));
    if report.has_errors() {
        return Err(Error::InvalidInput {
            count: report.error_count(),
        });
    }
    let _ = writeln!(
        stdout,
        "checked {} file(s): {} scenario(s), {} flow(s), no errors{}",
        report.files,
        report.scenarios.len(),
        report.flows.len(),
        match report.warning_count() {
            0 => String::new(),
            n => format!(", {n} warning(s)"),
        }
    );
    Ok(ExitStatus::Passed)
}

/// Runs `scenario list`: scenarios with tags and step names, then flows.
///
/// # Errors
/// Returns [`Error::InvalidInput`] when files do not load.
pub fn list(
    options: &ListOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let known = environment_names(read_project(None)?.as_ref(), None)?;
    let report = crate::validate::check_paths(&options.paths, &known);
    let loaded: Vec<_> = report
        .scenarios
        .iter()
        .filter(|s| has_tag(s, &options.tags))
        .collect();
    if report.has_errors() {
        let _ = write!(stderr, "{}", report.render(RenderOptions { color: false }));
    }
    for scenario in &loaded {
        let s = &scenario.scenario;
        let tags: Vec<&str> = s.tags.iter().map(|t| t.value.as_str()).collect();
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", tags.join(", "))
        };
        let _ = writeln!(stdout, "{}{tags}  ({})", s.name.value, scenario.file.display());
        for (phase, steps) in [("", &s.steps), ("finally: ", &s.finally)] {
            for step in steps {
                let _ = writeln!(stdout, "  - {phase}{}", crate::engine::step_label(&step.value));
            }
        }
    }
    let mut flows: Vec<_> = report.flows.iter().collect();
    flows.sort_by(|a, b| a.0.cmp(b.0));
    for (path, flow) in flows {
        let inputs = flow.scenario.input_names();
        let outputs = flow.scenario.output_names();
        let _ = writeln!(
            stdout,
            "flow {}  ({})  inputs: {}  outputs: {}",
            flow.scenario.name.value,
            path.display(),
            if inputs.is_empty() {
                "-".to_owned()
            } else {
                inputs.join(", ")
            },
            if outputs.is_empty() {
                "-".to_owned()
            } else {
                outputs.join(", ")
            },
        );
    }
    if report.has_errors() {
        return Err(Error::InvalidInput {
            count: report.error_count(),
        });
    }
    Ok(ExitStatus::Passed)
}

/// Runs `scenario mock`: serves the mock until Ctrl-C.
///
/// # Errors
/// Returns [`Error::Usage`] for an unreadable or invalid seed file, [`Error::Mock`]
/// when the port is taken.
pub async fn mock(options: &MockOptions, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    let seed = match &options.seed {
        Some(path) => crate::mock::Seed::from_file(path).map_err(|e| Error::Usage(e.to_string()))?,
        None => crate::mock::Seed::builtin(),
    };
    let banner = crate::mock::describe_accounts(&seed, options.show_secrets);
    let server = crate::mock::MockServer::start(options.addr, crate::mock::MockConfig::default(), seed)
        .await
        .map_err(|e| Error::Mock(e.to_string()))?;
    let _ = writeln!(stdout, "Circularo mock listening on {}", server.base_url());
    let _ = writeln!(
        stdout,
        "control endpoints under {}/__mock (outbox, clock, reset, accounts)",
        server.root_url()
    );
    let _ = writeln!(stdout, "{banner}");
    if !options.show_secrets {
        let _ = writeln!(
            stdout,
            "passwords, TOTP secrets and recovery codes: run with --show-secrets"
        );
    }
    let _ = writeln!(stdout, "press Ctrl-C to stop");
    let _ = stdout.flush();
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    let _ = writeln!(stdout, "mock stopped");
    Ok(ExitStatus::Passed)
}

/// Runs `scenario schema`: prints the JSON Schema of scenario files (or of
/// `scenario.yaml`) that editors complete and check YAML with.
///
/// # Errors
/// Returns [`Error::CouldNotRun`] when the schema cannot be written to `stdout`.
pub fn schema(file: SchemaFile, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    stdout
        .write_all(file.render().as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::CouldNotRun(format!("could not write the schema: {e}")))?;
    Ok(ExitStatus::Passed)
}

/// Runs `scenario snapshots`: review, accept, reject, list pending or unused.
///
/// # Errors
/// Returns [`Error::CouldNotRun`] when snapshot files cannot be read or moved.
pub fn snapshots(options: &SnapshotsOptions, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    let failed = |e: crate::snapshot::SnapshotError| Error::CouldNotRun(e.to_string());
    let dir = &options.dir;
    match &options.command {
        SnapshotCommand::Review => {
            let color = options.color.enabled(console::Term::stdout().is_term());
            let stdin = std::io::stdin();
            // `review` prints its own summary, problems included.
            let _ = crate::snapshot::review(dir, &mut stdin.lock(), stdout, color).map_err(failed)?;
        }
        SnapshotCommand::Accept(filter) => {
            let accepted = crate::snapshot::accept(dir, filter.as_deref()).map_err(failed)?;
            for path in &accepted {
                let _ = writeln!(stdout, "accepted {}", path.display());
            }
            let _ = writeln!(stdout, "{} snapshot(s) accepted", accepted.len());
        }
        SnapshotCommand::Reject(filter) => {
            let rejected = crate::snapshot::reject(dir, filter.as_deref()).map_err(failed)?;
            for path in &rejected {
                let _ = writeln!(stdout, "rejected {}", path.display());
            }
            let _ = writeln!(stdout, "{} snapshot(s) rejected", rejected.len());
        }
        SnapshotCommand::Pending => {
            let pending = crate::snapshot::pending(dir).map_err(failed)?;
            for item in &pending {
                let kind = if item.stored { "changed" } else { "new" };
                let _ = writeln!(stdout, "{kind:8} {}", item.pending_path.display());
            }
            let _ = writeln!(stdout, "{} pending snapshot(s)", pending.len());
        }
        SnapshotCommand::Unused { paths, delete } => {
            let known = environment_names(read_project(None)?.as_ref(), None)?;
            let report = crate::validate::check_paths(paths, &known);
            if report.has_errors() {
                return Err(Error::Usage(
                    "the scenario files have problems; run `scenario check` first, so no snapshot is removed by mistake"
                        .to_owned(),
                ));
            }
            let plan = RunPlan {
                scenarios: report.scenarios.into_iter().map(Arc::new).collect(),
                flows: report
                    .flows
                    .into_iter()
                    .map(|(path, flow)| (path, Arc::new(flow)))
                    .collect(),
            };
            let produced = crate::engine::snapshot_names(&plan);
            let unused = crate::snapshot::unreferenced(dir, &produced).map_err(failed)?;
            for path in &unused {
                if *delete {
                    std::fs::remove_file(path).map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
                    let _ = writeln!(stdout, "removed {}", path.display());
                } else {
                    let _ = writeln!(stdout, "unused {}", path.display());
                }
            }
            let verb = if *delete {
                "removed"
            } else {
                "unused (remove with --delete)"
            };
            let _ = writeln!(stdout, "{} snapshot(s) {verb}", unused.len());
        }
    }
    Ok(ExitStatus::Passed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn project(text: &str) -> (PathBuf, ProjectConfig) {
        let path = PathBuf::from("scenario.yaml");
        let config = project::parse_project(&path, text).unwrap();
        (path, config)
    }

    const PROJECT: &str = "default_env: local\nenvironments:\n  local:\n    mock: true\n    vars: { user: mary }\n  sandbox:\n    base_url: https://sandbox.example/api/v1\n    snapshots: false\n    vars:\n      user: \"{{ env('SANDBOX_USER') }}\"\n      password: \"{{ env('SANDBOX_PASSWORD') }}\"\n    secrets: [password]\n";

    #[test]
    fn var_values_keep_json_scalar_types() {
        assert_eq!(parse_var_value("10"), json!(10));
        assert_eq!(parse_var_value("true"), json!(true));
        assert_eq!(parse_var_value("null"), Value::Null);
        assert_eq!(parse_var_value("012345"), json!("012345"));
        assert_eq!(parse_var_value("mary"), json!("mary"));
        assert_eq!(parse_var_value("[1]"), json!("[1]"));
    }

    #[test]
    fn without_a_project_the_default_target_is_the_mock() {
        let resolved = resolve_target(&TargetChoice::Default, None, &BTreeMap::new()).unwrap();
        assert!(resolved.start_mock && resolved.snapshots && resolved.base_url.is_none());
    }

    #[test]
    fn the_default_environment_comes_from_the_project() {
        let project = project(PROJECT);
        let resolved = resolve_target(&TargetChoice::Default, Some(&project), &BTreeMap::new()).unwrap();
        assert!(resolved.start_mock);
        assert_eq!(resolved.vars["user"], json!("mary"));
        assert_eq!(resolved.name.as_deref(), Some("local"));
    }

    #[test]
    fn an_unknown_environment_lists_the_known_ones() {
        let project = project(PROJECT);
        let err = resolve_target(
            &TargetChoice::Environment("prod".into()),
            Some(&project),
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "scenario.yaml declares no environment `prod`; known: local, sandbox"
        );
        assert_eq!(err.exit_status(), ExitStatus::Invalid);
    }

    #[test]
    fn unset_environment_variables_make_variables_unavailable_not_fatal() {
        let project = project(PROJECT);
        let env = BTreeMap::from([("SANDBOX_USER".to_owned(), "qa@example.com".to_owned())]);
        let resolved =
            resolve_target(&TargetChoice::Environment("sandbox".into()), Some(&project), &env).unwrap();
        assert_eq!(resolved.vars["user"], json!("qa@example.com"));
        assert!(
            resolved.unavailable["password"].contains("SANDBOX_PASSWORD"),
            "{:?}",
            resolved.unavailable
        );
        assert!(!resolved.snapshots && !resolved.start_mock);
        assert!(resolved.secret_vars.contains("password"));
    }

    #[test]
    fn a_target_with_an_environment_replaces_only_the_base_url() {
        let project = project(PROJECT);
        let choice = TargetChoice::EnvironmentAt("local".into(), "http://127.0.0.1:9/api/v1".into());
        let resolved = resolve_target(&choice, Some(&project), &BTreeMap::new()).unwrap();
        assert!(!resolved.start_mock);
        assert_eq!(resolved.base_url.as_deref(), Some("http://127.0.0.1:9/api/v1"));
        assert_eq!(resolved.vars["user"], json!("mary"));
    }

    #[test]
    fn a_target_alone_keeps_the_default_environment_and_finds_the_mock_root() {
        let project = project(PROJECT);
        let choice = TargetChoice::Url("http://127.0.0.1:9/api/v1/".into());
        let resolved = resolve_target(&choice, Some(&project), &BTreeMap::new()).unwrap();
        assert_eq!(
            resolved.vars["user"],
            json!("mary"),
            "the default environment's variables stay"
        );
        assert_eq!(resolved.mock_url.as_deref(), Some("http://127.0.0.1:9"));
        assert!(!resolved.start_mock);
        let without_project = resolve_target(&choice, None, &BTreeMap::new()).unwrap();
        assert!(without_project.vars.is_empty() && without_project.mock_url.is_none());
    }

    #[test]
    fn base_urls_must_be_http_and_passwords_stay_hidden() {
        assert!(validate_base_url("https://sandbox.circularo.com/api/v1").is_ok());
        let err = validate_base_url("ftp://qa:hunter2@host/x")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("not an http or https URL") && !err.contains("hunter2"),
            "{err}"
        );
        let err = validate_base_url("not a url").unwrap_err().to_string();
        assert!(err.contains("write it like http://"), "{err}");
    }

    #[test]
    fn required_environment_variables_are_named_when_missing() {
        let text = "environments:\n  ci:\n    base_url: http://x\n    require_env: [API_KEY, API_USER]\n";
        let project = project(text);
        let env = BTreeMap::from([("API_USER".to_owned(), "u".to_owned())]);
        let err = resolve_target(&TargetChoice::Environment("ci".into()), Some(&project), &env).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("`API_KEY`") && !message.contains("`API_USER`"),
            "{message}"
        );
    }

    #[test]
    fn missing_variables_counts_only_what_the_selected_scenarios_use() {
        let file = Arc::new(PathBuf::from("a.yaml"));
        let source = "name: a\nsteps:\n  - post: /login\n    json: { name: \"{{ user }}\" }\n";
        let scenario = crate::model::load::parse_scenario(&file, source).unwrap();
        let loaded = crate::model::load::LoadedScenario {
            file,
            source: source.into(),
            scenario,
        };
        let plan = RunPlan {
            scenarios: vec![Arc::new(loaded)],
            flows: Default::default(),
        };
        let unavailable = BTreeMap::from([
            (
                "user".to_owned(),
                "environment variable `U` is not set".to_owned(),
            ),
            (
                "password".to_owned(),
                "environment variable `P` is not set".to_owned(),
            ),
        ]);
        let missing = missing_variables(&plan, &unavailable);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].0, "user");
    }

    #[test]
    fn names_a_flow_defines_itself_are_not_environment_needs() {
        let flow_file = Arc::new(PathBuf::from("flows/login.yaml"));
        let flow_source = "name: login\ninputs: { password: {} }\noutputs: [token]\nsteps:\n  - post: /login\n    json: { password: \"{{ password }}\" }\n    capture: { token: $.token }\n";
        let flow = crate::model::load::parse_scenario(&flow_file, flow_source).unwrap();
        let file = Arc::new(PathBuf::from("a.yaml"));
        let source = "name: a\nsteps:\n  - use: flows/login.yaml\n    with: { password: \"{{ mfa_password }}\" }\n  - get: /x\n    query: { token: \"{{ token }}\" }\n";
        let scenario = crate::model::load::parse_scenario(&file, source).unwrap();
        let plan = RunPlan {
            scenarios: vec![Arc::new(crate::model::load::LoadedScenario {
                file,
                source: source.into(),
                scenario,
            })],
            flows: [(
                PathBuf::from("flows/login.yaml"),
                Arc::new(crate::model::load::LoadedScenario {
                    file: flow_file,
                    source: flow_source.into(),
                    scenario: flow,
                }),
            )]
            .into_iter()
            .collect(),
        };
        let unavailable: BTreeMap<String, String> = ["password", "mfa_password", "token"]
            .iter()
            .map(|n| ((*n).to_owned(), format!("`{n}` is not set")))
            .collect();
        let missing: Vec<&String> = missing_variables(&plan, &unavailable)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(missing, ["mfa_password"]);
    }
}

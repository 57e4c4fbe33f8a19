//! Loads scenario files from disk into [`super::Scenario`]s: discovery under
//! PATHs, reading, YAML parsing with bounded budgets, mapping serde-saphyr
//! errors (and, when the typed parse fails, every problem the shape walk of
//! `super::shape` finds) to [`Diagnostic`]s, and the structural checks that
//! need nothing but the parsed file.
//!
//! Must not evaluate templates or JSONPath (that is `crate::validate`, one
//! layer up) and must not print: every problem is returned as a diagnostic.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{DefaultMessageFormatter, Error as YamlError, Location, MessageFormatter};

use super::diag::{Diagnostic, did_you_mean, line_of, quote_list, span_len_of};
use super::shape::{self, Found, Kind, Problem, ShapeProblem};
use super::{
    CaptureEntry, Expect, Retry, Scenario, SnapshotSpec, SourceLocation, Spanned, SpannedMap, StatusExpect,
    Step, parse_predicates,
};

/// Refuses files larger than this: scenario files are small, and a huge file
/// is almost certainly not one.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Refuses YAML nested deeper than this (mappings and lists together).
pub const MAX_DEPTH: usize = 64;
/// Refuses YAML that expands (through aliases) to more nodes than this.
pub const MAX_NODES: usize = 100_000;

/// Holds a parsed scenario with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The file, as found (relative to the working directory when given so).
    pub file: Arc<PathBuf>,
    /// The file's text, kept for diagnostics that quote it.
    pub source: Arc<str>,
    /// The parsed scenario.
    pub scenario: Scenario,
}

/// Explains why a file could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct LoadError {
    /// The file.
    pub file: String,
    /// What went wrong.
    pub message: String,
}

/// Lists the scenario files found under the given PATHs, and the PATHs that
/// could not be searched.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Files to load, in a stable order (each PATH in turn, sorted within folders).
    pub files: Vec<PathBuf>,
    /// Missing PATHs, unreadable folders, folders without scenario files.
    pub diagnostics: Vec<Diagnostic>,
}

/// Carries everything learned from one file: its text (for rendering), the
/// scenario when it parsed, and every problem found.
#[derive(Debug, Clone)]
pub struct FileLoad {
    /// The file, as displayed.
    pub file: Arc<PathBuf>,
    /// The text to quote in diagnostics (lossy for invalid UTF-8; none for binary files).
    pub source: Option<Arc<str>>,
    /// The scenario, when the file parsed.
    pub loaded: Option<LoadedScenario>,
    /// Problems found while reading, parsing and checking the structure.
    pub diagnostics: Vec<Diagnostic>,
}

/// Returns the serde-saphyr options every scenario file is parsed with:
/// YAML 1.2 booleans, leading-zero numbers kept as strings (`012345` stays a
/// code), duplicate keys rejected, and a budget that refuses alias bombs and
/// deep nesting before they cost memory or stack.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_events: 4 * MAX_NODES,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_documents: 1,
            max_total_scalar_bytes: 8 * 1024 * 1024,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_NODES,
            max_replay_stack_depth: MAX_DEPTH,
        },
    }
}

/// Parses one scenario from `source`.
///
/// # Errors
/// Returns a [`LoadError`] whose message is the one-line form of the diagnostic.
pub fn parse_scenario(file: &Path, source: &str) -> Result<Scenario, LoadError> {
    let shown = Arc::new(file.to_path_buf());
    parse_source(&shown, source).map_err(|d| LoadError {
        file: file.display().to_string(),
        message: d.one_line(),
    })
}

/// Parses one scenario from `source`: first a syntax-only pass (so a broken
/// line is reported where it is, not as a confusing type error above it), then
/// the typed parse.
///
/// # Errors
/// Returns the first problem as a located [`Diagnostic`].
pub fn parse_source(file: &Arc<PathBuf>, source: &str) -> Result<Scenario, Box<Diagnostic>> {
    if is_blank(source) {
        return Err(Box::new(empty_file(file)));
    }
    let diagnose = |e: YamlError| Box::new(yaml_diagnostic(file, source, &e));
    serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(source, options()).map_err(diagnose)?;
    serde_saphyr::from_str_with_options::<Scenario>(source, options()).map_err(diagnose)
}

/// Parses one scenario from `source` like [`parse_source`], but when the
/// typed parse refuses the file, reports every unknown key and wrongly typed
/// node, not only the first one serde met.
///
/// # Errors
/// Returns every problem found, as located [`Diagnostic`]s in file order.
pub fn parse_source_all_problems(file: &Arc<PathBuf>, source: &str) -> Result<Scenario, Vec<Diagnostic>> {
    if is_blank(source) {
        return Err(vec![empty_file(file)]);
    }
    if let Err(e) = serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(source, options()) {
        return Err(vec![yaml_diagnostic(file, source, &e)]);
    }
    let error = match serde_saphyr::from_str_with_options::<Scenario>(source, options()) {
        Ok(scenario) => return Ok(scenario),
        Err(error) => error,
    };
    let typed = yaml_diagnostic(file, source, &error);
    let Some(problems) = shape::find_problems(source, options) else {
        return Err(vec![typed]);
    };
    Err(merge_typed(file, source, typed, &error, &problems))
}

/// Words the walk's problems and adds the typed parse's diagnostic, once. A
/// problem serde reports too is shown in the typed wording, the established
/// one, when serde points at the same node or its key; a missing key, which
/// serde locates where the mapping ends, keeps the walk's place, its start.
fn merge_typed(
    file: &Arc<PathBuf>,
    source: &str,
    typed: Diagnostic,
    error: &YamlError,
    problems: &[ShapeProblem],
) -> Vec<Diagnostic> {
    let typed_at = (typed.location.line, typed.location.column);
    let missing_field = match error.without_snippet() {
        YamlError::SerdeMissingField { field, .. } => Some(*field),
        _ => None,
    };
    let mut typed = Some(typed);
    let mut out = Vec::with_capacity(problems.len() + 1);
    for found in problems {
        if typed.is_some() && ((found.line, found.column) == typed_at || found.key_at == Some(typed_at)) {
            out.extend(typed.take());
            continue;
        }
        if let (Some(field), Problem::MissingKey { key, .. }) = (missing_field, &found.problem)
            && key == field
        {
            typed = None;
        }
        out.extend(shape_diagnostic(file, source, found));
    }
    out.extend(typed);
    out.sort_by_key(|d| (d.location.line, d.location.column));
    out
}

/// Reads, parses and structurally checks one file; never panics on bad input.
#[must_use]
pub fn load_file(path: &Path) -> FileLoad {
    let file = Arc::new(path.to_path_buf());
    let mut load = FileLoad {
        file: Arc::clone(&file),
        source: None,
        loaded: None,
        diagnostics: Vec::new(),
    };
    let text = match read_text(&file) {
        Ok(text) => text,
        Err(failure) => {
            load.source = failure.lossy;
            load.diagnostics.push(*failure.diagnostic);
            return load;
        }
    };
    load.source = Some(Arc::clone(&text));
    match parse_source_all_problems(&file, &text) {
        Ok(scenario) => {
            load.diagnostics = structural_checks(&file, &scenario);
            load.loaded = Some(LoadedScenario {
                file,
                source: text,
                scenario,
            });
        }
        Err(diagnostics) => load.diagnostics = diagnostics,
    }
    load
}

/// Finds scenario files under `paths`: a file is taken as given; a folder is
/// searched recursively for `*.yaml` / `*.yml`, skipping hidden entries, in
/// sorted order so runs are deterministic.
#[must_use]
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    let mut seen = BTreeSet::new();
    for path in paths {
        let shown = SourceLocation::file_only(path);
        if path.is_file() {
            if seen.insert(path.clone()) {
                discovery.files.push(path.clone());
            }
            continue;
        }
        if !path.is_dir() {
            discovery.diagnostics.push(
                Diagnostic::error(format!("no such file or folder `{}`", path.display()), shown)
                    .with_help("give a scenario file or a folder that contains `*.yaml` files"),
            );
            continue;
        }
        let mut found = Vec::new();
        let walker = walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_yaml(entry.path()) => {
                    found.push(entry.into_path());
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().unwrap_or(path);
                    discovery.diagnostics.push(
                        Diagnostic::error(
                            format!("could not read folder `{}`: {}", at.display(), io_reason(&e)),
                            SourceLocation::file_only(at),
                        )
                        .with_help("check that the folder exists and is readable"),
                    );
                }
            }
        }
        if found.is_empty() {
            discovery.diagnostics.push(
                Diagnostic::error(format!("no scenario files in `{}`", path.display()), shown)
                    .with_help("scenario files end in `.yaml` or `.yml`; hidden folders are skipped"),
            );
        }
        for file in found {
            if seen.insert(file.clone()) {
                discovery.files.push(file);
            }
        }
    }
    discovery
}

fn io_reason(e: &walkdir::Error) -> String {
    e.io_error()
        .map_or_else(|| e.to_string(), |io| io.kind().to_string())
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Explains why a file's text could not be read.
#[derive(Debug)]
struct ReadFailure {
    diagnostic: Box<Diagnostic>,
    /// A lossy copy of the text, to quote the offending line (none for binary data).
    lossy: Option<Arc<str>>,
}

/// Reads a file as UTF-8 text.
fn read_text(file: &Arc<PathBuf>) -> Result<Arc<str>, ReadFailure> {
    let whole_file = || SourceLocation::file_only(file);
    let fail = |d: Diagnostic| ReadFailure {
        diagnostic: Box::new(d),
        lossy: None,
    };
    let size = std::fs::metadata(file.as_path())
        .map_err(|e| {
            fail(
                Diagnostic::error(format!("could not read the file: {}", e.kind()), whole_file())
                    .with_help("check that the file exists and is readable"),
            )
        })?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(fail(
            Diagnostic::error(
                format!("the file is too large for a scenario ({size} bytes, limit {MAX_FILE_BYTES})"),
                whole_file(),
            )
            .with_help("split it into smaller scenario files"),
        ));
    }
    let bytes = std::fs::read(file.as_path()).map_err(|e| {
        fail(
            Diagnostic::error(format!("could not read the file: {}", e.kind()), whole_file())
                .with_help("check that the file exists and is readable"),
        )
    })?;
    text_of(file, bytes)
}

/// Turns raw bytes into text, refusing binary data and invalid UTF-8 with a
/// located diagnostic.
fn text_of(file: &Arc<PathBuf>, bytes: Vec<u8>) -> Result<Arc<str>, ReadFailure> {
    if looks_binary(&bytes) {
        return Err(ReadFailure {
            diagnostic: Box::new(
                Diagnostic::error(
                    "this is a binary file, not YAML text",
                    SourceLocation::file_only(file),
                )
                .with_help("scenario files are UTF-8 text; remove this file or give the right path"),
            ),
            lossy: None,
        });
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                // A byte-order mark is invisible in editors; dropping it keeps columns right.
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(Arc::from(text))
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() as u64 + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).into_owned());
            let diagnostic = Diagnostic::error(
                format!("the file is not valid UTF-8 (byte 0x{:02x})", bytes[valid]),
                SourceLocation {
                    file: Arc::clone(file),
                    line,
                    column,
                },
            )
            .with_span_len(1)
            .with_label("not UTF-8")
            .with_help("save the file as UTF-8");
            Err(ReadFailure {
                diagnostic: Box::new(diagnostic),
                lossy: Some(lossy),
            })
        }
    }
}

/// Tells binary data from text: NUL bytes or many control characters near the
/// start (YAML text has only tabs and line breaks).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > head.len().max(1)
}

fn is_blank(source: &str) -> bool {
    source.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

fn empty_file(file: &Arc<PathBuf>) -> Diagnostic {
    Diagnostic::error("the file is empty", SourceLocation::file_only(file))
        .with_help("a scenario needs at least `name:` and `steps:`; delete the file if it is not used")
}

// ---------------------------------------------------------------------------
// YAML errors -> diagnostics
// ---------------------------------------------------------------------------

/// Maps a serde-saphyr error to a diagnostic at the place it reports, with a
/// message that says what is wrong and a hint that says what to do.
fn yaml_diagnostic(file: &Arc<PathBuf>, source: &str, error: &YamlError) -> Diagnostic {
    let mut error = error.without_snippet();
    let mut location = error.location();
    if let YamlError::AliasError {
        error: inner,
        locations,
        ..
    } = error
    {
        error = inner.without_snippet();
        location = Some(locations.reference_location);
    }
    let location = location.filter(|l| *l != Location::UNKNOWN && l.line() > 0);
    let Some(location) = location else {
        let message = DefaultMessageFormatter.format_message(error).into_owned();
        return Diagnostic::error(
            format!("invalid YAML: {message}"),
            SourceLocation::file_only(file),
        );
    };
    let at = SourceLocation {
        file: Arc::clone(file),
        line: location.line(),
        column: location.column(),
    };
    let span_len = usize::try_from(location.span().len()).unwrap_or(0);
    let line_text = line_of(source, location.line()).unwrap_or("");
    if let Some(template) = unquoted_template(line_text, location.column()) {
        return template_diagnostic(file, location.line(), &template);
    }
    let key = key_before(line_text, location.column());
    let found = token_at(line_text, location.column());
    let diagnostic = match error {
        YamlError::SerdeUnknownField { field, expected, .. } => {
            return unknown_key(at, field, expected);
        }
        YamlError::SerdeMissingField { field, .. } => {
            let at_root = at.line <= 1;
            missing_key(at, field, key.as_deref(), at_root)
        }
        YamlError::SerdeInvalidType {
            unexpected, expected, ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected, expected, ..
        } => Diagnostic::error(
            format!(
                "{}expected {expected}, found {unexpected}",
                key_prefix(key.as_deref())
            ),
            at,
        )
        .with_help("change the value to the expected kind"),
        YamlError::InvalidScalar { ty, .. } => {
            let (kind, help) = scalar_kind(ty);
            Diagnostic::error(
                format!(
                    "{}expected {kind}, found `{}`",
                    key_prefix(key.as_deref()),
                    found.as_deref().unwrap_or("")
                ),
                at,
            )
            .with_help(help)
        }
        YamlError::Unexpected { expected, .. } => {
            let (kind, help) = structure_kind(expected);
            Diagnostic::error(format!("{}expected {kind}", key_prefix(key.as_deref())), at).with_help(help)
        }
        YamlError::NullIntoString { .. } => Diagnostic::error(
            format!("{}has no value; expected a string", key_prefix(key.as_deref())),
            at,
        )
        .with_help("write a value after the colon, or remove the key"),
        YamlError::InvalidBooleanStrict { .. } => Diagnostic::error(
            format!(
                "{}expected `true` or `false`, found `{}`",
                key_prefix(key.as_deref()),
                found.as_deref().unwrap_or("")
            ),
            at,
        )
        .with_help("only `true` and `false` are booleans here; `yes`, `no`, `on` and `off` are not"),
        YamlError::DuplicateMappingKey { key: dup, .. } => {
            let name = dup.clone().unwrap_or_else(|| found.clone().unwrap_or_default());
            Diagnostic::error(format!("duplicate key `{name}`"), at)
                .with_label("defined again here")
                .with_help("a key may appear only once in a mapping; remove or rename one of them")
        }
        YamlError::Budget { breach, .. } => budget_diagnostic(at, breach),
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => alias_bomb(at),
        YamlError::MultipleDocuments { .. } => Diagnostic::error(
            "the file holds more than one YAML document (`---`); a scenario file holds one",
            at,
        )
        .with_help("split it into one file per scenario"),
        YamlError::Eof { .. } => empty_file(file),
        YamlError::UnknownAnchor { .. } => {
            Diagnostic::error("this alias names no anchor defined before it", at)
                .with_help("define the anchor (`&name`) before its first use (`*name`)")
                .with_help(
                    "a `*` starts an alias in YAML: quote JSONPaths with wildcards, e.g. \"$.results[*].id\"",
                )
        }
        YamlError::NonFiniteFloat { value, .. } => {
            Diagnostic::error(format!("`{value}` is not a finite number"), at)
                .with_help("quote it if it is meant as text")
        }
        other => syntax_diagnostic(source, at, &DefaultMessageFormatter.format_message(other)),
    };
    if diagnostic.location.line == 0 || diagnostic.span_len > 0 {
        diagnostic
    } else {
        diagnostic.with_span_len(span_len.max(1))
    }
}

/// Explains a parser (syntax) error, with hints for the usual YAML traps.
fn syntax_diagnostic(source: &str, mut at: SourceLocation, message: &str) -> Diagnostic {
    let lower = message.to_lowercase();
    if lower.contains("recursion limit") {
        return Diagnostic::error(format!("the YAML nests deeper than {MAX_DEPTH} levels"), at)
            .with_help("flatten the structure; a scenario never needs this much nesting");
    }
    if lower.contains("tab") {
        // The parser may point at the line before the tab; point at the tab itself.
        if let Some((line, column)) = first_indent_tab(source, at.line) {
            at.line = line;
            at.column = column;
        }
        return Diagnostic::error("a tab is used for indentation", at)
            .with_label("tab")
            .with_help("YAML indentation must use spaces; replace the tab with spaces");
    }
    let mut diagnostic = Diagnostic::error(format!("invalid YAML: {message}"), at);
    if lower.contains("quote") || lower.contains("quoted scalar") {
        diagnostic = diagnostic
            .with_help("close the quote; a string that starts with a quote must end with the same quote");
    } else if lower.contains("mapping values are not allowed")
        || lower.contains("expected key")
        || lower.contains("block mapping")
        || lower.contains("block sequence")
        || lower.contains("indentation")
    {
        diagnostic = diagnostic.with_help(
            "check the indentation: keys of one mapping start in the same column, and nested keys are indented further than their parent",
        );
    } else if lower.contains("',' or ']'") || lower.contains("',' or '}'") || lower.contains("flow") {
        diagnostic =
            diagnostic.with_help("close the `[` or `{` that opens this collection, or quote the value");
    } else {
        diagnostic = diagnostic.with_help("fix the YAML syntax at this position");
    }
    diagnostic
}

fn first_indent_tab(source: &str, from_line: u64) -> Option<(u64, u64)> {
    source
        .split('\n')
        .enumerate()
        .skip(usize::try_from(from_line.saturating_sub(1)).ok()?)
        .take(3)
        .find_map(|(i, line)| {
            let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            indent
                .chars()
                .position(|c| c == '\t')
                .map(|col| (i as u64 + 1, col as u64 + 1))
        })
}

fn budget_diagnostic(at: SourceLocation, breach: &BudgetBreach) -> Diagnostic {
    match breach {
        BudgetBreach::Depth { .. } => {
            Diagnostic::error(format!("the YAML nests deeper than {MAX_DEPTH} levels"), at)
                .with_help("flatten the structure; a scenario never needs this much nesting")
        }
        BudgetBreach::Documents { .. } => Diagnostic::error(
            "the file holds more than one YAML document (`---`); a scenario file holds one",
            at,
        )
        .with_help("split it into one file per scenario"),
        BudgetBreach::ScalarBytes { .. } | BudgetBreach::InputBytes { .. } => {
            Diagnostic::error("the file holds too much text for a scenario", at)
                .with_help("split it into smaller scenario files")
        }
        _ => alias_bomb(at),
    }
}

fn alias_bomb(at: SourceLocation) -> Diagnostic {
    Diagnostic::error(
        format!(
            "the YAML holds or expands to more than {MAX_NODES} nodes: too large for one scenario, \
             or aliases multiply it (an alias bomb)"
        ),
        at,
    )
    .with_help(
        "split a large file into several scenarios; write values out instead of nesting aliases (`*name`)",
    )
}

/// Describes an unquoted `{{ ... }}` found on a line, which YAML reads as a
/// flow mapping.
struct UnquotedTemplate {
    column: u64,
    text: String,
}

/// Finds an unquoted template value on `line` at or before `column`: `{{`
/// right after `key:`, `- `, `[`, `,` or `{`.
fn unquoted_template(line: &str, column: u64) -> Option<UnquotedTemplate> {
    let start = line.find("{{")?;
    let start_column = line[..start].chars().count() as u64 + 1;
    if start_column > column {
        return None;
    }
    let before = line[..start].trim_end();
    if !(before.is_empty() || before.ends_with([':', '-', '[', ',', '{'])) {
        return None;
    }
    let end = line[start..].find("}}").map_or(line.len(), |i| start + i + 2);
    Some(UnquotedTemplate {
        column: start_column,
        text: line[start..end].to_owned(),
    })
}

fn template_diagnostic(file: &Arc<PathBuf>, line: u64, template: &UnquotedTemplate) -> Diagnostic {
    Diagnostic::error(
        format!("unquoted template `{}` is read as a YAML mapping", template.text),
        SourceLocation {
            file: Arc::clone(file),
            line,
            column: template.column,
        },
    )
    .with_span_len(template.text.chars().count())
    .with_label("YAML sees `{` here")
    .with_help(format!("quote the template: \"{}\"", template.text))
}

/// Returns the mapping key written just before `column` on `line`, if any
/// (`retry: { attempts: many }` at `many` gives `attempts`).
fn key_before(line: &str, column: u64) -> Option<String> {
    let cut = line
        .char_indices()
        .nth(usize::try_from(column.saturating_sub(1)).ok()?)
        .map_or(line.len(), |(i, _)| i);
    let before = line[..cut].trim_end().strip_suffix(':')?;
    let key: String = before
        .chars()
        .rev()
        .take_while(|c| !matches!(c, ' ' | '{' | ',' | '-' | '[' | '"' | '\''))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!key.is_empty()).then_some(key)
}

fn key_prefix(key: Option<&str>) -> String {
    key.map(|k| format!("`{k}`: ")).unwrap_or_default()
}

/// Returns the scalar written at `column`, up to a flow delimiter or comment.
fn token_at(line: &str, column: u64) -> Option<String> {
    let start = line
        .char_indices()
        .nth(usize::try_from(column.saturating_sub(1)).ok()?)?
        .0;
    let rest = &line[start..];
    let end = rest.find([',', '}', ']', '#']).unwrap_or(rest.len());
    let token = rest[..end].trim();
    if token.is_empty() {
        return None;
    }
    Some(if token.chars().count() > 40 {
        format!("{}...", token.chars().take(40).collect::<String>())
    } else {
        token.to_owned()
    })
}

fn scalar_kind(ty: &str) -> (Cow<'static, str>, &'static str) {
    match ty {
        "u8" | "u16" | "u32" | "u64" | "usize" => (
            Cow::Borrowed("a whole number (0 or more)"),
            "write digits only, without quotes or units",
        ),
        "i8" | "i16" | "i32" | "i64" | "isize" => (
            Cow::Borrowed("a whole number"),
            "write digits only, without quotes or units",
        ),
        "f32" | "f64" => (Cow::Borrowed("a number"), "write a number such as `2` or `1.5`"),
        "bool" => (Cow::Borrowed("`true` or `false`"), "write `true` or `false`"),
        other => (Cow::Owned(format!("a value of type {other}")), "change the value"),
    }
}

fn structure_kind(expected: &str) -> (&'static str, &'static str) {
    if expected.contains("sequence") {
        (
            "a list",
            "write a list: one `- item` per line, or `[a, b]` on one line",
        )
    } else if expected.contains("mapping") {
        (
            "a mapping",
            "write `key: value` pairs, indented under their parent",
        )
    } else if expected.contains("string") || expected.contains("scalar") {
        (
            "a single value (a string)",
            "write a plain value; quote it if it contains `{`, `[` or `: `",
        )
    } else {
        (
            "something else here",
            "check the value against the scenario format",
        )
    }
}

/// Names the part of the format a list of valid keys belongs to.
fn key_context(expected: &[&str]) -> &'static str {
    let has = |k: &str| expected.contains(&k);
    if has("steps") {
        "at the top of the scenario"
    } else if has("follow_redirects") {
        "in a step"
    } else if has("max_time") {
        "in `expect`"
    } else if has("jsonpath") {
        "in a capture"
    } else if has("attempts") {
        "in `retry`"
    } else if has("include") {
        "in `snapshot`"
    } else if has("redact") {
        "in the scenario's `snapshot`"
    } else if has("default") {
        "in an input declaration"
    } else if has("prompt") {
        "in `ask`"
    } else {
        "here"
    }
}

fn unknown_key(at: SourceLocation, field: &str, expected: &[&str]) -> Diagnostic {
    let context = key_context(expected);
    let mut diagnostic = Diagnostic::error(format!("unknown key `{field}` {context}"), at)
        .with_span_len(field.chars().count())
        .with_label("unknown key");
    if let Some(suggestion) = did_you_mean(field, expected.iter().copied()) {
        diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}`?"));
    } else if context == "in a step" && matches!(field, "status" | "max_time" | "subset") {
        diagnostic = diagnostic.with_help(format!("`{field}` belongs under `expect:`"));
    } else if context == "in a step" && matches!(field, "url" | "path" | "method" | "request") {
        diagnostic =
            diagnostic.with_help("write the method as the key and the path as its value: `get: /path`");
    } else if context == "in `expect`" && field == "json" {
        diagnostic = diagnostic.with_help("check JSON values with `body:` (JSONPath keys) or `subset:`");
    } else {
        diagnostic = diagnostic.with_help("remove the key or fix its spelling");
    }
    diagnostic.with_note(format!("valid keys: {}", expected.join(", ")))
}

fn missing_key(at: SourceLocation, field: &str, parent: Option<&str>, at_root: bool) -> Diagnostic {
    let (message, help) = match (field, parent) {
        ("name", _) if at_root => (
            "the scenario has no `name`".to_owned(),
            "add `name: <what the scenario proves>` at the top of the file".to_owned(),
        ),
        (_, Some(parent)) => (
            format!("`{parent}` is missing the key `{field}`"),
            format!("add `{field}: ...` to `{parent}`"),
        ),
        _ => (
            format!("missing key `{field}`"),
            format!("add `{field}: ...` to this mapping"),
        ),
    };
    Diagnostic::error(message, at).with_help(help)
}

// ---------------------------------------------------------------------------
// Shape problems -> diagnostics
// ---------------------------------------------------------------------------

/// Words a problem found by the shape walk like the typed parse words the
/// same problem, so a file reads the same whichever found it.
fn shape_diagnostic(file: &Arc<PathBuf>, source: &str, found: &ShapeProblem) -> Option<Diagnostic> {
    let at = SourceLocation {
        file: Arc::clone(file),
        line: found.line,
        column: found.column,
    };
    let text = line_of(source, found.line)
        .and_then(|line| token_at(line, found.column))
        .unwrap_or_default();
    let diagnostic = match &found.problem {
        Problem::UnknownKey { key, valid } => {
            let valid: Vec<&str> = valid.iter().map(String::as_str).collect();
            return Some(unknown_key(at, key, &valid));
        }
        Problem::MissingKey { key, parent, at_root } => missing_key(at, key, parent.as_deref(), *at_root),
        Problem::WrongKind { key, expected, found } => {
            wrong_kind(at, key.as_deref(), expected, *found, &text)
        }
        Problem::NoValue { key, expected } => Diagnostic::error(
            format!(
                "{}has no value; expected {}",
                key_prefix(key.as_deref()),
                describe_kinds(expected)
            ),
            at,
        )
        .with_help("write a value after the colon, or remove the key"),
        Problem::NotADurationString { key } => duration_diagnostic(key, &text, at)?,
    };
    Some(if diagnostic.span_len > 0 {
        diagnostic
    } else {
        diagnostic.with_span_len(found.len.max(1))
    })
}

/// Words "expected this kind, found that", with the hint for the expected kind.
fn wrong_kind(
    at: SourceLocation,
    key: Option<&str>,
    expected: &[Kind],
    found: Found,
    text: &str,
) -> Diagnostic {
    let prefix = key_prefix(key);
    let found = match found {
        Found::Scalar => format!("`{text}`"),
        Found::List => "a list".to_owned(),
        Found::Mapping => "a mapping".to_owned(),
    };
    let expected: Vec<Kind> = expected.iter().copied().filter(|k| *k != Kind::Null).collect();
    let structure = |kind: &str| structure_kind(kind);
    let (message, help) = match expected.as_slice() {
        [Kind::String] => {
            let (kind, help) = structure("string");
            (format!("{prefix}expected {kind}"), help)
        }
        [Kind::List] => {
            let (kind, help) = structure("sequence");
            (format!("{prefix}expected {kind}"), help)
        }
        [Kind::Mapping] => {
            let (kind, help) = structure("mapping");
            (format!("{prefix}expected {kind}"), help)
        }
        [kind @ (Kind::Integer { .. } | Kind::Number | Kind::Boolean)] => {
            let help = match kind {
                Kind::Boolean if is_yaml11_boolean(text) => {
                    "only `true` and `false` are booleans here; `yes`, `no`, `on` and `off` are not"
                }
                Kind::Boolean => "write `true` or `false`",
                Kind::Number => "write a number such as `2` or `1.5`",
                _ => "write digits only, without quotes or units",
            };
            (
                format!("{prefix}expected {}, found {found}", describe_kinds(&expected)),
                help,
            )
        }
        _ => (
            format!("{prefix}expected {}, found {found}", describe_kinds(&expected)),
            "change the value to the expected kind",
        ),
    };
    Diagnostic::error(message, at).with_help(help)
}

/// Tells the YAML 1.1 booleans (`yes`, `off`...) that YAML 1.2 reads as text.
fn is_yaml11_boolean(text: &str) -> bool {
    matches!(
        text.to_lowercase().as_str(),
        "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

/// Joins kinds as "a, b or c" for messages.
fn describe_kinds(kinds: &[Kind]) -> String {
    let words: Vec<&str> = kinds
        .iter()
        .filter(|k| **k != Kind::Null)
        .map(|kind| match kind {
            Kind::String => "a string",
            Kind::Integer { unsigned: true } => "a whole number (0 or more)",
            Kind::Integer { unsigned: false } => "a whole number",
            Kind::Number => "a number",
            Kind::Boolean => "`true` or `false`",
            Kind::List => "a list",
            Kind::Mapping => "a mapping",
            Kind::Null => "nothing",
        })
        .collect();
    match words.as_slice() {
        [] => "a value".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => {
            // "`true` or `false`, or a mapping" needs the comma; "a string or a mapping" does not.
            let or = if words.iter().any(|w| w.contains(" or ")) {
                ", or "
            } else {
                " or "
            };
            format!("{}{or}{last}", rest.join(", "))
        }
    }
}

/// Returns the diagnostic for a duration `text` written under `key`, or
/// `None` when it is a valid duration (or a template, checked when it runs).
fn duration_diagnostic(key: &str, text: &str, at: SourceLocation) -> Option<Diagnostic> {
    if text.contains("{{") {
        return None;
    }
    let error = humantime::parse_duration(text.trim()).err()?;
    let reason = error.to_string();
    // humantime appends the whole unit list; the help below says it shorter.
    let reason = reason.split(", supported units").next().unwrap_or(&reason);
    Some(
        Diagnostic::error(format!("`{key}`: invalid duration `{text}` ({reason})"), at)
            .with_help("write a number with a unit, such as `500ms`, `5s` or `2m`"),
    )
}

// ---------------------------------------------------------------------------
// Structural checks
// ---------------------------------------------------------------------------

/// Names the step keys that only make sense with a request.
const REQUEST_KEYS: &[&str] = &[
    "query",
    "headers",
    "json",
    "form",
    "body",
    "timeout",
    "follow_redirects",
    "expect",
    "capture",
    "snapshot",
    "retry",
];

/// Checks what the parsed file alone can tell: names, one request per step,
/// one body, durations, retry bounds, status and predicate syntax, capture
/// sources, snapshot parts, duplicate step names. Returns every problem found.
#[must_use]
pub fn structural_checks(file: &Arc<PathBuf>, scenario: &Scenario) -> Vec<Diagnostic> {
    let mut checker = Checker {
        file,
        out: Vec::new(),
    };
    if scenario.name.value.trim().is_empty() {
        let d = checker
            .at("the scenario name is empty", &scenario.name)
            .with_help("give the scenario a name that says what it proves");
        checker.out.push(d);
    }
    for step in scenario.steps.iter().chain(&scenario.finally) {
        checker.step(step);
    }
    checker.duplicate_step_names(scenario);
    checker.out
}

struct Checker<'a> {
    file: &'a Arc<PathBuf>,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn at<T>(&self, message: impl Into<String>, node: &Spanned<T>) -> Diagnostic {
        Diagnostic::error_at(message, self.file, node)
    }

    /// Points at `node` when it has a location (shorthands may not), else at `fallback`.
    fn at_or<T, U>(
        &self,
        message: impl Into<String>,
        node: &Spanned<T>,
        fallback: &Spanned<U>,
    ) -> Diagnostic {
        if node.referenced == Location::UNKNOWN {
            self.at(message, fallback)
        } else {
            self.at(message, node)
        }
    }

    fn step(&mut self, step: &Spanned<Step>) {
        let s = &step.value;
        let targets = s.request_targets();
        if let Some(ask) = &s.ask {
            if !targets.is_empty() || s.use_flow.is_some() || s.expect.is_some() || !s.capture.is_empty() {
                let d = self
                    .at(
                        "an `ask` step only sets a variable; it sends no request and runs no flow",
                        ask,
                    )
                    .with_help("move the request, `use`, `expect` or `capture` to a step of its own");
                self.out.push(d);
            }
            if ask.value.var.value.trim().is_empty() {
                self.out.push(
                    self.at("`ask.var` names no variable", &ask.value.var)
                        .with_help("write the variable to set, e.g. `var: code`"),
                );
            }
            return;
        }
        match (&s.use_flow, targets.as_slice()) {
            (None, []) => {
                let d = self.at("this step has no request", step).with_help(
                    "add a method key with a path (`get: /path`, `post: /login`...), `use: <flow file>` or `ask:`",
                );
                self.out.push(d);
            }
            (Some(flow), [(method, _), ..]) => {
                let d = self
                    .at("a step either sends a request or runs a flow, not both", flow)
                    .with_help(format!(
                        "move `use:` to a step of its own, or remove `{}:`",
                        method.as_str().to_lowercase()
                    ));
                self.out.push(d);
            }
            _ => {}
        }
        if let [(first, _), rest @ ..] = targets.as_slice() {
            for (method, target) in rest {
                let d = self
                    .at(
                        format!(
                            "this step has two request methods, `{}` and `{}`",
                            first.as_str().to_lowercase(),
                            method.as_str().to_lowercase()
                        ),
                        target,
                    )
                    .with_label("second method")
                    .with_help("a step sends one request; split it into two steps");
                self.out.push(d);
            }
        }
        self.one_body(step);
        if let Some(flow) = &s.use_flow {
            if flow.value.trim().is_empty() {
                let d = self
                    .at("`use` names no flow file", flow)
                    .with_help("write the path of a flow file, relative to this file");
                self.out.push(d);
            }
            self.request_keys_with_use(step);
        } else {
            if let Some((key, _)) = s.with.first() {
                let d = self
                    .at("`with` only applies to a step that runs a flow (`use:`)", key)
                    .with_help("remove `with:`, or add `use: <flow file>` and drop the request");
                self.out.push(d);
            }
            if let Some(first) = s.outputs.as_ref().and_then(|o| o.first()) {
                let d = self
                    .at(
                        "`outputs` only applies to a step that runs a flow (`use:`)",
                        first,
                    )
                    .with_help("remove `outputs:`; use `capture:` to keep values from a response");
                self.out.push(d);
            }
        }
        if let Some(timeout) = &s.timeout {
            self.duration("timeout", timeout);
        }
        if let Some(expect) = &s.expect {
            self.expect(expect);
        }
        if let Some(retry) = &s.retry {
            self.retry(retry);
        }
        for (name, entry) in &s.capture {
            self.capture(name, entry);
        }
        if let Some(snapshot) = &s.snapshot {
            self.snapshot(snapshot);
        }
    }

    fn one_body(&mut self, step: &Spanned<Step>) {
        let s = &step.value;
        let mut bodies: Vec<(&str, Location)> = Vec::new();
        if let Some(json) = &s.json {
            bodies.push(("json", json.referenced));
        }
        if let Some(form) = &s.form {
            let at = form.first().map_or(step.referenced, |(k, _)| k.referenced);
            bodies.push(("form", at));
        }
        if let Some(body) = &s.body {
            bodies.push(("body", body.referenced));
        }
        if let [(first, _), rest @ ..] = bodies.as_slice() {
            for (second, at) in rest {
                let node = Spanned::new((), *at, *at);
                let d = self
                    .at(
                        format!("`{first}` and `{second}` both set the request body"),
                        &node,
                    )
                    .with_help("a request has one body; keep only one of `json`, `form` and `body`");
                self.out.push(d);
            }
        }
    }

    fn request_keys_with_use(&mut self, step: &Spanned<Step>) {
        let s = &step.value;
        let present: Vec<&str> = REQUEST_KEYS
            .iter()
            .copied()
            .filter(|k| match *k {
                "query" => !s.query.is_empty(),
                "headers" => !s.headers.is_empty(),
                "json" => s.json.is_some(),
                "form" => s.form.is_some(),
                "body" => s.body.is_some(),
                "timeout" => s.timeout.is_some(),
                "follow_redirects" => s.follow_redirects.is_some(),
                "expect" => s.expect.is_some(),
                "capture" => !s.capture.is_empty(),
                "snapshot" => s.snapshot.is_some(),
                _ => s.retry.is_some(),
            })
            .collect();
        if !present.is_empty()
            && let Some(flow) = &s.use_flow
        {
            let d = self
                .at(
                    format!("{} cannot be used on a step that runs a flow", quote_list(present.iter().copied())),
                    flow,
                )
                .with_help("put requests, expectations and captures in the flow's own steps; bring values back with `outputs:`");
            self.out.push(d);
        }
    }

    fn duration(&mut self, key: &str, value: &Spanned<String>) {
        let at = SourceLocation::of(self.file, value);
        if let Some(d) = duration_diagnostic(key, &value.value, at) {
            self.out.push(d.with_span_len(span_len_of(value)));
        }
    }

    fn expect(&mut self, expect: &Spanned<Expect>) {
        let e = &expect.value;
        if let Some(status) = &e.status
            && !is_template(&status.value)
            && let Err(err) = StatusExpect::parse(&status.value)
        {
            let d = self
                .at(err.to_string(), status)
                .with_help("for example `status: 200`, `status: [200, 204]` or `status: 2xx`");
            self.out.push(d);
        }
        self.predicates("header", &e.headers);
        self.predicates("body", &e.body);
        if let Some(max_time) = &e.max_time {
            self.duration("max_time", max_time);
        }
    }

    fn predicates(&mut self, what: &str, map: &SpannedMap<Value>) {
        for (key, value) in map {
            if let Err(err) = parse_predicates(&value.value) {
                let d = self
                    .at_or(format!("{what} expectation `{}`: {err}", key.value), value, key)
                    .with_help("see the list of predicates: equals, exists, type, matches, contains, length, <, >...");
                self.out.push(d);
            }
        }
    }

    fn retry(&mut self, retry: &Spanned<Retry>) {
        let r = &retry.value;
        if r.attempts.value < 1 {
            let d = self
                .at("`attempts` must be at least 1", &r.attempts)
                .with_help("`attempts` counts every try, the first one included");
            self.out.push(d);
        }
        if let Some(backoff) = r.backoff
            && !(backoff.is_finite() && backoff > 0.0)
        {
            let d = self
                .at(
                    format!("`backoff` must be a positive number, found {backoff}"),
                    retry,
                )
                .with_help("use 1 for a constant interval, 2 to double it after each attempt");
            self.out.push(d);
        }
        for (key, value) in [
            ("interval", &r.interval),
            ("max_interval", &r.max_interval),
            ("deadline", &r.deadline),
        ] {
            if let Some(value) = value {
                self.duration(key, value);
            }
        }
    }

    fn capture(&mut self, name: &Spanned<String>, entry: &Spanned<CaptureEntry>) {
        let c = &entry.value.0;
        let mut sources: Vec<&str> = Vec::new();
        if c.jsonpath.is_some() {
            sources.push("jsonpath");
        }
        if c.header.is_some() {
            sources.push("header");
        }
        if c.cookie.is_some() {
            sources.push("cookie");
        }
        if c.status == Some(true) {
            sources.push("status");
        }
        if c.body == Some(true) {
            sources.push("body");
        }
        let n = &name.value;
        match sources.as_slice() {
            [] => {
                let d = self
                    .at(format!("capture `{n}` names no source"), name)
                    .with_help("add one of `jsonpath: $.x`, `header: name`, `cookie: name`, `status: true`, `body: true`");
                self.out.push(d);
            }
            [_] => {}
            several => {
                let d = self
                    .at(
                        format!(
                            "capture `{n}` names several sources: {}",
                            quote_list(several.iter().copied())
                        ),
                        name,
                    )
                    .with_help("a capture takes one value; split it into one capture per source");
                self.out.push(d);
            }
        }
        if let Some(regex) = &c.regex
            && c.header.is_none()
            && c.body != Some(true)
        {
            let d = self
                .at_or(
                    format!("capture `{n}`: `regex` applies only to a `header` or `body: true`"),
                    regex,
                    name,
                )
                .with_help("capture the text with `header:` or `body: true`, or drop `regex`");
            self.out.push(d);
        }
        if c.group.is_some() && c.regex.is_none() {
            let d = self
                .at(format!("capture `{n}`: `group` needs a `regex`"), name)
                .with_help("add `regex:` with a group, or drop `group`");
            self.out.push(d);
        }
    }

    fn snapshot(&mut self, snapshot: &Spanned<SnapshotSpec>) {
        const PARTS: [&str; 2] = ["status", "headers"];
        for item in &snapshot.value.include {
            if !PARTS.contains(&item.value.as_str()) {
                let mut d = self
                    .at_or(format!("unknown snapshot part `{}`", item.value), item, snapshot)
                    .with_note("`include` accepts `status` and `headers` (the body is always recorded)");
                if let Some(s) = did_you_mean(&item.value, PARTS) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else {
                    d = d.with_help("remove it from `include`");
                }
                self.out.push(d);
            }
        }
    }

    fn duplicate_step_names(&mut self, scenario: &Scenario) {
        let mut seen: Vec<&Spanned<String>> = Vec::new();
        for step in scenario.steps.iter().chain(&scenario.finally) {
            let Some(name) = &step.value.name else { continue };
            if let Some(first) = seen.iter().find(|n| n.value == name.value) {
                let d =
                    Diagnostic::warning_at(format!("two steps are named `{}`", name.value), self.file, name)
                        .with_help("give each step its own name, so reports and snapshots tell them apart")
                        .with_note(format!("the first one is at line {}", first.referenced.line()));
                self.out.push(d);
            } else {
                seen.push(name);
            }
        }
    }
}

fn is_template(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.contains("{{"))
}

/// Warns about secret names that no var, input, capture, flow output or
/// caller-provided name (`known`) defines: a typo there leaks the value.
#[must_use]
pub fn check_secrets(file: &Arc<PathBuf>, scenario: &Scenario, known: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut names: BTreeSet<&str> = known.iter().map(String::as_str).collect();
    names.extend(scenario.vars.keys().map(|k| k.value.as_str()));
    if let Some(inputs) = &scenario.inputs {
        names.extend(inputs.keys().map(|k| k.value.as_str()));
    }
    for step in scenario.steps.iter().chain(&scenario.finally) {
        names.extend(step.value.capture.keys().map(|k| k.value.as_str()));
        if let Some(outputs) = &step.value.outputs {
            names.extend(outputs.iter().map(|o| o.value.as_str()));
        }
    }
    let mut out = Vec::new();
    for secret in &scenario.secrets {
        if !names.contains(secret.value.as_str()) {
            let mut d = Diagnostic::warning_at(
                format!(
                    "secret `{}` is not a declared variable, input or capture",
                    secret.value
                ),
                file,
                secret,
            )
            .with_label("never defined");
            d = match did_you_mean(&secret.value, names.iter().copied()) {
                Some(s) => d.with_help(format!(
                    "did you mean `{s}`? a misspelt secret is printed in clear"
                )),
                None => d.with_help(format!(
                    "declare it under `vars:`, capture it, pass it with `--var {}=...`, or remove it from `secrets:`",
                    secret.value
                )),
            };
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Arc<PathBuf> {
        Arc::new("t.yaml".into())
    }

    fn parse_err(src: &str) -> Diagnostic {
        *parse_source(&file(), src).unwrap_err()
    }

    fn checks(src: &str) -> Vec<Diagnostic> {
        let s = parse_source(&file(), src).unwrap();
        structural_checks(&file(), &s)
    }

    #[test]
    fn keeps_locations_through_shorthands() {
        let src = "name: x\nsteps:\n  - name: a\n    post: /login\n    capture:\n      token: $.token\n      sid: { header: set-cookie, regex: 'a(b)' }\n    snapshot: { redact: [$.x] }\n    expect:\n      status: 200\n      body:\n        $.a: { type: string }\n";
        let s = parse_scenario(Path::new("t.yaml"), src).unwrap();
        let step = &s.steps[0];
        assert_eq!(step.referenced.line(), 3);
        let (k, v) = step.value.capture.get_index(1).unwrap();
        assert_eq!(k.value, "sid");
        assert_eq!(v.referenced.line(), 7);
        assert_eq!(v.value.0.header.as_ref().unwrap().referenced.line(), 7);
        let snap = step.value.snapshot.as_ref().unwrap();
        assert_eq!(snap.value.redact[0].referenced.line(), 8);
        let body = &step.value.expect.as_ref().unwrap().value.body;
        assert_eq!(body.get_index(0).unwrap().0.referenced.line(), 12);
        let (_, token) = step.value.capture.get_index(0).unwrap();
        assert_eq!(token.value.0.jsonpath.as_ref().unwrap().value, "$.token");
    }

    #[test]
    fn unknown_keys_suggest_the_closest_and_list_the_valid_ones() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    captur:\n      t: $.t\n");
        assert_eq!(d.message, "unknown key `captur` in a step");
        assert_eq!((d.location.line, d.location.column, d.span_len), (4, 5, 6));
        assert_eq!(d.help, vec!["did you mean `capture`?"]);
        assert!(d.notes[0].contains("follow_redirects"), "{:?}", d.notes);
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    status: 200\n");
        assert_eq!(d.help, vec!["`status` belongs under `expect:`"]);
    }

    #[test]
    fn wrong_types_say_what_was_expected() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    retry: { attempts: many }\n");
        assert_eq!(
            d.message,
            "`attempts`: expected a whole number (0 or more), found `many`"
        );
        let d = parse_err("name: x\nsteps: 5\n");
        assert_eq!(d.message, "`steps`: expected a list");
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    follow_redirects: yes\n");
        assert!(
            d.message.contains("expected `true` or `false`, found `yes`"),
            "{}",
            d.message
        );
    }

    fn all_problems(src: &str) -> Vec<Diagnostic> {
        parse_source_all_problems(&file(), src).unwrap_err()
    }

    fn lines_and_messages(found: &[Diagnostic]) -> Vec<(u64, u64, &str)> {
        found
            .iter()
            .map(|d| (d.location.line, d.location.column, d.message.as_str()))
            .collect()
    }

    #[test]
    fn every_unknown_key_and_wrong_type_is_reported_alike() {
        let src = "name: x\nsteps:\n  - get: /a\n    captur: {}\n    retry: { attempts: many }\n  - get: /b\n    retry: { attempts: lots }\n    captur: {}\n";
        let found = all_problems(src);
        assert_eq!(
            lines_and_messages(&found),
            [
                (4, 5, "unknown key `captur` in a step"),
                (
                    5,
                    24,
                    "`attempts`: expected a whole number (0 or more), found `many`"
                ),
                (
                    7,
                    24,
                    "`attempts`: expected a whole number (0 or more), found `lots`"
                ),
                (8, 5, "unknown key `captur` in a step"),
            ]
        );
        // The first came from serde, the others from the walk: same words.
        assert_eq!(found[0].notes, found[3].notes);
        assert_eq!(found[0].help, found[3].help);
        assert_eq!(
            (found[1].span_len, &found[1].help),
            (found[2].span_len, &found[2].help)
        );
        assert_eq!(*parse_source(&file(), src).unwrap_err(), found[0]);
    }

    #[test]
    fn a_problem_serde_and_the_walk_both_find_is_reported_once() {
        let found = all_problems("name: x\nsteps:\n  - get: /a\n    retry: { interval: 1s }\n");
        assert_eq!(
            lines_and_messages(&found),
            [(4, 12, "`retry` is missing the key `attempts`")]
        );
        let found = all_problems("name: x\nsteps:\n  - get: /a\n    capture: { t: 12 }\n");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.contains("found integer `12`"),
            "{}",
            found[0].message
        );
        let found = all_problems("steps:\n  - get: /a\n    stauts: 200\n");
        assert_eq!(
            lines_and_messages(&found),
            [
                (1, 1, "the scenario has no `name`"),
                (3, 5, "unknown key `stauts` in a step")
            ]
        );
    }

    #[test]
    fn a_typed_error_the_walk_cannot_see_is_kept() {
        let found = all_problems(
            "name: x\nsteps:\n  - get: /a\n    retry: { attempts: 99999999999 }\n    captur: {}\n",
        );
        assert_eq!(
            lines_and_messages(&found),
            [
                (
                    4,
                    24,
                    "`attempts`: expected a whole number (0 or more), found `99999999999`"
                ),
                (5, 5, "unknown key `captur` in a step"),
            ]
        );
        let found = all_problems("name: x\nvars:\n  ? [a]\n  : 1\n");
        assert_eq!(found.len(), 1, "{found:#?}");
    }

    #[test]
    fn durations_written_as_numbers_follow_the_duration_rule() {
        let found = all_problems(
            "name: x\nsteps:\n  - get: /a\n    timeout: 0\n    captur: {}\n  - get: /b\n    timeout: 30\n",
        );
        assert_eq!(
            lines_and_messages(&found),
            [
                (5, 5, "unknown key `captur` in a step"),
                (
                    7,
                    14,
                    "`timeout`: invalid duration `30` (time unit needed, for example 30sec or 30ms)"
                ),
            ]
        );
        assert_eq!(
            found[1].help,
            ["write a number with a unit, such as `500ms`, `5s` or `2m`"]
        );
    }

    #[test]
    fn a_file_that_parses_has_no_problems_to_report() {
        assert!(parse_source_all_problems(&file(), "name: x\nsteps:\n  - get: /a\n    timeout: 5\n").is_ok());
        assert_eq!(all_problems("   \n").len(), 1);
        assert!(
            all_problems("name: x\n  bad: indent\n")[0]
                .message
                .starts_with("invalid YAML")
        );
    }

    #[test]
    fn syntax_errors_win_over_typed_errors() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n     name: b\n");
        assert_eq!(d.location.line, 4);
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
        assert!(d.help[0].contains("indentation"), "{:?}", d.help);
    }

    #[test]
    fn unquoted_templates_get_a_quoting_hint() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n    headers:\n      Authorization: {{ token }}\n");
        assert_eq!(
            d.message,
            "unquoted template `{{ token }}` is read as a YAML mapping"
        );
        assert_eq!((d.location.line, d.location.column), (5, 22));
        assert_eq!(d.help, vec!["quote the template: \"{{ token }}\""]);
    }

    #[test]
    fn tabs_point_at_the_tab() {
        let d = parse_err("name: x\nsteps:\n  - get: /a\n  \tname: b\n");
        assert_eq!(d.message, "a tab is used for indentation");
        assert_eq!((d.location.line, d.location.column), (4, 3));
    }

    #[test]
    fn duplicate_keys_and_empty_files_are_refused() {
        let d = parse_err("name: x\nname: y\nsteps: []\n");
        assert_eq!(d.message, "duplicate key `name`");
        assert_eq!(d.location.line, 2);
        assert_eq!(parse_err("").message, "the file is empty");
        assert_eq!(parse_err("# only a comment\n\n").message, "the file is empty");
    }

    #[test]
    fn budgets_refuse_bombs_and_deep_nesting() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        assert!(parse_err(&bomb).message.contains("alias bomb"));
        let deep = format!("name: x\nvars:\n  a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(parse_err(&deep).message.contains("nests deeper"));
    }

    #[test]
    fn binary_and_invalid_utf8_are_diagnostics() {
        let f = file();
        let failure = text_of(&f, vec![0x7f, b'E', b'L', b'F', 0, 0, 1]).unwrap_err();
        assert!(
            failure.diagnostic.message.contains("binary"),
            "{}",
            failure.diagnostic.message
        );
        assert!(failure.lossy.is_none());
        let failure = text_of(&f, b"name: x\nsteps: [\xff]\n".to_vec()).unwrap_err();
        let d = &failure.diagnostic;
        assert_eq!((d.location.line, d.location.column), (2, 9));
        assert!(d.message.contains("0xff"), "{}", d.message);
        assert!(failure.lossy.is_some());
        assert_eq!(
            &*text_of(&f, "\u{feff}name: x".as_bytes().to_vec()).unwrap(),
            "name: x"
        );
    }

    #[test]
    fn valid_steps_pass_structural_checks() {
        let src = "name: x\nsteps:\n  - name: a\n    post: /login\n    json: { a: 1 }\n    timeout: 5s\n    retry: { attempts: 3, interval: 200ms }\n    expect: { status: 2xx, max_time: 1s, body: { $.a: { type: string } } }\n    capture:\n      t: $.t\n      c: { header: set-cookie, regex: 'sid=(\\w+)', group: 1 }\n    snapshot: { include: [status, headers] }\n  - use: flows/x.yaml\n    with: { a: 1 }\n    outputs: [b]\n";
        assert_eq!(checks(src), vec![]);
    }

    #[test]
    fn structural_problems_are_all_reported_with_locations() {
        let src = "name: ' '\nsteps:\n  - name: a\n    get: /a\n    post: /b\n    json: {}\n    body: x\n    timeout: 5 parsecs\n    expect: { status: ok }\n    capture:\n      t: { jsonpath: $.a, header: x }\n      u: { jsonpath: $.a, regex: x }\n      v: { header: x, group: 1 }\n    snapshot: { include: [stauts] }\n    retry: { attempts: 0 }\n    with: { a: 1 }\n  - name: a\n    use: f.yaml\n    expect: { status: 200 }\n  - name: b\n";
        let found = checks(src);
        let messages: Vec<String> = found
            .iter()
            .map(|d| format!("{}: {}", d.location.line, d.message))
            .collect();
        let expected = [
            "1: the scenario name is empty",
            "5: this step has two request methods, `get` and `post`",
            "7: `json` and `body` both set the request body",
            "16: `with` only applies to a step that runs a flow (`use:`)",
            "8: `timeout`: invalid duration `5 parsecs`",
            "9: invalid status",
            "15: `attempts` must be at least 1",
            "11: capture `t` names several sources: `jsonpath`, `header`",
            "12: capture `u`: `regex` applies only",
            "13: capture `v`: `group` needs a `regex`",
            "14: unknown snapshot part `stauts`",
            "18: `expect` cannot be used on a step that runs a flow",
            "20: this step has no request",
            "17: two steps are named `a`",
        ];
        assert_eq!(found.len(), expected.len(), "{messages:#?}");
        for (got, want) in messages.iter().zip(expected) {
            assert!(got.starts_with(want), "{got} !~ {want}\n{messages:#?}");
        }
        let dup = found.last().unwrap();
        assert_eq!(dup.severity, super::super::diag::Severity::Warning);
    }

    #[test]
    fn secrets_must_name_something() {
        let src = "name: x\nvars: { password: a }\nsecrets: [password, pasword, token, from_cli]\nsteps:\n  - get: /a\n    capture: { token: $.t }\n";
        let s = parse_source(&file(), src).unwrap();
        let known = BTreeSet::from(["from_cli".to_owned()]);
        let found = check_secrets(&file(), &s, &known);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`pasword`"));
        assert!(found[0].help[0].contains("did you mean `password`?"));
    }

    #[test]
    fn discovery_is_sorted_recursive_and_skips_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.hidden")).unwrap();
        std::fs::create_dir_all(root.join("a")).unwrap();
        for f in ["b/2.yml", "a/1.yaml", "b/.hidden/x.yaml", "b/notes.txt", "0.yaml"] {
            std::fs::write(root.join(f), "name: x\n").unwrap();
        }
        let found = discover(&[root.to_path_buf(), root.join("missing")]);
        let rel: Vec<String> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(rel, ["0.yaml", "a/1.yaml", "b/2.yml"]);
        assert_eq!(found.diagnostics.len(), 1);
        assert!(found.diagnostics[0].message.starts_with("no such file or folder"));
    }
}

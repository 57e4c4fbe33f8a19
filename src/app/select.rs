//! Owns which of the loaded scenarios `run` and `list` keep: tag expressions
//! (`--tag`, any of them), `--exclude-tag`, `--filter` regexes on the id (any
//! of them), `--file-filter` globs on the file (any of them), then
//! `--rerun-failed` (the last run's record), then `--partition` last. Every
//! kind given must hold. Parses the flags' values first, so a bad one is a
//! usage error naming its flag before any file is read; and tells a
//! selection that matches nothing (a usage error, as a misspelt tag is)
//! from one that leaves nothing to do (an empty shard, nothing to re-run),
//! which is not a failure.
//!
//! Must not load files (callers hand over what was loaded) nor read the
//! state folder but through `last_run`, and must not see clap.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;

use super::last_run::Rerun;
use super::options::SelectOptions;
use super::partition::Partition;
use super::rel_path::Places;
use super::tag_expr::TagExpr;
use crate::error::Error;
use crate::model::load::LoadedScenario;

/// Holds a parsed selection.
#[derive(Debug, Clone)]
pub(super) struct Selection {
    tags: Vec<TagExpr>,
    exclude_tags: Vec<String>,
    filters: Vec<Regex>,
    files: Option<GlobSet>,
    partition: Option<(String, Partition)>,
    rerun_failed: bool,
    /// The flags that narrow the selection, as typed, for messages.
    asked: Vec<String>,
}

/// Tells what a selection left.
#[derive(Debug)]
pub(super) enum Selected {
    /// These scenarios, in their stable order (none only when none was loaded).
    Scenarios(Vec<LoadedScenario>),
    /// Nothing to do, which is no failure; the sentence says why.
    Nothing(String),
}

impl Selection {
    /// Parses the selection flags.
    ///
    /// # Errors
    /// Returns [`Error::Usage`] naming the flag, its value and what is wrong.
    pub(super) fn parse(options: &SelectOptions) -> Result<Self, Error> {
        let mut asked = Vec::new();
        let mut tags = Vec::new();
        for text in &options.tags {
            tags.push(TagExpr::parse(text).map_err(|e| usage(format!("--tag `{text}`: {e}")))?);
            asked.push(format!("--tag `{text}`"));
        }
        for tag in &options.exclude_tags {
            if tag.trim().is_empty() {
                return Err(usage("--exclude-tag: expected a tag, got nothing".to_owned()));
            }
            asked.push(format!("--exclude-tag `{tag}`"));
        }
        let mut filters = Vec::new();
        for text in &options.filters {
            filters.push(
                Regex::new(text)
                    .map_err(|e| usage(format!("--filter `{text}` is not a valid regex: {e}")))?,
            );
            asked.push(format!("--filter `{text}`"));
        }
        let files = file_globs(&options.file_filters)?;
        asked.extend(
            options
                .file_filters
                .iter()
                .map(|g| format!("--file-filter `{g}`")),
        );
        let partition = match &options.partition {
            Some(text) => Some((
                text.clone(),
                Partition::parse(text).map_err(|e| usage(format!("--partition: {e}")))?,
            )),
            None => None,
        };
        Ok(Self {
            tags,
            exclude_tags: options.exclude_tags.iter().map(|t| t.trim().to_owned()).collect(),
            filters,
            files,
            partition,
            rerun_failed: options.rerun_failed,
            asked,
        })
    }

    /// Keeps the scenarios the selection names, in their order, measuring
    /// files from the project's folder `root` and reading the last run's
    /// record from the state folder `state` when `--rerun-failed` asks.
    ///
    /// # Errors
    /// Returns [`Error::Usage`] as [`Self::apply`] does, and when the record
    /// cannot be read.
    pub(super) fn pick(
        &self,
        scenarios: Vec<LoadedScenario>,
        root: &Path,
        state: impl FnOnce() -> PathBuf,
    ) -> Result<Selected, Error> {
        let rerun = if self.rerun_failed {
            Some(Rerun::read(state())?)
        } else {
            None
        };
        self.apply(scenarios, &Places::new(root), rerun.as_ref())
    }

    /// Keeps the scenarios the selection names, in their order; `rerun` is
    /// the last run's record when `--rerun-failed` asks for it.
    ///
    /// # Errors
    /// Returns [`Error::Usage`] when scenarios were loaded and the flags
    /// (other than `--rerun-failed` and `--partition`) match none of them.
    pub(super) fn apply(
        &self,
        scenarios: Vec<LoadedScenario>,
        places: &Places,
        rerun: Option<&Rerun>,
    ) -> Result<Selected, Error> {
        if scenarios.is_empty() {
            return Ok(Selected::Scenarios(scenarios));
        }
        let loaded = scenarios.len();
        let mut kept: Vec<LoadedScenario> = scenarios.into_iter().filter(|s| self.keeps(s, places)).collect();
        if kept.is_empty() {
            return Err(usage(format!(
                "no scenario matches {} (of the {loaded} found)",
                self.asked.join(", ")
            )));
        }
        if self.rerun_failed {
            match only_not_passed(kept, places, rerun) {
                Ok(rest) => kept = rest,
                Err(nothing) => return Ok(Selected::Nothing(nothing)),
            }
        }
        if let Some((text, partition)) = &self.partition {
            let before = kept.len();
            let mut position = 0;
            kept.retain(|s| {
                let keep = partition.keeps(position, &places.relative_to_root(&s.file), &s.id());
                position += 1;
                keep
            });
            if kept.is_empty() {
                return Ok(Selected::Nothing(format!(
                    "Nothing to run: --partition {text} leaves none of the {before} selected scenario(s) in this shard"
                )));
            }
        }
        Ok(Selected::Scenarios(kept))
    }

    /// Tells whether a scenario passes the tag, name and file flags.
    fn keeps(&self, loaded: &LoadedScenario, places: &Places) -> bool {
        let has = |tag: &str| loaded.scenario.tags.iter().any(|t| t.value == tag);
        if !self.tags.is_empty() && !self.tags.iter().any(|e| e.matches(&has)) {
            return false;
        }
        if self.exclude_tags.iter().any(|t| has(t)) {
            return false;
        }
        if !self.filters.is_empty() {
            let id = loaded.id();
            if !self.filters.iter().any(|r| r.is_match(&id)) {
                return false;
            }
        }
        if let Some(files) = &self.files
            && !files.is_match(places.relative_to_cwd(&loaded.file))
        {
            return false;
        }
        true
    }
}

/// Keeps the scenarios the last run's record names; `Err` says why none is left.
fn only_not_passed(
    mut kept: Vec<LoadedScenario>,
    places: &Places,
    rerun: Option<&Rerun>,
) -> Result<Vec<LoadedScenario>, String> {
    let (finished_at, scenarios, not_passed) = match rerun {
        Some(Rerun::Record {
            finished_at,
            scenarios,
            not_passed,
        }) => (finished_at, scenarios, not_passed),
        Some(Rerun::NoRecord(path)) => {
            return Err(format!(
                "Nothing to re-run: no earlier run is recorded in {}",
                path.display()
            ));
        }
        None => return Err("Nothing to re-run: no earlier run is recorded".to_owned()),
    };
    if not_passed.is_empty() {
        return Err(format!(
            "Nothing to re-run: all {scenarios} scenario(s) of the last run (ended {finished_at}) passed"
        ));
    }
    kept.retain(|s| not_passed.contains(&(places.relative_to_root(&s.file), s.id())));
    if kept.is_empty() {
        return Err(format!(
            "Nothing to re-run: none of the {} scenario(s) that did not pass in the last run \
             (ended {finished_at}) is among those selected",
            not_passed.len()
        ));
    }
    Ok(kept)
}

/// Builds one matcher of every `--file-filter` glob: `*` and `?` stay
/// within a folder, `**` crosses folders.
fn file_globs(globs: &[String]) -> Result<Option<GlobSet>, Error> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = GlobSetBuilder::new();
    for text in globs {
        let glob = GlobBuilder::new(text)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| {
                usage(format!(
                    "--file-filter `{text}` is not a valid glob: {}",
                    e.kind()
                ))
            })?;
        set.add(glob);
    }
    set.build()
        .map(Some)
        .map_err(|e| usage(format!("--file-filter: {e}")))
}

fn usage(message: String) -> Error {
    Error::Usage(message)
}

#[cfg(test)]
#[path = "select_tests.rs"]
mod tests;

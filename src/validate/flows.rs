//! Resolves `use:` steps to flow files: loads the files they pull in, finds
//! cycles, and answers "which flow does this step run".
//!
//! Must not run flows or evaluate templates, and must not print: files are
//! loaded through `crate::model::load`, and cycles come back as diagnostics.

use crate::model::{normalize, resolve_use_path};
use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::model::diag::Diagnostic;
use crate::model::load::{FileLoad, LoadedScenario, load_file};

use super::parallel::map_in_order;
use crate::model::{Spanned, Step};

/// Returns the steps of a scenario that run flows, `steps` then `finally`.
pub(super) fn use_steps(loaded: &LoadedScenario) -> impl Iterator<Item = (&Spanned<Step>, &Spanned<String>)> {
    let scenario = &loaded.scenario;
    scenario
        .steps
        .iter()
        .chain(&scenario.finally)
        .filter_map(|step| step.value.use_flow.as_ref().map(|u| (step, u)))
}

/// Loads `files`, then every file their `use:` steps name, transitively.
/// Keys are normalized paths; order is discovery order, then flows as found.
pub(super) fn load_with_flows(files: &[PathBuf]) -> IndexMap<PathBuf, FileLoad> {
    let mut loads: IndexMap<PathBuf, FileLoad> = IndexMap::new();
    // The files named by PATHs load on every core; the flows they pull in,
    // usually few, load after them in the order they are found.
    let mut seen = BTreeSet::new();
    let given: Vec<(PathBuf, &PathBuf)> = files
        .iter()
        .map(|path| (normalize(path), path))
        .filter(|(key, _)| seen.insert(key.clone()))
        .collect();
    let loaded = map_in_order(&given, |(_, path)| load_file(path));
    let mut queue: VecDeque<PathBuf> = VecDeque::new();
    for ((key, _), load) in given.into_iter().zip(loaded) {
        queue.extend(flows_to_load(&load, &loads));
        loads.insert(key, load);
    }
    while let Some(path) = queue.pop_front() {
        let key = normalize(&path);
        if loads.contains_key(&key) {
            continue;
        }
        let load = load_file(&path);
        queue.extend(flows_to_load(&load, &loads));
        loads.insert(key, load);
    }
    loads
}

/// Returns the flow files `load`'s `use:` steps name that are not loaded yet.
fn flows_to_load(load: &FileLoad, loads: &IndexMap<PathBuf, FileLoad>) -> Vec<PathBuf> {
    let Some(loaded) = &load.loaded else {
        return Vec::new();
    };
    use_steps(loaded)
        .map(|(_, target)| resolve_use_path(&loaded.file, &target.value))
        .filter(|flow| !loads.contains_key(flow) && flow.is_file())
        .collect()
}

/// Says what a `use:` step points at.
pub(super) enum FlowTarget<'a> {
    /// A flow that parsed.
    Loaded(&'a LoadedScenario),
    /// A file that exists but did not parse (its own diagnostics say why).
    Broken,
    /// Nothing usable at this path.
    Missing(PathBuf),
}

/// Answers questions about the `use:` graph of the loaded files.
pub(super) struct FlowIndex<'a> {
    loads: &'a IndexMap<PathBuf, FileLoad>,
}

impl<'a> FlowIndex<'a> {
    pub(super) fn new(loads: &'a IndexMap<PathBuf, FileLoad>) -> Self {
        Self { loads }
    }

    /// Returns what the `use:` value `target`, written in `using_file`, runs.
    pub(super) fn target(&self, using_file: &Path, target: &str) -> FlowTarget<'a> {
        let key = resolve_use_path(using_file, target);
        match self.loads.get(&key) {
            Some(FileLoad {
                loaded: Some(loaded), ..
            }) => FlowTarget::Loaded(loaded),
            Some(_) => FlowTarget::Broken,
            None => FlowTarget::Missing(key),
        }
    }

    /// Returns the keys of every file some `use:` step runs.
    pub(super) fn used_flows(&self) -> BTreeSet<PathBuf> {
        self.loads
            .values()
            .filter_map(|entry| entry.loaded.as_ref())
            .flat_map(|loaded| {
                use_steps(loaded).map(move |(_, target)| resolve_use_path(&loaded.file, &target.value))
            })
            .filter(|key| self.loads.contains_key(key))
            .collect()
    }

    /// Reports every `use:` cycle once, at the step that closes it, with the chain.
    pub(super) fn cycles(&self) -> Vec<Diagnostic> {
        let mut state = vec![Visit::New; self.loads.len()];
        let mut stack = Vec::new();
        let mut out = Vec::new();
        for start in 0..self.loads.len() {
            if state[start] == Visit::New {
                self.visit(start, &mut state, &mut stack, &mut out);
            }
        }
        out
    }

    fn visit(&self, node: usize, state: &mut [Visit], stack: &mut Vec<usize>, out: &mut Vec<Diagnostic>) {
        state[node] = Visit::OnStack;
        stack.push(node);
        if let Some((_, entry)) = self.loads.get_index(node)
            && let Some(loaded) = &entry.loaded
        {
            for (_, target) in use_steps(loaded) {
                let key = resolve_use_path(&loaded.file, &target.value);
                let Some(next) = self.loads.get_index_of(&key) else {
                    continue;
                };
                match state[next] {
                    Visit::New => self.visit(next, state, stack, out),
                    Visit::OnStack => out.push(self.cycle_diagnostic(loaded, target, stack, next)),
                    Visit::Done => {}
                }
            }
        }
        stack.pop();
        state[node] = Visit::Done;
    }

    fn cycle_diagnostic(
        &self,
        loaded: &LoadedScenario,
        target: &Spanned<String>,
        stack: &[usize],
        back_to: usize,
    ) -> Diagnostic {
        let from = stack.iter().position(|&n| n == back_to).unwrap_or(0);
        let mut chain: Vec<String> = stack[from..]
            .iter()
            .filter_map(|&n| self.loads.get_index(n))
            .map(|(_, entry)| entry.file.display().to_string())
            .collect();
        if let Some((_, entry)) = self.loads.get_index(back_to) {
            chain.push(entry.file.display().to_string());
        }
        Diagnostic::error_at(
            format!("flow cycle: {}", chain.join(" -> ")),
            &loaded.file,
            target,
        )
        .with_label("this `use` closes the cycle")
        .with_help(
            "a flow cannot run itself, directly or through other flows; remove one `use:` of the chain",
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    New,
    OnStack,
    Done,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_to_the_using_file() {
        assert_eq!(
            resolve_use_path(Path::new("scenarios/login.yaml"), "flows/password.yaml"),
            PathBuf::from("scenarios/flows/password.yaml")
        );
        assert_eq!(
            resolve_use_path(Path::new("scenarios/flows/a.yaml"), "../flows/./b.yaml"),
            PathBuf::from("scenarios/flows/b.yaml")
        );
        assert_eq!(
            resolve_use_path(Path::new("login.yaml"), "../shared/x.yaml"),
            PathBuf::from("../shared/x.yaml")
        );
        assert_eq!(
            resolve_use_path(Path::new("a/login.yaml"), "/abs/x.yaml"),
            PathBuf::from("/abs/x.yaml")
        );
    }
}

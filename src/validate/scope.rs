//! Walks a scenario in run order with the set of variable names in scope, and
//! reports every template that reads a name not defined yet (or not at all),
//! every template that does not parse, and every `use:` step whose flow is
//! missing or called with the wrong inputs or outputs.
//!
//! Must not render or evaluate templates (it only parses them for the names
//! they read), and must not touch HTTP or the terminal.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use serde_saphyr::Location;

use super::flows::{FlowIndex, FlowTarget};
use crate::model::diag::{Diagnostic, TextIndex, did_you_mean, quote_list};
use crate::model::load::{LoadedScenario, check_secrets};
use crate::model::{Condition, SourceLocation, Spanned, SpannedMap, Step};
use crate::template::{
    TemplateError, UnknownCallable, referenced_variables, referenced_variables_in_condition,
    unknown_callables, unknown_callables_in_condition,
};

type Scope = BTreeSet<String>;

/// Checks every templated string of one file against the names in scope at
/// that point, and the `use:` steps against their flows.
pub(super) fn check_file(
    loaded: &LoadedScenario,
    extra: &BTreeSet<String>,
    flows: &FlowIndex<'_>,
) -> Vec<Diagnostic> {
    let scenario = &loaded.scenario;
    let mut check = ScopeCheck {
        file: &loaded.file,
        index: TextIndex::new(&loaded.source),
        flows,
        defined_at: definitions(loaded),
        brought_by_flows: BTreeSet::new(),
        out: Vec::new(),
    };
    let mut scope: Scope = extra.clone();
    if let Some(inputs) = &scenario.inputs {
        for (name, spec) in inputs {
            if let Some(default) = &spec.value.default {
                check.value(default, at(spec), &scope);
            }
            scope.insert(name.value.clone());
        }
    }
    for (name, value) in &scenario.vars {
        check.value(&value.value, at(value), &scope);
        scope.insert(name.value.clone());
    }
    // `finally` runs after `steps` whatever happened, so every capture of
    // `steps` counts as in scope there (`if: "{{ token is defined }}"` guards it).
    for step in scenario.steps.iter().chain(&scenario.finally) {
        check.step(step, &mut scope);
    }
    if let Some(outputs) = &scenario.outputs {
        for output in outputs {
            if !scope.contains(&output.value) {
                let mut d = Diagnostic::error_at(
                    format!("output `{}` is never defined in this flow", output.value),
                    check.file,
                    output,
                )
                .with_label("not a var, input or capture of this flow");
                d = match did_you_mean(&output.value, scope.iter().map(String::as_str)) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(
                        "capture it in a step of the flow, declare it under `vars:`, or remove it",
                    ),
                };
                check.out.push(d);
            }
        }
    }
    let mut known = extra.clone();
    known.extend(check.brought_by_flows.iter().cloned());
    check.out.extend(check_secrets(&loaded.file, scenario, &known));
    check.out
}

/// Returns the node's location, unless the parser did not record one.
fn at<T>(node: &Spanned<T>) -> Option<Location> {
    (node.referenced != Location::UNKNOWN).then_some(node.referenced)
}

/// Maps every name the file defines anywhere to the line defining it, to
/// explain "used before it is defined".
fn definitions(loaded: &LoadedScenario) -> BTreeMap<String, u64> {
    let scenario = &loaded.scenario;
    let mut defined = BTreeMap::new();
    let mut add = |name: &Spanned<String>| {
        defined
            .entry(name.value.clone())
            .or_insert(name.referenced.line());
    };
    scenario.vars.keys().for_each(&mut add);
    if let Some(inputs) = &scenario.inputs {
        inputs.keys().for_each(&mut add);
    }
    for step in scenario.steps.iter().chain(&scenario.finally) {
        step.value.capture.keys().for_each(&mut add);
        if let Some(ask) = &step.value.ask {
            add(&ask.value.var);
        }
        if let Some(outputs) = &step.value.outputs {
            outputs.local_names().for_each(&mut add);
        }
    }
    defined
}

struct ScopeCheck<'a> {
    file: &'a Arc<PathBuf>,
    index: TextIndex<'a>,
    flows: &'a FlowIndex<'a>,
    defined_at: BTreeMap<String, u64>,
    brought_by_flows: BTreeSet<String>,
    out: Vec<Diagnostic>,
}

impl ScopeCheck<'_> {
    fn step(&mut self, step: &Spanned<Step>, scope: &mut Scope) {
        let s = &step.value;
        let here = at(step);
        if let Some(condition) = &s.condition {
            match &condition.value {
                Condition::Expression(text) => self.condition(text, at(condition).or(here), scope),
                Condition::Vars(vars) => self.vars_condition(&vars.vars, scope),
            }
        }
        // The name renders before the step runs, like its request line.
        let targets = s.request_targets().into_iter().map(|(_, t)| t);
        for text in s.name.iter().chain(targets) {
            self.text(&text.value, at(text).or(here), scope);
        }
        for (key, value) in s.query.iter().chain(&s.headers) {
            self.text(&key.value, at(key).or(here), scope);
            self.value(&value.value, at(value).or(at(key)), scope);
        }
        if let Some(json) = &s.json {
            self.value(&json.value, at(json).or(here), scope);
        }
        for (key, value) in s.form.iter().flatten() {
            self.text(&key.value, at(key).or(here), scope);
            self.value(&value.value, at(value).or(at(key)), scope);
        }
        for (value, node) in super::request::templates(s) {
            self.value(&value, node.or(here), scope);
        }
        for (_, entry) in &s.capture {
            if let Some(default) = &entry.value.0.default {
                self.value(default, at(entry), scope);
            }
        }
        for (key, value) in &s.with {
            self.value(&value.value, at(value).or(at(key)), scope);
        }
        if let Some(flow) = &s.use_flow {
            self.use_step(s, flow, scope);
        }
        if let Some(ask) = &s.ask {
            self.text(&ask.value.prompt.value, at(&ask.value.prompt).or(here), scope);
            if let Some(env) = &ask.value.env {
                self.text(&env.value, at(env).or(here), scope);
            }
            scope.insert(ask.value.var.value.clone());
        }
        // A step's own captures are taken from the same response its
        // expectations read, so expectations may use them.
        scope.extend(s.capture.keys().map(|k| k.value.clone()));
        if let Some(expect) = &step.value.expect {
            let e = &expect.value;
            if let Some(status) = &e.status {
                self.value(&status.value, at(status), scope);
            }
            for (key, value) in e.keyed_subjects().into_iter().flatten() {
                // Keys are rendered too (`$.{{ field }}`, `"{{ header }}"`).
                self.text(&key.value, at(key), scope);
                self.value(&value.value, at(value).or(at(key)), scope);
            }
            for single in e.single_subjects() {
                self.value(&single.value, at(single), scope);
            }
        }
    }

    fn use_step(&mut self, step: &Step, flow_ref: &Spanned<String>, scope: &mut Scope) {
        let named = &flow_ref.value;
        let flow = match self.flows.target(self.file, named) {
            FlowTarget::Loaded(flow) => flow,
            FlowTarget::Broken => {
                self.bring_renamed_outputs(step, scope);
                return;
            }
            FlowTarget::Missing(path) => {
                let what = if path.is_dir() {
                    "is a folder, not a flow file"
                } else {
                    "not found"
                };
                let d = Diagnostic::error_at(format!("flow file `{named}` {what}"), self.file, flow_ref)
                    .with_label("no flow file here")
                    .with_help("a `use:` path is relative to the folder of the file that contains the step")
                    .with_note(format!("looked for `{}`", path.display()));
                self.out.push(d);
                self.bring_renamed_outputs(step, scope);
                return;
            }
        };
        if !flow.scenario.is_flow() {
            // A scenario also runs on its own: used as a flow, it runs twice
            // and shares nothing declared (no inputs, no outputs).
            let d = Diagnostic::warning_at(format!("`{named}` is a scenario, not a flow"), self.file, flow_ref)
                .with_label("runs on its own too")
                .with_help("give it `inputs:` or `outputs:` to make it a flow (flows only run through `use:`), or move the steps into a flow file");
            self.out.push(d);
        }
        let inputs: Vec<(&str, bool, Option<&str>)> = flow
            .scenario
            .inputs
            .iter()
            .flatten()
            .map(|(name, spec)| {
                (
                    name.value.as_str(),
                    spec.value.default.is_none(),
                    spec.value.description.as_deref(),
                )
            })
            .collect();
        let given: BTreeSet<&str> = step.with.keys().map(|k| k.value.as_str()).collect();
        for (name, required, description) in &inputs {
            if *required && !given.contains(name) {
                let mut d = Diagnostic::error_at(
                    format!("flow `{named}` needs the input `{name}`"),
                    self.file,
                    flow_ref,
                )
                .with_label(format!("`{name}` missing from `with:`"))
                .with_help(format!("add `{name}: ...` under `with:`"));
                if let Some(description) = description {
                    d = d.with_note(format!("`{name}`: {description}"));
                }
                self.out.push(d);
            }
        }
        let declared: Vec<&str> = inputs.iter().map(|(name, _, _)| *name).collect();
        for key in step.with.keys() {
            if !declared.contains(&key.value.as_str()) {
                let mut d = Diagnostic::error_at(
                    format!("flow `{named}` has no input `{}`", key.value),
                    self.file,
                    key,
                )
                .with_label("unknown input");
                d = match did_you_mean(&key.value, declared.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("remove it, or declare it under the flow's `inputs:`"),
                };
                d = if declared.is_empty() {
                    d.with_note("the flow declares no inputs")
                } else {
                    d.with_note(format!("its inputs: {}", quote_list(declared.iter().copied())))
                };
                self.out.push(d);
            }
        }
        let offered = flow.scenario.output_names();
        match &step.outputs {
            Some(wanted) => {
                for output in wanted.iter().map(|binding| &binding.flow) {
                    if !offered.contains(&output.value.as_str()) {
                        let mut d = Diagnostic::error_at(
                            format!("flow `{named}` does not output `{}`", output.value),
                            self.file,
                            output,
                        )
                        .with_label("not an output of the flow");
                        d = match did_you_mean(&output.value, offered.iter().copied()) {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None => d.with_help("remove it, or add it to the flow's `outputs:`"),
                        };
                        d = if offered.is_empty() {
                            d.with_note("the flow declares no outputs")
                        } else {
                            d.with_note(format!("it outputs: {}", quote_list(offered.iter().copied())))
                        };
                        self.out.push(d);
                    }
                }
                self.bring_outputs(wanted.local_names().map(|o| o.value.clone()), scope);
            }
            None => self.bring_outputs(offered.iter().map(|o| (*o).to_owned()), scope),
        }
    }

    /// Brings the names a `use:` step renames its outputs to, for a flow
    /// that cannot be read: its own outputs are unknown, so those are all
    /// the step can be trusted to define.
    fn bring_renamed_outputs(&mut self, step: &Step, scope: &mut Scope) {
        let names = step.outputs.iter().flat_map(|o| o.local_names());
        self.bring_outputs(names.map(|o| o.value.clone()), scope);
    }

    fn bring_outputs(&mut self, names: impl Iterator<Item = String>, scope: &mut Scope) {
        for name in names {
            self.brought_by_flows.insert(name.clone());
            scope.insert(name);
        }
    }

    /// Checks every string (and object key) inside an authored value.
    fn value(&mut self, value: &Value, node: Option<Location>, scope: &Scope) {
        match value {
            Value::String(text) => self.text(text, node, scope),
            Value::Array(items) => items.iter().for_each(|v| self.value(v, node, scope)),
            Value::Object(map) => {
                for (key, v) in map {
                    self.text(key, node, scope);
                    self.value(v, node, scope);
                }
            }
            _ => {}
        }
    }

    /// Checks a string that may hold `{{ ... }}` templates.
    fn text(&mut self, text: &str, node: Option<Location>, scope: &Scope) {
        if text.contains("{{") || text.contains("{%") {
            self.template(text, node, scope, false, referenced_variables(text));
            self.callables(unknown_callables(text), node, false);
        }
    }

    /// Checks an `if: { vars: ... }` condition: its operands' templates, and
    /// that each variable it tests can be defined there (else the test always
    /// gives the same answer, most likely from a misspelt name).
    fn vars_condition(&mut self, vars: &SpannedMap<Value>, scope: &Scope) {
        for (name, value) in vars {
            self.value(&value.value, at(value).or(at(name)), scope);
            if !scope.contains(&name.value) {
                self.undefined(&name.value, at(name), scope, true, true);
            }
        }
    }

    /// Checks an `if:` condition: a bare expression, or one wrapped in `{{ }}`.
    fn condition(&mut self, text: &str, node: Option<Location>, scope: &Scope) {
        if text.trim().is_empty() {
            return;
        }
        let bare = !(text.contains("{{") || text.contains("{%"));
        self.template(text, node, scope, bare, referenced_variables_in_condition(text));
        self.callables(unknown_callables_in_condition(text), node, bare);
    }

    /// Reports the functions, filters and tests a template calls that do not exist.
    fn callables(&mut self, unknown: Vec<UnknownCallable>, node: Option<Location>, bare: bool) {
        for u in unknown {
            let (location, len) = self.name_location(&u.name, node, bare);
            self.out.push(super::callables::diagnostic(&u, location, len));
        }
    }

    fn template(
        &mut self,
        template: &str,
        node: Option<Location>,
        scope: &Scope,
        bare: bool,
        referenced: Result<BTreeSet<String>, TemplateError>,
    ) {
        match referenced {
            Err(e) => {
                let (location, len) = self
                    .located(template, node)
                    .unwrap_or_else(|| (SourceLocation::file_only(self.file), 0));
                let d = Diagnostic::error(format!("invalid template: {e}"), location)
                    .with_span_len(len)
                    .with_label("this template")
                    .with_help(
                        "a template looks like `{{ name }}` or `{{ name | filter }}`; check the braces and the expression",
                    );
                self.out.push(d);
            }
            Ok(names) => {
                for name in names {
                    if !scope.contains(&name) {
                        let tested_only = only_tested_for_definedness(template, &name);
                        self.undefined(&name, node, scope, bare, tested_only);
                    }
                }
            }
        }
    }

    /// Finds `text` in the node to underline it, else falls back to the node.
    fn located(&self, text: &str, node: Option<Location>) -> Option<(SourceLocation, usize)> {
        let node = node?;
        let first_line = text.lines().next().unwrap_or("");
        if let Some(span) = self.index.find_in_node(node.line(), node.column(), first_line) {
            return Some((span.location(self.file), span.len));
        }
        Some((
            SourceLocation {
                file: Arc::clone(self.file),
                line: node.line(),
                column: node.column(),
            },
            usize::try_from(node.span().len()).unwrap_or(0),
        ))
    }

    /// Finds `name` inside a template block of the node, else falls back to the node.
    fn name_location(&self, name: &str, node: Option<Location>, bare: bool) -> (SourceLocation, usize) {
        let span = node.and_then(|n| self.index.find_variable_in_node(n.line(), n.column(), name, bare));
        match (span, node) {
            (Some(span), _) => (span.location(self.file), span.len),
            (None, Some(n)) => (
                SourceLocation {
                    file: Arc::clone(self.file),
                    line: n.line(),
                    column: n.column(),
                },
                usize::try_from(n.span().len()).unwrap_or(0),
            ),
            (None, None) => (SourceLocation::file_only(self.file), 0),
        }
    }

    fn undefined(
        &mut self,
        name: &str,
        node: Option<Location>,
        scope: &Scope,
        bare: bool,
        tested_only: bool,
    ) {
        let (location, len) = self.name_location(name, node, bare);
        // `x is defined` is how a scenario reads an optional variable (one the
        // caller may pass), so a name only tested that way is a warning.
        let mut d = if tested_only {
            Diagnostic::warning(
                format!("variable `{name}` is not defined at this point, so this test always gives the same answer"),
                location,
            )
            .with_label("tested here")
        } else {
            Diagnostic::error(format!("undefined variable `{name}`"), location).with_label("not defined at this point")
        }
        .with_span_len(len);
        d = if let Some(line) = self.defined_at.get(name) {
            d.with_help(format!(
                "`{name}` is defined only later (line {line}); use it after the step that defines it"
            ))
        } else if let Some(s) = did_you_mean(name, scope.iter().map(String::as_str)) {
            d.with_help(format!("did you mean `{s}`?"))
        } else {
            d.with_help(format!(
                "declare it under `vars:`, capture it in an earlier step, or pass it with `--var {name}=...`"
            ))
        };
        self.out.push(d);
    }
}

/// Tells whether every use of `name` in `template` is an `is defined` /
/// `is undefined` test.
fn only_tested_for_definedness(template: &str, name: &str) -> bool {
    let name = regex::escape(name);
    let (Ok(any), Ok(tested)) = (
        regex::Regex::new(&format!(r"\b{name}\b")),
        regex::Regex::new(&format!(r"\b{name}\s+is\s+(not\s+)?(defined|undefined)\b")),
    ) else {
        return false;
    };
    let uses = any.find_iter(template).count();
    uses > 0 && uses == tested.find_iter(template).count()
}

#[cfg(test)]
#[path = "scope_tests.rs"]
mod tests;

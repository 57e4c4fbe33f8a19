//! Checks what a parsed scenario alone can tell, before anything runs: names,
//! one request (or flow, or `ask`) per step, one body, durations, retry
//! bounds, status and predicate syntax, capture sources, snapshot parts,
//! duplicate step names.
//!
//! Must not evaluate templates or JSONPath (that is `crate::validate`) and
//! must not look at other files: flows are checked one layer up.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use serde_saphyr::Location;

use super::messages::duration_diagnostic;
use crate::model::diag::{Diagnostic, did_you_mean, quote_list, span_len_of};
use crate::model::{
    CaptureEntry, Expect, Retry, Scenario, SnapshotSpec, SourceLocation, Spanned, SpannedMap, StatusExpect,
    Step, parse_expectation,
};

/// Names the step keys that only make sense with a request.
const REQUEST_KEYS: &[&str] = &[
    "query",
    "headers",
    "json",
    "form",
    "body",
    "timeout",
    "follow_redirects",
    "auth",
    "multipart",
    "body_file",
    "json_file",
    "cookies",
    "clear_cookies",
    "connect_timeout",
    "http_version",
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
    checker.out.extend(super::names::check_names(file, scenario));
    checker.out
}

/// Collects the structural problems of one file, pointing into it.
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
        if let Some(vars) = s.condition.as_ref().and_then(|c| c.value.vars()) {
            self.predicates("`if` var", vars);
        }
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
        self.out.extend(super::wire::check_step(self.file, step));
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
            if let Some(first) = s.outputs.as_ref().and_then(|o| o.iter().next()).map(|b| &b.flow) {
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
        if let Some(timeout) = &s.connect_timeout {
            self.duration("connect_timeout", timeout);
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
        if let Some(multipart) = &s.multipart {
            let at = multipart.first().map_or(step.referenced, |(k, _)| k.referenced);
            bodies.push(("multipart", at));
        }
        if let Some(file) = &s.body_file {
            bodies.push(("body_file", file.referenced));
        }
        if let Some(file) = &s.json_file {
            bodies.push(("json_file", file.referenced));
        }
        if let [(first, _), rest @ ..] = bodies.as_slice() {
            for (second, at) in rest {
                let node = Spanned::new((), *at, *at);
                let d = self
                    .at(
                        format!("`{first}` and `{second}` both set the request body"),
                        &node,
                    )
                    .with_help(
                        "a request has one body; keep only one of `json`, `form`, `body`, `multipart`, \
                         `body_file` and `json_file`",
                    );
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
                "auth" => s.auth.is_some(),
                "multipart" => s.multipart.is_some(),
                "body_file" => s.body_file.is_some(),
                "json_file" => s.json_file.is_some(),
                "cookies" => !s.cookies.is_empty(),
                "clear_cookies" => s.clear_cookies.is_some(),
                "connect_timeout" => s.connect_timeout.is_some(),
                "http_version" => s.http_version.is_some(),
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
            && !status.value.is_object()
            && let Err(err) = StatusExpect::parse(&status.value)
        {
            let d = self
                .at(err.to_string(), status)
                .with_help("for example `status: 200`, `status: [200, 204]` or `status: 2xx`");
            self.out.push(d);
        }
        self.predicates("header", &e.headers);
        self.predicates("body", &e.body);
        self.predicates("header values", &e.header_values);
        self.predicates("xpath", &e.xpath);
        self.predicates("css", &e.css);
        self.predicates("var", &e.vars);
        if let Some(status) = e.status.as_ref().filter(|s| s.value.is_object()) {
            self.one_expectation("status", status);
        }
        for (name, subject) in [
            ("text", &e.text),
            ("bytes", &e.bytes),
            ("redirects", &e.redirects),
            ("url", &e.url),
            ("version", &e.version),
        ] {
            if let Some(value) = subject {
                self.one_expectation(name, value);
            }
        }
        for (name, value) in &e.cookies {
            if let Some(problem) = super::cookie_check::cookie_expectation_problem(&value.value) {
                let d = self
                    .at_or(format!("cookie expectation `{}`: {problem}", name.value), value, name)
                    .with_help("write the value's predicates (`{ length: 32 }`) or attributes (`{ path: /, secure: true }`)");
                self.out.push(d);
            }
        }
        if let Some(max_time) = &e.max_time {
            self.duration("max_time", max_time);
        }
    }

    fn predicates(&mut self, what: &str, map: &SpannedMap<Value>) {
        for (key, value) in map {
            if let Err(err) = parse_expectation(&value.value) {
                let d = self
                    .at_or(format!("{what} expectation `{}`: {err}", key.value), value, key)
                    .with_help(err.help().unwrap_or(
                        "see the list of predicates: equals, exists, type, matches, contains, length, <, >...",
                    ));
                self.out.push(d);
            }
        }
    }

    fn one_expectation(&mut self, what: &str, value: &Spanned<Value>) {
        if let Err(err) = parse_expectation(&value.value) {
            let d = self
                .at(format!("{what} expectation: {err}"), value)
                .with_help("see the list of predicates: equals, exists, type, format, matches, contains, length, not, <, >...");
            self.out.push(d);
        }
    }

    fn retry(&mut self, retry: &Spanned<Retry>) {
        let r = &retry.value;
        match super::wire::literal_number::<u32>("attempts", &r.attempts.value) {
            Err(message) => {
                self.out.push(self.at(message, &r.attempts).with_help(
                    "write digits only, without quotes or units, or a template such as \"{{ n }}\"",
                ));
            }
            Ok(Some(attempts)) if attempts < 1 => {
                let d = self
                    .at("`attempts` must be at least 1", &r.attempts)
                    .with_help("`attempts` counts every try, the first one included");
                self.out.push(d);
            }
            Ok(_) => {}
        }
        if let Some(node) = &r.backoff {
            let backoff = super::wire::literal_number::<f64>("backoff", &node.value);
            let bad = match &backoff {
                Err(message) => Some(message.clone()),
                Ok(Some(b)) if !(b.is_finite() && *b > 0.0) => {
                    Some(format!("`backoff` must be a positive number, found {b}"))
                }
                Ok(_) => None,
            };
            if let Some(message) = bad {
                let d = self
                    .at_or(message, node, retry)
                    .with_help("use 1 for a constant interval, 2 to double it after each attempt");
                self.out.push(d);
            }
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
        if c.xpath.is_some() {
            sources.push("xpath");
        }
        if c.css.is_some() {
            sources.push("css");
        }
        if let Some(filters) = &c.filters
            && let Err(err) = crate::model::parse_filters(&filters.value)
        {
            let d = self
                .at(format!("capture `{}`: {err}", name.value), filters)
                .with_help(
                    "filters are names (`first`) or one-key mappings (`{ split: \",\" }`), applied in order",
                );
            self.out.push(d);
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

/// Tells whether a value is a template, which only its rendered form can be checked by.
fn is_template(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.contains("{{"))
}

#[cfg(test)]
#[path = "structure_tests.rs"]
mod tests;

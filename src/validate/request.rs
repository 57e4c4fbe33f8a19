//! Checks what a step's request needs from outside its own text: the files
//! its bodies read (`body_file`, `json_file`, `multipart` files) exist,
//! relative to the scenario file, and a `json_file` holds JSON; and lists
//! the templated values of its request settings for the scope check.
//!
//! Reads the files named, never sends anything. Must not touch HTTP or the
//! terminal; every problem becomes a [`Diagnostic`].

use std::path::Path;

use serde_json::Value;
use serde_saphyr::Location;

use crate::model::diag::Diagnostic;
use crate::model::load::LoadedScenario;
use crate::model::{Spanned, Step, Templated};

/// Returns the templated values of a step's request settings that are not
/// plain query, header, JSON or form values, with where each is written:
/// the raw body, timeouts, retry numbers and durations, credentials,
/// cookies, file names and multipart fields.
pub(super) fn templates(step: &Step) -> Vec<(Value, Option<Location>)> {
    let mut out: Vec<(Value, Option<Location>)> = Vec::new();
    let mut text = |node: &Spanned<String>| out.push((Value::String(node.value.clone()), at(node)));
    for node in [&step.body, &step.timeout, &step.connect_timeout]
        .into_iter()
        .flatten()
    {
        text(node);
    }
    if let Some(retry) = &step.retry {
        let r = &retry.value;
        for node in [&r.interval, &r.max_interval, &r.deadline].into_iter().flatten() {
            text(node);
        }
    }
    if let Some(auth) = &step.auth {
        for credentials in [&auth.value.basic, &auth.value.digest].into_iter().flatten() {
            text(&credentials.value.user);
            text(&credentials.value.password);
        }
        if let Some(token) = &auth.value.bearer {
            text(token);
        }
    }
    if let Some(retry) = &step.retry {
        if let Templated::Text(t) = &retry.value.attempts.value {
            out.push((Value::String(t.clone()), at(&retry.value.attempts)));
        }
        if let Some(backoff) = &retry.value.backoff
            && let Templated::Text(t) = &backoff.value
        {
            out.push((Value::String(t.clone()), at(backoff)));
        }
    }
    if let Some(follow) = &step.follow_redirects {
        for host in &follow.value.trusted_hosts {
            out.push((Value::String(host.clone()), at(follow)));
        }
    }
    for file in [&step.body_file, &step.json_file].into_iter().flatten() {
        out.push((Value::String(file.value.file.clone()), at(file)));
    }
    for (key, value) in step.cookies.iter().chain(step.multipart.iter().flatten()) {
        out.push((value.value.clone(), at(value).or(at(key))));
    }
    out
}

/// Returns a diagnostic for every file a step's body reads that is missing
/// (or, for `json_file`, not JSON). Templated paths are known only at run time.
pub(super) fn check_files(loaded: &LoadedScenario) -> Vec<Diagnostic> {
    let dir = loaded.file.parent().unwrap_or_else(|| Path::new(""));
    let mut out = Vec::new();
    for step in loaded.scenario.steps.iter().chain(&loaded.scenario.finally) {
        let s = &step.value;
        for (key, file, json) in [
            ("body_file", &s.body_file, false),
            ("json_file", &s.json_file, true),
        ] {
            if let Some(file) = file {
                check_file(loaded, dir, key, &file.value.file, json, file, &mut out);
            }
        }
        for (name, field) in s.multipart.iter().flatten() {
            let items = match &field.value {
                Value::Array(items) => items.iter().collect(),
                one => vec![one],
            };
            for item in items {
                if let Some(Value::String(path)) = item.get("file") {
                    let key = format!("multipart field `{}`", name.value);
                    check_file(loaded, dir, &key, path, false, field, &mut out);
                }
            }
        }
    }
    out
}

fn check_file<T>(
    loaded: &LoadedScenario,
    dir: &Path,
    what: &str,
    named: &str,
    json: bool,
    node: &Spanned<T>,
    out: &mut Vec<Diagnostic>,
) {
    if named.contains("{{") || named.trim().is_empty() {
        return;
    }
    let path = dir.join(named.trim());
    if !path.is_file() {
        let what_is_there = if path.is_dir() {
            "is a folder"
        } else {
            "is not found"
        };
        out.push(
            Diagnostic::error_at(
                format!("{what}: the file `{named}` {what_is_there}"),
                &loaded.file,
                node,
            )
            .with_label("no file here")
            .with_help("a file path is relative to the folder of the scenario file")
            .with_note(format!("looked for `{}`", path.display())),
        );
        return;
    }
    if json
        && let Err(e) = std::fs::read(&path).map_err(|e| e.to_string()).and_then(|bytes| {
            serde_json::from_slice::<Value>(&bytes)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    {
        out.push(
            Diagnostic::error_at(format!("{what}: `{named}` is not JSON ({e})"), &loaded.file, node)
                .with_help("fix the file, or send it as it is with `body_file:`"),
        );
    }
}

fn at<T>(node: &Spanned<T>) -> Option<Location> {
    (node.referenced != Location::UNKNOWN).then_some(node.referenced)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::model::load::parse_source;

    fn loaded(dir: &Path, src: &str) -> LoadedScenario {
        let file = Arc::new(dir.join("s.yaml"));
        LoadedScenario {
            scenario: parse_source(&file, src).unwrap_or_else(|d| panic!("{}", d.one_line())),
            case: None,
            source: Arc::from(src),
            file,
        }
    }

    #[test]
    fn missing_and_broken_files_are_found_before_anything_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ok.json"), "{\"a\": 1}").unwrap();
        std::fs::write(dir.path().join("bad.json"), "{a: 1").unwrap();
        std::fs::write(dir.path().join("a.pdf"), "%PDF").unwrap();
        let src = "name: x\nsteps:\n  - post: /a\n    json_file: ok.json\n  - post: /b\n    json_file: bad.json\n  - post: /c\n    body_file: { file: nope.bin }\n  - post: /d\n    multipart:\n      doc: { file: a.pdf }\n      other: [{ file: gone.pdf }, text]\n      later: { file: \"{{ name }}.pdf\" }\n";
        let found: Vec<(u64, String)> = check_files(&loaded(dir.path(), src))
            .into_iter()
            .map(|d| (d.location.line, d.message))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].0, 6);
        assert!(
            found[0].1.starts_with("json_file: `bad.json` is not JSON"),
            "{found:?}"
        );
        assert_eq!(
            found[1],
            (8, "body_file: the file `nope.bin` is not found".to_owned())
        );
        assert_eq!(
            found[2],
            (
                12,
                "multipart field `other`: the file `gone.pdf` is not found".to_owned()
            )
        );
    }

    #[test]
    fn request_settings_list_their_templates() {
        let src = "name: x\nsteps:\n  - post: /a\n    body: \"{{ b }}\"\n    auth: { basic: { user: \"{{ u }}\", password: \"{{ p }}\" } }\n    cookies: { sid: \"{{ s }}\" }\n    retry: { attempts: \"{{ n }}\", interval: \"{{ i }}\" }\n";
        let file = PathBuf::from(".");
        let scenario = loaded(&file, src).scenario;
        let texts: Vec<String> = templates(&scenario.steps[0].value)
            .into_iter()
            .map(|(v, _)| v.as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            texts,
            ["{{ b }}", "{{ i }}", "{{ u }}", "{{ p }}", "{{ n }}", "{{ s }}"]
        );
    }
}

//! Builds a step's request body: `json` (a top-level `null` included),
//! `form`, raw `body`, a file's bytes (`body_file`, `json_file`) or
//! `multipart` parts, reading files relative to the scenario file and
//! learning the secrets they carry (sensitive fields, files marked secret).
//!
//! Must not send anything, nor touch the terminal, clap, JUnit or axum.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::Value;

use crate::http::{
    FileBody, Part, PartContent, RequestBody, boundary_collides, guess_content_type, new_boundary,
};
use crate::model::{FileSpec, SourceLocation, Spanned, SpannedMap, Step};

use super::redact::learn_sensitive_fields;
use super::request::{BuildError, as_strings};
use super::scenario::ScenarioRun;
use super::scope::Scope;
use crate::secret::is_sensitive_name;

/// Caps a file sent as a body or part, so a wrong path cannot load a disk image.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

impl ScenarioRun<'_> {
    /// Renders the body a step sends, if it has one (`check` allows at most one).
    pub(super) fn render_body(
        &mut self,
        step: &Step,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<Option<RequestBody>, BuildError> {
        if let Some(json) = &step.json {
            let rendered = self
                .render(&json.value, scope, not_before)
                .map_err(|e| (format!("in `json`: {e}"), SourceLocation::of(&scope.file, json)))?;
            learn_sensitive_fields(&mut self.redactor, &rendered);
            Ok(Some(RequestBody::Json(rendered)))
        } else if let Some(form) = &step.form {
            let pairs = self.render_pairs(form, "form field", scope, not_before)?;
            Ok(Some(RequestBody::Form(pairs)))
        } else if let Some(raw) = &step.body {
            let text = self
                .render_text(&raw.value, scope, not_before)
                .map_err(|e| (format!("in `body`: {e}"), SourceLocation::of(&scope.file, raw)))?;
            Ok(Some(RequestBody::Raw(text)))
        } else if let Some(spec) = &step.body_file {
            self.file_body("body_file", spec, None, scope, not_before)
                .map(Some)
        } else if let Some(spec) = &step.json_file {
            self.file_body("json_file", spec, Some("application/json"), scope, not_before)
                .map(Some)
        } else if let Some(fields) = &step.multipart {
            self.multipart(fields, scope, not_before).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a `body_file` or `json_file` (checked to be JSON), with its content type.
    fn file_body(
        &mut self,
        key: &str,
        spec: &Spanned<FileSpec>,
        default_type: Option<&str>,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<RequestBody, BuildError> {
        let at = || SourceLocation::of(&scope.file, spec);
        let named = self
            .render_text(&spec.value.file, scope, not_before)
            .map_err(|e| (format!("in `{key}`: {e}"), at()))?;
        let (path, bytes) = read_file(&scope.file, &named).map_err(|e| (format!("`{key}`: {e}"), at()))?;
        if default_type.is_some() {
            let json: Value = serde_json::from_slice(&bytes)
                .map_err(|e| (format!("`{key}` {}: not JSON ({e})", path.display()), at()))?;
            learn_sensitive_fields(&mut self.redactor, &json);
        }
        if spec.value.secret {
            self.learn_file_secret(key, &bytes);
        }
        Ok(RequestBody::File(FileBody {
            path,
            bytes,
            content_type: spec
                .value
                .content_type
                .clone()
                .or_else(|| default_type.map(str::to_owned)),
        }))
    }

    /// Renders `multipart` fields into parts: text values, or files with
    /// their name and content type; a list repeats the field.
    fn multipart(
        &mut self,
        fields: &SpannedMap<Value>,
        scope: &Scope,
        not_before: &mut Option<SystemTime>,
    ) -> Result<RequestBody, BuildError> {
        let mut parts = Vec::new();
        for (name, field) in fields {
            let at = || SourceLocation::of(&scope.file, field);
            let name = self.render_key(name, "multipart field", scope, not_before)?;
            let rendered = self
                .render(&field.value, scope, not_before)
                .map_err(|e| (format!("in multipart field `{name}`: {e}"), at()))?;
            let items = match rendered {
                Value::Array(items) => items,
                single => vec![single],
            };
            for item in items {
                let content = self
                    .part_content(&name, &item, scope)
                    .map_err(|e| (format!("multipart field `{name}`: {e}"), at()))?;
                parts.push(Part {
                    name: name.clone(),
                    content,
                });
            }
        }
        let mut boundary = new_boundary();
        // A boundary inside a part would end it early; a fresh one is all but certain to be absent.
        for _ in 0..8 {
            if !boundary_collides(&boundary, &parts) {
                break;
            }
            boundary = new_boundary();
        }
        Ok(RequestBody::Multipart { boundary, parts })
    }

    /// Turns one rendered multipart value into a part's content.
    fn part_content(&mut self, name: &str, value: &Value, scope: &Scope) -> Result<PartContent, String> {
        let text_of = |v: &Value| as_strings(v).join(",");
        let Value::Object(map) = value else {
            let text = text_of(value);
            if is_sensitive_name(name) {
                self.redactor.add(name, &text);
            }
            return Ok(PartContent::Text {
                value: text,
                content_type: None,
            });
        };
        let content_type = map.get("type").map(text_of);
        if let Some(text) = map.get("value") {
            let text = text_of(text);
            if is_sensitive_name(name) {
                self.redactor.add(name, &text);
            }
            return Ok(PartContent::Text {
                value: text,
                content_type,
            });
        }
        let named = map
            .get("file")
            .map(text_of)
            .ok_or("it names no `file` and no `value`")?;
        let (path, bytes) = read_file(&scope.file, &named)?;
        if map.get("secret").and_then(Value::as_bool) == Some(true) {
            self.learn_file_secret(name, &bytes);
        }
        let filename = map.get("filename").map(text_of).unwrap_or_else(|| {
            Path::new(&named)
                .file_name()
                .map_or_else(|| named.clone(), |n| n.to_string_lossy().into_owned())
        });
        Ok(PartContent::File {
            content_type: content_type.unwrap_or_else(|| guess_content_type(&path)),
            path,
            bytes,
            filename,
        })
    }

    /// Registers a secret file's text, and each of its lines, as declared secrets.
    fn learn_file_secret(&mut self, name: &str, bytes: &[u8]) {
        if let Ok(text) = std::str::from_utf8(bytes) {
            self.redactor.add_declared(name, text.trim_end());
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                self.redactor.add_declared(name, line);
            }
        }
    }
}

/// Reads a file named relative to the scenario file, returning the path as
/// it must be written from the working directory, and its bytes.
fn read_file(scenario: &Path, named: &str) -> Result<(PathBuf, Arc<[u8]>), String> {
    let path = scenario
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join(named.trim());
    let meta = std::fs::metadata(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!("{} is not a file", path.display()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{} is larger than {} MiB",
            path.display(),
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok((path, Arc::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_relative_to_the_scenario() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "hello").unwrap();
        let scenario = dir.path().join("s.yaml");
        let (path, bytes) = read_file(&scenario, "a.txt").unwrap();
        assert_eq!(path, dir.path().join("a.txt"));
        assert_eq!(&*bytes, b"hello");
        let missing = read_file(&scenario, "nope.pdf").unwrap_err();
        assert!(missing.contains("nope.pdf"), "{missing}");
        assert!(read_file(&scenario, ".").unwrap_err().contains("not a file"));
    }
}

//! Evaluates `schema`: the value is valid against a JSON Schema, written
//! inline or kept in a file of the project (draft 2020-12 unless `$schema`
//! names another, such as draft-07). Each violation names the instance path
//! and the schema path.
//!
//! `$ref`s resolve to local files only, inside the project, never the
//! network. Compiled schemas are cached. Must not know subjects or locations.

use std::sync::Arc;

use jsonschema::{Retrieve, Uri, Validator};
use serde_json::Value;

use crate::model::Predicate;

use super::super::EvalContext;
use super::super::actual::Actual;
use super::super::cache::Cache;
use super::super::files;
use super::{Judge, PredicateOutcome};

/// Bounds how many violations one failure lists.
const SHOWN_ERRORS: usize = 5;

static SCHEMAS: Cache<(String, String), Validator> = Cache::new();

/// Evaluates `schema` on a present value.
pub(super) fn eval(judge: &Judge<'_>, context: &EvalContext) -> PredicateOutcome {
    let Predicate::Schema(schema) = judge.predicate else {
        return judge.broken("not a schema predicate".to_owned());
    };
    let Actual::Json(value) = judge.actual else {
        return judge.broken("`schema` applies to JSON values; the body is read as bytes here".to_owned());
    };
    match validate_schema(schema, value, context) {
        Ok(errors) if errors.is_empty() => judge.outcome(true, None),
        Ok(errors) => judge.outcome(false, Some(errors.join("; "))),
        Err(e) => judge.broken(e),
    }
}

/// Validates `value` against `schema` (a mapping, or a file path relative to
/// the scenario file), returning one line per violation (the first few).
///
/// # Errors
/// Says why the schema cannot be used: unreadable, not JSON, or invalid.
pub(crate) fn validate_schema(
    schema: &Value,
    value: &Value,
    context: &EvalContext,
) -> Result<Vec<String>, String> {
    let validator = compiled(schema, context)?;
    let mut errors: Vec<String> = validator
        .iter_errors(value)
        .take(SHOWN_ERRORS + 1)
        .map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "(root)".to_owned() } else { at };
            format!("at {at} (schema {}): {e}", e.schema_path())
        })
        .collect();
    if errors.len() > SHOWN_ERRORS {
        errors.truncate(SHOWN_ERRORS);
        errors.push("and more".to_owned());
    }
    Ok(errors)
}

fn compiled(schema: &Value, context: &EvalContext) -> Result<Arc<Validator>, String> {
    let (key, document, base) = match schema {
        Value::String(path) => {
            let file = files::resolve(path, context)?;
            let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read `{path}`: {e}"))?;
            let document: Value =
                serde_json::from_str(&text).map_err(|e| format!("the schema `{path}` is not JSON: {e}"))?;
            (file.display().to_string(), document, file)
        }
        inline => {
            // Relative `$ref`s of an inline schema start from the scenario's folder.
            let base = files::inside_root(&context.base_dir.join("."), context)?.join("inline-schema.json");
            (inline.to_string(), inline.clone(), base)
        }
    };
    let root = files::inside_root(&context.root, context)?;
    SCHEMAS.get_or_try(&(key, root.display().to_string()), || {
        let base_uri = url::Url::from_file_path(&base)
            .map_err(|()| format!("cannot name `{}` as a URI", base.display()))?;
        jsonschema::options()
            .with_base_uri(base_uri.to_string())
            .with_retriever(LocalFiles {
                context: EvalContext {
                    root,
                    ..context.clone()
                },
            })
            .build(&document)
            .map_err(|e| format!("the schema cannot be used: {e}"))
    })
}

/// Retrieves `$ref`s from local files inside the project, and nothing else.
struct LocalFiles {
    context: EvalContext,
}

impl Retrieve for LocalFiles {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let text = uri.as_str();
        let url = url::Url::parse(text).map_err(|e| format!("`{text}`: {e}"))?;
        if url.scheme() != "file" {
            return Err(
                format!("`{text}` is not a local file; schemas are never fetched from the network").into(),
            );
        }
        let path = url
            .to_file_path()
            .map_err(|()| format!("`{text}` is not a file path"))?;
        let path = files::inside_root(&path, &self.context)?;
        let content =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        Ok(serde_json::from_str(&content).map_err(|e| format!("`{}` is not JSON: {e}", path.display()))?)
    }
}

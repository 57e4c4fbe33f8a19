//! Evaluates `equals_file`: the value equals the content of a file of the
//! project, as bytes (a body under `bytes:`), as text (a string) or as JSON
//! compared by value (any other value).
//!
//! Must not know subjects or locations; files are read through the check
//! layer's file rules (relative to the scenario, inside the project).

use serde_json::Value;

use crate::model::Predicate;

use super::super::EvalContext;
use super::super::actual::Actual;
use super::super::compare::json_eq;
use super::super::files;
use super::bytes::first_difference;
use super::{Judge, PredicateOutcome};

/// Evaluates `equals_file` on a present value.
pub(super) fn eval(judge: &Judge<'_>, context: &EvalContext) -> PredicateOutcome {
    let Predicate::EqualsFile(Value::String(path)) = judge.predicate else {
        return judge.broken("`equals_file` needs a file path".to_owned());
    };
    let content = match files::read(path, context) {
        Ok(content) => content,
        Err(e) => return judge.broken(e),
    };
    match judge.actual {
        Actual::Bytes(bytes) => match bytes == &content {
            true => judge.outcome(true, None),
            false => judge.outcome(false, Some(first_difference(bytes, &content))),
        },
        Actual::Json(Value::String(text)) => {
            let Ok(expected) = String::from_utf8(content) else {
                return judge.broken(format!(
                    "`{path}` is not UTF-8 text; compare bytes with `bytes: {{ equals_file: ... }}`"
                ));
            };
            if *text == expected {
                return judge.outcome(true, None);
            }
            judge.outcome(false, Some(text_difference(text, &expected)))
        }
        Actual::Json(value) => match serde_json::from_slice::<Value>(&content) {
            Ok(expected) => judge.outcome(json_eq(value, &expected), None),
            Err(e) => judge.broken(format!("`{path}` is not JSON ({e}); the value compared is JSON")),
        },
        Actual::Absent => judge.outcome(false, None),
    }
}

/// Says where two texts first differ, in characters, noting a lone trailing newline.
fn text_difference(actual: &str, expected: &str) -> String {
    if actual.trim_end_matches('\n') == expected.trim_end_matches('\n') {
        return "the texts differ only in trailing newlines".to_owned();
    }
    let at = actual.chars().zip(expected.chars()).position(|(a, e)| a != e);
    match at {
        Some(at) => format!("the texts differ first at character {}", at + 1),
        None => format!(
            "the value has {} characters, the file {}",
            actual.chars().count(),
            expected.chars().count()
        ),
    }
}

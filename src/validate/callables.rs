//! Words the error for a template that calls a function, filter or test that
//! does not exist (`uuidd()`, `| base64_encod`): rendering would fail on it,
//! so `check` says so at its place, with the nearest known name.
//!
//! Must not find the names itself (`crate::template::unknown_callables` does)
//! nor walk the scenario (`scope` does).

use crate::model::SourceLocation;
use crate::model::diag::Diagnostic;
use crate::template::{CallableKind, UnknownCallable};

/// Builds the error for one unknown name found at `location`.
pub(super) fn diagnostic(unknown: &UnknownCallable, location: SourceLocation, len: usize) -> Diagnostic {
    let word = unknown.kind.word();
    let mut message = format!("unknown {word} `{}`", unknown.name);
    if let Some(s) = &unknown.suggestion {
        message.push_str(&format!("; did you mean `{s}`?"));
    }
    let d = Diagnostic::error(message, location)
        .with_span_len(len)
        .with_label(format!("no such {word}"));
    match (&unknown.suggestion, unknown.kind) {
        (Some(s), _) => d.with_help(format!("write `{s}`")),
        (None, CallableKind::Function) => d.with_help(
            "the functions are env, uuid, now, timestamp, base64_encode, base64_decode, urlencode, \
             random_digits, random_alphanumeric, totp, take, and minijinja's range, dict, namespace",
        ),
        (None, CallableKind::Filter) => d.with_help(
            "the filters are base64_encode, base64_decode, urlencode and minijinja's built-in filters \
             (default, upper, lower, length, trim, replace, tojson...)",
        ),
        (None, CallableKind::Test) => d.with_help(
            "the tests are minijinja's built-in ones (defined, undefined, none, number, string...)",
        ),
    }
}

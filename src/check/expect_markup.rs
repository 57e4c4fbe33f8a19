//! Evaluates `xpath:` and `css:` expectations: each query's result on an
//! XML or HTML body (see `markup`), tested like any value.
//!
//! Must not parse markup itself, render templates, or know other subjects.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{SourceLocation, Spanned};

use super::Response;
use super::display::show;
use super::evaluate::Evaluator;
use super::markup::{css, xpath};
use super::outcome::{AssertionResult, all_with_subject, broken, subject_key};

/// Names the query language of a markup expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MarkupKind {
    /// XPath 1.0, on XML or HTML.
    XPath,
    /// CSS selectors, on HTML.
    Css,
}

/// Evaluates what is written for one XPath or CSS query.
pub(super) fn eval_markup(
    kind: MarkupKind,
    query: &Spanned<String>,
    value: &Spanned<Value>,
    response: &Response,
    file: &Arc<PathBuf>,
    eval: &mut Evaluator<'_, '_>,
) -> Vec<AssertionResult> {
    let location = SourceLocation::of(file, query);
    let word = match kind {
        MarkupKind::XPath => "xpath",
        MarkupKind::Css => "css",
    };
    let written = match subject_key(eval, &query.value, word, word, show(&value.value), &location) {
        Ok(rendered) => rendered,
        Err(broken) => return broken,
    };
    let subject = format!("{word} {written}");
    let selected = match kind {
        MarkupKind::XPath => xpath(&written, response),
        MarkupKind::Css => css(&written, response),
    };
    match selected {
        Ok(actual) => all_with_subject(eval.expectation(&value.value, actual, None), &subject, &location),
        Err(message) => vec![broken(&subject, word, show(&value.value), message, &location)],
    }
}

#[cfg(test)]
mod tests {
    use crate::check::Response;
    use crate::check::fixtures::expect::one;
    use std::time::Duration;

    #[test]
    fn markup_queries_are_checked_like_values() {
        let html = Response::new(
            200,
            vec![("content-type".into(), "text/html".into())],
            b"<html><head><title>Sign in</title><meta name=csrf content=t0k3n></head><body><ul><li>a</li><li>b</li></ul></body></html>".to_vec(),
            Duration::ZERO,
        );
        assert!(one("xpath:\n  //title: Sign in", &html).passed);
        assert!(one("xpath:\n  count(//li): 2", &html).passed);
        let csrf = one(
            "xpath:\n  string(//meta[@name='csrf']/@content): { length: 5 }",
            &html,
        );
        assert!(csrf.passed, "{csrf:?}");
        assert!(one("css:\n  li: [a, b]", &html).passed);
        assert!(one("css:\n  title: { starts_with: Sign }", &html).passed);
        let bad = one("xpath:\n  '//[': x", &html);
        assert_eq!(bad.subject, "xpath //[");
        assert!(bad.message.unwrap().starts_with("invalid XPath"));
    }
}

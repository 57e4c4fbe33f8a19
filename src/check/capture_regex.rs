//! Narrows a capture's text with a regex: compiles the pattern and picks the
//! group asked for (1 when the regex has a group, else the whole match).
//!
//! Must not choose the text searched (the caller reads the source), render
//! templates or redact.

use regex::Regex;

use super::capture_error::CaptureError;
use super::display::body_excerpt;

/// Compiles `pattern`, naming it in the error.
pub(super) fn compile(pattern: &str) -> Result<Regex, CaptureError> {
    Regex::new(pattern).map_err(|e| CaptureError::InvalidRegex {
        pattern: pattern.to_owned(),
        reason: e.to_string(),
    })
}

/// Returns group `group` (by default 1 when there is one, else 0) of the first
/// match of `regex` in `text`; `subject` names what `text` is, for errors.
pub(super) fn regex_group(
    regex: &Regex,
    pattern: &str,
    group: Option<usize>,
    text: &str,
    subject: &str,
) -> Result<String, CaptureError> {
    let groups = regex.captures_len();
    let group = group.unwrap_or(if groups > 1 { 1 } else { 0 });
    if group >= groups {
        return Err(CaptureError::NoSuchGroup {
            pattern: pattern.to_owned(),
            group,
            groups,
        });
    }
    let no_match = |outcome: String| CaptureError::RegexNoMatch {
        pattern: pattern.to_owned(),
        outcome,
        excerpt: body_excerpt(text),
    };
    let captures = regex
        .captures(text)
        .ok_or_else(|| no_match(format!("matches nothing in the {subject}")))?;
    captures.get(group).map(|m| m.as_str().to_owned()).ok_or_else(|| {
        no_match(format!(
            "matches the {subject}, but its group {group} takes no part in the match"
        ))
    })
}

#[cfg(test)]
mod tests {
    use crate::check::CaptureError;
    use crate::check::fixtures::capture::eval_capture_at as eval_capture;
    use crate::check::fixtures::capture::{BODY, response, spanned};
    use crate::model::CaptureSpec;
    use serde_json::json;

    #[test]
    fn regexes_take_group_one_when_there_is_one_else_the_match() {
        let on_header = |pattern: &str, group| CaptureSpec {
            header: spanned("location"),
            regex: spanned(pattern),
            group,
            ..CaptureSpec::default()
        };
        let r = response(BODY);
        assert_eq!(
            eval_capture(&on_header(r"docs/([\w-]+)", None), &r),
            Ok(json!("doc-42"))
        );
        assert_eq!(
            eval_capture(&on_header(r"doc-\d+", None), &r),
            Ok(json!("doc-42"))
        );
        assert_eq!(
            eval_capture(&on_header(r"docs/([\w-]+)", Some(0)), &r),
            Ok(json!("docs/doc-42"))
        );
        let on_body = CaptureSpec {
            regex: spanned(r#""token":"([^"]+)""#),
            ..CaptureSpec::default()
        };
        assert_eq!(eval_capture(&on_body, &r), Ok(json!("tok-1")));
    }

    #[test]
    fn regex_failures_say_what_was_searched() {
        let r = response("id=7");
        let spec = |pattern: &str, group| CaptureSpec {
            body: Some(true),
            regex: spanned(pattern),
            group,
            ..CaptureSpec::default()
        };
        assert_eq!(
            eval_capture(&spec(r"code=(\d+)", None), &r)
                .unwrap_err()
                .to_string(),
            r"regex `code=(\d+)` matches nothing in the body: id=7"
        );
        assert_eq!(
            eval_capture(&spec(r"id=(\d+)", Some(2)), &r)
                .unwrap_err()
                .to_string(),
            r"regex `id=(\d+)` has no group 2; it has 2 (group 0 is the whole match)"
        );
        assert_eq!(
            eval_capture(&spec(r"id=(x)?(\d)", Some(1)), &r)
                .unwrap_err()
                .to_string(),
            r"regex `id=(x)?(\d)` matches the body, but its group 1 takes no part in the match: id=7"
        );
        let err = eval_capture(&spec(r"id=(\d+", None), &r).unwrap_err();
        assert!(matches!(err, CaptureError::InvalidRegex { .. }), "{err:?}");
        assert!(err.to_string().starts_with(r"invalid regex `id=(\d+`: "), "{err}");
    }
}

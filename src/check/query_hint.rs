//! Finds the mistakes the JSONPath parser reports poorly, before it runs: a
//! missing `$` (or a space before it), unbalanced brackets, unterminated
//! strings, spaces in shorthand names; and refuses pathological input (too
//! long, too deeply nested) before the parser sees it.
//!
//! Reads the path as text only. Must not parse or evaluate queries (the
//! wrapper around the JSONPath library does), explain where the parser
//! stopped (`query_explain` does), nor know what a capture, an expectation
//! or a snapshot is.

use super::display::shorten;

/// Bounds the length of a query, in characters; real paths are far shorter,
/// and the parser's work grows with the input.
pub const MAX_QUERY_CHARS: usize = 1024;

/// Bounds how deeply brackets and parentheses may nest: parsing and filter
/// evaluation recurse once per level, so unbounded nesting could exhaust the stack.
pub const MAX_QUERY_DEPTH: usize = 32;

/// Tracks whether the scan is inside a `.name` shorthand.
#[derive(Clone, Copy)]
enum Shorthand {
    Outside,
    AfterDot,
    InName,
}

/// Says what is wrong with a path, and where when known.
pub(super) struct Problem {
    /// What is wrong, worded for the author.
    pub(super) reason: String,
    /// The 1-based column (in characters) where the problem is, when known.
    pub(super) column: Option<usize>,
}

fn problem(reason: String, column: usize) -> Option<Problem> {
    Some(Problem {
        reason,
        column: Some(column),
    })
}

/// Finds the mistakes the parser reports poorly (or would choke on): a missing
/// `$`, excessive length or nesting, unbalanced brackets, unterminated strings.
pub(super) fn precheck(path: &str) -> Option<Problem> {
    let length = path.chars().count();
    if length > MAX_QUERY_CHARS {
        return Some(Problem {
            reason: format!("the path is {length} characters long; the limit is {MAX_QUERY_CHARS}"),
            column: None,
        });
    }
    if path.trim().is_empty() {
        return problem(
            "the path is empty; a JSONPath starts with `$`, e.g. `$.token`".into(),
            1,
        );
    }
    if path.starts_with(is_blank) && path.trim_start().starts_with('$') {
        return problem(
            format!(
                "a JSONPath starts with `$`, with no space before it; write `{}`",
                shorten(path.trim_start(), 60)
            ),
            1,
        );
    }
    if !path.starts_with('$') {
        let suggestion = match path.trim_start().chars().next() {
            Some('.' | '[') => format!("${}", path.trim_start()),
            _ => format!("$.{}", path.trim_start()),
        };
        return problem(
            format!(
                "a JSONPath starts with `$`; did you mean `{}`?",
                shorten(&suggestion, 60)
            ),
            1,
        );
    }
    let chars: Vec<char> = path.chars().collect();
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut string: Option<(char, usize)> = None;
    let mut escaped = false;
    let mut shorthand = Shorthand::Outside;
    for (index, &c) in chars.iter().enumerate() {
        let column = index + 1;
        if let Some((quote, _)) = string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == quote {
                string = None;
            }
            continue;
        }
        shorthand = match (shorthand, c) {
            (_, '.') => Shorthand::AfterDot,
            (Shorthand::AfterDot | Shorthand::InName, c) if is_name_char(c) => Shorthand::InName,
            (Shorthand::AfterDot, c) if c.is_whitespace() => {
                return problem(
                    format!("unexpected space at column {column}; no space may follow `.`"),
                    column,
                );
            }
            // The parser would read `$.first name` as the member `first name`;
            // RFC 9535 does not allow spaces in a shorthand name.
            (Shorthand::InName, c) if c.is_whitespace() => {
                let next = chars[index..].iter().find(|c| !c.is_whitespace());
                if next.is_some_and(|&c| is_name_char(c)) {
                    return problem(
                        format!(
                            "unexpected space at column {column}; names containing spaces must be written in brackets, e.g. `['first name']`"
                        ),
                        column,
                    );
                }
                Shorthand::Outside
            }
            _ => Shorthand::Outside,
        };
        match c {
            '\'' | '"' => string = Some((c, column)),
            '[' | '(' => {
                open.push((c, column));
                if open.len() > MAX_QUERY_DEPTH {
                    return problem(
                        format!(
                            "brackets and parentheses nest deeper than {MAX_QUERY_DEPTH} levels at column {column}"
                        ),
                        column,
                    );
                }
            }
            ']' | ')' => {
                let opener = if c == ']' { '[' } else { '(' };
                match open.pop() {
                    Some((o, _)) if o == opener => {}
                    Some((o, at)) => {
                        return problem(
                            format!(
                                "`{c}` at column {column} does not close the `{o}` opened at column {at}"
                            ),
                            column,
                        );
                    }
                    None => {
                        return problem(format!("`{c}` at column {column} closes nothing"), column);
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((quote, at)) = string {
        return problem(
            format!("the string opened at column {at} is never closed; add `{quote}`"),
            at,
        );
    }
    if let Some((o, at)) = open.pop() {
        let closer = if o == '[' { ']' } else { ')' };
        return problem(
            format!("the `{o}` opened at column {at} is never closed; add `{closer}`"),
            at,
        );
    }
    None
}

pub(super) fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

pub(super) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use crate::check::JsonPathQuery;
    use serde_json::json;

    fn reason(path: &str) -> String {
        JsonPathQuery::parse(path).unwrap_err().reason
    }

    #[test]
    fn explains_a_missing_root() {
        assert_eq!(
            reason("token"),
            "a JSONPath starts with `$`; did you mean `$.token`?"
        );
        assert_eq!(reason(".a"), "a JSONPath starts with `$`; did you mean `$.a`?");
        assert_eq!(
            reason(""),
            "the path is empty; a JSONPath starts with `$`, e.g. `$.token`"
        );
    }

    #[test]
    fn explains_unbalanced_brackets_and_strings_with_columns() {
        let err = JsonPathQuery::parse("$.factors[?@.factor=='email'").unwrap_err();
        assert_eq!(err.reason, "the `[` opened at column 10 is never closed; add `]`");
        assert_eq!(err.column, Some(10));
        assert_eq!(reason("$.a]"), "`]` at column 4 closes nothing");
        assert_eq!(
            reason("$.a[?(@.b==1]"),
            "`]` at column 13 does not close the `(` opened at column 6"
        );
        assert_eq!(
            reason("$['abc]"),
            "the string opened at column 3 is never closed; add `'`"
        );
    }

    #[test]
    fn refuses_pathological_input_without_overflowing() {
        let deep = format!("${}", "[".repeat(20_000));
        let err = JsonPathQuery::parse(&deep).unwrap_err();
        assert!(err.reason.contains("limit is 1024"), "{}", err.reason);
        assert!(err.to_string().len() < 300, "the message quotes a short excerpt");

        let parens = format!("$[?{}@.a{}]", "(".repeat(20_000), ")".repeat(20_000));
        assert!(JsonPathQuery::parse(&parens).is_err());

        let nested = format!("$[?{}@.a{}]", "(".repeat(40), ")".repeat(40));
        let err = JsonPathQuery::parse(&nested).unwrap_err();
        assert_eq!(
            err.reason,
            "brackets and parentheses nest deeper than 32 levels at column 35"
        );

        // The deepest accepted nesting still parses (and evaluates) on a test
        // thread's small stack.
        let deepest = format!("$[?{}@.a{}]", "(".repeat(31), ")".repeat(31));
        let q = JsonPathQuery::parse(&deepest).unwrap();
        assert_eq!(q.select(&json!([{"a": 1}, {"b": 2}])).len(), 1);

        let balanced = format!("${}", "[0]".repeat(300));
        assert!(JsonPathQuery::parse(&balanced).is_ok());
        let long = format!("${}", ".a".repeat(600));
        assert!(JsonPathQuery::parse(&long).is_err());
    }

    #[test]
    fn refuses_spaces_inside_shorthand_names() {
        assert_eq!(
            reason("$.first name"),
            "unexpected space at column 8; names containing spaces must be written in brackets, e.g. `['first name']`"
        );
        assert_eq!(
            reason("$. a"),
            "unexpected space at column 3; no space may follow `.`"
        );
        assert!(reason("$.a[?@.b c==1]").starts_with("unexpected space at column 9;"));
        assert!(JsonPathQuery::parse("$.a[?@.b == 1 && @.c]").is_ok());
        assert!(JsonPathQuery::parse("$['first name']").is_ok());
        assert!(
            JsonPathQuery::parse("$ .a").is_ok(),
            "RFC 9535 allows blanks between segments"
        );
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let q = JsonPathQuery::parse("$['a]['][?@.x=='(']").unwrap();
        assert!(!q.is_singular());
        assert_eq!(q.as_str(), "$['a]['][?@.x=='(']");
        assert_eq!(q.to_string(), q.as_str());
    }
}

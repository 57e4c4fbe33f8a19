//! Explains why a JSONPath does not parse, from the text around the place
//! the parser stopped: a digit after `.`, a name that needs brackets, an
//! empty or unquoted bracket, a spaced, zero-padded or out-of-range index, a
//! malformed number, an ill-typed function extension.
//!
//! Reads the path as text only. Must not parse or evaluate queries (the
//! wrapper around the JSONPath library does), nor refuse pathological input
//! (the pre-check beside it does).

use super::query_hint::{Problem, is_blank, is_name_char};

/// Explains a parse failure at byte `offset` of `path` from the text around it,
/// since the parser's own words name grammar rules, not mistakes;
/// `parser_message` is kept where no better explanation is known.
pub(super) fn explain_at(path: &str, offset: usize, parser_message: &str) -> Problem {
    // The parser reports byte offsets on character boundaries; stay safe if not.
    let offset = (0..=offset.min(path.len()))
        .rev()
        .find(|&at| path.is_char_boundary(at))
        .unwrap_or(0);
    let column = path[..offset].chars().count() + 1;
    let at = |reason: String| Problem {
        reason,
        column: Some(column),
    };
    if let Some(reason) = explain_function(parser_message) {
        return at(format!("{reason} (at column {column})"));
    }
    let before = path[..offset].chars().next_back();
    let Some(found) = path[offset..].chars().next() else {
        let hint = match before {
            Some('.') => "; a `.` must be followed by a name or `*`",
            Some('?') => "; a filter needs a condition, e.g. `[?@.id==1]`",
            Some(c) if is_blank(c) => "; no space may end a JSONPath",
            _ => "",
        };
        return at(format!("the path ends unexpectedly at column {column}{hint}"));
    };
    if path[offset..].trim_start_matches(is_blank).is_empty() {
        return at(format!(
            "unexpected space at column {column}; no space may end a JSONPath"
        ));
    }
    if found == '[' {
        // The parser points at a bracket whose inside it could not read.
        let inside = offset + 1 + path[offset + 1..].len() - path[offset + 1..].trim_start().len();
        if let Some(problem) = explain_bracket(path, inside) {
            return problem;
        }
    }
    let index_start = path[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_digit() || c == '-')
        .last()
        .map_or(offset, |(i, _)| i);
    if path[..index_start].trim_end().ends_with(['[', ','])
        && let Some(problem) = explain_bracket(path, index_start)
    {
        return problem;
    }
    if let Some(reason) = explain_number(path, offset) {
        return at(format!("{reason} (at column {column})"));
    }
    let shown = if found.is_whitespace() {
        "a space".to_owned()
    } else {
        format!("`{found}`")
    };
    let (name, before_name) = name_before(path, offset);
    let hint = match (before, found) {
        (Some('.'), d) if d.is_ascii_digit() => {
            let digits: String = path[offset..].chars().take_while(char::is_ascii_digit).collect();
            format!("; write an array index in brackets: `[{digits}]`")
        }
        (Some('.'), '.') => "; use `..` once for descendants, e.g. `$..id`".to_owned(),
        (Some('.'), c) if c.is_whitespace() => "; no space may follow `.`".to_owned(),
        (Some('.'), _) => {
            "; a `.` must be followed by a name or `*`; write other names as `['name']`".to_owned()
        }
        (Some('?'), ']') => "; a filter needs a condition, e.g. `[?@.id==1]`".to_owned(),
        (_, '=') if !path[offset..].starts_with("==") => "; compare with `==`, not `=`".to_owned(),
        (Some(_), c) if !name.is_empty() && before_name == Some('.') && !c.is_whitespace() => {
            let after: String = path[offset + c.len_utf8()..]
                .chars()
                .take_while(|&c| is_name_char(c))
                .collect();
            format!("; names containing `{c}` must be written in brackets, e.g. `['{name}{c}{after}']`")
        }
        (Some('['), ']') => {
            "; brackets need a selector: a name, an index, `*`, a slice or a filter".to_owned()
        }
        (Some('['), c) if c.is_alphabetic() || c == '_' => {
            let name: String = path[offset..].chars().take_while(|&c| is_name_char(c)).collect();
            format!("; quote names inside brackets: `['{name}']`")
        }
        _ if inside_brackets(path, offset) => {
            "; brackets hold a quoted name ('a'), an index (0), `*`, a slice (1:3) or a filter (?@.x==1)"
                .to_owned()
        }
        _ => String::new(),
    };
    at(format!("unexpected {shown} at column {column}{hint}"))
}

/// Explains what the parser found wrong inside brackets, from the first
/// character past `[` (at byte `inside`): an empty selector, a bare name, a
/// spaced or zero-padded index, or one out of RFC 9535's range.
fn explain_bracket(path: &str, inside: usize) -> Option<Problem> {
    let column = path[..inside].chars().count() + 1;
    let at = |reason: String| {
        Some(Problem {
            reason,
            column: Some(column),
        })
    };
    let rest = &path[inside..];
    let first = rest.chars().next()?;
    if first == ']' {
        return at(format!(
            "unexpected `]` at column {column}; brackets need a selector: a name, an index, `*`, a slice or a filter"
        ));
    }
    if first.is_alphabetic() || first == '_' {
        let name: String = rest.chars().take_while(|&c| is_name_char(c)).collect();
        return at(format!(
            "unexpected `{first}` at column {column}; quote names inside brackets: `['{name}']`"
        ));
    }
    let (sign, digits_at) = match rest.strip_prefix('-') {
        Some(unsigned) => ("-", &rest[rest.len() - unsigned.len()..]),
        None => ("", rest),
    };
    if sign == "-" && digits_at.starts_with(is_blank) {
        let digits: String = digits_at
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        return at(format!(
            "unexpected space after `-` at column {column}; write a negative index without a space, e.g. `[-{}]`",
            if digits.is_empty() { "1" } else { &digits }
        ));
    }
    let digits: String = digits_at.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    if digits.len() > 1 && digits.starts_with('0') {
        let trimmed = digits.trim_start_matches('0');
        let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
        return at(format!(
            "the index `{sign}{digits}` at column {column} has a leading zero; write `[{sign}{trimmed}]`"
        ));
    }
    // RFC 9535 bounds indexes and slice bounds to the I-JSON range, +/-(2^53 - 1).
    let too_big = digits.len() > 16 || digits.parse::<u64>().is_ok_and(|n| n > (1 << 53) - 1);
    if too_big {
        return at(format!(
            "the index `{sign}{digits}` at column {column} is out of range; indexes and slice bounds lie between -9007199254740991 and 9007199254740991"
        ));
    }
    None
}

/// Explains a malformed number literal around byte `offset` (`1e2.3`,
/// `1.e2`, `01`), if the parser stopped inside or right after one.
fn explain_number(path: &str, offset: usize) -> Option<String> {
    let is_number_char = |c: char| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-');
    let start = path[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_number_char(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + path[offset..]
            .char_indices()
            .find(|&(_, c)| !is_number_char(c))
            .map_or(path.len() - offset, |(i, _)| i);
    let literal = path[start..end].trim_start_matches(['.', '+']);
    let unsigned = literal.strip_prefix('-').unwrap_or(literal);
    // Only a token that starts like a number is one (`@.e2` is a name).
    let starts_like_number = unsigned.starts_with(|c: char| c.is_ascii_digit());
    let preceded_by_name = path[..start]
        .chars()
        .next_back()
        .is_some_and(|c| is_name_char(c) || c == '.');
    if !starts_like_number || preceded_by_name || !inside_brackets(path, offset) {
        return None;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (int, fraction) = match mantissa.split_once('.') {
        Some((int, fraction)) => (int, Some(fraction)),
        None => (mantissa, None),
    };
    let why = if int.len() > 1 && int.starts_with('0') {
        "a number has no leading zero"
    } else if fraction.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        "a fraction needs digits after `.`"
    } else if let Some(exponent) = exponent {
        let digits = exponent.trim_start_matches(['+', '-']);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            "an exponent is a whole number, e.g. `1e2` or `1.5e-3`"
        } else {
            return None;
        }
    } else {
        return None;
    };
    Some(format!(
        "the number `{literal}` is not valid: {why}; numbers are written like `12`, `-1.5` or `1e3`"
    ))
}

/// Rewords the parser's complaints about function extensions (RFC 9535
/// section 2.4), which name the grammar's types rather than the mistake.
fn explain_function(message: &str) -> Option<String> {
    let message = message.trim_start_matches("in long-hand segment, ");
    if let Some(rest) = message.strip_prefix("function name '") {
        let name = rest.split('\'').next().unwrap_or_default();
        return Some(format!(
            "unknown function `{name}`; RFC 9535 defines `length`, `count`, `match`, `search` and `value`"
        ));
    }
    if message.contains("function with incorrect return type used") {
        return Some(
            "this function's result must be compared (e.g. `length(@.a) > 0`, `count(@.*) == 2`); only `match` and `search` stand alone as a test"
                .to_owned(),
        );
    }
    if message.contains("received nodes type") {
        let name = message
            .strip_prefix("in function ")
            .and_then(|rest| rest.split(',').next())
            .unwrap_or("this function");
        return Some(format!(
            "`{name}` takes one value: give it a singular query (names and indexes only, e.g. `@.a`) or a literal; this argument may select several nodes"
        ));
    }
    message.contains("function").then(|| message.to_owned())
}

/// Returns the shorthand name run that ends at byte `offset`, and the
/// character before it.
fn name_before(path: &str, offset: usize) -> (String, Option<char>) {
    let head = &path[..offset];
    let name_start = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_name_char(c))
        .last()
        .map_or(offset, |(i, _)| i);
    (
        head[name_start..].to_owned(),
        head[..name_start].chars().next_back(),
    )
}

/// Tells whether byte `offset` lies inside brackets (strings skipped).
fn inside_brackets(path: &str, offset: usize) -> bool {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in path[..offset].chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '[' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    depth > 0
}

#[cfg(test)]
mod tests {
    use crate::check::JsonPathQuery;

    fn reason(path: &str) -> String {
        JsonPathQuery::parse(path).unwrap_err().reason
    }

    #[test]
    fn explains_parser_failures_at_the_right_column() {
        assert_eq!(
            reason("$.a.0"),
            "unexpected `0` at column 5; write an array index in brackets: `[0]`"
        );
        assert_eq!(
            reason("$.a-b"),
            "unexpected `-` at column 4; names containing `-` must be written in brackets, e.g. `['a-b']`"
        );
        assert_eq!(
            reason("$.a."),
            "the path ends unexpectedly at column 5; a `.` must be followed by a name or `*`"
        );
        assert_eq!(
            reason("$.a[]"),
            "unexpected `]` at column 5; brackets need a selector: a name, an index, `*`, a slice or a filter"
        );
        let err = JsonPathQuery::parse("$.a[?@.b='x']").unwrap_err();
        assert!(err.reason.contains("`==`"), "{}", err.reason);
        assert_eq!(
            err.to_string(),
            format!("invalid JSONPath `$.a[?@.b='x']`: {}", err.reason)
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let err = JsonPathQuery::parse("$.žluť-x").unwrap_err();
        assert_eq!(err.column, Some(7));
        assert!(
            err.reason.starts_with("unexpected `-` at column 7;"),
            "{}",
            err.reason
        );
    }

    #[test]
    fn hints_at_what_brackets_may_hold() {
        assert_eq!(
            reason("$.a[abc]"),
            "unexpected `a` at column 5; quote names inside brackets: `['abc']`"
        );
        assert!(reason("$.a[1:2:3:4]").contains("a slice (1:3)"));
    }

    #[test]
    fn hints_say_what_is_wrong_not_what_the_grammar_expected() {
        assert_eq!(
            reason(" $"),
            "a JSONPath starts with `$`, with no space before it; write `$`"
        );
        assert_eq!(
            reason("$[- 1]"),
            "unexpected space after `-` at column 3; write a negative index without a space, e.g. `[-1]`"
        );
        assert_eq!(
            reason("$[?@.a == 1e2.3]"),
            "the number `1e2.3` is not valid: an exponent is a whole number, e.g. `1e2` or `1.5e-3`; numbers are written like `12`, `-1.5` or `1e3` (at column 14)"
        );
        assert_eq!(
            reason("$[?@.a==1.e2]"),
            "the number `1.e2` is not valid: a fraction needs digits after `.`; numbers are written like `12`, `-1.5` or `1e3` (at column 10)"
        );
        assert_eq!(
            reason("$[01]"),
            "the index `01` at column 3 has a leading zero; write `[1]`"
        );
        assert_eq!(
            reason("$[9007199254740992]"),
            "the index `9007199254740992` at column 3 is out of range; indexes and slice bounds lie between -9007199254740991 and 9007199254740991"
        );
        assert_eq!(
            reason("$.a[?]"),
            "unexpected `]` at column 6; a filter needs a condition, e.g. `[?@.id==1]`"
        );
        assert_eq!(
            reason("$ "),
            "unexpected space at column 2; no space may end a JSONPath"
        );
    }

    #[test]
    fn ill_typed_function_uses_are_refused_in_plain_words() {
        assert_eq!(
            reason("$[?length(@.*)<3]"),
            "`length` takes one value: give it a singular query (names and indexes only, e.g. `@.a`) or a literal; this argument may select several nodes (at column 4)"
        );
        for path in ["$[?count(@..*)]", "$[?value(@.a)]", "$[?length(@.a)]"] {
            assert!(
                reason(path).starts_with("this function's result must be compared"),
                "{path}: {}",
                reason(path)
            );
        }
        assert_eq!(
            reason("$[?foo(@.a)]"),
            "unknown function `foo`; RFC 9535 defines `length`, `count`, `match`, `search` and `value` (at column 4)"
        );
    }

    #[test]
    fn filter_literals_beyond_64_bits_are_accepted() {
        let q = JsonPathQuery::parse("$[?@.n == 18446744073709551617]").unwrap();
        assert!(!q.is_singular());
        assert!(JsonPathQuery::parse("$[?@.n > 9007199254740993]").is_ok());
    }
}

//! Tells a singular JSONPath (names and indexes only, RFC 9535 section
//! 2.3.5.1) from one that may select several nodes, by reading the text of a
//! path that already parsed.
//!
//! The JSONPath library keeps its own singular test private, and the answer
//! decides whether an expectation compares one value or a list, so it is read
//! here from the path's segments. Must not parse or evaluate queries beyond
//! that, nor explain mistakes.

/// Tells whether `path`, a valid JSONPath, holds only name and index
/// segments (`$.a`, `$['b']`, `$[0]`, `$[-1]`), with blanks between them.
pub(super) fn is_singular_text(path: &str) -> bool {
    let chars: Vec<char> = path.chars().collect();
    let mut at = 1; // after `$`
    let blank = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let skip_blanks = |at: &mut usize| {
        while chars.get(*at).is_some_and(|&c| blank(c)) {
            *at += 1;
        }
    };
    loop {
        skip_blanks(&mut at);
        match chars.get(at) {
            None => return true,
            Some('.') => {
                at += 1;
                // `..` and `.*` select many; anything else after `.` is a name.
                if matches!(chars.get(at), Some('.' | '*') | None) {
                    return false;
                }
                while chars.get(at).is_some_and(|&c| !blank(c) && c != '.' && c != '[') {
                    at += 1;
                }
            }
            Some('[') => {
                at += 1;
                skip_blanks(&mut at);
                match chars.get(at) {
                    Some(&quote @ ('\'' | '"')) => {
                        at += 1;
                        while let Some(&c) = chars.get(at) {
                            at += 1;
                            if c == '\\' {
                                at += 1;
                            } else if c == quote {
                                break;
                            }
                        }
                    }
                    Some(c) if c.is_ascii_digit() || *c == '-' => {
                        at += 1;
                        while chars.get(at).is_some_and(char::is_ascii_digit) {
                            at += 1;
                        }
                    }
                    _ => return false,
                }
                skip_blanks(&mut at);
                if chars.get(at) != Some(&']') {
                    return false;
                }
                at += 1;
            }
            Some(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_singular_text;

    #[test]
    fn names_and_indexes_are_singular() {
        for path in [
            "$",
            "$.a",
            "$.a.b[0]['c']",
            "$['odd key'][-1]",
            "$ .a [ 0 ]",
            "$[\"a]b\"]",
            "$['it\\'s']",
        ] {
            assert!(is_singular_text(path), "{path}");
        }
    }

    #[test]
    fn wildcards_slices_filters_unions_and_descendants_are_not() {
        for path in [
            "$.a[*]",
            "$.a.*",
            "$[*]",
            "$.a[0:2]",
            "$[?@.x==1]",
            "$..id",
            "$[0,1]",
            "$['a','b']",
            "$['a', 1]",
        ] {
            assert!(!is_singular_text(path), "{path}");
        }
    }
}

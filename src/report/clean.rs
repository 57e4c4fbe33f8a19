//! Owns the cleaning of response-derived text, so a hostile body cannot drive
//! the terminal: escape sequences, control characters and bidirectional
//! overrides go; [`one_line`] also makes newlines visible.
//!
//! Must not paint, indent or otherwise lay out text.

use std::borrow::Cow;

/// Returns `text` fit for one line: cleaned, newlines shown as `\n`, tabs as spaces.
pub(crate) fn one_line(text: &str) -> String {
    clean(text).replace('\n', "\\n").replace('\t', " ")
}

/// Returns `text` without terminal escape sequences, control characters
/// (newlines and tabs excepted) or bidirectional overrides, which a hostile
/// response could use to rewrite the terminal or disguise what is printed.
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                // Any other escape is two characters long; both go.
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{9d}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\r' if chars.peek() == Some(&'\n') => {}
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Skips a control sequence's parameters up to and including its final byte.
fn skip_csi(chars: &mut impl Iterator<Item = char>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// Skips an operating-system command or device string up to its terminator
/// (BEL, ST, or ESC `\`).
fn skip_string(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_strips_escape_sequences_and_controls() {
        assert_eq!(clean("plain {\"a\": 1}\n\tnext"), "plain {\"a\": 1}\n\tnext");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(clean("\u{1b}[31mred\u{1b}[0m"), "red");
        assert_eq!(clean("\u{1b}]0;owned title\u{7}text"), "text");
        assert_eq!(clean("\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\"), "link");
        assert_eq!(clean("a\u{1b}cb"), "ab");
        assert_eq!(clean("over\rwrite\r\nline\u{7}\u{8}"), "overwrite\nline");
        assert_eq!(clean("\u{9b}2Jclear"), "clear");
        assert_eq!(clean("evil\u{202e}txt.exe"), "eviltxt.exe");
        assert_eq!(clean("unterminated \u{1b}[12"), "unterminated ");
    }

    #[test]
    fn one_line_makes_newlines_visible() {
        assert_eq!(one_line("a\nb\tc\u{1b}[1m"), "a\\nb c");
    }
}

//! Owns replayable command lines: a redacted curl line's `[secret:NAME]`
//! markers become shell variables (`"$SECRET_NAME"`, upper case; the prefix
//! keeps `pwd` or `path` from naming `$PWD` or `$PATH`), so the line can be
//! pasted once the variables are set, and no secret is ever printed.
//!
//! Must not know a secret's value: it works on text already redacted.

use std::sync::LazyLock;

use regex::Regex;

/// Matches a marker the redactor writes, capturing the secret's name.
static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[secret:([A-Za-z0-9_.-]+)\]").expect("a valid pattern"));

/// Turns each `[secret:NAME]` of a redacted, shell-quoted line into a
/// reference to the variable `NAME` (closing and reopening a single-quoted
/// word around it), so the shell puts the value back.
#[must_use]
pub fn replayable(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quoted = false;
    let mut at = 0;
    for found in MARKER.captures_iter(line) {
        let whole = found.get(0).expect("a match has a whole");
        let before = &line[at..whole.start()];
        quoted = quoted_after(before, quoted);
        out.push_str(before);
        let variable = variable_name(&found[1]);
        if quoted {
            out.push_str(&format!("'\"${variable}\"'"));
        } else {
            out.push_str(&format!("\"${variable}\""));
        }
        at = whole.end();
    }
    out.push_str(&line[at..]);
    out
}

/// Lists the variables a replayable line reads, in order, each once: every
/// `"$NAME"` outside single quotes (a literal `"$NAME"` in a body is inside
/// them, so it is not one).
#[must_use]
pub fn replay_variables(line: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut quoted = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if !quoted && c == '\\' {
            // An escaped character outside quotes, such as the `\'` of `'\''`.
            let skip = rest.chars().take(2).map(char::len_utf8).sum::<usize>();
            rest = &rest[skip..];
            continue;
        }
        if c == '\'' {
            quoted = !quoted;
        } else if !quoted && let Some(after) = rest.strip_prefix("\"$") {
            let end = after.find('"').unwrap_or(after.len());
            let name = &after[..end];
            if !name.is_empty() && !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
            rest = &after[(end + 1).min(after.len())..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
    }
    names
}

/// Tells whether a single-quoted word is open after `text`, given whether
/// one was open before it; outside quotes a backslash escapes the next
/// character (`'\''` writes a literal quote).
fn quoted_after(text: &str, mut quoted: bool) -> bool {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => quoted = !quoted,
            '\\' if !quoted => {
                chars.next();
            }
            _ => {}
        }
    }
    quoted
}

/// Returns the shell variable for a secret's name: `SECRET_`, then the
/// name upper-cased, with `_` for what a variable name cannot hold.
fn variable_name(secret: &str) -> String {
    let name: String = secret
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("SECRET_{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_variables_inside_and_outside_quotes() {
        let line = "curl 'http://x/api?token=[secret:token]' -H 'x-code: [secret:email-code]' --data-raw [secret:token]";
        let replay = replayable(line);
        assert_eq!(
            replay,
            r#"curl 'http://x/api?token='"$SECRET_TOKEN"'' -H 'x-code: '"$SECRET_EMAIL_CODE"'' --data-raw "$SECRET_TOKEN""#
        );
        assert_eq!(replay_variables(&replay), ["SECRET_TOKEN", "SECRET_EMAIL_CODE"]);
    }

    #[test]
    fn a_quote_escaped_in_a_word_keeps_the_quoting_straight() {
        // shell_quote writes a literal ' as '\'' (close, escaped quote, reopen).
        let line = r"curl --data-raw 'it'\''s [secret:pin]'";
        assert_eq!(replayable(line), r#"curl --data-raw 'it'\''s '"$SECRET_PIN"''"#);
    }

    #[test]
    fn the_shell_reads_the_line_back_with_the_values() {
        let line = replayable("printf '%s|%s' 'a=[secret:token]&b' [secret:2fa]");
        let output = std::process::Command::new("sh")
            .args(["-c", &line])
            .env("SECRET_TOKEN", "t0k'en $x")
            .env("SECRET_2FA", "123 456")
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(output.stdout).unwrap(), "a=t0k'en $x&b|123 456");
    }

    #[test]
    fn lines_without_markers_are_left_as_they_are() {
        assert_eq!(replayable("curl http://x/status"), "curl http://x/status");
        assert!(replay_variables("curl --data-raw '\"$HOME\"'").is_empty());
    }
}

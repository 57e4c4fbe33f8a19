//! Writes snapshot headers as YAML, byte for byte the way insta does.
//!
//! Matching insta's emitter (block style, two-space indent, compact nested
//! items, plain scalars unless quoting is needed) means `cargo insta accept`
//! and our own accept produce the same files. Quoting is slightly stricter than
//! insta's so every value reads back as the same string with any YAML parser.
//!
//! Must not parse YAML or touch files: it only writes headers as text.

use serde_json::Value;

/// Returns the YAML lines for a top-level mapping, without the `---` markers,
/// each line ending in `\n`.
pub(crate) fn mapping_to_yaml<'a>(entries: impl IntoIterator<Item = (&'a str, &'a Value)>) -> String {
    let mut out = String::new();
    for (key, value) in entries {
        write_scalar_str(&mut out, key);
        out.push(':');
        write_value(&mut out, value, 0, false);
        out.push('\n');
    }
    out
}

/// Writes `value` after a `key:` or `-` at nesting `level` (0 for top-level keys).
/// `inline` says the value follows a `-`, where nested collections start on
/// the same line.
fn write_value(out: &mut String, value: &Value, level: usize, inline: bool) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            if inline {
                out.push(' ');
            } else {
                out.push('\n');
                indent(out, level + 1);
            }
            write_sequence(out, items, level + 1);
        }
        Value::Object(map) if !map.is_empty() => {
            if inline {
                out.push(' ');
            } else {
                out.push('\n');
                indent(out, level + 1);
            }
            write_mapping(out, map, level + 1);
        }
        other => {
            out.push(' ');
            write_scalar(out, other);
        }
    }
}

fn write_sequence(out: &mut String, items: &[Value], level: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            indent(out, level);
        }
        out.push('-');
        write_value(out, item, level, true);
    }
}

fn write_mapping(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            indent(out, level);
        }
        write_scalar_str(out, key);
        out.push(':');
        write_value(out, value, level, false);
    }
}

/// Indents a line at nesting `level`, two spaces a level; top-level keys are level 0.
fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push('~'),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_scalar_str(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn write_scalar_str(out: &mut String, text: &str) {
    if needs_quotes(text) {
        write_double_quoted(out, text);
    } else {
        out.push_str(text);
    }
}

/// Tells whether a string must be double-quoted to read back as that string.
///
/// insta's rules, plus: any control or line-separator character, and `0o`
/// octal-looking values, which YAML 1.2 parsers read as numbers.
fn needs_quotes(text: &str) -> bool {
    const KEYWORDS: [&str; 22] = [
        "yes", "Yes", "YES", "no", "No", "NO", "True", "TRUE", "true", "False", "FALSE", "false", "on", "On",
        "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
    ];
    text.is_empty()
        || text.starts_with(' ')
        || text.ends_with(' ')
        || text.starts_with(['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@', '.'])
        || text.contains([':', '{', '}', '[', ']', ',', '#', '`', '"', '\'', '\\'])
        || text
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}'))
        || KEYWORDS.contains(&text)
        || text.starts_with("0x")
        || text.starts_with("0o")
        || text.parse::<i64>().is_ok()
        || text.parse::<f64>().is_ok()
}

/// Writes `text` as a YAML double-quoted scalar with JSON-style escapes.
fn write_double_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(value: &Value) -> String {
        let map = value.as_object().cloned().unwrap_or_default();
        mapping_to_yaml(map.iter().map(|(k, v)| (k.as_str(), v)))
    }

    #[test]
    fn writes_plain_scalars_unquoted() {
        assert_eq!(
            yaml(&json!({"a": "scenarios/login.yaml", "b": 200, "c": true, "d": null})),
            "a: scenarios/login.yaml\nb: 200\nc: true\nd: ~\n"
        );
    }

    #[test]
    fn quotes_what_yaml_would_misread() {
        for text in [
            "",
            " x",
            "x ",
            "-x",
            "a: b",
            "a #b",
            "true",
            "no",
            "~",
            "12",
            "1.5",
            "1e3",
            "0x1f",
            "0o17",
            ".inf",
            "*ref",
            "it's",
            "say \"hi\"",
            "[a]",
            "{a}",
            "a,b",
        ] {
            assert!(needs_quotes(text), "{text:?} must be quoted");
        }
        for text in ["login", "Přihlášení", "POST", "/api/v1/login", "a-b", "a b", "y"] {
            assert!(!needs_quotes(text), "{text:?} needs no quotes");
        }
    }

    #[test]
    fn escapes_controls_and_separators() {
        let mut out = String::new();
        write_double_quoted(&mut out, "a\"b\\c\nd\te\u{1}f\u{7f}g\u{2028}h");
        assert_eq!(out, r#""a\"b\\c\nd\te\u0001f\u007fg\u2028h""#);
    }

    #[test]
    fn nests_maps_and_lists_like_insta() {
        let value = json!({
            "info": {"method": "GET", "tags": ["x", {"k": 1, "l": []}], "empty": {}},
            "z": []
        });
        assert_eq!(
            yaml(&value),
            "info:\n  empty: {}\n  method: GET\n  tags:\n    - x\n    - k: 1\n      l: []\nz: []\n"
        );
    }
}

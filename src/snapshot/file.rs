//! Reads and writes one `.snap` file: a YAML header between two `---` lines,
//! then the body verbatim and a final newline, exactly as insta lays it out.
//!
//! Must not decide where snapshots live or whether they match: it reads,
//! parses and prints one file.

use std::path::Path;

use indexmap::IndexMap;
use serde_json::Value;

use super::SnapshotError;
use super::yaml::mapping_to_yaml;

/// Header keys in the order insta writes them; other keys follow in file order.
const INSTA_KEY_ORDER: [&str; 8] = [
    "source",
    "assertion_line",
    "description",
    "expression",
    "info",
    "input_file",
    "extension",
    "snapshot_kind",
];

/// Holds one snapshot file: its header (metadata) and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotFile {
    metadata: IndexMap<String, Value>,
    body: String,
}

impl SnapshotFile {
    /// Creates a snapshot with insta's `source`, `description` and `info` header
    /// keys; `info` is left out when it is `null`.
    #[must_use]
    pub fn new(source: &str, description: &str, info: &Value, body: &str) -> Self {
        let mut metadata = IndexMap::new();
        metadata.insert("source".to_owned(), Value::String(source.to_owned()));
        metadata.insert("description".to_owned(), Value::String(description.to_owned()));
        if !info.is_null() {
            metadata.insert("info".to_owned(), info.clone());
        }
        Self {
            metadata,
            body: body.to_owned(),
        }
    }

    /// Reads and parses the snapshot file at `path`.
    ///
    /// # Errors
    /// Fails when the file cannot be read or is not a snapshot file.
    pub fn read(path: &Path) -> Result<Self, SnapshotError> {
        let text = std::fs::read_to_string(path).map_err(SnapshotError::io("read", path))?;
        Self::parse(&text).map_err(|reason| SnapshotError::Malformed {
            path: path.to_owned(),
            reason,
        })
    }

    /// Parses the text of a snapshot file, as insta does: a YAML header between
    /// `---` lines (or, in insta's legacy format, `key: value` lines up to the
    /// first blank line), then the body.
    ///
    /// # Errors
    /// Returns a readable reason when the header is not closed or not a YAML mapping.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut lines = text.split_inclusive('\n');
        let first = lines.next().unwrap_or_default();
        let metadata = if first.trim_end() == "---" {
            let mut header = String::new();
            let mut closed = false;
            for line in lines.by_ref() {
                if line.trim_end() == "---" {
                    closed = true;
                    break;
                }
                header.push_str(line);
            }
            if !closed {
                return Err("the header has no closing `---` line".to_owned());
            }
            parse_header(&header)?
        } else {
            let mut metadata = IndexMap::new();
            let mut line = Some(first);
            while let Some(current) = line.filter(|l| !l.trim_end().is_empty()) {
                if let Some((key, value)) = current.split_once(':') {
                    let key = key.trim().to_lowercase();
                    if key == "source" || key == "expression" {
                        metadata.insert(key, Value::String(value.trim().to_owned()));
                    }
                }
                line = lines.next();
            }
            metadata
        };
        let body = lines
            .map(|line| {
                let line = line.strip_suffix('\n').unwrap_or(line);
                line.strip_suffix('\r').unwrap_or(line)
            })
            .collect::<Vec<_>>()
            .join("\n");
        Ok(Self { metadata, body })
    }

    /// Returns the file text: the header in insta's key order, then the
    /// normalized body and a final newline.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut keys: Vec<&str> = INSTA_KEY_ORDER
            .iter()
            .copied()
            .filter(|key| self.metadata.contains_key(*key))
            .collect();
        keys.extend(
            self.metadata
                .keys()
                .map(String::as_str)
                .filter(|key| !INSTA_KEY_ORDER.contains(key)),
        );
        let mut text = String::from("---\n");
        if keys.is_empty() {
            // insta cannot read an empty header; this is how it writes one.
            text.push_str("{}\n");
        } else {
            text.push_str(&mapping_to_yaml(
                keys.into_iter()
                    .filter_map(|key| self.metadata.get(key).map(|value| (key, value))),
            ));
        }
        text.push_str("---\n");
        text.push_str(&self.normalized_body());
        text.push('\n');
        text
    }

    /// Returns the scenario file the snapshot was taken from (`source`).
    #[must_use]
    pub fn source(&self) -> Option<&str> {
        self.metadata.get("source").and_then(Value::as_str)
    }

    /// Returns the human description (`description`), usually `scenario / step`.
    #[must_use]
    pub fn description(&self) -> Option<&str> {
        self.metadata
            .get("description")
            .and_then(Value::as_str)
            .filter(|d| !d.is_empty())
    }

    /// Returns the structured `info` map (method, path, status), if any.
    #[must_use]
    pub fn info(&self) -> Option<&Value> {
        self.metadata.get("info").filter(|info| !info.is_null())
    }

    /// Returns the body as stored.
    #[must_use]
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Returns the body as insta compares it: trailing whitespace trimmed, CRLF as LF.
    #[must_use]
    pub fn normalized_body(&self) -> String {
        normalize_body(&self.body)
    }

    /// Removes insta's `assertion_line`, which only pending snapshots carry.
    #[must_use]
    pub fn without_assertion_line(mut self) -> Self {
        self.metadata.shift_remove("assertion_line");
        self
    }
}

/// Returns `body` trimmed at the end with CRLF turned into LF, like insta.
pub(crate) fn normalize_body(body: &str) -> String {
    body.trim_end().replace("\r\n", "\n")
}

fn parse_header(header: &str) -> Result<IndexMap<String, Value>, String> {
    if header.trim().is_empty() {
        return Ok(IndexMap::new());
    }
    let parsed: Option<IndexMap<String, Value>> =
        serde_saphyr::from_str(header).map_err(|e| format!("the header is not a YAML mapping: {e}"))?;
    Ok(parsed.unwrap_or_default())
}

/// Returns `value` as pretty JSON with object keys sorted and two-space
/// indentation, so snapshots do not change when a server reorders keys.
#[must_use]
pub fn format_json_body(value: &Value) -> String {
    let sorted = sort_keys(value);
    serde_json::to_string_pretty(&sorted).unwrap_or_else(|_| sorted.to_string())
}

fn sort_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sort_keys(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_insta_layout() {
        let file = SnapshotFile::new(
            "scenarios/login.yaml",
            "Login / POST /login",
            &json!({"method": "POST", "path": "/login", "status": 200}),
            "{\n  \"ok\": true\n}\n\n",
        );
        assert_eq!(
            file.to_text(),
            "---\nsource: scenarios/login.yaml\ndescription: Login / POST /login\ninfo:\n  method: POST\n  path: /login\n  status: 200\n---\n{\n  \"ok\": true\n}\n"
        );
    }

    #[test]
    fn round_trips_through_parse() {
        let file = SnapshotFile::new(
            "a b/c.yaml",
            "Quote \" colon: hash # ünïcødé\nnew line",
            &json!({"method": "GET", "status": 404, "tags": ["x", null]}),
            "line 1\n---\nline 3",
        );
        let parsed = SnapshotFile::parse(&file.to_text()).unwrap();
        assert_eq!(parsed, file);
        assert_eq!(
            parsed.description(),
            Some("Quote \" colon: hash # ünïcødé\nnew line")
        );
        assert_eq!(
            parsed.info(),
            Some(&json!({"method": "GET", "status": 404, "tags": ["x", null]}))
        );
    }

    #[test]
    fn reads_crlf_files_and_keeps_body_lines() {
        let parsed = SnapshotFile::parse("---\r\nsource: x.yaml\r\n---\r\na\r\nb\r\n").unwrap();
        assert_eq!(parsed.source(), Some("x.yaml"));
        assert_eq!(parsed.body(), "a\nb");
    }

    #[test]
    fn reads_legacy_headers() {
        let parsed = SnapshotFile::parse("Created: today\nSource: src/x.rs\n\nbody\n").unwrap();
        assert_eq!(parsed.source(), Some("src/x.rs"));
        assert_eq!(parsed.body(), "body");
    }

    #[test]
    fn rejects_unclosed_or_non_mapping_headers() {
        assert!(SnapshotFile::parse("---\nsource: x\nbody\n").is_err());
        assert!(SnapshotFile::parse("---\n- a\n- b\n---\nbody\n").is_err());
    }

    #[test]
    fn drops_assertion_line_and_keeps_insta_order() {
        let parsed = SnapshotFile::parse(
            "---\ninput_file: in.json\ndescription: d\nassertion_line: 42\ncustom: 1\nsource: s.yaml\n---\nx\n",
        )
        .unwrap();
        assert_eq!(
            parsed.without_assertion_line().to_text(),
            "---\nsource: s.yaml\ndescription: d\ninput_file: in.json\ncustom: 1\n---\nx\n"
        );
    }

    #[test]
    fn empty_header_is_written_as_empty_mapping() {
        let parsed = SnapshotFile::parse("---\n---\nbody\n").unwrap();
        assert_eq!(parsed.to_text(), "---\n{}\n---\nbody\n");
    }

    #[test]
    fn normalizes_like_insta() {
        assert_eq!(normalize_body("a\r\nb \n\n"), "a\nb");
        assert_eq!(normalize_body("\n a"), "\n a");
    }

    #[test]
    fn formats_json_sorted_and_pretty() {
        let value = json!({"b": 1, "a": {"d": [1, {"z": 0, "y": "é"}], "c": null}});
        assert_eq!(
            format_json_body(&value),
            "{\n  \"a\": {\n    \"c\": null,\n    \"d\": [\n      1,\n      {\n        \"y\": \"é\",\n        \"z\": 0\n      }\n    ]\n  },\n  \"b\": 1\n}"
        );
    }
}

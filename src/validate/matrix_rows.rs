//! Reads a matrix's `rows:`: an inline list of mappings, or a CSV, YAML or
//! JSON file next to the scenario holding one, into the assignments each
//! row gives its variables.
//!
//! Reads the file named, never anything else. Must not evaluate templates,
//! touch HTTP or the terminal; every problem becomes a message the caller
//! places at `rows:`.

use std::path::Path;

use serde_json::Value;

use crate::model::load::{MAX_FILE_BYTES, parse_data};

/// Gives a row's variables their values, in column order.
pub(super) type Row = Vec<(String, Value)>;

/// Returns the rows `rows` holds, `dir` being the scenario's folder.
///
/// # Errors
/// Returns what is wrong, in a sentence that says how to fix it.
pub(super) fn read_rows(rows: &Value, dir: &Path) -> Result<Vec<Row>, String> {
    let (list, origin) = match rows {
        Value::String(name) => match read_file(&dir.join(name), name)? {
            FileRows::Csv(rows) if rows.is_empty() => {
                return Err(format!("`{name}` holds no row: add at least one"));
            }
            FileRows::Csv(rows) => return Ok(rows),
            FileRows::Data(value) => (value, format!("`{name}`")),
        },
        other => (other.clone(), "`rows`".to_owned()),
    };
    let Value::Array(items) = list else {
        return Err(format!(
            "{origin} must hold a list of mappings, one per combination, e.g. `- {{ account: sms }}`"
        ));
    };
    if items.is_empty() {
        return Err(format!("{origin} holds no row: add at least one"));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Object(map) => Ok(map.into_iter().collect()),
            other => Err(format!(
                "row {} of {origin} is {}, not a mapping of variables to values",
                i + 1,
                kind(&other)
            )),
        })
        .collect()
}

/// Holds a rows file's content: CSV rows keep their column order.
enum FileRows {
    Csv(Vec<Row>),
    Data(Value),
}

/// Reads a rows file by its extension.
fn read_file(path: &Path, name: &str) -> Result<FileRows, String> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(extension.as_str(), "csv" | "yaml" | "yml" | "json") {
        return Err(format!(
            "`{name}` must end in .csv, .yaml, .yml or .json, so its format is known"
        ));
    }
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read `{name}` (next to the scenario): {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "`{name}` is {size} bytes, more than the {MAX_FILE_BYTES} a rows file may hold"
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{name}`: {e}"))?;
    match extension.as_str() {
        "csv" => csv_rows(&text)
            .map(FileRows::Csv)
            .map_err(|e| format!("`{name}`: {e}")),
        "json" => serde_json::from_str(&text)
            .map(FileRows::Data)
            .map_err(|e| format!("`{name}` is not JSON: {e}")),
        _ => parse_data(&text)
            .map(FileRows::Data)
            .map_err(|e| format!("`{name}` is not valid YAML: {e}")),
    }
}

/// Reads CSV text whose first line names the columns; every value is a string.
fn csv_rows(text: &str) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| describe_csv_error(&e))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err("the first line must name the columns, e.g. `account,user`".to_owned());
    }
    if let Some(blank) = headers.iter().position(String::is_empty) {
        return Err(format!("column {} of the first line has no name", blank + 1));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| describe_csv_error(&e))?;
        rows.push(
            headers
                .iter()
                .cloned()
                .zip(record.iter().map(|v| Value::String(v.to_owned())))
                .collect(),
        );
    }
    Ok(rows)
}

/// Says where a CSV error is, by line, in words.
fn describe_csv_error(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "line {} has {len} fields but the first line names {expected_len}; quote values holding commas",
            pos.as_ref().map_or(0, csv::Position::line)
        ),
        csv::ErrorKind::Utf8 { pos, .. } => format!(
            "line {} is not UTF-8 text",
            pos.as_ref().map_or(0, csv::Position::line)
        ),
        _ => error.to_string(),
    }
}

/// Names a JSON value's kind for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_files_give_one_row_per_line_with_quoted_commas_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("accounts.csv"),
            "account,user\nsms,\"Doe, Jane\"\r\nemail,bob\n",
        )
        .unwrap();
        let rows = read_rows(&json!("accounts.csv"), dir.path()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][1], ("user".to_owned(), json!("Doe, Jane")));
        assert_eq!(rows[1][0], ("account".to_owned(), json!("email")));
    }

    #[test]
    fn a_short_csv_line_is_refused_with_its_line_number() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "account,user\nsms,jane\nemail\n").unwrap();
        let error = read_rows(&json!("a.csv"), dir.path()).unwrap_err();
        assert!(error.contains("line 3 has 1 fields"), "{error}");
    }

    #[test]
    fn yaml_and_json_files_and_inline_lists_give_their_rows() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "- { n: 1 }\n- { n: 2 }\n").unwrap();
        std::fs::write(dir.path().join("a.json"), r#"[{"n": true}]"#).unwrap();
        assert_eq!(read_rows(&json!("a.yaml"), dir.path()).unwrap().len(), 2);
        assert_eq!(
            read_rows(&json!("a.json"), dir.path()).unwrap()[0][0].1,
            json!(true)
        );
        assert_eq!(read_rows(&json!([{ "n": 1 }]), dir.path()).unwrap().len(), 1);
    }

    #[test]
    fn rows_that_are_not_mappings_or_files_of_unknown_kind_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_rows(&json!([{ "n": 1 }, 2]), dir.path()).unwrap_err();
        assert!(error.contains("row 2 of `rows` is a number"), "{error}");
        let error = read_rows(&json!("a.txt"), dir.path()).unwrap_err();
        assert!(error.contains(".csv, .yaml, .yml or .json"), "{error}");
        let error = read_rows(&json!("missing.csv"), dir.path()).unwrap_err();
        assert!(error.contains("cannot read `missing.csv`"), "{error}");
        assert!(read_rows(&json!([]), dir.path()).unwrap_err().contains("no row"));
    }
}

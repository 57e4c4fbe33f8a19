//! Owns the JSON Schema of the JSON report (`scenario schema --report`,
//! committed as `scenario-report.schema.json`): generated from the serde
//! types the report is written and read with, so it cannot drift from them.
//!
//! Must not write anything: the app prints it.

use serde_json::Value;

use super::json_shape::{FORMAT, JsonReport, JsonScenario};
use crate::model::schema::root_schema;

/// Names the committed file the schema lives in.
pub const REPORT_SCHEMA_FILE: &str = "scenario-report.schema.json";

/// Returns the JSON Schema of the JSON report's current format.
#[must_use]
pub fn json_report_schema() -> Value {
    let mut schema = root_schema::<JsonReport<Vec<JsonScenario>>>();
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "description".to_owned(),
            Value::String(format!(
                "The JSON report of `scenario run --report-json` and `scenario report merge`, format {FORMAT}"
            )),
        );
    }
    schema
}

/// Renders the schema as the committed file holds it: pretty, two spaces, a final newline.
#[must_use]
pub fn render_report_schema() -> String {
    format!("{:#}\n", json_report_schema())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_every_top_level_key_the_report_writes() {
        let schema = json_report_schema();
        let properties = schema["properties"].as_object().unwrap();
        for key in [
            "format",
            "version",
            "complete",
            "interrupted",
            "summary",
            "scenarios",
            "started_at",
        ] {
            assert!(properties.contains_key(key), "{key}: {schema:#}");
        }
        assert!(schema["description"].as_str().unwrap().ends_with("format 2"));
    }
}

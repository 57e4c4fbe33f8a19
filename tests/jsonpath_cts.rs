//! Runs the public JSONPath Compliance Test Suite (RFC 9535) through the
//! crate's JSONPath wrapper: every valid selector must select the expected
//! nodes with the expected normalized paths, in order, and every invalid one
//! must be refused.
//!
//! The suite is vendored under `tests/fixtures/jsonpath-cts/` (cts.json with
//! its LICENSE and NOTICE, BSD-2). Must not reach the network.

use scenario::check::JsonPathQuery;
use serde_json::Value;

/// Says how one case of the suite went, when it did not pass.
fn run_case(case: &Value) -> Result<(), String> {
    let selector = case["selector"].as_str().ok_or("no selector")?;
    let parsed = JsonPathQuery::parse(selector);
    if case.get("invalid_selector").is_some() {
        return match parsed {
            Err(_) => Ok(()),
            Ok(_) => Err("an invalid selector was accepted".to_owned()),
        };
    }
    let query = parsed.map_err(|e| format!("a valid selector was refused: {e}"))?;
    let selection = query.select(&case["document"]);
    let values: Vec<Value> = selection.values().cloned().collect();
    let paths: Vec<Value> = selection
        .nodes
        .iter()
        .map(|(path, _)| Value::String(path.clone()))
        .collect();
    let (values, paths) = (Value::Array(values), Value::Array(paths));
    // A few cases (object member order) accept any of several results.
    let expected: Vec<(&Value, &Value)> = match (case.get("result"), case.get("results")) {
        (Some(result), _) => vec![(result, &case["result_paths"])],
        (None, Some(Value::Array(results))) => {
            let paths = case["results_paths"].as_array().ok_or("no results_paths")?;
            results.iter().zip(paths).collect()
        }
        _ => return Err("the case has no result".to_owned()),
    };
    if expected.iter().any(|(v, p)| **v == values && **p == paths) {
        Ok(())
    } else {
        Err(format!(
            "selected {values} at {paths}; expected {}",
            expected
                .iter()
                .map(|(v, p)| format!("{v} at {p}"))
                .collect::<Vec<_>>()
                .join(" or ")
        ))
    }
}

#[test]
fn every_case_of_the_compliance_suite_passes() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/jsonpath-cts/cts.json"
    );
    let suite: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = suite["tests"].as_array().unwrap();
    assert_eq!(cases.len(), 703, "the vendored suite has 703 cases");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            run_case(case).err().map(|why| {
                format!(
                    "{} `{}`: {why}",
                    case["name"],
                    case["selector"].as_str().unwrap_or("?")
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
